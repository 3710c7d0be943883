package evaluation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/interview"
)

// Options tune an evaluation. The zero value gives the defaults.
type Options struct {
	// Concurrency is how many answers and transcripts are analyzed at
	// once (default GOMAXPROCS).
	Concurrency int
	// Bootstrap is the number of resamples for the 95% intervals
	// (default DefaultBootstrap; negative: no intervals).
	Bootstrap int
	// Seed seeds the bootstrap (default BootstrapSeed), so that a run's
	// intervals are the same every time.
	Seed uint64
	// Progress, when set, is called after each answer or transcript.
	Progress func(done, total int)
	// Prices estimates the cost of model calls (default DefaultPrices).
	Prices Prices
}

func (o Options) withDefaults() Options {
	if o.Concurrency <= 0 {
		o.Concurrency = runtime.GOMAXPROCS(0)
	}
	if o.Bootstrap == 0 {
		o.Bootstrap = DefaultBootstrap
	}
	if o.Seed == 0 {
		o.Seed = BootstrapSeed
	}
	if o.Prices == nil {
		o.Prices = DefaultPrices()
	}
	return o
}

// Prediction is one labelled answer beside the engine's verdict on it. It
// holds no answer text: results are kept and shown without personal data.
type Prediction struct {
	ID         string `json:"id"`
	QuestionID string `json:"question_id"`
	// Transcript is the transcript the answer was found in (empty for the
	// answers file).
	Transcript string `json:"transcript,omitempty"`
	// GoldLabel and Label are the delivery labels (gold, engine).
	GoldLabel string `json:"gold_label,omitempty"`
	Label     string `json:"label"`
	// GoldSpecificity is nil when not labelled.
	GoldSpecificity *int `json:"gold_specificity,omitempty"`
	Specificity     int  `json:"specificity"`
	// GoldAreas and Areas are statuses by area (index 0 is area 1); a
	// gold status is "" where the area is not labelled.
	GoldAreas  []string  `json:"gold_areas,omitempty"`
	Areas      []string  `json:"areas"`
	Confidence []float64 `json:"confidence"`
	// Coverage is the engine's coverage score (0..1).
	Coverage float64        `json:"coverage"`
	GoldSTAR *analyzer.STAR `json:"gold_star,omitempty"`
	STAR     analyzer.STAR  `json:"star"`
	// EvidenceSpans and EvidenceHits count the engine's quotes for areas
	// with gold evidence and those that overlap a gold sentence;
	// GoldSentences and SentencesFound count the gold sentences and those
	// the engine quoted.
	EvidenceSpans int `json:"evidence_spans,omitempty"`
	EvidenceHits  int `json:"evidence_hits,omitempty"`
	// SureSpans and SureHits count the same over the quotes the engine
	// stands behind (not marked tentative).
	SureSpans      int `json:"evidence_sure_spans,omitempty"`
	SureHits       int `json:"evidence_sure_hits,omitempty"`
	GoldSentences  int `json:"gold_sentences,omitempty"`
	SentencesFound int `json:"sentences_found,omitempty"`
	// Engine is the engine that produced the analysis (an LLM run may fall
	// back to the embedded engine for some answers).
	Engine string `json:"engine,omitempty"`
	Cached bool   `json:"cached,omitempty"`
	// Group is the candidate's group fields (audits).
	Group map[string]string `json:"group,omitempty"`
	Tags  []string          `json:"tags,omitempty"`
}

// Failure is an answer or transcript the engine could not analyze.
type Failure struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Segmentation is question alignment on one transcript.
type Segmentation struct {
	Transcript string   `json:"transcript"`
	Gold       []string `json:"gold"`
	Found      []string `json:"found"`
	TP         int      `json:"tp"`
	FP         int      `json:"fp"`
	FN         int      `json:"fn"`
}

// run is what one engine produced over a set, before the figures.
type run struct {
	// units are the resampling units: one per answer of the answers
	// file, one per transcript; a unit's predictions are its labelled
	// answers.
	units []unit
	fails []Failure
	usage analyzer.Usage
	// cached counts answers served from the cache; fallbacks those an
	// LLM engine left to the embedded one.
	cached, fallbacks, analysed int
}

type unit struct {
	transcript bool
	preds      []Prediction
	seg        *Segmentation
}

// Evaluate runs eng over every answer and transcript of set against guide
// g and compares its verdicts with the labels. Answers to questions the
// guide lacks, area labels beyond a question's areas and transcripts that
// cannot be parsed are *analyzer.InputError values, reported before any
// answer is analyzed (so no model call is spent on a set that is wrong).
// An answer the engine fails on is counted in Failures and left out of the
// figures; a cancelled ctx stops the run with its error.
func Evaluate(ctx context.Context, eng analyzer.Engine, g *analyzer.Guide, set *Set, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	if err := Check(g, set); err != nil {
		return nil, err
	}
	r, err := execute(ctx, eng, g, set, opts)
	if err != nil {
		return nil, err
	}
	res := summarise(r, opts)
	res.Engine = eng.Info()
	res.Guide = analyzer.GuideRef{ID: g.ID, Title: g.Title, Version: g.Version}
	res.Set = set.Name
	res.Counts = set.Counts()
	res.Usage = r.usage
	res.Cached, res.Fallbacks, res.Analysed = r.cached, r.fallbacks, r.analysed
	if r.usage.Calls > 0 {
		res.Cost = opts.Prices.Cost(res.Engine.Model, r.usage)
	}
	res.annotate(g)
	return res, nil
}

