package llm_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/candorhq/candor/llm"
)

// fakeQuotes makes quotes that are not in answer: word windows with a word
// swapped, dropped, replaced or misspelt, windows joined across sentences,
// and invented sentences. Anything that happens to be in the answer (case
// insensitively) is left out, so every quote returned is really fake.
func fakeQuotes(answer string, n int, rng *rand.Rand) []string {
	words := strings.Fields(answer)
	lower := strings.ToLower(strings.Join(words, " "))
	invented := []string{"I escalated to my director", "we won the account back", "the client thanked me personally",
		"I always put the customer first", "I learned to listen more", "my manager praised the outcome"}
	var out []string
	for len(out) < n {
		i := rng.IntN(len(words) - 6)
		w := append([]string(nil), words[i:i+3+rng.IntN(4)]...)
		switch rng.IntN(5) {
		case 0: // swap two words
			a, b := rng.IntN(len(w)), rng.IntN(len(w))
			w[a], w[b] = w[b], w[a]
		case 1: // drop a word from the middle
			k := 1 + rng.IntN(len(w)-2)
			w = append(w[:k], w[k+1:]...)
		case 2: // replace a word
			w[rng.IntN(len(w))] = []string{"angry", "quickly", "manager", "refund", "never"}[rng.IntN(5)]
		case 3: // misspell a word
			k := rng.IntN(len(w))
			w[k] = w[k] + "s"
		case 4:
			w = strings.Fields(invented[rng.IntN(len(invented))])
		}
		q := strings.Join(w, " ")
		if !strings.Contains(lower, strings.ToLower(q)) {
			out = append(out, q)
		}
	}
	return out
}

// TestFakeQuotesDropped sends 300 fake quotes (three per area per call) and
// the answer's real sentences: every fake must be dropped and every real
// quote kept.
func TestFakeQuotesDropped(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fakes := fakeQuotes(goodAnswer, 300, rng)
	real := []string{"Last March a customer called about a late shipment worth $40,000.", "I checked the warehouse logs first",
		"She was upset, so I offered a partial delivery on Friday."}
	fs := newServer(t, func(w http.ResponseWriter, _ *http.Request, n int, _ call) {
		r := goodReply
		r.Areas = nil
		for i := range 3 {
			qs := fakes[(n*9+i*3)%len(fakes):]
			r.Areas = append(r.Areas, area{i + 1, "covered", 0.9, []string{qs[0], qs[1], real[i]}})
		}
		writeReply(w, r.String(), openai.FinishReasonStop)
	})
	e := newEngine(t, fs, &fallbackEngine{}, func(c *llm.Config) { c.Concurrency = 8 })
	var quotes, found, fakeSent int
	for range len(fakes) / 6 {
		a, err := e.Analyze(context.Background(), question, goodAnswer)
		if err != nil {
			t.Fatal(err)
		}
		checkSpans(t, a)
		for i, ar := range a.Coverage.Areas {
			if len(ar.Evidence) != 1 || ar.Evidence[0].Quote != real[i] {
				t.Fatalf("area %d evidence %+v, want only %q", i+1, ar.Evidence, real[i])
			}
			if ar.Status != "partial" {
				t.Errorf("area %d: %s, want partial after dropping fakes", i+1, ar.Status)
			}
		}
		quotes += a.Grounding.Quotes
		found += a.Grounding.Found
		fakeSent += 6
	}
	dropped := quotes - found // every real quote and signal was found (checked above)
	t.Logf("fake quotes sent %d, dropped %d (%.1f%%); grounding %d/%d", fakeSent, dropped, 100*float64(dropped)/float64(fakeSent), found, quotes)
	if dropped != fakeSent {
		t.Errorf("%d of %d fake quotes dropped", dropped, fakeSent)
	}
}
