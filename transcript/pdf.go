package transcript

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"

	"github.com/candorhq/candor/analyzer"
)

// Limits on a PDF. A one-hour transcript is 15 to 30 pages and well under
// 1 MB of page content; the caps bound the work a crafted file can cause
// (compressed streams can inflate a thousandfold).
const (
	// MaxPDFPages is the most pages read.
	MaxPDFPages = 500
	// maxPDFContent bounds the inflated content of all pages together.
	maxPDFContent = 64 << 20
	// maxPDFPageContent bounds one page's inflated content.
	maxPDFPageContent = 16 << 20
	// maxPageTree bounds the nodes of the page tree walked (it may hold
	// cycles in a damaged file).
	maxPageTree  = 4 * MaxPDFPages
	maxTreeDepth = 32
)

// errPDFLimit marks a PDF over one of the limits.
var errPDFLimit = errors.New("pdf limit")

// pdfText returns the text of a PDF, page by page, one line per line of
// print. Lines are rebuilt from where the text is drawn (a gap wider than a
// fraction of the font size is a space, a move down is a new line), and
// page numbers and the header or footer line repeated on every page are
// dropped.
func pdfText(name string, data []byte) (text []byte, err error) {
	bad := func(reason string) error {
		return &analyzer.InputError{File: name, Reason: reason}
	}
	defer func() {
		// The library reports malformed files by panicking; its messages
		// may quote the file, so none of it is passed on.
		if r := recover(); r != nil {
			text, err = nil, bad("not a readable PDF (the file is damaged or uses features Candor cannot read); "+howToExport)
		}
	}()
	if i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); i > 0 {
		data = data[i:] // junk before the signature: the offsets are relative to it
	}
	if bytes.HasPrefix(data, []byte("%PDF-2.")) {
		// PDF 2.0 is read as 1.7: the text operators are the same.
		data = append([]byte("%PDF-1.7"), data[8:]...)
	}
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if strings.Contains(err.Error(), "password") || strings.Contains(err.Error(), "encrypt") {
			return nil, bad("the PDF is password-protected; export it again without a password, or export the transcript as .docx or .txt")
		}
		return nil, bad("not a readable PDF (the file is damaged or uses features Candor cannot read); " + howToExport)
	}
	pages, err := pageList(r)
	if err != nil {
		return nil, bad(err.Error())
	}
	budget := int64(maxPDFContent)
	var all [][]string
	for _, p := range pages {
		lines, err := pageLines(p, &budget)
		if errors.Is(err, errPDFLimit) {
			return nil, bad(fmt.Sprintf("the PDF's page content inflates to over %d bytes; it is not a transcript", maxPDFContent))
		}
		if err != nil {
			return nil, bad("not a readable PDF (a page is damaged); " + howToExport)
		}
		all = append(all, lines)
	}
	var b bytes.Buffer
	for _, lines := range dropRunningHeads(all) {
		for _, l := range lines {
			b.WriteString(l)
			b.WriteByte('\n')
			if b.Len() > MaxSize {
				return nil, bad(fmt.Sprintf("the PDF holds over %d bytes of text (8 MiB)", MaxSize))
			}
		}
	}
	return b.Bytes(), nil
}

