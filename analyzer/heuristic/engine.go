// Package heuristic is Candor's embedded engine: it analyzes an answer
// offline, with no key and no server, in well under a millisecond, from
// concept cues, WordNet-derived word knowledge and sentence roles.
//
// It is deterministic: the same question and answer always give the same
// analysis.
package heuristic

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/injection"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/semantic"
	"github.com/candorhq/candor/analyzer/spoken"
)

// Version changes whenever the engine's rules change, so caches keyed on
// EngineInfo drop stale results.
const Version = "h2.25"

// ShortAnswerWords is the length under which an answer is flagged as very
// short (analyzer.ShortAnswerWords).
const ShortAnswerWords = analyzer.ShortAnswerWords

// Engine is the embedded engine. The zero value is not usable; call New.
type Engine struct {
	areas     cache // area text -> areaInfo
	questions cache // question text, areas and follow-ups -> *qSem
	wholes    cache // question text and areas -> *semantic.Text
	// protos are prototypes of the engine's own (NewWithPrototypes),
	// protoID a hash of them.
	protos  *Prototypes
	protoID string
}

// New returns the embedded engine.
func New() *Engine { return &Engine{} }

// Info implements analyzer.Engine.
func (e *Engine) Info() analyzer.EngineInfo {
	v := Version
	if e.protoID != "" {
		v += "+prototypes." + e.protoID
	}
	return analyzer.EngineInfo{Name: analyzer.EngineHeuristic, Model: "candor-embedded", PromptVersion: v}
}

// area reads an area's text, with the kind its guide states ("" for
// none).
func (e *Engine) area(text, kind string) areaInfo {
	return e.areas.get(kind+"\x00"+text, func() any { return readStatedArea(text, kind) }).(areaInfo)
}

// cache memoises what the engine derives from guide text (areas, questions,
// follow-ups). Guides are few, but an API server also sees inline guides, so
// the cache stops growing at cacheMax entries and computes anew past that.
type cache struct {
	once sync.Once
	m    *nlp.BoundedMap[string, any]
}

const cacheMax = 20_000

func (c *cache) get(key string, make func() any) any {
	c.once.Do(func() { c.m = nlp.NewBoundedMap[string, any](cacheMax) })
	if v, ok := c.m.Get(key); ok {
		return v
	}
	v := make()
	c.m.Put(key, v)
	return v
}

// Analyze implements analyzer.Engine.
func (e *Engine) Analyze(ctx context.Context, q analyzer.Question, answer string) (analyzer.AnswerAnalysis, error) {
	if err := ctx.Err(); err != nil {
		return analyzer.AnswerAnalysis{}, err
	}
	if !nlp.HasWord(answer) {
		return analyzer.AnswerAnalysis{}, fmt.Errorf("question %s: %w", q.ID, analyzer.ErrEmptyAnswer)
	}
	found, doc, af := readAnswer(answer)
	qs := e.questionSem(q)
	del, st := e.delivery(af, qs)
	taf, tst := st.told(af)
	del.Episode, del.Details = episode(taf, &tst.tl, answer)
	del.Reasons = deliveryReasons(tst, del.Details)
	cov, decs, as := e.coverage(q, qs, af, st, nil, true, false, 0)
	res := analyzer.AnswerAnalysis{
		QuestionID: q.ID,
		Question:   q.Text,
		Text:       answer,
		Coverage:   cov,
		Delivery:   del,
		Engine:     analyzer.EngineHeuristic,
		Words:      len(doc.Tokens),
	}
	var ext analyzer.Question
	var extCov analyzer.Coverage
	res.Delivery.Depth, ext, extCov = e.depth(q, af, st, as)
	res.FollowUps = e.followUps(q, as.qs, cov, ext, extCov)
	for _, f := range found {
		s := f.Span(answer)
		res.Warnings = append(res.Warnings, analyzer.Warning{Code: analyzer.WarnPromptInjection, QuestionID: q.ID,
			Message: "the answer contains text that tries to instruct an automated reviewer; it was ignored and kept out of the evidence",
			Span:    &s})
	}
	if res.Words == 0 {
		// Only marks of speech ("er", "um"), read as blanks: the answer
		// has the words said, none of which the analysis could read.
		res.Words = nlp.Words(answer)
	}
	if res.Words < ShortAnswerWords {
		res.Warnings = append(res.Warnings, analyzer.Warning{Code: analyzer.WarnShortAnswer, QuestionID: q.ID,
			Message: fmt.Sprintf("the answer has %s; a follow-up may draw out more", wordCount(res.Words))})
	}
	if len(found) > 0 {
		res.Words = nlp.Words(answer) // what was said, flagged words included
	}
	if e.offQuestion(q, analyzer.QuestionsFrom(ctx), af, decs, as) {
		res.Warnings = append(res.Warnings, analyzer.Warning{Code: analyzer.WarnOffQuestion, QuestionID: q.ID,
			Message: "the answer shares little with the question and its areas; it may answer a different question"})
	}
	// Nothing of the analysis refers to the matrix, the pair stats, the
	// parsed answer (its quotes are pieces of the answer's text) or the
	// answer's workspace.
	as.sims.release()
	as.stats.release()
	if st.untensed != nil {
		st.untensed.af.releaseWorkspace()
	}
	af.release()
	return res, nil
}

