package transcript

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// Document kinds: the binary files meeting tools export transcripts as.
// Parse reads their text, then detects the transcript format in it as in
// any text file.
const (
	DocumentDOCX = "docx"
	DocumentPDF  = "pdf"
)

// howToExport ends the error for a binary file Candor does not read: which
// files it reads, and how to get one from the usual tools.
const howToExport = "Candor reads text transcripts (WebVTT .vtt, SRT .srt, Otter or plain .txt, answers or turns JSON), " +
	"Word .docx and PDF .pdf. From Zoom, download the recording's audio transcript (.vtt); " +
	"from Microsoft Teams, download the transcript from the meeting's Recap as .docx or .vtt; " +
	"from Otter, export the conversation as .txt, .docx, .pdf or .srt"

// DocumentKind names the kind of binary document data is ("docx", "pdf"),
// or "" for anything else (text included). It looks at the signature only.
func DocumentKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return DocumentDOCX
	case isPDF(data):
		return DocumentPDF
	}
	return ""
}

// isPDF reports the "%PDF-" signature at the start, or anywhere in the
// first KiB (where readers tolerate junk before it) of data that is not
// text, so a text transcript that mentions "%PDF-" stays text.
func isPDF(data []byte) bool {
	sig := []byte("%PDF-")
	if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), sig) {
		return true
	}
	return bytes.Contains(data[:min(len(data), 1024)], sig) && !utf8.Valid(data)
}

// DocumentText reads the text of a Word or PDF document (see DocumentKind),
// laid out for the text parsers, and names its kind; Parse of that text
// gives what Parse of the document gives. Callers that must carry text (a
// queued job) read documents with it on arrival.
func DocumentText(name string, data []byte) (text []byte, kind string, err error) {
	return extract(name, data)
}

// extract turns a document into transcript text. Text input comes back as
// it is, with kind "". Binary input Candor cannot read is an InputError
// that says what it reads and how to export it.
func extract(name string, data []byte) (text []byte, kind string, err error) {
	if len(data) > MaxSize {
		return nil, "", &analyzer.InputError{File: name, Reason: fmt.Sprintf(
			"input is %d bytes, over the limit of %d bytes (8 MiB)", len(data), MaxSize)}
	}
	switch kind = DocumentKind(data); kind {
	case DocumentDOCX:
		text, err = docxText(name, data)
	case DocumentPDF:
		text, err = pdfText(name, data)
	default:
		if r := binaryKind(data); r != "" {
			return nil, "", &analyzer.InputError{File: name, Reason: r + "; " + howToExport}
		}
		return data, "", nil
	}
	if err != nil {
		return nil, kind, err
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, kind, &analyzer.InputError{File: name, Reason: fmt.Sprintf(
			"the .%s file holds no text (a scanned or image-only document?); %s", kind, howToExport)}
	}
	return speakerLines(text), kind, nil
}

// binaryKind names the kinds of binary file people mistake for a transcript
// (empty for anything else: prepare refuses other binary data by its NUL
// bytes).
func binaryKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "this is an old Word .doc (or other Office 97-2003) file: open it and save it as .docx"
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		return "this is an RTF file: save it as .docx or plain text"
	case bytes.HasPrefix(data, []byte("\x1f\x8b")):
		return "this is a gzip archive: unpack it first"
	case bytes.HasPrefix(data, []byte("ID3")), len(data) > 8 && string(data[4:8]) == "ftyp":
		return "this is an audio or video recording, not a transcript: Candor reads the transcript the meeting tool makes of it"
	}
	return ""
}

// Limits of the speaker-line layout.
const (
	maxHeaderWords = 5
)

