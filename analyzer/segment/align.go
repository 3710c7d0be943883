package segment

import (
	"container/list"
	"crypto/sha256"
	"fmt"
	"github.com/candorhq/candor/lexicon"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/spoken"
)

// deferWords bounds a reply that defers the question ("can we come back
// to that one?"): a longer reply answers it, whatever it says first.
const deferWords = 120

// deferOpening is how far into a reply a deferral cue counts: people put a
// question off at once ("Hmm. Can we come back to that one?"). In the
// labelled deferrals (s18, s48, t09 and the synthetic test) the cue falls
// within the first 18 words; "get back to" forty words into s59's answer
// ("... and that they get back to the people doing the work") is no
// deferral.
const deferOpening = 25

// opening returns the text up to the end of its n-th word.
func opening(text string, n int) string {
	words := 0
	in := false
	for i, r := range text {
		if r == ' ' || r == '\t' || r == '\n' {
			if in {
				words++
				if words == n {
					return text[:i]
				}
			}
			in = false
			continue
		}
		in = true
	}
	return text
}

// genericWords are words of every guide question ("tell me about a time")
// and of interview talk; they identify nothing.
var genericWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`tell time describe situation example share give walk talk think question
		answer happen happened experience specific particular approach handle able like really just kind sort
		thing way make sure maybe also could would should can will one two first last next bit lot little work
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
	// topicConc holds each question's topic words with their concepts.
	topicConc [][]topicWord
	// intents holds each question's intents (intents.go).
	intents    []uint32
	allIntents uint32
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
	m := &matchers{text: nlp.NewMatcher(texts, genericWords), ext: nlp.NewMatcher(ext, genericWords), topic: make([]map[string]bool, len(texts)),
		intents: questionIntents(texts)}
	for _, in := range m.intents {
		m.allIntents |= in
	}
	for i, q := range texts {
		m.topic[i] = map[string]bool{}
		for _, l := range lemmasOf(q) {
			if len(l) > 2 && !genericWords[l] {
				m.topic[i][l] = true
			}
		}
	}
	for _, qw := range m.topic {
		var tw []topicWord
		for _, w := range slices.Sorted(maps.Keys(qw)) {
			tw = append(tw, topicWord{w, nlp.Concepts(w)})
		}
		m.topicConc = append(m.topicConc, tw)
	}
	matcherCache.put(key, m)
	return m
}

// covers reports a turn that says at least half of question q's topic
// words (and at most two topic words more than the question has). A word
// says a topic word when it is the same lemma or one step from it: a
// WordNet synonym or derivation, or one of nlp's families of words
// interviews use for the same idea ("leader" says "leadership", "job" says
// "position").
func (m *matchers) covers(q int, lemmas []string) bool {
	qw := m.topic[q]
	if len(qw) == 0 {
		return false
	}
	n := 0
	for _, l := range lemmas {
		if len(l) > 2 && !genericWords[l] {
			n++
		}
	}
	if n > len(qw)+2 {
		return false // not brief: the concept tests below cannot change that
	}
	said := map[string]bool{}
	for _, l := range lemmas {
		if len(l) <= 2 || genericWords[l] {
			continue
		}
		if qw[l] {
			said[l] = true
			continue
		}
		lc := nlp.Concepts(l)
		for _, t := range m.topicConc[q] {
			if lexicon.Closest(lc, t.concepts) <= 1 { // one step apart
				said[t.lemma] = true
			}
		}
	}
	return 2*len(said) >= len(qw)
}

type topicWord struct {
	lemma    string
	concepts []lexicon.Concept
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
	"can't think of", "cannot think of", "blanking", "blank on", "let me think about", "return to", "move on and",
	"can i think about", "think about that one", "give me a minute", "give me a second", "give me a sec",
	"went blank", "gone blank", "come back to me"}

// returnCues announce that the interviewer returns to a deferred question.
var returnCues = []string{"go back to", "come back to", "circle back", "return to", "the one we skipped", "we skipped", "earlier question"}

// introCues mark an interviewer explaining the interview, not asking.
var introCues = []string{"going to ask", "a few questions", "handful of questions", "couple of questions", "how this will go",
	"how this works", "the format", "before we start", "before we begin", "behavioral round", "behavioural round", "questions about your",
	"i'll ask you", "i will ask you"}

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