// Check validates set against guide g: every question id is the guide's,
// every area label and evidence key names one of the question's areas, and
// every transcript parses.
func Check(g *analyzer.Guide, set *Set) error {
	check := func(it *Item, file string) error {
		q, ok := g.Question(it.QuestionID)
		if !ok {
			return &analyzer.InputError{File: file, Field: "question_id",
				Reason: fmt.Sprintf("%q is not a question of guide %q (is the set labelled against another guide?)", it.QuestionID, g.ID)}
		}
		for _, m := range []map[string]string{it.Areas} {
			for k := range m {
				if n, _ := strconv.Atoi(k); n > len(q.Areas) {
					return &analyzer.InputError{File: file, Field: "areas." + k,
						Reason: fmt.Sprintf("question %s of guide %q has %d areas", q.ID, g.ID, len(q.Areas))}
				}
			}
		}
		for k := range it.Evidence {
			if n, _ := strconv.Atoi(k); n > len(q.Areas) {
				return &analyzer.InputError{File: file, Field: "evidence." + k,
					Reason: fmt.Sprintf("question %s of guide %q has %d areas", q.ID, g.ID, len(q.Areas))}
			}
		}
		return nil
	}
	for i := range set.Answers {
		if err := check(&set.Answers[i], set.Answers[i].Source); err != nil {
			return err
		}
	}
	for _, t := range set.Transcripts {
		for i := range t.Gold.Segments {
			if err := check(&t.Gold.Segments[i], t.Name+GoldSuffix); err != nil {
				return err
			}
		}
		if _, _, err := interview.Parse(g, t.Name, []byte(t.Text), interview.Options{}); err != nil {
			return err
		}
	}
	return nil
}

// execute analyzes every answer and transcript.
func execute(ctx context.Context, eng analyzer.Engine, g *analyzer.Guide, set *Set, opts Options) (*run, error) {
	n := len(set.Answers) + len(set.Transcripts)
	units := make([]unit, n)
	fails := make([]*Failure, n)
	reports := make([][]analyzer.AnswerAnalysis, n)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	var done atomic.Int64
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			if i < len(set.Answers) {
				it := &set.Answers[i]
				rep, err := analyzeAnswer(ctx, eng, g, it)
				if err != nil {
					fails[i] = &Failure{ID: it.ID, Reason: err.Error()}
				} else {
					reports[i] = rep.Answers
					units[i] = unit{preds: []Prediction{predict(it, rep.Answers[0], it.Group, "")}}
				}
			} else {
				t := &set.Transcripts[i-len(set.Answers)]
				u, answers, err := analyzeTranscript(ctx, eng, g, t, opts)
				if err != nil {
					fails[i] = &Failure{ID: t.Name, Reason: err.Error()}
				} else {
					units[i], reports[i] = u, answers
				}
			}
			if opts.Progress != nil {
				opts.Progress(int(done.Add(1)), n)
			}
		}(i)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &run{}
	for i := range n {
		if fails[i] != nil {
			r.fails = append(r.fails, *fails[i])
			if i >= len(set.Answers) {
				// A transcript that failed found nothing: its gold
				// segments count as missed, as score.py counts them.
				t := set.Transcripts[i-len(set.Answers)]
				if t.Gold.Segments != nil {
					seg := &Segmentation{Transcript: t.Name, Gold: goldIDs(t.Gold.Segments), Found: []string{}, FN: len(t.Gold.Segments)}
					r.units = append(r.units, unit{transcript: true, seg: seg})
				}
			}
			continue
		}
		for _, a := range reports[i] {
			r.analysed++
			if a.Cached {
				r.cached++
			} else if a.Usage != nil {
				r.usage.Add(*a.Usage)
			}
			if a.Engine != "" && a.Engine != eng.Info().Name {
				r.fallbacks++
			}
		}
		r.units = append(r.units, units[i])
	}
	return r, nil
}

// analyzeAnswer analyzes one answer exactly as `candor analyze` does with
// an answers JSON file holding it, so that the figures are those of the
// command (and of score.py, which runs it).
func analyzeAnswer(ctx context.Context, eng analyzer.Engine, g *analyzer.Guide, it *Item) (*analyzer.Report, error) {
	body, err := json.Marshal(map[string]any{"answers": []map[string]string{{"question_id": it.QuestionID, "text": it.Text}}})
	if err != nil {
		return nil, err
	}
	rep, err := interview.Analyze(ctx, eng, g, it.ID+".json", body, interview.Options{Concurrency: 1})
	if err != nil {
		return nil, err
	}
	if len(rep.Answers) == 0 {
		return nil, errors.New("the engine found no answer in it")
	}
	return rep, nil
}

