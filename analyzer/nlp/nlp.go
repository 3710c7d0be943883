// Package nlp holds the small pieces of language processing that Candor's
// embedded engine and question alignment share: tokens with code-point
// offsets, sentence and clause units, lemmas and word-meaning similarity.
//
// Everything here is deterministic and allocation-light, because the embedded
// engine must analyze an hour-long interview in milliseconds.
package nlp

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/lexicon"
)

// Token is one word or number of a text.
type Token struct {
	Text  string // as written
	Lower string // lower case, curly apostrophes made straight
	Lemma string // base form (lexicon.Lemma of Lower)
	// Start and End are code-point offsets into the text; ByteStart and
	// ByteEnd byte offsets.
	Start, End         int
	ByteStart, ByteEnd int
	Number             bool // digits, possibly with , . % $ : attached
	Cap                bool // starts with an upper-case letter
	Unit               int  // index of the unit (sentence or clause) it belongs to
}

// Unit is a sentence, or a clause of a long sentence: the grain of evidence.
type Unit struct {
	Start, End         int // code-point offsets, trimmed
	ByteStart, ByteEnd int
	First, Last        int // token index range [First, Last)
	SentenceStart      bool
}

// Doc is a tokenized text.
type Doc struct {
	Text   string
	Tokens []Token
	Units  []Unit
	// runeLen is the text's length in code points.
	RuneLen int
}

// UnitText returns a unit's text.
func (d *Doc) UnitText(u Unit) string { return d.Text[u.ByteStart:u.ByteEnd] }

// Parse tokenizes text and splits it into units. A caller done with the
// document may hand its arrays back with Release.
func Parse(text string) *Doc {
	d := docs.Get().(*Doc)
	d.Text = text
	if n := len(text)/5 + 1; cap(d.Tokens) < n {
		d.Tokens = make([]Token, 0, n)
	}
	// Words recur within a text: a small direct-mapped memo answers most
	// repeats before the shared cache is asked (a word whose slot another
	// word holds is asked again; lemmas are the same either way).
	var memo [256]struct{ lower, lemma string }
	cp := 0
	b := 0
	for b < len(text) {
		r, size := utf8.DecodeRuneInString(text[b:])
		if isWordRune(r) {
			startB, startCP := b, cp
			hasLetter := false
			for b < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[b:])
				// Combining marks belong to the letter before them ("e\u0301").
				if isWordRune(r2) || isMark(r2) {
					if unicode.IsLetter(r2) {
						hasLetter = true
					}
					b += s2
					cp++
					continue
				}
				// Keep inner apostrophes, hyphens, and number punctuation.
				if (r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.' || r2 == ',' || r2 == ':') && b+s2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[b+s2:])
					prev, _ := utf8.DecodeLastRuneInString(text[:b])
					if r2 == '\'' || r2 == '’' || r2 == '-' {
						if unicode.IsLetter(r3) && unicode.IsLetter(prev) {
							b += s2
							cp++
							continue
						}
					} else if unicode.IsDigit(r3) && unicode.IsDigit(prev) {
						b += s2
						cp++
						continue
					}
				}
				break
			}
			// Trailing % or leading $ belong to numbers.
			endB, endCP := b, cp
			if !hasLetter && b < len(text) && text[b] == '%' {
				endB++
				endCP++
				b++
				cp++
			}
			if !hasLetter && startB > 0 && (text[startB-1] == '$' || text[startB-1] == '#') {
				startB--
				startCP--
			}
			word := text[startB:endB]
			lower := lowerWord(word)
			first, _ := utf8.DecodeRuneInString(word)
			t := Token{Text: word, Lower: lower, Start: startCP, End: endCP, ByteStart: startB, ByteEnd: endB,
				Number: !hasLetter, Cap: unicode.IsUpper(first)}
			if hasLetter {
				e := &memo[(uint(len(lower))*131+uint(lower[0])*31+uint(lower[len(lower)-1]))&255]
				if e.lower != lower {
					e.lower, e.lemma = lower, lemma(lower)
				}
				t.Lemma = e.lemma
			} else {
				t.Lemma = lower
			}
			d.Tokens = append(d.Tokens, t)
			continue
		}
		b += size
		cp++
	}
	d.RuneLen = cp
	d.joinPhrasal()
	d.joinIdioms()
	d.splitUnits()
	return d
}

// docs keeps the arrays of released documents for the next Parse: an
// answer's tokens were the largest single allocation of the embedded
// engine's analysis.
var docs = sync.Pool{New: func() any { return new(Doc) }}

