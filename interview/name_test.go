package interview_test

import (
	"context"
	"testing"

	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/interview"
)

// TestNameFromTranscript: when the speaker labels are roles, the report
// names the candidate as the transcript does, else by the file name.
func TestNameFromTranscript(t *testing.T) {
	g := cxGuide(t)
	const q = "Interviewer: Tell me about a time when a customer came to you angry. What did you do?\n"
	const a = "Candidate: Last March a caller was shouting about a double charge. I refunded it the same day, rang him back a week later and he stayed with us.\n"
	tests := []struct {
		name, file, text, want string
	}{
		{"self-introduction", "interview_07.txt",
			"Interviewer: Hi, thanks for joining. Could you introduce yourself?\nCandidate: Sure, my name is Sofia Ruiz and I lead a support team.\n" + q + a, "Sofia Ruiz"},
		{"addressed by the interviewer", "interview_08.txt",
			"Interviewer: Welcome, Tomasz. Shall we start?\nCandidate: Yes, happy to.\n" + q + a + "Interviewer: Thanks, Tomasz. That is all from me.\n", "Tomasz"},
		{"'I'm sorry' is no name", "maria_lopez.txt",
			"Interviewer: Hello there.\nCandidate: Hi, I'm Sorry I was late.\n" + q + a, "maria lopez"},
		{"nothing said: the file name", "ahmed_khan.txt", q + a, "ahmed khan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := interview.Analyze(context.Background(), heuristic.New(), g, tc.file, []byte(tc.text), interview.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Candidate != tc.want {
				t.Errorf("candidate %q, want %q", rep.Candidate, tc.want)
			}
		})
	}
}
