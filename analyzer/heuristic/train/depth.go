package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// depthSets are the depth labels the depth model learns from, by set: each
// answer's guide depth signals, labelled one by one (present, partial,
// absent, with the sentences that show them) by people who never saw the
// engine's output. The seed-guide answers (own2) are labelled with
// cx-empathy's signals, the rubric written for the seed guide's questions.
// testdata/eval/depth_heldout.jsonl (the answers of answers.jsonl) is never
// read here: TestDepthHeldOut measures on it.
var depthSets = []struct{ set, path, guide string }{
	{"own2", "testdata/eval/depth_answers2.jsonl", "cx-empathy"},
	{"behav", "testdata/eval/behavioral/depth.jsonl", "behavioral-core"},
}

// depthLabel is one answer's labelled signals.
type depthLabel struct {
	ID      string `json:"id"`
	Signals map[string]struct {
		Status   string   `json:"status"`
		Evidence []string `json:"evidence"`
	} `json:"signals"`
}

// depthStatus maps a labelled status to 0 absent, 1 partial, 2 present.
func depthStatus(s string) (int, bool) {
	switch s {
	case analyzer.DepthAbsent:
		return 0, true
	case analyzer.DepthPartial:
		return 1, true
	case analyzer.DepthPresent:
		return 2, true
	}
	return 0, false
}

func readDepthLabels(d *heuristic.DataLog, path string) (map[string]depthLabel, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]depthLabel{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r depthLabel
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out[r.ID] = r
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, d.Add(path, len(out))
}

// signalLabel is one labelled depth signal of an answer.
type signalLabel struct {
	id, text string
	y        int // 0 absent, 1 partial, 2 present
	evidence []string
}

// attachDepth reads the depth labels of depthSets and attaches them to
// their answers (item.depth), in the order of the guide's signals.
func attachDepth(d *heuristic.DataLog, items []*item) error {
	for _, src := range depthSets {
		labels, err := readDepthLabels(d, src.path)
		if err != nil {
			return err
		}
		g, ok := guide.Builtin(src.guide)
		if !ok {
			return fmt.Errorf("no built-in guide %s", src.guide)
		}
		seen := 0
		for _, it := range items {
			if it.set != src.set || it.foreign || it.off {
				continue
			}
			lab, ok := labels[it.id]
			if !ok {
				continue
			}
			seen++
			it.q.Depth = g.DepthSignals
			for _, sig := range g.DepthSignals {
				l, ok := lab.Signals[sig.ID]
				if !ok {
					return fmt.Errorf("%s: %s: no label for signal %s", src.path, it.id, sig.ID)
				}
				y, ok := depthStatus(l.Status)
				if !ok {
					return fmt.Errorf("%s: %s: signal %s: status %q is not present, partial or absent", src.path, it.id, sig.ID, l.Status)
				}
				for _, e := range l.Evidence {
					if !strings.Contains(it.text, e) {
						return fmt.Errorf("%s: %s: signal %s: evidence %q is not in the answer", src.path, it.id, sig.ID, e)
					}
				}
				it.depth = append(it.depth, signalLabel{id: sig.ID, text: sig.Text, y: y, evidence: l.Evidence})
			}
		}
		if seen != len(labels) {
			return fmt.Errorf("%s: %d labelled answers, %d of them found in %s", src.path, len(labels), seen, src.set)
		}
	}
	return nil
}

// depthRow is one labelled signal of one answer.
type depthRow struct {
	x      []float64 // the signal's CoverageFeatures vector
	y      int       // gold: 0 absent, 1 partial, 2 present
	area   int       // what the coverage model decides for it (the engine before h2.20)
	signal string
	it     *item
	quoted int    // the unit quoted first, -1 none
	gold   []bool // units inside the labelled evidence
}

