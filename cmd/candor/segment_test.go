package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer/segment"
)

// segmentJSON runs segment --format json on path.
func segmentJSON(t *testing.T, path string, extra ...string) *segment.Result {
	t.Helper()
	return segmentJSONWith(t, "cx-empathy", path, extra...)
}

func segmentJSONWith(t *testing.T, guideRef, path string, extra ...string) *segment.Result {
	t.Helper()
	args := append([]string{"segment", "--guide", guideRef, "--format", "json"}, extra...)
	out := mustRun(t, "", append(args, path)...)
	var res segment.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("segment %s: %v", path, err)
	}
	return &res
}

// goldQuestions reads the question ids of the gold segments of a transcript.
func goldQuestions(t *testing.T, transcriptPath string) map[string]bool {
	t.Helper()
	var gold struct {
		Segments []struct {
			QuestionID string `json:"question_id"`
		} `json:"segments"`
	}
	readJSON(t, strings.TrimSuffix(transcriptPath, filepath.Ext(transcriptPath))+".gold.json", &gold)
	ids := map[string]bool{}
	for _, s := range gold.Segments {
		ids[s.QuestionID] = true
	}
	if len(ids) == 0 {
		t.Fatalf("%s: gold has no segments", transcriptPath)
	}
	return ids
}

func foundQuestions(res *segment.Result) map[string]bool {
	ids := map[string]bool{}
	for _, a := range res.Answers {
		ids[a.QuestionID] = true
	}
	return ids
}

// setDiff returns the sorted members of a that are not in b.
func setDiff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TestSegmentDev checks that segment finds exactly the gold questions of
// every dev transcript in the shared evaluation set.
func TestSegmentDev(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "eval", "dev", "transcripts")
	for _, p := range evalTranscripts(t, dir) {
		t.Run(filepath.Base(p), func(t *testing.T) {
			got, want := foundQuestions(segmentJSON(t, p)), goldQuestions(t, p)
			if extra, missed := setDiff(got, want), setDiff(want, got); len(extra)+len(missed) > 0 {
				t.Errorf("question ids: found but not in gold %v, in gold but not found %v", extra, missed)
			}
		})
	}
}

// The floors for question detection on the project's held-out transcripts
// (testdata/eval). Their interviewers paraphrase the seed guide's questions:
// against the seed the match is one paraphrase away; against the built-in
// cx-empathy guide, itself a rewording of the same questions, two.
const (
	minEvalF1Seed    = 0.90
	minEvalF1Builtin = 0.75
)

