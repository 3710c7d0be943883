package guide

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"go.yaml.in/yaml/v3"
)

// JSON and YAML guides are first read into a small tree of values that
// remembers source lines, then decoded against the guide's shape by hand.
// That gives both formats the same strictness and the same messages:
// unknown fields and wrong types are errors naming the field path and line
// ("guide.json:7: questions[1].areaz: unknown field"), which neither
// encoding/json nor yaml.v3 report on their own.
//
// Unknown fields are rejected rather than ignored because a misspelt
// "follow_ups" would otherwise silently drop every follow-up question.

type kind int

const (
	kNull kind = iota
	kString
	kNumber
	kBool
	kObject
	kArray
)

var kindNames = [...]string{kNull: "null", kString: "string", kNumber: "number", kBool: "boolean", kObject: "object", kArray: "array"}

func (k kind) String() string { return kindNames[k] }

type value struct {
	kind  kind
	line  int
	str   string   // scalars, as written
	keys  []string // objects, in order
	klns  []int    // line of each key
	vals  []*value // objects: values of keys
	items []*value // arrays
}

// maxDepth bounds nesting; a guide needs four levels, and the limit stops
// "[[[[..." input from costing stack.
const maxDepth = 32

// ---- JSON ----

func parseJSON(name string, data []byte) (*analyzer.Guide, []int, error) {
	lines := lineStarts(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jsonReader{name: name, dec: dec, lines: lines}
	root, err := p.value(0)
	if err != nil {
		return nil, nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, invalid(&analyzer.InputError{File: name, Line: p.line(),
			Reason: "unexpected data after the guide object"})
	}
	return decodeGuide(name, root, false)
}

type jsonReader struct {
	name  string
	dec   *json.Decoder
	lines []int
}

// line is the line where the last token read ends.
func (p *jsonReader) line() int { return lineAt(p.lines, p.dec.InputOffset()) }

func (p *jsonReader) syntax(err error) error {
	line := p.line()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line = lineAt(p.lines, se.Offset)
	}
	reason := strings.TrimPrefix(err.Error(), "json: ")
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		reason = "unexpected end of JSON"
	}
	return invalid(&analyzer.InputError{File: p.name, Line: line, Reason: "bad JSON: " + reason})
}

func (p *jsonReader) value(depth int) (*value, error) {
	if depth > maxDepth {
		return nil, invalid(&analyzer.InputError{File: p.name, Line: p.line(), Reason: "bad JSON: nested too deeply"})
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	v := &value{line: p.line()}
	switch t := tok.(type) {
	case nil:
		v.kind = kNull
	case string:
		v.kind, v.str = kString, t
	case json.Number:
		v.kind, v.str = kNumber, t.String()
	case bool:
		v.kind, v.str = kBool, strconv.FormatBool(t)
	case json.Delim:
		switch t {
		case '{':
			v.kind = kObject
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.syntax(err)
				}
				key, _ := kt.(string) // the decoder only yields strings as keys
				kl := p.line()
				val, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v.keys, v.klns, v.vals = append(v.keys, key), append(v.klns, kl), append(v.vals, val)
			}
		case '[':
			v.kind = kArray
			for p.dec.More() {
				item, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, item)
			}
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, p.syntax(err)
		}
	}
	return v, nil
}

// lineStarts returns the offset where each line starts.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineAt returns the 1-based line holding offset off.
func lineAt(starts []int, off int64) int {
	return sort.Search(len(starts), func(i int) bool { return int64(starts[i]) > off })
}

// ---- YAML ----

// yamlLine pulls the line out of yaml.v3's messages ("yaml: line 3: ...").
var yamlLine = regexp.MustCompile(`line (\d+)`)

