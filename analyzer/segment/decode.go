package segment

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic/model"
	"github.com/candorhq/candor/analyzer/nlp"
)

// Alignment is one decoding of the whole interview. Every interviewer turn
// is a choice among "opens question q" (for each q) and "goes on" (a
// follow-up, small talk or logistics: the current question stays open).
// A conditional logit model (OpenFeatures, weights.json, trained by
// analyzer/segment/train on gold-aligned transcripts) gives each choice a
// probability from the turn, the question and the state of the interview
// so far (which question is open, how much of it was answered, which
// questions were asked); a beam search keeps the beamWidth most probable
// interviews turn by turn and returns the best whole one. A few events
// are read from cue phrases, not scored: the closing ("any questions for
// me?") ends the open question, a return to a question the candidate asked
// to come back to reopens it, and a candidate's first reply that defers
// the question leaves it for later.

// OpenFeatures are the features of "turn i opens question q", in the
// order of the model's weights. The choice "goes on" has none (score 0).
var OpenFeatures = []string{
	"match",            // the turn's match score with q (question text, areas and follow-ups, both ways)
	"is_best",          // q is the turn's best match
	"below_best",       // best match minus q's
	"brief",            // a brief ask that says most of q's topic words ("Why this job?") or asks its kind of question (intents.go)
	"prompt",           // a behavioural prompt or a transition cue ("tell me about a time", "next one")
	"transition",       // a transition cue ("next one", "moving on", "let's start")
	"asks",             // a question mark or an ask ("tell me", "describe")
	"content",          // log(1 + topic words of the turn)
	"intro",            // explains the interview before any question ("I'll ask you a few questions")
	"open",             // a question is open
	"is_current",       // q is the open question
	"over_current",     // q's match minus the open question's
	"current_words",    // log(1 + words answered to the open question)
	"novelty",          // share of the turn's topic words the candidate's last reply did not use
	"asked_words",      // log(1 + words answered to q), when q was asked before
	"asked",            // q was asked before
	"prompt_x_match",   // prompt * match
	"open_x_content",   // open * content
	"prompt_x_current", // prompt * current_words
	"brief_x_open",     // brief * open
	"open_x_novelty",   // open * novelty * prompt
	"reply_match",      // how much of q's areas and follow-ups the candidate's next reply says, over the mean question's
	"reply_best",       // q's areas are the ones the next reply says most of
	"intent",           // the turn asks the kind of question q is (intents.go: a weakness, a time you led ...)
	"intent_other",     // the turn asks a kind of question, not q's
}

// Decoder is the trained turn model.
type Decoder struct {
	Open *model.Linear `json:"open"`
	// Beam is how many partial readings of the interview the search keeps
	// (the training command chooses it by cross-validation; 1 is greedy,
	// turn by turn).
	Beam int `json:"beam"`
	// IntentWeight is what a shared intent (intents.go) adds to a turn's
	// match score with a question, so that every feature read from the
	// match sees it (the training command chooses it by cross-validation;
	// 0 leaves intents to the features "intent" and "intent_other").
	IntentWeight float64 `json:"intent_weight"`
}

// Weights is the embedded file the training command writes.
type Weights struct {
	Version string          `json:"version"`
	Lambda  float64         `json:"lambda"`
	Decoder Decoder         `json:"decoder"`
	Data    json.RawMessage `json:"data"`
	Figures json.RawMessage `json:"figures"`
}

//go:embed weights.json
var weightsJSON []byte

var embedded = sync.OnceValues(func() (*Decoder, error) { return DecodeWeights(weightsJSON) })

// DecodeWeights reads a weights file and checks its feature list against
// the code's.
func DecodeWeights(data []byte) (*Decoder, error) {
	var w Weights
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("segment weights: %w", err)
	}
	if w.Decoder.Open == nil {
		return nil, fmt.Errorf("segment weights: no decoder model")
	}
	if w.Decoder.Beam < 1 {
		return nil, fmt.Errorf("segment weights: beam width %d, want at least 1", w.Decoder.Beam)
	}
	if err := w.Decoder.Open.Check(OpenFeatures); err != nil {
		return nil, fmt.Errorf("segment weights: %w", err)
	}
	return &w.Decoder, nil
}

// Group is one interviewer turn as the model sees it during training:
// each question's features, and the question the turn opens (-1: none).
type Group struct {
	Rows   [][]float64
	Chosen int
}

