package main

import (
	"fmt"
	"github.com/candorhq/candor/evaluation"
	"math"
	"sort"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
)

// trainDelivery fits the delivery model (ordinal over rehearsed < mixed <
// specific) on the labelled answers, with 5-fold CV figures beside the
// counting rule's (the rule was tuned on dev, so its dev figure is
// in-sample).
//
// The delivery-only sets (testdata/eval/delivery_recitals.jsonl and
// delivery_set2.jsonl) are fitted on by default; with
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
		}
	}
	fitRows := func(keep func(*item) bool, lambda float64) (*model.Ordinal, error) {
		var X [][]float64
		var y []int
		for _, it := range rows {
			if keep(it) {
				X = append(X, it.trace.Delivery)
				y = append(y, it.label)
			}
		}
		return fit.OrdinalDecider(heuristic.DeliveryFeatures, X, y, lambda)
	}
	fmt.Printf("delivery: %d labelled answers\n", len(rows))
	bestL, bestAcc := 0.0, -1.0
	var bestPred []int
	var bestSpec []float64
	for _, l := range lambdas {
		pred := make([]int, len(rows))
		spec := make([]float64, len(rows))
		for f := 0; f < folds; f++ {
			m, err := fitRows(func(it *item) bool { return it.fold != f }, l)
			if err != nil {
				return err
			}
			for i, it := range rows {
				if it.fold == f {
					s := m.Score(it.trace.Delivery)
					pred[i] = m.Decide(s)
					spec[i] = float64(heuristic.SpecificityOf(s, m.Thresholds))
				}
			}
		}
		acc := 0.0
		for i, it := range rows {
			if pred[i] == it.label {
				acc++
			}
		}
		acc /= float64(len(rows))
		fmt.Printf("delivery: lambda %-7g label accuracy by %d-fold CV %.3f\n", l, folds, acc)
		if acc > bestAcc {
			bestL, bestAcc, bestPred, bestSpec = l, acc, pred, spec
		}
	}
	sets := []string{"dev", "own2", "behav"}
	if fitDeliveryOnly {
		sets = append(sets, deliveryOnlySets...)
	}
	for _, set := range sets {
		recordDelivery(w, "cv", set, "held-out folds", rows, bestPred, bestSpec)
	}
	w.Figures["delivery_label_acc_cv"] = analyzer.Round3(bestAcc)
	w.Figures["delivery_lambda"] = bestL
	m, err := fitRows(func(*item) bool { return true }, bestL)
	if err != nil {
		return err
	}
	w.Delivery = m
	if len(held) > 0 {
		pred, spec := make([]int, len(held)), make([]float64, len(held))
		calledSpecific := [3]int{} // by gold label
		for i, it := range held {
			s := m.Score(it.trace.Delivery)
			pred[i], spec[i] = m.Decide(s), float64(heuristic.SpecificityOf(s, m.Thresholds))
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
