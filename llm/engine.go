// Package llm is Candor's LLM engine: it judges an answer with a chat model
// behind an OpenAI-compatible API (OpenAI, Azure OpenAI, Ollama, vLLM,
// llama.cpp's server) while keeping the embedded engine's guarantees.
//
// One call per answer judges all its areas and its delivery. Every quote the
// model gives must be found in the answer, or it is dropped and its area
// downgraded; text flagged as prompt injection can never be evidence; and an
// answer whose calls fail falls back to the embedded engine with a warning,
// so a flaky server degrades a report instead of failing it.
package llm

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	openai "github.com/sashabaranov/go-openai"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/injection"
	"github.com/candorhq/candor/prompts"
)

// maxAreas is the most areas per question the reply schema allows.
const maxAreas = 16

// Engine is an analyzer.Engine backed by a chat model. It is safe for
// concurrent use.
type Engine struct {
	cfg       Config
	client    *openai.Client
	schema    *jsonschema.Schema
	redactor  redactor
	sem       chan struct{}
	formats   *formatMemory
	serverKey string
	info      analyzer.EngineInfo
}

var _ analyzer.Engine = (*Engine)(nil)

// New returns an engine for cfg. It returns an error wrapping
// ErrInvalidConfig when a required field is missing or a value is out of
// range; it makes no network call.
func New(cfg Config) (*Engine, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var cc openai.ClientConfig
	if cfg.APIType == APIAzure {
		cc = openai.DefaultAzureConfig(cfg.APIKey, cfg.BaseURL)
		cc.APIVersion = cfg.APIVersion
		// The deployment is named by Model as given: go-openai's default
		// mapper strips "." and ":", which deployment names may contain.
		cc.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		cc = openai.DefaultConfig(cfg.APIKey)
		cc.BaseURL = cfg.BaseURL
	}
	cc.HTTPClient = headerDoer{client: cfg.HTTPClient, now: time.Now}
	sch, err := compileReplySchema()
	if err != nil {
		return nil, fmt.Errorf("compile reply schema: %w", err)
	}
	e := &Engine{
		cfg:       cfg,
		client:    openai.NewClientWithConfig(cc),
		schema:    sch,
		redactor:  newRedactor(cfg.Redact, cfg.RedactNames),
		sem:       make(chan struct{}, cfg.Concurrency),
		formats:   &formatMemory{},
		serverKey: cfg.BaseURL + "\x00" + cfg.Model,
	}
	e.info = analyzer.EngineInfo{
		Name:          cfg.Mode,
		Model:         cfg.Model,
		PromptVersion: prompts.Version(),
		Options: fmt.Sprintf("mode=%s,temperature=0,seed=%d,samples=%d,max_tokens=%d,redact=%s,injection=withheld",
			cfg.Mode, cfg.Seed, cfg.Samples, cfg.MaxTokens, e.redactor.options()),
	}
	return e, nil
}

// Info names the engine (llm or hybrid), its model, prompt version and the
// options that change its results.
func (e *Engine) Info() analyzer.EngineInfo { return e.info }

