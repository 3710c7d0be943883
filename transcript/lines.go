package transcript

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

var arrow = []byte("-->")

// cutLine returns the first line of text (without its "\n") and the rest.
// The parsers call it on text that prepare has normalized to "\n" endings.
func cutLine(text []byte) (line, rest []byte) {
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		return text[:i], text[i+1:]
	}
	return text, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' }

// trimSpace trims ASCII blanks; unlike bytes.TrimSpace it does not decode
// runes, which matters on the hot path.
func trimSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Label limits: a speaker label is a name of a few words ("Dr. Ana
// O'Neil-Park", "Speaker 2"), not a sentence that happens to contain a colon.
const (
	maxLabelBytes = 64
	maxLabelWords = 5
)

// splitLabel splits a "Label: text" line. The label must start with a
// letter, hold at most maxLabelWords words of letters, digits and the
// punctuation names use, and be followed by a colon and a blank or the end of
// the line (so "https://" and "10:30" are not labels). In a label of several
// words every word after the first starts with a capital, a digit or is a
// name particle ("van", "de"), which keeps "So what I did:" out.
func splitLabel(line []byte) (label, body []byte, ok bool) {
	colon := -1
	for i := 0; i < len(line) && i <= maxLabelBytes; i++ {
		c := line[i]
		if c == ':' {
			colon = i
			break
		}
		if !isLabelByte(c) {
			return nil, nil, false
		}
	}
	if colon <= 0 || colon+1 < len(line) && line[colon+1] != ' ' && line[colon+1] != '\t' {
		return nil, nil, false
	}
	label = trimSpace(line[:colon])
	if !labelWords(label) {
		return nil, nil, false
	}
	return label, trimSpace(line[colon+1:]), true
}

// isLabelByte reports the bytes a speaker name may hold: letters (any
// non-ASCII byte, so names in any script pass), digits, blanks and the
// punctuation of names and handles.
func isLabelByte(c byte) bool {
	if c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	switch c {
	case ' ', '.', '-', '\'', '(', ')', '/', '_', '@', '&':
		return true
	}
	return false
}

// labelWords checks the word rules of splitLabel.
func labelWords(label []byte) bool {
	if len(label) == 0 {
		return false
	}
	r, _ := utf8.DecodeRune(label)
	if !unicode.IsLetter(r) {
		return false
	}
	words := 0
	for i := 0; i < len(label); {
		for i < len(label) && label[i] == ' ' {
			i++
		}
		if i == len(label) {
			break
		}
		j := i
		for j < len(label) && label[j] != ' ' {
			j++
		}
		words++
		if words > maxLabelWords {
			return false
		}
		if words > 1 {
			w := label[i:j]
			r, _ := utf8.DecodeRune(w)
			if !unicode.IsUpper(r) && !unicode.IsDigit(r) && r != '(' && !isParticle(w) {
				return false
			}
		}
		i = j
	}
	return true
}

func isParticle(w []byte) bool {
	switch string(w) {
	case "de", "da", "di", "du", "del", "della", "der", "den", "la", "le", "van", "von", "bin", "al", "el", "dos", "das", "y":
		return true
	}
	return false
}

// isRoleLabel reports labels that name a role in the interview: they are
// speakers even when they occur once.
func isRoleLabel(label []byte) bool {
	for _, role := range roleLabels {
		if len(label) == len(role) && bytes.EqualFold(label, []byte(role)) {
			return true
		}
	}
	return false
}

// The one-letter I and R are the interviewer and respondent of research
// transcripts; numbered roles ("Interviewer 2") are panels.
var roleLabels = []string{"Interviewer", "Interviewee", "Candidate", "Recruiter", "Hiring Manager", "Applicant", "Respondent",
	"Interviewer 1", "Interviewer 2", "Interviewer 3", "Q", "A", "I", "R"}

// isStopLabel reports words that begin a line with a colon inside an answer
// ("Note: ...", "Result: we shipped", a STAR outline) far more often than they
// name a speaker, so recurrence alone does not make them one.
func isStopLabel(label []byte) bool {
	if len(label) > 16 {
		return false
	}
	var buf [16]byte
	low := buf[:0]
	for _, c := range label {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		low = append(low, c)
	}
	switch string(low) {
	case "note", "notes", "nb", "ps", "p.s", "result", "results", "outcome", "outcomes", "situation", "task",
		"action", "actions", "context", "background", "example", "summary", "update", "edit", "problem",
		"solution", "reason", "goal", "goals", "lesson", "lessons", "takeaway", "impact", "step", "tip",
		"warning", "important", "fyi", "todo", "date", "time", "location", "duration", "subject", "re",
		"attendees", "participants", "position", "role", "title", "agenda":
		return true
	}
	return false
}

// canonicalSpeaker maps the Q/A shorthand to the roles it stands for.
func canonicalSpeaker(label []byte) []byte {
	if len(label) == 1 {
		switch label[0] {
		case 'Q', 'q':
			return []byte("Interviewer")
		case 'A', 'a':
			return []byte("Candidate")
		}
	}
	return label
}

// leadingStamp strips a timestamp that starts a plain-text line: "[00:01:02]",
// "(12:03)" or a bare "00:01:02" followed by a blank. It returns the time in
// milliseconds and the rest of the line, trimmed.
func leadingStamp(line []byte) (ms int64, rest []byte, ok bool) {
	if len(line) == 0 {
		return 0, nil, false
	}
	if c := line[0]; c == '[' || c == '(' {
		closer := byte(']')
		if c == '(' {
			closer = ')'
		}
		end := bytes.IndexByte(line, closer)
		if end < 0 || end > 16 {
			return 0, nil, false
		}
		ms, ok = parseClock(trimSpace(line[1:end]))
		if !ok {
			return 0, nil, false
		}
		rest = trimSpace(line[end+1:])
		// Some tools write "[00:01] - Name: text".
		if len(rest) > 1 && rest[0] == '-' && rest[1] == ' ' {
			rest = trimSpace(rest[2:])
		}
		return ms, rest, true
	}
	end := 0
	for end < len(line) && end < 16 && (line[end] >= '0' && line[end] <= '9' || line[end] == ':' || line[end] == '.' || line[end] == ',') {
		end++
	}
	if end == 0 || end == len(line) || !isSpace(line[end]) {
		return 0, nil, false
	}
	if ms, ok = parseClock(line[:end]); !ok {
		return 0, nil, false
	}
	return ms, trimSpace(line[end:]), true
}

// maxHours bounds the hour field of every timestamp, so that a long digit run
// cannot overflow int64 milliseconds; no interview lasts 100,000 hours.
const maxHours = 99999

// parseClock parses a lenient clock time: "m:ss", "mm:ss", "h:mm:ss" with an
// optional fraction of up to three digits after "." or ",".
func parseClock(s []byte) (int64, bool) {
	var parts [3]int64
	var widths [3]int
	n := 0
	i := 0
	for {
		if n == 3 {
			return 0, false
		}
		start := i
		var v int64
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if i-start >= 5 {
				return 0, false
			}
			v = v*10 + int64(s[i]-'0')
			i++
		}
		if i == start {
			return 0, false
		}
		parts[n], widths[n] = v, i-start
		n++
		if i < len(s) && s[i] == ':' {
			i++
			continue
		}
		break
	}
	if n < 2 {
		return 0, false
	}
	frac := int64(0)
	if i < len(s) && (s[i] == '.' || s[i] == ',') {
		i++
		digits := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && digits < 3 {
			frac = frac*10 + int64(s[i]-'0')
			i++
			digits++
		}
		if digits == 0 {
			return 0, false
		}
		for ; digits < 3; digits++ {
			frac *= 10
		}
	}
	if i != len(s) {
		return 0, false
	}
	h, m, sec := int64(0), parts[0], parts[1]
	if n == 3 {
		h, m, sec = parts[0], parts[1], parts[2]
		if m > 59 || widths[1] != 2 {
			return 0, false
		}
	}
	if sec > 59 || widths[n-1] != 2 || h > maxHours || m > maxHours*60 {
		return 0, false
	}
	return ((h*60+m)*60+sec)*1000 + frac, true
}
