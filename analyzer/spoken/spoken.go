// Package spoken cleans the marks of speech and of crowd transcription out of
// a turn's text (fillers, stutters, false starts, bracketed events, loose
// spacing) for matching, keeping for every code point of the clean text its
// code-point offset in the original, so that quotes still come from what was
// said.
package spoken

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Text is a normalised text and where each of its code points came from.
type Text struct {
	Clean string
	// Map[i] is the code-point offset in the original of the i-th code
	// point of Clean; Map[len] is the original's length in code points.
	Map []int
}

// Original returns the code-point span [from, to) of the original that
// the clean span [i, j) came from.
func (t Text) Original(i, j int) (from, to int) {
	if i < 0 {
		i = 0
	}
	if j > len(t.Map)-1 {
		j = len(t.Map) - 1
	}
	if i >= j {
		return t.Map[j], t.Map[j]
	}
	return t.Map[i], t.Map[j-1] + 1
}

type kind uint8

const (
	word kind = iota
	space
	punct
	event // "(laughs)", "[inaudible]"
)

type token struct {
	kind       kind
	start, end int // code points of the original
	text       string
	lower      string
	drop       bool
}

// maxEvent bounds a bracketed event: longer brackets are kept as text.
const maxEvent = 40

// Normalize returns s without fillers (um, uh, er, "like" and "you know"
// between commas), bracketed events ("(laughs)", "[crosstalk]"), false
// starts ending in a hyphen ("swi- like we"), stutters ("I- I", "w-we") and
// repeated words ("the the"), with runs of blanks made one space and no
// blank before punctuation.
func Normalize(s string) Text {
	rd := read(s)
	defer rd.release()
	markDrops(rd.toks)
	return emit(rd.rs, rd.toks)
}

// reading is a text's code points, their byte offsets and its tokens: the
// scratch space of one Normalize or Blank, kept in a pool between calls
// (the tokens of an answer were over a third of the bytes the embedded
// engine allocated for it).
type reading struct {
	rs   []rune
	off  []int // byte offset of each code point, then the text's length
	toks []token
}

var readings = sync.Pool{New: func() any { return new(reading) }}

// read returns s's code points, offsets and tokens in a pooled reading;
// release hands it back.
func read(s string) *reading {
	rd := readings.Get().(*reading)
	rd.rs, rd.off = codePoints(s, rd.rs[:0], rd.off[:0])
	rd.toks = tokenize(rd.rs, s, rd.off, rd.toks[:0])
	return rd
}

// release clears what the reading holds of the text (its code points and
// the tokens' strings) and hands it back to the pool.
func (rd *reading) release() {
	clear(rd.rs)
	clear(rd.toks)
	readings.Put(rd)
}

// codePoints appends to rs the code points of s as []rune(s) gives them
// (one U+FFFD per invalid byte) and to off their byte offsets, then len(s).
func codePoints(s string, rs []rune, off []int) ([]rune, []int) {
	for i, r := range s {
		rs = append(rs, r)
		off = append(off, i)
	}
	return rs, append(off, len(s))
}

// tokenize appends to toks the tokens of rs, the code points of s, whose
// byte offsets are off: a word's or a mark's text is a piece of s, not a
// copy (words hold letters and digits only, so no invalid byte; a mark
// that is an invalid byte is compared with none of the marks read).
func tokenize(rs []rune, s string, off []int, toks []token) []token {
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			j := i
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			toks = append(toks, token{kind: space, start: i, end: j})
			i = j
		case r == '(' || r == '[':
			closer := ')'
			if r == '[' {
				closer = ']'
			}
			j := i + 1
			for j < len(rs) && j-i <= maxEvent && rs[j] != closer && rs[j] != '(' && rs[j] != '[' && rs[j] != '\n' {
				j++
			}
			if j < len(rs) && rs[j] == closer && isEvent(rs[i+1:j], r == '[') {
				toks = append(toks, token{kind: event, start: i, end: j + 1})
				i = j + 1
				continue
			}
			toks = append(toks, token{kind: punct, start: i, end: i + 1, text: s[off[i]:off[i+1]]})
			i++
		case isWordRune(r):
			j := i
			for j < len(rs) && (isWordRune(rs[j]) || isJoiner(rs[j]) && j+1 < len(rs) && isWordRune(rs[j+1])) {
				j++
			}
			// A word cut off by a hyphen ("swi-", "I-") keeps it: a false start.
			if j < len(rs) && rs[j] == '-' && (j+1 == len(rs) || !isWordRune(rs[j+1])) {
				j++
			}
			w := s[off[i]:off[j]]
			toks = append(toks, token{kind: word, start: i, end: j, text: w, lower: strings.ToLower(w)})
			i = j
		default:
			toks = append(toks, token{kind: punct, start: i, end: i + 1, text: s[off[i]:off[i+1]]})
			i++
		}
	}
	return toks
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
func isJoiner(r rune) bool   { return r == '\'' || r == '’' || r == '-' }

