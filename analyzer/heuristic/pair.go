package heuristic

import (
	"math"
	"sort"

	"github.com/candorhq/candor/lexicon"

	"github.com/candorhq/candor/analyzer/semantic"
)

// Pair features: how much of an area (or a key point, or a guide question)
// a piece of the answer says. One function per feature, each a reading of
// the semantic matcher; the pair model (weights.json, "pair") turns them into
// the probability that the piece addresses the area. The same features serve
// claims (argument key points), the evidence of descriptive areas and the
// off-question check.

// areaText is an area read for matching: its words as written, with the
// words the question shares down-weighted (they say what the whole question
// is about, not what this area asks), and with the words its sibling areas
// share down-weighted (they cannot tell one area from another).
type areaText struct {
	plain, topical, distinct semantic.Text
	words                    int
}

// questionWordWeight and sharedWordWeight scale a word's weight when the
// question, or two or more sibling areas, use it. They are part of the
// feature definitions; the pair model learns how much each reading counts.
const (
	questionWordWeight = 0.3
	sharedWordWeight   = 0.5
)

func readAreaText(text string, question *semantic.Text, siblings []semantic.Text) areaText {
	plain := semantic.New(text)
	inQ := map[string]bool{}
	if question != nil {
		for _, w := range question.Words {
			inQ[w.Lemma] = true
		}
	}
	df := map[string]int{}
	for i := range siblings {
		seen := map[string]bool{}
		for _, w := range siblings[i].Words {
			if !seen[w.Lemma] {
				seen[w.Lemma] = true
				df[w.Lemma]++
			}
		}
	}
	topical := reweighted(plain, func(l string) float32 {
		if inQ[l] {
			return questionWordWeight
		}
		return 1
	})
	distinct := reweighted(plain, func(l string) float32 {
		f := float32(1)
		if inQ[l] {
			f = questionWordWeight
		}
		if df[l] >= 2 {
			f *= sharedWordWeight
		}
		return f
	})
	return areaText{plain: plain, topical: topical, distinct: distinct, words: len(plain.Words)}
}

func reweighted(t semantic.Text, f func(string) float32) semantic.Text {
	var out semantic.Text
	out.Add(append([]semantic.Word(nil), t.Words...)...)
	out.Reweight(f)
	return out
}

// PairFeatures names the pair model's features in order.
var PairFeatures = []string{
	"recall",          // Recall(area, piece): each area word's best match in the piece, vectors
	"recall_topical",  // the same with the question's own words down-weighted
	"recall_distinct", // and with words sibling areas share down-weighted too
	"overlap_topical", // the share of area words (topical weights) the piece uses as lemmas
	"wordnet_topical", // WordNet relatedness in place of vectors
	"reverse",         // Recall(piece, area): how much of the piece is the area
	"cosine",          // cosine of the weighted mean vectors
	"share70",         // topical weight of area words matched at cosine >= 0.7
	"weakest",         // how well the least-said third of the area is said
	"area_words",      // log(1 + content words of the area)
	"piece_words",     // log(1 + content words of the piece)
	// Margins over the question's other areas for the same piece: the
	// areas of one question compete for what a sentence says.
	"recall_topical_margin",  // recall_topical minus the best of the other areas
	"recall_distinct_margin", // recall_distinct minus the best of the other areas
	"cosine_margin",          // cosine minus the best of the other areas
}

// nBase is the number of features of one area and one piece alone.
const nBase = 11

// marginOf lists, for each margin feature, the base feature it compares.
var marginOf = [...]int{1, 2, 6}

// pairVectors computes PairFeatures for every area against one piece.
func pairVectors(areas []areaText, b *semantic.Text, c *simCache, out [][]float64) [][]float64 {
	out = out[:0]
	for i := range areas {
		out = append(out, pairVector(&areas[i], b, c, make([]float64, 0, len(PairFeatures))))
	}
	for i := range out {
		for _, f := range marginOf {
			m, ok := 0.0, false
			for j := range out {
				if j != i && (!ok || out[j][f] > m) {
					m, ok = out[j][f], true
				}
			}
			if !ok {
				m = out[i][f]
			}
			out[i] = append(out[i], out[i][f]-m)
		}
	}
	return out
}

// pairAlone computes PairFeatures for a text with no sibling areas (a
// question, a follow-up): every margin is 0.
func pairAlone(a *areaText, b *semantic.Text, c *simCache, x []float64) []float64 {
	x = pairVector(a, b, c, x)
	for range marginOf {
		x = append(x, 0)
	}
	return x
}

