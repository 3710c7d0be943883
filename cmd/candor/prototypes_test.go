package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer/heuristic"
)

// TestGuidesPrototypes learns prototypes from labelled answers with
// evidence (testdata/eval/answers2.jsonl, labelled against the guide
// cx-empathy rewords), then analyzes with them: the report names them in
// its engine version.
func TestGuidesPrototypes(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "p.json")
	r := runCLI(t, "", "guides", "prototypes", "--guide", "cx-empathy", "-o", out, "../../testdata/eval/answers2.jsonl")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "of 120 areas have a prototype, from 90 labelled answers") {
		t.Errorf("stderr %q, want the count of areas and answers", r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	f, err := heuristic.DecodePrototypeFile(b)
	if err != nil {
		t.Fatal(err)
	}
	with := 0
	for _, a := range f.Areas {
		if a.Prototype {
			with++
			if a.Answers < 3 {
				t.Errorf("%s area %d: a prototype from %d answers, want at least 3", a.Question, a.Area, a.Answers)
			}
		}
	}
	if f.Guide != "cx-empathy" || len(f.Areas) != 120 || with < 100 || len(f.Prototypes.Keys) != with {
		t.Errorf("guide %s, %d areas, %d with a prototype, %d keys: want cx-empathy, 120, at least 100, one key each", f.Guide, len(f.Areas), with, len(f.Prototypes.Keys))
	}
	answer := filepath.Join(dir, "a.json")
	if err := os.WriteFile(answer, []byte(`{"answers":[{"question_id":"q1","text":"Last May a guest found her room double-booked at midnight. She was in tears. I sat her down, called the hotel next door and drove her there myself. She wrote to thank us a week later."}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Engine struct {
			PromptVersion string `json:"prompt_version"`
		} `json:"engine"`
	}
	r = runCLI(t, "", "analyze", "--guide", "cx-empathy", "--format", "json", "--prototypes", out, answer)
	if r.code != 0 {
		t.Fatalf("analyze --prototypes: exit %d: %s", r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rep.Engine.PromptVersion, heuristic.Version+"+prototypes.") {
		t.Errorf("prompt_version %q, want %s+prototypes.<hash>", rep.Engine.PromptVersion, heuristic.Version)
	}
}

// TestGuidesPrototypesErrors: bad input is a clear error with exit 2.
func TestGuidesPrototypesErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format":"candor-prototypes/1","prototypes":{"keys":{"ab":0},"vectors":["1 2 3"]}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	noEv := filepath.Join(dir, "answers.jsonl")
	if err := os.WriteFile(noEv, []byte(`{"id":"a1","question_id":"q1","text":"I once helped a customer.","evidence":{"9":["I once helped a customer."]}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wrongQ := filepath.Join(dir, "wrong.jsonl")
	if err := os.WriteFile(wrongQ, []byte(`{"id":"a1","question_id":"q99","text":"I once helped a customer.","evidence":{"1":["I once helped a customer."]}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	answer := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(answer, []byte("Interviewer: Tell me about an angry customer.\nCandidate: I calmed her down and fixed the booking.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no guide", []string{"guides", "prototypes", noEv}, "--guide is required"},
		{"no set", []string{"guides", "prototypes", "--guide", "cx-empathy"}, "labelled set"},
		{"area out of range", []string{"guides", "prototypes", "--guide", "cx-empathy", noEv}, "evidence.9"},
		{"unknown question", []string{"guides", "prototypes", "--guide", "cx-empathy", wrongQ}, "q99"},
		{"nothing to learn", []string{"guides", "prototypes", "--guide", "cx-empathy", "--min-answers", "50", "../../testdata/eval/answers2.jsonl"}, "nothing to learn"},
		{"missing file", []string{"analyze", "--guide", "cx-empathy", "--prototypes", filepath.Join(dir, "none.json"), answer}, "no such prototype file"},
		{"malformed file", []string{"analyze", "--guide", "cx-empathy", "--prototypes", bad, answer}, "bad.json"},
		{"llm engine", []string{"analyze", "--guide", "cx-empathy", "--engine", "llm", "--prototypes", bad, answer}, "embedded engine only"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", c.args...)
			if r.code != 2 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q: want 2 and %q", r.code, r.stderr, c.want)
			}
		})
	}
}

// TestServePrototypes: `candor serve --prototypes FILE` quotes with the
// file's prototypes (its reports name them in the engine version, so the
// response cache keeps them apart from the built-in engine's), and a file
// that is missing or not a prototype file stops start-up with exit 2 and
// the setting's name.
func TestServePrototypes(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "p.json")
	if r := runCLI(t, "", "guides", "prototypes", "--guide", "cx-empathy", "-o", out, "../../testdata/eval/answers2.jsonl"); r.code != 0 {
		t.Fatalf("guides prototypes: exit %d: %s", r.code, r.stderr)
	}
	body := []byte(`{"guide_id":"cx-empathy","answers":[{"question_id":"q1","text":"Last May a guest found her room double-booked at midnight. She was in tears. I sat her down, called the hotel next door and drove her there myself."}]}`)
	version := func(p *program) string {
		t.Helper()
		r := call(t, "POST", p.url+"/v1/analyses", "", "application/json", body)
		if r.status != 200 {
			t.Fatalf("analysis: %d %s", r.status, r.body)
		}
		var rep struct {
			Engine struct {
				PromptVersion string `json:"prompt_version"`
			} `json:"engine"`
		}
		if err := json.Unmarshal(r.body, &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Engine.PromptVersion
	}
	if v := version(start(t, nil, "serve", "--addr", "127.0.0.1:0", "--prototypes", out)); !strings.HasPrefix(v, heuristic.Version+"+prototypes.") {
		t.Errorf("with --prototypes: prompt_version %q, want %s+prototypes.<hash>", v, heuristic.Version)
	}
	if v := version(start(t, map[string]string{"CANDOR_PROTOTYPES": out}, "serve", "--addr", "127.0.0.1:0")); !strings.HasPrefix(v, heuristic.Version+"+prototypes.") {
		t.Errorf("with CANDOR_PROTOTYPES: prompt_version %q, want %s+prototypes.<hash>", v, heuristic.Version)
	}
	if v := version(start(t, nil, "serve", "--addr", "127.0.0.1:0")); v != heuristic.Version {
		t.Errorf("without: prompt_version %q, want %s", v, heuristic.Version)
	}

	notProto := filepath.Join(dir, "guide.json")
	if err := os.WriteFile(notProto, []byte(`{"id":"x","questions":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, file, msg string }{
		{"missing", filepath.Join(dir, "nope.json"), "no such prototype file"},
		{"not a prototype file", notProto, "guide.json"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--prototypes", c.file},
				func(string) string { return "" }, strings.NewReader(""), io.Discard, &stderr)
			if code := exitCode(err, &stderr); code != 2 || !strings.Contains(stderr.String(), "--prototypes") || !strings.Contains(stderr.String(), c.msg) {
				t.Errorf("exit %d, stderr %q; want 2, the setting's name and %q", code, stderr.String(), c.msg)
			}
		})
	}
}
