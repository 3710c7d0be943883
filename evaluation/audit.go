package evaluation

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/candorhq/candor/analyzer"
)

// Audit defaults.
const (
	// DefaultMinGroupSize is the smallest group whose rates are compared:
	// below it one answer moves a rate by 20 points or more. Smaller
	// groups are still listed, marked too small, never hidden.
	DefaultMinGroupSize = 5
	// FourFifths is the impact-ratio threshold of the four-fifths rule
	// (US EEOC Uniform Guidelines, 29 CFR 1607.4(D)): a group whose rate
	// is under 80% of the highest group's is flagged.
	FourFifths = 0.8
	// Unknown is the group of answers with no value for a field.
	Unknown = "(not stated)"
	// KindAudit marks an AuditReport's JSON.
	KindAudit = "audit"
)

// AuditOptions tune an audit.
type AuditOptions struct {
	// MinGroupSize is the smallest group whose rates are compared
	// (default DefaultMinGroupSize).
	MinGroupSize int
	// Fields are the group fields to audit (default: every field the set
	// has). Intersections of every pair of them are audited too.
	Fields []string
	// Concurrency and Progress as in Options.
	Concurrency int
	Progress    func(done, total int)
}

// Measure names, as the tables and flags use them.
const (
	// MeasureSpecific is the share of answers labelled specific.
	MeasureSpecific = "specific_rate"
	// MeasureSpecificity and MeasureCoverage are scoring rates: the share
	// of a group's answers whose specificity (coverage) is above the
	// median of all answers audited, as New York City's Local Law 144
	// rules define impact ratios for scores.
	MeasureSpecificity = "specificity_scoring_rate"
	MeasureCoverage    = "coverage_scoring_rate"
)

// Measures lists the audited measures in display order.
var Measures = []string{MeasureSpecific, MeasureSpecificity, MeasureCoverage}

// AuditReport is an audit of one engine on one set.
type AuditReport struct {
	ID     string              `json:"id,omitempty"`
	Kind   string              `json:"kind"`
	Set    string              `json:"set"`
	Guide  analyzer.GuideRef   `json:"guide"`
	Engine analyzer.EngineInfo `json:"engine"`
	// Answers counts the answers analyzed; Grouped those with at least
	// one group field.
	Answers      int `json:"answers"`
	Grouped      int `json:"grouped"`
	MinGroupSize int `json:"min_group_size"`
	// MedianSpecificity and MedianCoverage are the medians over all
	// answers that the scoring rates compare with.
	MedianSpecificity float64 `json:"median_specificity"`
	MedianCoverage    float64 `json:"median_coverage"`
	// Tables hold one table per field and per pair of fields.
	Tables []GroupTable `json:"tables"`
	// Flagged lists "field: group (measure ratio)" for every group under
	// the four-fifths threshold.
	Flagged []string `json:"flagged"`
	// Swap is the counterfactual swap test, when it was run.
	Swap       *SwapReport `json:"swap,omitempty"`
	Failures   []Failure   `json:"failures,omitempty"`
	CreatedAt  *time.Time  `json:"created_at,omitempty"`
	Disclaimer string      `json:"disclaimer"`
}

// AuditDisclaimer is printed with every audit.
const AuditDisclaimer = "Rates are per answer as the engine labelled it, not hiring decisions. A flag says where to look, not that there is bias: small groups move a lot by chance (see the exact test's p-value), and a difference can come from the answers themselves."

// GroupTable compares the groups of one field, or the intersections of
// two fields.
type GroupTable struct {
	// Fields are the field names ("gender", or "gender", "ethnicity" for
	// an intersection).
	Fields []string `json:"fields"`
	// Reference names, per measure, the group with the highest rate among
	// groups of at least MinGroupSize answers.
	Reference map[string]string `json:"reference"`
	Groups    []GroupStats      `json:"groups"`
	// Flagged is true when a group is under the four-fifths threshold on
	// any measure.
	Flagged bool `json:"flagged"`
}

