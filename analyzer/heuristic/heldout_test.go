package heuristic_test

import (
	"strings"
	"testing"
)

// heldOutData are the files and folders no training command may read: the
// sets the tests measure on (analyzer/heuristic/README.md, "Training").
// testdata/spoken's transcripts are held out; its guide, whose question
// texts the spoken training answers are read against, is not.
var heldOutData = []string{
	"testdata/eval/answers.jsonl",
	"testdata/eval/evidence_heldout.jsonl",
	"testdata/eval/spoken_delivery.jsonl",
	"testdata/eval/spoken_coverage.jsonl",
	"testdata/eval/retellings_heldout.jsonl",
	"testdata/eval/offquestion.jsonl",
	"testdata/eval/depth_heldout.jsonl",
	"testdata/eval/delivery_dev_scripts.jsonl",
	"testdata/eval/fresh/",
	"testdata/eval/answers3/",
	"testdata/eval/claims/",
	// The synthetic sets: the shipped weights never read them (the training
	// command's -synthetic flags fit on them only as an experiment);
	// TestSyntheticGuides measures on them.
	"testdata/eval/synthetic/",
	"testdata/probes/",
	"testdata/sentences/heldout.jsonl",
	"testdata/spoken/",
	"../shared/eval/external/argkp/arguments_test.csv",
	"../shared/eval/external/argkp/key_points_test.csv",
	"../shared/eval/external/argkp/labels_test.csv",
}

// TestWeightsReadNoHeldOutSet checks the committed weights' list of the files
// their training read (Weights.Data, with sha256) against heldOutData: a
// training command that starts reading a held-out set fails here, not
// silently in the figures it inflates.
func TestWeightsReadNoHeldOutSet(t *testing.T) {
	w := embeddedWeights(t)
	if len(w.Data) == 0 {
		t.Fatal("weights.json lists no training data")
	}
	for _, d := range w.Data {
		if d.Path == "testdata/spoken/guide.yaml" {
			continue
		}
		for _, h := range heldOutData {
			if d.Path == h || strings.HasSuffix(h, "/") && strings.HasPrefix(d.Path, h) {
				t.Errorf("the training read %s (%d rows), which is held out (%s)", d.Path, d.Rows, h)
			}
		}
	}
}
