package transcript

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/candorhq/candor/analyzer"
)

// Limits on a .docx, against zip bombs: a Word file is a zip of XML parts,
// and a small file can claim or inflate to gigabytes. A one-hour transcript
// is about 60 KB of text and 1 MB of XML.
const (
	// maxDocxEntries bounds the parts of the archive.
	maxDocxEntries = 2000
	// maxDocxXML bounds the inflated main document part.
	maxDocxXML = 64 << 20
)

const wordMain = "word/document.xml"

// docxText returns the text of a Word document: one line per paragraph,
// tabs and line breaks kept, deleted (tracked) text, field codes and
// drawings left out.
func docxText(name string, data []byte) ([]byte, error) {
	bad := func(reason string) error {
		return &analyzer.InputError{File: name, Reason: reason}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, bad("not a readable .docx file (the zip archive is damaged: " + zipReason(err) + "); " + howToExport)
	}
	if len(zr.File) > maxDocxEntries {
		return nil, bad(fmt.Sprintf("the .docx archive has %d parts, over the limit of %d", len(zr.File), maxDocxEntries))
	}
	var main *zip.File
	for _, f := range zr.File {
		if f.Name == wordMain {
			main = f
			break
		}
	}
	if main == nil {
		return nil, bad("a zip archive that is not a Word document (no word/document.xml); " + howToExport)
	}
	if main.UncompressedSize64 > maxDocxXML {
		return nil, bad(fmt.Sprintf("the .docx text part inflates to %d bytes, over the limit of %d", main.UncompressedSize64, maxDocxXML))
	}
	rc, err := main.Open()
	if err != nil {
		return nil, bad("not a readable .docx file (" + zipReason(err) + ")")
	}
	defer rc.Close()
	// The declared size may lie; the reader stops at the limit whatever it says.
	lr := &io.LimitedReader{R: rc, N: maxDocxXML + 1}
	text, err := wordText(lr)
	if lr.N <= 0 {
		return nil, bad(fmt.Sprintf("the .docx text part inflates to over %d bytes", maxDocxXML))
	}
	if err != nil {
		return nil, bad("not a readable .docx file (its XML is malformed: " + xmlReason(err) + ")")
	}
	if len(text) > MaxSize {
		return nil, bad(fmt.Sprintf("the .docx holds %d bytes of text, over the limit of %d bytes (8 MiB)", len(text), MaxSize))
	}
	return text, nil
}

// wordText walks WordprocessingML. Only the elements that carry text are
// read; everything else (styles, properties, drawings) is skipped.
func wordText(r io.Reader) ([]byte, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	var b bytes.Buffer
	inText := 0 // depth inside w:t (text shown)
	skip := 0   // depth inside parts whose text is not shown
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if b.Len() > MaxSize {
			return b.Bytes(), nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "t":
				inText++
			case "tab", "ptab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			case "noBreakHyphen":
				b.WriteByte('-')
			case "del", "delText", "instrText", "drawing", "pict", "object", "footnoteReference", "commentReference":
				skip = 1
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = max(inText-1, 0)
			case "p":
				b.WriteByte('\n')
			case "tc":
				b.WriteByte('\t')
			}
		case xml.CharData:
			if inText > 0 && skip == 0 {
				b.Write(t)
			}
		}
	}
	return b.Bytes(), nil
}

// zipReason and xmlReason shorten library errors for a user; they name no
// content.
func zipReason(err error) string {
	switch {
	case errors.Is(err, zip.ErrFormat):
		return "not a valid zip file"
	case errors.Is(err, zip.ErrChecksum):
		return "checksum error"
	case errors.Is(err, zip.ErrAlgorithm):
		return "unsupported compression"
	}
	return "unreadable archive"
}

func xmlReason(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("line %d of word/document.xml", se.Line)
	}
	return strings.TrimPrefix(err.Error(), "xml: ")
}
