// Package prompts holds the LLM engine's prompt templates and the JSON Schema
// of the model's reply, embedded in the binary and versioned by content.
//
// The version (Version) goes into every report and cache key, so any change to
// a template or to the schema invalidates cached LLM verdicts instead of
// silently mixing answers judged by different prompts.
package prompts

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"text/template"
)

//go:embed templates
var files embed.FS

// AnswerTag names the delimiter around the answer in the user message
// (<answer>...</answer>). Callers must escape it in the answer text; Render
// refuses any input that contains it.
const AnswerTag = "answer"

// ErrDelimiter is returned by Render when some input contains the answer's
// delimiter, which would let answer text escape its data block.
var ErrDelimiter = errors.New("input contains the answer delimiter")

// delimiterRe matches the opening or closing answer tag, loosely (case and
// spaces), because a model reads "< /ANSWER >" as a tag too.
var delimiterRe = regexp.MustCompile(`(?i)<\s*/?\s*` + AnswerTag + `\b`)

// DelimiterIndexes returns the byte ranges of text that look like the answer
// delimiter, so a caller can escape them (and map offsets back).
func DelimiterIndexes(text string) [][]int { return delimiterRe.FindAllStringIndex(text, -1) }

// The templates are parsed once: they are constant and embedded, so a parse
// error is a programming error caught by the package's tests.
var (
	tmpl = template.Must(template.New("").Funcs(template.FuncMap{
		"inc": func(i int) int { return i + 1 },
	}).ParseFS(files, "templates/*.tmpl"))
	schema  = mustCompact("templates/answer.schema.json")
	version = hashFiles()
)

// AreaHint is the embedded engine's reading of one area, offered to the model
// in hybrid mode.
type AreaHint struct {
	Index  int // 1-based area number
	Status string
	// Quotes are candidate evidence from the answer; they are answer text
	// and so are rendered quoted and escaped.
	Quotes []string
}

// Hints is the embedded engine's analysis, condensed for the prompt.
type Hints struct {
	Areas       []AreaHint
	Label       string
	Specificity int
	// Signals are short descriptions such as `time_marker "last March"`.
	Signals []string
}

// Input is what a prompt is made of.
type Input struct {
	Question  string
	Areas     []string
	FollowUps []string
	// Depth are the texts of the guide's depth signals, numbered D1, D2 ...
	// in the prompt; the reply judges each by its number.
	Depth []string
	// Answer is the answer text as it will be sent (redacted, delimiters
	// escaped).
	Answer string
	// Hints is set in hybrid mode.
	Hints *Hints
	// SchemaInPrompt puts the reply schema in the system message, for
	// servers that accept neither json_schema nor json_object.
	SchemaInPrompt bool
}

// Messages is a rendered prompt.
type Messages struct {
	System string
	User   string
}

// Version returns a short hash of the templates and the schema.
func Version() string { return version }

// Schema returns the JSON Schema of the model's reply, compact.
func Schema() json.RawMessage { return append(json.RawMessage(nil), schema...) }

// Render renders the system and user messages for one answer. It returns
// ErrDelimiter when any input contains the answer delimiter.
func Render(in Input) (Messages, error) {
	if err := checkDelimiters(in); err != nil {
		return Messages{}, err
	}
	data := struct {
		Input
		Schema string
	}{in, string(schema)}
	if data.Hints != nil {
		h := *data.Hints
		h.Areas = make([]AreaHint, len(in.Hints.Areas))
		for i, a := range in.Hints.Areas {
			a.Quotes = quoteAll(a.Quotes)
			h.Areas[i] = a
		}
		data.Hints = &h
	}
	var sys, user bytes.Buffer
	if err := tmpl.ExecuteTemplate(&sys, "system.tmpl", data); err != nil {
		return Messages{}, fmt.Errorf("render system prompt: %w", err)
	}
	if err := tmpl.ExecuteTemplate(&user, "user.tmpl", data); err != nil {
		return Messages{}, fmt.Errorf("render user prompt: %w", err)
	}
	return Messages{System: strings.TrimSpace(sys.String()), User: strings.TrimSpace(user.String())}, nil
}

func checkDelimiters(in Input) error {
	texts := []string{in.Question, in.Answer}
	texts = append(texts, in.Areas...)
	texts = append(texts, in.FollowUps...)
	texts = append(texts, in.Depth...)
	if in.Hints != nil {
		texts = append(texts, in.Hints.Label)
		texts = append(texts, in.Hints.Signals...)
		for _, a := range in.Hints.Areas {
			texts = append(texts, a.Status)
			texts = append(texts, a.Quotes...)
		}
	}
	for _, t := range texts {
		if delimiterRe.MatchString(t) {
			return ErrDelimiter
		}
	}
	return nil
}

// quoteAll renders hint quotes as JSON strings: escaped quotes and no raw
// newlines, so answer text in a hint cannot pass for prompt structure.
func quoteAll(qs []string) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(strings.Join(strings.Fields(q), " "))
		s := strings.TrimSpace(b.String())
		out[i] = s[1 : len(s)-1]
	}
	return out
}

func mustCompact(name string) []byte {
	raw, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		panic(fmt.Sprintf("%s: %v", name, err))
	}
	return buf.Bytes()
}

// hashFiles hashes every embedded file, name and content, in name order.
func hashFiles() string {
	var names []string
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, _ := files.ReadFile(n)
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
