package transcript

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// parseVTT reads WebVTT as Zoom and Microsoft Teams write it. Teams names
// the speaker in a voice tag (<v Name>text</v>) and gives cues ids like
// "uuid/12-0"; Zoom numbers its cues and starts the text with "Name: ".
// NOTE, STYLE and REGION blocks are skipped; cue settings are ignored.
func parseVTT(name string, text []byte) (*analyzer.Transcript, error) {
	if !isVTTHeader(text) {
		return nil, &analyzer.InputError{File: name, Line: 1, Reason: "expected a WEBVTT header line"}
	}
	// The cleaned cue text is never longer than the source, so one buffer of
	// that size holds it all without growing.
	arena := make([]byte, 0, len(text))
	pieces := make([]piece, 0, len(text)/80)
	lineNo := 1
	_, rest := cutLine(text)
	// The header block runs to the first blank line (Kind:, Language: ...);
	// some tools leave that line out, so a cue also ends it.
	for len(rest) > 0 {
		line, after := cutLine(rest)
		if next, _ := cutLine(after); bytes.Contains(line, arrow) || bytes.Contains(next, arrow) {
			break
		}
		rest = after
		lineNo++
		if len(trimSpace(line)) == 0 {
			break
		}
	}
	for len(rest) > 0 {
		var line []byte
		line, rest = cutLine(rest)
		lineNo++
		t := trimSpace(line)
		if len(t) == 0 {
			continue
		}
		if isBlockKeyword(t, "NOTE") || isBlockKeyword(t, "STYLE") || isBlockKeyword(t, "REGION") {
			for len(rest) > 0 {
				line, rest = cutLine(rest)
				lineNo++
				if len(trimSpace(line)) == 0 {
					break
				}
			}
			continue
		}
		cueLine := lineNo
		timing := t
		if !bytes.Contains(t, arrow) {
			// A cue id: the timing line must follow.
			line, rest = cutLine(rest)
			lineNo++
			timing = trimSpace(line)
			if !bytes.Contains(timing, arrow) {
				return nil, &analyzer.InputError{File: name, Line: lineNo,
					Reason: "expected a cue timing line (00:00:01.000 --> 00:00:04.000) after the cue id"}
			}
		}
		start, end, err := vttTiming(timing)
		if err != nil {
			return nil, &analyzer.InputError{File: name, Line: lineNo, Reason: err.Error()}
		}
		var voice []byte
		cueStart := len(pieces)
		for len(rest) > 0 {
			line, rest = cutLine(rest)
			lineNo++
			t := trimSpace(line)
			if len(t) == 0 {
				break
			}
			// The cue, not each text line, is where a turn starts.
			arena, pieces, voice = vttText(arena, pieces, t, voice, cueLine, start, end)
		}
		if cueStart < len(pieces) {
			pieces[cueStart].cueStart = true
		}
	}
	turns := resolve(pieces)
	if err := checkTurns(name, `expected cues with speakers (<v Name>text</v> or "Name: text")`, turns); err != nil {
		return nil, err
	}
	return &analyzer.Transcript{Format: FormatVTT, Turns: turns}, nil
}

// isBlockKeyword reports a line that is kw alone or kw followed by a blank.
func isBlockKeyword(line []byte, kw string) bool {
	return bytes.HasPrefix(line, []byte(kw)) && (len(line) == len(kw) || line[len(kw)] == ' ' || line[len(kw)] == '\t')
}

// vttTiming parses "start --> end [settings]".
func vttTiming(line []byte) (start, end int64, err error) {
	i := bytes.Index(line, arrow)
	left, right := trimSpace(line[:i]), trimSpace(line[i+len(arrow):])
	// Cue settings ("align:start position:10%") follow the end time.
	if j := bytes.IndexAny(right, " \t"); j >= 0 {
		right = right[:j]
	}
	var ok bool
	if start, ok = vttStamp(left); !ok {
		return 0, 0, fmt.Errorf("malformed cue start time: expected hh:mm:ss.ttt or mm:ss.ttt")
	}
	if end, ok = vttStamp(right); !ok {
		return 0, 0, fmt.Errorf("malformed cue end time: expected hh:mm:ss.ttt or mm:ss.ttt")
	}
	if end < start {
		return 0, 0, fmt.Errorf("cue ends before it starts")
	}
	return start, end, nil
}