// Release hands d's token and unit arrays back for another Parse, cleared
// of what they held of the text. Neither d nor anything read from its
// Tokens or Units slices may be used afterwards (strings taken from the
// tokens and units copied out stay valid).
func (d *Doc) Release() {
	clear(d.Tokens)
	*d = Doc{Tokens: d.Tokens[:0], Units: d.Units[:0]}
	docs.Put(d)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isMark is unicode.Is(unicode.M, r), whose first mark is U+0300: the
// characters before it (every end of an ASCII word) skip the table search.
func isMark(r rune) bool { return r >= firstMark && unicode.Is(unicode.M, r) }

const firstMark = 0x300

func lowerWord(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 0x80 {
			ascii = false
			break
		}
		if c >= 'A' && c <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	return strings.ReplaceAll(strings.ToLower(w), "’", "'")
}

// contractions that WordNet does not know.
var contractionLemma = map[string]string{
	"i'm": "i", "i've": "i", "i'd": "i", "i'll": "i", "we're": "we", "we've": "we", "we'd": "we", "we'll": "we",
	"didn't": "do", "don't": "do", "doesn't": "do", "wasn't": "be", "weren't": "be", "isn't": "be", "aren't": "be",
	"couldn't": "can", "can't": "can", "wouldn't": "will", "won't": "will", "shouldn't": "shall", "hadn't": "have",
	"haven't": "have", "hasn't": "have", "it's": "it", "that's": "that", "there's": "there", "he's": "he", "she's": "she",
	"they're": "they", "they'd": "they", "they've": "they", "you're": "you", "you'd": "you", "you've": "you", "let's": "let",
	"what's": "what", "who's": "who",
	// function words morphy would turn into odd nouns
	"was": "be", "were": "be", "is": "be", "are": "be", "been": "be", "am": "be", "has": "have", "had": "have",
	"did": "do", "does": "do", "us": "we", "me": "i", "my": "i", "him": "he", "her": "she", "them": "they",
	"as": "as", "less": "less", "others": "other", "its": "it", "this": "this", "thus": "thus", "yes": "yes",
	"news": "news", "data": "data", "media": "media", "analytics": "analytics", "sales": "sales", "ops": "ops",
	"felt": "feel", "left": "leave", "saw": "see", "said": "say", "told": "tell", "heard": "hear", "found": "find",
	"made": "make", "got": "get", "went": "go", "took": "take", "gave": "give", "kept": "keep", "thought": "think",
	"knew": "know", "became": "become", "began": "begin", "brought": "bring", "built": "build", "spent": "spend",
	"sent": "send", "met": "meet", "led": "lead", "ran": "run", "sat": "sit", "wrote": "write", "rang": "ring",
	"fell": "fall", "rose": "rise", "grew": "grow", "won": "win", "lost": "lose", "drove": "drive", "chose": "choose",
	"spoke": "speak", "understood": "understand", "stood": "stand", "paid": "pay", "bought": "buy", "caught": "catch",
	"taught": "teach", "fought": "fight", "held": "hold", "dealt": "deal", "meant": "mean", "sold": "sell", "broke": "break",
	"forgot": "forget", "shook": "shake", "threw": "throw", "wore": "wear", "woke": "wake", "hung": "hang", "hid": "hide",
	"better": "better", "best": "best", "worse": "worse", "worst": "worst", "lesson": "lesson", "lessons": "lesson",
	"learned": "learn", "learnt": "learn", "training": "training", "feelings": "feeling", "feeling": "feeling",
	"meeting": "meeting", "meetings": "meeting", "morning": "morning", "evening": "evening", "during": "during",
	"following": "follow", "anything": "anything", "something": "something", "nothing": "nothing",
	"everything": "everything", "ending": "end", "outcomes": "outcome", "results": "result",
}

// lemmaCache remembers lemmas across texts: words recur from answer to
// answer. It stops growing at lemmaCacheMax entries, so hostile input cannot
// make it unbounded.
var lemmaCache = NewBoundedMap[string, string](100_000)

func lemma(lower string) string {
	if l, ok := lemmaCache.Get(lower); ok {
		return l
	}
	l := lemmaOf(lower)
	lemmaCache.Put(strings.Clone(lower), l)
	return l
}

func lemmaOf(lower string) string {
	if l, ok := contractionLemma[lower]; ok {
		return l
	}
	if i := strings.IndexByte(lower, '\''); i > 0 {
		// possessives and contractions: customer's -> customer
		lower = lower[:i]
	}
	return lexicon.Lemma(lower)
}

// phrasalVerbs maps a verb and its particle to a single-word verb of the same
// meaning, so that "picked up on" can match "noticed" and "found out" can
// match "discovered". Keys are verb lemma + " " + particle.
var phrasalVerbs = map[string]string{
	"pick up": "notice", "find out": "discover", "figure out": "understand", "work out": "solve", "sort out": "resolve",
	"come up": "arise", "deal with": "handle", "push back": "resist", "look into": "investigate", "reach out": "contact",
	"set up": "establish", "point out": "indicate", "bring up": "mention", "catch on": "understand", "follow up": "follow_up",
	"check in": "check_in", "turn around": "reverse", "give up": "abandon", "carry out": "perform", "roll out": "launch",
	"lay out": "explain", "talk through": "explain", "walk through": "explain", "calm down": "calm", "cool down": "calm",
	"fill out": "complete", "go over": "review", "look at": "examine", "dig into": "investigate", "stand out": "notice",
	"tip off": "alert", "win over": "persuade", "bring around": "persuade", "come around": "accept", "buy in": "accept",
	"speak up": "speak", "step in": "intervene", "back up": "support", "break down": "analyze", "map out": "plan",
	"boil down": "reduce", "cut down": "reduce", "drop off": "decline", "go down": "decrease", "go up": "increase",
	"shut down": "close", "hand off": "transfer", "sign up": "enroll", "run into": "encounter",
}

// idioms map fixed expressions to a word of the same meaning, given to the
// expression's first word: "got ahead of" a problem is anticipating it.
// Written from general English usage, for the way people talk about work.
var idioms = map[string][]idiom{}

type idiom struct {
	rest  []string // the words after the first
	lemma string
}

func init() {
	for phrase, lemma := range map[string]string{
		"get ahead of": "anticipate", "got ahead of": "anticipate", "getting ahead of": "anticipate", "ahead of time": "proactive",
		"before they asked": "proactive", "before they ask": "proactive", "before they called": "proactive", "before they had to": "proactive",
		"opposite directions": "conflict", "different directions": "conflict", "at odds": "conflict", "pulled against": "conflict",
		"fell through the cracks": "gap", "falling through the cracks": "gap", "slipped through": "gap", "blind spot": "gap",
		"brushed off": "dismiss", "brushed aside": "dismiss", "not being listened to": "unheard", "not being heard": "unheard",
		"nobody was listening": "unheard", "no one was listening": "unheard", "went to bat for": "advocate", "stood up for": "advocate",
		"spoke up for": "advocate", "in their shoes": "empathy", "bad news": "news", "pushed back": "resist", "bought in": "accept",
		"the numbers": "data", "the data": "data", "people inside": "stakeholder", "internal teams": "stakeholder",
		"the rest of the company": "stakeholder", "senior leadership": "stakeholder", "nobody else": "other", "no one else": "other",
		"the rest of the team": "other", "rule of thumb": "policy", "by the book": "policy", "the rules": "policy",
		"one-size-fits-all": "consistency", "one size fits all": "consistency", "treated everyone the same": "consistency",
		"unhappy customer": "detractor", "negative view": "detractor", "bad review": "detractor", "would recommend": "promoter",
		"recommend us": "promoter", "walked away": "churn", "cancelled their": "churn",
	} {
		w := strings.Fields(phrase)
		idioms[w[0]] = append(idioms[w[0]], idiom{w[1:], lemma})
	}
}

// joinIdioms gives the first word of each idiom the idiom's meaning.
func (d *Doc) joinIdioms() {
	for i := range d.Tokens {
		for _, id := range idioms[d.Tokens[i].Lower] {
			if i+len(id.rest) >= len(d.Tokens) {
				continue
			}
			ok := true
			for k, w := range id.rest {
				if d.Tokens[i+1+k].Lower != w {
					ok = false
					break
				}
			}
			if ok {
				d.Tokens[i].Lemma = id.lemma
			}
		}
	}
}

// phrasal and particles index phrasalVerbs by (verb, particle).
var phrasal, particles = func() (map[[2]string]string, map[string]bool) {
	m, p := map[[2]string]string{}, map[string]bool{}
	for k, v := range phrasalVerbs {
		f := strings.Fields(k)
		m[[2]string{f[0], f[1]}] = v
		p[f[1]] = true
	}
	return m, p
}()

// joinPhrasal rewrites the lemma of a verb followed by its particle(s) to the
// single verb of phrasalVerbs; the particle keeps its own lemma.
func (d *Doc) joinPhrasal() {
	// Whether the next two tokens are particles, each token looked up once
	// as the window moves.
	isParticle := func(i int) bool { return i < len(d.Tokens) && particles[d.Tokens[i].Lower] }
	next, after := isParticle(1), isParticle(2)
	for i := 0; i+1 < len(d.Tokens); i, next, after = i+1, after, isParticle(i+3) {
		if !next && !after {
			continue
		}
		if v, ok := phrasal[[2]string{d.Tokens[i].Lemma, d.Tokens[i+1].Lower}]; ok {
			d.Tokens[i].Lemma = v
			continue
		}
		// "picked it up", "tipped me off": one pronoun between.
		if i+2 < len(d.Tokens) {
			switch d.Tokens[i+1].Lower {
			case "it", "me", "him", "her", "them", "us", "that", "this":
				if v, ok := phrasal[[2]string{d.Tokens[i].Lemma, d.Tokens[i+2].Lower}]; ok {
					d.Tokens[i].Lemma = v
				}
			}
		}
	}
}

// splitUnits splits the text into sentences, and sentences longer than
// maxUnitTokens into clauses at commas followed by a conjunction.
func (d *Doc) splitUnits() {
	const maxUnitTokens = 28
	text := d.Text
	toks := d.Tokens
	if len(toks) == 0 {
		return
	}
	first := 0
	for i := range toks {
		end := i == len(toks)-1
		if !end {
			// Sentence boundary: terminal punctuation between this token and
			// the next, followed by a space.
			gap := text[toks[i].ByteEnd:toks[i+1].ByteStart]
			prev := toks[i].Lower
			if i > 0 && text[toks[i-1].ByteEnd:toks[i].ByteStart] == "." {
				// "e.g.", "i.e.": dotted abbreviations come as one-letter tokens.
				prev = toks[i-1].Lower + "." + prev
			}
			if hasSentenceEnd(gap, prev) {
				end = true
			}
		}
		if end {
			d.addSentence(first, i+1, maxUnitTokens)
			first = i + 1
		}
	}
	for ui, u := range d.Units {
		for ti := u.First; ti < u.Last; ti++ {
			d.Tokens[ti].Unit = ui
		}
	}
}

var abbreviations = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "vs": true, "etc": true, "e.g": true, "i.e": true, "jr": true, "sr": true, "prof": true, "inc": true, "co": true, "no": false}

