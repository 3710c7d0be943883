package guide_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
	"go.yaml.in/yaml/v3"
)

// TestRoundTrip writes each built-in guide out as JSON and as YAML and reads
// it back: Candor must read what it writes, version included.
func TestRoundTrip(t *testing.T) {
	codecs := []struct {
		name    string
		marshal func(any) ([]byte, error)
	}{
		{"json", func(v any) ([]byte, error) { return json.MarshalIndent(v, "", "  ") }},
		{"yaml", yaml.Marshal},
	}
	for _, g := range guide.Builtins() {
		for _, c := range codecs {
			t.Run(g.ID+"."+c.name, func(t *testing.T) {
				data, err := c.marshal(g)
				if err != nil {
					t.Fatal(err)
				}
				back, err := guide.Parse("out."+c.name, data)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if !reflect.DeepEqual(back, g) {
					t.Errorf("round trip changed the guide:\ngot  %+v\nwant %+v", back, g)
				}
			})
		}
	}
}

func TestStructuredNormalizes(t *testing.T) {
	g, err := guide.Parse("g.json", []byte(`{"title":"  Active Listening! ","questions":[{"text":" Q? ","areas":[" a "]},{"id":"q1","text":"R?","areas":["b"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != "active-listening" || g.Title != "Active Listening!" {
		t.Errorf("id, title = %q, %q", g.ID, g.Title)
	}
	// q1 is taken by the second question, so the first gets the next free id.
	if got := []string{g.Questions[0].ID, g.Questions[1].ID}; !reflect.DeepEqual(got, []string{"q2", "q1"}) {
		t.Errorf("ids = %q", got)
	}
	if g.Questions[0].Text != "Q?" || g.Questions[0].Areas[0] != "a" {
		t.Errorf("not trimmed: %+v", g.Questions[0])
	}
}

// TestStructuredErrors: every problem names the field, and the line where
// the format allows it.
func TestStructuredErrors(t *testing.T) {
	tests := []struct {
		name, file, in, want string
	}{
		{"json unknown field", "g.json",
			"{\"title\": \"T\",\n \"questions\": [{\"text\": \"Q?\",\n  \"areas\": [\"a\"], \"followups\": [\"f\"]}]}",
			`g.json:3: questions[0].followups: unknown field (known fields: id, text, areas, follow_ups, area_kinds)`},
		{"json unknown top-level field", "g.json",
			`{"title": "T", "author": "me", "questions": []}`,
			`g.json:1: author: unknown field (known fields: id, title, description, questions, depth_signals, notes, version)`},
		{"json duplicate field", "g.json",
			`{"title": "T", "title": "U", "questions": []}`,
			`g.json:1: title: duplicate field`},
		{"json area kinds not strings", "g.json",
			`{"title": "T", "questions": [{"text": "Q", "areas": ["a"], "area_kinds": [1]}]}`,
			`g.json:1: questions[0].area_kinds[0]: want a string, got number`},
		{"json areas not a list", "g.json",
			"{\"title\": \"T\", \"questions\": [\n{\"text\": \"Q?\", \"areas\": \"a\"}]}",
			`g.json:2: questions[0].areas: want a list of strings, got string`},
		{"json text a number", "g.json",
			`{"title": "T", "questions": [{"text": 5, "areas": ["a"]}]}`,
			`g.json:1: questions[0].text: want a string, got number`},
		{"json area an object", "g.json",
			`{"title": "T", "questions": [{"text": "Q", "areas": [{"a": 1}]}]}`,
			`g.json:1: questions[0].areas[0]: want a string, got object`},
		{"json questions an object", "g.json",
			`{"title": "T", "questions": {"text": "Q"}}`,
			`g.json:1: questions: want a list of questions, got object`},
		{"json root an array", "g.json",
			`[{"title": "T"}]`,
			`g.json:1: guide: want an object, got array`},
		{"json syntax", "g.json",
			"{\"title\": \"T\",\n\"questions\": [,]}",
			`g.json:2: bad JSON: invalid character ',' looking for beginning of value`},
		{"json truncated", "g.json",
			`{"title": "T", "questions": [`,
			`g.json:1: bad JSON: unexpected end of JSON`},
		{"json trailing data", "g.json",
			`{"title": "T", "questions": [{"text": "Q", "areas": ["a"]}]} {}`,
			`g.json:1: unexpected data after the guide object`},
		{"json notes wrong", "g.json",
			`{"title": "T", "questions": [{"text": "Q", "areas": ["a"]}], "notes": [{"body": "x"}]}`,
			`g.json:1: notes[0].body: unknown field (known fields: title, text)`},
		{"yaml unknown field", "g.yaml",
			"title: T\nquestions:\n  - text: Q?\n    area: [a]\n",
			`g.yaml:4: questions[0].area: unknown field (known fields: id, text, areas, follow_ups, area_kinds)`},
		{"yaml wrong type", "g.yaml",
			"title: T\nquestions:\n  - text: Q?\n    areas:\n      nested: map\n",
			`g.yaml:5: questions[0].areas: want a list of strings, got object`},
		{"yaml alias", "g.yaml",
			"title: T\nquestions:\n  - text: &t Q?\n    areas: [*t]\n",
			`g.yaml:4: YAML aliases (*name) are not supported in guides`},
		{"yaml syntax", "g.yaml",
			"title: T\nquestions:\n  - text: [unclosed\n",
			`g.yaml:2: bad YAML: did not find expected ',' or ']'`},
		{"yaml two documents", "g.yaml",
			"---\ntitle: T\nquestions: []\n---\ntitle: U\n",
			`g.yaml:4: more than one YAML document; want one guide`},
		{"yaml scalar root", "g.yaml",
			"--- just text\n",
			`g.yaml:1: guide: want an object, got string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := guide.Parse(tt.file, []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", g)
			}
			if !errors.Is(err, analyzer.ErrInvalidGuide) || !errors.Is(err, analyzer.ErrInvalidInput) {
				t.Errorf("error %v does not match ErrInvalidGuide and ErrInvalidInput", err)
			}
			var ie *analyzer.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *analyzer.InputError", err)
			}
			if got := ie.Error(); got != tt.want {
				t.Errorf("error = %q\nwant    %q", got, tt.want)
			}
		})
	}
}

