package evaluation_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/evaluation"
)

// seedFiles adds every real fixture matching the patterns to f's corpus.
func seedFiles(f *testing.F, patterns ...string) {
	for _, pat := range patterns {
		paths, _ := filepath.Glob(pat)
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

// checkItems holds for whatever a parser accepts: each item has what the
// format requires, with labels from the contract.
func checkItems(t *testing.T, items []evaluation.Item, err error) {
	if err != nil {
		if !errors.Is(err, analyzer.ErrInvalidInput) {
			t.Fatalf("error %v is not an input error", err)
		}
		return
	}
	ids := map[string]bool{}
	for _, it := range items {
		if strings.TrimSpace(it.ID) == "" || strings.TrimSpace(it.Text) == "" || strings.TrimSpace(it.QuestionID) == "" {
			t.Fatalf("accepted an item without id, text or question: %+v", it)
		}
		if ids[it.ID] {
			t.Fatalf("accepted id %q twice", it.ID)
		}
		ids[it.ID] = true
		if it.Label != "" && it.Label != analyzer.LabelSpecific && it.Label != analyzer.LabelMixed && it.Label != analyzer.LabelRehearsed {
			t.Fatalf("accepted label %q", it.Label)
		}
		for k, s := range it.Areas {
			if _, ok := evaluation.StatusValue(s); !ok {
				t.Fatalf("accepted status %q for area %s", s, k)
			}
		}
		for _, sents := range it.Evidence {
			for _, s := range sents {
				if !strings.Contains(it.Text, s) {
					t.Fatal("accepted evidence not in the text")
				}
			}
		}
	}
}

func FuzzParseAnswers(f *testing.F) {
	seedFiles(f, "../testdata/eval/answers.jsonl", "testdata/mini/answers.jsonl", devSet+"/answers.jsonl")
	f.Add([]byte(`{"id": "a", "question_id": "q1", "text": "t", "areas": {"1": "covered"}, "star": {"situation": true, "task": false, "action": true, "result": false}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := evaluation.ParseAnswers("f.jsonl", data)
		checkItems(t, items, err)
	})
}

func FuzzParseAnswersCSV(f *testing.F) {
	seedFiles(f, "testdata/csvset/answers.csv")
	f.Add([]byte("id,question_id,text,area_1,star_situation,star_task,star_action,star_result,group_g,evidence_1\na,q1,\"x, y\",covered,yes,no,1,0,f,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := evaluation.ParseAnswersCSV("f.csv", data)
		checkItems(t, items, err)
	})
}

func FuzzParseGold(f *testing.F) {
	seedFiles(f, "../testdata/eval/transcripts/*.gold.json", "testdata/mini/transcripts/*.gold.json", devSet+"/transcripts/*.gold.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := evaluation.ParseGold("f.gold.json", data)
		if err != nil {
			if !errors.Is(err, analyzer.ErrInvalidInput) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, s := range g.Segments {
			if s.QuestionID == "" || seen[s.QuestionID] {
				t.Fatalf("accepted segment %+v", s)
			}
			seen[s.QuestionID] = true
		}
	})
}

func FuzzDecodeSet(f *testing.F) {
	f.Add([]byte(`{"name": "s", "answers": [{"id": "a", "question_id": "q1", "text": "t", "group": {"g": 1}}], "transcripts": [{"name": "t.txt", "text": "A: x\nB: y", "gold": {"segments": [{"question_id": "q1"}]}}]}`))
	f.Add([]byte(`{"transcripts": [{"name": "t.txt", "text": "x", "gold": null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := evaluation.DecodeSet(data)
		if err != nil {
			if !errors.Is(err, analyzer.ErrInvalidInput) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		checkItems(t, s.Answers, nil)
		if s.Validate() != nil {
			t.Fatal("a decoded set does not validate")
		}
	})
}