func hasSentenceEnd(gap, prev string) bool {
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '.':
			// A stop with no space after it is inside a word ("e.g", a URL).
			if abbreviations[prev] || gap == "." {
				return false
			}
			return true
		case '!', '?', '\n':
			return true
		}
	}
	return false
}

var clauseStarters = map[string]bool{"and": true, "but": true, "so": true, "because": true, "which": true, "then": true, "when": true, "while": true, "although": true, "though": true, "until": true}

func (d *Doc) addSentence(first, last, max int) {
	start := first
	sentStart := true
	for i := first; i < last; i++ {
		if i-start >= max/2 && i+1 < last && last-i > 4 {
			gap := d.Text[d.Tokens[i].ByteEnd:d.Tokens[i+1].ByteStart]
			if strings.ContainsAny(gap, ",;—–") && (clauseStarters[d.Tokens[i+1].Lower] || i-start >= max) {
				d.Units = append(d.Units, d.unit(start, i+1, sentStart))
				start = i + 1
				sentStart = false
			}
		}
	}
	d.Units = append(d.Units, d.unit(start, last, sentStart))
}

func (d *Doc) unit(first, last int, sentStart bool) Unit {
	a, b := d.Tokens[first], d.Tokens[last-1]
	u := Unit{Start: a.Start, End: b.End, ByteStart: a.ByteStart, ByteEnd: b.ByteEnd, First: first, Last: last, SentenceStart: sentStart}
	// Extend over closing punctuation and quotes so the quote reads well.
	for u.ByteEnd < len(d.Text) {
		r, s := utf8.DecodeRuneInString(d.Text[u.ByteEnd:])
		if r == '.' || r == '!' || r == '?' || r == '"' || r == '”' || r == '\'' || r == '’' || r == ')' {
			u.ByteEnd += s
			u.End++
			continue
		}
		break
	}
	return u
}

// HasWord reports whether text has a word: Words(text) > 0, without
// reading past the first one.
func HasWord(text string) bool {
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			return true
		}
		i += size
	}
	return false
}

// Words counts the words of a text (tokens with a letter or digit).
func Words(text string) int {
	n := 0
	in := false
	for i := 0; i < len(text); {
		var w bool
		if c := text[i]; c < utf8.RuneSelf {
			// ASCII fast path: most transcript text.
			w = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || in && c == '\''
			i++
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			w = isWordRune(r)
			i += size
		}
		// An apostrophe continues a word ("don't") but is none on its own.
		if w && !in {
			n++
		}
		in = w
	}
	return n
}
