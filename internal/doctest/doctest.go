// Package doctest writes small Word (.docx) and PDF documents for tests, in
// the shapes meeting tools export transcripts in, so that the document
// readers are tested on files made in the test rather than on opaque
// fixtures alone.
package doctest

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
	"strings"
)

// Paragraph is one paragraph of a Word document: its runs of text, with
// "\t" written as a tab element and "\n" as a line break, the way Word
// stores them.
type Paragraph []string

// DOCX returns a minimal but valid WordprocessingML package holding paras.
func DOCX(paras []Paragraph) []byte {
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	doc.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		doc.WriteString(`<w:p><w:pPr><w:spacing w:after="120"/></w:pPr>`)
		for _, run := range p {
			doc.WriteString(`<w:r><w:rPr><w:rFonts w:ascii="Calibri"/></w:rPr>`)
			for i, part := range strings.Split(run, "\t") {
				if i > 0 {
					doc.WriteString(`<w:tab/>`)
				}
				for j, line := range strings.Split(part, "\n") {
					if j > 0 {
						doc.WriteString(`<w:br/>`)
					}
					if line != "" {
						doc.WriteString(`<w:t xml:space="preserve">` + xmlEscape(line) + `</w:t>`)
					}
				}
			}
			doc.WriteString(`</w:r>`)
		}
		doc.WriteString(`</w:p>`)
	}
	doc.WriteString(`<w:sectPr/></w:body></w:document>`)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			panic(err)
		}
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
		`<Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)
	add("word/document.xml", doc.String())
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PDFOptions shape a PDF.
type PDFOptions struct {
	// Title is printed at the top of every page (a running head).
	Title string
	// LinesPerPage is how many lines fit a page (default 40, at most 50).
	LinesPerPage int
	// Wrap breaks lines longer than this many characters at a space
	// (default 90), as a document printed to PDF does.
	Wrap int
	// SplitWords draws every word of a line as its own positioned piece
	// with no space characters, as some producers do; the reader must
	// find the spaces from the gaps.
	SplitWords bool
	// Uncompressed leaves the content streams as they are written (for
	// fuzz seeds, whose mutations should reach the text operators).
	Uncompressed bool
}

// PDF returns a PDF that prints lines (blank lines kept as gaps), with a
// "Page N of M" footer on every page. The text is drawn with a simple font
// whose codes map to Unicode through a ToUnicode map, as subset fonts in
// real PDFs do, so any script survives; content streams are compressed.
func PDF(lines []string, o PDFOptions) []byte {
	if o.LinesPerPage <= 0 {
		o.LinesPerPage = 40
	}
	o.LinesPerPage = min(o.LinesPerPage, 50) // what fits between the title and the footer
	if o.Wrap <= 0 {
		o.Wrap = 90
	}
	var wrapped []string
	for _, l := range lines {
		wrapped = append(wrapped, wrap(l, o.Wrap)...)
	}
	// One byte code per distinct character, from 0x21 (0x20 stays space).
	codes := map[rune]byte{' ': 0x20}
	var runes []rune
	for _, l := range append(append([]string{}, wrapped...), o.Title, "Page 0123456789 of") {
		for _, r := range l {
			if _, ok := codes[r]; !ok {
				if len(codes) >= 0xFF-0x20 {
					panic("doctest.PDF: too many distinct characters")
				}
				codes[r] = byte(0x20 + len(codes))
				runes = append(runes, r)
			}
		}
	}
	var pages [][]string
	for len(wrapped) > 0 {
		n := min(o.LinesPerPage, len(wrapped))
		pages = append(pages, wrapped[:n])
		wrapped = wrapped[n:]
	}
	if len(pages) == 0 {
		pages = [][]string{nil}
	}

	var objs []string // object bodies, numbered from 1
	add := func(body string) int {
		objs = append(objs, body)
		return len(objs)
	}
	catalog := add("") // filled in below
	pagesObj := add("")
	var cmap strings.Builder
	cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Candor-Test def\n")
	cmap.WriteString("1 begincodespacerange\n<00> <FF>\nendcodespacerange\n")
	all := append([]rune{' '}, runes...)
	sort.Slice(all, func(i, j int) bool { return codes[all[i]] < codes[all[j]] })
	for len(all) > 0 {
		n := min(100, len(all))
		fmt.Fprintf(&cmap, "%d beginbfchar\n", n)
		for _, r := range all[:n] {
			fmt.Fprintf(&cmap, "<%02X> <%s>\n", codes[r], utf16Hex(r))
		}
		cmap.WriteString("endbfchar\n")
		all = all[n:]
	}
	cmap.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	toUnicode := add(stream(cmap.String(), false))
	widths := make([]string, 0, 0xFF-0x20+1)
	for c := 0x20; c <= 0xFF; c++ {
		widths = append(widths, "500")
	}
	font := add(fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 255 /Widths [%s] /ToUnicode %d 0 R >>",
		strings.Join(widths, " "), toUnicode))
	var kids []string
	for pi, lines := range pages {
		var c strings.Builder
		y := 800.0
		draw := func(x, y float64, s string) {
			fmt.Fprintf(&c, "BT /F1 10 Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET\n", x, y, pdfString(s, codes))
		}
		if o.Title != "" {
			draw(50, y, o.Title)
			y -= 24
		}
		for _, l := range lines {
			if l != "" {
				if o.SplitWords {
					x := 50.0
					for _, w := range strings.Fields(l) {
						draw(x, y, w)
						x += float64(len([]rune(w)))*5 + 3 // 500/1000 em at 10 pt, and a 3 pt gap
					}
				} else {
					draw(50, y, l)
				}
			}
			y -= 14
		}
		draw(270, 40, fmt.Sprintf("Page %d of %d", pi+1, len(pages)))
		content := add(stream(c.String(), !o.Uncompressed))
		page := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>",
			pagesObj, font, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	return assemble(objs, catalog)
}

// PDFPage returns a one-page PDF whose page content is content as given
// (deflated when compress is set), drawn with Helvetica as /F1: for tests
// of what a crafted page does to the reader.
func PDFPage(content []byte, compress bool) []byte {
	var objs []string
	add := func(body string) int {
		objs = append(objs, body)
		return len(objs)
	}
	add("<< /Type /Catalog /Pages 2 0 R >>")
	add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>")
	add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	add(stream(string(content), compress))
	return assemble(objs, 1)
}

// assemble writes numbered objects, the cross-reference table and the
// trailer.
func assemble(objs []string, catalog int) []byte {
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	offsets := make([]int, len(objs))
	for i, body := range objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, body)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, xref)
	return out.Bytes()
}

// stream writes a stream object, deflated when compress is set.
func stream(data string, compress bool) string {
	if !compress {
		return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data)
	}
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	_, _ = zw.Write([]byte(data))
	_ = zw.Close()
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", b.Len(), b.String())
}

// pdfString encodes s in the font's codes as a PDF literal string.
func pdfString(s string, codes map[rune]byte) string {
	var b strings.Builder
	for _, r := range s {
		c := codes[r]
		switch c {
		case '(', ')', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			if c < 0x20 || c >= 0x7F {
				fmt.Fprintf(&b, "\\%03o", c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

func utf16Hex(r rune) string {
	if r < 0x10000 {
		return fmt.Sprintf("%04X", r)
	}
	r -= 0x10000
	return fmt.Sprintf("%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
}

// wrap breaks s at spaces into lines of at most n characters (a longer
// word stands alone).
func wrap(s string, n int) []string {
	if s == "" {
		return []string{""}
	}
	var out []string
	var cur []string
	length := 0
	for _, w := range strings.Fields(s) {
		wl := len([]rune(w))
		if length > 0 && length+1+wl > n {
			out = append(out, strings.Join(cur, " "))
			cur, length = nil, 0
		}
		if length > 0 {
			length++
		}
		cur = append(cur, w)
		length += wl
	}
	return append(out, strings.Join(cur, " "))
}
