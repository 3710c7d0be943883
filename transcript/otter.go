package transcript

import (
	"bytes"

	"github.com/candorhq/candor/analyzer"
)

// otterFooter ends Otter.ai exports; it is not part of the conversation.
var otterFooter = []byte("Transcribed by https://otter.ai")

// parseOtter reads an Otter.ai text export: a "Name  0:03" header line (two
// spaces before the time; some exports have one), then the speaker's
// paragraph(s), a blank line between blocks. Headers with a single space are
// speakers only when the name recurs, since a short paragraph such as "Back
// at 10:30" could otherwise pass for one.
func parseOtter(name string, text []byte) (*analyzer.Transcript, error) {
	pieces := make([]piece, 0, len(text)/120)
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
		atBlock := prevBlank
		prevBlank = false
		if atBlock {
			if label, ms, double, ok := otterHeader(t); ok {
				pieces = append(pieces, piece{full: t, label: label, explicit: double,
					line: lineNo, start: ms, end: -1})
				continue
			}
		}
		if bytes.Equal(t, otterFooter) {
			continue
		}
		pieces = append(pieces, piece{full: t, body: t, line: lineNo, start: -1, end: -1})
	}
	turns := resolve(pieces)
	if err := checkTurns(name, `expected "Name  0:03" header lines`, turns); err != nil {
		return nil, err
	}
	return &analyzer.Transcript{Format: FormatOtter, Turns: turns}, nil
}

// otterHeader splits a "Name  1:02:03" line into the name and the time in
// milliseconds; double says the name and time are two spaces apart, as
// Otter writes them.
func otterHeader(line []byte) (label []byte, ms int64, double, ok bool) {
	sp := bytes.LastIndexByte(line, ' ')
	if sp <= 0 {
		return nil, 0, false, false
	}
	stamp := line[sp+1:]
	if len(stamp) < 4 || len(stamp) > 9 || bytes.ContainsAny(stamp, ".,") {
		return nil, 0, false, false
	}
	if ms, ok = parseClock(stamp); !ok {
		return nil, 0, false, false
	}
	double = line[sp-1] == ' '
	label = trimSpace(line[:sp])
	if len(label) == 0 || len(label) > maxLabelBytes || !labelWords(label) {
		return nil, 0, false, false
	}
	for _, c := range label {
		if !isLabelByte(c) {
			return nil, 0, false, false
		}
	}
	return label, ms, double, true
}
