package segment_test

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/transcript"
)

// synthetic_unplaced.txt (behavioral-core): small talk (turns 0-3), an
// off-guide question (turn 4: a customer's strangest return) with a
// follow-up (turn 6) and two long replies (5, 7), then the guide's q1 in
// its own words (turn 8, reply 9) and the closing (10).
func unplacedFixture(t *testing.T) ([]byte, *analyzer.Guide) {
	t.Helper()
	data, err := os.ReadFile("testdata/synthetic_unplaced.txt")
	if err != nil {
		t.Fatal(err)
	}
	return data, builtin(t, "behavioral-core")
}

func answerTurns(res *segment.Result) map[string][]int {
	out := map[string][]int{}
	for _, a := range res.Answers {
		out[a.QuestionID] = a.Turns
	}
	return out
}

func unplacedWarnings(res *segment.Result) []int {
	var turns []int
	for _, w := range res.Warnings {
		if w.Code == analyzer.WarnAnswerUnplaced {
			if w.Turn == nil {
				turns = append(turns, -2) // a warning without its turn
				continue
			}
			turns = append(turns, *w.Turn)
		}
	}
	return turns
}

// What the candidate says in reply to a turn that asks no guide question
// is not analysed, but it is never dropped without a word: the result
// lists it with the turn it answers and the closest questions, and a
// warning names the turn.
func TestSegmentUnplaced(t *testing.T) {
	data, g := unplacedFixture(t)
	res, tr := segmentFile(t, g, "synthetic_unplaced.txt", data, segment.Options{})
	if got, want := answerTurns(res), map[string][]int{"q1": {9}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("answers %v, want %v", got, want)
	}
	if len(res.Unplaced) != 1 {
		t.Fatalf("unplaced %+v, want the off-guide exchange alone (the small talk is too short)", res.Unplaced)
	}
	u := res.Unplaced[0]
	if u.AskedAt != 4 || !slices.Equal(u.Turns, []int{5, 7}) || u.Asked != tr.Turns[4].Text {
		t.Errorf("unplaced asked at %d (%q), turns %v; want turn 4 and replies 5, 7", u.AskedAt, u.Asked, u.Turns)
	}
	if want := nlp.Words(tr.Turns[5].Text) + nlp.Words(tr.Turns[7].Text); u.Words != want {
		t.Errorf("unplaced words %d, want %d", u.Words, want)
	}
	if len(u.Closest) != 3 || len(u.Scores) != 3 || u.Scores[0] < u.Scores[1] || u.Scores[1] < u.Scores[2] {
		t.Errorf("closest %v %v, want three questions, best first", u.Closest, u.Scores)
	}
	if got := unplacedWarnings(res); !slices.Equal(got, []int{4}) {
		t.Fatalf("answer_unplaced warnings at turns %v, want [4]", got)
	}
	for _, w := range res.Warnings {
		if w.Code == analyzer.WarnAnswerUnplaced && (!strings.Contains(w.Message, "turn 4") || !strings.Contains(w.Message, u.Closest[0])) {
			t.Errorf("message %q: want the turn and the closest question named", w.Message)
		}
		if w.Code == analyzer.WarnAnswerUnplaced && !slices.Equal(w.Closest, u.Closest) {
			t.Errorf("warning's closest %v, want %v", w.Closest, u.Closest)
		}
	}
}

func TestSegmentAssign(t *testing.T) {
	data, g := unplacedFixture(t)
	tests := []struct {
		name     string
		assign   map[int]string
		answers  map[string][]int
		unplaced []int // turns of the answer_unplaced warnings
		decided  map[int]string
	}{
		{"the off-guide turn read as q3", map[int]string{4: "q3"}, map[string][]int{"q3": {5, 7}, "q1": {9}}, nil,
			map[int]string{4: "assigned", 6: "follow_up", 8: "new"}},
		// A turn assigned to none and a follow-up assigned to a question.
		{"as the model reads it", map[int]string{4: segment.AssignNone}, map[string][]int{"q1": {9}}, []int{4},
			map[int]string{4: "assigned_none"}},
		{"the follow-up asks q5", map[int]string{6: "q5"}, map[string][]int{"q5": {7}, "q1": {9}}, []int{4},
			map[int]string{6: "assigned"}},
		// The model's question taken away: its reply is listed, not lost.
		{"q1's turn asks none", map[int]string{8: segment.AssignNone}, map[string][]int{}, []int{4, 8},
			map[int]string{8: "assigned_none"}},
		// A question assigned to one turn is opened at that turn only.
		{"q1 moved to the off-guide turn", map[int]string{4: "q1"}, map[string][]int{"q1": {5, 7, 9}}, nil,
			map[int]string{4: "assigned", 8: "follow_up"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := segmentFile(t, g, "synthetic_unplaced.txt", data, segment.Options{Assign: tc.assign, Explain: true})
			if got := answerTurns(res); !reflect.DeepEqual(got, tc.answers) {
				t.Errorf("answers %v, want %v", got, tc.answers)
			}
			if got := unplacedWarnings(res); !slices.Equal(got, tc.unplaced) {
				t.Errorf("answer_unplaced at turns %v, want %v", got, tc.unplaced)
			}
			by := map[int]string{}
			for _, d := range res.Decisions {
				by[d.Turn] = d.Decision
			}
			for turn, want := range tc.decided {
				if by[turn] != want {
					t.Errorf("turn %d decided %q, want %q", turn, by[turn], want)
				}
			}
		})
	}
}

