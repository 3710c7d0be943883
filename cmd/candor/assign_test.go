package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
)

const unplacedFixture = "../../analyzer/segment/testdata/synthetic_unplaced.txt"

// --assign puts the reply to an interviewer turn under the question the
// user names; without it, the reply is named by an answer_unplaced warning
// that tells the turn to assign.
func TestAnalyzeAssign(t *testing.T) {
	rep := decodeReport(t, []byte(mustRun(t, "", "analyze", "--guide", "behavioral-core", "--format", "json", unplacedFixture)))
	var turns []int
	for _, w := range rep.Warnings {
		if w.Code == analyzer.WarnAnswerUnplaced && w.Turn != nil {
			turns = append(turns, *w.Turn)
		}
	}
	if !slices.Equal(turns, []int{4}) || len(rep.Answers) != 1 {
		t.Fatalf("answer_unplaced at %v and %d answers; want turn 4 and q1 alone", turns, len(rep.Answers))
	}
	text := mustRun(t, "", "analyze", "--guide", "behavioral-core", unplacedFixture)
	if !strings.Contains(text, "answer_unplaced: Interviewer turn 4") {
		t.Errorf("text report does not name the unplaced reply:\n%s", text)
	}

	rep = decodeReport(t, []byte(mustRun(t, "", "analyze", "--guide", "behavioral-core", "--format", "json", "--assign", "4=q3", unplacedFixture)))
	var ids []string
	for _, a := range rep.Answers {
		ids = append(ids, a.QuestionID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"q1", "q3"}) {
		t.Errorf("with --assign 4=q3: answers to %v, want q1 and q3", ids)
	}
	out := mustRun(t, "", "segment", "--guide", "behavioral-core", unplacedFixture)
	if !strings.Contains(out, "Not placed") || !strings.Contains(out, "    turn 4: ") || strings.Contains(out, "Warning: answer_unplaced") {
		t.Errorf("segment lists the unplaced reply once, under Not placed:\n%s", out)
	}
	out = mustRun(t, "", "segment", "--guide", "behavioral-core", "--explain", "--assign", "4=q3", "--assign", "6=-", unplacedFixture)
	if strings.Contains(out, "Not placed") {
		t.Errorf("a reply listed as not placed after its turn was assigned:\n%s", out)
	}
	for _, want := range []string{"turn   4  assigned", "turn   6  assigned_none"} {
		if !strings.Contains(out, want) {
			t.Errorf("segment --explain: no %q in\n%s", want, out)
		}
	}
}

func TestAnalyzeAssignErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--assign", "four=q3"}, `"four=q3" is not TURN=QUESTION`},
		{[]string{"--assign", "4=q3,4=q1"}, "turn 4 is assigned twice"},
		{[]string{"--assign", "5=q3"}, "assign[5]: turn 5 is Daniel Brooks's, not an interviewer's"},
		{[]string{"--assign", "4=q99"}, `assign[4]: "q99" is not a question of guide "behavioral-core"`},
		{[]string{"--assign", "4=q3", unplacedFixture}, "give one input"},
	} {
		args := append(append([]string{"analyze", "--guide", "behavioral-core"}, tc.args...), unplacedFixture)
		r := runCLI(t, "", args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