// speakerLines rewrites the layout meeting tools use in documents, where
// the speaker's name (and the time) stands on a line of its own above what
// they said, into "Name: text" lines that the plain-text parser reads:
//
//	Teams (.docx):  "0:0:0.0 --> 0:0:3.960" / "Sofia Ruiz" / text
//	Teams (newer):  "Sofia Ruiz   0:03" or "Sofia Ruiz" / "0:03" / text
//	Otter (.docx, .pdf): "Sofia Ruiz  0:03" / text
//
// A name line counts only when the same name heads at least two blocks and
// at least two names do, so a one-word paragraph ("Right") in an answer is
// not taken for a speaker. Text in any other layout comes back unchanged.
func speakerLines(text []byte) []byte {
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(string(text), "\r\n", "\n"), "\r", "\n"), "\n")
	type header struct {
		label string
		stamp string
		skip  int // lines the header takes (name, time lines)
	}
	headers := map[int]header{}
	counts := map[string]int{}
	timed := 0
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		h := header{skip: 1}
		start := i
		if isTimeRange(t) && i+1 < len(lines) {
			h.stamp = strings.TrimSpace(strings.SplitN(t, "-->", 2)[0])
			h.skip++
			i++
			t = strings.TrimSpace(lines[i])
		}
		label, stamp, ok := nameLine(t)
		if !ok {
			i = start
			continue
		}
		if stamp != "" {
			h.stamp = stamp
		} else if i+1 < len(lines) && isClock(strings.TrimSpace(lines[i+1])) {
			h.stamp = strings.TrimSpace(lines[i+1])
			h.skip++
		}
		// A header heads something: the next line has text that is not
		// another header.
		next := start + h.skip
		if next >= len(lines) || strings.TrimSpace(lines[next]) == "" && (next+1 >= len(lines) || strings.TrimSpace(lines[next+1]) == "") {
			i = start
			continue
		}
		h.label = label
		headers[start] = h
		counts[label]++
		if h.stamp != "" {
			timed++
		}
		i = start + h.skip - 1
	}
	speakers := 0
	for _, n := range counts {
		if n >= 2 {
			speakers++
		}
	}
	if speakers < 2 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	for i := 0; i < len(lines); i++ {
		h, ok := headers[i]
		if !ok || counts[h.label] < 2 {
			b.WriteString(lines[i])
			b.WriteByte('\n')
			continue
		}
		// The header and the first line of text become one labelled line;
		// the rest of the block continues the turn, as plain text does.
		i += h.skip
		for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
			i++
		}
		if h.stamp != "" && isClock(h.stamp) {
			b.WriteString("[" + h.stamp + "] ")
		}
		b.WriteString(h.label)
		b.WriteString(": ")
		if i < len(lines) {
			if _, isHeader := headers[i]; !isHeader {
				b.WriteString(strings.TrimSpace(lines[i]))
			} else {
				i--
			}
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// nameLine reads a line that holds only a speaker's name, optionally
// followed by a time ("Sofia Ruiz", "Sofia Ruiz   0:03", "Sofia Ruiz\t0:03").
func nameLine(t string) (label, stamp string, ok bool) {
	t = strings.ReplaceAll(t, "\t", "  ")
	if i := strings.LastIndexByte(t, ' '); i > 0 && isClock(t[i+1:]) {
		label, stamp = strings.TrimSpace(t[:i]), t[i+1:]
	} else {
		label = t
	}
	if label == "" || len(label) > maxLabelBytes || strings.Count(label, " ") >= maxHeaderWords {
		return "", "", false
	}
	for i := 0; i < len(label); i++ {
		if !isLabelByte(label[i]) {
			return "", "", false
		}
	}
	if strings.HasSuffix(label, ".") || !labelWords([]byte(label)) || isStopLabel([]byte(label)) || proseWords[strings.ToLower(label)] {
		return "", "", false
	}
	return label, stamp, true
}

// proseWords are one-word paragraphs that are replies, not names.
var proseWords = map[string]bool{"yes": true, "no": true, "yeah": true, "okay": true, "ok": true, "right": true, "sure": true,
	"thanks": true, "great": true, "hmm": true, "mhm": true, "uh": true, "um": true, "exactly": true, "absolutely": true,
	"transcript": true, "recording": true}

// isClock reports a bare time: "0:03", "12:03", "1:02:03", "00:01:02.500".
func isClock(s string) bool {
	if len(s) < 3 || len(s) > 13 {
		return false
	}
	_, ok := parseClock([]byte(s))
	return ok
}

// isTimeRange reports a "0:0:0.0 --> 0:0:3.960" line (Teams' .docx).
func isTimeRange(s string) bool {
	from, to, ok := strings.Cut(s, "-->")
	if !ok {
		return false
	}
	return looseClock(strings.TrimSpace(from)) && looseClock(strings.TrimSpace(to))
}

// looseClock accepts Teams' unpadded clock ("0:0:3.960").
func looseClock(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	colons := 0
	for _, c := range s {
		switch {
		case c == ':':
			colons++
		case c == '.' || c == ',' || c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return colons >= 1 && colons <= 2
}
