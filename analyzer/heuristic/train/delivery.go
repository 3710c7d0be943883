package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
	"github.com/candorhq/candor/evaluation"
)

// trainDelivery fits the delivery model (ordinal over rehearsed < mixed <
// specific) on the labelled answers, with 5-fold CV figures beside the
// counting rule's (the rule was tuned on dev, so its dev figure is
// in-sample).
//
// The delivery-only sets (deliveryOnlySets) are fitted on by default; with
// -fit-delivery-only=false the final model is measured on them, answer sets
// it never saw.
func trainDelivery(items []*item, w *heuristic.Weights) error {
	var rows, held []*item
	for _, it := range items {
		switch {
		case it.label < 0 || it.off:
		case it.deliveryOnly && !fitDeliveryOnly:
			held = append(held, it)
		default:
			rows = append(rows, it)
		}
	}
	dropped, err := fit.Columns(heuristic.DeliveryFeatures, dropDelivery)
	if err != nil {
		return fmt.Errorf("-drop-delivery: %w", err)
	}
	for _, it := range items {
		for _, k := range dropped {
			if k < len(it.trace.Delivery) {
				it.trace.Delivery[k] = 0
			}
			if k < len(it.trace.DeliveryUntensed) {
				it.trace.DeliveryUntensed[k] = 0
			}
		}
	}
	pairs := retellingPairs(rows)
	fitRows := func(keep func(*item) bool, lambda float64) (*model.Ordinal, error) {
		var X [][]float64
		var y []int
		for _, it := range rows {
			if keep(it) {
				X = append(X, it.trace.Delivery)
				y = append(y, it.label)
			}
		}
		return fit.OrdinalDecider(heuristic.DeliveryFeatures, X, y, lambda, nil)
	}
	fmt.Printf("delivery: %d labelled answers, %d retelling pairs\n", len(rows), len(pairs))
	// specCurve fits the specificity curve on the rows keep accepts, by
	// the scores of m (fit.Isotonic of the labelled specificity).
	specCurve := func(m *model.Ordinal, keep func(*item) bool) (*model.Curve, error) {
		var x, y []float64
		for _, it := range rows {
			if keep(it) && it.spec >= 0 {
				x, y = append(x, heuristic.DeliveryScore(m, it.trace.Delivery, it.trace.DeliveryUntensed)), append(y, float64(it.spec))
			}
		}
		return fit.Isotonic(x, y)
	}
	// specCenters is the mean labelled specificity of each gold label over
	// the rows keep accepts: where the shrink pulls the curve's value.
	specCenters := func(keep func(*item) bool) []float64 {
		sum, n := make([]float64, 3), make([]float64, 3)
		for _, it := range rows {
			if keep(it) && it.spec >= 0 && it.label >= 0 {
				sum[it.label] += float64(it.spec)
				n[it.label]++
			}
		}
		for k := range sum {
			if n[k] > 0 {
				sum[k] /= n[k]
			}
		}
		return sum
	}
	type cvRun struct {
		lambda, acc float64
		pred        []int
		// dist: the score's distance to the fold model's nearest threshold
		dist []float64
		// spec by the logistic map and by the curve
		spec, specCurve []float64
		// specShrunk[k]: the curve's, shrunk by shrinkFactors[k]
		specShrunk [][]float64
	}
	var best cvRun
	best.acc = -1
	tried := lambdas
	if deliveryLambda > 0 {
		tried = []float64{deliveryLambda}
	}
	for _, l := range tried {
		r := cvRun{lambda: l, pred: make([]int, len(rows)), dist: make([]float64, len(rows)), spec: make([]float64, len(rows)), specCurve: make([]float64, len(rows))}
		for range shrinkFactors {
			r.specShrunk = append(r.specShrunk, make([]float64, len(rows)))
		}
		for f := 0; f < folds; f++ {
			train := func(it *item) bool { return it.fold != f }
			m, err := fitRows(train, l)
			if err != nil {
				return err
			}
			c, err := specCurve(m, train)
			if err != nil {
				return err
			}
			centers := specCenters(train)
			for i, it := range rows {
				if it.fold == f {
					s := heuristic.DeliveryScore(m, it.trace.Delivery, it.trace.DeliveryUntensed)
					r.pred[i] = m.Decide(s)
					r.dist[i] = heuristic.ThresholdDistance(s, m.Thresholds)
					r.spec[i] = float64(heuristic.SpecificityOf(s, m.Thresholds, nil, nil))
					r.specCurve[i] = float64(heuristic.SpecificityOf(s, m.Thresholds, c, nil))
					for k, a := range shrinkFactors {
						r.specShrunk[k][i] = float64(heuristic.SpecificityOf(s, m.Thresholds, c, &model.Shrink{Centers: centers, Factor: a}))
					}
				}
			}
		}
		for i, it := range rows {
			if r.pred[i] == it.label {
				r.acc++
			}
		}
		r.acc /= float64(len(rows))
		fmt.Printf("delivery: lambda %-7g label accuracy by %d-fold CV %.3f\n", l, folds, r.acc)
		if r.acc > best.acc {
			best = r
		}
	}
	// Which map puts the score on the labellers' scale: the one nearer
	// their specificity on held-out folds.
	maeLogistic, maeCurve := specMAE(rows, best.spec), specMAE(rows, best.specCurve)
	useCurve := maeCurve < maeLogistic
	for _, m := range []struct {
		name string
		spec []float64
		mae  float64
	}{{"logistic", best.spec, maeLogistic}, {"curve", best.specCurve, maeCurve}} {
		same, within3, diff := pairAgreement(pairs, best.pred, m.spec)
		fmt.Printf("delivery: specificity by the %-8s map (held-out folds): mean absolute error %.1f, Spearman %.3f; retelling pairs: same label %.3f, specificity within 3 %.3f, mean difference %.1f\n",
			m.name, m.mae, spearmanRows(rows, m.spec), same, within3, diff)
		w.Figures["delivery_spec_mae_cv_"+m.name] = analyzer.Round3(m.mae)
		w.Figures["delivery_retellings_within3_cv_"+m.name] = analyzer.Round3(within3)
	}
	bestSpec := best.spec
	shrink := 1.0
	if useCurve {
		// How far to pull the curve's value towards its label's mean: the
		// one-standard-error rule (Breiman et al.): of the pulls whose
		// held-out error is within one standard error of the least (the
		// standard error of that mean absolute error over the rows), the
		// strongest, the most regular of the fits that measure alike.
		// Factor 0 is no pull but the label's mean in place of the score,
		// which drops the order within a label: not a candidate.
		bestSpec = best.specCurve
		maes := make([]float64, len(shrinkFactors))
		least, leastK := maeCurve, -1
		for k, a := range shrinkFactors {
			maes[k] = specMAE(rows, best.specShrunk[k])
			if maes[k] < least {
				least, leastK = maes[k], k
			}
			same, within3, diff := pairAgreement(pairs, best.pred, best.specShrunk[k])
			fmt.Printf("delivery: curve pulled to its label's mean, factor %.1f (held-out folds): mean absolute error %.2f, Spearman %.3f; retelling pairs: same label %.3f, within 3 %.3f, mean difference %.1f\n",
				a, maes[k], spearmanRows(rows, best.specShrunk[k]), same, within3, diff)
		}
		se := 0.0
		if leastK >= 0 {
			se = specMAESE(rows, best.specShrunk[leastK])
		}
		fmt.Printf("delivery: least held-out error %.2f, its standard error %.2f\n", least, se)
		bestMAE := maeCurve
		for k, a := range shrinkFactors {
			if a > 0 && maes[k] <= least+se {
				bestMAE, shrink, bestSpec = maes[k], a, best.specShrunk[k]
			}
		}
		same, within3, _ := pairAgreement(pairs, best.pred, bestSpec)
		fmt.Printf("delivery: shrink factor %.1f: mean absolute error %.2f, Spearman %.3f, retelling pairs within 3 %.3f (same label %.3f)\n",
			shrink, bestMAE, spearmanRows(rows, bestSpec), within3, same)
		w.Figures["delivery_spec_shrink"] = shrink
		w.Figures["delivery_spec_mae_cv_shrunk"] = analyzer.Round3(bestMAE)
		w.Figures["delivery_retellings_within3_cv_shrunk"] = analyzer.Round3(within3)
	}
	sets := []string{"dev", "own2", "behav"}
	if fitDeliveryOnly {
		sets = append(sets, deliveryOnlySets...)
	}
	for _, set := range sets {
		recordDelivery(w, "cv", set, "held-out folds", rows, best.pred, bestSpec)
	}
	w.Figures["delivery_label_acc_cv"] = analyzer.Round3(best.acc)
	printConfusion("delivery: held-out folds", rows, best.pred)
	if cvOut != "" {
		if err := writeCV(cvOut, rows, best.pred, bestSpec); err != nil {
			return err
		}
	}
	w.Figures["delivery_lambda"] = best.lambda
	m, err := fitRows(func(*item) bool { return true }, best.lambda)
	if err != nil {
		return err
	}
	w.Delivery = m
	if w.DeliveryConfidence, err = deliveryConfidence(w, rows, pairs, best.pred, best.dist); err != nil {
		return err
	}
	w.Specificity, w.SpecificityShrink = nil, nil
	if useCurve {
		all := func(*item) bool { return true }
		if w.Specificity, err = specCurve(m, all); err != nil {
			return err
		}
		if shrink < 1 {
			w.SpecificityShrink = &model.Shrink{Centers: specCenters(all), Factor: shrink}
		}
	}
	if len(held) > 0 {
		pred, spec := make([]int, len(held)), make([]float64, len(held))
		calledSpecific := [3]int{} // by gold label
		for i, it := range held {
			s := heuristic.DeliveryScore(m, it.trace.Delivery, it.trace.DeliveryUntensed)
			pred[i], spec[i] = m.Decide(s), float64(heuristic.SpecificityOf(s, m.Thresholds, w.Specificity, w.SpecificityShrink))
			if pred[i] == 2 {
				calledSpecific[it.label]++
			}
		}
		for _, set := range deliveryOnlySets {
			recordDelivery(w, "heldout", set, "never fitted", held, pred, spec)
		}
		fmt.Printf("delivery: delivery-only sets (never fitted): %d answers; called specific: %d rehearsed, %d mixed, %d specific\n",
			len(held), calledSpecific[0], calledSpecific[1], calledSpecific[2])
	}
	return nil
}

