package segment

import (
	"container/list"
	"crypto/sha256"
	"fmt"
	"github.com/candorhq/candor/lexicon"
	"sort"
	"strings"
	"sync"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/spoken"
)

// Alignment thresholds on the match score of an interviewer turn to a guide
// question (doc-side and turn-side matches of the question's text, areas
// and follow-ups, summed with weights; about 0.3 for a loose paraphrase, over
// 1 for a close one). A turn opens a new question when it is phrased as a
// behavioural prompt ("tell me about a time", "walk me through", "next one"),
// its best question scores at least newAt and beats the current question by
// margin. A plain question ("how did you ...?") is a follow-up, unless no
// question is open yet and it matches one closely (plainAt).
const (
	newAt   = 0.33
	margin  = 0.10
	plainAt = 0.95
	// answeredWords is the answer length after which a question counts as
	// answered, so that asking it again is a follow-up, not a fresh start.
	answeredWords = 60
	// minContent is the fewest topic words a turn needs to open a question.
	minContent = 5
	// minNovelty is the share of a turn's topic words that must be new to
	// the candidate's last reply for the turn to open a question.
	minNovelty = 0.5
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
	text  *nlp.Matcher      // question texts
	ext   *nlp.Matcher      // areas and follow-ups
	topic []map[string]bool // each question's topic words (lemmas)
}

// matcherCache keeps the matchers of the guides seen last. It is keyed by
// a hash of exactly what the matchers are built from, not by the guide's
// id and version: ids are the tenant's choice and the version is a short
// hash, so two tenants' guides could share both with different questions.
var matcherCache = newMatcherLRU(maxMatchers)

// maxMatchers bounds matcherCache: a guide's matchers are a few times the
// size of its questions, and a busy server sees a handful of guides at a
// time.
const maxMatchers = 64

type matcherLRU struct {
	mu  sync.Mutex
	max int
	m   map[[sha256.Size]byte]*list.Element
	lru list.List // of *matcherEntry, most recently used first
}

type matcherEntry struct {
	key [sha256.Size]byte
	m   *matchers
}

func newMatcherLRU(n int) *matcherLRU {
	return &matcherLRU{max: n, m: map[[sha256.Size]byte]*list.Element{}}
}

func (c *matcherLRU) get(key [sha256.Size]byte) *matchers {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(e)
	return e.Value.(*matcherEntry).m
}

func (c *matcherLRU) put(key [sha256.Size]byte, m *matchers) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok {
		c.lru.MoveToFront(e)
		return
	}
	c.m[key] = c.lru.PushFront(&matcherEntry{key: key, m: m})
	for c.lru.Len() > c.max {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.m, last.Value.(*matcherEntry).key)
	}
}