// GroupStats is one group's figures.
type GroupStats struct {
	// Group is the value ("female"), or values joined by " × " for an
	// intersection.
	Group   string `json:"group"`
	Answers int    `json:"answers"`
	// TooSmall is true under MinGroupSize: the rates are shown, never
	// compared or flagged. Unknown groups are never compared either.
	TooSmall bool `json:"too_small"`
	Specific int  `json:"specific"`
	// MeanSpecificity (0-100) and MeanCoverage (0-1) are plain means.
	MeanSpecificity float64 `json:"mean_specificity"`
	MeanCoverage    float64 `json:"mean_coverage"`
	// Rates, ImpactRatios and PValues are keyed by measure. An impact
	// ratio is the group's rate over the reference group's; the p-value is
	// the two-sided Fisher exact test of the group against the reference
	// group (1 for the reference itself).
	Rates        map[string]float64 `json:"-"`
	ImpactRatios map[string]float64 `json:"-"`
	PValues      map[string]float64 `json:"-"`
	// Flags lists the measures whose impact ratio is under FourFifths.
	Flags []string `json:"flags,omitempty"`

	hits map[string]int
}

func numMap(m map[string]float64) map[string]*float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]*float64, len(m))
	for k, v := range m {
		out[k] = num(v)
	}
	return out
}

func unnumMap(m map[string]*float64) map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = unnum(v)
	}
	return out
}

type groupJSON struct {
	JRates        map[string]*float64 `json:"rates"`
	JImpactRatios map[string]*float64 `json:"impact_ratios,omitempty"`
	JPValues      map[string]*float64 `json:"p_values,omitempty"`
}

