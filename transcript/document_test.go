package transcript_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/internal/doctest"
	"github.com/candorhq/candor/transcript"
)

// TestDocumentLayouts reads the layouts meeting tools give their .docx and
// .pdf transcripts.
func TestDocumentLayouts(t *testing.T) {
	type turn struct{ speaker, text string }
	teams := []turn{{"Leah Brandt", "Hi Tomasz, can you hear me?"}, {"Tomasz Wójcik", "Yes, I hear you."},
		{"Leah Brandt", "Tell me about a time a customer was upset."}, {"Tomasz Wójcik", "At the bank, a woman was locked out."}}
	tests := []struct {
		name  string
		paras []doctest.Paragraph
		want  []turn
	}{
		{"teams time range, name, text", []doctest.Paragraph{
			{"Interview with Tomasz"}, {""},
			{"0:0:1.635 --> 0:0:7.965"}, {"Leah Brandt"}, {"Hi Tomasz, ", "can you hear me?"}, {},
			{"0:0:10.599 --> 0:0:13.661"}, {"Tomasz Wójcik"}, {"Yes, I hear you."}, {},
			{"0:0:14.1 --> 0:0:16.0"}, {"Leah Brandt"}, {"Tell me about a time a customer was upset."}, {},
			{"0:0:17.2 --> 0:0:20.0"}, {"Tomasz Wójcik"}, {"At the bank, ", "a woman was locked out."},
		}, teams},
		{"teams name and time on one line (tab)", []doctest.Paragraph{
			{"Leah Brandt\t0:01"}, {"Hi Tomasz, can you hear me?"},
			{"Tomasz Wójcik\t0:10"}, {"Yes, I hear you."},
			{"Leah Brandt\t0:14"}, {"Tell me about a time a customer was upset."},
			{"Tomasz Wójcik\t0:17"}, {"At the bank, a woman was locked out."},
		}, teams},
		{"name and time on lines of their own", []doctest.Paragraph{
			{"Leah Brandt"}, {"0:01"}, {"Hi Tomasz, can you hear me?"},
			{"Tomasz Wójcik"}, {"0:10"}, {"Yes, I hear you."},
			{"Leah Brandt"}, {"0:14"}, {"Tell me about a time a customer was upset."},
			{"Tomasz Wójcik"}, {"0:17"}, {"At the bank, a woman was locked out."},
		}, teams},
		{"otter with two spaces, a reply paragraph 'Right' is no speaker", []doctest.Paragraph{
			{"Grace Whitfield  0:01"}, {"Tell me about a time a customer was upset."}, {""},
			{"Ibrahim Haddad  0:06"}, {"Right"}, {"A guest found her room double-booked."}, {""},
			{"Grace Whitfield  0:09"}, {"What did you do?"}, {""},
			{"Ibrahim Haddad  0:12"}, {"Right"}, {"I called our sister hotel."},
		}, []turn{{"Grace Whitfield", "Tell me about a time a customer was upset."},
			{"Ibrahim Haddad", "Right A guest found her room double-booked."},
			{"Grace Whitfield", "What did you do?"}, {"Ibrahim Haddad", "Right I called our sister hotel."}}},
		{"plain Q and A with a line break inside an answer", []doctest.Paragraph{
			{"Q: Tell me about a time a customer was upset."}, {"A: A guest found her room double-booked.\nShe was crying."},
			{"Q: What did you do?"}, {"A: I called our sister hotel."},
		}, []turn{{"Interviewer", "Tell me about a time a customer was upset."}, {"Candidate", "A guest found her room double-booked. She was crying."},
			{"Interviewer", "What did you do?"}, {"Candidate", "I called our sister hotel."}}},
	}
	for _, tt := range tests {
		var lines []string
		for _, p := range tt.paras {
			lines = append(lines, strings.Join(p, ""))
		}
		docs := map[string][]byte{"docx": doctest.DOCX(tt.paras), "pdf": doctest.PDF(lines, doctest.PDFOptions{})}
		for kind, data := range docs {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				tr, err := transcript.Parse("t."+kind, data)
				if err != nil {
					t.Fatal(err)
				}
				if tr.Document != kind {
					t.Errorf("document %q, want %q", tr.Document, kind)
				}
				var got []turn
				for _, x := range tr.Turns {
					got = append(got, turn{x.Speaker, x.Text})
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("turns:\n got %q\nwant %q", got, tt.want)
				}
			})
		}
	}
}