// analyzeTranscript segments and analyzes a transcript and pairs the
// answers found with the gold segments by question id (as score.py does).
func analyzeTranscript(ctx context.Context, eng analyzer.Engine, g *analyzer.Guide, t *Transcript, opts Options) (unit, []analyzer.AnswerAnalysis, error) {
	seg, tr, err := interview.Parse(g, t.Name, []byte(t.Text), interview.Options{})
	if err != nil {
		return unit{}, nil, err
	}
	var answers []analyzer.AnswerAnalysis
	if len(seg.Answers) > 0 {
		rep, err := interview.Report(ctx, eng, g, seg, tr, interview.Options{Concurrency: 1})
		if err != nil {
			return unit{}, nil, err
		}
		answers = rep.Answers
	}
	u := unit{transcript: true}
	found := map[string]analyzer.AnswerAnalysis{}
	for _, a := range answers {
		found[a.QuestionID] = a
	}
	if t.Gold.Segments == nil {
		// No alignment labels: every answer found is a prediction with
		// no gold, kept for audits.
		for _, a := range answers {
			it := &Item{ID: t.Name + "/" + a.QuestionID, QuestionID: a.QuestionID}
			u.preds = append(u.preds, predict(it, a, t.Gold.Group, t.Name))
		}
		return u, answers, nil
	}
	s := &Segmentation{Transcript: t.Name, Gold: goldIDs(t.Gold.Segments), Found: []string{}}
	gold := map[string]bool{}
	for _, id := range s.Gold {
		gold[id] = true
	}
	for _, a := range answers {
		s.Found = append(s.Found, a.QuestionID)
		if !gold[a.QuestionID] {
			s.FP++
		}
	}
	for i := range t.Gold.Segments {
		it := &t.Gold.Segments[i]
		a, ok := found[it.QuestionID]
		if !ok {
			s.FN++
			continue
		}
		s.TP++
		group := it.Group
		if group == nil {
			group = t.Gold.Group
		}
		u.preds = append(u.preds, predict(it, a, group, t.Name))
	}
	u.seg = s
	return u, answers, nil
}

func goldIDs(segs []Item) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.QuestionID
	}
	return out
}

// predict pairs an item's labels with the engine's analysis.
func predict(it *Item, a analyzer.AnswerAnalysis, group map[string]string, transcript string) Prediction {
	p := Prediction{
		ID: it.ID, QuestionID: it.QuestionID, Transcript: transcript,
		GoldLabel: it.Label, Label: a.Delivery.Label,
		GoldSpecificity: it.Specificity, Specificity: a.Delivery.Specificity,
		Coverage: a.Coverage.Score, GoldSTAR: it.STAR, STAR: a.Delivery.STAR,
		Engine: a.Engine, Cached: a.Cached, Group: group, Tags: it.Tags,
	}
	n := len(a.Coverage.Areas)
	for _, ag := range it.areaList() {
		n = max(n, ag.index)
	}
	p.Areas = make([]string, n)
	p.Confidence = make([]float64, n)
	for i := range p.Areas {
		// An area the report lacks reads as missing, as in score.py.
		p.Areas[i] = analyzer.StatusMissing
	}
	for i, ar := range a.Coverage.Areas {
		if _, ok := StatusValue(ar.Status); ok {
			p.Areas[i] = ar.Status
		}
		p.Confidence[i] = ar.Confidence
	}
	if len(it.Areas) > 0 {
		p.GoldAreas = make([]string, n)
		for k, s := range it.Areas {
			i, _ := strconv.Atoi(k)
			p.GoldAreas[i-1] = s
		}
	}
	for k, sents := range it.Evidence {
		i, _ := strconv.Atoi(k)
		if i > len(a.Coverage.Areas) {
			continue
		}
		scoreEvidence(&p, a.Text, a.Coverage.Areas[i-1].Evidence, sents)
	}
	return p
}

// scoreEvidence counts the engine's quotes for one area that overlap a gold
// sentence, and the gold sentences some quote overlaps. Offsets are in code
// points, as the report's are.
func scoreEvidence(p *Prediction, text string, spans []analyzer.Span, sents []string) {
	runes := []rune(text)
	type rng struct{ a, b int }
	var gold []rng
	for _, s := range sents {
		sr := []rune(s)
		for i := 0; i+len(sr) <= len(runes); i++ {
			if string(runes[i:i+len(sr)]) == s {
				gold = append(gold, rng{i, i + len(sr)})
				break
			}
		}
	}
	p.GoldSentences += len(sents)
	found := make([]bool, len(gold))
	for _, sp := range spans {
		p.EvidenceSpans++
		hit := false
		for j, g := range gold {
			if sp.Start < g.b && g.a < sp.End {
				hit = true
				found[j] = true
			}
		}
		if hit {
			p.EvidenceHits++
		}
		if !sp.Tentative {
			p.SureSpans++
			if hit {
				p.SureHits++
			}
		}
	}
	for _, f := range found {
		if f {
			p.SentencesFound++
		}
	}
}