// turnView is what the decoder reads of one interviewer turn, whatever
// the state of the interview.
type turnView struct {
	score      []float64
	bq         int
	bs         float64
	brief      []bool
	prompt     bool
	transition bool
	asks       bool
	content    int
	introCue   bool
	// novelty is the share of the turn's topic words that the candidate's
	// last reply did not use (hasReply: there was one), the same in every
	// reading.
	novelty      float64
	hasReply     bool
	reply        []float64
	replyBest    int
	intents      uint32 // the turn's (intents.go)
	qIntents     []uint32
	guideIntents uint32 // every question's, together
}

// seg is one answer of a hypothesis.
type seg struct {
	q     int
	asked int
	match float64
	turns []int
	words int
}

// hyp is one partial reading of the interview.
type hyp struct {
	segs      []seg
	byQ       []int // question -> index into segs, -1 when not asked
	cur       int   // open answer (index into segs), -1 when none
	closed    bool
	deferred  []int
	returning bool
	lp        float64
	decisions []Decision
	// unplaced are the candidate's turns that came while no question was
	// open and the interview was not closed (replies to a turn that asked
	// no guide question, or talk before the first one), latest first: a
	// list whose tail the hypotheses cloned from this one share.
	unplaced *turnNode
}

// turnNode is a turn index in a list that grows at its head.
type turnNode struct {
	turn int
	prev *turnNode
}

// turns lists the nodes' turns, earliest first.
func (n *turnNode) turns() []int {
	var out []int
	for ; n != nil; n = n.prev {
		out = append(out, n.turn)
	}
	slices.Reverse(out)
	return out
}

func (h *hyp) clone() *hyp {
	c := *h
	c.segs = slices.Clone(h.segs)
	c.byQ = slices.Clone(h.byQ)
	c.deferred = slices.Clone(h.deferred)
	c.decisions = slices.Clone(h.decisions)
	return &c
}

func (h *hyp) curQ() int {
	if h.cur < 0 {
		return -1
	}
	return h.segs[h.cur].q
}

// key identifies what the future of a hypothesis depends on, so that of
// two with the same key only the more probable is kept.
func (h *hyp) key() string {
	b := make([]byte, 0, 64)
	b = strconv.AppendInt(b, int64(h.curQ()), 10)
	if h.closed {
		b = append(b, 'c')
	}
	for q, j := range h.byQ {
		if j >= 0 {
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(q), 10)
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(min(h.segs[j].words, 200)/20), 10)
		}
	}
	for _, q := range h.deferred {
		b = append(b, 'd')
		b = strconv.AppendInt(b, int64(q), 10)
	}
	if h.returning {
		b = append(b, 'r')
	}
	return string(b)
}

// features writes the features of "this turn opens q" in hypothesis h.
func (v *turnView) features(h *hyp, q int, x []float64) {
	b := func(c bool) float64 {
		if c {
			return 1
		}
		return 0
	}
	cq := h.curQ()
	open := cq >= 0
	overCur, curWords, novelty := 0.0, 0.0, 0.0
	if open {
		overCur = v.score[q] - v.score[cq]
		curWords = math.Log1p(float64(h.segs[h.cur].words))
		novelty = 1
		if v.hasReply && len(h.segs[h.cur].turns) > 0 {
			novelty = v.novelty
		}
	}
	askedWords, asked := 0.0, false
	if j := h.byQ[q]; j >= 0 {
		askedWords, asked = math.Log1p(float64(h.segs[j].words)), true
	}
	prompt := b(v.prompt || v.transition || v.brief[q])
	content := math.Log1p(float64(v.content))
	x[0] = v.score[q]
	x[1] = b(q == v.bq)
	x[2] = v.bs - v.score[q]
	x[3] = b(v.brief[q])
	x[4] = prompt
	x[5] = b(v.transition)
	x[6] = b(v.asks)
	x[7] = content
	x[8] = b(v.introCue && len(h.segs) == 0)
	x[9] = b(open)
	x[10] = b(q == cq)
	x[11] = overCur
	x[12] = curWords
	x[13] = novelty
	x[14] = askedWords
	x[15] = b(asked)
	x[16] = prompt * v.score[q]
	x[17] = b(open) * content
	x[18] = prompt * curWords
	x[19] = b(v.brief[q]) * b(open)
	x[20] = b(open) * novelty * prompt
	x[21] = v.reply[q]
	x[22] = b(q == v.replyBest)
	x[23] = b(v.intents&v.qIntents[q] != 0)
	x[24] = b(v.intents&v.guideIntents != 0 && v.intents&v.qIntents[q] == 0)
}

