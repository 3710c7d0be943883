package contract_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/contract"
)

// TestMatchesShared: the copies are byte for byte the files of
// ../shared/contract, when it is there.
func TestMatchesShared(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "contract")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/contract is absent (a fresh clone without ../shared): the copies are the contract")
	}
	for name, got := range map[string][]byte{"report.schema.json": contract.ReportSchema, "REPORT.md": contract.ReportDoc} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("contract/%s differs from ../shared/contract/%s: copy it again (and check what changed)", name, name)
		}
	}
}

func TestSchemaIsJSON(t *testing.T) {
	var v map[string]any
	if err := json.Unmarshal(contract.ReportSchema, &v); err != nil {
		t.Fatalf("report.schema.json: %v", err)
	}
	if v["$schema"] == nil && v["type"] == nil {
		t.Error("report.schema.json has neither $schema nor type")
	}
}

// TestValidate: the compiled schema takes a minimal report and refuses
// broken ones.
func TestValidate(t *testing.T) {
	if _, err := contract.Schema(); err != nil {
		t.Fatal(err)
	}
	const summary = `"summary":{"answers":0,"coverage":0,"specificity":0},"answers":[],"warnings":[]}`
	valid := `{"schema_version":"1","id":"r1","guide":{"id":"g","title":"G"},"engine":{"name":"heuristic"},` + summary
	if err := contract.Validate([]byte(valid)); err != nil {
		t.Errorf("minimal report refused: %v", err)
	}
	for _, bad := range []string{
		`{}`,
		`{"schema_version":"2","id":"r1","guide":{"id":"g","title":"G"},"engine":{"name":"heuristic"},` + summary,
		`{"schema_version":"1","id":"r1","guide":{"id":"g","title":"G"},"engine":{"name":"heuristic"},"summary":{},"answers":[],"warnings":[]}`,
		`not json`,
	} {
		if err := contract.Validate([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

// TestAdditions: the additions schema still holds reports to the shared
// contract, and checks the revision 2 fields (episode, details, depth) and
// revision 4's warning turn and revision 5's label confidence.
func TestAdditions(t *testing.T) {
	const head = `{"schema_version":"1","schema_revision":2,"id":"r1","guide":{"id":"g","title":"G"},"engine":{"name":"heuristic"},"summary":{"answers":1,"coverage":0,"specificity":0},"warnings":[],"answers":[{"question_id":"q1","question":"Q?","text":"I called her.","coverage":{"score":0,"areas":[]},"follow_ups":[],"delivery":{"label":"mixed","specificity":40,"star":{"situation":false,"task":false,"action":false,"result":false},"signals":[]`
	const tail = `}}]}`
	good := head + `,"episode":{"quote":"I called her.","start":0,"end":13},"details":[{"quote":"her","start":9,"end":12,"kind":"name","bound":true}],"depth":[{"id":"d1","text":"Feelings named","present":false,"status":"absent","confidence":0.1,"evidence":[]}],"reasons":["no episode"]` + tail
	if err := contract.Validate([]byte(good)); err != nil {
		t.Errorf("a revision 2 report refused: %v", err)
	}
	turn := func(v string) string {
		return strings.Replace(good, `"warnings":[]`, `"warnings":[{"code":"answer_unplaced","message":"m","closest":["q7","q5"],"turn":`+v+`}]`, 1)
	}
	if err := contract.Validate([]byte(turn("4"))); err != nil {
		t.Errorf("a revision 4 warning's turn refused: %v", err)
	}
	conf := func(c, near string) string {
		return strings.Replace(good, `"reasons":["no episode"]`, `"reasons":["no episode"],"label_confidence":`+c+`,"near_label":`+near, 1)
	}
	if err := contract.Validate([]byte(conf("0.58", `"specific"`))); err != nil {
		t.Errorf("a revision 5 label confidence refused: %v", err)
	}
	for name, bad := range map[string]string{
		"depth status":  head + `,"depth":[{"id":"d1","text":"T","present":true,"status":"yes","confidence":1,"evidence":[]}]` + tail,
		"depth no id":   head + `,"depth":[{"text":"T","present":true,"confidence":1,"evidence":[]}]` + tail,
		"detail kind":   head + `,"details":[{"quote":"her","start":9,"end":12,"kind":"colour","bound":true}]` + tail,
		"episode quote": head + `,"episode":{"start":0,"end":13}` + tail,
		"shared rule":   strings.Replace(head, `"label":"mixed"`, `"label":"great"`, 1) + tail,
		"warning turn":  turn("-1"),
		"turn string":   turn(`"4"`),
		"closest empty": strings.Replace(turn("4"), `["q7","q5"]`, `[""]`, 1),
		"confidence 0":  conf("0", `"mixed"`),
		"confidence >1": conf("1.2", `"mixed"`),
		"near label":    conf("0.5", `"vague"`),
	} {
		if err := contract.Validate([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
