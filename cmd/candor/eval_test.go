package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/internal/testkit"
)

var (
	miniSet    = filepath.Join("..", "..", "evaluation", "testdata", "mini")
	auditFair  = filepath.Join("..", "..", "evaluation", "testdata", "audit", "fair")
	auditPlant = filepath.Join("..", "..", "evaluation", "testdata", "audit", "planted")
)

// TestEvalMatchesScorePy is the check: on the shared development
// set, `candor eval --format json` gives score.py's figures (cov_qwk,
// label_acc, auc, seg_f1 and the others the two share) within 0.005.
// score.py runs a candor binary built here once per answer. Set
// CANDOR_SCOREPY_SETS (absolute paths, a path list) to check more sets, such as held-out
// ones, the same way.
func TestEvalMatchesScorePy(t *testing.T) {
	shared := sharedDir(t)
	dev := filepath.Join(shared, "eval", "dev")
	scorePy := filepath.Join(shared, "eval", "score.py")
	seed := filepath.Join(shared, "seeds", "000_d3797fe2d9603f3b.txt")
	for _, p := range []string{dev, scorePy, seed} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s is absent: nothing to compare with", p)
		}
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: cannot run score.py")
	}
	if testing.Short() {
		t.Skip("-short: score.py runs the binary once per answer")
	}
	// go test puts its own GOROOT/bin first on the PATH of the tests it runs.
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go is not on PATH: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "candor")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	sets := []string{dev}
	if extra := os.Getenv("CANDOR_SCOREPY_SETS"); extra != "" {
		// More labelled sets to check against the scorer (held-out sets).
		sets = append(sets, filepath.SplitList(extra)...)
	}
	for _, set := range sets {
		t.Run(filepath.Base(set), func(t *testing.T) { compareScorePy(t, py, scorePy, bin, seed, set) })
	}
}

// compareScorePy runs score.py and candor eval on one set and compares.
func compareScorePy(t *testing.T, py, scorePy, bin, seed, set string) {
	figs := filepath.Join(t.TempDir(), "score.json")
	if out, err := exec.Command(py, scorePy, "--bin", bin, "--data", set, "--guide", seed, "--json", figs).CombinedOutput(); err != nil {
		t.Fatalf("score.py: %v\n%s", err, out)
	}
	var want map[string]any
	readJSON(t, figs, &want)

	out := mustRun(t, "", "eval", "--guide", seed, "--format", "json", set)
	var ev evaluation.Evaluation
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatal(err)
	}
	r := ev.Results[0]
	a, tr := r.AnswersFile, r.Transcripts
	got := map[string]float64{
		"cov_qwk":                   a.CoverageQWK.Value,
		"cov_acc":                   a.CoverageAccuracy.Value,
		"cov_f1_covered":            a.CoverageF1Covered.Value,
		"cov_f1_addressed":          a.CoverageF1Addressed.Value,
		"label_acc":                 a.LabelAccuracy.Value,
		"label_macro_f1":            a.LabelMacroF1.Value,
		"spec_spearman":             a.SpecificitySpearman.Value,
		"auc_specific_vs_rehearsed": a.AUC.Value,
		"seg_f1":                    tr.SegmentF1.Value,
		"transcript_cov_qwk":        tr.CoverageQWK.Value,
		"transcript_label_acc":      tr.LabelAccuracy.Value,
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		w, ok := want[k].(float64)
		if !ok {
			t.Errorf("score.py wrote no %s", k)
			continue
		}
		t.Logf("%-26s candor eval %.4f  score.py %.4f", k, got[k], w)
		if math.Abs(got[k]-w) > 0.005 {
			t.Errorf("%s: candor eval %.4f, score.py %.4f", k, got[k], w)
		}
	}
	if f := want["failed_runs"]; f != float64(len(r.Failures)) {
		t.Errorf("failed runs: score.py %v, candor eval %d", f, len(r.Failures))
	}
}

