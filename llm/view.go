package llm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/prompts"
)

// edit replaces the original runes [start, end) with repl.
type edit struct {
	start, end int
	repl       string
}

// segment maps a run of sent runes to a run of original runes: one to one
// when the run is unedited, as a whole when it is a replacement.
type segment struct {
	sentStart, sentEnd int
	origStart, origEnd int
	edited             bool
}

// view is an answer as sent to the model (redacted, delimiters escaped) with
// the map back to the original text, so that a quote of the sent text becomes
// a span of the original: the report always shows what the candidate said.
type view struct {
	orig []rune
	sent string
	segs []segment
}

func newView(text string, edits []edit) *view {
	orig := []rune(text)
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end > edits[j].end // longest first
	})
	v := &view{orig: orig}
	var b strings.Builder
	pos, sentPos := 0, 0
	add := func(s segment, text string) {
		v.segs = append(v.segs, s)
		b.WriteString(text)
	}
	for _, e := range edits {
		if e.start < pos || e.end <= e.start || e.end > len(orig) {
			continue // overlaps an earlier edit
		}
		if e.start > pos {
			n := e.start - pos
			add(segment{sentPos, sentPos + n, pos, e.start, false}, string(orig[pos:e.start]))
			sentPos += n
		}
		n := utf8.RuneCountInString(e.repl)
		add(segment{sentPos, sentPos + n, e.start, e.end, true}, e.repl)
		sentPos += n
		pos = e.end
	}
	if pos < len(orig) {
		add(segment{sentPos, sentPos + len(orig) - pos, pos, len(orig), false}, string(orig[pos:]))
	}
	v.sent = b.String()
	return v
}

// toOrig maps the sent code-point range [s, e) to the original text; a range
// that touches a replacement grows to cover all of what it replaced.
func (v *view) toOrig(s, e int) (int, int) {
	start, end := 0, len(v.orig)
	for _, g := range v.segs {
		if s >= g.sentStart && s < g.sentEnd {
			if g.edited {
				start = g.origStart
			} else {
				start = g.origStart + s - g.sentStart
			}
		}
		if e > g.sentStart && e <= g.sentEnd {
			if g.edited {
				end = g.origEnd
			} else {
				end = g.origStart + e - g.sentStart
			}
		}
	}
	return start, end
}

// clean reports whether the original range [s, e) was sent unchanged, so its
// text can go into the prompt as is (hybrid hints).
func (v *view) clean(s, e int) bool {
	for _, g := range v.segs {
		if g.edited && s < g.origEnd && g.origStart < e {
			return false
		}
	}
	return true
}

// Redaction patterns. They aim at what identifies a person in an answer, not
// at perfect recall: a missed phone number is sent as is, as it would be
// without redaction.
var (
	urlRe   = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"']+`)
	emailRe = regexp.MustCompile(`(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b`)
	phoneRe = regexp.MustCompile(`\+?\(?\d[\d(). -]{7,18}\d`)
)

// redactor finds the personal data to replace with placeholders.
type redactor struct {
	on    bool
	names []string
}

func newRedactor(on bool, names []string) redactor {
	var ns []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			ns = append(ns, n)
		}
	}
	// Longest first, so "Dana Lee" wins over "Dana".
	sort.Slice(ns, func(i, j int) bool { return len(ns[i]) > len(ns[j]) })
	return redactor{on: on, names: ns}
}

// options is the redaction part of the engine's options string. Names are
// not written out (they are personal data) but counted and hashed, so that a
// change of names changes cache keys.
func (r redactor) options() string {
	var parts []string
	if r.on {
		parts = append(parts, "emails", "phones", "urls")
	}
	if len(r.names) > 0 {
		s := append([]string(nil), r.names...)
		for i := range s {
			s[i] = strings.ToLower(s[i])
		}
		sort.Strings(s)
		h := sha256.Sum256([]byte(strings.Join(s, "\x00")))
		parts = append(parts, fmt.Sprintf("names(%d:%s)", len(s), hex.EncodeToString(h[:4])))
	}
	if len(parts) == 0 {
		return "off"
	}
	return strings.Join(parts, "+")
}