func (c *matcherLRU) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// matchersKey hashes the matchers' inputs, each length-prefixed so that
// text moved between questions or fields changes the key.
func matchersKey(texts, ext []string) [sha256.Size]byte {
	h := sha256.New()
	for i := range texts {
		fmt.Fprintf(h, "%d:%s%d:%s", len(texts[i]), texts[i], len(ext[i]), ext[i])
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

func guideMatchers(g *analyzer.Guide) *matchers {
	texts := make([]string, len(g.Questions))
	ext := make([]string, len(g.Questions))
	for i, q := range g.Questions {
		texts[i] = q.Text
		ext[i] = strings.Join(q.Areas, ". ") + ". " + strings.Join(q.FollowUps, " ")
	}
	key := matchersKey(texts, ext)
	if m := matcherCache.get(key); m != nil {
		return m
	}
	m := &matchers{text: nlp.NewMatcher(texts, genericWords), ext: nlp.NewMatcher(ext, genericWords), topic: make([]map[string]bool, len(texts))}
	for i, q := range texts {
		m.topic[i] = map[string]bool{}
		for _, l := range lemmasOf(q) {
			if len(l) > 2 && !genericWords[l] {
				m.topic[i][l] = true
			}
		}
	}
	matcherCache.put(key, m)
	return m
}

// covers reports a turn that says at least half of question q's topic
// words (and at most two topic words more than the question has). A word
// says a topic word when it is the same lemma or one step from it (oneStep:
// "leader" says "leadership", "job" says "position").
func (m *matchers) covers(q int, lemmas []string) bool {
	qw := m.topic[q]
	if len(qw) == 0 {
		return false
	}
	said := map[string]bool{}
	n := 0
	for _, l := range lemmas {
		if len(l) <= 2 || genericWords[l] {
			continue
		}
		n++
		if qw[l] {
			said[l] = true
			continue
		}
		for t := range qw {
			if oneStep(l, t) {
				said[t] = true
			}
		}
	}
	return n <= len(qw)+2 && 2*len(said) >= len(qw)
}

// oneStep reports two lemmas one step apart: a WordNet synonym or
// derivation, or one of nlp's families of words interviews use for the same
// idea ("job", "position", "role").
func oneStep(a, b string) bool {
	return lexicon.Closest(nlp.Concepts(a), nlp.Concepts(b)) <= 1
}

// guideMatcher is the question-text matcher, for role inference.
func guideMatcher(g *analyzer.Guide) *nlp.Scorer { return guideMatchers(g).text.NewScorer() }

// turnText parses each turn at most once, when first needed, for role
// inference and alignment alike.
//
// Matching reads each turn as normalised by package spoken (no fillers,
// stutters, false starts or transcriber's notes); answers keep the original
// text.
type turnText struct {
	turns  []analyzer.Turn
	clean  []string
	lower  []string
	lemmas [][]string
	parsed []bool
}

func newTurnText(t *analyzer.Transcript) *turnText {
	n := len(t.Turns)
	return &turnText{turns: t.Turns, clean: make([]string, n), lower: make([]string, n), lemmas: make([][]string, n), parsed: make([]bool, n)}
}

func (tt *turnText) cleanOf(i int) string {
	if tt.clean[i] == "" && tt.turns[i].Text != "" {
		tt.clean[i] = spoken.Normalize(tt.turns[i].Text).Clean
	}
	return tt.clean[i]
}

func (tt *turnText) lowerOf(i int) string {
	if tt.lower[i] == "" && tt.turns[i].Text != "" {
		tt.lower[i] = strings.ToLower(tt.cleanOf(i))
	}
	return tt.lower[i]
}

func (tt *turnText) lemmasOf(i int) []string {
	if !tt.parsed[i] {
		tt.lemmas[i], tt.parsed[i] = lemmasOf(tt.cleanOf(i)), true
	}
	return tt.lemmas[i]
}

func lemmasOf(text string) []string {
	doc := nlp.Parse(text)
	out := make([]string, len(doc.Tokens))
	for i, t := range doc.Tokens {
		out[i] = t.Lemma
	}
	return out
}

var askCues = []string{"tell me", "telling me", "tell us", "telling us", "walk me", "talk me", "describe", "share", "give me", "can you think", "could you think",
	"i'd love to hear", "i would love to hear", "i'm curious", "i'd like to hear", "i want to hear", "talk about",
	"take me through", "an example", "a time", "a situation", "what about", "how about", "have you ever", "let's talk", "let's hear"}

// asks reports a turn that asks something: a question mark or an
// interviewing prompt phrased as a statement.
func asks(text string) bool { return asksLower(strings.ToLower(text)) }

func asksLower(l string) bool {
	if strings.Contains(l, "?") {
		return true
	}
	for _, c := range askCues {
		if strings.Contains(l, c) {
			return true
		}
	}
	return false
}

// promptCues mark a behavioural prompt: how interviewers open a question.
var promptCues = []string{"a time", "an example", "a situation", "a moment", "an occasion", "describe", "walk me", "talk me through",
	"take me through", "tell me about", "share", "think of", "have you ever", "love to hear", "like to hear", "want to hear",
	"curious about", "i'd love", "let's talk about", "talk to me about", "has there been", "was there ever", "can you recall",
	"do you remember a"}

var closingCues = []string{"questions for me", "questions for us", "any questions", "questions you have", "questions do you have",
	"that's all i have", "that is all i have", "that's all the questions", "that's everything", "we're at time", "we are at time",
	"out of time", "wrap up", "wrap things up", "next steps", "ask me anything", "anything you'd like to ask", "anything you want to ask", "like to ask me", "want to ask me", "questions on your side",
	"questions from your side", "anything for me", "what can i answer"}

var transitionCues = []string{"next one", "next question", "next.", "next,", "next up", "moving on", "move on", "switch gears",
	"switching gears", "shifting gears", "shift gears", "change of topic", "different topic", "change topics", "another one",
	"one more", "last one", "final question", "final one", "first one", "first question", "to start", "let's start", "kick off",
	"kick things off", "over to me", "my turn", "come back to", "go back to", "circle back", "return to", "different area",
	"new topic", "let's turn", "what about a time", "how about a time", "what about an example", "how about an example"}

func hasAny(l string, cues []string) bool {
	for _, c := range cues {
		if strings.Contains(l, c) {
			return true
		}
	}
	return false
}

// deferCues in a candidate's first reply ask to come back to a question.
var deferCues = []string{"come back to", "get back to", "circle back", "skip", "pass on", "nothing comes to mind",
	"can't think of", "cannot think of", "blanking", "blank on", "let me think about", "return to", "move on and"}

// returnCues announce that the interviewer returns to a deferred question.
var returnCues = []string{"go back to", "come back to", "circle back", "return to", "the one we skipped", "we skipped", "earlier question"}

// introCues mark an interviewer explaining the interview, not asking.
var introCues = []string{"going to ask", "a few questions", "handful of questions", "couple of questions", "how this will go",
	"how this works", "the format", "before we start", "before we begin", "behavioral round", "behavioural round", "questions about your",
	"i'll ask you", "i will ask you"}

// align walks the turns and cuts them into answers.
func align(g *analyzer.Guide, t *analyzer.Transcript, tt *turnText, r *roles, explain bool) ([]analyzer.Answer, []Decision) {
	var decisions []Decision
	decide := func(turn int, what string, score []float64) {
		if !explain {
			return
		}
		d := Decision{Turn: turn, Decision: what}
		if score != nil {
			idx := make([]int, len(score))
			for i := range idx {
				idx[i] = i
			}
			sort.Slice(idx, func(a, b int) bool { return score[idx[a]] > score[idx[b]] })
			for _, q := range idx[:min(3, len(idx))] {
				d.Best = append(d.Best, g.Questions[q].ID)
				d.Scores = append(d.Scores, analyzer.Round3(score[q]))
			}
		}
		decisions = append(decisions, d)
	}
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
	lastReply := -1 // the candidate's latest turn
	replySet := map[string]bool{}
	replySetOf := -1
	var deferred []int // questions the candidate asked to come back to
	returning := false
	for i, turn := range t.Turns {
		if r.isInterv[turn.Speaker] {
			l := tt.lowerOf(i)
			if len(answers) > 0 && hasAny(l, closingCues) {
				cur, curQ, closed = -1, -1, true
				decide(i, "closing", nil)
				continue
			}
			if hasAny(l, returnCues) && len(deferred) > 0 && cur >= 0 {
				returning = true
			}
			if !asksLower(l) {
				decide(i, "not_a_question", nil)
				continue
			}
			if returning && len(deferred) > 0 {
				// "Let's go back to the one we skipped": the next question is
				// the deferred one, whatever its wording.
				q := deferred[0]
				deferred = deferred[1:]
				returning = false
				j := byQ[q]
				answers[j] = analyzer.Answer{QuestionID: g.Questions[q].ID, AskedAt: i, Asked: turn.Text}
				words[j] = 0
				cur, curQ, closed = j, q, false
				decide(i, "deferred_repeat", nil)
				continue
			}
			lem := tt.lemmasOf(i)
			st.Score(lem, sText)
			tText := st.TurnSide()
			se.Score(lem, sExt)
			tExt := se.TurnSide()
			bq, bs := -1, 0.0
			for q := range score {
				score[q] = sText[q] + 0.5*sExt[q] + 0.5*tText[q] + 0.3*tExt[q]
				if score[q] > bs {
					bq, bs = q, score[q]
				}
			}
			transition := hasAny(l, transitionCues)
			prompt := hasAny(l, promptCues) || transition
			content := contentWords(lem)
			// A brief ask that says most of its question's own topic words
			// ("Tell me about yourself.", "And your weaknesses?") is the
			// question, however few words it has.
			brief := bq >= 0 && content > 0 && m.covers(bq, lem)
			if brief {
				prompt = true
			}
			novelty := 1.0
			if cur >= 0 && len(answers[cur].Turns) > 0 {
				if replySetOf != lastReply && lastReply >= 0 {
					clear(replySet)
					for _, l := range tt.lemmasOf(lastReply) {
						replySet[l] = true
					}
					replySetOf = lastReply
				}
				novelty = novelWords(lem, replySet)
			}
			curScore := 0.0
			if curQ >= 0 {
				curScore = score[curQ]
			}
			switch {
			case bq < 0 || bs < newAt:
				decide(i, "no_match", score)
				continue
			case hasAny(l, introCues) && len(answers) == 0 && !(transition && hasAny(l, promptCues)):
				// How the interview will go, unless the turn goes on to ask
				// ("... Let's start with this one: tell me about a time").
				decide(i, "intro", score)
				continue
			case content < minContent && curQ >= 0 && !brief && !transition:
				// Short, with a question open: "Can you be more
				// specific?". A short turn that announces the next
				// question ("Next one. Tell me about a time you had to
				// give customers news they didn't want to hear.") goes on
				// to be matched.
				decide(i, "follow_up", score)
				continue
			case brief && bq != curQ && (curQ < 0 || words[cur] > 0):
				// A brief ask of another question after a reply: spoken
				// answers are often shorter than answeredWords.
			case curQ >= 0 && (bq == curQ || bs-curScore < margin && !transition):
				// A full behavioural prompt with new words, after the current
				// question was answered, opens the best other question even
				// when it shares words with the current one.
				alt := -1
				if prompt && novelty >= minNovelty && words[cur] >= answeredWords {
					for q := range score {
						if q == curQ || score[q] < newAt {
							continue
						}
						if j, ok := byQ[q]; ok && words[j] >= answeredWords {
							continue
						}
						if alt < 0 || score[q] > score[alt] {
							alt = q
						}
					}
				}
				if alt < 0 {
					decide(i, "follow_up", score)
					continue
				}
				bq, bs = alt, score[alt]
			case curQ >= 0 && !transition && novelty < minNovelty:
				decide(i, "follow_up", score) // it takes up what the candidate just said
				continue
			case !prompt && (bs < plainAt || curQ >= 0 && words[cur] >= answeredWords):
				decide(i, "follow_up", score)
				continue
			}
			if j, ok := byQ[bq]; ok && words[j] >= answeredWords {
				decide(i, "follow_up", score) // asked and answered already: a follow-up in other words
				continue
			}
			if j, ok := byQ[bq]; ok {
				// Asked before but not answered (the candidate deferred it):
				// this ask gets the answer.
				answers[j] = analyzer.Answer{QuestionID: g.Questions[bq].ID, AskedAt: i, Asked: turn.Text, Match: analyzer.Round3(bs)}
				decide(i, "deferred_repeat", score)
				words[j] = 0
				cur, curQ = j, bq
				closed = false
				continue
			}
			decide(i, "new", score)
			answers = append(answers, analyzer.Answer{QuestionID: g.Questions[bq].ID, AskedAt: i, Asked: turn.Text, Match: analyzer.Round3(bs)})
			words = append(words, 0)
			cur, curQ = len(answers)-1, bq
			byQ[bq] = cur
			closed = false
			continue
		}
		if turn.Speaker != r.candidate || cur < 0 || closed {
			continue
		}
		lastReply = i
		if len(answers[cur].Turns) == 0 && hasAny(tt.lowerOf(i), deferCues) && nlp.Words(turn.Text) < 2*answeredWords {
			// The candidate asked to come back to this question: it stays
			// open for a later ask, and this reply is no answer.
			deferred = append(deferred, curQ)
			cur, curQ = -1, -1
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
	return out, decisions
}

func contentWords(lemmas []string) int {
	n := 0
	for _, l := range lemmas {
		if len(l) > 2 && !genericWords[l] {
			n++
		}
	}
	return n
}

// novelWords returns the share of a turn's topic words that the candidate's
// last reply did not use.
func novelWords(lemmas []string, reply map[string]bool) float64 {
	n, novel := 0, 0
	for _, l := range lemmas {
		if len(l) <= 2 || genericWords[l] {
			continue
		}
		n++
		if !reply[l] {
			novel++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(novel) / float64(n)
}
