package transcript

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/candorhq/candor/analyzer"
)

// maxSeconds bounds JSON times: larger values are mistakes (milliseconds
// given as seconds, epoch times), and they would overflow milliseconds.
const maxSeconds = 1e8

// jsonParser walks a JSON document with a streaming decoder so that each
// answer or turn can be tied to the line where its object starts.
type jsonParser struct {
	name     string
	data     []byte
	dec      *json.Decoder
	lastOff  int
	lastLine int
}

func parseJSON(name, format string, text []byte) (*analyzer.Transcript, error) {
	p := &jsonParser{name: name, data: text, dec: json.NewDecoder(bytes.NewReader(text)), lastLine: 1}
	tr := &analyzer.Transcript{Format: format}
	var pieces []piece
	sawList := false
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	switch tok {
	case json.Delim('['):
		if format != FormatTurnsJSON {
			return nil, p.fail(0, "", `expected an object with an "answers" array, got an array`)
		}
		sawList = true
		if pieces, err = p.turns("", true); err != nil {
			return nil, err
		}
	case json.Delim('{'):
		for p.dec.More() {
			keyTok, err := p.dec.Token()
			if err != nil {
				return nil, p.syntax(err)
			}
			switch key, _ := keyTok.(string); {
			case key == "candidate":
				if tr.Candidate, err = p.optionalString("candidate"); err != nil {
					return nil, err
				}
			case key == "answers" && format == FormatAnswersJSON:
				sawList = true
				if tr.Answers, err = p.answers(); err != nil {
					return nil, err
				}
			case key == "turns" && format == FormatTurnsJSON:
				sawList = true
				if pieces, err = p.turns("turns", false); err != nil {
					return nil, err
				}
			default:
				// Unknown fields are fine: exports carry metadata we do not need.
				var skip json.RawMessage
				if err := p.dec.Decode(&skip); err != nil {
					return nil, p.syntax(err)
				}
			}
		}
		if _, err := p.dec.Token(); err != nil {
			return nil, p.syntax(err)
		}
	default:
		return nil, p.fail(0, "", "expected a JSON object or array, got "+tokenType(tok))
	}
	if _, err := p.dec.Token(); err != io.EOF {
		if err != nil {
			return nil, p.syntax(err)
		}
		return nil, p.fail(int(p.dec.InputOffset()), "", "unexpected data after the JSON value")
	}
	if format == FormatAnswersJSON {
		if !sawList {
			return nil, p.fail(0, "answers", "missing")
		}
		return tr, nil
	}
	if !sawList {
		return nil, p.fail(0, "turns", "missing")
	}
	tr.Turns = resolve(pieces)
	if err := checkTurns(p.name, "the turns list is empty", tr.Turns); err != nil {
		return nil, err
	}
	return tr, nil
}

// answers reads the contract's answers array.
func (p *jsonParser) answers() ([]analyzer.GivenAnswer, error) {
	if err := p.openArray("answers"); err != nil {
		return nil, err
	}
	var out []analyzer.GivenAnswer
	for i := 0; p.dec.More(); i++ {
		off := p.valueStart()
		field := fmt.Sprintf("answers[%d]", i)
		var el struct {
			QuestionID *string `json:"question_id"`
			Text       *string `json:"text"`
		}
		if err := p.dec.Decode(&el); err != nil {
			return nil, p.decodeError(off, field, err)
		}
		id, err := p.required(off, field+".question_id", el.QuestionID)
		if err != nil {
			return nil, err
		}
		text, err := p.required(off, field+".text", el.Text)
		if err != nil {
			return nil, err
		}
		out = append(out, analyzer.GivenAnswer{QuestionID: id, Text: text})
	}
	if _, err := p.dec.Token(); err != nil {
		return nil, p.syntax(err)
	}
	if len(out) == 0 {
		return nil, p.fail(0, "answers", "empty; need at least one answer")
	}
	return out, nil
}

// turns reads an array of turn objects; open says the '[' is already read.
func (p *jsonParser) turns(name string, open bool) ([]piece, error) {
	if !open {
		if err := p.openArray(name); err != nil {
			return nil, err
		}
	}
	var out []piece
	for i := 0; p.dec.More(); i++ {
		off := p.valueStart()
		field := fmt.Sprintf("%s[%d]", name, i)
		var el struct {
			Speaker *string  `json:"speaker"`
			Text    *string  `json:"text"`
			Start   *float64 `json:"start"`
			End     *float64 `json:"end"`
		}
		if err := p.dec.Decode(&el); err != nil {
			return nil, p.decodeError(off, field, err)
		}
		speaker, err := p.required(off, field+".speaker", el.Speaker)
		if err != nil {
			return nil, err
		}
		text, err := p.required(off, field+".text", el.Text)
		if err != nil {
			return nil, err
		}
		start, err := p.seconds(off, field+".start", el.Start)
		if err != nil {
			return nil, err
		}
		end, err := p.seconds(off, field+".end", el.End)
		if err != nil {
			return nil, err
		}
		if start >= 0 && end >= 0 && end < start {
			return nil, p.fail(off, field+".end", "before start")
		}
		out = append(out, piece{label: []byte(speaker), body: []byte(text), explicit: true,
			line: p.line(off), start: start, end: end})
	}
	if _, err := p.dec.Token(); err != nil {
		return nil, p.syntax(err)
	}
	return out, nil
}