func parseYAML(name string, data []byte) (*analyzer.Guide, []int, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		ie := &analyzer.InputError{File: name, Reason: "bad YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
		if err == io.EOF {
			ie.Reason = "bad YAML: no document"
		}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			ie.Line, _ = strconv.Atoi(m[1])
			ie.Reason = "bad YAML: " + strings.TrimPrefix(err.Error(), "yaml: line "+m[1]+": ")
		}
		return nil, nil, invalid(ie)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		ie := &analyzer.InputError{File: name, Line: extra.Line, Reason: "more than one YAML document; want one guide"}
		if err != nil {
			ie.Reason = "bad YAML after the first document: " + strings.TrimPrefix(err.Error(), "yaml: ")
		}
		return nil, nil, invalid(ie)
	}
	root, err := fromYAML(name, &doc, 0)
	if err != nil {
		return nil, nil, err
	}
	return decodeGuide(name, root, true)
}

func fromYAML(name string, n *yaml.Node, depth int) (*value, error) {
	if depth > maxDepth {
		return nil, invalid(&analyzer.InputError{File: name, Line: n.Line, Reason: "bad YAML: nested too deeply"})
	}
	v := &value{line: n.Line}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &value{kind: kNull, line: n.Line}, nil
		}
		return fromYAML(name, n.Content[0], depth+1)
	case yaml.AliasNode:
		// Aliases could repeat one large list many times over (a "billion
		// laughs"); a hand-written guide has no need for them.
		return nil, invalid(&analyzer.InputError{File: name, Line: n.Line, Reason: "YAML aliases (*name) are not supported in guides"})
	case yaml.ScalarNode:
		v.str = n.Value
		switch n.ShortTag() {
		case "!!null":
			v.kind = kNull
		case "!!int", "!!float":
			v.kind = kNumber
		case "!!bool":
			v.kind = kBool
		default:
			v.kind = kString
		}
	case yaml.SequenceNode:
		v.kind = kArray
		for _, c := range n.Content {
			item, err := fromYAML(name, c, depth+1)
			if err != nil {
				return nil, err
			}
			v.items = append(v.items, item)
		}
	case yaml.MappingNode:
		v.kind = kObject
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, invalid(&analyzer.InputError{File: name, Line: k.Line, Reason: "a mapping key must be a plain name"})
			}
			val, err := fromYAML(name, n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			v.keys, v.klns, v.vals = append(v.keys, k.Value), append(v.klns, k.Line), append(v.vals, val)
		}
	default:
		return nil, invalid(&analyzer.InputError{File: name, Line: n.Line, Reason: "unsupported YAML node"})
	}
	return v, nil
}

// ---- the guide's shape ----

type decoder struct {
	name    string
	yamlish bool
}

func (d *decoder) fail(line int, field, reason string) error {
	return invalid(&analyzer.InputError{File: d.name, Line: line, Field: field, Reason: reason})
}

