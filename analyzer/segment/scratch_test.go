package segment_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/transcript"
)

func TestScratchT09(t *testing.T) {
	g := seedGuide(t)
	data, _ := os.ReadFile("../../testdata/eval/transcripts/t09_reordered.txt")
	tr, _ := transcript.Parse("t09", data)
	asks := []segment.Ask{{QuestionID: "q11", Turn: 5}, {QuestionID: "q15", Turn: 9}, {QuestionID: "q3", Turn: 15}, {QuestionID: "q11", Turn: 21}, {QuestionID: "q6", Turn: 27}}
	groups, err := segment.TrainingGroups(g, tr, asks, 0)
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := os.ReadFile("weights.json")
	dec, _ := segment.DecodeWeights(wb)
	for gi, gr := range groups {
		if gr.Chosen < 0 {
			continue
		}
		x := gr.Rows[gr.Chosen]
		fmt.Printf("group %d chosen %d score %.2f\n", gi, gr.Chosen, dec.Open.Score(x))
		c := dec.Open.Contributions(x)
		for i, n := range segment.OpenFeatures {
			if c[i] > 0.3 || c[i] < -0.3 {
				fmt.Printf("   %-16s x=%.2f contrib %.2f\n", n, x[i], c[i])
			}
		}
	}
}