// wordCount says n words: "1 word", "12 words".
func wordCount(n int) string {
	if n == 1 {
		return "1 word"
	}
	return fmt.Sprintf("%d words", n)
}

// OffQuestionFeatures names the off-question model's features in order.
var OffQuestionFeatures = []string{
	"question_answer",  // pair probability of the question against the whole answer
	"question_unit",    // ... against the answer's best unit
	"area_unit_mean",   // mean over areas of the best unit's pair probability
	"area_unit_top",    // the highest of those
	"area_answer_mean", // mean over areas of the whole answer's pair probability
	"addressed_mean",   // mean over areas of P(partial or covered)
	"answer_words",     // log(1 + words of the answer)
	"guide_cosine",     // cosine of the answer with the question and its areas, as one text
	"guide_recall",     // Recall(question and areas, answer)
	"answer_recall",    // Recall(answer, question and areas): how much of the answer is the question's
	// Against the guide's other questions (0 when the guide has one):
	"closer_others", // share of the other questions whose text is closer to the answer (cosine)
	"margin_others", // guide_cosine minus the best cosine with another question
}

// offQuestion reports an answer that is about something other than its
// question, by the off-question model at its held-out cut-off, unless the
// training command withheld the warning.
func (e *Engine) offQuestion(q analyzer.Question, others []analyzer.Question, af *answerFeat, decs []areaDecision, as *answerSem) bool {
	w := e.mustWeights()
	if !w.offQuestionLive() || len(decs) == 0 {
		return false // the vector is not worth computing
	}
	return raisesOffQuestion(w, w.OffQuestion.Prob(e.offQuestionVector(q, others, af, decs, as)))
}

// offQuestionLive reports an off-question model that is there and not
// withheld (Weights.OffQuestionWithheld).
func (w *Weights) offQuestionLive() bool { return w.OffQuestion != nil && !w.OffQuestionWithheld }

// raisesOffQuestion reports whether an answer whose off-question
// probability is p draws the warning under w: a live model, and p at its
// cut or above.
func raisesOffQuestion(w *Weights, p float64) bool {
	return w.offQuestionLive() && p >= w.OffQuestionCut
}