// TestPDFWordGaps reads a PDF that draws each word as its own piece, with
// no space characters: the spaces come from the gaps.
func TestPDFWordGaps(t *testing.T) {
	data := doctest.PDF([]string{"Interviewer: Tell me about a time you helped an upset customer.",
		"Candidate: A guest in Porto found her room double-booked at eleven at night.",
		"Interviewer: What did you do next?", "Candidate: I called our sister hotel."}, doctest.PDFOptions{SplitWords: true})
	tr, err := transcript.Parse("gaps.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.Turns[1].Text, "A guest in Porto found her room double-booked at eleven at night."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestPDFRunningHeads drops page numbers and a title repeated on every
// page, so an answer across a page break stays whole.
func TestPDFRunningHeads(t *testing.T) {
	var lines []string
	for i := range 30 {
		lines = append(lines, fmt.Sprintf("Interviewer: Question number %d?", i), fmt.Sprintf("Candidate: Answer number %d, told in a few words.", i))
	}
	data := doctest.PDF(lines, doctest.PDFOptions{Title: "Acme interview, 3 March", LinesPerPage: 7})
	tr, err := transcript.Parse("heads.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Turns) != 60 {
		t.Fatalf("%d turns, want 60", len(tr.Turns))
	}
	for _, x := range tr.Turns {
		if strings.Contains(x.Text, "Page") || strings.Contains(x.Text, "Acme") {
			t.Fatalf("turn holds a running head: %q", x.Text)
		}
	}
}

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDocumentErrors: documents Candor cannot read, bombs and other binary
// files are refused with a reason that says what to do; nothing panics and
// no error quotes the document.
func TestDocumentErrors(t *testing.T) {
	secret := "Sofia Marquez told me her salary"
	manyParts := map[string][]byte{}
	for i := range 2001 {
		manyParts[fmt.Sprintf("x/%d.xml", i)] = nil
	}
	manyParts["word/document.xml"] = []byte("<w:document/>")
	bomb := bytes.Repeat([]byte("<w:p/>"), (64<<20)/6+10)
	var pages []string
	for i := range transcript.MaxPDFPages + 1 {
		pages = append(pages, fmt.Sprintf("Line %d", i))
	}
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"old .doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), []string{"save it as .docx"}},
		{"png", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 100)...), []string{"binary data", "Zoom", "Teams", "Otter", ".docx", ".pdf"}},
		{"mp4", append([]byte("\x00\x00\x00\x18ftypmp42"), make([]byte, 100)...), []string{"recording"}},
		{"zip that is no Word file", zipOf(t, map[string][]byte{"a.txt": []byte(secret)}), []string{"not a Word document", "Teams"}},
		{"damaged zip", []byte("PK\x03\x04 this is no archive " + secret), []string{"damaged"}},
		{"too many parts", zipOf(t, manyParts), []string{"2002 parts", "limit"}},
		{"zip bomb", zipOf(t, map[string][]byte{"word/document.xml": bomb}), []string{"inflates", "limit"}},
		{"malformed XML", zipOf(t, map[string][]byte{"word/document.xml": []byte("<w:document><w:t>" + secret + "</w:document>")}), []string{"malformed"}},
		{"docx with text but no speakers", doctest.DOCX([]doctest.Paragraph{{secret}, {"and nothing else"}}), []string{"in the text of the .docx file", "could not detect"}},
		{"docx with no text", doctest.DOCX(nil), []string{"holds no text"}},
		{"damaged pdf", []byte("%PDF-1.4\n" + secret + "\n%%EOF\n"), []string{"not a readable PDF"}},
		{"pdf over the page limit", doctest.PDF(pages, doctest.PDFOptions{LinesPerPage: 1}), []string{"over 500 pages"}},
		{"pdf content bomb", doctest.PDFPage(bytes.Repeat([]byte(" 1"), 9<<20), true), []string{"inflates"}},
		{"pdf whose ToUnicode map loops", cmapBomb(), []string{"not a readable PDF"}},
		{"pdf with no text", doctest.PDFPage([]byte("0 0 m 100 100 l S"), false), []string{"holds no text", "scanned"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := transcript.Parse("in.bin", tt.data)
			var ie *analyzer.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want an *analyzer.InputError", err, err)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if !strings.HasPrefix(msg, "in.bin") {
				t.Errorf("error %q does not name the file", msg)
			}
			if strings.Contains(msg, "Sofia") || strings.Contains(msg, "salary") {
				t.Errorf("error quotes the document: %q", msg)
			}
		})
	}
}

