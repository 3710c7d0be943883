package injection

import (
	"unicode"
	"unicode/utf8"
)

// normText is an answer folded for matching: lower case, full-width Latin
// and curly quotes as ASCII, zero-width and soft-hyphen characters dropped,
// every run of white space one space (one line break if it holds one).
type normText struct {
	text string // the original
	s    string
	// at maps each byte of s back to the byte of the original text its
	// character came from (at[len(s)] is the original length), so that a
	// match in s names a stretch of the original. It is built only when
	// something is found (most answers have nothing to map back).
	at []int
}

func normalize(text string) normText {
	s, _ := fold1(text, false)
	return normText{text: text, s: s}
}

// fold1 folds text, with the byte map when withMap is set.
func fold1(text string, withMap bool) (string, []int) {
	b := make([]byte, 0, len(text))
	var at []int
	if withMap {
		at = make([]int, 0, len(text)+1)
	}
	space := true // drop leading space
	for i := 0; i < len(text); {
		c := text[i]
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
			r = fold(r)
		} else if 'A' <= c && c <= 'Z' {
			r += 'a' - 'A'
		}
		switch {
		case r == -1:
			// dropped
		case r == ' ' || r == '\n' || r == '\t' || r == '\r' || (r >= utf8.RuneSelf && unicode.IsSpace(r)) || r == '\v' || r == '\f':
			// A run of white space is one space, or one line break when it
			// holds one: line breaks end sentences.
			switch {
			case !space:
				c := byte(' ')
				if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' {
					c = '\n'
				}
				b = append(b, c)
				if withMap {
					at = append(at, i)
				}
				space = true
			case (r == '\n' || r == '\r') && len(b) > 0 && b[len(b)-1] == ' ':
				b[len(b)-1] = '\n'
			}
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
			if withMap {
				at = append(at, i)
			}
			space = false
		default:
			n := len(b)
			b = utf8.AppendRune(b, r)
			if withMap {
				for range len(b) - n {
					at = append(at, i)
				}
			}
			space = false
		}
		i += size
	}
	if withMap {
		at = append(at, len(text))
	}
	return string(b), at
}

// fold maps one character to what the patterns expect; -1 drops it.
func fold(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r == utf8.RuneError:
		return ' '
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII (ＡＩ)
		return unicode.ToLower(r - 0xFF01 + 0x21)
	case r == 0x3000: // ideographic space
		return ' '
	}
	switch r {
	case '\u2018', '\u2019', '\u201B', '\u2032', '\u00B4', '\u0060':
		return '\''
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u00AB', '\u00BB', '\u2033':
		return '"'
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return '-'
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u180E':
		return -1 // invisible: a word split by one still reads as the word
	}
	if unicode.Is(unicode.Cf, r) {
		return -1
	}
	return unicode.ToLower(r)
}

// orig returns the original byte range of the normalised range [a, b).
func (n *normText) orig(a, b int) (int, int) {
	if n.at == nil {
		_, n.at = fold1(n.text, true)
	}
	if b <= a {
		return n.at[a], n.at[a]
	}
	// The end is just past the last original character in the range.
	last := n.at[b-1]
	_, size := utf8.DecodeRuneInString(n.text[last:])
	return n.at[a], last + size
}
