package main

import (
	"fmt"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
)

// lambdas are the L2 penalties tried; ArgKP dev picks one.
var lambdas = []float64{0.0001, 0.001, 0.01, 0.1}

func trainPair(d *heuristic.DataLog, shared string, w *heuristic.Weights) error {
	train, err := loadArgKP(d, shared, "train")
	if err != nil {
		return err
	}
	dev, err := loadArgKP(d, shared, "dev")
	if err != nil {
		return err
	}
	tr, dv := train.rows(), dev.rows()
	fmt.Printf("pair: %d train pairs (%d topics), %d dev pairs\n", len(tr.X), len(train.groups)/2, len(dv.X))
	var best *model.Logistic
	bestS, bestR, bestL := -1.0, 0.0, 0.0
	for _, l := range lambdas {
		m, err := fit.Logistic(heuristic.PairFeatures, tr.X, tr.y, nil, l)
		if err != nil {
			return err
		}
		s, r := dev.meanAP(func(a, k string) float64 { return m.Prob(dv.vector[[2]string{a, k}]) })
		ts, tr2 := train.meanAP(func(a, k string) float64 { return m.Prob(tr.vector[[2]string{a, k}]) })
		fmt.Printf("pair: lambda %-7g train mAP %.3f/%.3f  dev mAP strict %.3f relaxed %.3f\n", l, ts, tr2, s, r)
		if s > bestS {
			best, bestS, bestR, bestL = m, s, r, l
		}
	}
	w.Pair = best
	w.Figures["pair_lambda"] = bestL
	w.Figures["argkp_dev_strict_map"] = analyzer.Round3(bestS)
	w.Figures["argkp_dev_relaxed_map"] = analyzer.Round3(bestR)
	// Reliability of the pair probability on dev, by deciles.
	printReliability("pair (ArgKP dev)", func(yield func(p float64, y bool)) {
		for i, x := range dv.X {
			yield(best.Prob(x), dv.y[i])
		}
	})
	return nil
}

// printReliability prints predicted against observed rates by decile of
// the prediction.
func printReliability(name string, each func(func(p float64, y bool))) {
	var n, pos [10]int
	var sum [10]float64
	each(func(p float64, y bool) {
		b := min(int(p*10), 9)
		n[b]++
		sum[b] += p
		if y {
			pos[b]++
		}
	})
	fmt.Printf("reliability, %s:\n| predicted | n | mean predicted | observed |\n|---|---|---|---|\n", name)
	for b := range n {
		if n[b] == 0 {
			continue
		}
		fmt.Printf("| %.1f-%.1f | %d | %.2f | %.2f |\n", float64(b)/10, float64(b+1)/10, n[b], sum[b]/float64(n[b]), float64(pos[b])/float64(n[b]))
	}
}
