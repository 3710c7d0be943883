package evaluation_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/candorhq/candor/evaluation"
)

func compileSchemas(t *testing.T) (answer, gold *jsonschema.Schema) {
	t.Helper()
	c := jsonschema.NewCompiler()
	for _, name := range []string{"answer.schema.json", "gold.schema.json"} {
		data, err := os.ReadFile(filepath.Join("schema", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := c.AddResource("https://candor.dev/schema/eval/"+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if answer, err = c.Compile("https://candor.dev/schema/eval/answer.schema.json"); err != nil {
		t.Fatal(err)
	}
	if gold, err = c.Compile("https://candor.dev/schema/eval/gold.schema.json"); err != nil {
		t.Fatal(err)
	}
	return answer, gold
}

// TestSchemasDescribeTheSets validates every labelled set the project has
// against the documented schemas, so that the documentation and the data
// (and the loader, which reads the same data) cannot drift apart.
func TestSchemasDescribeTheSets(t *testing.T) {
	answer, gold := compileSchemas(t)
	dirs := []string{repoEval, "testdata/mini"}
	if _, err := os.Stat(devSet); err == nil {
		dirs = append(dirs, devSet)
	}
	checked := 0
	for _, dir := range dirs {
		if data, err := os.ReadFile(filepath.Join(dir, evaluation.AnswersJSONL)); err == nil {
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(nil, 1<<20)
			for line := 1; sc.Scan(); line++ {
				v, err := jsonschema.UnmarshalJSON(bytes.NewReader(sc.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				if err := answer.Validate(v); err != nil {
					t.Errorf("%s/answers.jsonl:%d: %v", dir, line, err)
				}
				checked++
			}
		}
		golds, _ := filepath.Glob(filepath.Join(dir, "transcripts", "*"+evaluation.GoldSuffix))
		for _, p := range golds {
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			v, err := jsonschema.UnmarshalJSON(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if err := gold.Validate(v); err != nil {
				t.Errorf("%s: %v", p, err)
			}
			checked++
		}
	}
	if checked < 45+9+4 {
		t.Errorf("only %d files and lines checked", checked)
	}
}

// TestSchemaAgreesWithLoader checks that lines the loader refuses the schema
// refuses too, and the reverse for valid ones.
func TestSchemaAgreesWithLoader(t *testing.T) {
	answer, _ := compileSchemas(t)
	lines := []string{
		`{"id": "a", "question_id": "q1", "text": "t"}`,
		`{"id": "a", "question_id": "q1", "text": "t", "x_reviewer": "JB", "group": {"native_speaker": false, "age_band": "30-39"}}`,
		`{"id": "a", "question_id": "q1", "text": "t", "label": "good"}`,
		`{"id": "a", "question_id": "q1", "text": "t", "areas": {"0": "covered"}}`,
		`{"id": "a", "question_id": "q1", "text": "t", "areas": {"1": "done"}}`,
		`{"id": "a", "question_id": "q1", "text": "t", "specificity": 101}`,
		`{"id": "a", "question_id": "q1", "text": "t", "lable": "mixed"}`,
		`{"id": "a", "question_id": "q1", "text": "t", "star": {"situation": true}}`,
		`{"id": "a", "question_id": "q1"}`,
		`{"id": "a", "question_id": "q1", "text": "t", "group": {"age": [30]}}`,
	}
	for _, l := range lines {
		_, loadErr := evaluation.ParseAnswers("x.jsonl", []byte(l))
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(l))
		if err != nil {
			t.Fatal(err)
		}
		schemaErr := answer.Validate(v)
		if (loadErr == nil) != (schemaErr == nil) {
			t.Errorf("%s: loader %v, schema %v", l, loadErr, schemaErr)
		}
	}
}
