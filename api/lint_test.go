package api_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/candorhq/candor/api"
	"github.com/candorhq/candor/guide"
)

// TestGuideLintWarnings: a guide with faults is stored all the same, and
// its 201 (POST) or 200/201 (PUT) body carries lint's findings; a clean
// guide carries none.
func TestGuideLintWarnings(t *testing.T) {
	e := newEnv(t, options{})
	faulty, err := os.ReadFile(filepath.Join("..", "guide", "testdata", "lint", "faulty.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*response{
		e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "application/yaml", body: faulty}),
		e.do(req{method: "PUT", path: "/v1/guides/mine", key: keyA, ctype: "application/yaml", body: faulty}),
	} {
		if r.status != 201 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		var got api.GuideCreated
		r.json(t, &got)
		codes := map[string]bool{}
		for _, f := range got.Warnings {
			codes[f.Code] = true
			if f.Field == "" || f.Message == "" {
				t.Errorf("finding without field or message: %+v", f)
			}
		}
		for _, c := range []string{guide.LintAreaOverlap, guide.LintQuestionDuplicate, guide.LintAreaTrait, guide.LintFollowUpRepeats} {
			if !codes[c] {
				t.Errorf("no %s warning in %s", c, r.body)
			}
		}
	}
	r := e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "text/plain", body: yardstickGuide(t)})
	want(t, r, 201, "")
	var clean api.GuideCreated
	r.json(t, &clean)
	for _, f := range clean.Warnings {
		t.Logf("yardstick fixture: %v", f)
	}
}
