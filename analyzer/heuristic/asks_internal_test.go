package heuristic

import (
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
)

// TestAsksEpisode: questions that ask for one particular occasion, and the
// common ones that ask for none. Every question of the built-in guides
// asks for one.
func TestAsksEpisode(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"Tell me about a time you demonstrated leadership.", true},
		{"Walk me through an occasion when a customer came to you angry.", true},
		{"Give me an example of a decision you made without all the facts.", true},
		{"Describe a situation where you had to push back on your manager.", true},
		{"Have you ever had to deliver bad news to a client?", true},
		{"What did you do the last time a project slipped?", true},
		{"Tell me about yourself.", false},
		{"Why are you interested in this position?", false},
		{"What is one of your weaknesses, and how are you working on it?", false},
		{"What are your greatest strengths?", false},
		{"Where do you see yourself in five years?", false},
		{"Why did you apply for this role?", false},
		{"Why did you choose nursing?", false},
		{"How would your colleagues describe you?", false},
		// Not of the kinds that ask for none: read as asking for one.
		{"Tell me about your biggest failure.", true},
		{"What's the hardest problem you've solved?", true},
		{"Share an experience where you led others.", true},
		{"Can you recall a difficult conversation with a client?", true},
		{"Talk me through a project that went wrong.", true},
		// Of such a kind, but asking for an occasion.
		{"Tell me about a time your biggest weakness showed at work.", true},
		{"Give me an example of a weakness in the customer experience that you spotted.", true},
	} {
		q := analyzer.Question{Text: c.text}
		if got := asksEpisode(&q); got != c.want {
			t.Errorf("asksEpisode(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	if !asksEpisode(nil) || !asksEpisode(&analyzer.Question{}) {
		t.Error("no question: want it read as asking for an episode")
	}
	for _, g := range guide.Builtins() {
		for _, q := range g.Questions {
			if !asksEpisode(&q) {
				t.Errorf("%s %s: %q not read as asking for an episode", g.ID, q.ID, q.Text)
			}
		}
	}
}