// isEvent reports a bracket's content that is a transcriber's note: any
// short square bracket, or a parenthesis that names a sound or a gap
// ("(laughs)", "(long pause)", "(clears throat)"), not an aside ("(the big
// one)").
func isEvent(in []rune, square bool) bool {
	if len(in) == 0 {
		return false
	}
	if square {
		return true
	}
	for _, w := range strings.Fields(strings.ToLower(string(in))) {
		if eventWords[strings.Trim(w, ".,;:!?")] {
			return true
		}
	}
	return false
}

var eventWords = map[string]bool{"laughs": true, "laugh": true, "laughing": true, "laughter": true, "chuckles": true, "chuckle": true,
	"chuckling": true, "giggles": true, "sighs": true, "sigh": true, "coughs": true, "cough": true, "pause": true, "pauses": true,
	"inaudible": true, "crosstalk": true, "unintelligible": true, "indistinct": true, "silence": true, "noise": true, "music": true,
	"applause": true, "throat": true, "overlapping": true, "static": true, "rings": true, "beeps": true, "muffled": true,
	"unclear": true, "sniffs": true, "smiles": true, "nods": true, "typing": true}

var fillers = map[string]bool{"um": true, "umm": true, "ummm": true, "uh": true, "uhh": true, "uhm": true, "uhhh": true,
	"er": true, "erm": true, "err": true, "ah": true, "ahh": true, "hmm": true, "hm": true, "mm": true, "mmm": true, "eh": true}

// isFiller reports um, ummmm, uhhh and the like, however many letters.
func isFiller(w string) bool {
	if !fillerLettersOnly(w) {
		return false // most words: no map look-up
	}
	if fillers[w] {
		return true
	}
	if len(w) < 3 {
		return false
	}
	squeezed := []byte{w[0]}
	for i := 1; i < len(w); i++ {
		if w[i] != w[i-1] {
			squeezed = append(squeezed, w[i])
		}
	}
	return fillers[string(squeezed)]
}

// fillerLettersOnly reports a word made only of letters that fillers'
// forms use: a filler, squeezed or not, has no other, and most words fail
// at their first letter without a map look-up.
func fillerLettersOnly(w string) bool {
	for i := 0; i < len(w); i++ {
		if !fillerLetters[w[i]] {
			return false
		}
	}
	return true
}

// fillerLetters are the bytes of fillers' keys.
var fillerLetters = func() (set [256]bool) {
	for k := range fillers {
		for i := 0; i < len(k); i++ {
			set[k[i]] = true
		}
	}
	return set
}()

// noRepeat are words that are correctly said twice ("that that", "had had").
var noRepeat = map[string]bool{"that": true, "had": true, "is": true, "do": true, "very": true, "really": true, "so": true, "no": true, "bye": true}

