package transcript

import (
	"bytes"

	"github.com/candorhq/candor/analyzer"
)

// parseSRT reads SubRip subtitles: blocks of a number, a timing line
// ("00:00:01,000 --> 00:00:04,000") and text lines, where a "Name: " prefix
// names the speaker and a line without one continues the current speaker.
func parseSRT(name string, text []byte) (*analyzer.Transcript, error) {
	pieces := make([]piece, 0, len(text)/80)
	lineNo := 0
	rest := text
	for len(rest) > 0 {
		var line []byte
		line, rest = cutLine(rest)
		lineNo++
		t := trimSpace(line)
		if len(t) == 0 {
			continue
		}
		if !isDigits(t) || len(t) > 9 {
			return nil, &analyzer.InputError{File: name, Line: lineNo, Reason: "expected a subtitle number"}
		}
		cueLine := lineNo
		line, rest = cutLine(rest)
		lineNo++
		t = trimSpace(line)
		if !bytes.Contains(t, arrow) {
			return nil, &analyzer.InputError{File: name, Line: lineNo,
				Reason: "expected a timing line (00:00:01,000 --> 00:00:04,000) after the subtitle number"}
		}
		start, end, ok := srtTiming(t)
		if !ok {
			return nil, &analyzer.InputError{File: name, Line: lineNo,
				Reason: "malformed timing line: expected 00:00:01,000 --> 00:00:04,000 with the end after the start"}
		}
		first := true
		for len(rest) > 0 {
			// Some tools forget the blank line between subtitles: a number
			// followed by a timing line starts the next one all the same.
			if next, after := cutLine(rest); isDigits(trimSpace(next)) {
				if timing, _ := cutLine(after); bytes.Contains(timing, arrow) {
					break
				}
			}
			line, rest = cutLine(rest)
			lineNo++
			t := trimSpace(line)
			if len(t) == 0 {
				break
			}
			t = stripSRTTags(t)
			p := piece{full: t, body: t, cueStart: first, line: cueLine, start: start, end: end}
			if label, body, ok := splitLabel(t); ok {
				p.label, p.body = label, body
			}
			pieces = append(pieces, p)
			first = false
		}
	}
	turns := resolve(pieces)
	if err := checkTurns(name, `expected subtitle text starting with "Name: "`, turns); err != nil {
		return nil, err
	}
	return &analyzer.Transcript{Format: FormatSRT, Turns: turns}, nil
}

// srtTiming parses "00:00:01,000 --> 00:00:04,000"; a dot instead of the
// comma is common enough (converted WebVTT) to accept, and anything after
// the end time (position hints) is ignored.
func srtTiming(line []byte) (start, end int64, ok bool) {
	i := bytes.Index(line, arrow)
	left, right := trimSpace(line[:i]), trimSpace(line[i+len(arrow):])
	if j := bytes.IndexAny(right, " \t"); j >= 0 {
		right = right[:j]
	}
	if start, ok = srtStamp(left); !ok {
		return 0, 0, false
	}
	if end, ok = srtStamp(right); !ok || end < start {
		return 0, 0, false
	}
	return start, end, true
}

// srtStamp parses "hh:mm:ss,mmm": hours required, fraction of 1 to 3 digits.
func srtStamp(s []byte) (int64, bool) {
	if bytes.Count(s, []byte{':'}) != 2 || !bytes.ContainsAny(s, ",.") {
		return 0, false
	}
	return parseClock(s)
}

// stripSRTTags drops formatting tags (<i>, <font color=...>) and ASS
// overrides ({\an8}); it only allocates when the line has any.
func stripSRTTags(t []byte) []byte {
	if bytes.IndexByte(t, '<') < 0 && bytes.IndexByte(t, '{') < 0 {
		return t
	}
	out := make([]byte, 0, len(t))
	// next[k] is the offset of the next closer[k] at or after i, -1 when
	// there is none, so that a line of unclosed tags stays linear.
	closer := [2]byte{'>', '}'}
	next := [2]int{-2, -2}
	for i := 0; i < len(t); i++ {
		c := t[i]
		k := -1
		if c == '<' && i+1 < len(t) && (isLetter(t[i+1]) || t[i+1] == '/') {
			k = 0
		} else if c == '{' && i+1 < len(t) && t[i+1] == '\\' {
			k = 1
		}
		if k >= 0 {
			if next[k] != -1 && next[k] < i {
				next[k] = bytes.IndexByte(t[i:], closer[k])
				if next[k] >= 0 {
					next[k] += i
				}
			}
			if next[k] > i {
				i = next[k]
				continue
			}
		}
		out = append(out, c)
	}
	return trimSpace(out)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
