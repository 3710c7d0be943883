package evaluation_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/evaluation"
)

// repoEval is the project's own labelled set, present on every clone.
const repoEval = "../testdata/eval"

// devSet is the shared development set (absent on a fresh clone).
const devSet = "../../shared/eval/dev"

// seedGuide is the guide the sets were labelled against (absent on a fresh clone).
const seedGuide = "../../shared/seeds/000_d3797fe2d9603f3b.txt"

func TestLoadRepoSet(t *testing.T) {
	s, err := evaluation.LoadSet(repoEval)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Counts()
	// testdata/eval/README.md and ANSWERS.md: 45 answers with 8 areas
	// each, 9 transcripts with 34 gold segments.
	if c.Answers != 45 || c.Transcripts != 9 || c.Segments != 34 || c.Labels != 45+34 || c.AreaLabels != (45+34)*8 {
		t.Errorf("counts %+v", c)
	}
	if s.Answers[0].ID != "e-001" || s.Answers[0].Source != "answers.jsonl:1" || s.Answers[0].STAR == nil {
		t.Errorf("first answer %+v", s.Answers[0])
	}
	var panel *evaluation.Transcript
	for i := range s.Transcripts {
		if s.Transcripts[i].Name == "t06_panel.txt" {
			panel = &s.Transcripts[i]
		}
	}
	if panel == nil || len(panel.Gold.Interviewer) != 2 || panel.Gold.Segments[0].ID != "t06_panel/q4" {
		t.Fatalf("t06_panel: %+v", panel)
	}
}

func TestLoadDevSet(t *testing.T) {
	if _, err := os.Stat(devSet); err != nil {
		t.Skip("../shared/eval/dev is absent (a fresh clone): nothing to check")
	}
	s, err := evaluation.LoadSet(devSet)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Counts(); c.Answers != 30 || c.Transcripts != 3 || c.Segments != 12 {
		t.Errorf("counts %+v", c)
	}
}

// TestCSVMatchesJSONL checks that a set kept in a spreadsheet (CSV) reads
// as the same items as its JSON Lines twin.
func TestCSVMatchesJSONL(t *testing.T) {
	a, err := evaluation.LoadSet("testdata/mini/answers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	b, err := evaluation.LoadSet("testdata/csvset")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Answers) != 3 || len(b.Answers) != 3 {
		t.Fatalf("%d and %d answers", len(a.Answers), len(b.Answers))
	}
	for i := range a.Answers {
		x, y := a.Answers[i], b.Answers[i]
		x.Source, y.Source = "", ""
		if !reflect.DeepEqual(x, y) {
			t.Errorf("answer %d:\njsonl %+v\ncsv   %+v", i, x, y)
		}
	}
	if got := b.Answers[0].Group; got["gender"] != "female" || got["native_speaker"] != "true" {
		t.Errorf("groups %v", got)
	}
	if b.Answers[1].Source != "answers.csv:3" {
		t.Errorf("source %q", b.Answers[1].Source)
	}
}

func TestLoadMiniSet(t *testing.T) {
	s, err := evaluation.LoadSet("testdata/mini")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Transcripts) != 1 || s.Transcripts[0].Gold.Group["gender"] != "male" || len(s.Transcripts[0].Gold.Segments) != 2 {
		t.Fatalf("transcripts %+v", s.Transcripts)
	}
	if ev := s.Answers[0].Evidence["8"]; len(ev) != 1 {
		t.Errorf("evidence %v", s.Answers[0].Evidence)
	}
}

