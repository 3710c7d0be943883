package heuristic

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/interview"
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

// TestCalibrationDumpTranscripts is TestCalibrationDump for labelled
// transcripts: CANDOR_CALIB_TRANSCRIPTS names a folder of transcripts with
// .gold.json files beside them.
func TestCalibrationDumpTranscripts(t *testing.T) {
	dir, out := os.Getenv("CANDOR_CALIB_TRANSCRIPTS"), os.Getenv("CANDOR_CALIB_OUT")
	if dir == "" || out == "" {
		t.Skip("set CANDOR_CALIB_TRANSCRIPTS and CANDOR_CALIB_OUT to dump calibration data")
	}
	g, err := guide.Load("../../../shared/seeds/000_d3797fe2d9603f3b.txt")
	if err != nil {
		t.Skipf("the seed guide is not beside the checkout: %v", err)
	}
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	enc := json.NewEncoder(w)
	golds, _ := filepath.Glob(filepath.Join(dir, "*.gold.json"))
	for _, gp := range golds {
		var gold struct {
			Segments []struct {
				QuestionID string            `json:"question_id"`
				Areas      map[string]string `json:"areas"`
			} `json:"segments"`
		}
		data, _ := os.ReadFile(gp)
		if err := json.Unmarshal(data, &gold); err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(gp, ".gold.json")
		matches, _ := filepath.Glob(base + ".*")
		var src string
		for _, m := range matches {
			if m != gp {
				src = m
			}
		}
		raw, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		seg, _, err := interview.Parse(g, src, raw, interview.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range gold.Segments {
			if s.Areas == nil {
				continue
			}
			for _, a := range seg.Answers {
				if a.QuestionID != s.QuestionID {
					continue
				}
				q, _ := g.Question(a.QuestionID)
				e := New()
				id := filepath.Base(base) + "/" + a.QuestionID
				e.trace = func(ai int, x []float64, kind string) {
					_ = enc.Encode(map[string]any{"id": id, "area": ai + 1, "gold": s.Areas[fmt.Sprint(ai+1)], "kind": kind, "x": x})
				}
				if _, err := e.Analyze(context.Background(), *q, a.Text); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
