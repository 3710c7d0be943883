package heuristic_test

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// TestSyntheticGuides measures the embedded engine on the six synthetic
// guides of testdata/eval/synthetic (84 questions of six job families, six
// areas each, 336 answers written and labelled by helper sessions that saw
// no engine; testdata/eval/synthetic/README.md). The shipped weights never
// read them (TestWeightsReadNoHeldOutSet): it is the largest set of guides
// the engine was not built on, and a third of its areas are labelled
// missing, where the other sets have few.
func TestSyntheticGuides(t *testing.T) {
	all := guidesHeldOut(t, []string{"s1", "s2", "s3", "s4", "s5", "s6"}, 56,
		func(name string) (string, string) {
			return "../../testdata/eval/synthetic/" + name + ".yaml", "../../testdata/eval/synthetic/" + name + ".jsonl"
		})
	t.Logf("six synthetic guides: %v", all)
	if len(all.want) != 2016 {
		t.Fatalf("%d labelled areas, want 2016", len(all.want))
	}
	missing, readMissing := 0, 0
	for i, w := range all.want {
		if w == 0 {
			missing++
			if all.got[i] == 0 {
				readMissing++
			}
		}
	}
	t.Logf("areas labelled missing: %d, read missing %d", missing, readMissing)
	// Measured on h2.23 when the set arrived: QWK 0.360, accuracy 0.524,
	// first quotes 730 of 1,174 quoted, 248 of 678 missing areas read
	// missing. The floors leave about 0.02 and 2%.
	qwk, acc := evaluation.QWK(all.want, all.got, 3), evaluation.Accuracy(all.want, all.got)
	if qwk < 0.34 || acc < 0.50 {
		t.Errorf("synthetic guides: coverage QWK %.3f, accuracy %.3f; floors 0.34 and 0.50", qwk, acc)
	}
	if all.right < 715 || readMissing < 235 {
		t.Errorf("synthetic guides: %d first quotes inside a labelled sentence (floor 715), %d missing areas read missing (floor 235)", all.right, readMissing)
	}
}

// TestSyntheticDelivery measures the delivery verdict on the 240 synthetic
// delivery answers (testdata/eval/synthetic/delivery: 64 coached scripts
// that wear details, 24 generic answers, 24 thin ones, 128 told episodes of
// every kind the engine has misread; four writers, none of whom saw the
// engine). The shipped weights never read them.
func TestSyntheticDelivery(t *testing.T) {
	files, err := filepath.Glob("../../testdata/eval/synthetic/delivery/*.jsonl")
	if err != nil || len(files) != 4 {
		t.Fatalf("%d synthetic delivery files (%v), want 4", len(files), err)
	}
	e := heuristic.New()
	guides := map[string]*analyzer.Guide{}
	type tally struct{ n, right, band int }
	byKind := map[string]*tally{}
	var all tally
	confusion := map[string]int{} // "gold -> read"
	for _, f := range files {
		for _, r := range readJSONL[evaluation.Item](t, f) {
			g := guides[r.Group["guide"]]
			if g == nil {
				var ok bool
				if g, ok = guide.Builtin(r.Group["guide"]); !ok {
					t.Fatalf("%s: no built-in guide %q", r.ID, r.Group["guide"])
				}
				guides[r.Group["guide"]] = g
			}
			d := analyzeInGuide(t, e, g, r.QuestionID, r.Text).Delivery
			confusion[r.Label+" -> "+d.Label]++
			k := r.Group["kind"] + " (" + r.Label + ")"
			if byKind[k] == nil {
				byKind[k] = &tally{}
			}
			for _, c := range []*tally{byKind[k], &all} {
				c.n++
				if d.Label == r.Label {
					c.right++
				}
				// A script is read right enough when it is not specific
				// and its specificity is at most 45 (issue 13's bar).
				if r.Group["kind"] != "script" || d.Label != analyzer.LabelSpecific && d.Specificity <= 45 {
					c.band++
				}
			}
		}
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		c := byKind[k]
		parts = append(parts, fmt.Sprintf("%s %d of %d", k, c.right, c.n))
	}
	scripts := *byKind["script (mixed)"]
	rs := byKind["script (rehearsed)"]
	scripts.n, scripts.band = scripts.n+rs.n, scripts.band+rs.band
	t.Logf("synthetic delivery: %d of %d labels as labelled; by kind: %s; scripts not specific and at <= 45: %d of %d; %v",
		all.right, all.n, strings.Join(parts, ", "), scripts.band, scripts.n, confusion)
	if all.n != 240 || scripts.n != 64 {
		t.Fatalf("%d answers and %d scripts, want 240 and 64", all.n, scripts.n)
	}
	// Measured on h2.23 when the set arrived: 191 of 240 (episodes 98 of
	// 128: a told episode read as mixed is the commoner miss here, where
	// the blind probes' commoner miss is a script read as specific); scripts
	// 58 of 64. The floors leave about 2%.
	if all.right < 186 || scripts.band < 56 {
		t.Errorf("synthetic delivery: %d of 240 labels (floor 186), %d of 64 scripts (floor 56)", all.right, scripts.band)
	}
}
