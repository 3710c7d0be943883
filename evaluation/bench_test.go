package evaluation_test

import (
	"context"
	"os"
	"testing"

	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
)

// BenchmarkEvaluate is a whole evaluation of testdata/eval (45 answers, 9
// transcripts) by the embedded engine, with 1000 bootstrap resamples; the
// bytes are the set's text.
func BenchmarkEvaluate(b *testing.B) {
	set := loadSet(b, repoEval)
	g := cxGuide(b)
	size := 0
	for _, a := range set.Answers {
		size += len(a.Text)
	}
	for _, t := range set.Transcripts {
		size += len(t.Text)
	}
	eng := heuristic.New()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := evaluation.Evaluate(context.Background(), eng, g, set, evaluation.Options{Concurrency: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadSet reads and checks testdata/eval's files.
func BenchmarkLoadSet(b *testing.B) {
	size := int64(0)
	for _, p := range []string{repoEval + "/answers.jsonl"} {
		st, err := os.Stat(p)
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := evaluation.LoadSet(repoEval); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBootstrapQWK is the bootstrap of the coverage QWK of 360 areas
// in 45 answers, 1000 resamples.
func BenchmarkBootstrapQWK(b *testing.B) {
	gold := make([]int, 360)
	pred := make([]int, 360)
	for i := range gold {
		gold[i], pred[i] = i%3, (i*7)%3
	}
	b.ReportAllocs()
	for b.Loop() {
		evaluation.Bootstrap(45, 1000, 1, func(idx []int) float64 {
			var g, p []int
			for _, u := range idx {
				g = append(g, gold[u*8:u*8+8]...)
				p = append(p, pred[u*8:u*8+8]...)
			}
			return evaluation.QWK(g, p, 3)
		})
	}
}