// pageList walks the page tree itself, depth- and size-bounded, since a
// damaged file's tree may loop.
func pageList(r *pdf.Reader) ([]pdf.Page, error) {
	root := r.Trailer().Key("Root").Key("Pages")
	var out []pdf.Page
	nodes := 0
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		nodes++
		if nodes > maxPageTree || depth > maxTreeDepth {
			return fmt.Errorf("the PDF's page tree is damaged (too deep or too large)")
		}
		switch v.Key("Type").Name() {
		case "Page":
			if len(out) == MaxPDFPages {
				return fmt.Errorf("the PDF has over %d pages; a transcript is far shorter", MaxPDFPages)
			}
			out = append(out, pdf.Page{V: v})
		case "Pages":
			kids := v.Key("Kids")
			for i := 0; i < kids.Len(); i++ {
				if err := walk(kids.Index(i), depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// glyphRun is text drawn in one show operation, in page space.
type glyphRun struct {
	x, y, x1, size float64
	text           string
	seq            int
}

type textState struct {
	tm, tlm, ctm [6]float64
	font         *pdf.Font
	fontName     string
	size         float64
	tc, tw, th   float64
	tl           float64
}

var identity = [6]float64{1, 0, 0, 1, 0, 0}

// mul returns a×b for PDF's 3x3 affine matrices written [a b c d e f].
func mul(a, b [6]float64) [6]float64 {
	return [6]float64{
		a[0]*b[0] + a[1]*b[2], a[0]*b[1] + a[1]*b[3],
		a[2]*b[0] + a[3]*b[2], a[2]*b[1] + a[3]*b[3],
		a[4]*b[0] + a[5]*b[2] + b[4], a[4]*b[1] + a[5]*b[3] + b[5],
	}
}

// pageLines draws a page's text operators and returns its lines, top to
// bottom. budget is what is left of the content allowance; it shrinks by
// this page's inflated size.
func pageLines(p pdf.Page, budget *int64) (lines []string, err error) {
	contents := p.V.Key("Contents")
	if contents.Kind() == pdf.Null {
		return nil, nil
	}
	// Measure the inflated content first: Interpret keeps every operand
	// of a run without operators, so an inflated stream must be bounded
	// before it is read for real.
	n, err := contentSize(contents, min(*budget, maxPDFPageContent)+1)
	if err != nil {
		return nil, err
	}
	if n > *budget || n > maxPDFPageContent {
		return nil, errPDFLimit
	}
	*budget -= n

	fonts := map[string]*pdf.Font{}
	fontOf := func(name string) *pdf.Font {
		if f, ok := fonts[name]; ok {
			return f
		}
		f := p.Font(name)
		if !saneCMap(f.V.Key("ToUnicode")) {
			panic("font mapping over the limits")
		}
		fonts[name] = &f
		return &f
	}
	st := textState{tm: identity, tlm: identity, ctm: identity, th: 1}
	var stack []textState
	var runs []glyphRun
	show := func(raw string) {
		if st.font == nil {
			return
		}
		trm := mul(st.tm, st.ctm)
		size := st.size * math.Hypot(trm[2], trm[3])
		if size <= 0 || math.IsNaN(size) || math.IsInf(size, 0) {
			size = math.Abs(st.size)
		}
		var text string
		if enc := st.font.Encoder(); enc != nil {
			text = enc.Decode(raw)
		} else {
			text = raw
		}
		adv := advance(st.font, raw, st.size, st.tc, st.tw) * st.th
		end := mul([6]float64{1, 0, 0, 1, adv, 0}, st.tm)
		endp := mul(end, st.ctm)
		runs = append(runs, glyphRun{x: trm[4], y: trm[5], x1: endp[4], size: size, text: text, seq: len(runs)})
		st.tm = end
	}
	nextLine := func() {
		st.tlm = mul([6]float64{1, 0, 0, 1, 0, -st.tl}, st.tlm)
		st.tm = st.tlm
	}
	defer func() {
		if r := recover(); r != nil {
			lines, err = nil, fmt.Errorf("damaged page content")
		}
	}()
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 64 {
				stack = append(stack, st)
			}
		case "Q":
			if n := len(stack); n > 0 {
				st = stack[n-1]
				stack = stack[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				st.ctm = mul([6]float64{num(0), num(1), num(2), num(3), num(4), num(5)}, st.ctm)
			}
		case "BT":
			st.tm, st.tlm = identity, identity
		case "Tf":
			if len(args) == 2 {
				st.fontName = args[0].Name()
				st.font = fontOf(st.fontName)
				st.size = num(1)
			}
		case "Tc":
			st.tc = num(0)
		case "Tw":
			st.tw = num(0)
		case "Tz":
			st.th = num(0) / 100
		case "TL":
			st.tl = num(0)
		case "Td", "TD":
			if len(args) == 2 {
				if op == "TD" {
					st.tl = -num(1)
				}
				st.tlm = mul([6]float64{1, 0, 0, 1, num(0), num(1)}, st.tlm)
				st.tm = st.tlm
			}
		case "Tm":
			if len(args) == 6 {
				st.tm = [6]float64{num(0), num(1), num(2), num(3), num(4), num(5)}
				st.tlm = st.tm
			}
		case "T*":
			nextLine()
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'":
			if len(args) == 1 {
				nextLine()
				show(args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				st.tw, st.tc = num(0), num(1)
				nextLine()
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				a := args[0]
				for i := 0; i < a.Len(); i++ {
					x := a.Index(i)
					if x.Kind() == pdf.String {
						show(x.RawString())
						continue
					}
					tx := -x.Float64() / 1000 * st.size * st.th
					st.tm = mul([6]float64{1, 0, 0, 1, tx, 0}, st.tm)
				}
			}
		}
	})
	return layoutLines(runs), nil
}

// Limits on a font's ToUnicode map, which the library reads by looping as
// many times as the map's counts say: a crafted count would never end.
const (
	maxCMapBytes = 1 << 20
	maxCMapCount = 10000
)

var cmapBlock = regexp.MustCompile(`begin(?:bfchar|bfrange|codespacerange|cidchar|cidrange|notdefchar|notdefrange)\b`)

// saneCMap reports whether a ToUnicode stream (if any) is small and every
// block in it opens with a literal count within bounds.
func saneCMap(v pdf.Value) bool {
	if v.Kind() != pdf.Stream {
		return true
	}
	rc := v.Reader()
	data, err := io.ReadAll(io.LimitReader(rc, maxCMapBytes+1))
	rc.Close()
	if err != nil || len(data) > maxCMapBytes {
		return false
	}
	for _, loc := range cmapBlock.FindAllIndex(data, -1) {
		i := loc[0]
		for i > 0 && (data[i-1] == ' ' || data[i-1] == '\n' || data[i-1] == '\r' || data[i-1] == '\t') {
			i--
		}
		j := i
		for j > 0 && data[j-1] >= '0' && data[j-1] <= '9' {
			j--
		}
		if j == i || i-j > 5 || j > 0 && !isPDFSpace(data[j-1]) {
			return false
		}
		n := 0
		for _, c := range data[j:i] {
			n = n*10 + int(c-'0')
		}
		if n > maxCMapCount {
			return false
		}
	}
	return true
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// contentSize inflates a page's content streams and counts their bytes,
// up to limit.
func contentSize(contents pdf.Value, limit int64) (int64, error) {
	var streams []pdf.Value
	if contents.Kind() == pdf.Array {
		for i := 0; i < contents.Len() && i < 1000; i++ {
			streams = append(streams, contents.Index(i))
		}
	} else {
		streams = []pdf.Value{contents}
	}
	var n int64
	for _, s := range streams {
		rc := s.Reader()
		m, err := io.Copy(io.Discard, io.LimitReader(rc, limit-n))
		rc.Close()
		n += m
		if n >= limit {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// advance is the width of raw in text space: glyph widths from the font
// where it has them, half an em otherwise, plus character and word spacing.
func advance(f *pdf.Font, raw string, size, tc, tw float64) float64 {
	two := f.V.Key("Subtype").Name() == "Type0"
	var w float64
	if two {
		d := f.V.Key("DescendantFonts").Index(0)
		dw := 1000.0
		if v := d.Key("DW"); v.Kind() == pdf.Integer || v.Kind() == pdf.Real {
			dw = v.Float64()
		}
		widths := d.Key("W")
		for i := 0; i+1 < len(raw); i += 2 {
			code := int(raw[i])<<8 | int(raw[i+1])
			w += (cidWidth(widths, code, dw)/1000*size + tc)
		}
		return w
	}
	first, last := f.FirstChar(), f.LastChar()
	hasWidths := f.V.Key("Widths").Kind() == pdf.Array
	for i := 0; i < len(raw); i++ {
		c := int(raw[i])
		gw := 500.0
		if hasWidths && c >= first && c <= last {
			if x := f.Width(c); x > 0 {
				gw = x
			}
		}
		w += gw/1000*size + tc
		if c == ' ' {
			w += tw
		}
	}
	return w
}

// cidWidth looks a CID up in a /W array: "c [w1 w2 ...]" or "cfirst clast w".
func cidWidth(widths pdf.Value, cid int, dw float64) float64 {
	n := widths.Len()
	for i := 0; i < n && i < 20000; {
		c := int(widths.Index(i).Int64())
		if i+1 >= n {
			break
		}
		next := widths.Index(i + 1)
		if next.Kind() == pdf.Array {
			if cid >= c && cid < c+next.Len() {
				return next.Index(cid - c).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		if cid >= c && cid <= int(next.Int64()) {
			return widths.Index(i + 2).Float64()
		}
		i += 3
	}
	return dw
}

// layoutLines groups runs into lines by baseline (top of the page first),
// orders each line left to right, and puts a space where the gap between
// two runs is wider than a fifth of the font size.
func layoutLines(runs []glyphRun) []string {
	if len(runs) == 0 {
		return nil
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].y > runs[j].y })
	var lines []string
	for i := 0; i < len(runs); {
		j := i + 1
		tol := math.Max(runs[i].size*0.4, 1)
		for j < len(runs) && math.Abs(runs[j].y-runs[i].y) <= tol {
			j++
		}
		line := runs[i:j]
		sort.SliceStable(line, func(a, b int) bool {
			if math.Abs(line[a].x-line[b].x) < 0.01 {
				return line[a].seq < line[b].seq
			}
			return line[a].x < line[b].x
		})
		var b strings.Builder
		prevEnd := math.Inf(-1)
		for _, r := range line {
			t := strings.Map(cleanRune, r.text)
			if t == "" {
				continue
			}
			if b.Len() > 0 && r.x-prevEnd > r.size*0.2 && !strings.HasSuffix(b.String(), " ") && !strings.HasPrefix(t, " ") {
				b.WriteByte(' ')
			}
			b.WriteString(t)
			prevEnd = math.Max(prevEnd, r.x1)
		}
		if s := strings.TrimSpace(strings.Join(strings.Fields(b.String()), " ")); s != "" {
			lines = append(lines, s)
		}
		i = j
	}
	return lines
}

// cleanRune drops what a text layer holds that is not text: control
// characters and the replacement character of undecodable glyphs.
func cleanRune(r rune) rune {
	switch {
	case r == '\t':
		return ' '
	case r == unicode.ReplacementChar, unicode.IsControl(r), r == 0xFEFF:
		return -1
	case r == 0xA0:
		return ' '
	}
	return r
}

var pageNumber = regexp.MustCompile(`(?i)^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$`)

// dropRunningHeads removes page numbers near the top or bottom of a page,
// and a line that opens (or closes) at least two thirds of the pages (a
// title, a date), which would otherwise land inside the turn that runs
// across the page break.
func dropRunningHeads(pages [][]string) [][]string {
	first, last := map[string]int{}, map[string]int{}
	for _, lines := range pages {
		if len(lines) > 0 {
			first[lines[0]]++
			last[lines[len(lines)-1]]++
		}
	}
	running := func(n int) bool { return len(pages) >= 2 && 3*n >= 2*len(pages) }
	out := make([][]string, len(pages))
	for i, lines := range pages {
		for k, l := range lines {
			switch {
			case (k < 2 || k >= len(lines)-2) && pageNumber.MatchString(l):
				continue
			case k == 0 && running(first[l]), k == len(lines)-1 && running(last[l]):
				continue
			}
			out[i] = append(out[i], l)
		}
	}
	return out
}
