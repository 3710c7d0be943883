// Package transcript turns the interview transcripts users export from their
// tools (answers or turns JSON, WebVTT from Zoom or Teams, SRT, Otter.ai text,
// speaker-labelled plain text) into an *analyzer.Transcript, detecting the
// format from the content rather than from the file name.
//
// Every parser feeds one turn builder, so the rules are the same for all
// formats: consecutive pieces by one speaker merge into one turn (texts joined
// by a single space, the first known start and the last known end kept, times
// in milliseconds and -1 when the format carries none), and Turn.Line is the
// 1-based line of the block (cue, label line, JSON object) where the turn
// starts. Text before the first speaker label (a title line, for instance) is
// not part of any turn and is dropped.
//
// All problems with the input are reported as *analyzer.InputError naming the
// file, the line and the reason. Error messages never quote transcript text:
// transcripts are personal data and errors end up in logs.
package transcript

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// MaxSize is the largest input Parse accepts, 8 MiB. A one-hour interview is
// about 60 KB of text, so anything near the limit is not a transcript, and
// the bound keeps a single request from holding a lot of memory.
const MaxSize = 8 << 20

// Format names, as Detect returns them and as Transcript.Format holds them.
const (
	FormatAnswersJSON = "answers-json"
	FormatTurnsJSON   = "turns-json"
	FormatVTT         = "vtt"
	FormatSRT         = "srt"
	FormatOtter       = "otter"
	FormatPlain       = "plain"
)

// Formats lists every format Parse understands, for help texts and
// validation messages.
var Formats = []string{FormatAnswersJSON, FormatTurnsJSON, FormatVTT, FormatSRT, FormatOtter, FormatPlain}

// expected is the tail of the "could not detect" message: it tells the user
// what each accepted format looks like.
const expected = `expected answers JSON ({"answers": [...]}), turns JSON ([{"speaker": ..., "text": ...}]), ` +
	`WebVTT (starting with WEBVTT), SRT (numbered cues with 00:00:01,000 --> 00:00:04,000 timings), ` +
	`an Otter.ai text export ("Name  0:03" lines) or plain text with "Name: text" lines`

// Parse detects the format of data and parses it. name is used only in error
// messages (a file name or "stdin").
//
// Errors are *analyzer.InputError values (so errors.Is(err,
// analyzer.ErrInvalidInput) holds): empty or binary input, invalid UTF-8,
// input over MaxSize, an unknown format, a malformed cue or field, and a
// conversation with fewer than two speakers.
//
// Word (.docx) and PDF documents are read first (DocumentKind): their text
// then goes through the same detection, and Transcript.Document names the
// kind. Any other binary file is refused with an error that names the
// formats Candor reads and how to export one from Zoom, Teams and Otter.
func Parse(name string, data []byte) (*analyzer.Transcript, error) {
	data, kind, err := extract(name, data)
	if err != nil {
		return nil, err
	}
	text, err := prepare(name, data)
	if err != nil {
		return nil, inDocument(kind, err)
	}
	format := Detect(text)
	if format == "" {
		return nil, inDocument(kind, unknownFormat(name, text))
	}
	t, err := parse(name, format, text)
	if err != nil {
		return nil, inDocument(kind, err)
	}
	t.Document = kind
	return t, nil
}

// inDocument says that an error about the text of a document is about the
// text read from it (its line numbers count the document's lines of text).
func inDocument(kind string, err error) error {
	var ie *analyzer.InputError
	if kind == "" || !errors.As(err, &ie) {
		return err
	}
	ie.Reason = "in the text of the ." + kind + " file: " + ie.Reason
	return err
}