// simCache remembers word-to-word similarities within one analysis: an
// answer's words meet every area's words, so each pair is computed once.
type simCache struct {
	m map[[2]string][2]float32 // (area lemma/id, piece lemma/id) -> vector, WordNet
}

func newSimCache() *simCache { return &simCache{m: make(map[[2]string][2]float32, 256)} }

func (c *simCache) get(x, y *semantic.Word) (vec, wn float32) {
	if x.Lemma == y.Lemma {
		return 1, 1
	}
	k := [2]string{x.Lemma, y.Lemma}
	if v, ok := c.m[k]; ok {
		return v[0], v[1]
	}
	vec = semantic.Similarity(x, y)
	wn = float32(lexicon.Similarity(x.Lemma, y.Lemma))
	c.m[k] = [2]float32{vec, wn}
	return vec, wn
}

// pairVector computes PairFeatures for an area against a piece of text:
// the same numbers as semantic.Recall, Overlap, WordNetRecall and
// RecallProfile, from one pass over the word pairs.
func pairVector(a *areaText, b *semantic.Text, c *simCache, x []float64) []float64 {
	x = x[:0]
	n := len(a.plain.Words)
	if n == 0 || len(b.Words) == 0 {
		for range nBase {
			x = append(x, 0)
		}
		x[len(x)-2] = math.Log1p(float64(a.words))
		x[len(x)-1] = math.Log1p(float64(len(b.Words)))
		return x
	}
	var rec, recT, recD, ovT, wnT, share70, wP, wT, wD float64
	bestRev := make([]float32, len(b.Words))
	type bw struct{ s, w float32 }
	best := make([]bw, n)
	for i := range a.plain.Words {
		x := &a.plain.Words[i]
		bv, bn, ov := float32(0), float32(0), float32(0)
		for j := range b.Words {
			v, wn := c.get(x, &b.Words[j])
			if v > bv {
				bv = v
			}
			if wn > bn {
				bn = wn
			}
			if x.Lemma == b.Words[j].Lemma {
				ov = 1
			}
			if v > bestRev[j] {
				bestRev[j] = v
			}
		}
		pw, tw, dw := float64(x.Weight), float64(a.topical.Words[i].Weight), float64(a.distinct.Words[i].Weight)
		rec += pw * float64(bv)
		recT += tw * float64(bv)
		recD += dw * float64(bv)
		ovT += tw * float64(ov)
		wnT += tw * float64(bn)
		if bv >= 0.7 {
			share70 += tw
		}
		wP, wT, wD = wP+pw, wT+tw, wD+dw
		best[i] = bw{bv, float32(tw)}
	}
	rev, wR := 0.0, 0.0
	for j := range b.Words {
		rev += float64(b.Words[j].Weight * bestRev[j])
		wR += float64(b.Words[j].Weight)
	}
	// The least-said third of the area, by topical weight.
	sort.Slice(best, func(i, j int) bool { return best[i].s < best[j].s })
	acc, tw := 0.0, 0.0
	for _, e := range best {
		if tw >= wT/3 {
			break
		}
		acc += float64(e.s * e.w)
		tw += float64(e.w)
	}
	weakest := 0.0
	if tw > 0 {
		weakest = acc / tw
	}
	x = append(x,
		div(rec, wP), div(recT, wT), div(recD, wD), div(ovT, wT), div(wnT, wT),
		div(rev, wR), semantic.Cosine(&a.plain, b), div(share70, wT), weakest,
		math.Log1p(float64(a.words)), math.Log1p(float64(len(b.Words))),
	)
	return x
}

func div(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// ClaimPairVectors returns the pair features of one key point (or area)
// against an argument (or answer), read as the engine reads them: the
// question text down-weights the area's words it shares, siblings are the
// question's other areas. The training command uses it, so training and
// analysis compute the same numbers.
func ClaimPairVectors(question string, areas []string, answer string) [][]float64 {
	q := semantic.New(question)
	sib := make([]semantic.Text, len(areas))
	for i, a := range areas {
		sib[i] = semantic.New(a)
	}
	b := semantic.New(answer)
	c := newSimCache()
	ats := make([]areaText, len(areas))
	for i, a := range areas {
		others := append(append([]semantic.Text(nil), sib[:i]...), sib[i+1:]...)
		ats[i] = readAreaText(a, &q, others)
	}
	return pairVectors(ats, &b, c, nil)
}
