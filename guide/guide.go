// Package guide loads interview guides into *analyzer.Guide: the Yardstick
// text format, JSON, YAML, and the built-in guides embedded in the binary.
//
// Every loader ends the same way: Normalize, then Validate, so a guide that
// comes out of this package has trimmed text, question ids, a slug id and a
// content version, whatever its source.
//
// JSON and YAML guides have the shape of analyzer.Guide's JSON. They are read
// strictly: an unknown field (a misspelt "follow_ups", say) is an error
// naming the field path and line rather than data silently dropped, and so
// is a value of the wrong type. YAML scalars are the one leniency: an
// unquoted number or boolean where text is expected reads as written.
// YAML aliases are refused.
//
// Every error wraps analyzer.ErrInvalidGuide and, where it has a place, an
// *analyzer.InputError ("file:line: field: reason").
package guide

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// MaxSize is the largest guide file accepted. The longest real guides are
// tens of kilobytes; the limit keeps a stray upload from costing memory.
const MaxSize = 2 << 20

// Format names accepted by ParseFormat and reported by Detect.
const (
	FormatYardstick = "yardstick"
	FormatJSON      = "json"
	FormatYAML      = "yaml"
)

// utf8BOM is stripped before detection: Windows editors save it, and
// encoding/json rejects it.
var utf8BOM = []byte("\xef\xbb\xbf")

// Parse detects the format (Yardstick text, JSON, YAML) from content and
// parses, normalizes and validates the guide. name is used in error messages
// only (a file name, or "-" for standard input).
//
// Errors wrap analyzer.ErrInvalidGuide, and *analyzer.InputError where the
// problem has a place (a line, a field).
func Parse(name string, data []byte) (*analyzer.Guide, error) {
	format, err := Detect(name, data)
	if err != nil {
		return nil, err
	}
	return ParseFormat(name, format, data)
}

// ParseFormat parses data as the given format (FormatYardstick, FormatJSON or
// FormatYAML), for callers that know it, such as an HTTP handler reading the
// Content-Type. Like Parse, it normalizes and validates the result.
func ParseFormat(name, format string, data []byte) (*analyzer.Guide, error) {
	if len(data) > MaxSize {
		return nil, invalid(&analyzer.InputError{File: name,
			Reason: fmt.Sprintf("guide is %d bytes, larger than the %d-byte limit", len(data), MaxSize)})
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	var (
		g      *analyzer.Guide
		qlines []int
		err    error
	)
	switch format {
	case FormatYardstick:
		g, qlines, err = parseYardstick(name, data)
	case FormatJSON:
		g, qlines, err = parseJSON(name, data)
	case FormatYAML:
		g, qlines, err = parseYAML(name, data)
	default:
		return nil, fmt.Errorf("%w: unknown format %q (want %s, %s or %s)",
			analyzer.ErrInvalidGuide, format, FormatYardstick, FormatJSON, FormatYAML)
	}
	if err != nil {
		return nil, err
	}
	Normalize(g)
	if probs := validate(g); len(probs) > 0 {
		return nil, probs.err(name, qlines)
	}
	return g, nil
}

// Detect names the format of data: FormatJSON when it starts with '{' or '[',
// FormatYAML when it starts with a "---" or "%YAML" line or has a top-level
// "questions:" key, FormatYardstick when it has an "Interview Questions" or
// "Areas to Cover" header. Anything else (empty, binary, other text) is an
// error that says what was expected.
func Detect(name string, data []byte) (string, error) {
	if len(data) > MaxSize {
		return "", invalid(&analyzer.InputError{File: name,
			Reason: fmt.Sprintf("guide is %d bytes, larger than the %d-byte limit", len(data), MaxSize)})
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return "", invalid(&analyzer.InputError{File: name, Reason: "empty guide"})
	}
	if off := binaryOffset(data); off >= 0 {
		return "", invalid(&analyzer.InputError{File: name, Line: 1 + bytes.Count(data[:off], []byte("\n")),
			Reason: "not a text guide (binary data or not UTF-8); want Yardstick text, JSON or YAML"})
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	switch trimmed[0] {
	case '{', '[':
		return FormatJSON, nil
	}
	if bytes.HasPrefix(trimmed, []byte("---")) || bytes.HasPrefix(trimmed, []byte("%YAML")) {
		return FormatYAML, nil
	}
	lines := splitLines(data)
	for _, l := range lines {
		// Only a lower-case key at column 0 counts: Yardstick headers are
		// capitalised, and YAML keys are case-sensitive anyway.
		if rest, ok := strings.CutPrefix(l, "questions"); ok {
			if rest = strings.TrimLeft(rest, " \t"); strings.HasPrefix(rest, ":") {
				return FormatYAML, nil
			}
		}
	}
	for _, l := range lines {
		switch headerOf(l) {
		case hdrQuestions, hdrAreas:
			return FormatYardstick, nil
		}
	}
	return "", invalid(&analyzer.InputError{File: name,
		Reason: `unrecognised guide format: want JSON, YAML with a "questions" key, or Yardstick text with "Areas to Cover" sections`})
}

// binaryOffset returns the offset of the first NUL or invalid UTF-8 byte, or -1.
func binaryOffset(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == 0 || (r == utf8.RuneError && size <= 1) {
			return i
		}
		i += size
	}
	return -1
}

// Load resolves ref: the id of a built-in guide, or else the path of a guide
// file. Built-in ids win, so a file that shares an id's name is read as
// "./name". A ref that is neither returns an error wrapping
// analyzer.ErrUnknownGuide that lists the built-in ids.
func Load(ref string) (*analyzer.Guide, error) {
	if g, ok := Builtin(ref); ok {
		return g, nil
	}
	f, err := os.Open(ref)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w %q: not a built-in guide (%s) nor an existing file",
			analyzer.ErrUnknownGuide, ref, strings.Join(BuiltinIDs(), ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("load guide: %w", err)
	}
	defer f.Close()
	// Read one byte past the limit so an oversized file is reported as such
	// without reading all of it.
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("load guide %s: %w", ref, err)
	}
	return Parse(ref, data)
}

// invalid wraps an input error so that it matches both
// analyzer.ErrInvalidGuide and analyzer.ErrInvalidInput.
func invalid(e *analyzer.InputError) error {
	return fmt.Errorf("%w: %w", analyzer.ErrInvalidGuide, e)
}

// splitLines splits text into lines ending in LF, CRLF or a lone CR, so
// that files saved on any system read the same.
func splitLines(data []byte) []string {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}
