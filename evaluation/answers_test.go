package evaluation_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// TestReadAnswers: reports (one, or a stream) give their answers and must
// be of the guide; labelled answers give theirs; a transcript is segmented
// against the guide; what is none of these says why.
func TestReadAnswers(t *testing.T) {
	g, _ := guide.Builtin("cx-empathy")
	eng := heuristic.New()
	var stream []byte
	for _, text := range []string{"I called the customer back the same day and apologised for the lost parcel.", "We found the parcel at the depot."} {
		rep, err := analyzer.Analyze(context.Background(), eng, g, []analyzer.Answer{{QuestionID: "q1", Text: text}, {QuestionID: "q2", Text: "A survey showed a gap."}}, analyzer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rep)
		stream = append(append(stream, b...), '\n')
	}
	as, err := evaluation.ReadAnswers(g, "reports.jsonl", stream)
	if err != nil || len(as) != 4 || as[0].QuestionID != "q1" || as[3].Text != "A survey showed a gap." {
		t.Fatalf("reports: %+v, %v", as, err)
	}
	other, _ := guide.Builtin("behavioral-core")
	if _, err := evaluation.ReadAnswers(other, "reports.jsonl", stream); err == nil || !strings.Contains(err.Error(), `on guide "cx-empathy"`) {
		t.Errorf("reports of another guide: %v", err)
	}
	labelled := []byte(`{"id": "a1", "question_id": "q3", "text": "We mapped the journey."}` + "\n" + `{"id": "a2", "question_id": "q1", "text": "She was angry."}` + "\n")
	if as, err := evaluation.ReadAnswers(g, "answers.jsonl", labelled); err != nil || len(as) != 2 || as[0].QuestionID != "q3" {
		t.Errorf("labelled: %+v, %v", as, err)
	}
	vtt, err := os.ReadFile(filepath.Join("..", "testdata", "eval", "transcripts", "t01_zoom.vtt"))
	if err != nil {
		t.Fatal(err)
	}
	if as, err := evaluation.ReadAnswers(g, "t01_zoom.vtt", vtt); err != nil || len(as) < 3 {
		t.Errorf("transcript: %d answers, %v", len(as), err)
	}
	if _, err := evaluation.ReadAnswers(g, "notes.txt", []byte{0xff, 0xfe, 0}); err == nil {
		t.Errorf("binary input read as answers")
	}
}