func markDrops(toks []token) {
	// next finds the first token after i that is neither a blank nor dropped;
	// each run of dropped tokens is scanned by the one kept token before it.
	next := func(i int) int {
		for j := i + 1; j < len(toks); j++ {
			if toks[j].kind != space && !toks[j].drop {
				return j
			}
		}
		return -1
	}
	// raw finds the token before i that is not a blank, dropped or not.
	raw := func(i int) int {
		for j := i - 1; j >= 0; j-- {
			if toks[j].kind != space {
				return j
			}
		}
		return -1
	}
	isComma := func(j int) bool { return j >= 0 && toks[j].kind == punct && toks[j].text == "," }
	boundary := func(j int) bool { return j < 0 || toks[j].kind == punct }
	for i := range toks {
		tk := &toks[i]
		switch tk.kind {
		case event:
			tk.drop = true
		case word:
			switch {
			case isFiller(tk.lower):
				tk.drop = true
				if n := next(i); isComma(n) {
					toks[n].drop = true
				}
			case strings.HasSuffix(tk.lower, "-"):
				tk.drop = true // a false start or a stutter: what follows is what was meant
			}
		}
	}
	lastKept := -1 // the last token before i that is neither a blank nor dropped
	for i := range toks {
		tk := &toks[i]
		if tk.kind != word || tk.drop {
			if tk.kind != space && !tk.drop {
				lastKept = i
			}
			continue
		}
		p, n := lastKept, next(i)
		if r := raw(i); r >= 0 && toks[r].drop {
			p = -1 // after a filler, an event or a false start: a clause starts again
		}
		switch tk.lower {
		case "like":
			// A filler between commas, at a clause start or after a false
			// start: "swi- like we taught", "it was, like, huge".
			if isComma(n) || boundary(p) && !(n >= 0 && toks[n].kind == word && (toks[n].lower == "a" || toks[n].lower == "the" || toks[n].lower == "to")) {
				tk.drop = true
				if isComma(n) {
					toks[n].drop = true
				}
			}
		case "you":
			if n >= 0 && toks[n].kind == word && toks[n].lower == "know" && !toks[n].drop {
				nn := next(n)
				if boundary(nn) && (boundary(p) || isComma(nn)) {
					tk.drop, toks[n].drop = true, true
					if isComma(nn) {
						toks[nn].drop = true
					}
				}
			}
		}
		// "w-we", "I-I": a hyphenated stutter keeps its last part.
		if k := strings.LastIndexByte(tk.lower, '-'); k > 0 && k < len(tk.lower)-1 {
			head, tail := tk.lower[:k], tk.lower[k+1:]
			if strings.HasPrefix(tail, head) && !strings.Contains(head, "-") {
				tk.start += len([]rune(tk.text[:k+1]))
				tk.text, tk.lower = tk.text[k+1:], tail
			}
		}
		// "the the": the first of a repeated word goes.
		if n >= 0 && toks[n].kind == word && toks[n].lower == tk.lower && !noRepeat[tk.lower] {
			tk.drop = true
		}
		if !tk.drop {
			lastKept = i
		}
	}
}

// emit writes the kept tokens: one space for any run of blanks and dropped
// tokens between two kept ones, none before punctuation that closes, and no
// comma repeated or opening the text.
func emit(rs []rune, toks []token) Text {
	var b strings.Builder
	m := make([]int, 0, len(rs)+1)
	pendingSpace := -1 // original offset of the blank to write, -1 for none
	lastPunct := ""
	wrote := false
	for i := range toks {
		tk := &toks[i]
		if tk.drop || tk.kind == event {
			if wrote && pendingSpace < 0 {
				pendingSpace = tk.start
			}
			continue
		}
		if tk.kind == space {
			if wrote && pendingSpace < 0 {
				pendingSpace = tk.start
			}
			continue
		}
		if tk.kind == punct {
			if tk.text == "," && (!wrote || lastPunct == "," || lastPunct == "." || lastPunct == "?" || lastPunct == "!") {
				continue // ", ," left by a dropped filler, or a comma opening the text
			}
			if closes(tk.text) {
				pendingSpace = -1
			}
		}
		if pendingSpace >= 0 {
			b.WriteByte(' ')
			m = append(m, pendingSpace)
			pendingSpace = -1
		}
		for k := tk.start; k < tk.end; k++ {
			b.WriteRune(rs[k])
			m = append(m, k)
		}
		wrote = true
		lastPunct = ""
		if tk.kind == punct {
			lastPunct = tk.text
		}
	}
	m = append(m, len(rs))
	return Text{Clean: b.String(), Map: m}
}

func closes(p string) bool {
	switch p {
	case ",", ".", "?", "!", ";", ":", ")", "]", "…":
		return true
	}
	return false
}