func TestEvalFormats(t *testing.T) {
	out := mustRun(t, "", "eval", "--guide", "cx-empathy", "--format", "json", miniSet)
	var ev evaluation.Evaluation
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if ev.Kind != "evaluation" || ev.Set != "mini" || len(ev.Results) != 1 || ev.Results[0].All.CoverageQWK.CI == nil {
		t.Fatalf("evaluation %+v", ev)
	}
	// Deterministic: the same command prints the same bytes.
	if again := mustRun(t, "", "eval", "--guide", "cx-empathy", "--format", "json", miniSet); again != out {
		t.Error("two runs of the embedded engine differ")
	}

	text := mustRun(t, "", "eval", "--guide", "cx-empathy", miniSet)
	for _, want := range []string{"Candor evaluation of mini", "coverage QWK", "question alignment F1", "Area statuses", "Reliability of the area confidence"} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
	// A second rater who read one area differently.
	second := filepath.Join(t.TempDir(), "second.jsonl")
	data, err := os.ReadFile(filepath.Join(miniSet, "answers.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(second, []byte(strings.Replace(string(data), `"6": "missing"`, `"6": "partial"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	raters := mustRun(t, "", "eval", "--guide", "cx-empathy", "--second-rater", second, miniSet)
	if !strings.Contains(raters, "Your two raters (mini and second.jsonl)\n  on 3 answers:") || !strings.Contains(raters, "(96% of areas the same), labels 100% the same") {
		t.Errorf("second rater:\n%s", raters)
	}
	md := mustRun(t, "", "eval", "--guide", "cx-empathy", "--format", "md", miniSet)
	if !strings.Contains(md, "| coverage QWK |") || !strings.Contains(md, "### Reliability") {
		t.Errorf("markdown:\n%s", md)
	}

	page := filepath.Join(t.TempDir(), "eval.html")
	mustRun(t, "", "eval", "--guide", "cx-empathy", "--format", "html", "--out", page, miniSet)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	checkStandalonePage(t, string(html))
	if !strings.Contains(string(html), "<svg") || !strings.Contains(string(html), "<circle") {
		t.Error("no reliability plot")
	}
}

// checkStandalonePage checks a page opened from disk: no external asset,
// no script, no inline style attribute, and a Content-Security-Policy that
// pins the one inline stylesheet by its hash.
func checkStandalonePage(t *testing.T, html string) {
	t.Helper()
	if !strings.HasPrefix(html, "<!doctype html>") {
		t.Errorf("page starts %q", html[:min(40, len(html))])
	}
	for _, bad := range []string{"<script", " style=", "src=\"http", "href=\"http", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	csp := regexp.MustCompile(`http-equiv="Content-Security-Policy" content="([^"]*)"`).FindStringSubmatch(html)
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(html)
	if csp == nil || style == nil {
		t.Fatalf("no CSP or no stylesheet")
	}
	sum := sha256.Sum256([]byte(style[1]))
	want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if !strings.Contains(csp[1], "default-src 'none'") || !strings.Contains(csp[1], want) {
		t.Errorf("CSP %q does not pin the stylesheet (%s)", csp[1], want)
	}
}

func TestEvalErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"id": "a", "question_id": "q1", "text": "I did it."}`+"\n"+`{"id": "b", "question_id": "q1", "text": "I did.", "label": "great"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	q99 := filepath.Join(dir, "q99.jsonl")
	if err := os.WriteFile(q99, []byte(`{"id": "a", "question_id": "q99", "text": "I did it."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prices := filepath.Join(dir, "prices.json")
	if err := os.WriteFile(prices, []byte(`{"m": {"input": "cheap"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no guide", []string{"eval", miniSet}, "--guide is required"},
		{"no set", []string{"eval", "--guide", "cx-empathy"}, "give a labelled set"},
		{"bad label", []string{"eval", "--guide", "cx-empathy", bad}, `bad.jsonl:2: label: "great" is not one of`},
		{"unknown question", []string{"eval", "--guide", "cx-empathy", q99}, `q99.jsonl:1: question_id: "q99" is not a question of guide "cx-empathy"`},
		{"missing set", []string{"eval", "--guide", "cx-empathy", filepath.Join(dir, "nope")}, "no such file"},
		{"format", []string{"eval", "--guide", "cx-empathy", "--format", "pdf", miniSet}, `--format "pdf": want text, json, md or html`},
		{"engine", []string{"eval", "--guide", "cx-empathy", "--engine", "heuristic,magic", miniSet}, `--engine "heuristic,magic": "magic" is not an engine: want heuristic, llm or hybrid`},
		{"llm without a server", []string{"eval", "--guide", "cx-empathy", "--engine", "llm", miniSet}, "eval: --engine llm needs OPENAI_API_KEY"},
		{"html of two sets", []string{"eval", "--guide", "cx-empathy", "--format", "html", miniSet, miniSet}, "--format html writes one page"},
		{"prices", []string{"eval", "--guide", "cx-empathy", "--prices", prices, miniSet}, "prices.json"},
		{"audit swap", []string{"audit", "--guide", "cx-empathy", "--swap", "maybe", auditFair}, `--swap "maybe": want auto, on or off`},
		{"audit min group", []string{"audit", "--guide", "cx-empathy", "--min-group", "0", auditFair}, `--min-group "0": must be at least 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, tt.want)
			}
			if strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
				t.Errorf("error is not one line: %q", r.stderr)
			}
		})
	}
}

// fakeOpenAI is an OpenAI-compatible chat-completions server: every area
// partly covered, the answer specific, 100 prompt and 40 completion tokens
// a call. It counts calls.
func fakeOpenAI(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
			http.NotFound(w, r)
			return
		}
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		user, ok := testkit.LastMessage(body)
		if !ok {
			testkit.WriteChatError(w, http.StatusBadRequest, "bad request")
			return
		}
		testkit.WriteChatReply(w, "gpt-4o-mini", testkit.PartialReply(testkit.PromptAreas(user), 0.5, 80), 100, 40)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// TestEvalLLMCostAndCache runs the embedded and the LLM engine (the real
// go-openai client against a local server speaking the OpenAI wire
// protocol): the LLM run reports its tokens and cost, the two engines'
// agreement is measured, and a rerun is served from the analysis cache
// with no model call.
func TestEvalLLMCostAndCache(t *testing.T) {
	srv, calls := fakeOpenAI(t)
	cache := filepath.Join(t.TempDir(), "cache")
	args := []string{"eval", "--guide", "cx-empathy", "--engine", "heuristic,llm", "--llm-base-url", srv.URL + "/v1",
		"--model", "gpt-4o-mini", "--cache-dir", cache, "--bootstrap", "0", "--format", "json", miniSet}
	decode := func(out string) *evaluation.Evaluation {
		var ev evaluation.Evaluation
		if err := json.Unmarshal([]byte(out), &ev); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if len(ev.Results) != 2 || len(ev.Agreement) != 1 {
			t.Fatalf("%d results, %d agreements", len(ev.Results), len(ev.Agreement))
		}
		return &ev
	}
	first := decode(mustRun(t, "", args...))
	llm := first.Results[1]
	// The mini set: 3 answers, and a transcript with 2 questions.
	const answers = 5
	if got := calls.Load(); got != answers {
		t.Fatalf("%d model calls, want one per answer (%d)", got, answers)
	}
	if llm.Usage.Calls != answers || llm.Usage.PromptTokens != 100*answers || llm.Usage.CompletionTokens != 40*answers || llm.Cached != 0 {
		t.Errorf("usage %+v, cached %d", llm.Usage, llm.Cached)
	}
	// gpt-4o-mini at $0.15 / $0.60 per million tokens.
	wantUSD := (100*answers*0.15 + 40*answers*0.60) / 1e6
	if llm.Cost == nil || llm.Cost.USD == nil || math.Abs(*llm.Cost.USD-wantUSD) > 1e-9 {
		t.Errorf("cost %+v, want $%.6f", llm.Cost, wantUSD)
	}
	if ag := first.Agreement[0]; ag.A != "heuristic" || ag.B != "llm (gpt-4o-mini)" || ag.Answers != answers {
		t.Errorf("agreement %+v", ag)
	}

	second := decode(mustRun(t, "", args...))
	if got := calls.Load(); got != answers {
		t.Errorf("the rerun made %d model calls, want none", got-answers)
	}
	llm2 := second.Results[1]
	if llm2.Cached != answers || llm2.Usage.Calls != 0 || llm2.Cost != nil {
		t.Errorf("rerun: cached %d, usage %+v, cost %+v", llm2.Cached, llm2.Usage, llm2.Cost)
	}
	if llm2.AnswersFile.CoverageAccuracy.Value != llm.AnswersFile.CoverageAccuracy.Value {
		t.Error("the cached run's figures differ")
	}
	text := mustRun(t, "", append(args[:len(args)-3], "--format", "text", miniSet)...)
	if !strings.Contains(text, "5 of 5 answers from the cache") {
		t.Errorf("text output does not say the answers came from the cache:\n%s", text)
	}

	// --no-cache calls the model again.
	noCache := slices.Clone(args)
	noCache = slices.Insert(noCache, 1, "--no-cache")
	mustRun(t, "", noCache...)
	if got := calls.Load(); got != 2*answers {
		t.Errorf("--no-cache: %d calls in all, want %d", got, 2*answers)
	}
}

func TestAuditCommand(t *testing.T) {
	out := mustRun(t, "", "audit", "--guide", "cx-empathy", "--format", "json", auditPlant)
	var a evaluation.AuditReport
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Flagged) == 0 || !strings.HasPrefix(a.Flagged[0], "first_language: spanish") {
		t.Errorf("flags %v", a.Flagged)
	}
	if a.Swap == nil || a.Swap.Variants == 0 {
		t.Errorf("the swap test did not run by default for the embedded engine: %+v", a.Swap)
	}
	text := mustRun(t, "", "audit", "--guide", "cx-empathy", "--swap", "off", auditFair)
	for _, want := range []string{"== first_language", "too small to compare", "No group is under four-fifths"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "swap test") {
		t.Error("--swap off ran the swap test")
	}
	page := filepath.Join(t.TempDir(), "audit.html")
	mustRun(t, "", "audit", "--guide", "cx-empathy", "--format", "html", "--out", page, auditPlant)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	checkStandalonePage(t, string(html))
	if !strings.Contains(string(html), `class="flag"`) {
		t.Error("the flagged group is not marked on the page")
	}
	md := mustRun(t, "", "audit", "--guide", "cx-empathy", "--format", "md", "--field", "first_language", auditPlant)
	if !strings.Contains(md, "**under four-fifths**") || strings.Contains(md, "## gender") {
		t.Errorf("markdown:\n%s", md)
	}
}