// MarshalJSON writes NaN as null.
func (g GroupStats) MarshalJSON() ([]byte, error) {
	type plain GroupStats
	return json.Marshal(struct {
		plain
		groupJSON
	}{plain(g), groupJSON{numMap(g.Rates), numMap(g.ImpactRatios), numMap(g.PValues)}})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (g *GroupStats) UnmarshalJSON(b []byte) error {
	type plain GroupStats
	var v struct {
		plain
		groupJSON
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*g = GroupStats(v.plain)
	g.Rates, g.ImpactRatios, g.PValues = unnumMap(v.JRates), unnumMap(v.JImpactRatios), unnumMap(v.JPValues)
	return nil
}

// RunAudit analyzes every answer of set with eng and audits the verdicts
// by the set's group fields. Labels are not needed. Errors as Evaluate.
func RunAudit(ctx context.Context, eng analyzer.Engine, g *analyzer.Guide, set *Set, opts AuditOptions) (*AuditReport, error) {
	if err := Check(g, set); err != nil {
		return nil, err
	}
	r, err := execute(ctx, eng, g, set, Options{Concurrency: opts.Concurrency, Progress: opts.Progress}.withDefaults())
	if err != nil {
		return nil, err
	}
	var preds []Prediction
	for _, u := range r.units {
		preds = append(preds, u.preds...)
	}
	rep := AuditGroups(preds, opts)
	rep.Set = set.Name
	rep.Guide = analyzer.GuideRef{ID: g.ID, Title: g.Title, Version: g.Version}
	rep.Engine = eng.Info()
	rep.Failures = r.fails
	return rep, nil
}

// AuditGroups audits predictions by their group fields.
func AuditGroups(preds []Prediction, opts AuditOptions) *AuditReport {
	if opts.MinGroupSize <= 0 {
		opts.MinGroupSize = DefaultMinGroupSize
	}
	rep := &AuditReport{Kind: KindAudit, Answers: len(preds), MinGroupSize: opts.MinGroupSize, Disclaimer: AuditDisclaimer,
		Tables: []GroupTable{}, Flagged: []string{}}
	var specs, covs []float64
	fieldSet := map[string]bool{}
	for _, p := range preds {
		specs = append(specs, float64(p.Specificity))
		covs = append(covs, p.Coverage)
		if len(p.Group) > 0 {
			rep.Grouped++
		}
		for k := range p.Group {
			fieldSet[k] = true
		}
	}
	rep.MedianSpecificity, rep.MedianCoverage = Median(specs), Median(covs)
	fields := opts.Fields
	if len(fields) == 0 {
		for k := range fieldSet {
			fields = append(fields, k)
		}
		sort.Strings(fields)
	}
	var combos [][]string
	for _, f := range fields {
		combos = append(combos, []string{f})
	}
	for i := range fields {
		for j := i + 1; j < len(fields); j++ {
			combos = append(combos, []string{fields[i], fields[j]})
		}
	}
	for _, c := range combos {
		t := groupTable(preds, c, opts.MinGroupSize, rep.MedianSpecificity, rep.MedianCoverage)
		for _, gs := range t.Groups {
			for _, m := range gs.Flags {
				rep.Flagged = append(rep.Flagged, fmt.Sprintf("%s: %s (%s %.2f)", strings.Join(c, " × "), gs.Group, m, gs.ImpactRatios[m]))
			}
		}
		rep.Tables = append(rep.Tables, t)
	}
	return rep
}

// groupTable computes one table.
func groupTable(preds []Prediction, fields []string, minSize int, medSpec, medCov float64) GroupTable {
	t := GroupTable{Fields: fields, Reference: map[string]string{}}
	byGroup := map[string]*GroupStats{}
	unknown := map[string]bool{}
	for _, p := range preds {
		vals := make([]string, len(fields))
		isUnknown := false
		for i, f := range fields {
			v := strings.TrimSpace(p.Group[f])
			if v == "" {
				v, isUnknown = Unknown, true
			}
			vals[i] = v
		}
		key := strings.Join(vals, " × ")
		gs := byGroup[key]
		if gs == nil {
			gs = &GroupStats{Group: key, hits: map[string]int{}}
			byGroup[key] = gs
		}
		unknown[key] = isUnknown
		gs.Answers++
		gs.MeanSpecificity += float64(p.Specificity)
		gs.MeanCoverage += p.Coverage
		if p.Label == analyzer.LabelSpecific {
			gs.Specific++
			gs.hits[MeasureSpecific]++
		}
		if float64(p.Specificity) > medSpec {
			gs.hits[MeasureSpecificity]++
		}
		if p.Coverage > medCov {
			gs.hits[MeasureCoverage]++
		}
	}
	for _, gs := range byGroup {
		n := float64(gs.Answers)
		gs.MeanSpecificity /= n
		gs.MeanCoverage /= n
		gs.TooSmall = gs.Answers < minSize
		gs.Rates = map[string]float64{}
		for _, m := range Measures {
			gs.Rates[m] = float64(gs.hits[m]) / n
		}
		t.Groups = append(t.Groups, *gs)
	}
	compared := func(gs *GroupStats) bool { return !gs.TooSmall && !unknown[gs.Group] }
	for _, m := range Measures {
		var ref *GroupStats
		for i := range t.Groups {
			gs := &t.Groups[i]
			if !compared(gs) {
				continue
			}
			if ref == nil || gs.Rates[m] > ref.Rates[m] || (gs.Rates[m] == ref.Rates[m] && gs.Group < ref.Group) {
				ref = gs
			}
		}
		if ref == nil {
			continue
		}
		t.Reference[m] = ref.Group
		for i := range t.Groups {
			gs := &t.Groups[i]
			if gs.ImpactRatios == nil {
				gs.ImpactRatios, gs.PValues = map[string]float64{}, map[string]float64{}
			}
			ratio := math.NaN()
			if ref.Rates[m] > 0 {
				ratio = gs.Rates[m] / ref.Rates[m]
			}
			gs.ImpactRatios[m] = ratio
			a, b := gs.hits[m], gs.Answers-gs.hits[m]
			c, d := ref.hits[m], ref.Answers-ref.hits[m]
			if gs.Group == ref.Group {
				gs.PValues[m] = 1
			} else {
				gs.PValues[m] = FisherExact(a, b, c, d)
			}
			if compared(gs) && ratio < FourFifths {
				gs.Flags = append(gs.Flags, m)
				t.Flagged = true
			}
		}
	}
	// Largest groups first, unknown last.
	sort.Slice(t.Groups, func(i, j int) bool {
		a, b := t.Groups[i], t.Groups[j]
		if unknown[a.Group] != unknown[b.Group] {
			return !unknown[a.Group]
		}
		if a.Answers != b.Answers {
			return a.Answers > b.Answers
		}
		return a.Group < b.Group
	})
	for i := range t.Groups {
		t.Groups[i].hits = nil
	}
	return t
}
