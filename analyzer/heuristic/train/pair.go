package main

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
)

// lambdas are the L2 penalties tried; ArgKP dev picks one.
var lambdas = []float64{0.0001, 0.001, 0.01, 0.1}

// argkpSplits reads ArgKP's train and dev splits (test is never read here).
func argkpSplits(d *heuristic.DataLog, shared string) (train, dev *argkpSet, err error) {
	if train, err = loadArgKP(d, shared, "train"); err != nil {
		return nil, nil, err
	}
	if dev, err = loadArgKP(d, shared, "dev"); err != nil {
		return nil, nil, err
	}
	return train, dev, nil
}

func trainPair(d *heuristic.DataLog, train, dev *argkpSet, w *heuristic.Weights) error {
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
	if pairFromSyn {
		if err := trainPairSyn(d, w); err != nil {
			return err
		}
	}
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
// "none" (one choice per key point labelled a match, else none), by
// conditional logit on ClaimFeatures. The penalty is chosen by strict mAP
// on ArgKP dev (the claim probability ranks the arguments, as the CLI's
// report does).
func trainClaim(train, dev *argkpSet, w *heuristic.Weights) error {
	tg, tc, tp, err := train.choices()
	if err != nil {
		return err
	}
	_, _, dp, err := dev.choices()
	if err != nil {
		return err
	}
	fmt.Printf("claim: %d choices of train arguments with a labelled pair (%d of a key point, %d none)\n", len(tg), countAtLeast(tc, 0), len(tc)-countAtLeast(tc, 0))
	var best *model.Linear
	bestS, bestR, bestL := -1.0, 0.0, 0.0
	for _, l := range lambdas {
		m, err := fit.Choice(heuristic.ClaimFeatures, tg, tc, l)
		if err != nil {
			return err
		}
		ts, _ := train.meanAP(tp.probs(m, nil))
		s, r := dev.meanAP(dp.probs(m, nil))
		fmt.Printf("claim: lambda %-7g train mAP %.3f  dev mAP strict %.3f relaxed %.3f\n", l, ts, s, r)
		if s > bestS {
			best, bestS, bestR, bestL = m, s, r, l
		}
	}
	w.Claim = best
	w.Figures["claim_lambda"] = bestL
	// The choice probability shares an argument between the key points it
	// makes; Platt scaling on the train arguments' labelled pairs turns it
	// into the probability that the argument makes the key point.
	choice := tp.choice(best)
	var X [][]float64
	var y []bool
	for _, g := range train.groups {
		for _, a := range g.args {
			for _, k := range g.kps {
				if l, ok := train.labels[[2]string{a.id, k.id}]; ok {
					X = append(X, []float64{heuristic.ChoiceLogit(choice(a.id, k.id))})
					y = append(y, l == 1)
				}
			}
		}
	}
	cal, err := fit.Logistic(heuristic.ClaimCalibrationFeatures, X, y, nil, 0)
	if err != nil {
		return err
	}
	w.ClaimCalibration = cal
	// How the engine's least number of sentences for reading an answer
	// sentence by sentence too (heuristic.ClaimSentencesFrom) fares on dev
	// against the others (never: the whole answer only).
	for _, from := range []int{2, 3, 4, 5, math.MaxInt} {
		s, r := dev.meanAP(dp.probsFrom(best, cal, from))
		name := fmt.Sprintf("from %d sentences", from)
		if from == math.MaxInt {
			name = "never"
		}
		fmt.Printf("claim: read sentence by sentence too %-16s dev mAP strict %.3f relaxed %.3f\n", name, s, r)
	}
	fmt.Printf("claim: calibration on %d labelled train pairs: P = sigmoid(%.3f x choice_logit %+.3f)\n",
		len(X), cal.W[0]/cal.Scale[0], cal.Bias-cal.W[0]*cal.Mean[0]/cal.Scale[0])
	if s2, _ := dev.meanAP(dp.probs(best, cal)); s2 != bestS {
		return fmt.Errorf("claim: calibration changed dev mAP %.4f -> %.4f (it must keep the order)", bestS, s2)
	}
	w.Figures["argkp_dev_strict_map"] = analyzer.Round3(bestS)
	w.Figures["argkp_dev_relaxed_map"] = analyzer.Round3(bestR)
	printReliability("claim, calibrated (ArgKP dev, labelled pairs)", func(yield func(p float64, y bool)) {
		score := dp.probs(best, cal)
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
	set   *argkpSet
	vecs  map[string][][]float64   // arg id -> per key point
	sents map[string][][][]float64 // arg id -> per sentence (two or more) -> per key point
}

// choices reads every argument's claim vectors, and, for the arguments
// with at least one labelled pair, the choices the labels make: each key
// point labelled a match is one choice (an argument that makes two key
// points teaches both, whatever their order), none when no labelled pair
// matches.
func (s *argkpSet) choices() (groups [][][]float64, chosen []int, all *claimVecs, err error) {
	// A trace reads every argument of two sentences or more sentence by
	// sentence too, so that the engine's least number of sentences can be
	// measured.
	all = &claimVecs{set: s, vecs: map[string][][]float64{}, sents: map[string][][][]float64{}}
	e := heuristic.New()
	notClaims := 0
	for _, g := range s.groups {
		q := analyzer.Question{ID: "k", Text: g.topic}
		for _, k := range g.kps {
			q.Areas = append(q.Areas, k.text)
		}
		for _, a := range g.args {
			tr, err := e.Trace(q, nil, a.text)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("argument %s: %w", a.id, err)
			}
			vs := make([][]float64, len(g.kps))
			for i, at := range tr.Areas {
				if at.ClaimX == nil {
					return nil, nil, nil, fmt.Errorf("argument %s: no key point of %q read as a claim", a.id, g.topic)
				}
				if !at.Claim {
					notClaims++
				}
				vs[i] = at.ClaimX
				for u, x := range at.ClaimSentX {
					if i == 0 {
						all.sents[a.id] = append(all.sents[a.id], make([][]float64, len(g.kps)))
					}
					all.sents[a.id][u][i] = x
				}
			}
			all.vecs[a.id] = vs
			labelled, matched := false, false
			for i, k := range g.kps {
				if l, ok := s.labels[[2]string{a.id, k.id}]; ok {
					labelled = true
					if l == 1 {
						groups = append(groups, vs)
						chosen = append(chosen, i)
						matched = true
					}
				}
			}
			if labelled && !matched {
				groups = append(groups, vs)
				chosen = append(chosen, -1)
			}
		}
	}
	if notClaims > 0 {
		// The engine's softmax leaves out an area not read as a claim;
		// the training reads every key point as one.
		return nil, nil, nil, fmt.Errorf("%d (argument, key point) pairs whose key point the claim-form model does not read as a claim", notClaims)
	}
	return groups, chosen, all, nil
}

// probs scores (argument, key point) as the engine decides a claim (every
// area a claim, the engine's least number of sentences): the best of the
// whole argument's choice probability and, for an argument of at least
// that many sentences, each sentence's; calibrated when cal is not nil.
func (c *claimVecs) probs(m *model.Linear, cal *model.Logistic) func(arg, kp string) float64 {
	return c.probsFrom(m, cal, heuristic.ClaimSentencesFrom)
}

// probsFrom is probs with the least number of sentences given.
func (c *claimVecs) probsFrom(m *model.Linear, cal *model.Logistic, from int) func(arg, kp string) float64 {
	w := &heuristic.Weights{Claim: m, ClaimCalibration: cal}
	p := map[[2]string]float64{}
	for _, g := range c.set.groups {
		for _, a := range g.args {
			var sents [][][]float64
			if len(c.sents[a.id]) >= from {
				sents = c.sents[a.id]
			}
			ps := heuristic.ClaimDecision(w, c.vecs[a.id], sents)
			for i, k := range g.kps {
				p[[2]string{a.id, k.id}] = ps[i]
			}
		}
	}
	return func(arg, kp string) float64 { return p[[2]string{arg, kp}] }
}

// choice scores (argument, key point) by the whole argument's choice
// probability alone (the calibration's input).
func (c *claimVecs) choice(m *model.Linear) func(arg, kp string) float64 {
	p := map[[2]string]float64{}
	for _, g := range c.set.groups {
		for _, a := range g.args {
			ps := heuristic.ClaimProbs(m, nil, c.vecs[a.id])
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

// trainPairSyn refits the pair model on the synthetic guides' unit labels,
// the penalty chosen by precision@1 (the top unit of each (answer, area)
// with a labelled unit) on each guide left out in turn.
func trainPairSyn(d *heuristic.DataLog, w *heuristic.Weights) error {
	rows, err := synPairRows(d)
	if err != nil {
		return err
	}
	// Precision@1 reads the rows with a labelled unit; every row is fitted
	// on (an area no unit addresses gives negatives).
	var labelled []evRow
	for _, r := range rows {
		if slices.Contains(r.gold, true) {
			labelled = append(labelled, r)
		}
	}
	guides := map[string]bool{}
	for _, r := range rows {
		guides[synGuide(r.it)] = true
	}
	bestL, bestP := 0.0, -1.0
	for _, l := range lambdas {
		sum := 0.0
		for _, g := range slices.Sorted(maps.Keys(guides)) {
			m, err := fitUnits(heuristic.PairFeatures, rows, func(r evRow) bool { return synGuide(r.it) != g }, l)
			if err != nil {
				return err
			}
			var held []evRow
			for _, r := range labelled {
				if synGuide(r.it) == g {
					held = append(held, r)
				}
			}
			sum += precisionAt1(held, func(r evRow, u int) float64 { return m.Prob(r.x[u]) })
		}
		p := sum / float64(len(guides))
		fmt.Printf("pair (synthetic): lambda %-7g precision@1, one guide left out %.3f\n", l, p)
		if p > bestP {
			bestL, bestP = l, p
		}
	}
	argkp := precisionAt1(labelled, func(r evRow, u int) float64 { return w.Pair.Prob(r.x[u]) })
	fmt.Printf("pair (synthetic): the ArgKP pair model's precision@1 on them %.3f\n", argkp)
	m, err := fitUnits(heuristic.PairFeatures, rows, func(evRow) bool { return true }, bestL)
	if err != nil {
		return err
	}
	w.Pair = m
	w.Figures["pair_lambda"] = bestL
	w.Figures["pair_synthetic_p1_lofo"] = analyzer.Round3(bestP)
	return nil
}