// Analyze judges one answer. It returns analyzer.ErrEmptyAnswer for an answer
// without words and the context's error when ctx is done. When the model
// cannot be used it returns the Fallback engine's analysis with an
// analyzer.WarnLLMFallback warning, not an error; it returns an error only
// if the Fallback engine fails too.
func (e *Engine) Analyze(ctx context.Context, q analyzer.Question, answer string) (analyzer.AnswerAnalysis, error) {
	if len(strings.Fields(answer)) == 0 {
		return analyzer.AnswerAnalysis{}, analyzer.ErrEmptyAnswer
	}
	if err := ctx.Err(); err != nil {
		return analyzer.AnswerAnalysis{}, err
	}
	var base *analyzer.AnswerAnalysis
	if e.cfg.Mode == analyzer.EngineHybrid {
		b, err := e.cfg.Fallback.Analyze(ctx, q, answer)
		if err != nil {
			return analyzer.AnswerAnalysis{}, err
		}
		base = &b
	}
	// The same detector as the embedded engine's: flagged text never
	// serves as evidence, and the model does not see it.
	injected := injection.Spans(answer)
	if n := len(q.Areas); n == 0 || n > maxAreas || len(q.Depth) > maxAreas {
		// The reply schema judges 1..maxAreas areas; more would be
		// rejected by every strict server, so do not spend a call.
		return e.fallback(ctx, q, answer, base, injected, analyzer.Usage{}, &callError{class: "areas"})
	}
	v := e.redactor.view(answer, injected)
	in := prompts.Input{Question: q.Text, Areas: q.Areas, FollowUps: q.FollowUps, Depth: depthTexts(q.Depth), Answer: v.sent}
	if base != nil {
		in.Hints = hints(base, v, injected)
	}
	render := func(f format) (prompts.Messages, error) {
		in := in
		in.SchemaInPrompt = f != formatJSONSchema
		return prompts.Render(in)
	}

	outs := make([]outcome, e.cfg.Samples)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() {
			outs[i] = e.complete(ctx, q.ID, render, e.cfg.Seed+i, len(q.Areas), len(q.Depth))
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return analyzer.AnswerAnalysis{}, err
	}

	var usage analyzer.Usage
	var ok []reply
	var cause error
	for _, o := range outs {
		usage.Add(o.usage)
		if o.err != nil {
			cause = o.err
			continue
		}
		ok = append(ok, o.reply)
	}
	if len(ok) == 0 {
		return e.fallback(ctx, q, answer, base, injected, usage, cause)
	}
	a := e.combine(q, answer, newGrounder(v, injected), ok, base)
	a.Usage = &usage
	a.Warnings = injectionWarning(a.Warnings, injected)
	return a, nil
}

// fallback returns the embedded engine's analysis (already made in hybrid
// mode) with a warning saying why the model's was not used.
func (e *Engine) fallback(ctx context.Context, q analyzer.Question, answer string, base *analyzer.AnswerAnalysis, injected []analyzer.Span, usage analyzer.Usage, cause error) (analyzer.AnswerAnalysis, error) {
	e.cfg.Logger.Warn("llm: falling back to the embedded engine", "question_id", q.ID, "cause", cause)
	var a analyzer.AnswerAnalysis
	if base != nil {
		a = *base
	} else {
		var err error
		if a, err = e.cfg.Fallback.Analyze(ctx, q, answer); err != nil {
			return analyzer.AnswerAnalysis{}, fmt.Errorf("llm fallback: %w", err)
		}
	}
	if a.Engine == "" {
		a.Engine = e.cfg.Fallback.Info().Name
	}
	a.Warnings = append(append([]analyzer.Warning(nil), a.Warnings...),
		analyzer.Warning{Code: analyzer.WarnLLMFallback, Message: failureMessage(cause)})
	a.Warnings = injectionWarning(a.Warnings, injected)
	a.Usage = &usage
	return a, nil
}

// injectionWarning adds the prompt-injection warning once.
func injectionWarning(ws []analyzer.Warning, injected []analyzer.Span) []analyzer.Warning {
	if len(injected) == 0 {
		return ws
	}
	for _, w := range ws {
		if w.Code == analyzer.WarnPromptInjection {
			return ws
		}
	}
	sp := injected[0]
	return append(ws, analyzer.Warning{
		Code:    analyzer.WarnPromptInjection,
		Message: "the answer contains text that reads as instructions to the analyzer; it was treated as data and is not used as evidence",
		Span:    &sp,
	})
}

// hints condenses the embedded analysis for the prompt: statuses, up to two
// short candidate quotes per area and four signals, leaving out any text
// that was redacted or flagged as injected (hints sit outside the answer's
// delimiters).
func hints(base *analyzer.AnswerAnalysis, v *view, injected []analyzer.Span) *prompts.Hints {
	usable := func(s analyzer.Span) bool {
		if s.End-s.Start > 100 || s.Start < 0 || s.End > len(v.orig) || !v.clean(s.Start, s.End) ||
			len(prompts.DelimiterIndexes(s.Quote)) > 0 {
			return false
		}
		for _, b := range injected {
			if s.Start < b.End && b.Start < s.End {
				return false
			}
		}
		return true
	}
	h := &prompts.Hints{Label: base.Delivery.Label, Specificity: base.Delivery.Specificity}
	for i, ar := range base.Coverage.Areas {
		ah := prompts.AreaHint{Index: i + 1, Status: ar.Status}
		for _, ev := range ar.Evidence {
			if len(ah.Quotes) < 2 && usable(ev) {
				ah.Quotes = append(ah.Quotes, ev.Quote)
			}
		}
		h.Areas = append(h.Areas, ah)
	}
	for _, s := range base.Delivery.Signals {
		if len(h.Signals) < 4 && usable(s.Span) {
			h.Signals = append(h.Signals, fmt.Sprintf("%s %q", s.Kind, s.Quote))
		}
	}
	return h
}

