package api_test

import (
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/api"
)

// The segment package's fixture (behavioral-core): interviewer turn 4 asks
// an off-guide question whose two replies no guide question takes; turn 8
// asks q1.
func unplacedTranscript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../analyzer/segment/testdata/synthetic_unplaced.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func questionsOf(rep analyzer.Report) []string {
	var ids []string
	for _, a := range rep.Answers {
		ids = append(ids, a.QuestionID)
	}
	slices.Sort(ids)
	return ids
}

func unplacedTurns(rep analyzer.Report) []int {
	var turns []int
	for _, w := range rep.Warnings {
		if w.Code == analyzer.WarnAnswerUnplaced && w.Turn != nil {
			turns = append(turns, *w.Turn)
		}
	}
	return turns
}

// A reply no guide question took is named by a warning with its turn, and
// assign (JSON, form field or query) puts it under the question the user
// says the turn asks.
func TestAnalyzeAssign(t *testing.T) {
	e := newEnv(t, options{})
	text := unplacedTranscript(t)

	r := e.postJSON("/v1/analyses", keyA, map[string]any{"guide_id": "behavioral-core", "transcript": text})
	want(t, r, http.StatusOK, "")
	var rep analyzer.Report
	r.json(t, &rep)
	if got := questionsOf(rep); !slices.Equal(got, []string{"q1"}) {
		t.Fatalf("answers to %v, want q1 alone", got)
	}
	if got := unplacedTurns(rep); !slices.Equal(got, []int{4}) {
		t.Fatalf("answer_unplaced at turns %v, want [4]", got)
	}
	if rep.SchemaRevision != analyzer.SchemaRevision {
		t.Errorf("schema_revision %d, want %d", rep.SchemaRevision, analyzer.SchemaRevision)
	}

	form, ctype := multipartForm(t, map[string]string{"guide_id": "behavioral-core", "assign": "4=q3"},
		formFile{"transcript", "interview.txt", []byte(text)})
	for name, res := range map[string]*response{
		"json": e.postJSON("/v1/analyses", keyA, map[string]any{"guide_id": "behavioral-core", "transcript": text,
			"assign": map[string]string{"4": "q3"}}),
		"multipart": e.do(req{method: http.MethodPost, path: "/v1/analyses", key: keyA, ctype: ctype, body: form}),
		"query": e.do(req{method: http.MethodPost, path: "/v1/analyses?guide_id=behavioral-core&assign=" + url.QueryEscape("4=q3"),
			key: keyA, ctype: "text/plain", body: []byte(text)}),
	} {
		want(t, res, http.StatusOK, "")
		var got analyzer.Report
		res.json(t, &got)
		if ids := questionsOf(got); !slices.Equal(ids, []string{"q1", "q3"}) {
			t.Errorf("%s: answers to %v, want q1 and q3", name, ids)
		}
		if turns := unplacedTurns(got); len(turns) != 0 {
			t.Errorf("%s: answer_unplaced at %v after the assignment", name, turns)
		}
		for _, a := range got.Answers {
			if a.QuestionID == "q3" && !strings.Contains(a.Text, "tortoise") {
				t.Errorf("%s: q3's answer %q is not the reply to turn 4", name, a.Text)
			}
		}
	}
}

func TestAnalyzeAssignErrors(t *testing.T) {
	e := newEnv(t, options{})
	text := unplacedTranscript(t)
	for _, tc := range []struct {
		name   string
		body   map[string]any
		status int
		code   string
		field  string
		detail string
	}{
		{"not a turn number", map[string]any{"transcript": text, "assign": map[string]string{"four": "q3"}}, 422, api.CodeValidation, "assign", "TURN=QUESTION"},
		{"a candidate's turn", map[string]any{"transcript": text, "assign": map[string]string{"5": "q3"}}, 422, api.CodeInvalidInput, "assign[5]", "not an interviewer's"},
		{"past the end", map[string]any{"transcript": text, "assign": map[string]string{"40": "q3"}}, 422, api.CodeInvalidInput, "assign[40]", "turns 0..10"},
		{"no such question", map[string]any{"transcript": text, "assign": map[string]string{"4": "q42"}}, 422, api.CodeInvalidInput, "assign[4]", `"q42"`},
		{"one question twice", map[string]any{"transcript": text, "assign": map[string]string{"4": "q3", "6": "q3"}}, 422, api.CodeInvalidInput, "assign[6]", "already assigned"},
		{"with answers", map[string]any{"answers": []map[string]string{{"question_id": "q1", "text": "I asked Tom for a coffee."}},
			"assign": map[string]string{"4": "q3"}}, 422, api.CodeValidation, "assign", "answers name their questions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.body["guide_id"] = "behavioral-core"
			r := e.postJSON("/v1/analyses", keyA, tc.body)
			want(t, r, tc.status, tc.code)
			p := r.problem(t)
			if p.Field != tc.field || !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("field %q detail %q, want %q and %q", p.Field, p.Detail, tc.field, tc.detail)
			}
		})
	}
}