// ParseAs parses data as the named format (one of Formats) without detecting
// it, for callers that let the user force a format.
func ParseAs(name, format string, data []byte) (*analyzer.Transcript, error) {
	switch format {
	case FormatAnswersJSON, FormatTurnsJSON, FormatVTT, FormatSRT, FormatOtter, FormatPlain:
	default:
		return nil, &analyzer.InputError{File: name, Field: "format",
			Reason: fmt.Sprintf("unknown format %q; want one of %v", format, Formats)}
	}
	data, kind, err := extract(name, data)
	if err != nil {
		return nil, err
	}
	text, err := prepare(name, data)
	if err != nil {
		return nil, inDocument(kind, err)
	}
	t, err := parse(name, format, text)
	if err != nil {
		return nil, inDocument(kind, err)
	}
	t.Document = kind
	return t, nil
}

func parse(name, format string, text []byte) (*analyzer.Transcript, error) {
	switch format {
	case FormatAnswersJSON, FormatTurnsJSON:
		return parseJSON(name, format, text)
	case FormatVTT:
		return parseVTT(name, text)
	case FormatSRT:
		return parseSRT(name, text)
	case FormatOtter:
		return parseOtter(name, text)
	default:
		return parsePlain(name, text)
	}
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// prepare checks what every format requires (size, text, UTF-8) and returns
// the text without a BOM and with every line ending turned into "\n", so the
// parsers deal with one kind of line.
func prepare(name string, data []byte) ([]byte, error) {
	if len(data) > MaxSize {
		return nil, &analyzer.InputError{File: name, Reason: fmt.Sprintf(
			"input is %d bytes, over the limit of %d bytes (8 MiB)", len(data), MaxSize)}
	}
	if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		return nil, &analyzer.InputError{File: name, Line: 1,
			Reason: "the text is UTF-16 encoded; save it as UTF-8"}
	}
	skipped := 0
	if bytes.HasPrefix(data, bom) {
		data = data[len(bom):]
		skipped = len(bom)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, &analyzer.InputError{File: name, Line: lineAt(data, i), Reason: fmt.Sprintf(
			"binary data (a NUL byte at byte offset %d), not a text transcript; %s", i+skipped, howToExport)}
	}
	if !utf8.Valid(data) {
		i := invalidUTF8(data)
		return nil, &analyzer.InputError{File: name, Line: lineAt(data, i), Reason: fmt.Sprintf(
			"invalid UTF-8 at byte offset %d; save the file as UTF-8", i+skipped)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &analyzer.InputError{File: name, Reason: "empty transcript"}
	}
	if bytes.IndexByte(data, '\r') >= 0 {
		data = normalizeNewlines(data)
	}
	return data, nil
}

// invalidUTF8 returns the offset of the first invalid UTF-8 sequence in data.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// normalizeNewlines copies data with "\r\n" and lone "\r" turned into "\n",
// which keeps line numbers as an editor shows them.
func normalizeNewlines(data []byte) []byte {
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\r' {
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

// lineAt returns the 1-based line of byte offset off in data (after
// normalizeNewlines).
func lineAt(data []byte, off int) int {
	if off > len(data) {
		off = len(data)
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

func unknownFormat(name string, text []byte) error {
	if c := firstNonSpace(text); c == '{' || c == '[' {
		if err := jsonSyntax(name, text); err != nil {
			return err
		}
		return &analyzer.InputError{File: name, Reason: `could not detect the format: a JSON transcript needs ` +
			`an "answers" array (answers JSON) or a "turns" array (turns JSON)`}
	}
	return &analyzer.InputError{File: name, Reason: "could not detect the format: " + expected}
}

func firstNonSpace(b []byte) byte {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
			return c
		}
	}
	return 0
}

// checkTurns checks the rule every conversation format shares: an
// interview has an interviewer and a candidate.
func checkTurns(name, what string, turns []analyzer.Turn) error {
	if len(turns) == 0 {
		return &analyzer.InputError{File: name, Reason: "no speaker turns found: " + what}
	}
	first := turns[0].Speaker
	for _, t := range turns[1:] {
		if t.Speaker != first {
			return nil
		}
	}
	return &analyzer.InputError{File: name, Line: turns[0].Line, Reason: fmt.Sprintf(
		"only one speaker (%s) found; need an interviewer and a candidate", first)}
}
