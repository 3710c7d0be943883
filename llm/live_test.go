//go:build llmlive

package llm_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/llm"
)

// TestLive runs one answer against a real endpoint:
//
//	OPENAI_API_KEY=... [OPENAI_BASE_URL=...] [CANDOR_LLM_MODEL=...] go test -tags llmlive -run TestLive ./llm
//
// It checks the engine's guarantees, not the model's opinion: the model's
// verdict was used, every quote is the answer's, and the call was one.
func TestLive(t *testing.T) {
	key := os.Getenv("OPENAI_API_KEY")
	if key == "" {
		t.Skip("OPENAI_API_KEY not set")
	}
	model := os.Getenv("CANDOR_LLM_MODEL")
	if model == "" {
		model = "gpt-4o-mini"
	}
	e, err := llm.New(llm.Config{
		BaseURL: os.Getenv("OPENAI_BASE_URL"), APIKey: key, Model: model,
		Timeout: 90 * time.Second, MaxRetries: 2, Seed: 7,
		Fallback: &fallbackEngine{},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	a, err := e.Analyze(ctx, question, goodAnswer)
	if err != nil {
		t.Fatal(err)
	}
	if w := findWarning(a, analyzer.WarnLLMFallback); w != nil {
		t.Fatalf("fell back: %s", w.Message)
	}
	checkSpans(t, a)
	t.Logf("usage %+v, grounding %+v, delivery %s %d", *a.Usage, *a.Grounding, a.Delivery.Label, a.Delivery.Specificity)
	for _, ar := range a.Coverage.Areas {
		t.Logf("area %d: %s (%.2f) %d quotes", ar.Index, ar.Status, ar.Confidence, len(ar.Evidence))
	}
}
