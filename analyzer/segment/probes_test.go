package segment_test

import (
	"testing"

	"github.com/candorhq/candor/analyzer/segment"
)

// TestProbes: the interviewer's follow-ups inside an answer are listed with
// where the reply to each begins; the question itself and the next
// question are not.
func TestProbes(t *testing.T) {
	g := builtin(t, "cx-empathy")
	text := "Ana: Thanks for coming. Shall we start?\n" +
		"Tom: Sure.\n" +
		"Ana: Walk me through an occasion when a customer came to you angry or deeply frustrated. What did you do, and how did it end?\n" +
		"Tom: Last November a bakery owner in Leeds rang us because her card reader had been down since Friday. She was furious and close to tears.\n" +
		"Ana: Can you give me a specific example of what you said to her?\n" +
		"Tom: I told her I would stay on the line until it worked, and I did.\n" +
		"Ana: And how did it end?\n" +
		"Tom: By Saturday morning her reader was back and she sent us a thank-you card.\n" +
		"Ana: Tell me about a time you used customer data or feedback to improve the experience.\n" +
		"Tom: We read every survey comment for a month and found that refunds took nine days, so we cut it to two.\n"
	res, tr := segmentFile(t, g, "probes.txt", []byte(text), segment.Options{})
	if len(res.Answers) != 2 {
		t.Fatalf("%d answers, want 2", len(res.Answers))
	}
	a := res.Answers[0]
	if len(a.Probes) != 2 {
		t.Fatalf("probes %+v, want the two follow-ups", a.Probes)
	}
	for i, want := range []struct {
		turn  int
		reply string
	}{{4, "I told her I would stay"}, {6, "By Saturday morning"}} {
		p := a.Probes[i]
		if p.Turn != want.turn || p.Text != tr.Turns[want.turn].Text || p.Speaker != "Ana" {
			t.Errorf("probe %d: %+v, want turn %d", i, p, want.turn)
		}
		if got := string([]rune(a.Text)[p.Offset:]); len(got) < len(want.reply) || got[:len(want.reply)] != want.reply {
			t.Errorf("probe %d: the reply at its offset starts %.30q, want %q", i, got, want.reply)
		}
	}
	if len(res.Answers[1].Probes) != 0 {
		t.Errorf("second answer has probes %+v", res.Answers[1].Probes)
	}
}