func TestSegmentAssignErrors(t *testing.T) {
	data, g := unplacedFixture(t)
	tr, err := transcript.Parse("synthetic_unplaced.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		assign      map[int]string
		field, want string
	}{
		{map[int]string{5: "q1"}, "assign[5]", "not an interviewer's"},
		{map[int]string{11: "q1"}, "assign[11]", "turns 0..10"},
		{map[int]string{-1: "q1"}, "assign[-1]", "turns 0..10"},
		{map[int]string{4: "q99"}, "assign[4]", `"q99" is not a question of guide "behavioral-core"`},
		{map[int]string{4: "q1", 8: "q1"}, "assign[8]", "q1 is already assigned to turn 4"},
	}
	for _, tc := range tests {
		_, err := segment.Segment(g, tr, segment.Options{Assign: tc.assign})
		var ie *analyzer.InputError
		if !errors.As(err, &ie) || ie.Field != tc.field || !strings.Contains(ie.Reason, tc.want) {
			t.Errorf("assign %v: error %v, want field %s and %q", tc.assign, err, tc.field, tc.want)
		}
	}
	answers := &analyzer.Transcript{Format: transcript.FormatAnswersJSON, Answers: []analyzer.GivenAnswer{{QuestionID: "q1", Text: "I asked Tom for a coffee."}}}
	_, err = segment.Segment(g, answers, segment.Options{Assign: map[int]string{0: "q1"}})
	var ie *analyzer.InputError
	if !errors.As(err, &ie) || ie.Field != "assign" {
		t.Errorf("assign with the answers format: %v, want an error on assign", err)
	}
}

func TestParseAssign(t *testing.T) {
	tests := []struct {
		in   []string
		want map[int]string
		err  string
	}{
		{[]string{"6=q7"}, map[int]string{6: "q7"}, ""},
		{[]string{" 6 = q7 ", "12=-"}, map[int]string{6: "q7", 12: "-"}, ""},
		{[]string{"6=q7", "6=q7"}, map[int]string{6: "q7"}, ""},
		{[]string{"6=q7", "6=q8"}, nil, "turn 6 is assigned twice"},
		{[]string{"x=q7"}, nil, `"x=q7" is not TURN=QUESTION`},
		{[]string{"6"}, nil, `"6" is not TURN=QUESTION`},
		{[]string{"6="}, nil, "is not TURN=QUESTION"},
		{[]string{"-3=q1"}, nil, "is not TURN=QUESTION"},
	}
	for _, tc := range tests {
		got, err := segment.ParseAssign(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

// An exchange no question took is named by the behavioural prompt that
// opened it, even when a follow-up inside it matches a guide question
// better (synthetic_unplaced_prompt.txt: turn 2 "Tell me about a time you
// organised an event outside work", turn 4 "how did you get the council to
// agree?", the closer to a guide question).
func TestSegmentUnplacedNamedByItsPrompt(t *testing.T) {
	data, err := os.ReadFile("testdata/synthetic_unplaced_prompt.txt")
	if err != nil {
		t.Fatal(err)
	}
	g := builtin(t, "behavioral-core")
	res, _ := segmentFile(t, g, "synthetic_unplaced_prompt.txt", data, segment.Options{Explain: true})
	if len(res.Unplaced) != 1 || res.Unplaced[0].AskedAt != 2 || !slices.Equal(res.Unplaced[0].Turns, []int{3, 5}) {
		t.Fatalf("unplaced %+v, want one exchange named at turn 2 with replies 3 and 5", res.Unplaced)
	}
	best := map[int]float64{}
	for _, d := range res.Decisions {
		if len(d.Scores) > 0 {
			best[d.Turn] = d.Scores[0]
		}
	}
	if best[4] <= best[2] {
		t.Errorf("the fixture no longer tests the rule: turn 4's best match %.2f is not above turn 2's %.2f", best[4], best[2])
	}
}