// TestSegmentEval measures question detection on testdata/eval: it logs the
// transcripts whose question ids differ from the gold and asserts the
// micro-averaged F1 over all transcripts.
func TestSegmentEval(t *testing.T) {
	guides := []struct {
		ref   string
		floor float64
	}{{"cx-empathy", minEvalF1Builtin}}
	if seed := filepath.Join("..", "..", "..", "shared", "seeds", "000_d3797fe2d9603f3b.txt"); fileExists(seed) {
		guides = append(guides, struct {
			ref   string
			floor float64
		}{seed, minEvalF1Seed})
	}
	for _, g := range guides {
		t.Run(filepath.Base(g.ref), func(t *testing.T) {
			var tp, fp, fn int
			for _, p := range evalTranscripts(t, evalDir) {
				res := segmentJSONWith(t, g.ref, p)
				got, want := foundQuestions(res), goldQuestions(t, p)
				extra, missed := setDiff(got, want), setDiff(want, got)
				tp += len(got) - len(extra)
				fp += len(extra)
				fn += len(missed)
				if len(extra)+len(missed) > 0 {
					t.Logf("%s: found but not in gold %v, in gold but not found %v", filepath.Base(p), extra, missed)
				}
			}
			precision := float64(tp) / float64(tp+fp)
			recall := float64(tp) / float64(tp+fn)
			f1 := 2 * precision * recall / (precision + recall)
			t.Logf("testdata/eval question detection: tp %d fp %d fn %d, precision %.3f recall %.3f F1 %.3f", tp, fp, fn, precision, recall, f1)
			if f1 < g.floor {
				t.Errorf("question-detection F1 = %.3f, want >= %.2f", f1, g.floor)
			}
		})
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestSegmentOutput checks the text output, the JSON result's roles and
// format, and --explain.
func TestSegmentOutput(t *testing.T) {
	path := filepath.Join(evalDir, "t05_plain.txt")
	res := segmentJSON(t, path)
	if got, want := res.Format, goldFormat(t, path); got != want {
		t.Errorf("format = %q, want %q", got, want)
	}
	if res.Candidate != "Candidate" || len(res.Interviewers) != 1 || res.Interviewers[0] != "Interviewer" {
		t.Errorf("roles: interviewers %v, candidate %q; want [Interviewer] and Candidate", res.Interviewers, res.Candidate)
	}
	if len(res.Decisions) != 0 {
		t.Errorf("decisions recorded without --explain: %d", len(res.Decisions))
	}
	for _, a := range res.Answers {
		if a.AskedAt < 0 || a.AskedAt >= res.Turns || len(a.Turns) == 0 || a.Text == "" {
			t.Errorf("%s: asked at %d of %d turns, %d answer turns, %d bytes of text", a.QuestionID, a.AskedAt, res.Turns, len(a.Turns), len(a.Text))
		}
	}

	t.Run("text", func(t *testing.T) {
		out := mustRun(t, "", "segment", "--guide", "cx-empathy", path)
		if want := fmt.Sprintf("Format: plain, %d turns. Interviewer(s): Interviewer. Candidate: Candidate.\n", res.Turns); !strings.HasPrefix(out, want) {
			t.Errorf("first line = %q, want %q", strings.SplitN(out, "\n", 2)[0], want)
		}
		for _, a := range res.Answers {
			if want := fmt.Sprintf("\n%s  ", a.QuestionID); !strings.Contains(out, want) {
				t.Errorf("text lacks the section of %s", a.QuestionID)
			}
			if want := fmt.Sprintf("    asked at turn %d ", a.AskedAt); !strings.Contains(out, want) {
				t.Errorf("text lacks %q", want)
			}
		}
		if strings.Contains(out, "\nturn ") {
			t.Errorf("decisions printed without --explain")
		}
	})

	t.Run("explain", func(t *testing.T) {
		known := map[string]bool{"new": true, "intro": true, "follow_up": true, "closing": true, "not_a_question": true, "no_match": true, "deferred_repeat": true}
		exp := segmentJSON(t, path, "--explain")
		if len(exp.Decisions) == 0 {
			t.Fatal("--explain recorded no decisions")
		}
		news := 0
		for _, d := range exp.Decisions {
			if !known[d.Decision] {
				t.Errorf("turn %d: unknown decision %q", d.Turn, d.Decision)
			}
			if len(d.Best) != len(d.Scores) {
				t.Errorf("turn %d: %d best questions but %d scores", d.Turn, len(d.Best), len(d.Scores))
			}
			if d.Decision == "new" {
				news++
			}
		}
		if news < len(exp.Answers) {
			t.Errorf("%d \"new\" decisions for %d answers", news, len(exp.Answers))
		}

		out := mustRun(t, "", "segment", "--guide", "cx-empathy", "--explain", path)
		lineRE := regexp.MustCompile(`(?m)^turn +(\d+)  (\S+)`)
		lines := lineRE.FindAllStringSubmatch(out, -1)
		if got, want := len(lines), len(exp.Decisions); got != want {
			t.Fatalf("--explain printed %d decision lines, want %d", got, want)
		}
		for i, m := range lines {
			if got, want := m[1]+" "+m[2], fmt.Sprintf("%d %s", exp.Decisions[i].Turn, exp.Decisions[i].Decision); got != want {
				t.Errorf("decision line %d = %q, want %q", i+1, got, want)
			}
		}
	})
}
