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
	"strings"
	"sync"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/injection"
	"github.com/candorhq/candor/analyzer/nlp"
)

// Version changes whenever the engine's rules change, so caches keyed on
// EngineInfo drop stale results.
const Version = "h1.1"

// ShortAnswerWords is the length under which an answer is flagged as very
// short.
const ShortAnswerWords = 40

// Engine is the embedded engine. The zero value is not usable; call New.
type Engine struct {
	areas         cache // area text -> areaInfo
	questions     cache // question text and areas -> *questionTopics
	followUpUnits cache // follow-up text -> *unitFeat
	// trace, when set (tests only), sees every area's raw score.
	trace func(area int, x []float64, kind string)
}

// New returns the embedded engine.
func New() *Engine { return &Engine{} }

// Info implements analyzer.Engine.
func (e *Engine) Info() analyzer.EngineInfo {
	return analyzer.EngineInfo{Name: "heuristic", Model: "candor-embedded", PromptVersion: Version}
}

func (e *Engine) area(text string) areaInfo {
	return e.areas.get(text, func() any { return readArea(text) }).(areaInfo)
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
	if strings.TrimSpace(answer) == "" || nlp.Words(answer) == 0 {
		return analyzer.AnswerAnalysis{}, fmt.Errorf("question %s: %w", q.ID, analyzer.ErrEmptyAnswer)
	}
	// Text flagged as injection is masked before the engine reads the
	// answer (offsets unchanged), so it counts for nothing.
	found := injection.Detect(answer)
	doc := nlp.Parse(injection.Mask(answer, found))
	inj := make([]byteRange, len(found))
	for i, f := range found {
		inj[i] = byteRange{f.ByteStart, f.ByteEnd}
	}
	af := analyzeFeatures(doc, inj)
	del, st := e.delivery(af)
	cov := e.coverage(q, af, st)
	res := analyzer.AnswerAnalysis{
		QuestionID: q.ID,
		Question:   q.Text,
		Text:       answer,
		Coverage:   cov,
		Delivery:   del,
		Engine:     "heuristic",
		Words:      len(doc.Tokens),
	}
	res.FollowUps = e.followUps(q, cov)
	for _, f := range found {
		s := f.Span(answer)
		res.Warnings = append(res.Warnings, analyzer.Warning{Code: analyzer.WarnPromptInjection, QuestionID: q.ID,
			Message: "the answer contains text that tries to instruct an automated reviewer; it was ignored and kept out of the evidence",
			Span:    &s})
	}
	if res.Words < ShortAnswerWords {
		res.Warnings = append(res.Warnings, analyzer.Warning{Code: analyzer.WarnShortAnswer, QuestionID: q.ID,
			Message: fmt.Sprintf("the answer has %d words; a follow-up may draw out more", res.Words)})
	}
	if len(found) > 0 {
		res.Words = nlp.Words(answer) // what was said, flagged words included
	}
	if e.offQuestion(q, af, cov) {
		res.Warnings = append(res.Warnings, analyzer.Warning{Code: analyzer.WarnOffQuestion, QuestionID: q.ID,
			Message: "the answer shares little with the question and its areas; it may answer a different question"})
	}
	return res, nil
}

// offQuestion reports an answer that covers nothing of its question and
// shares almost no topic with it.
func (e *Engine) offQuestion(q analyzer.Question, af *answerFeat, cov analyzer.Coverage) bool {
	if af.words < ShortAnswerWords {
		return false
	}
	partial := 0
	for _, a := range cov.Areas {
		switch a.Status {
		case analyzer.StatusCovered:
			return false
		case analyzer.StatusPartial:
			partial++
		}
	}
	if 2*partial > len(cov.Areas) {
		return false // it touches most of what the question asks
	}
	qa := e.area(q.Text)
	simCache := map[[2]string]float64{}
	best := 0.0
	for i := range af.units {
		best = max(best, e.unitTopic(&qa, &af.units[i], simCache))
	}
	return best < 0.35
}
