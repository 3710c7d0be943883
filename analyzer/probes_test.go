package analyzer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
)

// suggestEngine is an engine whose only output is its follow-up
// suggestions, like a real engine that did not read the interview.
type suggestEngine struct{ followUps []string }

func (e suggestEngine) Info() analyzer.EngineInfo {
	return analyzer.EngineInfo{Name: "heuristic", Model: "suggest"}
}
func (e suggestEngine) Analyze(_ context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	return analyzer.AnswerAnalysis{QuestionID: q.ID, Question: q.Text, Text: text, FollowUps: append([]string{}, e.followUps...),
		Delivery: analyzer.Delivery{Label: analyzer.LabelMixed}}, nil
}

// TestProbeUnanswered: an interviewer's "specific example?" that the reply
// dodges is reported with both quotes (the reply's span exact), and the
// suggestions stop asking for an example, taking the guide's other angles.
func TestProbeUnanswered(t *testing.T) {
	g := &analyzer.Guide{ID: "g", Title: "G", Version: "1", Questions: []analyzer.Question{{
		ID: "q1", Text: "Tell me about a time you calmed an angry customer.", Areas: []string{"situation", "action"},
		FollowUps: []string{"Could you give me one concrete example of that?", "What did the customer say when it was over?",
			"Who else did you bring in, and why?"},
	}}}
	first := "Customers get upset when they feel ignored, so listening matters most."
	probe := "Can you give me a specific example?"
	dodge := "Sure. I always try to listen first and I think it's important to stay calm. Generally that works for me."
	told := "Last March a guest in Porto was locked out at midnight. I called the locksmith and stayed with her until 1am."
	tests := []struct {
		name     string
		reply    string
		warn     bool
		suggests []string
	}{
		{"dodged", dodge, true, []string{"What did the customer say when it was over?", "How did it end?"}},
		{"answered", told, false, []string{"Can you give a specific example?", "How did it end?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := first + " " + tt.reply
			a := analyzer.Answer{QuestionID: "q1", Text: text, AskedAt: 0, Turns: []int{1, 3}, Offsets: []int{0, len([]rune(first)) + 1},
				Probes: []analyzer.Probe{{Turn: 2, Speaker: "Ana", Text: probe, Offset: len([]rune(first)) + 1}}}
			eng := suggestEngine{followUps: []string{"Can you give a specific example?", "How did it end?"}}
			rep, err := analyzer.Analyze(context.Background(), eng, g, []analyzer.Answer{a}, analyzer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := rep.Answers[0]
			if len(got.Probes) != 1 || got.Probes[0].Text != probe {
				t.Errorf("probes not kept in the report: %+v", got.Probes)
			}
			var w *analyzer.Warning
			for i := range rep.Warnings {
				if rep.Warnings[i].Code == analyzer.WarnProbeUnanswered {
					w = &rep.Warnings[i]
				}
			}
			if (w != nil) != tt.warn {
				t.Fatalf("probe_unanswered warning: %v, want %v", w, tt.warn)
			}
			if w != nil {
				if !strings.Contains(w.Message, probe) || !strings.Contains(w.Message, "I always try to listen first") || w.QuestionID != "q1" {
					t.Errorf("warning does not quote the probe and the reply: %q", w.Message)
				}
				if w.Span == nil || string([]rune(text)[w.Span.Start:w.Span.End]) != w.Span.Quote || w.Span.Quote != tt.reply {
					t.Errorf("warning span %+v does not select the reply", w.Span)
				}
			}
			if strings.Join(got.FollowUps, "|") != strings.Join(tt.suggests, "|") {
				t.Errorf("follow-ups %q, want %q", got.FollowUps, tt.suggests)
			}
		})
	}
}