// cmapBomb is a PDF whose font's ToUnicode map claims a billion entries:
// the library would loop on it, so the reader refuses the font.
func cmapBomb() []byte {
	data := doctest.PDF([]string{"Interviewer: hi", "Candidate: hello"}, doctest.PDFOptions{Uncompressed: true})
	return bytes.Replace(data, []byte("1 begincodespacerange"), []byte("999999999 begincodespacerange"), 1)
}

// documentSeeds are the fuzz seeds of both document readers: documents
// made here and the LibreOffice-made ones beside the interview tests.
func documentSeeds(f *testing.F, ext string) [][]byte {
	var out [][]byte
	paras := []doctest.Paragraph{{"0:0:1.0 --> 0:0:2.0"}, {"Leah Brandt"}, {"Hi, ", "can you\thear me?"}, {"Tomasz W\u00f3jcik  0:03"}, {"Yes.\nI do."},
		{"Interviewer: Tell me about a time."}, {"Candidate: Once, in Porto."}}
	var lines []string
	for _, p := range paras {
		lines = append(lines, strings.Join(p, ""))
	}
	switch ext {
	case "docx":
		out = append(out, doctest.DOCX(paras))
	case "pdf":
		out = append(out, doctest.PDF(lines, doctest.PDFOptions{Uncompressed: true, Title: "T"}),
			doctest.PDF(lines, doctest.PDFOptions{Uncompressed: true, SplitWords: true}), cmapBomb(),
			doctest.PDFPage([]byte("BT /F1 12 Tf 72 700 Td (Interviewer: hi) Tj T* [(Candidate:) -250 (hello)] TJ ET q 1 0 0 1 5 5 cm BT 2 0 0 2 0 0 Tm (x) ' ET Q"), false))
	}
	files, _ := filepath.Glob(filepath.Join("..", "interview", "testdata", "office", "*."+ext))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			out = append(out, data)
		}
	}
	return out
}

// checkDocument holds the invariants of reading any document: no panic,
// an *analyzer.InputError or a transcript of valid UTF-8 turns.
func checkDocument(t *testing.T, tr *analyzer.Transcript, err error) {
	t.Helper()
	if err != nil {
		var ie *analyzer.InputError
		if !errors.As(err, &ie) {
			t.Fatalf("error %v (%T) is not an *analyzer.InputError", err, err)
		}
		return
	}
	if tr.Format != transcript.FormatAnswersJSON && len(tr.Turns) < 2 {
		t.Fatalf("%d turns", len(tr.Turns))
	}
	for i, x := range tr.Turns {
		if strings.TrimSpace(x.Speaker) == "" || strings.TrimSpace(x.Text) == "" {
			t.Fatalf("turn %d is empty: %+v", i, x)
		}
	}
}

// FuzzDOCX fuzzes the Word reader twice over: the fuzzer's bytes as the
// document's XML part (zipped here, so mutations reach the XML walker and
// the layout reader), and as the whole file (the zip reader and limits).
func FuzzDOCX(f *testing.F) {
	for _, s := range documentSeeds(f, "docx") {
		f.Add(s)
		if zr, err := zip.NewReader(bytes.NewReader(s), int64(len(s))); err == nil {
			for _, zf := range zr.File {
				if zf.Name == "word/document.xml" {
					rc, _ := zf.Open()
					var b bytes.Buffer
					_, _ = b.ReadFrom(rc)
					rc.Close()
					f.Add(b.Bytes())
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := transcript.Parse("fuzz.docx", data)
		checkDocument(t, tr, err)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/document.xml")
		_, _ = w.Write(data)
		_ = zw.Close()
		tr, err = transcript.Parse("fuzz.docx", buf.Bytes())
		checkDocument(t, tr, err)
	})
}

// FuzzPDF fuzzes the PDF reader on whole files; the seeds' content streams
// are uncompressed so that mutations reach the text operators and fonts.
func FuzzPDF(f *testing.F) {
	for _, s := range documentSeeds(f, "pdf") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := transcript.Parse("fuzz.pdf", data)
		checkDocument(t, tr, err)
	})
}