// shrinkFactors are the pulls towards a label's mean specificity tried,
// from 1 (none) down to 0 (every answer of a label gets its mean).
var shrinkFactors = []float64{1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0}

// retellingPairs pairs each retelling (delivery_variants.jsonl, id "<source
// id>~<kind>") with its source among rows, by index into rows.
func retellingPairs(rows []*item) [][2]int {
	src := map[string]int{}
	for i, it := range rows {
		if it.set == "own2" || it.set == "behav" {
			src[it.id] = i
		}
	}
	var ps [][2]int
	for i, it := range rows {
		if it.set != deliveryOnlySets[2] {
			continue
		}
		id, _, _ := strings.Cut(it.id, "~")
		if j, ok := src[id]; ok {
			ps = append(ps, [2]int{i, j})
		}
	}
	return ps
}

// pairAgreement is how alike the predictions of pairs (retellingPairs) are:
// the share with the same label, the share whose specificity differs by at
// most 3, and the mean absolute difference of specificity.
func pairAgreement(pairs [][2]int, pred []int, spec []float64) (same, within3, mean float64) {
	if len(pairs) == 0 {
		return 0, 0, 0
	}
	for _, p := range pairs {
		if pred[p[0]] == pred[p[1]] {
			same++
		}
		d := math.Abs(spec[p[0]] - spec[p[1]])
		if d <= 3 {
			within3++
		}
		mean += d
	}
	n := float64(len(pairs))
	return same / n, within3 / n, mean / n
}