// scores sets out[q] to the match of a turn (its lemmas lem, its intents)
// with every question q: how much of the question's text the turn says and
// of its areas and follow-ups, and the other way round, plus intentWeight
// for a question of the turn's kind. sText and sExt are scratch space of
// the guide's length.
func (m *matchers) scores(st, se *nlp.Scorer, lem []string, intents uint32, intentWeight float64, sText, sExt, out []float64) {
	st.Score(lem, sText)
	tText := st.TurnSide()
	se.Score(lem, sExt)
	tExt := se.TurnSide()
	for q := range out {
		out[q] = sText[q] + 0.5*sExt[q] + 0.5*tText[q] + 0.3*tExt[q]
		if intents&m.intents[q] != 0 {
			out[q] += intentWeight
		}
	}
}

// closestQuestions are the n guide questions interviewer turn i matches
// best, best first, with their match scores, as the decoder scores them.
func closestQuestions(g *analyzer.Guide, tt *turnText, i int, intentWeight float64, n int) ([]string, []float64) {
	m := guideMatchers(g)
	nq := len(g.Questions)
	sText, sExt, score := make([]float64, nq), make([]float64, nq), make([]float64, nq)
	m.scores(m.text.NewScorer(), m.ext.NewScorer(), tt.lemmasOf(i), intentsOf(tt.lowerOf(i), m.allIntents), intentWeight, sText, sExt, score)
	idx := make([]int, nq)
	for k := range idx {
		idx[k] = k
	}
	sort.SliceStable(idx, func(a, b int) bool { return score[idx[a]] > score[idx[b]] })
	var ids []string
	var scores []float64
	for _, q := range idx[:min(n, nq)] {
		ids = append(ids, g.Questions[q].ID)
		scores = append(scores, analyzer.Round3(score[q]))
	}
	return ids, scores
}

// decoded is what decode makes of a transcript.
type decoded struct {
	answers   []analyzer.Answer
	decisions []Decision
	groups    []Group
	// unplaced are the candidate's turns that no question took, in order.
	unplaced []int
}

