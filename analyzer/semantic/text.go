package semantic

import (
	"math"
	"strings"

	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/lexicon"
)

// Word is one content word of a text.
type Word struct {
	Lemma string
	// ID is the vector of the word as written, or of its lemma when the
	// written form is not in the table; NoID when neither is.
	ID     ID
	Weight float32
	// Token is the word's index in the nlp.Doc it came from (-1 if none).
	Token int
	// lex is the lemma's entry in the WordNet table plus one (Lex), 0
	// when not looked up yet.
	lex int32
}

// Lex returns the lemma's entry in the WordNet table (lexicon.Index): looked
// up once for a word read from text, whose reading is memoised.
func (w *Word) Lex() int32 {
	if w.lex != 0 {
		return w.lex - 1
	}
	return lexicon.Index(w.Lemma)
}

// Text is what a piece of text is compared by: its content words, weighted
// by rarity, and their weighted mean vector.
type Text struct {
	Words []Word
	sif   [Dim]float32
	norm  float32
}

// Empty reports a text with no content words.
func (t *Text) Empty() bool { return len(t.Words) == 0 }

// New reads a text's content words.
func New(s string) Text {
	doc := nlp.Parse(s)
	return FromTokens(doc.Tokens, 0, len(doc.Tokens))
}

// FromTokens reads the content words of toks[first:last]. Numbers,
// stopwords and one-letter words are left out.
func FromTokens(toks []nlp.Token, first, last int) Text {
	return FromTokensFunc(toks, first, last, nil)
}

// FromTokensFunc is FromTokens without the content words whose token index
// skip reports (nil skips none).
func FromTokensFunc(toks []nlp.Token, first, last int, skip func(i int) bool) Text {
	var t Text
	for i := first; i < last; i++ {
		tok := &toks[i]
		if w, ok := contentWord(tok); ok && (skip == nil || !skip(i)) {
			w.Token = i
			t.Words = append(t.Words, w)
		}
	}
	t.finish()
	return t
}

// TextOf is the text of the given words, which it keeps (the caller must not
// change them afterwards).
func TextOf(words []Word) Text {
	t := Text{Words: words}
	t.finish()
	return t
}

// Add appends words of another text (a follow-up's words to a question's,
// say) and recomputes the mean vector.
func (t *Text) Add(words ...Word) {
	t.Words = append(t.Words, words...)
	t.finish()
}

// Reweight multiplies the weight of every word for which f returns a
// factor other than 1 (words a whole question shares, for instance).
func (t *Text) Reweight(f func(lemma string) float32) {
	for i := range t.Words {
		t.Words[i].Weight *= f(t.Words[i].Lemma)
	}
	t.finish()
}

func (t *Text) finish() {
	t.sif = [Dim]float32{}
	for _, w := range t.Words {
		AddTo(&t.sif, w.ID, w.Weight)
	}
	n := float32(0)
	for _, x := range t.sif {
		n += x * x
	}
	t.norm = float32(math.Sqrt(float64(n)))
}

// wordCache memoises the reading of a content word by its lower-case form;
// a reading holds for the lemma it was made with (a phrasal verb or an
// idiom gives a word another lemma at one place: that reading is kept in
// otherWords). One string is hashed, not two.
var wordCache = nlp.NewBoundedMap[string, Word](200_000)

// ContentWord returns a token's reading as FromTokens gives it (with Token
// -1), false for a token FromTokens leaves out (a number, a stopword, a
// one-letter word). It depends on the token's Lower, Lemma and Number only.
func ContentWord(tok *nlp.Token) (Word, bool) {
	w, ok := contentWord(tok)
	w.Token = -1
	return w, ok
}

func contentWord(tok *nlp.Token) (Word, bool) {
	lw, lm := tok.Lower, tok.Lemma
	if tok.Number || len(lw) < 2 || stopwords[lw] || stopwords[lm] {
		return Word{}, false
	}
	w, ok := wordCache.Get(lw)
	switch {
	case !ok:
		w = readWord(lw, lm)
		wordCache.Put(strings.Clone(lw), w) // not a piece of an answer's text
	case w.Lemma != lm:
		// The word's other lemma, kept by both.
		if w, ok = otherWords.Get([2]string{lw, lm}); !ok {
			w = readWord(lw, lm)
			otherWords.Put([2]string{strings.Clone(lw), strings.Clone(lm)}, w)
		}
	}
	return w, true
}

