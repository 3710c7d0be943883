// Command train fits the embedded engine's models and writes
// analyzer/heuristic/weights.json. It is deterministic: the same data give
// the same file, byte for byte.
//
//	go run ./analyzer/heuristic/train -shared ../shared
//
// Stages, each reading the models of the stages before it:
//  0. claim form: logistic regression telling a claim (ArgKP key points)
//     from a description of content (interview guides' areas).
//  1. pair: logistic regression on ArgKP-2021 train pairs; the L2 penalty
//     is chosen by strict mAP on ArgKP dev (test is never read here).
//     claim: a conditional logit on the same data (each argument chooses
//     one of its key points or none), which decides claim areas; its
//     penalty chosen the same way.
//  2. evidence: logistic regression on labelled evidence sentences
//     (testdata/eval answers2 and behavioral, evidence_dev for ../shared dev).
//  3. coverage: cumulative-logit model on every labelled area status
//     (../shared/eval/dev, testdata/eval, testdata/eval/behavioral);
//     figures by 5-fold cross-validation over answers.
//  4. off-question: logistic regression on testdata/eval/behavioral's
//     off-question set and the labelled answers; its cut-off is chosen on
//     held-out folds; testdata/probes/offtopic.jsonl is kept for the test.
//  5. sentence: logistic regression telling a specific sentence from a
//     general one (testdata/sentences/train.jsonl; the L2 penalty chosen by
//     AUC over 5-fold CV), which judges an answer of one sentence.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
)

// fitDeliveryOnly: the delivery model is fitted on the delivery-only sets
// (testdata/eval/delivery_recitals.jsonl and delivery_set2.jsonl) too, with
// 5-fold CV figures for each; -fit-delivery-only=false measures the model
// fitted without them on them instead.
var fitDeliveryOnly bool

// deliveryLambda, when positive, is the delivery model's penalty, in place
// of the one CV chooses (flag -delivery-lambda).
var deliveryLambda float64

// dropDelivery names delivery features set to 0 before fitting (flag
// -drop-delivery, for ablations).
var dropDelivery string

// dropCoverage holds the columns of the coverage features that flag
// -drop-coverage names: set to 0 in the coverage model's rows before
// fitting (for ablations); the depth model's rows keep them.
var dropCoverage []int

// cvOut is where -cv-out writes the delivery model's held-out readings.
var cvOut string

// deliveryOnlySets are the sets labelled for delivery alone
// (testdata/eval/delivery_recitals.jsonl, delivery_set2.jsonl,
// delivery_variants.jsonl, retellings of labelled answers, and
// delivery_spoken_train.jsonl, transcribed spoken answers).
var deliveryOnlySets = []string{"recital", "set2", "variants", "spoken"}

func main() {
	shared := flag.String("shared", "../shared", "the shared data folder (ArgKP and the dev set)")
	out := flag.String("out", "analyzer/heuristic/weights.json", "where to write the weights")
	stage := flag.Int("stages", 4, "train stages 1..N only (the rest are left out of the file)")
	flag.BoolVar(&fitDeliveryOnly, "fit-delivery-only", true,
		"fit the delivery model on the delivery-only sets too (false: fit without them and measure on them)")
	flag.StringVar(&cvOut, "cv-out", "", "write the delivery model's held-out readings of its training rows to this file (JSON lines)")
	flag.StringVar(&dropDelivery, "drop-delivery", "", "comma-separated delivery features to leave out (set to 0), for ablations")
	dropCov := flag.String("drop-coverage", "", "comma-separated coverage features to leave out of the coverage model (set to 0), for ablations")
	flag.Float64Var(&deliveryLambda, "delivery-lambda", 0,
		"fit the delivery model with this L2 penalty instead of the one CV chooses (0: choose), to measure how far a penalty CV cannot tell apart moves the held-out sets")
	flag.StringVar(&synDir, "synthetic", "", "also learn from the synthetic training sets in this folder (guide NAME.yaml, answers NAME.jsonl)")
	flag.BoolVar(&pairFromSyn, "pair-from-synthetic", false, "fit the pair model on the synthetic guides' unit labels instead of ArgKP's pairs (an experiment)")
	flag.StringVar(&synDelDir, "synthetic-delivery", "", "also fit the delivery model on the synthetic delivery-only answers in this folder (*.jsonl)")
	flag.Parse()
	if synDelDir != "" {
		deliveryOnlySets = append(deliveryOnlySets, synDelSet)
	}
	var err error
	if dropCoverage, err = fit.Columns(heuristic.CoverageFeatures, *dropCov); err != nil {
		fmt.Fprintln(os.Stderr, "train: -drop-coverage:", err)
		os.Exit(2)
	}
	if deliveryLambda < 0 {
		fmt.Fprintln(os.Stderr, "train: -delivery-lambda must be 0 (choose by CV) or positive")
		os.Exit(2)
	}
	if err := run(*shared, *out, *stage); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(shared, out string, stages int) error {
	root, _ := os.Getwd()
	d := &heuristic.DataLog{Root: root}
	w := &heuristic.Weights{Figures: map[string]float64{},
		Command: "go run ./analyzer/heuristic/train -shared ../shared"}
	if err := trainClaimForm(d, shared, w); err != nil {
		return err
	}
	train, dev, err := argkpSplits(d, shared)
	if err != nil {
		return err
	}
	if err := trainPair(d, train, dev, w); err != nil {
		return err
	}
	heuristic.SetWeights(w)
	// The claim model learns from the engine's own reading of each
	// argument (Engine.Trace), which needs the claim-form model above.
	if err := trainClaim(train, dev, w); err != nil {
		return err
	}
	if stages >= 2 {
		if err := trainInterview(d, shared, w, stages); err != nil {
			return err
		}
	}
	if err := trainSentence(d, root, w); err != nil {
		return err
	}
	w.Data = d.Files
	b, err := json.MarshalIndent(w, "", " ")
	if err != nil {
		return err
	}
	if _, err := heuristic.DecodeWeights(b); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes)\n", out, len(b))
	return os.WriteFile(out, append(b, '\n'), 0o644)
}
