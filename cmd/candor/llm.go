package main

import (
	"errors"
	"flag"
	"strconv"
	"time"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/llm"
)

// llmFlags holds the LLM engine's settings. Flags default to the
// environment: OPENAI_API_KEY (only from the environment, so keys stay out
// of shell history and process lists), OPENAI_BASE_URL, CANDOR_LLM_MODEL,
// CANDOR_LLM_API_TYPE, CANDOR_LLM_API_VERSION, CANDOR_LLM_TIMEOUT,
// CANDOR_LLM_CONCURRENCY, CANDOR_LLM_RETRIES, CANDOR_LLM_SEED.
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
	redactNames listFlag
}

// DefaultLLMModel is the model asked for when none is configured.
const DefaultLLMModel = "gpt-4o-mini"

func registerLLMFlags(fs *flag.FlagSet, getenv func(string) string) *llmFlags {
	f := &llmFlags{apiKey: getenv("OPENAI_API_KEY")}
	fs.StringVar(&f.baseURL, "llm-base-url", getenv("OPENAI_BASE_URL"), "OpenAI-compatible base URL, e.g. http://localhost:11434/v1 for Ollama (env OPENAI_BASE_URL; empty: OpenAI)")
	fs.StringVar(&f.model, "model", envOr(getenv, "CANDOR_LLM_MODEL", DefaultLLMModel), "model name, or the deployment name for Azure (env CANDOR_LLM_MODEL)")
	fs.StringVar(&f.apiType, "llm-api-type", envOr(getenv, "CANDOR_LLM_API_TYPE", llm.APIOpenAI), "openai (OpenAI, Ollama, vLLM, llama.cpp) or azure (env CANDOR_LLM_API_TYPE)")
	fs.StringVar(&f.apiVersion, "llm-api-version", getenv("CANDOR_LLM_API_VERSION"), "Azure api-version (env CANDOR_LLM_API_VERSION)")
	fs.DurationVar(&f.timeout, "llm-timeout", envDuration(getenv, "CANDOR_LLM_TIMEOUT", llm.DefaultTimeout), "timeout of one model call (env CANDOR_LLM_TIMEOUT)")
	fs.IntVar(&f.concurrency, "llm-concurrency", envInt(getenv, "CANDOR_LLM_CONCURRENCY", llm.DefaultConcurrency), "model calls in flight at once (env CANDOR_LLM_CONCURRENCY)")
	fs.IntVar(&f.retries, "llm-retries", envInt(getenv, "CANDOR_LLM_RETRIES", 2), "retries of a failed call (429, 5xx, timeouts) before the embedded engine takes over (env CANDOR_LLM_RETRIES)")
	fs.IntVar(&f.seed, "seed", envInt(getenv, "CANDOR_LLM_SEED", 7), "sampling seed sent to the model (env CANDOR_LLM_SEED)")
	fs.IntVar(&f.samples, "samples", 1, "self-consistency: calls per answer, majority verdict with agreement per area")
	fs.BoolVar(&f.redact, "redact", false, "replace emails, phone numbers and URLs before sending answers to the model")
	fs.Var(&f.redactNames, "redact-name", "a name to replace before sending (repeatable)")
	return f
}

func newLLMEngine(mode string, f *llmFlags) (analyzer.Engine, error) {
	if f.apiKey == "" {
		if f.baseURL == "" {
			return nil, usagef("analyze: --engine %s needs OPENAI_API_KEY in the environment (or OPENAI_BASE_URL for a local server such as Ollama)", mode)
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
		return nil, usagef("analyze: %v", err)
	}
	return eng, err
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func envInt(getenv func(string) string, key string, def int) int {
	if n, err := strconv.Atoi(getenv(key)); err == nil {
		return n
	}
	return def
}

func envDuration(getenv func(string) string, key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(getenv(key)); err == nil {
		return d
	}
	return def
}