// fields checks that v is an object with only the known keys, each once, and
// calls set for each key in order.
func (d *decoder) fields(v *value, path string, known []string, set func(key, path string, val *value) error) error {
	if v.kind != kObject {
		return d.fail(v.line, orRoot(path), "want an object, got "+v.kind.String())
	}
	seen := make(map[string]bool, len(v.keys))
	for i, key := range v.keys {
		p := join(path, key)
		if !slices.Contains(known, key) {
			return d.fail(v.klns[i], p, fmt.Sprintf("unknown field (known fields: %s)", strings.Join(known, ", ")))
		}
		if seen[key] {
			return d.fail(v.klns[i], p, "duplicate field")
		}
		seen[key] = true
		if err := set(key, p, v.vals[i]); err != nil {
			return err
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "guide"
	}
	return path
}

// str reads a string field. null reads as empty. YAML numbers and booleans
// read as written, since YAML authors rarely quote ("id: 7", "text: yes");
// JSON's are type errors, since a JSON writer chose the type.
func (d *decoder) str(v *value, path string) (string, error) {
	switch {
	case v.kind == kString:
		return v.str, nil
	case v.kind == kNull:
		return "", nil
	case d.yamlish && (v.kind == kNumber || v.kind == kBool):
		return v.str, nil
	}
	return "", d.fail(v.line, path, "want a string, got "+v.kind.String())
}

func (d *decoder) strs(v *value, path string) ([]string, error) {
	if v.kind == kNull {
		return nil, nil
	}
	if v.kind != kArray {
		return nil, d.fail(v.line, path, "want a list of strings, got "+v.kind.String())
	}
	out := make([]string, 0, len(v.items))
	for i, it := range v.items {
		s, err := d.str(it, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// decodeGuide maps the tree onto a Guide, returning the line of each
// question for validation messages. yamlish relaxes scalar types (see str).
func decodeGuide(name string, root *value, yamlish bool) (*analyzer.Guide, []int, error) {
	d := &decoder{name: name, yamlish: yamlish}
	g := &analyzer.Guide{}
	var qlines []int
	err := d.fields(root, "", guideFields, func(key, path string, v *value) (err error) {
		switch key {
		case "id":
			g.ID, err = d.str(v, path)
		case "title":
			g.Title, err = d.str(v, path)
		case "description":
			g.Description, err = d.str(v, path)
		case "version":
			// Accepted so that a guide written out by Candor reads back in;
			// Normalize recomputes it from the content.
			_, err = d.str(v, path)
		case "questions":
			g.Questions, qlines, err = d.questions(v, path)
		case "notes":
			g.Notes, err = d.notes(v, path)
		case "depth_signals":
			g.DepthSignals, err = d.depthSignals(v, path)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return g, qlines, nil
}

var (
	guideFields    = []string{"id", "title", "description", "questions", "depth_signals", "notes", "version"}
	questionFields = []string{"id", "text", "areas", "follow_ups", "area_kinds"}
	noteFields     = []string{"title", "text"}
	depthFields    = []string{"id", "text"}
)

func (d *decoder) questions(v *value, path string) ([]analyzer.Question, []int, error) {
	if v.kind == kNull {
		return nil, nil, nil
	}
	if v.kind != kArray {
		return nil, nil, d.fail(v.line, path, "want a list of questions, got "+v.kind.String())
	}
	qs := make([]analyzer.Question, len(v.items))
	lines := make([]int, len(v.items))
	for i, it := range v.items {
		q := &qs[i]
		lines[i] = it.line
		err := d.fields(it, fmt.Sprintf("%s[%d]", path, i), questionFields, func(key, path string, v *value) (err error) {
			switch key {
			case "id":
				q.ID, err = d.str(v, path)
			case "text":
				q.Text, err = d.str(v, path)
			case "areas":
				q.Areas, err = d.strs(v, path)
			case "follow_ups":
				q.FollowUps, err = d.strs(v, path)
			case "area_kinds":
				q.AreaKinds, err = d.strs(v, path)
			}
			return err
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return qs, lines, nil
}

func (d *decoder) notes(v *value, path string) ([]analyzer.Note, error) {
	if v.kind == kNull {
		return nil, nil
	}
	if v.kind != kArray {
		return nil, d.fail(v.line, path, "want a list of notes, got "+v.kind.String())
	}
	ns := make([]analyzer.Note, len(v.items))
	for i, it := range v.items {
		n := &ns[i]
		err := d.fields(it, fmt.Sprintf("%s[%d]", path, i), noteFields, func(key, path string, v *value) (err error) {
			switch key {
			case "title":
				n.Title, err = d.str(v, path)
			case "text":
				n.Text, err = d.str(v, path)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return ns, nil
}

// depthSignals reads the guide's depth signals: a list of {id, text}, or
// of plain strings (ids are then given by Normalize).
func (d *decoder) depthSignals(v *value, path string) ([]analyzer.DepthSignal, error) {
	if v.kind == kNull {
		return nil, nil
	}
	if v.kind != kArray {
		return nil, d.fail(v.line, path, "want a list of depth signals, got "+v.kind.String())
	}
	ds := make([]analyzer.DepthSignal, len(v.items))
	for i, it := range v.items {
		s := &ds[i]
		at := fmt.Sprintf("%s[%d]", path, i)
		if it.kind != kObject {
			var err error
			if s.Text, err = d.str(it, at); err != nil {
				return nil, err
			}
			continue
		}
		err := d.fields(it, at, depthFields, func(key, path string, v *value) (err error) {
			switch key {
			case "id":
				s.ID, err = d.str(v, path)
			case "text":
				s.Text, err = d.str(v, path)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return ds, nil
}