// judged is one sample's reply after grounding.
type judged struct {
	offQuestion bool // the sample says the answer is not about its question
	status      []string
	confidence  []float64
	evidence    [][]analyzer.Span
	delivery    analyzer.Delivery
	followUps   []string
}

// ground checks one reply's quotes against the answer: an unfound quote is
// dropped and its area goes down a step (covered -> partial -> missing); a
// covered area left without evidence is partial. Signals are grounded too.
// The reply's depth verdicts (the prompt asks for them as areas: covered,
// partial, missing) are grounded as areas n+1, n+2 ..., held to the same
// rules; combine maps covered to present and missing to absent.
func ground(g *grounder, r reply, n, nDepth int, gr *analyzer.Grounding) judged {
	j := judged{
		offQuestion: r.AnswersTheQuestion != nil && !*r.AnswersTheQuestion,
		status:      make([]string, n+nDepth),
		confidence:  make([]float64, n+nDepth),
		evidence:    make([][]analyzer.Span, n+nDepth),
	}
	all := append([]replyArea(nil), r.Areas...)
	for _, d := range r.Depth {
		d.Index += n
		all = append(all, d)
	}
	for _, ra := range all {
		i := ra.Index - 1
		status, ev, dropped := ra.Status, []analyzer.Span{}, false
		for _, q := range ra.Quotes {
			gr.Quotes++
			sp, ok := g.find(q)
			if !ok {
				dropped = true
				continue
			}
			gr.Found++
			if !containsSpan(ev, sp) {
				ev = append(ev, sp)
			}
		}
		conf := ra.Confidence
		if dropped {
			status = downgrade(status)
			conf = math.Min(conf, 0.5)
		}
		if status == analyzer.StatusCovered && len(ev) == 0 {
			status = analyzer.StatusPartial
			conf = math.Min(conf, 0.5)
		}
		if status == analyzer.StatusMissing {
			ev = []analyzer.Span{}
		}
		j.status[i], j.confidence[i], j.evidence[i] = status, conf, ev
	}
	for i := n; i < n+nDepth; i++ {
		if j.status[i] == "" { // a sample that judged no depth signal
			j.status[i], j.evidence[i] = analyzer.StatusMissing, []analyzer.Span{}
		}
	}
	d := r.Delivery
	j.delivery = analyzer.Delivery{
		Label:       d.Label,
		Specificity: d.Specificity,
		STAR:        analyzer.STAR{Situation: d.STAR.Situation, Task: d.STAR.Task, Action: d.STAR.Action, Result: d.STAR.Result},
		Signals:     []analyzer.Signal{},
	}
	for _, s := range d.Signals {
		gr.Quotes++
		sp, ok := g.find(s.Quote)
		if !ok {
			continue
		}
		gr.Found++
		j.delivery.Signals = append(j.delivery.Signals, analyzer.Signal{Span: sp, Kind: s.Kind, Polarity: s.Polarity})
	}
	j.followUps = r.FollowUps
	return j
}

// judgedDepth: some sample judged the depth signals. Samples that did not
// count as missing for each (the conservative reading) when others did.
func judgedDepth(replies []reply) bool {
	for _, r := range replies {
		if len(r.Depth) > 0 {
			return true
		}
	}
	return false
}

func depthTexts(ds []analyzer.DepthSignal) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Text
	}
	return out
}

func downgrade(status string) string {
	switch status {
	case analyzer.StatusCovered:
		return analyzer.StatusPartial
	default:
		return analyzer.StatusMissing
	}
}

