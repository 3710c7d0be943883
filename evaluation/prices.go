package evaluation

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"sort"
	"strings"

	"github.com/candorhq/candor/analyzer"
)

// Price is a model's list price in US dollars per million tokens.
type Price struct {
	Input  float64 `json:"input"`
	Output float64 `json:"output"`
}

// Prices maps model names to prices. A model matches its own entry or,
// failing that, the longest entry its name starts with, so that dated
// snapshots ("gpt-4o-mini-2024-07-18") take their family's price.
type Prices map[string]Price

// PricesAsOf says when DefaultPrices were copied from the providers' price
// pages. Prices change: check them, and override with a file (ParsePrices,
// `candor eval --prices FILE`).
const PricesAsOf = "2025-08"

// DefaultPrices returns OpenAI's standard-tier list prices for the models
// Candor's LLM engine is most often run with (USD per million tokens, as of
// PricesAsOf). Self-hosted models (Ollama, vLLM, llama.cpp) have no entry:
// their cost is unknown unless a prices file gives one (0 is a fine
// answer for a laptop).
func DefaultPrices() Prices {
	return Prices{
		"gpt-4o-mini":   {Input: 0.15, Output: 0.60},
		"gpt-4o":        {Input: 2.50, Output: 10.00},
		"gpt-4.1":       {Input: 2.00, Output: 8.00},
		"gpt-4.1-mini":  {Input: 0.40, Output: 1.60},
		"gpt-4.1-nano":  {Input: 0.10, Output: 0.40},
		"gpt-5":         {Input: 1.25, Output: 10.00},
		"gpt-5-mini":    {Input: 0.25, Output: 2.00},
		"gpt-5-nano":    {Input: 0.05, Output: 0.40},
		"o3-mini":       {Input: 1.10, Output: 4.40},
		"o4-mini":       {Input: 1.10, Output: 4.40},
		"gpt-3.5-turbo": {Input: 0.50, Output: 1.50},
	}
}

// ParsePrices reads a prices file: a JSON object of model name to
// {"input": USD per million prompt tokens, "output": USD per million
// completion tokens}. Its entries replace or add to DefaultPrices.
func ParsePrices(name string, data []byte) (Prices, error) {
	var m map[string]Price
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, &analyzer.InputError{File: name, Line: lineOf(data, err),
			Reason: `want a JSON object like {"my-model": {"input": 0.15, "output": 0.6}} (USD per million tokens): ` + jsonReason(err)}
	}
	p := DefaultPrices()
	for k, v := range m {
		if strings.TrimSpace(k) == "" {
			return nil, &analyzer.InputError{File: name, Reason: "empty model name"}
		}
		if v.Input < 0 || v.Output < 0 || math.IsNaN(v.Input) || math.IsNaN(v.Output) {
			return nil, &analyzer.InputError{File: name, Field: k, Reason: "prices must be zero or more"}
		}
		p[k] = v
	}
	return p, nil
}

// Lookup returns the price of model and the table entry it matched.
func (p Prices) Lookup(model string) (Price, string, bool) {
	if pr, ok := p[model]; ok {
		return pr, model, true
	}
	keys := slicesSorted(p)
	best := ""
	for _, k := range keys {
		if strings.HasPrefix(model, k) && len(k) > len(best) {
			best = k
		}
	}
	if best == "" {
		return Price{}, "", false
	}
	return p[best], best, true
}

func slicesSorted(p Prices) []string {
	keys := make([]string, 0, len(p))
	for k := range maps.Keys(p) {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Cost is the estimated price of a run's model calls.
type Cost struct {
	// Model is the price table entry used; USD the estimate, nil when the
	// model has no price.
	Model string   `json:"model,omitempty"`
	USD   *float64 `json:"usd"`
	// Price is the price the estimate used.
	Price *Price `json:"price,omitempty"`
	Note  string `json:"note,omitempty"`
}

// Cost estimates the price of usage on model.
func (p Prices) Cost(model string, u analyzer.Usage) *Cost {
	pr, entry, ok := p.Lookup(model)
	if !ok {
		return &Cost{Note: fmt.Sprintf("no price for model %q: give one in a prices file (--prices)", model)}
	}
	usd := (float64(u.PromptTokens)*pr.Input + float64(u.CompletionTokens)*pr.Output) / 1e6
	usd = math.Round(usd*1e6) / 1e6
	return &Cost{Model: entry, USD: &usd, Price: &pr}
}