// backChannels are whole turns that only acknowledge: "Mmhmm.", "Uh-huh",
// "Ok great.", "Right, right."
var backChannels = map[string]bool{"mmhmm": true, "mhm": true, "mhmm": true, "mmhm": true, "mm-hm": true, "mm-hmm": true,
	"uh-huh": true, "uhhuh": true, "ok": true, "okay": true, "right": true, "yeah": true, "yes": true, "yep": true, "sure": true,
	"great": true, "good": true, "cool": true, "nice": true, "wow": true, "interesting": true, "i see": true, "got it": true,
	"gotcha": true, "alright": true, "all right": true, "perfect": true, "awesome": true, "oh": true, "ah": true, "wonderful": true,
	"excellent": true, "fantastic": true, "thanks": true, "thank you": true, "of course": true, "definitely": true, "totally": true,
	"makes sense": true, "that makes sense": true, "fair enough": true, "sounds good": true, "very good": true, "exactly": true}

// BackChannel reports a turn that only acknowledges what the other speaker
// says ("Mmhmm.", "Ok great.", "Uh-huh, right."): at most four phrases of
// acknowledgement, fillers and events, with no question.
func BackChannel(s string) bool {
	n := Normalize(s)
	if strings.ContainsRune(n.Clean, '?') {
		return false
	}
	parts := strings.FieldsFunc(strings.ToLower(n.Clean), func(r rune) bool {
		return r == ',' || r == '.' || r == '!' || r == ';' || r == '…'
	})
	if len(parts) == 0 {
		return strings.TrimSpace(s) != ""
	}
	if len(parts) > 4 {
		return false
	}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || backChannels[p] || isFiller(p) {
			continue
		}
		// "Ok great", "yeah yeah", "mm hm": every word an acknowledgement.
		for _, w := range strings.Fields(p) {
			if !backChannels[w] && !isFiller(w) && w != "hm" && w != "mm" {
				return false
			}
		}
	}
	return true
}

// Blank returns s with what Normalize takes out (fillers, bracketed events,
// false starts, stutters, repeated words) overwritten by blanks of the same
// UTF-8 length as each character (a space, a no-break space, an ideographic
// space, a tag space), so that every byte and code-point offset of the
// result is the same place in s: an analysis can read the result and quote
// s. It returns s itself when there is nothing to take out.
func Blank(s string) string {
	if !mayBlank(s) {
		return s
	}
	return blankAll(s)
}

func blankAll(s string) string {
	rd := read(s)
	defer rd.release()
	markDrops(rd.toks)
	off := rd.off
	var b []byte
	for _, tk := range rd.toks {
		if !tk.drop && tk.kind != event {
			continue
		}
		if b == nil {
			b = []byte(s)
		}
		for k := tk.start; k < tk.end; k++ {
			copy(b[off[k]:], blanks[off[k+1]-off[k]])
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

// mayBlank reports a text in which Blank may find something to take out,
// by one pass without allocating: a bracket (an event), a hyphen before a
// non-letter (a false start), a word of filler letters only ("um", "uhhh",
// "er"), "like" or "know", or a word said twice in a row. Most written
// answers have none, and Blank returns them as they are.
func mayBlank(s string) bool {
	prev, prevTail := "", ""
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '(' || c == '[':
			return true
		case c == '-':
			if i+1 == len(s) {
				return true
			}
			if r, _ := utf8.DecodeRuneInString(s[i+1:]); !isWordRune(r) {
				return true
			}
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !isWordRune(r) {
				i += n
				continue
			}
			j := i
			fillerLetters := true
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r) {
					// A joiner inside a word, as tokenize reads it.
					if !isJoiner(r) || j+n == len(s) {
						break
					}
					if r2, _ := utf8.DecodeRuneInString(s[j+n:]); !isWordRune(r2) {
						break
					}
				}
				if !strings.ContainsRune("umheraUMHERA", r) {
					fillerLetters = false
				}
				j += n
			}
			w := s[i:j]
			if fillerLetters || strings.EqualFold(w, "like") || strings.EqualFold(w, "know") || strings.EqualFold(w, prev) || strings.EqualFold(w, prevTail) {
				return true
			}
			// A hyphenated stutter ("w-we") is read as its last part, which
			// may repeat in the next word.
			prev, prevTail = w, w[strings.LastIndexByte(w, '-')+1:]
			i = j
		}
	}
	return false
}

// blanks are a blank of each UTF-8 length.
var blanks = [5]string{1: " ", 2: "\u00a0", 3: "\u3000", 4: "\U000E0020"}