// otherWords holds the reading of a word with another lemma than the one
// wordCache keeps for it.
var otherWords = nlp.NewBoundedMap[[2]string, Word](20_000)

// readWord reads a content word: its vector (of the word as written, else
// of its lemma, else of the word before an apostrophe), weight and WordNet
// entry.
func readWord(lw, lm string) Word {
	id := Lookup(lw)
	if id == NoID {
		id = Lookup(lm)
	}
	if id == NoID && strings.IndexByte(lw, '\'') > 0 {
		id = Lookup(lw[:strings.IndexByte(lw, '\'')])
	}
	return Word{Lemma: lm, ID: id, Weight: Weight(id), Token: -1, lex: lexicon.Index(lm) + 1}
}

// Similarity of two words: 1 for one lemma, otherwise the cosine of their
// vectors above what the two words share with words in general (their mean
// Hub), rescaled to 0..1: "because" is near "decision" and "pressure" only
// as it is near everything. The engine matches with it; with it in place of
// PlainSimilarity, ArgKP dev strict mAP rose from 0.471 to 0.488 and the
// pair model's train mAP from 0.390 to 0.405 (analyzer/heuristic/README.md).
func Similarity(a, b *Word) float32 {
	if a.Lemma == b.Lemma {
		return 1
	}
	c := Cos(a.ID, b.ID)
	m := (Hub(a.ID) + Hub(b.ID)) / 2
	if c <= m {
		return 0
	}
	return (c - m) / (1 - m)
}

// PlainSimilarity of two words: 1 for one lemma, otherwise the cosine of
// their vectors (negative cosines count as 0). The guide lint's cut-offs
// are fitted on it (guide/lint.go).
func PlainSimilarity(a, b *Word) float32 {
	if a.Lemma == b.Lemma {
		return 1
	}
	return max(Cos(a.ID, b.ID), 0)
}

// Cosine is the cosine of two texts' weighted mean vectors.
func Cosine(a, b *Text) float64 {
	if a.norm == 0 || b.norm == 0 {
		return 0
	}
	s := float32(0)
	for i := range a.sif {
		s += a.sif[i] * b.sif[i]
	}
	return float64(s / (a.norm * b.norm))
}

// Cosines sets out[k] to Cosine(as[k], b). Four at a time: each sum runs
// over the components in order, as Cosine's does, so the numbers are
// Cosine's; four sums side by side do not wait on one another.
func Cosines(as []*Text, b *Text, out []float64) {
	out = out[:len(as)]
	k := 0
	for ; k+4 <= len(as); k += 4 {
		a0, a1, a2, a3 := &as[k].sif, &as[k+1].sif, &as[k+2].sif, &as[k+3].sif
		var s0, s1, s2, s3 float32
		for i := range b.sif {
			y := b.sif[i]
			s0 += a0[i] * y
			s1 += a1[i] * y
			s2 += a2[i] * y
			s3 += a3[i] * y
		}
		for j, s := range [4]float32{s0, s1, s2, s3} {
			a := as[k+j]
			out[k+j] = 0
			if a.norm != 0 && b.norm != 0 {
				out[k+j] = float64(s / (a.norm * b.norm))
			}
		}
	}
	for ; k < len(as); k++ {
		out[k] = Cosine(as[k], b)
	}
}

// Recall is how much of a is said in b: for each word of a, its best
// similarity with a word of b, weighted by a's word weights.
func Recall(a, b *Text) float64 { return RecallWith(a, b, Similarity) }

// RecallWith is Recall with another word similarity.
func RecallWith(a, b *Text, sim func(x, y *Word) float32) float64 { return align(a, b, sim) }