// decode aligns the transcript. With force (gold: turn -> question index)
// it follows the gold reading instead and returns the model's view of
// every scored turn, for training. pin (turn -> question index, or -1 for
// "asks no guide question") fixes the user's readings of some turns and
// leaves the rest to the model; a pinned question is opened at its turn
// only.
//
// intentWeight is the decoder's IntentWeight (dec may be nil in training).
func decode(g *analyzer.Guide, t *analyzer.Transcript, tt *turnText, r *roles, dec *Decoder, intentWeight float64, explain bool, force, pin map[int]int) decoded {
	reserved := make([]bool, len(g.Questions))
	for _, q := range pin {
		if q >= 0 {
			reserved[q] = true
		}
	}
	m := guideMatchers(g)
	st, se, sr := m.text.NewScorer(), m.ext.NewScorer(), m.ext.NewScorer()
	nq := len(g.Questions)
	sText, sExt := make([]float64, nq), make([]float64, nq)
	nf := len(OpenFeatures)
	x := make([]float64, nf)
	scores := make([]float64, nq)
	var groups []Group

	start := &hyp{byQ: make([]int, nq), cur: -1}
	for q := range start.byQ {
		start.byQ[q] = -1
	}
	beam := []*hyp{start}
	var lastReply []string
	decide := func(h *hyp, turn int, what string, v *turnView, p float64) {
		if !explain {
			return
		}
		d := Decision{Turn: turn, Decision: what}
		if p > 0 {
			d.P = analyzer.Round3(p)
		}
		if v != nil {
			idx := make([]int, nq)
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(a, b int) bool { return v.score[idx[a]] > v.score[idx[b]] })
			for _, q := range idx[:min(3, nq)] {
				d.Best = append(d.Best, g.Questions[q].ID)
				d.Scores = append(d.Scores, analyzer.Round3(v.score[q]))
			}
		}
		h.decisions = append(h.decisions, d)
	}
	// scoreTurn scores every question for an interviewer turn (v) in
	// hypothesis h into scores ("goes on" scores 0) and returns log(1 +
	// sum exp(score)), computed stably; rows, when not nil, collects each
	// question's features (training).
	scoreTurn := func(h *hyp, v *turnView, rows *[][]float64) float64 {
		mx := 0.0
		for q := range scores {
			v.features(h, q, x)
			if rows != nil {
				*rows = append(*rows, slices.Clone(x))
			}
			scores[q] = 0
			if dec != nil {
				scores[q] = dec.Open.Score(x)
			}
			mx = max(mx, scores[q])
		}
		sum := math.Exp(-mx)
		for _, s := range scores {
			sum += math.Exp(s - mx)
		}
		return mx + math.Log(sum)
	}
	for i, turn := range t.Turns {
		if !r.isInterv[turn.Speaker] {
			if turn.Speaker != r.candidate {
				continue
			}
			for _, h := range beam {
				if h.cur < 0 {
					if !h.closed {
						h.unplaced = &turnNode{turn: i, prev: h.unplaced}
					}
					continue
				}
				if h.closed {
					continue
				}
				s := &h.segs[h.cur]
				if len(s.turns) == 0 && hasAny(opening(tt.lowerOf(i), deferOpening), deferCues) && nlp.Words(turn.Text) < deferWords {
					// The candidate asked to come back to this question: it
					// stays open for a later ask, and this reply is no answer.
					h.deferred = append(h.deferred, s.q)
					h.cur = -1
					continue
				}
				s.turns = append(slices.Clip(s.turns), i)
				s.words += nlp.Words(turn.Text)
			}
			lastReply = tt.lemmasOf(i)
			continue
		}
		l := tt.lowerOf(i)
		closing, returnCue := hasAny(l, closingCues), hasAny(l, returnCues)
		var v *turnView
		view := func() *turnView {
			if v != nil {
				return v
			}
			lem := tt.lemmasOf(i)
			v = &turnView{score: make([]float64, nq), bq: -1, brief: make([]bool, nq),
				asks: asksLower(l), transition: hasAny(l, transitionCues), prompt: hasAny(l, promptCues),
				intents: intentsOf(l, m.allIntents), qIntents: m.intents, guideIntents: m.allIntents,
				content: contentWords(lem), introCue: hasAny(l, introCues) && !(hasAny(l, transitionCues) && hasAny(l, promptCues))}
			m.scores(st, se, lem, v.intents, intentWeight, sText, sExt, v.score)
			for q := range v.score {
				if v.score[q] > v.bs {
					v.bq, v.bs = q, v.score[q]
				}
				// covers needs a topic word of q said, which the text
				// matcher would have seen (sText > 0): most questions are
				// ruled out without the concept tests.
				// A turn that asks q's kind of question (intents.go) is a brief
				// ask of it too ("Weak spots?").
				v.brief[q] = v.content > 0 && sText[q] > 0 && m.covers(q, lem) || v.intents&m.intents[q] != 0
			}
			v.reply, v.replyBest = make([]float64, nq), -1
			for j := i + 1; j < len(t.Turns) && !r.isInterv[t.Turns[j].Speaker]; j++ {
				if t.Turns[j].Speaker != r.candidate {
					continue
				}
				sr.Score(tt.lemmasOf(j), v.reply)
				mean := 0.0
				for q, x := range v.reply {
					mean += x / float64(nq)
					if v.replyBest < 0 || x > v.reply[v.replyBest] {
						v.replyBest = q
					}
				}
				for q := range v.reply {
					v.reply[q] -= mean
				}
				break
			}
			if lastReply != nil {
				said := make(map[string]bool, len(lastReply))
				for _, w := range lastReply {
					said[w] = true
				}
				v.novelty, v.hasReply = novelWords(lem, said), true
			}
			return v
		}
		var next []*hyp
		for _, h := range beam {
			if q, ok := pin[i]; ok {
				// The user's reading of this turn: the model only scores it.
				v := view()
				h = h.step(i, q, v, scores, scoreTurn(h, v, nil), decide)
				if n := len(h.decisions); explain && n > 0 && h.decisions[n-1].Turn == i {
					h.decisions[n-1].Decision, h.decisions[n-1].P = "assigned", 0
					if q < 0 {
						h.decisions[n-1].Decision = "assigned_none"
					}
				}
				next = append(next, h)
				continue
			}
			if len(h.segs) > 0 && closing {
				h.cur, h.closed = -1, true
				decide(h, i, "closing", nil, 0)
				next = append(next, h)
				continue
			}
			if returnCue && len(h.deferred) > 0 && h.cur >= 0 {
				h.returning = true
			}
			if h.returning && len(h.deferred) > 0 && asksLower(l) {
				// "Let's go back to the one we skipped": the next question
				// is the deferred one, whatever its wording.
				q := h.deferred[0]
				h.deferred = h.deferred[1:]
				h.returning = false
				j := h.byQ[q]
				h.segs[j] = seg{q: q, asked: i}
				h.cur, h.closed = j, false
				decide(h, i, "deferred_repeat", nil, 0)
				next = append(next, h)
				continue
			}
			v := view()
			var gr Group
			var rows *[][]float64
			if force != nil {
				rows = &gr.Rows
			}
			lse := scoreTurn(h, v, rows)
			if force != nil {
				q, ok := force[i]
				if !ok {
					q = -1
				}
				gr.Chosen = q
				groups = append(groups, gr)
				next = append(next, h.step(i, q, v, scores, lse, decide))
				continue
			}
			// Only questions with a real chance are expanded. A question
			// with an answer is not asked again: its repeat is a follow-up
			// (a question asked but not answered yet, announced or deferred,
			// may be).
			var opens []*hyp
			var qs []int
			for q := range scores {
				if j := h.byQ[q]; j >= 0 && h.segs[j].words > 0 || reserved[q] {
					continue
				}
				if scores[q]-lse > math.Log(1e-3) {
					opens, qs = append(opens, h.clone()), append(qs, q)
				}
			}
			next = append(next, h.step(i, -1, v, scores, lse, decide))
			for k, c := range opens {
				next = append(next, c.step(i, qs[k], v, scores, lse, decide))
			}
		}
		width := 1
		if dec != nil {
			width = dec.Beam
		}
		beam = prune(next, width)
	}
	best := beam[0]
	var answers []analyzer.Answer
	for _, s := range best.segs {
		if len(s.turns) == 0 {
			continue
		}
		a := analyzer.Answer{QuestionID: g.Questions[s.q].ID, AskedAt: s.asked, Asked: t.Turns[s.asked].Text, Match: analyzer.Round3(s.match)}
		for _, ti := range s.turns {
			off := len([]rune(a.Text))
			if a.Text != "" {
				a.Text += " "
				off++
			}
			a.Text += t.Turns[ti].Text
			a.Turns = append(a.Turns, ti)
			a.Offsets = append(a.Offsets, off)
		}
		if strings.TrimSpace(a.Text) == "" {
			continue
		}
		answers = append(answers, a)
	}
	return decoded{answers: answers, decisions: best.decisions, groups: groups, unplaced: best.unplaced.turns()}
}