// vttStamp parses a WebVTT timestamp strictly: two-digit minutes and
// seconds, exactly three fraction digits after a dot, hours optional.
func vttStamp(s []byte) (int64, bool) {
	n := len(s)
	if n < 9 || s[n-4] != '.' || !isDigits(s[n-3:]) {
		return 0, false
	}
	// Leave the general checks (field widths, ranges) to parseClock.
	return parseClock(s)
}

// vttText cleans one line of cue text into pieces: it starts a new piece at
// each voice tag, drops other tags (<c>, <i>, <00:00:01.000>), unescapes
// entities and, for a line without a voice, splits a "Name: " label off.
func vttText(arena []byte, pieces []piece, line, voice []byte, cueLine int, start, end int64) ([]byte, []piece, []byte) {
	from := len(arena)
	emit := func() {
		t := trimSpace(arena[from:])
		if len(t) > 0 {
			p := piece{full: t, body: t, line: cueLine, start: start, end: end}
			if voice != nil {
				p.label, p.explicit = voice, true
			} else if label, body, ok := splitLabel(t); ok {
				p.label, p.body = label, body
			}
			pieces = append(pieces, p)
		}
		from = len(arena)
	}
	// gt is the offset of the next '>' at or after i, -1 when there is none:
	// searching afresh at every '<' would make a line of "<<<<" quadratic.
	gt := -2
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch c {
		case '<':
			if gt != -1 && gt < i {
				gt = bytes.IndexByte(line[i:], '>')
				if gt >= 0 {
					gt += i
				}
			}
			if gt < 0 {
				arena = append(arena, c)
				continue
			}
			tag := line[i+1 : gt]
			i = gt
			if len(tag) > 0 && tag[0] == 'v' && (len(tag) == 1 || tag[1] == ' ' || tag[1] == '\t' || tag[1] == '.') {
				emit()
				sp := bytes.IndexAny(tag, " \t")
				if sp < 0 {
					continue // a voice tag with no name keeps the current voice
				}
				name := trimSpace(tag[sp+1:])
				if bytes.IndexByte(name, '&') >= 0 {
					name = unescape(nil, name)
				}
				name = bytes.TrimSpace(name)
				if len(name) > 0 {
					voice = name
				}
			}
		case '&':
			n, r := entity(line[i:])
			if n == 0 {
				arena = append(arena, c)
				continue
			}
			if r >= 0 {
				arena = utf8.AppendRune(arena, r)
			}
			i += n - 1
		default:
			arena = append(arena, c)
		}
	}
	emit()
	return arena, pieces, voice
}

// unescape appends s with its entities decoded to dst.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '&' {
			if n, r := entity(s[i:]); n > 0 {
				if r >= 0 {
					dst = utf8.AppendRune(dst, r)
				}
				i += n - 1
				continue
			}
		}
		dst = append(dst, s[i])
	}
	return dst
}

// entity decodes the character reference at the start of s ("&amp;",
// "&#233;") and returns its length, or 0 when s does not start with one; the
// rune is -1 for marks that stand for nothing visible (&lrm;).
// A non-breaking space becomes a plain space: the analyzer splits words on
// it.
func entity(s []byte) (int, rune) {
	end := bytes.IndexByte(s[:min(len(s), 12)], ';')
	if end < 2 {
		return 0, 0
	}
	name := s[1:end]
	switch string(name) {
	case "amp":
		return end + 1, '&'
	case "lt":
		return end + 1, '<'
	case "gt":
		return end + 1, '>'
	case "nbsp":
		return end + 1, ' '
	case "quot":
		return end + 1, '"'
	case "apos":
		return end + 1, '\''
	case "lrm", "rlm":
		return end + 1, -1
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0
	}
	var v int64
	digits := name[1:]
	base := int64(10)
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 {
		return 0, 0
	}
	for _, c := range digits {
		var d int64
		switch {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = int64(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = int64(c-'A') + 10
		default:
			return 0, 0
		}
		v = v*base + d
	}
	r := rune(v)
	if v > utf8.MaxRune || !utf8.ValidRune(r) || r == 0 {
		return 0, 0
	}
	return end + 1, r
}
