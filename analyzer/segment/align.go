package segment

import (
	"strings"
	"sync"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
)

// Alignment thresholds on the match score (0..1) of an interviewer turn to
// a guide question. A turn opens a new question when it asks something, its
// best question scores at least newAt, and that question beats the current
// one by margin (less when the interviewer signals a change of topic).
const (
	newAt      = 0.22
	margin     = 0.10
	cueMargin  = 0.02
	followUpAt = 0.35 // a turn that reads like a follow-up must match this well to open a question
	// answeredWords is the answer length after which a question counts as
	// answered, so that asking it again is a follow-up, not a fresh start.
	answeredWords = 60
)

// genericWords are words of every guide question ("tell me about a time")
// and of interview talk; they identify nothing.
var genericWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`tell time describe situation example share give walk talk think question
		answer happen happened experience specific particular approach handle able like really just kind sort
		thing way make sure maybe also could would should can will one two first last next bit lot little
		yeah okay right well good great thanks thank sound cool interesting love hear curious wonder mind
		the and you your yours did does have has had was were what when where which who how why that this
		then there they them their about into with from for are been being its our ours out over some any
		more most much many very get got going know mean say said see let lets let's us we me my i`) {
		genericWords[w] = true
	}
}

type matchers struct {
	text *nlp.Matcher // question texts
	ext  *nlp.Matcher // areas and follow-ups
}

var matcherCache sync.Map // guide id+version -> *matchers

func guideMatchers(g *analyzer.Guide) *matchers {
	key := g.ID + "\x00" + g.Version
	if g.Version != "" {
		if m, ok := matcherCache.Load(key); ok {
			return m.(*matchers)
		}
	}
	texts := make([]string, len(g.Questions))
	ext := make([]string, len(g.Questions))
	for i, q := range g.Questions {
		texts[i] = q.Text
		ext[i] = strings.Join(q.Areas, ". ") + ". " + strings.Join(q.FollowUps, " ")
	}
	m := &matchers{text: nlp.NewMatcher(texts, genericWords), ext: nlp.NewMatcher(ext, genericWords)}
	if g.Version != "" {
		matcherCache.Store(key, m)
	}
	return m
}

// guideMatcher is the question-text matcher, for role inference.
func guideMatcher(g *analyzer.Guide) *nlp.Scorer { return guideMatchers(g).text.NewScorer() }

func lemmasOf(text string) []string {
	doc := nlp.Parse(text)
	out := make([]string, len(doc.Tokens))
	for i, t := range doc.Tokens {
		out[i] = t.Lemma
	}
	return out
}

var askCues = []string{"tell me", "walk me", "talk me", "describe", "share", "give me", "can you think", "could you think",
	"i'd love to hear", "i would love to hear", "i'm curious", "i'd like to hear", "i want to hear", "talk about",
	"take me through", "an example", "a time", "a situation", "what about", "how about", "have you ever", "let's talk", "let's hear"}

// asks reports a turn that asks something: a question mark or an
// interviewing prompt phrased as a statement.
func asks(text string) bool {
	if strings.Contains(text, "?") {
		return true
	}
	l := strings.ToLower(text)
	for _, c := range askCues {
		if strings.Contains(l, c) {
			return true
		}
	}
	return false
}

var closingCues = []string{"questions for me", "questions for us", "any questions", "questions you have", "questions do you have",
	"that's all i have", "that is all i have", "that's all the questions", "that's everything", "we're at time", "we are at time",
	"out of time", "wrap up", "wrap things up", "next steps", "ask me anything", "anything you'd like to ask", "anything you want to ask"}

var transitionCues = []string{"next", "switch gear", "moving on", "move on", "another", "different topic", "change topic", "shift",
	"second", "third", "last one", "final question", "one more", "let's turn", "turning to", "different area", "new topic",
	"first one", "first question", "to start", "start with", "kick off", "come back to", "go back to", "circle back", "return to", "earlier"}

var followCues = []string{"and how", "and what", "and did", "so how", "so what", "how did that", "what did that", "why did",
	"can you say more", "tell me more", "say more", "what happened", "how did you", "what did you", "did you", "was there",
	"and then", "what was", "how was", "who", "how long", "how many", "how much", "what made", "what would"}

func hasAny(l string, cues []string) bool {
	for _, c := range cues {
		if strings.Contains(l, c) {
			return true
		}
	}
	return false
}

// align walks the turns and cuts them into answers.
func align(g *analyzer.Guide, t *analyzer.Transcript, r *roles) []analyzer.Answer {
	m := guideMatchers(g)
	st, se := m.text.NewScorer(), m.ext.NewScorer()
	nq := len(g.Questions)
	sText, sExt := make([]float64, nq), make([]float64, nq)
	score := make([]float64, nq)

	var answers []analyzer.Answer
	words := []int{}
	byQ := map[int]int{} // question index -> answers index
	cur, curQ := -1, -1
	closed := false
	for i, turn := range t.Turns {
		if r.isInterv[turn.Speaker] {
			l := strings.ToLower(turn.Text)
			if len(answers) > 0 && hasAny(l, closingCues) {
				cur, curQ, closed = -1, -1, true
				continue
			}
			if !asks(turn.Text) {
				continue
			}
			lem := lemmasOf(turn.Text)
			st.Score(lem, sText)
			se.Score(lem, sExt)
			bq, bs := -1, 0.0
			for q := range score {
				score[q] = 0.7*sText[q] + 0.3*sExt[q]
				if score[q] > bs {
					bq, bs = q, score[q]
				}
			}
			if bq < 0 || bs < newAt {
				continue
			}
			need := margin
			if hasAny(l, transitionCues) {
				need = cueMargin
			}
			if curQ >= 0 && hasAny(l, followCues) && !hasAny(l, transitionCues) && bs < followUpAt {
				continue
			}
			if curQ >= 0 && (bq == curQ || bs-score[curQ] < need) {
				continue // a follow-up to the current question
			}
			if j, ok := byQ[bq]; ok && words[j] >= answeredWords {
				continue // asked and answered already: a follow-up in other words
			}
			if j, ok := byQ[bq]; ok {
				// Asked before but not answered (the candidate deferred it):
				// this ask gets the answer.
				answers[j] = analyzer.Answer{QuestionID: g.Questions[bq].ID, AskedAt: i, Asked: turn.Text, Match: round3(bs)}
				words[j] = 0
				cur, curQ = j, bq
				closed = false
				continue
			}
			answers = append(answers, analyzer.Answer{QuestionID: g.Questions[bq].ID, AskedAt: i, Asked: turn.Text, Match: round3(bs)})
			words = append(words, 0)
			cur, curQ = len(answers)-1, bq
			byQ[bq] = cur
			closed = false
			continue
		}
		if turn.Speaker != r.candidate || cur < 0 || closed {
			continue
		}
		a := &answers[cur]
		off := len([]rune(a.Text))
		if a.Text != "" {
			a.Text += " "
			off++
		}
		a.Text += turn.Text
		a.Turns = append(a.Turns, i)
		a.Offsets = append(a.Offsets, off)
		words[cur] += nlp.Words(turn.Text)
	}
	// Drop questions that got no reply at all.
	out := answers[:0]
	for _, a := range answers {
		if strings.TrimSpace(a.Text) != "" {
			out = append(out, a)
		}
	}
	return out
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