func (e *Engine) offQuestionVector(q analyzer.Question, others []analyzer.Question, af *answerFeat, decs []areaDecision, as *answerSem) []float64 {
	w := e.mustWeights()
	qs := as.qs // q's
	buf := pairAlone(&qs.question, as.whole(), as.sims, nil)
	qa := w.Pair.Prob(buf)
	qu := 0.0
	for ui := range as.units {
		if as.units[ui].Empty() {
			continue
		}
		buf = pairAlone(&qs.question, as.unit(ui), as.sims, buf)
		qu = max(qu, w.Pair.Prob(buf))
	}
	var mean, top, ans, addr float64
	for _, d := range decs {
		m := 0.0
		for _, p := range d.pair {
			m = max(m, p)
		}
		mean += m
		top = max(top, m)
		ans += d.pAnswer
		addr += d.pAddressed
	}
	n := float64(len(decs))
	own := semantic.Cosine(&qs.whole, &as.all)
	closer, margin, m := 0.0, 0.0, 0
	bestOther := -1.0
	for i := range others {
		o := &others[i]
		if o.ID == q.ID && o.Text == q.Text {
			continue
		}
		c := semantic.Cosine(e.wholeText(*o), &as.all)
		if c > own {
			closer++
		}
		bestOther = max(bestOther, c)
		m++
	}
	if m > 0 {
		closer /= float64(m)
		margin = own - bestOther
	}
	guideRecall, answerRecall := wholeRecalls(qs, as)
	return []float64{qa, qu, mean / n, top, ans / n, addr / n, math.Log1p(float64(af.words)),
		own, guideRecall, answerRecall, closer, margin}
}

// wholeRecalls is semantic.Recall of the question and its areas as one
// text against the whole answer, and the other way round, read from the
// similarity matrix (without Recall's stop at a similarity of 1: every pair
// counts). A word's best match is a maximum, the same over a word's
// repetitions, so it is found once per distinct word of either side (the
// answer's vocabulary is its words; the question's are qs.wholeSet) and
// the weighted sums then run over the words in order.
func wholeRecalls(qs *qSem, as *answerSem) (guide, answer float64) {
	if len(qs.whole.Words) == 0 || len(as.all.Words) == 0 {
		return 0, 0
	}
	m := as.sims
	na, nb := len(m.a.words), len(m.b.words)
	// Maxima of float32 bits, as in pairStats.of.
	bestQ := make([]uint32, na) // by the question's vocabulary
	bestA := make([]uint32, nb) // by the answer's
	for j := range nb {
		row := m.bits[j*na : (j+1)*na]
		for _, x := range qs.wholeSet {
			v := row[x]
			bestQ[x] = max(bestQ[x], v)
			bestA[j] = max(bestA[j], v)
		}
	}
	recall := func(words []semantic.Word, idx []int32, best []uint32) float64 {
		total, wsum := float32(0), float32(0)
		for i := range words {
			total += math.Float32frombits(best[idx[i]]) * words[i].Weight
			wsum += words[i].Weight
		}
		if wsum == 0 {
			return 0
		}
		return float64(total / wsum)
	}
	return recall(qs.whole.Words, qs.wholeIdx, bestQ), recall(as.all.Words, as.allIdx, bestA)
}

// readAnswer finds the text that tries to instruct the rater, masks it
// (offsets unchanged, so it counts for nothing), parses the answer and
// computes its unit features: the first step of Analyze and Trace alike.
func readAnswer(answer string) ([]injection.Finding, *nlp.Doc, *answerFeat) {
	found := injection.Detect(answer)
	// The marks of speech (fillers, stutters, false starts, "(laughs)")
	// are read as blanks: byte offsets stay, so quotes come from the
	// answer as given, and "um" or "the the" count for nothing.
	masked := injection.Mask(answer, found)
	doc := nlp.Parse(spoken.Blank(masked))
	doc.Text = masked // the same offsets: spans quote the words as said
	inj := make([]byteRange, len(found))
	for i, f := range found {
		inj[i] = byteRange{f.ByteStart, f.ByteEnd}
	}
	return found, doc, analyzeFeatures(doc, inj, newWorkspace(), false)
}
