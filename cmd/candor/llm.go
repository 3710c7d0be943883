package main

import (
	"errors"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/llm"
)

// llmFlags holds the LLM engine's settings (the settings table's rows for
// the model: flags whose defaults come from OPENAI_BASE_URL and the
// CANDOR_LLM_* variables, and OPENAI_API_KEY, only from the environment so
// that keys stay out of shell history and process lists).
type llmFlags struct {
	apiKey      string
	baseURL     string
	model       string
	apiType     string
	apiVersion  string
	timeout     time.Duration
	concurrency int
	retries     int
	seed        int
	samples     int
	redact      bool
	redactNames []string
}

// DefaultLLMModel is the model asked for when none is configured.
const DefaultLLMModel = "gpt-4o-mini"

// llmSettings reads the model's settings from a parsed config.
func llmSettings(c *config) *llmFlags {
	return &llmFlags{
		apiKey:      c.secret("OPENAI_API_KEY"),
		baseURL:     c.str("llm-base-url"),
		model:       c.str("model"),
		apiType:     c.str("llm-api-type"),
		apiVersion:  c.str("llm-api-version"),
		timeout:     c.dur("llm-timeout"),
		concurrency: c.int("llm-concurrency"),
		retries:     c.int("llm-retries"),
		seed:        c.int("seed"),
		samples:     c.int("samples"),
		redact:      c.bool("redact"),
		redactNames: c.list("redact-name"),
	}
}

// newLLMEngine is the llm or hybrid engine (mode) of cmd.
func newLLMEngine(cmd, mode string, f *llmFlags) (analyzer.Engine, error) {
	if f.apiKey == "" {
		if f.baseURL == "" {
			return nil, usagef("%s: --engine %s needs OPENAI_API_KEY in the environment (or OPENAI_BASE_URL for a local server such as Ollama)", cmd, mode)
		}
		// Local OpenAI-compatible servers accept any key.
		f.apiKey = "local"
	}
	eng, err := llm.New(llm.Config{
		BaseURL:     f.baseURL,
		APIKey:      f.apiKey,
		Model:       f.model,
		APIType:     f.apiType,
		APIVersion:  f.apiVersion,
		Mode:        mode,
		Timeout:     f.timeout,
		MaxRetries:  f.retries,
		Concurrency: f.concurrency,
		Seed:        f.seed,
		Samples:     f.samples,
		Redact:      f.redact,
		RedactNames: f.redactNames,
		Fallback:    heuristic.New(),
	})
	if errors.Is(err, llm.ErrInvalidConfig) {
		return nil, usagef("%s: %v", cmd, err)
	}
	return eng, err
}
