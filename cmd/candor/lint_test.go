package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/guide"
)

func TestGuidesLint(t *testing.T) {
	for _, id := range guide.BuiltinIDs() {
		mustRun(t, "", "guides", "lint", id)
	}
	faulty := filepath.Join("..", "..", "guide", "testdata", "lint", "faulty.yaml")
	r := runCLI(t, "", "guides", "lint", "--guide", faulty, "--format", "json")
	if r.code != exitLintFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitLintFindings, r.stderr)
	}
	var fs []guide.Finding
	if err := json.Unmarshal([]byte(r.stdout), &fs); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Code] = true
	}
	for _, c := range []string{guide.LintAreaOverlap, guide.LintQuestionDuplicate, guide.LintAreaTrait, guide.LintFollowUpRepeats,
		guide.LintFollowUpsEmpty, guide.LintAreasTooMany, guide.LintFollowUpsTooMany} {
		if !seen[c] {
			t.Errorf("no %s in %s", c, r.stdout)
		}
	}
	r = runCLI(t, "", "guides", "lint", faulty)
	if r.code != exitLintFindings || !strings.Contains(r.stdout, "suggest: ") || !strings.Contains(r.stdout, "text:    Their passion for customer service") {
		t.Errorf("text output, exit %d:\n%s", r.code, r.stdout)
	}
	if r := runCLI(t, "", "guides", "lint"); r.code != 2 {
		t.Errorf("no guide: exit %d, want 2", r.code)
	}
	if r := runCLI(t, "", "guides", "lint", "no-such-guide.yaml"); r.code != 2 {
		t.Errorf("missing file: exit %d, want 2", r.code)
	}
}
