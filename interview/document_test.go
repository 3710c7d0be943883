package interview_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/candorhq/candor/internal/doctest"
	"github.com/candorhq/candor/interview"
	"github.com/candorhq/candor/transcript"
)

// vttCue is one cue of a Teams WebVTT file: its times and voice.
var vttCue = regexp.MustCompile(`(?m)^(\d\d):(\d\d):(\d\d)\.(\d+) --> (\d\d):(\d\d):(\d\d)\.(\d+)\n<v ([^>]+)>(.*)</v>$`)

// teamsLayout writes a Teams WebVTT transcript as Teams writes its .docx:
// per utterance a "0:0:1.635 --> 0:0:7.965" line, the speaker's name on a
// line of its own, then what they said.
func teamsLayout(t *testing.T, vtt string) []doctest.Paragraph {
	t.Helper()
	var paras []doctest.Paragraph
	unpad := func(h, m, s, frac string) string {
		return fmt.Sprintf("%d:%d:%d.%s", atoi(h), atoi(m), atoi(s), frac)
	}
	for _, m := range vttCue.FindAllStringSubmatch(vtt, -1) {
		paras = append(paras,
			doctest.Paragraph{unpad(m[1], m[2], m[3], m[4]) + " --> " + unpad(m[5], m[6], m[7], m[8])},
			doctest.Paragraph{m[9]},
			splitRuns(m[10]),
			doctest.Paragraph{})
	}
	if len(paras) < 40 {
		t.Fatalf("only %d cues found in the VTT", len(paras)/4)
	}
	return paras
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// splitRuns cuts a paragraph into runs at word boundaries, as Word does
// where formatting or spell-checking state changes.
func splitRuns(s string) doctest.Paragraph {
	words := strings.SplitAfter(s, " ")
	var p doctest.Paragraph
	for len(words) > 0 {
		n := min(3, len(words))
		p = append(p, strings.Join(words[:n], ""))
		words = words[n:]
	}
	return p
}

func lineParagraphs(text string) []doctest.Paragraph {
	var paras []doctest.Paragraph
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		paras = append(paras, splitRuns(l))
	}
	return paras
}

func paragraphLines(paras []doctest.Paragraph) []string {
	var lines []string
	for _, p := range paras {
		lines = append(lines, strings.Join(p, ""))
	}
	return lines
}

// TestDocumentsGiveTheSameAnswers is the acceptance test for Word and PDF
// transcripts: a .docx and a .pdf made from each of three transcripts (a
// Teams VTT written in Teams' .docx layout, an Otter export, a plain
// Interviewer/Candidate text) are cut into the same questions and the same
// answers as the text they were made from. The documents are made here
// (internal/doctest) and, where present, by LibreOffice (testdata/office,
// see its README).
func TestDocumentsGiveTheSameAnswers(t *testing.T) {
	g := cxGuide(t)
	sources := []string{"t02_teams.vtt", "t04_otter.txt", "t05_plain.txt"}
	for _, src := range sources {
		orig := readFile(t, filepath.Join(evalDir, src))
		want, _, err := interview.Parse(g, src, orig, interview.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// At least two answers, so that where one answer ends and the
		// next begins is compared too (t02 finds 2 of its 3 gold questions
		// with this guide).
		if len(want.Answers) < 2 {
			t.Fatalf("%s: only %d answers in the original", src, len(want.Answers))
		}
		var paras []doctest.Paragraph
		if strings.HasSuffix(src, ".vtt") {
			paras = teamsLayout(t, string(orig))
		} else {
			paras = lineParagraphs(string(orig))
		}
		docs := map[string][]byte{
			"docx":           doctest.DOCX(paras),
			"pdf":            doctest.PDF(paragraphLines(paras), doctest.PDFOptions{Title: "Interview transcript"}),
			"pdf-split-word": doctest.PDF(paragraphLines(paras), doctest.PDFOptions{SplitWords: true, LinesPerPage: 55}),
		}
		base := strings.TrimSuffix(src, filepath.Ext(src))
		for _, ext := range []string{"docx", "pdf"} {
			if data, err := os.ReadFile(filepath.Join("testdata", "office", base+"."+ext)); err == nil {
				docs["libreoffice-"+ext] = data
			}
		}
		for kind, data := range docs {
			t.Run(base+"/"+kind, func(t *testing.T) {
				got, tr, err := interview.Parse(g, base+"."+kind, data, interview.Options{})
				if err != nil {
					t.Fatal(err)
				}
				wantDoc := transcript.DocumentDOCX
				if strings.Contains(kind, "pdf") {
					wantDoc = transcript.DocumentPDF
				}
				if tr.Document != wantDoc {
					t.Errorf("document kind %q, want %q", tr.Document, wantDoc)
				}
				if got.Candidate != want.Candidate || strings.Join(got.Interviewers, ",") != strings.Join(want.Interviewers, ",") {
					t.Errorf("roles: candidate %q interviewers %v, want %q %v", got.Candidate, got.Interviewers, want.Candidate, want.Interviewers)
				}
				if len(got.Answers) != len(want.Answers) {
					t.Fatalf("%d answers, want %d", len(got.Answers), len(want.Answers))
				}
				for i := range want.Answers {
					w, a := want.Answers[i], got.Answers[i]
					if a.QuestionID != w.QuestionID {
						t.Errorf("answer %d: question %s, want %s", i, a.QuestionID, w.QuestionID)
					}
					if a.Text != w.Text {
						t.Errorf("answer %d (%s): text differs at %s", i, w.QuestionID, firstDiff(a.Text, w.Text))
					}
					if a.Asked != w.Asked {
						t.Errorf("answer %d (%s): asked %q, want %q", i, w.QuestionID, a.Asked, w.Asked)
					}
				}
			})
		}
	}
}

func firstDiff(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	clip := func(r []rune) string { return string(r[max(0, i-30):min(len(r), i+30)]) }
	return fmt.Sprintf("rune %d: got %q, want %q", i, clip(ra), clip(rb))
}