// step applies choice q (-1: goes on) to h at interviewer turn i.
func (h *hyp) step(i, q int, v *turnView, scores []float64, lse float64, decide func(*hyp, int, string, *turnView, float64)) *hyp {
	if q < 0 {
		p := math.Exp(-lse)
		h.lp += -lse
		what := "follow_up"
		switch {
		case v.introCue && len(h.segs) == 0:
			what = "intro"
		case !v.asks:
			what = "not_a_question"
		case h.cur < 0:
			what = "no_match"
		}
		decide(h, i, what, v, p)
		return h
	}
	h.lp += scores[q] - lse
	p := math.Exp(scores[q] - lse)
	s := seg{q: q, asked: i, match: v.score[q]}
	if j := h.byQ[q]; j >= 0 {
		// Asked before: this ask gets the answer (the candidate deferred
		// it, or the first ask was only announced).
		h.segs[j] = s
		h.cur = j
		decide(h, i, "deferred_repeat", v, p)
	} else {
		h.segs = append(h.segs, s)
		h.cur = len(h.segs) - 1
		h.byQ[q] = h.cur
		decide(h, i, "new", v, p)
	}
	h.closed = false
	return h
}

// prune keeps the width most probable hypotheses, one per key; ties
// keep the earlier (going on is expanded first, then questions in guide
// order), so decoding is deterministic.
func prune(hs []*hyp, width int) []*hyp {
	sort.SliceStable(hs, func(a, b int) bool { return hs[a].lp > hs[b].lp })
	seen := map[string]bool{}
	out := hs[:0]
	for _, h := range hs {
		k := h.key()
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, h)
		if len(out) == width {
			break
		}
	}
	return out
}