func containsSpan(ss []analyzer.Span, s analyzer.Span) bool {
	for _, x := range ss {
		if x.Start == s.Start && x.End == s.End {
			return true
		}
	}
	return false
}

// offQuestion reports an answer that most samples say is not about its
// question. A tie reads it as on the question: a false "answers another
// question" costs the candidate more than a miss costs the interviewer.
func offQuestion(js []judged) bool {
	off := 0
	for _, j := range js {
		if j.offQuestion {
			off++
		}
	}
	return 2*off > len(js)
}

// statusRank orders statuses from the most conservative; ties between
// samples go to the more conservative verdict.
var statusRank = map[string]int{analyzer.StatusMissing: 0, analyzer.StatusPartial: 1, analyzer.StatusCovered: 2}

// combine grounds every sample and merges them: status per area and label by
// majority, specificity by median, STAR elements by majority, evidence and
// signals from the samples that agree with the majority.
func (e *Engine) combine(q analyzer.Question, answer string, g *grounder, replies []reply, base *analyzer.AnswerAnalysis) analyzer.AnswerAnalysis {
	n := len(q.Areas)
	var gr analyzer.Grounding
	js := make([]judged, len(replies))
	for i, r := range replies {
		js[i] = ground(g, r, n, len(q.Depth), &gr)
	}
	a := analyzer.AnswerAnalysis{
		QuestionID: q.ID,
		Question:   q.Text,
		Text:       answer,
		Engine:     e.cfg.Mode,
		Words:      len(strings.Fields(answer)),
		Grounding:  &gr,
		Coverage:   analyzer.Coverage{Areas: make([]analyzer.AreaResult, n)},
	}
	for i, text := range q.Areas {
		ar := analyzer.AreaResult{Index: i + 1, Text: text}
		ar.Status, ar.Confidence, ar.Agreement, ar.Evidence = merge(js, i)
		status := ar.Status
		if base != nil && i < len(base.Coverage.Areas) {
			ar.Kind = base.Coverage.Areas[i].Kind
			if hs := base.Coverage.Areas[i].Status; hs != status {
				ar.HeuristicStatus = hs
			}
		}
		a.Coverage.Areas[i] = ar
	}
	a.Coverage.Score = analyzer.CoverageScore(a.Coverage.Areas)
	a.Delivery = mergeDelivery(js)
	for k, d := range q.Depth {
		if !judgedDepth(replies) {
			break // no sample judged the depth signals: none reported
		}
		status, conf, _, ev := merge(js, n+k)
		st := analyzer.DepthStatus(status)
		a.Delivery.Depth = append(a.Delivery.Depth, analyzer.DepthResult{ID: d.ID, Text: d.Text, Status: st,
			Present: st == analyzer.DepthPresent, Confidence: conf, Evidence: ev})
	}
	a.FollowUps = followUps(q, a.Coverage.Areas, a.Delivery.Depth, js)
	if offQuestion(js) {
		a.Warnings = append(a.Warnings, analyzer.Warning{Code: analyzer.WarnOffQuestion, QuestionID: q.ID,
			Message: "the model read the answer as not about its question; it may answer a different question"})
	}
	if base != nil {
		// The told episode and its details are the embedded engine's rule
		// (the model is not asked for them).
		a.Delivery.Episode, a.Delivery.Details = base.Delivery.Episode, base.Delivery.Details
		a.Words = base.Words
		for _, w := range base.Warnings {
			// The model's own verdict decides whether the answer is off
			// its question.
			if w.Code != analyzer.WarnPromptInjection && w.Code != analyzer.WarnOffQuestion {
				a.Warnings = append(a.Warnings, w)
			}
		}
	}
	return a
}

// merge gives verdict i (an area, or a depth signal past the areas) by
// majority over the samples, ties to the more conservative status; the
// confidence is the mean of the samples that agree, the evidence theirs (at
// most 3 quotes), the agreement the share that agrees (with several samples).
func merge(js []judged, i int) (status string, conf, agreement float64, ev []analyzer.Span) {
	counts := map[string]int{}
	for _, j := range js {
		counts[j.status[i]]++
	}
	status = analyzer.StatusMissing
	for s, c := range counts {
		if c > counts[status] || (c == counts[status] && statusRank[s] < statusRank[status]) {
			status = s
		}
	}
	ev = []analyzer.Span{}
	for _, j := range js {
		if j.status[i] != status {
			continue
		}
		conf += j.confidence[i]
		for _, sp := range j.evidence[i] {
			if len(ev) < 3 && !containsSpan(ev, sp) {
				ev = append(ev, sp)
			}
		}
	}
	conf = analyzer.Round3(conf / float64(counts[status]))
	if len(js) > 1 {
		agreement = analyzer.Round3(float64(counts[status]) / float64(len(js)))
	}
	return status, conf, agreement, ev
}

