package transcript

import (
	"bytes"
)

// detectWindow bounds how much of the input the line-based checks look at:
// enough for several turns of long-winded plain text, little enough to keep
// detection cheap on large inputs.
const detectWindow = 32 << 10

// Detect names the format of data: "answers-json", "turns-json", "vtt",
// "srt", "otter", "plain", or "" when unknown. It looks at the content only
// (a leading BOM and any line ending are fine) and does not validate the
// whole input: Parse does that.
func Detect(data []byte) string {
	data = bytes.TrimPrefix(data, bom)
	switch firstNonSpace(data) {
	case '[':
		// "[00:00:05] Ana: hi" is plain text; a JSON array of turns holds
		// objects.
		if i := bytes.IndexByte(data, '['); firstNonSpace(data[i+1:]) == '{' || firstNonSpace(data[i+1:]) == ']' {
			return FormatTurnsJSON
		}
	case '{':
		switch jsonTopKey(data) {
		case "answers":
			return FormatAnswersJSON
		case "turns":
			return FormatTurnsJSON
		}
		return ""
	}
	head := data
	if len(head) > detectWindow {
		// The line cut in two stays: its start is all the checks look at.
		head = head[:detectWindow]
	}
	if bytes.IndexByte(head, '\r') >= 0 {
		head = normalizeNewlines(head)
	}
	if isVTTHeader(head) {
		return FormatVTT
	}
	first, rest := nextNonBlank(head)
	if isDigits(first) {
		if second, _ := cutLine(rest); bytes.Contains(second, arrow) {
			return FormatSRT
		}
	}
	if label, _, double, ok := otterHeader(first); ok {
		if second, _ := cutLine(rest); len(trimSpace(second)) > 0 && (double || otterRecurs(label, rest)) {
			return FormatOtter
		}
	}
	if looksPlain(head) {
		return FormatPlain
	}
	return ""
}

// isVTTHeader reports whether text starts with the WebVTT signature:
// "WEBVTT" followed by a space, a tab or the end of the line.
func isVTTHeader(text []byte) bool {
	if !bytes.HasPrefix(text, []byte("WEBVTT")) {
		return false
	}
	return len(text) == 6 || text[6] == ' ' || text[6] == '\t' || text[6] == '\n'
}

// nextNonBlank returns the first line of text that is not blank (trimmed)
// and the text after it.
func nextNonBlank(text []byte) (line, rest []byte) {
	for len(text) > 0 {
		line, text = cutLine(text)
		if t := trimSpace(line); len(t) > 0 {
			return t, text
		}
	}
	return nil, nil
}

// looksPlain reports whether text has speaker-labelled lines: a label that
// recurs, a role word (Interviewer, Q, ...), two different labels each
// starting a block, or every line labelled with two different labels (a
// question and its answer: "Dana: ..." then "Sam: ...").
func looksPlain(text []byte) bool {
	counts := map[string]int{}
	starts := 0
	prevBlank := true
	allLabelled := true
	for len(text) > 0 {
		var line []byte
		line, text = cutLine(text)
		t := trimSpace(line)
		if len(t) == 0 {
			prevBlank = true
			continue
		}
		blockStart := prevBlank
		prevBlank = false
		if _, after, ok := leadingStamp(t); ok {
			t = after
		}
		label, _, ok := splitLabel(t)
		if !ok || isStopLabel(label) {
			allLabelled = false
			continue
		}
		if isRoleLabel(label) {
			return true
		}
		counts[string(label)]++
		if counts[string(label)] >= 2 {
			return true
		}
		if blockStart {
			starts++
		}
	}
	return len(counts) >= 2 && (starts >= 2 || allLabelled)
}

// jsonTopKey scans a JSON object's top-level keys and returns "answers" or
// "turns" for the first of them found, without decoding any value.
func jsonTopKey(data []byte) string {
	depth := 0
	expectKey := false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '{', '[':
			depth++
			expectKey = c == '{' && depth == 1
		case '}', ']':
			depth--
			if depth <= 0 {
				return ""
			}
		case ',':
			expectKey = depth == 1
		case '"':
			j := i + 1
			for j < len(data) && data[j] != '"' {
				if data[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(data) {
				return ""
			}
			if expectKey {
				switch key := string(data[i+1 : j]); key {
				case "answers", "turns":
					return key
				}
				expectKey = false
			}
			i = j
		}
	}
	return ""
}

// otterRecurs reports whether a single-spaced Otter header for label comes
// again at the start of a block in text. Without it, a plain transcript whose
// title line ends in a time ("Interview 10:30") would pass for Otter.
func otterRecurs(label, text []byte) bool {
	prevBlank := false
	for len(text) > 0 {
		var line []byte
		line, text = cutLine(text)
		t := trimSpace(line)
		if len(t) == 0 {
			prevBlank = true
			continue
		}
		if prevBlank {
			if l, _, _, ok := otterHeader(t); ok && bytes.Equal(l, label) {
				return true
			}
		}
		prevBlank = false
	}
	return false
}