// specMAE is the mean absolute difference between spec (parallel to rows)
// and the labelled specificity, over rows that have one.
func specMAE(rows []*item, spec []float64) float64 {
	sum, n := 0.0, 0
	for i, it := range rows {
		if it.spec >= 0 {
			sum += math.Abs(spec[i] - float64(it.spec))
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// specMAESE is the standard error of specMAE: the standard deviation of
// the absolute errors over the rows with a labelled specificity, over the
// square root of their number.
func specMAESE(rows []*item, spec []float64) float64 {
	var errs []float64
	for i, it := range rows {
		if it.spec >= 0 {
			errs = append(errs, math.Abs(spec[i]-float64(it.spec)))
		}
	}
	if len(errs) < 2 {
		return 0
	}
	m := 0.0
	for _, e := range errs {
		m += e
	}
	m /= float64(len(errs))
	v := 0.0
	for _, e := range errs {
		v += (e - m) * (e - m)
	}
	return math.Sqrt(v/float64(len(errs)-1)) / math.Sqrt(float64(len(errs)))
}

// spearmanRows is the Spearman correlation of spec (parallel to rows) with
// the labelled specificity, over rows that have one.
func spearmanRows(rows []*item, spec []float64) float64 {
	var g, p []float64
	for i, it := range rows {
		if it.spec >= 0 {
			g, p = append(g, float64(it.spec)), append(p, spec[i])
		}
	}
	return spearman(g, p)
}

// recordDelivery prints and records the delivery figures of one set (rows
// whose set is set; pred and spec parallel to rows) under
// delivery_*_<kind>_<set>; how says how the predictions were made.
func recordDelivery(w *heuristic.Weights, kind, set, how string, rows []*item, pred []int, spec []float64) {
	acc, rule, rho, auc := deliveryFigures(rows, pred, spec, func(it *item) bool { return it.set == set })
	fmt.Printf("delivery: set %-7s label accuracy %.3f (rule %.3f), specificity Spearman %.3f, specific-vs-rehearsed AUC %.3f (%s)\n",
		set, acc, rule, rho, auc, how)
	w.Figures["delivery_label_acc_"+kind+"_"+set] = analyzer.Round3(acc)
	w.Figures["delivery_label_acc_rule_"+set] = analyzer.Round3(rule)
	w.Figures["delivery_spearman_"+kind+"_"+set] = analyzer.Round3(rho)
	w.Figures["delivery_auc_"+kind+"_"+set] = analyzer.Round3(auc)
}

// deliveryFigures measures predicted labels and specificities (pred, spec,
// parallel to rows) on the rows keep accepts: label accuracy, the counting
// rule's label accuracy, Spearman of specificity, specific-vs-rehearsed AUC.
func deliveryFigures(rows []*item, pred []int, spec []float64, keep func(*item) bool) (acc, rule, rho, auc float64) {
	n, ok, nRule := 0, 0, 0
	var g, p []float64
	var aucS, aucR []float64
	for i, it := range rows {
		if !keep(it) {
			continue
		}
		n++
		if pred[i] == it.label {
			ok++
		}
		if labelValue(it.trace.RuleLabel) == it.label {
			nRule++
		}
		if it.spec >= 0 {
			g, p = append(g, float64(it.spec)), append(p, spec[i])
		}
		switch it.label {
		case 2:
			aucS = append(aucS, spec[i])
		case 0:
			aucR = append(aucR, spec[i])
		}
	}
	return float64(ok) / float64(n), float64(nRule) / float64(n), spearman(g, p), evaluation.AUC(aucS, aucR)
}

func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}

func spearman(a, b []float64) float64 {
	if len(a) < 2 {
		return 0
	}
	ra, rb := ranks(a), ranks(b)
	var ma, mb float64
	for i := range ra {
		ma += ra[i]
		mb += rb[i]
	}
	ma /= float64(len(ra))
	mb /= float64(len(rb))
	var num, da, db float64
	for i := range ra {
		num += (ra[i] - ma) * (rb[i] - mb)
		da += (ra[i] - ma) * (ra[i] - ma)
		db += (rb[i] - mb) * (rb[i] - mb)
	}
	if da == 0 || db == 0 {
		return 0
	}
	return num / math.Sqrt(da*db)
}

// printConfusion prints gold against held-out label, rehearsed, mixed,
// specific in that order, one line per gold label.
func printConfusion(what string, rows []*item, pred []int) {
	var c [3][3]int
	for i, it := range rows {
		if it.label >= 0 {
			c[it.label][pred[i]]++
		}
	}
	for g, name := range []string{"rehearsed", "mixed", "specific"} {
		fmt.Printf("%s: gold %-9s read as rehearsed %3d, mixed %3d, specific %3d\n", what, name, c[g][0], c[g][1], c[g][2])
	}
}

// writeCV writes every row's held-out reading as JSON lines (set, id, gold
// label and specificity, held-out label and specificity, the features, and
// those of the untensed reading where there is one):
// what -cv-out asks for, to study the errors without reading answers.
func writeCV(path string, rows []*item, pred []int, spec []float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for i, it := range rows {
		rec := map[string]any{"set": it.set, "id": it.id, "label": it.label, "spec": it.spec,
			"pred": pred[i], "pred_spec": spec[i], "x": it.trace.Delivery}
		if it.trace.DeliveryUntensed != nil {
			rec["x_untensed"] = it.trace.DeliveryUntensed
		}
		if err := enc.Encode(rec); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// deliveryConfidence fits the label confidence (Weights.DeliveryConfidence):
// how often a held-out label was the labellers', against the held-out
// score's distance to the nearest threshold (logistic regression on
// heuristic.DeliveryConfidenceFeatures of the distance). It is measured
// first by nested folds: each fold's rows read a model fitted on the other
// folds' held-out rows, never their own; the penalty is chosen there, by
// the Brier score.
func deliveryConfidence(w *heuristic.Weights, rows []*item, pairs [][2]int, pred []int, dist []float64) (*model.Logistic, error) {
	right := func(i int) bool { return pred[i] == rows[i].label }
	fitOn := func(keep func(i int) bool, lambda float64) (*model.Logistic, error) {
		var X [][]float64
		var y []bool
		for i := range rows {
			if keep(i) {
				X, y = append(X, heuristic.DeliveryConfidenceX(dist[i])), append(y, right(i))
			}
		}
		return fit.Logistic(heuristic.DeliveryConfidenceFeatures, X, y, nil, lambda)
	}
	sq := func(p float64, y bool) float64 {
		if y {
			return (1 - p) * (1 - p)
		}
		return p * p
	}
	mean := 0.0
	for i := range rows {
		if right(i) {
			mean++
		}
	}
	mean /= float64(len(rows))
	brier0 := 0.0
	for i := range rows {
		brier0 += sq(mean, right(i))
	}
	brier0 /= float64(len(rows))
	var conf []float64
	bestL, best := 0.0, math.Inf(1)
	for _, l := range lambdas {
		c := make([]float64, len(rows))
		for f := 0; f < folds; f++ {
			m, err := fitOn(func(i int) bool { return rows[i].fold != f }, l)
			if err != nil {
				return nil, err
			}
			for i := range rows {
				if rows[i].fold == f {
					c[i] = m.Prob(heuristic.DeliveryConfidenceX(dist[i]))
				}
			}
		}
		brier := 0.0
		for i := range rows {
			brier += sq(c[i], right(i))
		}
		brier /= float64(len(rows))
		fmt.Printf("delivery: label confidence, lambda %-7g Brier by nested held-out folds %.4f (the overall accuracy %.3f as every answer's: %.4f)\n", l, brier, mean, brier0)
		if brier < best {
			bestL, best, conf = l, brier, c
		}
	}
	w.Figures["delivery_confidence_brier_cv"] = analyzer.Round3(best)
	w.Figures["delivery_confidence_brier_constant"] = analyzer.Round3(brier0)
	w.Figures["delivery_confidence_lambda"] = bestL
	printReliability("label confidence, delivery model, nested held-out folds", func(yield func(float64, bool)) {
		for i := range rows {
			yield(conf[i], right(i))
		}
	})
	var nBorder, rightBorder, rightOther float64
	for i := range rows {
		r := 0.0
		if right(i) {
			r = 1
		}
		if conf[i] < analyzer.BorderlineConfidence {
			nBorder++
			rightBorder += r
		} else {
			rightOther += r
		}
	}
	fmt.Printf("delivery: borderline (confidence < %.3f): %.0f of %d answers, label accuracy %.3f; the others %.3f\n",
		analyzer.BorderlineConfidence, nBorder, len(rows), rightBorder/max(nBorder, 1), rightOther/max(float64(len(rows))-nBorder, 1))
	w.Figures["delivery_borderline_share_cv"] = analyzer.Round3(nBorder / float64(len(rows)))
	w.Figures["delivery_borderline_acc_cv"] = analyzer.Round3(rightBorder / max(nBorder, 1))
	w.Figures["delivery_not_borderline_acc_cv"] = analyzer.Round3(rightOther / max(float64(len(rows))-nBorder, 1))
	split, flagged := 0, 0
	for _, p := range pairs {
		if pred[p[0]] != pred[p[1]] {
			split++
			if conf[p[0]] < analyzer.BorderlineConfidence || conf[p[1]] < analyzer.BorderlineConfidence {
				flagged++
			}
		}
	}
	fmt.Printf("delivery: retelling pairs with two labels (held-out folds): %d, of which %d have a borderline telling\n", split, flagged)
	return fitOn(func(int) bool { return true }, bestL)
}