func mergeDelivery(js []judged) analyzer.Delivery {
	labels := map[string]int{}
	specs := make([]int, len(js))
	var star [4]int
	for i, j := range js {
		labels[j.delivery.Label]++
		specs[i] = j.delivery.Specificity
		for k, b := range []bool{j.delivery.STAR.Situation, j.delivery.STAR.Task, j.delivery.STAR.Action, j.delivery.STAR.Result} {
			if b {
				star[k]++
			}
		}
	}
	// A tie between labels is itself a mixed reading.
	label, best, tie := analyzer.LabelMixed, 0, false
	for _, l := range []string{analyzer.LabelSpecific, analyzer.LabelMixed, analyzer.LabelRehearsed} {
		switch c := labels[l]; {
		case c > best:
			label, best, tie = l, c, false
		case c == best && c > 0:
			tie = true
		}
	}
	if tie {
		label = analyzer.LabelMixed
	}
	sort.Ints(specs)
	m := len(specs) / 2
	spec := specs[m]
	if len(specs)%2 == 0 {
		spec = int(math.Round(float64(specs[m-1]+specs[m]) / 2))
	}
	half := len(js) / 2
	d := analyzer.Delivery{
		Label:       label,
		Specificity: spec,
		STAR:        analyzer.STAR{Situation: star[0] > half, Task: star[1] > half, Action: star[2] > half, Result: star[3] > half},
		Signals:     []analyzer.Signal{},
	}
	for _, j := range js {
		if j.delivery.Label != label && !tie {
			continue
		}
		for _, s := range j.delivery.Signals {
			if len(d.Signals) < 6 && !containsSignal(d.Signals, s) {
				d.Signals = append(d.Signals, s)
			}
		}
	}
	return d
}

func containsSignal(ss []analyzer.Signal, s analyzer.Signal) bool {
	for _, x := range ss {
		if x.Start == s.Start && x.End == s.End && x.Kind == s.Kind {
			return true
		}
	}
	return false
}

// followUps keeps the model's follow-ups only while some area is missing or
// partial or some depth signal absent, prefers the guide's wording when the
// model copied one, and falls back to the guide's follow-ups (or one per
// open area, then per absent signal) when the model gave none.
func followUps(q analyzer.Question, areas []analyzer.AreaResult, depth []analyzer.DepthResult, js []judged) []string {
	var open []string
	for _, ar := range areas {
		if ar.Status != analyzer.StatusCovered {
			open = append(open, ar.Text)
		}
	}
	for _, d := range depth {
		if d.Status == analyzer.DepthAbsent {
			open = append(open, d.Text)
		}
	}
	out := []string{}
	if len(open) == 0 {
		return out
	}
	guide := map[string]string{}
	for _, f := range q.FollowUps {
		guide[normKey(f)] = f
	}
	seen := map[string]bool{}
	add := func(f string) {
		f = strings.Join(strings.Fields(f), " ")
		if g, ok := guide[normKey(f)]; ok {
			f = g
		}
		if k := normKey(f); f != "" && !seen[k] && len(out) < analyzer.MaxFollowUps {
			seen[k] = true
			out = append(out, f)
		}
	}
	for _, j := range js {
		for _, f := range j.followUps {
			add(f)
		}
	}
	if len(out) == 0 {
		for _, f := range q.FollowUps {
			add(f)
		}
	}
	if len(out) == 0 {
		for _, t := range open {
			add("Could you say more about this: " + strings.TrimRight(t, ".?! ") + "?")
		}
	}
	return out
}

func normKey(s string) string {
	n, _ := normalize(s)
	return strings.TrimRight(n, ".?! ")
}
