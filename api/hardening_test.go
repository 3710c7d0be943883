package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/candorhq/candor/api"
)

// bigGuide is a guide with n areas on its one question.
func bigGuide(questions, areas int) map[string]any {
	var qs []map[string]any
	for i := range questions {
		var as []string
		for j := range areas {
			as = append(as, fmt.Sprintf("area %d of question %d", j, i))
		}
		qs = append(qs, map[string]any{"id": fmt.Sprintf("q%d", i+1), "text": "Tell me about a time a customer was upset?", "areas": as})
	}
	return map[string]any{"id": "big", "title": "Big", "questions": qs}
}

// TestGuideLimitsEveryPath (row 1): a guide over a limit is refused with
// 422, the field and the limit, however it arrives, before any analysis.
func TestGuideLimitsEveryPath(t *testing.T) {
	e := newEnv(t, options{noRedis: true, workers: -1})
	huge := bigGuide(1, 40000)
	body, _ := json.Marshal(huge)
	yardstick := "Big\nInterview Questions\nTell me about a time?\nAreas to Cover\n" + strings.Repeat("- an area\n", 40000)

	check := func(name string, r *response, field string) {
		t.Helper()
		want(t, r, http.StatusUnprocessableEntity, api.CodeInvalidGuide)
		p := r.problem(t)
		if !strings.Contains(p.Detail, "40000 areas, more than the limit of 30") {
			t.Errorf("%s: detail %q does not give the limit", name, p.Detail)
		}
		if p.Field != field {
			t.Errorf("%s: field %q, want %s", name, p.Field, field)
		}
	}
	check("POST /v1/guides JSON", e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "application/json", body: body}), "questions[0].areas")
	check("POST /v1/guides Yardstick", e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "text/plain", body: []byte(yardstick)}), "questions[0].areas")
	check("PUT /v1/guides/big", e.do(req{method: "PUT", path: "/v1/guides/big", key: keyA, ctype: "application/json", body: body}), "questions[0].areas")
	inline := map[string]any{"guide": huge, "answers": []map[string]string{{"question_id": "q1", "text": strings.Repeat("word ", 3000)}}}
	check("inline guide", e.postJSON("/v1/analyses", keyA, inline), "guide.questions[0].areas")
	mp, ct := multipartWithGuide(t, yardstick)
	check("multipart guide file", e.do(req{method: "POST", path: "/v1/analyses", key: keyA, ctype: ct, body: mp}), "guide.questions[0].areas")

	many := bigGuide(10000, 1)
	body, _ = json.Marshal(many)
	r := e.do(req{method: "POST", path: "/v1/guides", key: keyA, ctype: "application/json", body: body})
	want(t, r, http.StatusUnprocessableEntity, api.CodeInvalidGuide)
	if p := r.problem(t); !strings.Contains(p.Detail, "10000 questions, more than the limit of 1000") {
		t.Errorf("10,000 questions: %q", p.Detail)
	}
	// Nothing was stored.
	if r := e.get("/v1/guides/big", keyA); r.status != http.StatusNotFound {
		t.Errorf("GET /v1/guides/big: %d", r.status)
	}
}

// TestWorkBudget (row 1): an analysis within every limit but over the work
// budget is refused with 422 and the budget before it runs; one under it
// runs.
func TestWorkBudget(t *testing.T) {
	e := newEnv(t, options{noRedis: true, workers: -1, cfg: api.Config{MaxWork: 1_000_000}})
	g := bigGuide(1, 30)
	long := strings.Repeat("I called the customer back the same day and fixed the refund. ", 300) // about 18,600 characters
	as := []map[string]string{}
	for range 4 {
		as = append(as, map[string]string{"question_id": "q1", "text": long})
	}
	r := e.postJSON("/v1/analyses", keyA, map[string]any{"guide": g, "answers": as})
	want(t, r, http.StatusUnprocessableEntity, api.CodeWorkBudget)
	if p := r.problem(t); !strings.Contains(p.Detail, "over the budget of 1.0 million") {
		t.Errorf("detail %q does not give the budget", p.Detail)
	}
	// Async too: the budget holds for jobs.
	r = e.postJSON("/v1/analyses?async=true", keyA, map[string]any{"guide": g, "answers": as})
	want(t, r, http.StatusUnprocessableEntity, api.CodeWorkBudget)
	// A transcript whose answers go over it.
	texts := []string{"Tell me about a time a customer was upset about a refund.", "Describe how you coached a colleague through a difficult call.",
		"When did you change a process after a complaint?", "Tell me about a billing mistake you made and fixed."}
	g4 := bigGuide(4, 30)
	var tr strings.Builder
	for i, q := range g4["questions"].([]map[string]any) {
		q["text"] = texts[i]
		tr.WriteString("Interviewer: " + texts[i] + "\nCandidate: " + long + "\n")
	}
	r = e.postJSON("/v1/analyses", keyA, map[string]any{"guide": g4, "transcript": tr.String()})
	want(t, r, http.StatusUnprocessableEntity, api.CodeWorkBudget)
	// One answer is within it.
	r = e.postJSON("/v1/analyses", keyA, map[string]any{"guide": g, "answers": as[:1]})
	want(t, r, http.StatusOK, "")
}

// multipartWithGuide is an upload of a short transcript with a guide file.
func multipartWithGuide(t *testing.T, guideText string) ([]byte, string) {
	t.Helper()
	return multipartForm(t, nil,
		formFile{"transcript", "t.txt", []byte("Interviewer: Tell me about a time a customer was upset?\nCandidate: Once a customer was upset with me.\n")},
		formFile{"guide", "guide.txt", []byte(guideText)})
}
