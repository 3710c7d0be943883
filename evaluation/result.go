package evaluation

import (
	"encoding/json"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/candorhq/candor/analyzer"
)

// Figure is one agreement figure: its value, its bootstrap 95% interval
// and the number of units it was computed on. Value is NaN where the
// figure is undefined (no data, a constant input); JSON has null there.
type Figure struct {
	Value float64
	CI    *Interval
	N     int
}

type figureJSON struct {
	Value *float64 `json:"value"`
	Low   *float64 `json:"low,omitempty"`
	High  *float64 `json:"high,omitempty"`
	N     int      `json:"n"`
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	x = math.Round(x*1e6) / 1e6
	return &x
}

// MarshalJSON writes {"value", "low", "high", "n"} with null for NaN.
func (f Figure) MarshalJSON() ([]byte, error) {
	j := figureJSON{Value: num(f.Value), N: f.N}
	if f.CI != nil {
		j.Low, j.High = num(f.CI.Low), num(f.CI.High)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (f *Figure) UnmarshalJSON(b []byte) error {
	var j figureJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	f.Value, f.N, f.CI = math.NaN(), j.N, nil
	if j.Value != nil {
		f.Value = *j.Value
	}
	if j.Low != nil || j.High != nil {
		f.CI = &Interval{Low: math.NaN(), High: math.NaN()}
		if j.Low != nil {
			f.CI.Low = *j.Low
		}
		if j.High != nil {
			f.CI.High = *j.High
		}
	}
	return nil
}

// Defined reports whether the figure has a value.
func (f Figure) Defined() bool { return !math.IsNaN(f.Value) }

// Figures are the agreement figures over one part of a set. Names follow
// score.py's: CoverageQWK is its cov_qwk, LabelAccuracy label_acc, AUC
// auc_specific_vs_rehearsed, SegmentF1 seg_f1.
type Figures struct {
	// Answers counts the labelled answers the figures are computed on.
	Answers int `json:"answers"`
	// CoverageQWK is the quadratic-weighted kappa of area statuses
	// (missing 0, partial 1, covered 2) over every labelled area.
	CoverageQWK Figure `json:"coverage_qwk"`
	// CoverageAccuracy is the share of areas with the gold status.
	CoverageAccuracy Figure `json:"coverage_accuracy"`
	// CoverageF1Covered is the F1 of "covered"; CoverageF1Addressed of
	// "covered or partial" against "missing".
	CoverageF1Covered   Figure `json:"coverage_f1_covered"`
	CoverageF1Addressed Figure `json:"coverage_f1_addressed"`
	// LabelAccuracy and LabelMacroF1 compare delivery labels.
	LabelAccuracy Figure `json:"label_accuracy"`
	LabelMacroF1  Figure `json:"label_macro_f1"`
	// SpecificitySpearman is the rank correlation of the gold and the
	// engine's specificity.
	SpecificitySpearman Figure `json:"specificity_spearman"`
	// AUC is the chance that an answer labelled specific scores a higher
	// specificity than one labelled rehearsed.
	AUC Figure `json:"auc_specific_vs_rehearsed"`
	// STARAccuracy is the share of STAR flags that match.
	STARAccuracy Figure `json:"star_accuracy"`
	// EvidencePrecision is the share of the engine's quotes (for areas
	// with gold evidence) that overlap a gold sentence; EvidenceRecall
	// the share of gold sentences some quote overlaps.
	EvidencePrecision Figure `json:"evidence_precision"`
	EvidenceRecall    Figure `json:"evidence_recall"`
	// EvidencePrecisionSure is EvidencePrecision over the quotes the
	// engine stands behind (not marked tentative; every quote of an engine
	// that marks none).
	EvidencePrecisionSure Figure `json:"evidence_precision_sure"`
	// Segment figures: question alignment over transcripts (counts of
	// question ids found against the gold, per transcript).
	SegmentF1        *Figure `json:"segment_f1,omitempty"`
	SegmentPrecision *Figure `json:"segment_precision,omitempty"`
	SegmentRecall    *Figure `json:"segment_recall,omitempty"`
}

// Result is one engine's evaluation on a set.
type Result struct {
	Engine analyzer.EngineInfo `json:"engine"`
	Guide  analyzer.GuideRef   `json:"guide"`
	Set    string              `json:"set"`
	Counts Counts              `json:"counts"`
	// AnswersFile are the figures on the single answers (answers.jsonl),
	// Transcripts those on the answers found in transcripts that have a
	// gold segment, with question alignment; All on both together.
	AnswersFile *Figures `json:"answers_file,omitempty"`
	Transcripts *Figures `json:"transcripts,omitempty"`
	All         Figures  `json:"all"`
	// CoverageConfusion counts areas by gold status (rows) and engine
	// status (columns), in the order of Statuses; LabelConfusion answers by
	// gold label and engine label, in the order of Labels.
	CoverageConfusion [3][3]int `json:"coverage_confusion"`
	LabelConfusion    [3][3]int `json:"label_confusion"`
	// Questions and Areas are agreement per guide question and per area,
	// least agreement first.
	Questions []QuestionAgreement `json:"questions"`
	Areas     []AreaAgreement     `json:"areas"`
	// Reliability bins the engine's area confidence against how often the
	// area's status matched the gold.
	Reliability []ReliabilityBin `json:"reliability"`
	// ECE is the expected calibration error of the confidence: the
	// count-weighted mean gap between confidence and accuracy per bin.
	ECE float64 `json:"-"`
	// Segmentation is question alignment per transcript.
	Segmentation []Segmentation `json:"segmentation,omitempty"`
	// Predictions are the engine's verdicts beside the gold, per answer.
	Predictions []Prediction `json:"predictions"`
	Failures    []Failure    `json:"failures,omitempty"`
	// Analysed counts the answers analyzed, Cached those served from the
	// cache (no model call), Fallbacks those an LLM engine left to the
	// embedded one.
	Analysed  int            `json:"analysed"`
	Cached    int            `json:"cached"`
	Fallbacks int            `json:"fallbacks"`
	Usage     analyzer.Usage `json:"usage"`
	// Cost estimates the model calls' price (nil for the embedded engine
	// or a model not in the price table).
	Cost *Cost `json:"cost,omitempty"`
	// Bootstrap is the number of resamples behind the intervals and Seed
	// their seed.
	Bootstrap int    `json:"bootstrap"`
	Seed      uint64 `json:"seed"`
}

type resultJSON Result

// MarshalJSON writes ECE as null when undefined.
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		resultJSON
		ECE *float64 `json:"ece"`
	}{resultJSON(r), num(r.ECE)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Result) UnmarshalJSON(b []byte) error {
	var v struct {
		resultJSON
		ECE *float64 `json:"ece"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = Result(v.resultJSON)
	r.ECE = math.NaN()
	if v.ECE != nil {
		r.ECE = *v.ECE
	}
	return nil
}

// QuestionAgreement is agreement on the answers to one guide question.
type QuestionAgreement struct {
	QuestionID string `json:"question_id"`
	Question   string `json:"question,omitempty"`
	Answers    int    `json:"answers"`
	// CoverageAccuracy is the share of this question's areas with the
	// gold status; LabelAccuracy the share of answers with the gold label.
	CoverageAccuracy float64 `json:"-"`
	LabelAccuracy    float64 `json:"-"`
	// GoldCoverage and Coverage are the mean area value (missing 0,
	// partial 0.5, covered 1) by the labels and by the engine.
	GoldCoverage float64 `json:"-"`
	Coverage     float64 `json:"-"`
}

// AreaAgreement is agreement on one area of one question.
type AreaAgreement struct {
	QuestionID string `json:"question_id"`
	Area       int    `json:"area"`
	Text       string `json:"text,omitempty"`
	Answers    int    `json:"answers"`
	// Agreement is the share of answers with the gold status.
	Agreement float64 `json:"agreement"`
	// GoldMean and Mean are the mean status value (missing 0, partial
	// 0.5, covered 1) by the labels and by the engine: Mean above
	// GoldMean means the engine reads the area as covered more often than
	// the interviewers do.
	GoldMean float64 `json:"gold_mean"`
	Mean     float64 `json:"mean"`
	// Confusion counts answers by gold (rows) and engine status.
	Confusion [3][3]int `json:"confusion"`
}

// ReliabilityBin is one bin of the reliability table.
type ReliabilityBin struct {
	// Low and High bound the confidence in the bin: Low <= c < High (the
	// last bin includes 1).
	Low, High float64
	Areas     int
	// Confidence is the mean confidence in the bin, Accuracy the share of
	// its areas whose status matched the gold.
	Confidence float64
	Accuracy   float64
}

// MarshalJSON writes NaN as null.
func (b ReliabilityBin) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"low": b.Low, "high": b.High, "areas": b.Areas, "confidence": num(b.Confidence), "accuracy": num(b.Accuracy)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (b *ReliabilityBin) UnmarshalJSON(data []byte) error {
	var v struct {
		Low, High            float64
		Areas                int
		Confidence, Accuracy *float64
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*b = ReliabilityBin{Low: v.Low, High: v.High, Areas: v.Areas, Confidence: math.NaN(), Accuracy: math.NaN()}
	if v.Confidence != nil {
		b.Confidence = *v.Confidence
	}
	if v.Accuracy != nil {
		b.Accuracy = *v.Accuracy
	}
	return nil
}

// MarshalJSON writes NaN as null.
func (q QuestionAgreement) MarshalJSON() ([]byte, error) {
	type plain QuestionAgreement
	return json.Marshal(struct {
		plain
		CoverageAccuracy *float64 `json:"coverage_accuracy"`
		LabelAccuracy    *float64 `json:"label_accuracy"`
		GoldCoverage     *float64 `json:"gold_coverage"`
		Coverage         *float64 `json:"coverage"`
	}{plain(q), num(q.CoverageAccuracy), num(q.LabelAccuracy), num(q.GoldCoverage), num(q.Coverage)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (q *QuestionAgreement) UnmarshalJSON(b []byte) error {
	type plain QuestionAgreement
	var v struct {
		plain
		CoverageAccuracy *float64 `json:"coverage_accuracy"`
		LabelAccuracy    *float64 `json:"label_accuracy"`
		GoldCoverage     *float64 `json:"gold_coverage"`
		Coverage         *float64 `json:"coverage"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*q = QuestionAgreement(v.plain)
	q.CoverageAccuracy, q.LabelAccuracy, q.GoldCoverage, q.Coverage = unnum(v.CoverageAccuracy), unnum(v.LabelAccuracy), unnum(v.GoldCoverage), unnum(v.Coverage)
	return nil
}

func unnum(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// ReliabilityBins is the number of equal-width confidence bins.
const ReliabilityBins = 10

// summarise computes every figure of a run.
func summarise(r *run, opts Options) *Result {
	res := &Result{Failures: r.fails, Bootstrap: max(0, opts.Bootstrap), Seed: opts.Seed, Predictions: []Prediction{}}
	var file, trans []unit
	for _, u := range r.units {
		if u.transcript {
			trans = append(trans, u)
			if u.seg != nil {
				res.Segmentation = append(res.Segmentation, *u.seg)
			}
		} else {
			file = append(file, u)
		}
		res.Predictions = append(res.Predictions, u.preds...)
	}
	if len(file) > 0 {
		f := figures(file, opts)
		res.AnswersFile = &f
	}
	if len(trans) > 0 {
		f := figures(trans, opts)
		res.Transcripts = &f
	}
	res.All = figures(r.units, opts)
	res.confusions()
	res.perQuestion()
	res.reliability()
	return res
}

// pairs are the labelled values of a set of predictions, ready for the
// metric functions.
type pairs struct {
	answers                 int
	areaGold, areaPred      []int
	labelGold, labelPred    []string
	specGold, specPred      []float64
	specificPos, rehearsedN []float64
	starGold, starPred      []bool
	evSpans, evHits         int
	evGold, evFound         int
	evSure, evSureHits      int
	segTP, segFP, segFN     int
	segUnits                int
}

func collect(units []unit, idx []int) *pairs {
	p := &pairs{}
	add := func(u *unit) {
		if u.seg != nil {
			p.segUnits++
			p.segTP += u.seg.TP
			p.segFP += u.seg.FP
			p.segFN += u.seg.FN
		}
		for i := range u.preds {
			pr := &u.preds[i]
			labelled := false
			for k, g := range pr.GoldAreas {
				if g == "" {
					continue
				}
				gv, _ := StatusValue(g)
				pv, _ := StatusValue(pr.Areas[k])
				p.areaGold = append(p.areaGold, gv)
				p.areaPred = append(p.areaPred, pv)
				labelled = true
			}
			if pr.GoldLabel != "" {
				p.labelGold = append(p.labelGold, pr.GoldLabel)
				p.labelPred = append(p.labelPred, pr.Label)
				labelled = true
			}
			if pr.GoldSpecificity != nil {
				g, s := float64(*pr.GoldSpecificity), float64(pr.Specificity)
				p.specGold = append(p.specGold, g)
				p.specPred = append(p.specPred, s)
				switch pr.GoldLabel {
				case analyzer.LabelSpecific:
					p.specificPos = append(p.specificPos, s)
				case analyzer.LabelRehearsed:
					p.rehearsedN = append(p.rehearsedN, s)
				}
				labelled = true
			}
			if pr.GoldSTAR != nil {
				g, s := *pr.GoldSTAR, pr.STAR
				p.starGold = append(p.starGold, g.Situation, g.Task, g.Action, g.Result)
				p.starPred = append(p.starPred, s.Situation, s.Task, s.Action, s.Result)
			}
			p.evSpans += pr.EvidenceSpans
			p.evHits += pr.EvidenceHits
			p.evGold += pr.GoldSentences
			p.evFound += pr.SentencesFound
			p.evSure += pr.SureSpans
			p.evSureHits += pr.SureHits
			if labelled {
				p.answers++
			}
		}
	}
	if idx == nil {
		for i := range units {
			add(&units[i])
		}
	} else {
		for _, i := range idx {
			add(&units[i])
		}
	}
	return p
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// metric names and how each is computed from pairs.
var metrics = []struct {
	name string
	f    func(p *pairs) float64
	n    func(p *pairs) int
	get  func(f *Figures) *Figure
}{
	{"coverage_qwk", func(p *pairs) float64 { return QWK(p.areaGold, p.areaPred, 3) }, func(p *pairs) int { return len(p.areaGold) }, func(f *Figures) *Figure { return &f.CoverageQWK }},
	{"coverage_accuracy", func(p *pairs) float64 { return Accuracy(p.areaGold, p.areaPred) }, func(p *pairs) int { return len(p.areaGold) }, func(f *Figures) *Figure { return &f.CoverageAccuracy }},
	{"coverage_f1_covered", func(p *pairs) float64 { return nanIfEmpty(len(p.areaGold), F1(p.areaGold, p.areaPred, 2)) }, func(p *pairs) int { return len(p.areaGold) }, func(f *Figures) *Figure { return &f.CoverageF1Covered }},
	{"coverage_f1_addressed", func(p *pairs) float64 { return nanIfEmpty(len(p.areaGold), F1(p.areaGold, p.areaPred, 1, 2)) }, func(p *pairs) int { return len(p.areaGold) }, func(f *Figures) *Figure { return &f.CoverageF1Addressed }},
	{"label_accuracy", func(p *pairs) float64 { return Accuracy(p.labelGold, p.labelPred) }, func(p *pairs) int { return len(p.labelGold) }, func(f *Figures) *Figure { return &f.LabelAccuracy }},
	{"label_macro_f1", func(p *pairs) float64 { return MacroF1(p.labelGold, p.labelPred, Labels) }, func(p *pairs) int { return len(p.labelGold) }, func(f *Figures) *Figure { return &f.LabelMacroF1 }},
	{"specificity_spearman", func(p *pairs) float64 { return Spearman(p.specGold, p.specPred) }, func(p *pairs) int { return len(p.specGold) }, func(f *Figures) *Figure { return &f.SpecificitySpearman }},
	{"auc", func(p *pairs) float64 { return AUC(p.specificPos, p.rehearsedN) }, func(p *pairs) int { return len(p.specificPos) + len(p.rehearsedN) }, func(f *Figures) *Figure { return &f.AUC }},
	{"star_accuracy", func(p *pairs) float64 { return Accuracy(p.starGold, p.starPred) }, func(p *pairs) int { return len(p.starGold) }, func(f *Figures) *Figure { return &f.STARAccuracy }},
	{"evidence_precision", func(p *pairs) float64 { return ratio(p.evHits, p.evSpans) }, func(p *pairs) int { return p.evSpans }, func(f *Figures) *Figure { return &f.EvidencePrecision }},
	{"evidence_recall", func(p *pairs) float64 { return ratio(p.evFound, p.evGold) }, func(p *pairs) int { return p.evGold }, func(f *Figures) *Figure { return &f.EvidenceRecall }},
	{"evidence_precision_sure", func(p *pairs) float64 { return ratio(p.evSureHits, p.evSure) }, func(p *pairs) int { return p.evSure }, func(f *Figures) *Figure { return &f.EvidencePrecisionSure }},
}

func nanIfEmpty(n int, x float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return x
}

var segMetrics = []struct {
	f   func(p *pairs) float64
	get func(f *Figures) **Figure
}{
	{func(p *pairs) float64 { return segF1(p.segTP, p.segFP, p.segFN) }, func(f *Figures) **Figure { return &f.SegmentF1 }},
	{func(p *pairs) float64 { return ratio(p.segTP, p.segTP+p.segFP) }, func(f *Figures) **Figure { return &f.SegmentPrecision }},
	{func(p *pairs) float64 { return ratio(p.segTP, p.segTP+p.segFN) }, func(f *Figures) **Figure { return &f.SegmentRecall }},
}

// segF1 is score.py's seg_f1: 2TP / (2TP + FP + FN), 0 without a true
// positive.
func segF1(tp, fp, fn int) float64 {
	if tp+fp+fn == 0 {
		return math.NaN()
	}
	if tp == 0 {
		return 0
	}
	return 2 * float64(tp) / float64(2*tp+fp+fn)
}

// figures computes the figures of units, with bootstrap intervals that
// resample the units (an answer of the answers file, or a whole
// transcript), since the areas of one answer are not independent.
func figures(units []unit, opts Options) Figures {
	var f Figures
	all := collect(units, nil)
	f.Answers = all.answers
	var figs []*Figure
	var stats []func(*pairs) float64
	for _, m := range metrics {
		fig := m.get(&f)
		*fig = Figure{Value: m.f(all), N: m.n(all)}
		if fig.Defined() {
			figs, stats = append(figs, fig), append(stats, m.f)
		}
	}
	bootstrapInto(units, opts, figs, stats)
	if all.segUnits > 0 {
		var segUnits []unit
		for _, u := range units {
			if u.seg != nil {
				segUnits = append(segUnits, u)
			}
		}
		figs, stats = nil, nil
		for _, m := range segMetrics {
			fig := &Figure{Value: m.f(all), N: all.segTP + all.segFN}
			*m.get(&f) = fig
			if fig.Defined() {
				figs, stats = append(figs, fig), append(stats, m.f)
			}
		}
		bootstrapInto(segUnits, opts, figs, stats)
	}
	return f
}

// bootstrapInto sets the intervals of figs, whose statistics are stats,
// from one set of resamples of units: each resample's pairs are collected
// once for all the figures.
func bootstrapInto(units []unit, opts Options, figs []*Figure, stats []func(*pairs) float64) {
	if opts.Bootstrap <= 0 || len(figs) == 0 {
		return
	}
	all := func(idx []int, out []float64) {
		p := collect(units, idx)
		for i, st := range stats {
			out[i] = st(p)
		}
	}
	for i, ci := range bootstrapMany(len(units), opts.Bootstrap, opts.Seed, len(stats), all) {
		figs[i].CI = &ci
	}
}

func (r *Result) confusions() {
	for _, p := range r.Predictions {
		for k, g := range p.GoldAreas {
			if g == "" {
				continue
			}
			gv, _ := StatusValue(g)
			pv, _ := StatusValue(p.Areas[k])
			r.CoverageConfusion[gv][pv]++
		}
		if p.GoldLabel != "" {
			gi, pi := slices.Index(Labels, p.GoldLabel), slices.Index(Labels, p.Label)
			if gi >= 0 && pi >= 0 {
				r.LabelConfusion[gi][pi]++
			}
		}
	}
}

func (r *Result) perQuestion() {
	type acc struct {
		answers, labelled, labelOK, areas, areaOK int
		gold, pred                                float64
	}
	qs := map[string]*acc{}
	type areaKey struct {
		q string
		a int
	}
	as := map[areaKey]*AreaAgreement{}
	for _, p := range r.Predictions {
		q := qs[p.QuestionID]
		if q == nil {
			q = &acc{}
			qs[p.QuestionID] = q
		}
		q.answers++
		if p.GoldLabel != "" {
			q.labelled++
			if p.GoldLabel == p.Label {
				q.labelOK++
			}
		}
		for k, g := range p.GoldAreas {
			if g == "" {
				continue
			}
			gv, _ := StatusValue(g)
			pv, _ := StatusValue(p.Areas[k])
			q.areas++
			q.gold += analyzer.StatusWeight(g)
			q.pred += analyzer.StatusWeight(p.Areas[k])
			if gv == pv {
				q.areaOK++
			}
			key := areaKey{p.QuestionID, k + 1}
			a := as[key]
			if a == nil {
				a = &AreaAgreement{QuestionID: p.QuestionID, Area: k + 1}
				as[key] = a
			}
			a.Answers++
			a.Confusion[gv][pv]++
			a.GoldMean += analyzer.StatusWeight(g)
			a.Mean += analyzer.StatusWeight(p.Areas[k])
			if gv == pv {
				a.Agreement++
			}
		}
	}
	r.Questions = []QuestionAgreement{}
	for id, q := range qs {
		r.Questions = append(r.Questions, QuestionAgreement{
			QuestionID: id, Answers: q.answers,
			CoverageAccuracy: ratio(q.areaOK, q.areas), LabelAccuracy: ratio(q.labelOK, q.labelled),
			GoldCoverage: q.gold / float64(max(1, q.areas)) * nanIf(q.areas == 0), Coverage: q.pred / float64(max(1, q.areas)) * nanIf(q.areas == 0),
		})
	}
	sort.Slice(r.Questions, func(i, j int) bool { return questionLess(r.Questions[i].QuestionID, r.Questions[j].QuestionID) })
	r.Areas = []AreaAgreement{}
	for _, a := range as {
		n := float64(a.Answers)
		a.Agreement /= n
		a.GoldMean /= n
		a.Mean /= n
		r.Areas = append(r.Areas, *a)
	}
	// Least agreement first; ties by the size of the engine's lean, then
	// by question and area.
	sort.Slice(r.Areas, func(i, j int) bool {
		a, b := r.Areas[i], r.Areas[j]
		if a.Agreement != b.Agreement {
			return a.Agreement < b.Agreement
		}
		if da, db := math.Abs(a.Mean-a.GoldMean), math.Abs(b.Mean-b.GoldMean); da != db {
			return da > db
		}
		if a.QuestionID != b.QuestionID {
			return questionLess(a.QuestionID, b.QuestionID)
		}
		return a.Area < b.Area
	})
}

func nanIf(b bool) float64 {
	if b {
		return math.NaN()
	}
	return 1
}

// questionLess orders ids like q2 before q10.
func questionLess(a, b string) bool {
	na, ea := trailingNumber(a)
	nb, eb := trailingNumber(b)
	if ea == nil && eb == nil && a[:len(a)-len(strconv.Itoa(na))] == b[:len(b)-len(strconv.Itoa(nb))] {
		return na < nb
	}
	return a < b
}

func trailingNumber(s string) (int, error) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	return strconv.Atoi(s[i:])
}

func (r *Result) reliability() {
	bins := make([]ReliabilityBin, ReliabilityBins)
	sumConf := make([]float64, ReliabilityBins)
	ok := make([]int, ReliabilityBins)
	total := 0
	for _, p := range r.Predictions {
		for k, g := range p.GoldAreas {
			if g == "" || k >= len(p.Confidence) {
				continue
			}
			c := p.Confidence[k]
			b := min(ReliabilityBins-1, max(0, int(c*ReliabilityBins)))
			bins[b].Areas++
			sumConf[b] += c
			if g == p.Areas[k] {
				ok[b]++
			}
			total++
		}
	}
	ece := 0.0
	for i := range bins {
		bins[i].Low, bins[i].High = float64(i)/ReliabilityBins, float64(i+1)/ReliabilityBins
		bins[i].Confidence, bins[i].Accuracy = math.NaN(), math.NaN()
		if n := bins[i].Areas; n > 0 {
			bins[i].Confidence = sumConf[i] / float64(n)
			bins[i].Accuracy = float64(ok[i]) / float64(n)
			ece += float64(n) / float64(total) * math.Abs(bins[i].Accuracy-bins[i].Confidence)
		}
	}
	r.Reliability = bins
	r.ECE = math.NaN()
	if total > 0 {
		r.ECE = ece
	}
}

// annotate adds the guide's question and area texts.
func (r *Result) annotate(g *analyzer.Guide) {
	for i := range r.Questions {
		if q, ok := g.Question(r.Questions[i].QuestionID); ok {
			r.Questions[i].Question = q.Text
		}
	}
	for i := range r.Areas {
		if q, ok := g.Question(r.Areas[i].QuestionID); ok && r.Areas[i].Area <= len(q.Areas) {
			r.Areas[i].Text = q.Areas[r.Areas[i].Area-1]
		}
	}
}