// Overlap is the weighted share of a's words whose lemma b uses.
func Overlap(a, b *Text) float64 {
	return align(a, b, func(x, y *Word) float32 {
		if x.Lemma == y.Lemma {
			return 1
		}
		return 0
	})
}

// WordNetRecall is Recall with WordNet's relatedness (package lexicon)
// instead of vectors.
func WordNetRecall(a, b *Text) float64 {
	return align(a, b, func(x, y *Word) float32 {
		if x.Lemma == y.Lemma {
			return 1
		}
		return float32(lexicon.Similarity(x.Lemma, y.Lemma))
	})
}

func align(a, b *Text, sim func(x, y *Word) float32) float64 {
	if len(a.Words) == 0 || len(b.Words) == 0 {
		return 0
	}
	total, wsum := float32(0), float32(0)
	for i := range a.Words {
		best := float32(0)
		for j := range b.Words {
			if s := sim(&a.Words[i], &b.Words[j]); s > best {
				best = s
				if best >= 1 {
					break
				}
			}
		}
		total += best * a.Words[i].Weight
		wsum += a.Words[i].Weight
	}
	if wsum == 0 {
		return 0
	}
	return float64(total / wsum)
}

// Profile describes how a's words are found in b: the weighted share whose
// best similarity reaches 0.5 and 0.7, and the weighted mean of the worst
// third (how well the least-said words are said).
type Profile struct {
	Share50, Share70, Weakest float64
}

// RecallProfile computes Profile for a against b.
func RecallProfile(a, b *Text) Profile { return RecallProfileWith(a, b, Similarity) }

// RecallProfileWith is RecallProfile with another word similarity.
func RecallProfileWith(a, b *Text, sim func(x, y *Word) float32) Profile {
	var p Profile
	if len(a.Words) == 0 || len(b.Words) == 0 {
		return p
	}
	type ws struct{ s, w float32 }
	best := make([]ws, len(a.Words))
	wsum := float32(0)
	for i := range a.Words {
		bs := float32(0)
		for j := range b.Words {
			if s := sim(&a.Words[i], &b.Words[j]); s > bs {
				bs = s
			}
		}
		w := a.Words[i].Weight
		best[i] = ws{bs, w}
		wsum += w
		if bs >= 0.5 {
			p.Share50 += float64(w)
		}
		if bs >= 0.7 {
			p.Share70 += float64(w)
		}
	}
	if wsum == 0 {
		return Profile{}
	}
	p.Share50 /= float64(wsum)
	p.Share70 /= float64(wsum)
	// Weakest third by weight.
	for i := 1; i < len(best); i++ {
		for j := i; j > 0 && best[j].s < best[j-1].s; j-- {
			best[j], best[j-1] = best[j-1], best[j]
		}
	}
	acc, tw := float32(0), float32(0)
	for _, b := range best {
		if tw >= wsum/3 {
			break
		}
		acc += b.s * b.w
		tw += b.w
	}
	if tw > 0 {
		p.Weakest = float64(acc / tw)
	}
	return p
}

// Direction is the unit vector of t's weighted mean vector; ok is false for
// a text with no vector (no content word the table knows).
func Direction(t *Text) (d [Dim]float32, ok bool) {
	if t.norm == 0 {
		return d, false
	}
	for i, x := range t.sif {
		d[i] = x / t.norm
	}
	return d, true
}

// CosineDir is the cosine of t's weighted mean vector with d, a unit
// vector (Direction's, or a prototype's); 0 for a text with no vector.
func CosineDir(t *Text, d *[Dim]float32) float64 {
	if t.norm == 0 {
		return 0
	}
	// Four sums side by side (Dim is a multiple of 4): none waits on
	// another.
	var s0, s1, s2, s3 float32
	for i := 0; i < Dim; i += 4 {
		s0 += t.sif[i] * d[i]
		s1 += t.sif[i+1] * d[i+1]
		s2 += t.sif[i+2] * d[i+2]
		s3 += t.sif[i+3] * d[i+3]
	}
	return float64((s0 + s1 + s2 + s3) / t.norm)
}