// TestDetect covers inputs that are no guide at all.
func TestDetect(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // format, or a fragment of the error
		ok       bool
	}{
		{"json", "  \n{\"a\":1}", guide.FormatJSON, true},
		{"json with BOM", "\xef\xbb\xbf{}", guide.FormatJSON, true},
		{"yaml document", "---\ntitle: x\n", guide.FormatYAML, true},
		{"yaml questions key", "# c\ntitle: x\nquestions:\n  - text: y\n", guide.FormatYAML, true},
		{"yardstick", "Intro\nInterview Questions\nQ?\n", guide.FormatYardstick, true},
		{"yardstick areas only", "Q?\nAREAS TO COVER\n- a\n", guide.FormatYardstick, true},
		{"empty", " \r\n\t", "g: empty guide", false},
		{"binary", "PK\x03\x04\x00\x00", "g:1: not a text guide", false},
		{"latin-1", "Interview Questions\ncaf\xe9\n", "g:2: not a text guide", false},
		{"prose", "Just some notes about hiring.\nNothing structured.", "g: unrecognised guide format", false},
		{"too big", strings.Repeat("a", guide.MaxSize+1), "larger than the", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := guide.Detect("g", []byte(tt.in))
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("Detect = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Detect = %q, want an error", got)
			}
			if !strings.Contains(err.Error(), tt.want) || !errors.Is(err, analyzer.ErrInvalidGuide) {
				t.Errorf("error = %v, want it to contain %q and match ErrInvalidGuide", err, tt.want)
			}
			if _, perr := guide.Parse("g", []byte(tt.in)); perr == nil || perr.Error() != err.Error() {
				t.Errorf("Parse error = %v, want Detect's", perr)
			}
		})
	}
}

func TestParseFormatUnknown(t *testing.T) {
	_, err := guide.ParseFormat("g", "toml", []byte("x"))
	if err == nil || !errors.Is(err, analyzer.ErrInvalidGuide) || !strings.Contains(err.Error(), `"toml"`) {
		t.Errorf("err = %v", err)
	}
}

// TestStructuredDepthSignals: YAML and JSON guides state depth signals as
// {id, text} objects or plain strings; every question gets them.
func TestStructuredDepthSignals(t *testing.T) {
	want := []analyzer.DepthSignal{{ID: "feelings", Text: "The other person's feelings, named"}, {ID: "d2", Text: "How they noticed"}}
	for name, data := range map[string]string{
		"g.yaml": "title: T\ndepth_signals:\n  - id: feelings\n    text: The other person's feelings, named\n  - How they noticed\nquestions:\n  - text: Tell me about X.\n    areas: [a]\n",
		"g.json": `{"title":"T","depth_signals":[{"id":"feelings","text":"The other person's feelings, named"},"How they noticed"],"questions":[{"text":"Tell me about X.","areas":["a"]}]}`,
	} {
		g, err := guide.Parse(name, []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(g.DepthSignals, want) || !reflect.DeepEqual(g.Questions[0].Depth, want) {
			t.Errorf("%s: depth %+v, question depth %+v; want %+v", name, g.DepthSignals, g.Questions[0].Depth, want)
		}
	}
	_, err := guide.Parse("bad.yaml", []byte("title: T\ndepth_signals: yes\nquestions:\n  - text: Q?\n    areas: [a]\n"))
	if err == nil || !strings.Contains(err.Error(), "depth_signals") {
		t.Errorf("depth_signals as a scalar: err = %v, want it named", err)
	}
}