func (p *jsonParser) openArray(field string) error {
	off := p.valueStart()
	tok, err := p.dec.Token()
	if err != nil {
		return p.syntax(err)
	}
	if tok != json.Delim('[') {
		return p.fail(off, field, "expected an array, got "+tokenType(tok))
	}
	return nil
}

func (p *jsonParser) optionalString(field string) (string, error) {
	off := p.valueStart()
	var raw json.RawMessage
	if err := p.dec.Decode(&raw); err != nil {
		return "", p.syntax(err)
	}
	switch raw[0] {
	case 'n':
		return "", nil
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", p.syntax(err)
		}
		return strings.TrimSpace(s), nil
	}
	return "", p.fail(off, field, "expected a string, got "+rawType(raw[0]))
}

func (p *jsonParser) required(off int, field string, v *string) (string, error) {
	if v == nil {
		return "", p.fail(off, field, "missing")
	}
	s := strings.TrimSpace(*v)
	if s == "" {
		return "", p.fail(off, field, "empty")
	}
	return s, nil
}

// seconds converts an optional time in seconds to milliseconds (-1 when
// absent).
func (p *jsonParser) seconds(off int, field string, v *float64) (int64, error) {
	if v == nil {
		return -1, nil
	}
	if *v < 0 {
		return 0, p.fail(off, field, "negative time")
	}
	if *v > maxSeconds {
		return 0, p.fail(off, field, fmt.Sprintf("time out of range (over %g seconds)", float64(maxSeconds)))
	}
	return int64(math.Round(*v * 1000)), nil
}

// valueStart returns the offset of the next JSON value, past blanks and the
// comma the decoder has not consumed yet.
func (p *jsonParser) valueStart() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\n', '\r', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// line returns the line of offset off; offsets mostly grow, so it counts
// newlines from the previous call instead of from the start.
func (p *jsonParser) line(off int) int {
	if off < p.lastOff {
		p.lastOff, p.lastLine = 0, 1
	}
	if off > len(p.data) {
		off = len(p.data)
	}
	p.lastLine += bytes.Count(p.data[p.lastOff:off], []byte{'\n'})
	p.lastOff = off
	return p.lastLine
}

func (p *jsonParser) fail(off int, field, reason string) error {
	line := 0
	if off > 0 {
		line = p.line(off)
	}
	return &analyzer.InputError{File: p.name, Line: line, Field: field, Reason: reason}
}

func (p *jsonParser) decodeError(off int, field string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		got, _, _ := strings.Cut(te.Value, " ")
		switch te.Field {
		case "":
			return p.fail(off, field, "expected an object, got "+got)
		case "start", "end":
			return p.fail(off, field+"."+te.Field, "expected a number of seconds, got "+got)
		}
		want := "value of another type"
		if te.Type != nil {
			want = te.Type.String()
		}
		return p.fail(off, field+"."+te.Field, "expected a "+want+", got "+got)
	}
	return p.syntax(err)
}

// syntax turns a decoder error into an InputError at the line it happened.
func (p *jsonParser) syntax(err error) error {
	return jsonError(p.name, p.data, err)
}

func jsonError(name string, data []byte, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &analyzer.InputError{File: name, Line: lineAt(data, int(se.Offset)), Reason: "invalid JSON: " + se.Error()}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &analyzer.InputError{File: name, Line: lineAt(data, len(data)), Reason: "invalid JSON: unexpected end of input"}
	}
	return &analyzer.InputError{File: name, Reason: "invalid JSON: " + err.Error()}
}

// jsonSyntax reports a syntax error in text, or nil when it is valid JSON.
func jsonSyntax(name string, text []byte) error {
	dec := json.NewDecoder(bytes.NewReader(text))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return jsonError(name, text, err)
	}
	return nil
}

func tokenType(tok json.Token) string {
	switch tok.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	case json.Delim:
		if tok == json.Delim('{') {
			return "object"
		}
		return "array"
	}
	return fmt.Sprintf("%T", tok)
}

func rawType(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
