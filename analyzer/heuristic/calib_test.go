package heuristic

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
)

// TestCalibrationDump prints every area's raw score next to its gold label
// (run with CANDOR_CALIB=path/to/answers.jsonl; it is a tool for tuning the
// thresholds, skipped otherwise).
func TestCalibrationDump(t *testing.T) {
	path := os.Getenv("CANDOR_CALIB")
	if path == "" {
		t.Skip("set CANDOR_CALIB to an answers.jsonl to dump calibration data")
	}
	g, err := guide.Load("../../../shared/seeds/000_d3797fe2d9603f3b.txt")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	type row struct {
		raw        float64
		gold, kind string
		id         string
	}
	var rows []row
	for sc.Scan() {
		var it struct {
			ID, QuestionID, Text string
			Areas                map[string]string
		}
		it.QuestionID = ""
		var raw map[string]any
		json.Unmarshal(sc.Bytes(), &raw)
		it.ID, it.QuestionID, it.Text = raw["id"].(string), raw["question_id"].(string), raw["text"].(string)
		q, _ := g.Question(it.QuestionID)
		e := New()
		e.trace = func(ai int, r float64, kind string) {
			gold := raw["areas"].(map[string]any)[fmt.Sprint(ai+1)].(string)
			rows = append(rows, row{r, gold, kind, fmt.Sprintf("%s/%d", it.ID, ai+1)})
		}
		if _, err := e.Analyze(context.Background(), *q, it.Text); err != nil {
			t.Fatal(err)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].raw < rows[j].raw })
	for _, r := range rows {
		fmt.Printf("%.3f %-8s %-14s %s\n", r.raw, r.gold, r.kind, r.id)
	}
	_ = analyzer.StatusCovered
}
