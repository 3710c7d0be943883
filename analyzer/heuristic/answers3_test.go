package heuristic_test

import (
	"testing"

	"github.com/candorhq/candor/evaluation"
)

// answers3Guides are the guides of testdata/areakinds that
// testdata/eval/answers3 answers, 25 answers each.
var answers3Guides = []string{"hospitality", "nursing", "project-management", "sales", "software-engineering", "teaching"}

// TestSixGuidesHeldOut measures the embedded engine on guides of one's own:
// the six labelled-kind guides of testdata/areakinds, 25 answers each
// (testdata/eval/answers3: half of them transcribed speech, three per guide
// by non-native speakers, some wandering and some coached), written and
// labelled blind by helpers who ran no engine, after h2.22. No training
// command reads them: trained on (coverage and delivery, h2.22's code), they
// lowered the other sets' held-out figures (analyzer/heuristic/README.md,
// "Tried after h2.22"), so they measure instead. With 1,120 areas it is the
// largest held-out coverage set, about five times the fresh guides'.
func TestSixGuidesHeldOut(t *testing.T) {
	all := guidesHeldOut(t, answers3Guides, 25, func(name string) (string, string) {
		return "../../testdata/areakinds/" + name + ".yaml", "../../testdata/eval/answers3/" + name + ".jsonl"
	})
	t.Logf("six guides: %v", all)
	if len(all.want) != 1120 || all.labels != 150 {
		t.Fatalf("%d areas and %d answers, want 1120 and 150", len(all.want), all.labels)
	}
	// Measured when the set arrived (h2.22): coverage QWK 0.437, accuracy
	// 0.537 (mean status read 1.28, labelled 1.16); delivery labels 128 of
	// 150; first quote inside a labelled sentence 462 of 725 quoted. Refits
	// of this session that changed one delivery reading or penalty put the
	// labels anywhere from 125 to 131. The floors leave about 0.025, four
	// labels and 20 quotes.
	qwk, acc := evaluation.QWK(all.want, all.got, 3), evaluation.Accuracy(all.want, all.got)
	if qwk < 0.41 || acc < 0.51 {
		t.Errorf("six guides: coverage QWK %.3f, accuracy %.3f; floors 0.41 and 0.51", qwk, acc)
	}
	if all.labelsRight < 124 {
		t.Errorf("six guides: %d of 150 delivery labels as labelled, floor 124", all.labelsRight)
	}
	if all.right < 440 {
		t.Errorf("six guides: %d first quotes inside a labelled sentence, floor 440", all.right)
	}
}