// TestBadAnswers checks that every mistake in a labelled line is reported
// with the file, the line, the field and why, never as a panic, and never
// quoting the answer (personal data).
func TestBadAnswers(t *testing.T) {
	const ok = `{"id": "a1", "question_id": "q1", "text": "I fixed the refund the same day."}`
	tests := []struct {
		name, input, want string
	}{
		{"no text", `{"id": "a1", "question_id": "q1"}`, "x.jsonl:1: text: required"},
		{"no id", `{"question_id": "q1", "text": "hello"}`, "x.jsonl:1: id: required"},
		{"no question", `{"id": "a1", "text": "hello"}`, "x.jsonl:1: question_id: required"},
		{"bad label", `{"id": "a1", "question_id": "q1", "text": "hello", "label": "great"}`, `x.jsonl:1: label: "great" is not one of specific, mixed, rehearsed`},
		{"specificity range", `{"id": "a1", "question_id": "q1", "text": "hello", "specificity": 120}`, "x.jsonl:1: specificity: 120 is outside 0-100"},
		{"specificity type", `{"id": "a1", "question_id": "q1", "text": "hello", "specificity": "high"}`, "x.jsonl:1: specificity: want a whole number"},
		{"area key", `{"id": "a1", "question_id": "q1", "text": "hello", "areas": {"0": "covered"}}`, `x.jsonl:1: areas: key "0" is not an area index`},
		{"area status", `{"id": "a1", "question_id": "q1", "text": "hello", "areas": {"2": "done"}}`, `x.jsonl:1: areas.2: "done" is not one of covered, partial, missing`},
		{"star type", `{"id": "a1", "question_id": "q1", "text": "hello", "star": true}`, "x.jsonl:1: star: want {"},
		{"unknown field", `{"id": "a1", "question_id": "q1", "text": "hello", "lable": "specific"}`, "x.jsonl:1: lable: unknown field"},
		{"not json", `{"id": "a1", "question_id": `, "x.jsonl:1: not a JSON object"},
		{"array", `["a1"]`, "x.jsonl:1: not a JSON object: want an object, got array"},
		{"evidence not in text", `{"id": "a1", "question_id": "q1", "text": "hello there", "evidence": {"1": ["goodbye"]}}`, "x.jsonl:1: evidence.1[0]: not found in text"},
		{"group value", `{"id": "a1", "question_id": "q1", "text": "hello", "group": {"age": [1]}}`, "x.jsonl:1: group.age: want a string, number or boolean"},
		{"duplicate id, line 3", ok + "\n\n" + ok, `x.jsonl:3: id: "a1" is used again (first on line 1)`},
		{"not utf-8", "{\"id\": \"\xff\"}", "x.jsonl: not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := evaluation.ParseAnswers("x.jsonl", []byte(tt.input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if !errors.Is(err, analyzer.ErrInvalidInput) {
				t.Errorf("%v is not an input error", err)
			}
			if strings.Contains(err.Error(), "hello") || strings.Contains(err.Error(), "refund") {
				t.Errorf("error quotes the answer: %v", err)
			}
		})
	}
	if items, err := evaluation.ParseAnswers("x.jsonl", []byte("# a comment\n"+ok+"\n// another\n")); err != nil || len(items) != 1 {
		t.Errorf("comments: %v %v", items, err)
	}
}

