package heuristic

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/candorhq/candor/guide"
)

// TestCalibrationDump writes every area's feature vector next to its gold
// status, as JSON lines, for scripts/fit_coverage.py. It is a tool, not a
// check: it runs only when CANDOR_CALIB names an answers.jsonl and
// CANDOR_CALIB_OUT a file to write.
func TestCalibrationDump(t *testing.T) {
	path, out := os.Getenv("CANDOR_CALIB"), os.Getenv("CANDOR_CALIB_OUT")
	if path == "" || out == "" {
		t.Skip("set CANDOR_CALIB (an answers.jsonl) and CANDOR_CALIB_OUT to dump calibration data")
	}
	g, err := guide.Load("../../../shared/seeds/000_d3797fe2d9603f3b.txt")
	if err != nil {
		t.Skipf("the seed guide is not beside the checkout: %v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	enc := json.NewEncoder(w)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var it struct {
			ID         string            `json:"id"`
			QuestionID string            `json:"question_id"`
			Text       string            `json:"text"`
			Areas      map[string]string `json:"areas"`
		}
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		q, ok := g.Question(it.QuestionID)
		if !ok {
			t.Fatalf("%s: no question %s", it.ID, it.QuestionID)
		}
		e := New()
		e.trace = func(ai int, x []float64, kind string) {
			_ = enc.Encode(map[string]any{"id": it.ID, "area": ai + 1, "gold": it.Areas[fmt.Sprint(ai+1)], "kind": kind, "x": x})
		}
		if _, err := e.Analyze(context.Background(), *q, it.Text); err != nil {
			t.Fatal(err)
		}
	}
}