// withheldText replaces, in what the model sees, text flagged as prompt
// injection: the model cannot obey what it never reads.
const withheldText = "[text withheld: it addressed the rater]"

// view builds the text to send: text flagged as injection (withheld, in
// code points of text) replaced by withheldText, personal data replaced by
// numbered placeholders ([EMAIL_1], [NAME_2], ...; one number per distinct
// value) and anything that looks like the answer delimiter escaped, so the
// answer cannot close its own data block.
func (r redactor) view(text string, withheld []analyzer.Span) *view {
	toRune := runeOffsets(text)
	var edits []edit
	numbers := map[string]int{}
	counts := map[string]int{}
	placeholder := func(kind, value string) string {
		key := kind + "\x00" + strings.ToLower(value)
		n, ok := numbers[key]
		if !ok {
			counts[kind]++
			n = counts[kind]
			numbers[key] = n
		}
		return fmt.Sprintf("[%s_%d]", kind, n)
	}
	addAll := func(kind string, idx [][]int, keep func(string) (int, bool)) {
		for _, m := range idx {
			s := text[m[0]:m[1]]
			n, ok := keep(s)
			if !ok {
				continue
			}
			s = s[:n]
			edits = append(edits, edit{toRune[m[0]], toRune[m[0]+n], placeholder(kind, s)})
		}
	}
	if r.on {
		addAll("URL", urlRe.FindAllStringIndex(text, -1), func(s string) (int, bool) {
			n := len(strings.TrimRight(s, ".,;:!?)]}"))
			return n, n > 0
		})
		addAll("EMAIL", emailRe.FindAllStringIndex(text, -1), func(s string) (int, bool) { return len(s), true })
		addAll("PHONE", phoneRe.FindAllStringIndex(text, -1), func(s string) (int, bool) {
			s = strings.TrimRight(s, " .-(")
			digits := 0
			for _, c := range s {
				if c >= '0' && c <= '9' {
					digits++
				}
			}
			return len(s), digits >= 9 && digits <= 15
		})
	}
	lower := strings.ToLower(text)
	for _, name := range r.names {
		ln := strings.ToLower(name)
		if len(ln) != len(name) {
			continue // case mapping changed byte lengths: offsets would not line up
		}
		for i := 0; ; {
			j := strings.Index(lower[i:], ln)
			if j < 0 {
				break
			}
			s, e := i+j, i+j+len(ln)
			if wordEdge(text, s, true) && wordEdge(text, e, false) {
				edits = append(edits, edit{toRune[s], toRune[e], placeholder("NAME", text[s:e])})
			}
			i = e
		}
	}
	for _, m := range prompts.DelimiterIndexes(text) {
		// Escape only the "<", as HTML would: the model still reads the text.
		edits = append(edits, edit{toRune[m[0]], toRune[m[0]] + 1, "&lt;"})
	}
	if len(withheld) > 0 {
		// Withheld text wins over any edit it overlaps.
		kept := edits[:0]
		for _, e := range edits {
			if !overlapsAny(e.start, e.end, withheld) {
				kept = append(kept, e)
			}
		}
		edits = kept
		for _, w := range withheld {
			edits = append(edits, edit{w.Start, w.End, withheldText})
		}
	}
	return newView(text, edits)
}

func overlapsAny(start, end int, spans []analyzer.Span) bool {
	for _, s := range spans {
		if start < s.End && s.Start < end {
			return true
		}
	}
	return false
}

// wordEdge reports whether byte offset i of text is a word boundary on the
// given side (before a word when before is true).
func wordEdge(text string, i int, before bool) bool {
	var r rune
	if before {
		if i == 0 {
			return true
		}
		r, _ = utf8.DecodeLastRuneInString(text[:i])
	} else {
		if i == len(text) {
			return true
		}
		r, _ = utf8.DecodeRuneInString(text[i:])
	}
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// runeOffsets maps every byte offset of text (0..len) that starts a rune, and
// len(text), to its code-point offset.
func runeOffsets(text string) []int {
	m := make([]int, len(text)+1)
	n := 0
	for i := range text {
		m[i] = n
		n++
	}
	m[len(text)] = n
	return m
}