// trainDepth fits the depth model on the labelled signals' coverage
// features, its penalty chosen by 5-fold CV (folds by answer, as the other
// models'), and reports what the coverage model's reading of the same
// signals (what decided them before) scores on them. Each answer is traced
// with the prototypes learned without its fold, so that its quotes are an
// unseen answer's.
func trainDepth(items []*item, w *heuristic.Weights, alias map[string]string) error {
	var rows []depthRow
	var quoteRows []evRow // signals labelled with evidence, with a prototype
	for f := 0; f < folds; f++ {
		wf := *w
		wf.Prototypes = prototypes(items, func(g int) bool { return g == f }, alias)
		heuristic.SetWeights(&wf)
		e := heuristic.New()
		for _, it := range items {
			if it.fold != f || len(it.depth) == 0 {
				continue
			}
			tr, err := e.TraceDepth(it.q, it.text)
			if err != nil {
				return fmt.Errorf("%s/%s: %w", it.set, it.id, err)
			}
			for i, l := range it.depth {
				at := tr.Areas[len(it.q.Areas)+i]
				if at.Coverage == nil {
					return fmt.Errorf("%s/%s: signal %s read as a claim", it.set, it.id, l.id)
				}
				gold := heuristic.GoldUnits(it.text, tr.Units, l.evidence)
				rows = append(rows, depthRow{x: at.Coverage, y: l.y, area: areaValue(at.Status), signal: l.id, it: it,
					quoted: at.Quoted, gold: gold})
				if at.QuoteProto == nil || l.y == 0 {
					continue
				}
				r := evRow{it: it}
				found := false
				for u, x := range at.QuoteProto {
					if x != nil {
						r.x, r.gold = append(r.x, x), append(r.gold, gold[u])
						found = found || gold[u]
					}
				}
				if found {
					quoteRows = append(quoteRows, r)
				}
			}
		}
	}
	heuristic.SetWeights(w)
	sort.SliceStable(rows, func(i, j int) bool { return itemBefore(rows[i].it, rows[j].it) })
	fmt.Printf("depth: %d labelled signals\n", len(rows))
	gold := make([]int, len(rows))
	area := make([]int, len(rows))
	for i, r := range rows {
		gold[i], area[i] = r.y, r.area
	}
	// The depth model learns from the labelled signals and from the
	// labelled areas (coverageRows: a signal is read as an area, and there
	// are twice as many areas), each signal weighted wd against an area's 1;
	// its cut-offs maximise QWK on the signals alone. wd and the penalty are
	// chosen by 5-fold CV on the signals (folds by answer, for areas and
	// signals alike); wd 0 is a free fit of the areas alone with the
	// signals' cut-offs, and depthOnly leaves the areas out. Since h2.21 an
	// area row's answer_words is read against its question's areas and a
	// signal's is not, so the mixed fits put two readings of length in one
	// column; the CV chose depthOnly before and after (depth_signal_weight).
	areas := coverageRows(items)
	fitRows := func(keep func(*item) bool, wd, lambda float64) (*model.Ordinal, error) {
		var X [][]float64
		var y []int
		var sw []float64
		if wd != depthOnly {
			for _, r := range areas {
				if keep(r.it) {
					X, y, sw = append(X, r.x), append(y, r.y), append(sw, 1)
				}
			}
		}
		for _, r := range rows {
			if keep(r.it) && wd != 0 {
				X, y, sw = append(X, r.x), append(y, r.y), append(sw, max(wd, 1))
			}
		}
		m, err := fit.Ordinal(heuristic.CoverageFeatures, X, y, sw, 3, lambda)
		if err != nil {
			return nil, err
		}
		var scores []float64
		var ys []int
		for _, r := range rows {
			if keep(r.it) {
				scores, ys = append(scores, m.Score(r.x)), append(ys, r.y)
			}
		}
		m.Thresholds = fit.Thresholds(scores, ys, 3)
		return m, nil
	}
	bestL, bestWD, bestQ := 0.0, 0.0, -2.0
	var bestPred []int
	var bestProb []float64
	for _, wd := range depthWeights {
		for _, l := range lambdas {
			pred, prob := make([]int, len(rows)), make([]float64, len(rows))
			for f := 0; f < folds; f++ {
				m, err := fitRows(func(it *item) bool { return it.fold != f }, wd, l)
				if err != nil {
					return err
				}
				for i, r := range rows {
					if r.it.fold == f {
						s := m.Score(r.x)
						pred[i], prob[i] = m.Decide(s), m.AtLeast(s, 2)
					}
				}
			}
			q := evaluation.QWK(gold, pred, 3)
			how := fmt.Sprintf("signal weight %g", wd)
			if wd == depthOnly {
				how = "signals only"
			}
			fmt.Printf("depth: %-16s lambda %-7g QWK by %d-fold CV %.3f accuracy %.3f\n", how, l, folds, q, evaluation.Accuracy(gold, pred))
			if q > bestQ {
				bestL, bestWD, bestQ, bestPred, bestProb = l, wd, q, pred, prob
			}
		}
	}
	report := func(name string, keep func(depthRow) bool) {
		var g, p, a []int
		for i, r := range rows {
			if keep(r) {
				g, p, a = append(g, gold[i]), append(p, bestPred[i]), append(a, area[i])
			}
		}
		fmt.Printf("depth: %-22s %3d signals: QWK %.3f accuracy %.3f (held-out folds); read as areas (before): QWK %.3f accuracy %.3f\n",
			name, len(g), evaluation.QWK(g, p, 3), evaluation.Accuracy(g, p), evaluation.QWK(g, a, 3), evaluation.Accuracy(g, a))
		w.Figures["depth_qwk_cv_"+name] = analyzer.Round3(evaluation.QWK(g, p, 3))
		w.Figures["depth_qwk_area_"+name] = analyzer.Round3(evaluation.QWK(g, a, 3))
	}
	report("all", func(depthRow) bool { return true })
	for _, src := range depthSets {
		report(src.set, func(r depthRow) bool { return r.it.set == src.set })
	}
	var names []string
	for _, r := range rows {
		if !slices.Contains(names, r.signal) {
			names = append(names, r.signal)
		}
	}
	for _, n := range names {
		report(n, func(r depthRow) bool { return r.signal == n })
	}
	printDepthConfusion(rows, bestPred)
	printReliability("P(present), depth model, held-out folds", func(yield func(float64, bool)) {
		for i, r := range rows {
			yield(bestProb[i], r.y == 2)
		}
	})
	// The quotes: the unit quoted first, against the labelled evidence, for
	// the signals labelled present or partial (the depth model does not
	// choose quotes; the quote models do, as for an area).
	right, quoted := 0, 0
	for _, r := range rows {
		if r.y == 0 || r.quoted < 0 || !anyTrue(r.gold) {
			continue
		}
		quoted++
		if r.gold[r.quoted] {
			right++
		}
	}
	fmt.Printf("depth: first quote inside the labelled evidence: %d of %d labelled signals (%.3f)\n", right, quoted, float64(right)/float64(max(quoted, 1)))
	w.Figures["depth_quote_precision"] = analyzer.Round3(float64(right) / float64(max(quoted, 1)))
	// A quote model of the signals' own, beside the areas' (quote_proto)
	// on the same rows.
	sort.SliceStable(quoteRows, func(i, j int) bool { return itemBefore(quoteRows[i].it, quoteRows[j].it) })
	areasModel := precisionAt1(quoteRows, func(r evRow, u int) float64 { return w.QuoteProto.Prob(r.x[u]) })
	fmt.Printf("depth_quote: %d signals with labelled evidence and a prototype; the areas' quote_proto model on them: precision@1 %.3f\n", len(quoteRows), areasModel)
	w.Figures["depth_quote_rows"] = float64(len(quoteRows))
	w.Figures["depth_quote_areas_model_precision_at1"] = analyzer.Round3(areasModel)
	dq, cut, err := fitQuoteModel("depth_quote", heuristic.QuoteProtoFeatures, quoteRows, w)
	if err != nil {
		return err
	}
	if w.Figures["depth_quote_precision_at1_cv"] > areasModel {
		w.DepthQuote, w.DepthQuoteSure = dq, cut
	} else {
		fmt.Println("depth_quote: not above the areas' model on the same signals; the signals keep quote_proto")
		w.DepthQuote, w.DepthQuoteSure = nil, 0
	}
	w.Figures["depth_qwk_cv"] = analyzer.Round3(bestQ)
	w.Figures["depth_lambda"] = bestL
	w.Figures["depth_signal_weight"] = bestWD
	m, err := fitRows(func(*item) bool { return true }, bestWD, bestL)
	if err != nil {
		return err
	}
	w.Depth = m
	return nil
}

// depthWeights are the weights of a labelled signal against a labelled
// area tried; depthOnly fits on the signals alone.
var depthWeights = []float64{0, 1, 3, 10, depthOnly}

const depthOnly = -1

func printDepthConfusion(rows []depthRow, pred []int) {
	var c, a [3][3]int
	for i, r := range rows {
		c[r.y][pred[i]]++
		a[r.y][r.area]++
	}
	for g, name := range []string{"absent", "partial", "present"} {
		fmt.Printf("depth: gold %-7s read as absent %3d, partial %3d, present %3d (held-out folds); as areas %3d, %3d, %3d\n",
			name, c[g][0], c[g][1], c[g][2], a[g][0], a[g][1], a[g][2])
	}
}

func anyTrue(b []bool) bool {
	for _, v := range b {
		if v {
			return true
		}
	}
	return false
}

// areaValue maps an area status to 0 missing, 1 partial, 2 covered.
func areaValue(s string) int {
	switch s {
	case analyzer.StatusCovered:
		return 2
	case analyzer.StatusPartial:
		return 1
	}
	return 0
}
