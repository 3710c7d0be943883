package evaluation

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/candorhq/candor/analyzer"
)

// Agreement is how far two engines agree with each other on the same
// answers, labels or no labels.
type Agreement struct {
	A string `json:"a"`
	B string `json:"b"`
	// Answers counts the answers both engines analyzed (answers found by
	// both, in transcripts).
	Answers int `json:"answers"`
	// CoverageQWK is the quadratic-weighted kappa of their area statuses,
	// CoverageAgreement the share of areas with the same status.
	CoverageQWK       float64 `json:"-"`
	CoverageAgreement float64 `json:"-"`
	// LabelAgreement is the share of answers with the same label and
	// LabelKappa Cohen's kappa of the labels.
	LabelAgreement float64 `json:"-"`
	LabelKappa     float64 `json:"-"`
	// SpecificitySpearman is the rank correlation of their specificity,
	// SpecificityMeanGap the mean absolute difference.
	SpecificitySpearman float64 `json:"-"`
	SpecificityMeanGap  float64 `json:"-"`
}

// MarshalJSON writes NaN as null.
func (a Agreement) MarshalJSON() ([]byte, error) {
	type plain Agreement
	return json.Marshal(struct {
		plain
		CoverageQWK         *float64 `json:"coverage_qwk"`
		CoverageAgreement   *float64 `json:"coverage_agreement"`
		LabelAgreement      *float64 `json:"label_agreement"`
		LabelKappa          *float64 `json:"label_kappa"`
		SpecificitySpearman *float64 `json:"specificity_spearman"`
		SpecificityMeanGap  *float64 `json:"specificity_mean_gap"`
	}{plain(a), num(a.CoverageQWK), num(a.CoverageAgreement), num(a.LabelAgreement), num(a.LabelKappa), num(a.SpecificitySpearman), num(a.SpecificityMeanGap)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (a *Agreement) UnmarshalJSON(b []byte) error {
	type plain Agreement
	var v struct {
		plain
		CoverageQWK         *float64 `json:"coverage_qwk"`
		CoverageAgreement   *float64 `json:"coverage_agreement"`
		LabelAgreement      *float64 `json:"label_agreement"`
		LabelKappa          *float64 `json:"label_kappa"`
		SpecificitySpearman *float64 `json:"specificity_spearman"`
		SpecificityMeanGap  *float64 `json:"specificity_mean_gap"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*a = Agreement(v.plain)
	a.CoverageQWK, a.CoverageAgreement, a.LabelAgreement = unnum(v.CoverageQWK), unnum(v.CoverageAgreement), unnum(v.LabelAgreement)
	a.LabelKappa, a.SpecificitySpearman, a.SpecificityMeanGap = unnum(v.LabelKappa), unnum(v.SpecificitySpearman), unnum(v.SpecificityMeanGap)
	return nil
}

// predKey identifies an answer across runs.
func predKey(p *Prediction) string { return p.Transcript + "\x00" + p.ID }

// Compare measures how far the engines of a and b agree with each other
// on the answers both analyzed.
func Compare(a, b *Result) Agreement {
	ag := Agreement{A: engineLabel(a.Engine), B: engineLabel(b.Engine)}
	other := map[string]*Prediction{}
	for i := range b.Predictions {
		other[predKey(&b.Predictions[i])] = &b.Predictions[i]
	}
	var ga, gb []int
	var la, lb []string
	var sa, sb []float64
	gap := 0.0
	for i := range a.Predictions {
		pa := &a.Predictions[i]
		pb, ok := other[predKey(pa)]
		if !ok {
			continue
		}
		ag.Answers++
		for k := range min(len(pa.Areas), len(pb.Areas)) {
			x, _ := StatusValue(pa.Areas[k])
			y, _ := StatusValue(pb.Areas[k])
			ga, gb = append(ga, x), append(gb, y)
		}
		la, lb = append(la, pa.Label), append(lb, pb.Label)
		sa, sb = append(sa, float64(pa.Specificity)), append(sb, float64(pb.Specificity))
		gap += math.Abs(float64(pa.Specificity - pb.Specificity))
	}
	ag.CoverageQWK = QWK(ga, gb, 3)
	ag.CoverageAgreement = Accuracy(ga, gb)
	ag.LabelAgreement = Accuracy(la, lb)
	ag.LabelKappa = Kappa(la, lb)
	ag.SpecificitySpearman = Spearman(sa, sb)
	ag.SpecificityMeanGap = math.NaN()
	if ag.Answers > 0 {
		ag.SpecificityMeanGap = gap / float64(ag.Answers)
	}
	return ag
}

// engineLabel names an engine with its model: "llm (gpt-4o-mini)".
func engineLabel(e analyzer.EngineInfo) string {
	if e.Model == "" || e.Name == analyzer.EngineHeuristic {
		return e.Name
	}
	return fmt.Sprintf("%s (%s)", e.Name, e.Model)
}

// Evaluation is a whole `candor eval` run: one Result per engine and, with
// several engines, their agreement with each other.
type Evaluation struct {
	// ID identifies a stored evaluation (set by the API).
	ID        string            `json:"id,omitempty"`
	Kind      string            `json:"kind"`
	Set       string            `json:"set"`
	Guide     analyzer.GuideRef `json:"guide"`
	Results   []*Result         `json:"results"`
	Agreement []Agreement       `json:"agreement,omitempty"`
	// Raters is the agreement between two people's labels of the same
	// set, when a second rater's labels were given: the ceiling to read
	// the engines' figures against.
	Raters *Agreement `json:"raters,omitempty"`
	// CreatedAt is when the evaluation was stored or run.
	CreatedAt *time.Time `json:"created_at,omitempty"`
	// Disclaimer says what the figures are.
	Disclaimer string `json:"disclaimer"`
}

// KindEvaluation marks an Evaluation's JSON.
const KindEvaluation = "evaluation"

// EvaluationDisclaimer is printed with every evaluation.
const EvaluationDisclaimer = "Agreement with your own labels on your own set: figures on a few dozen answers move by several points between sets, so read the intervals, not only the values."

// EvaluateAll evaluates each engine on set in turn and compares every
// pair of engines. Errors as Evaluate.
func EvaluateAll(ctx context.Context, engines []analyzer.Engine, g *analyzer.Guide, set *Set, opts Options) (*Evaluation, error) {
	ev := &Evaluation{Kind: KindEvaluation, Set: set.Name, Guide: analyzer.GuideRef{ID: g.ID, Title: g.Title, Version: g.Version}, Disclaimer: EvaluationDisclaimer}
	progress := opts.Progress
	total := len(engines) * (len(set.Answers) + len(set.Transcripts))
	for i, eng := range engines {
		o := opts
		if progress != nil {
			base := i * (len(set.Answers) + len(set.Transcripts))
			o.Progress = func(done, _ int) { progress(base+done, total) }
		}
		r, err := Evaluate(ctx, eng, g, set, o)
		if err != nil {
			return nil, fmt.Errorf("engine %s: %w", eng.Info().Name, err)
		}
		ev.Results = append(ev.Results, r)
	}
	for i := range ev.Results {
		for j := i + 1; j < len(ev.Results); j++ {
			ev.Agreement = append(ev.Agreement, Compare(ev.Results[i], ev.Results[j]))
		}
	}
	return ev, nil
}

// goldPredictions reads a set's labels as if they were an engine's
// verdicts, so two raters can be compared like two engines.
func goldPredictions(s *Set) []Prediction {
	var out []Prediction
	add := func(it *Item, transcript string) {
		p := Prediction{ID: it.ID, QuestionID: it.QuestionID, Transcript: transcript, Label: it.Label}
		if it.Specificity != nil {
			p.Specificity = *it.Specificity
		} else {
			p.Specificity = -1
		}
		n := 0
		for k := range it.Areas {
			i, _ := strconv.Atoi(k)
			n = max(n, i)
		}
		p.Areas = make([]string, n)
		for k, st := range it.Areas {
			i, _ := strconv.Atoi(k)
			p.Areas[i-1] = st
		}
		out = append(out, p)
	}
	for i := range s.Answers {
		add(&s.Answers[i], "")
	}
	for _, t := range s.Transcripts {
		for i := range t.Gold.Segments {
			add(&t.Gold.Segments[i], t.Name)
		}
	}
	return out
}

// RaterAgreement measures how far two people's labels of the same answers
// agree (answers paired by id, transcript segments by transcript and
// question), with the figures Compare gives two engines: the ceiling to
// read an engine's agreement against. Areas, labels and specificity one
// rater left out are not compared.
func RaterAgreement(a, b *Set) Agreement {
	ag := Agreement{A: a.Name, B: b.Name}
	other := map[string]*Prediction{}
	pb := goldPredictions(b)
	for i := range pb {
		other[predKey(&pb[i])] = &pb[i]
	}
	var ga, gb []int
	var la, lb []string
	var sa, sb []float64
	gap := 0.0
	for _, x := range goldPredictions(a) {
		y, ok := other[predKey(&x)]
		if !ok {
			continue
		}
		ag.Answers++
		for k := range min(len(x.Areas), len(y.Areas)) {
			u, ok1 := StatusValue(x.Areas[k])
			v, ok2 := StatusValue(y.Areas[k])
			if ok1 && ok2 {
				ga, gb = append(ga, u), append(gb, v)
			}
		}
		if x.Label != "" && y.Label != "" {
			la, lb = append(la, x.Label), append(lb, y.Label)
		}
		if x.Specificity >= 0 && y.Specificity >= 0 {
			sa, sb = append(sa, float64(x.Specificity)), append(sb, float64(y.Specificity))
			gap += math.Abs(float64(x.Specificity - y.Specificity))
		}
	}
	ag.CoverageQWK = QWK(ga, gb, 3)
	ag.CoverageAgreement = Accuracy(ga, gb)
	ag.LabelAgreement = Accuracy(la, lb)
	ag.LabelKappa = Kappa(la, lb)
	ag.SpecificitySpearman = Spearman(sa, sb)
	ag.SpecificityMeanGap = math.NaN()
	if len(sa) > 0 {
		ag.SpecificityMeanGap = gap / float64(len(sa))
	}
	return ag
}
