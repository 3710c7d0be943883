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
	// The claim model (trainClaim) decides claims; the pair model's own
	// reading of ArgKP dev, as claims read it before h2.23:
	w.Figures["pair_argkp_dev_strict_map"] = analyzer.Round3(bestS)
	w.Figures["pair_argkp_dev_relaxed_map"] = analyzer.Round3(bestR)
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

// trainClaim fits the claim model: for each ArgKP train argument with a
// labelled pair, a choice among its topic and stance's key points and
// "none" (its first key point labelled a match, else none), by conditional
// logit on ClaimFeatures. The penalty is chosen by strict mAP on ArgKP dev
// (the claim probability ranks the arguments, as the CLI's report does).
func trainClaim(d *heuristic.DataLog, shared string, w *heuristic.Weights) error {
	train, err := loadArgKP(d, shared, "train")
	if err != nil {
		return err
	}
	dev, err := loadArgKP(d, shared, "dev")
	if err != nil {
		return err
	}
	tg, tc, tp := train.choices()
	_, _, dp := dev.choices()
	fmt.Printf("claim: %d train arguments with a labelled pair (%d matching a key point)\n", len(tg), countAtLeast(tc, 0))
	var best *model.Linear
	bestS, bestR, bestL := -1.0, 0.0, 0.0
	for _, l := range lambdas {
		m, err := fit.Choice(heuristic.ClaimFeatures, tg, tc, l)
		if err != nil {
			return err
		}
		ts, _ := train.meanAP(tp.probs(m))
		s, r := dev.meanAP(dp.probs(m))
		fmt.Printf("claim: lambda %-7g train mAP %.3f  dev mAP strict %.3f relaxed %.3f\n", l, ts, s, r)
		if s > bestS {
			best, bestS, bestR, bestL = m, s, r, l
		}
	}
	w.Claim = best
	w.Figures["claim_lambda"] = bestL
	w.Figures["argkp_dev_strict_map"] = analyzer.Round3(bestS)
	w.Figures["argkp_dev_relaxed_map"] = analyzer.Round3(bestR)
	printReliability("claim (ArgKP dev, labelled pairs)", func(yield func(p float64, y bool)) {
		score := dp.probs(best)
		for _, g := range dev.groups {
			for _, a := range g.args {
				for _, k := range g.kps {
					if l, ok := dev.labels[[2]string{a.id, k.id}]; ok {
						yield(score(a.id, k.id), l == 1)
					}
				}
			}
		}
	})
	return nil
}

// claimVecs holds every argument's claim vectors, one per key point of its
// topic and stance, in the key points' order.
type claimVecs struct {
	set  *argkpSet
	vecs map[string][][]float64 // arg id -> per key point
}

// choices reads every argument's claim vectors, and, for the arguments
// with at least one labelled pair, the choice the labels make.
func (s *argkpSet) choices() (groups [][][]float64, chosen []int, all *claimVecs) {
	all = &claimVecs{set: s, vecs: map[string][][]float64{}}
	for _, g := range s.groups {
		areas := make([]string, len(g.kps))
		for i, k := range g.kps {
			areas[i] = k.text
		}
		for _, a := range g.args {
			vs := heuristic.ClaimVectors(g.topic, areas, a.text)
			all.vecs[a.id] = vs
			c, labelled := -1, false
			for i, k := range g.kps {
				if l, ok := s.labels[[2]string{a.id, k.id}]; ok {
					labelled = true
					if l == 1 && c < 0 {
						c = i
					}
				}
			}
			if labelled {
				groups = append(groups, vs)
				chosen = append(chosen, c)
			}
		}
	}
	return groups, chosen, all
}

// probs scores (argument, key point) by the model's choice probability,
// as the engine computes it (claimProbs, every area a claim).
func (c *claimVecs) probs(m *model.Linear) func(arg, kp string) float64 {
	p := map[[2]string]float64{}
	for _, g := range c.set.groups {
		for _, a := range g.args {
			ps := heuristic.ClaimProbs(m, c.vecs[a.id])
			for i, k := range g.kps {
				p[[2]string{a.id, k.id}] = ps[i]
			}
		}
	}
	return func(arg, kp string) float64 { return p[[2]string{arg, kp}] }
}

func countAtLeast(xs []int, v int) int {
	n := 0
	for _, x := range xs {
		if x >= v {
			n++
		}
	}
	return n
}
