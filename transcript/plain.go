package transcript

import (
	"github.com/candorhq/candor/analyzer"
)

// parsePlain reads speaker-labelled text: "Name: text" lines, "Interviewer:"
// and "Candidate:", or "Q:" and "A:" (read as Interviewer and Candidate),
// each optionally after a timestamp ("[00:01:02] ", "(12:03) "). A line
// without a label continues the previous speaker's turn. Which labels are
// speakers is decided over the whole text (see resolve), so that "Note: ..."
// at the start of a line inside an answer stays part of the answer.
func parsePlain(name string, text []byte) (*analyzer.Transcript, error) {
	pieces := make([]piece, 0, len(text)/100)
	lineNo := 0
	prevBlank := true
	rest := text
	for len(rest) > 0 {
		var line []byte
		line, rest = cutLine(rest)
		lineNo++
		t := trimSpace(line)
		if len(t) == 0 {
			prevBlank = true
			continue
		}
		p := piece{full: t, body: t, midBlock: !prevBlank, line: lineNo, start: -1, end: -1}
		prevBlank = false
		if ms, after, ok := leadingStamp(t); ok {
			if t[0] == '[' || t[0] == '(' {
				// A bracketed time is metadata even on a line without a label.
				p.full, p.body = after, after
			}
			if label, body, ok := splitLabel(after); ok {
				p.label, p.body, p.start = label, body, ms
			}
		} else if label, body, ok := splitLabel(t); ok {
			p.label, p.body = label, body
		}
		pieces = append(pieces, p)
	}
	turns := resolve(pieces)
	if err := checkTurns(name, `expected lines like "Name: text"`, turns); err != nil {
		return nil, err
	}
	return &analyzer.Transcript{Format: FormatPlain, Turns: turns}, nil
}