func TestBadCSV(t *testing.T) {
	const head = "id,question_id,text,label,area_1,star_situation,star_task,star_action,star_result\n"
	tests := []struct {
		name, input, want string
	}{
		{"empty", "", "x.csv: empty file"},
		{"missing column", "id,text\na1,hello\n", "x.csv:1: question_id: required column missing"},
		{"unknown column", "id,question_id,text,colour\n", "x.csv:1: colour: unknown column"},
		{"area column", "id,question_id,text,area_x\n", "x.csv:1: area_x: unknown column"},
		{"twice", "id,question_id,text,id\n", "x.csv:1: id: column appears twice"},
		{"bad status line 3", head + "a1,q1,hello,specific,covered,,,,\na2,q1,hi,mixed,full,,,,\n", `x.csv:3: areas.1: "full" is not one of`},
		{"bad label", head + "a1,q1,hello,good,,,,,\n", `x.csv:2: label: "good" is not one of`},
		{"star partly filled", head + "a1,q1,hello,,,yes,no,,\n", "x.csv:2: star_*: fill all four STAR columns or none"},
		{"star value", head + "a1,q1,hello,,,maybe,no,no,no\n", "x.csv:2: star_situation: want true/false"},
		{"quote", "id,question_id,text\na1,q1,\"unclosed\n", "x.csv:2"},
		{"extra value", "id,question_id,text\na1,q1,hello,extra\n", "x.csv:2: column 4: value in a column with no header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := evaluation.ParseAnswersCSV("x.csv", []byte(tt.input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestBadGold(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"syntax on line 3", "{\n  \"format\": \"plain\",\n  \"segments\": [,]\n}", "g.gold.json:3: not a JSON object"},
		{"unknown", `{"segmnts": []}`, "g.gold.json: segmnts: unknown field"},
		{"segment status on line 4", "{\"segments\": [\n  {\"question_id\": \"q1\"},\n\n  {\"question_id\": \"q2\", \"areas\": {\"1\": \"yes\"}}\n]}", `g.gold.json:4: segments[1].areas.1: "yes" is not one of`},
		{"repeated question", `{"segments": [{"question_id": "q1"}, {"question_id": "q1"}]}`, `segments[1].question_id: "q1" has a segment already`},
		{"no question id", `{"segments": [{"label": "mixed"}]}`, "segments[0].question_id: required"},
		{"interviewer", `{"interviewer": 3}`, "interviewer: want a name or a list of names"},
		{"deferred ask not a list", `{"deferred_asks": {"question_id": "q1"}}`, "deferred_asks: want a list of {question_id, asked_at_turn}"},
		{"deferred ask unknown key", `{"deferred_asks": [{"question_id": "q1", "turn": 4}]}`, "deferred_asks: want a list"},
		{"deferred ask no question", `{"deferred_asks": [{"asked_at_turn": 4}]}`, "deferred_asks[0]: want a question_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := evaluation.ParseGold("g.gold.json", []byte(tt.input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	g, err := evaluation.ParseGold("g.gold.json", []byte(`{"group": {"gender": "female"}}`))
	if err != nil || g.Segments != nil || g.Group["gender"] != "female" {
		t.Errorf("a gold file with groups and no segments: %+v %v", g, err)
	}
	g, err = evaluation.ParseGold("g.gold.json", []byte(`{"segments": [{"question_id": "q2", "asked_at_turn": 9}], "deferred_asks": [{"question_id": "q2", "asked_at_turn": 3}]}`))
	if err != nil || len(g.DeferredAsks) != 1 || g.DeferredAsks[0] != (evaluation.DeferredAsk{QuestionID: "q2", AskedAt: 3}) {
		t.Errorf("a gold file with a deferred ask: %+v %v", g, err)
	}
}

func TestLoadSetErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := evaluation.LoadSet(dir); err == nil || !strings.Contains(err.Error(), "not a labelled set") {
		t.Errorf("empty folder: %v", err)
	}
	write("transcripts/lost.gold.json", `{"segments": []}`)
	if _, err := evaluation.LoadSet(dir); err == nil || !strings.Contains(err.Error(), "lost.gold.json: gold file with no transcript") {
		t.Errorf("orphan gold file: %v", err)
	}
	write("transcripts/lost.txt", "Interviewer: hi\nCandidate: hello\n")
	write("answers.jsonl", `{"id": "a", "question_id": "q1", "text": "x"}`)
	write("answers.csv", "id,question_id,text\n")
	if _, err := evaluation.LoadSet(dir); err == nil || !strings.Contains(err.Error(), "both answers.jsonl and answers.csv") {
		t.Errorf("two answers files: %v", err)
	}
	if _, err := evaluation.LoadSet(filepath.Join(dir, "nope")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing path: %v", err)
	}
}

func TestDecodeSet(t *testing.T) {
	good := `{"name": "mine", "answers": [{"id": "a1", "question_id": "q1", "text": "I refunded it.", "label": "mixed", "group": {"native_speaker": false}}],
	  "transcripts": [{"name": "t1.txt", "text": "Interviewer: hi\nCandidate: hello", "gold": {"segments": [{"question_id": "q1", "label": "specific"}], "group": {"gender": "female"}}}]}`
	s, err := evaluation.DecodeSet([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "mine" || s.Answers[0].Group["native_speaker"] != "false" || s.Transcripts[0].Gold.Segments[0].ID != "t1/q1" || s.Transcripts[0].Gold.Group["gender"] != "female" {
		t.Errorf("set %+v", s)
	}
	tests := []struct{ body, want string }{
		{`{"answers": []}`, "answers: the set has no answers and no transcripts"},
		{`{"answers": [{"id": "a", "question_id": "q1", "text": "x", "label": "nice"}]}`, `answers[0].label: "nice" is not one of`},
		{`{"answers": [{"id": "a", "question_id": "q1", "text": "x", "lable": "mixed"}]}`, `answers[0].lable: unknown field`},
		{`{"answers": [{"id": "a", "question_id": "q1", "text": "x"}, {"id": "a", "question_id": "q2", "text": "y"}]}`, `answers[1].id: "a" is used again`},
		{`{"transcripts": [{"name": "", "text": "x"}]}`, "transcripts[0].name: required"},
		{`{"transcripts": [{"name": "a/b.txt", "text": "x"}]}`, "transcripts[0].name: required: a file name without folders"},
		{`{"transcripts": [{"name": "t.txt", "text": "x", "gold": {"segments": [{"question_id": "q1", "areas": {"1": "yes"}}]}}]}`, `transcripts[0].gold.segments[0].areas.1: "yes" is not one of`},
		{`{"answers": "many"}`, "field answers: want []json.RawMessage, got string"},
		{`{"answer": []}`, `unknown field "answer"`},
	}
	for _, tt := range tests {
		_, err := evaluation.DecodeSet([]byte(tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, analyzer.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want %q", tt.body, err, tt.want)
		}
	}
}
