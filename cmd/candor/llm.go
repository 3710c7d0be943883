package main

import (
	"flag"

	"github.com/candorhq/candor/analyzer"
)

// llmFlags holds the LLM engine's settings (wired to package llm).
type llmFlags struct{}

func registerLLMFlags(fs *flag.FlagSet, getenv func(string) string) *llmFlags { return &llmFlags{} }

func newLLMEngine(name string, lf *llmFlags) (analyzer.Engine, error) {
	return nil, usagef("analyze: the %s engine is being wired; use --engine heuristic", name)
}
