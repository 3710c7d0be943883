package nlp

import (
	"math"
)

// Matcher scores how well a text says what each of a few fixed documents
// says (guide questions, say), in its own words: each document word counts
// when the text has the same lemma, or a word WordNet relates to it, weighted
// by how rare the word is among the documents. Scoring goes through an
// inverted index of concepts, so a text costs a few hundred map look-ups
// whatever the number of documents.
type Matcher struct {
	docs     []mdoc
	byLemma  map[string][]posting
	byConc   map[uint32][]posting
	ignore   map[string]bool
	maxWords int
}

// Scorer scores texts against a Matcher's documents. A Matcher is safe for
// concurrent use once built; a Scorer holds scratch space and is not.
type Scorer struct {
	m    *Matcher
	best [][]float64
	tmp  []float64
	turn []float64
}

// TurnSide returns, after Score, the share of the scored text's words that
// each document says: the other direction of the match.
func (s *Scorer) TurnSide() []float64 { return s.turn }

// NewScorer returns a Scorer for m.
func (m *Matcher) NewScorer() *Scorer {
	s := &Scorer{m: m, best: make([][]float64, len(m.docs)), tmp: make([]float64, len(m.docs)), turn: make([]float64, len(m.docs))}
	for i := range m.docs {
		s.best[i] = make([]float64, len(m.docs[i].lemmas))
	}
	return s
}

type mdoc struct {
	lemmas []string
	w      []float64
	total  float64
}

type posting struct {
	doc, word int
	level     uint8
}

var conceptWeight = [5]float64{0.9, 0.7, 0.4, 0.2, 0}

// NewMatcher indexes docs (each a text). Words in ignore (lemmas) never count.
func NewMatcher(docs []string, ignore map[string]bool) *Matcher {
	m := &Matcher{byLemma: map[string][]posting{}, byConc: map[uint32][]posting{}, ignore: ignore}
	df := map[string]int{}
	for _, text := range docs {
		d := mdoc{}
		seen := map[string]bool{}
		for _, t := range Parse(text).Tokens {
			l := t.Lemma
			if t.Number || len(l) < 3 || ignore[l] || seen[l] {
				continue
			}
			seen[l] = true
			d.lemmas = append(d.lemmas, l)
			df[l]++
		}
		m.docs = append(m.docs, d)
	}
	n := float64(len(docs))
	for di := range m.docs {
		d := &m.docs[di]
		d.w = make([]float64, len(d.lemmas))
		for wi, l := range d.lemmas {
			// Rare words identify a document; words in every one do not.
			d.w[wi] = math.Log(1 + n/float64(df[l]))
			d.total += d.w[wi]
			p := posting{doc: di, word: wi}
			m.byLemma[l] = append(m.byLemma[l], p)
			for _, c := range Concepts(l) {
				if c.Level > 3 {
					continue
				}
				p.level = c.Level
				m.byConc[c.ID] = append(m.byConc[c.ID], p)
			}
		}
		m.maxWords = max(m.maxWords, len(d.lemmas))
	}
	return m
}

// Len returns the number of documents.
func (m *Matcher) Len() int { return len(m.docs) }

// Score writes into out (len = Len() of the Matcher) (len = Len()) the share of each document's weighted
// words that lemmas says, in 0..1.
func (s *Scorer) Score(lemmas []string, out []float64) {
	m := s.m
	best := s.best
	for i := range best {
		clear(best[i])
	}
	clear(s.turn)
	nTurn := 0.0
	for _, l := range lemmas {
		if len(l) < 3 || m.ignore[l] {
			continue
		}
		clear(s.tmp)
		nTurn++
		for _, p := range m.byLemma[l] {
			best[p.doc][p.word] = 1
			s.tmp[p.doc] = 1
		}
		for _, c := range Concepts(l) {
			if c.Level > 3 {
				continue
			}
			for _, p := range m.byConc[c.ID] {
				w := conceptWeight[max(c.Level, p.level)]
				if w > best[p.doc][p.word] {
					best[p.doc][p.word] = w
				}
				s.tmp[p.doc] = max(s.tmp[p.doc], w)
			}
		}
		for d, w := range s.tmp {
			s.turn[d] += w
		}
	}
	if nTurn > 0 {
		for d := range s.turn {
			s.turn[d] /= nTurn
		}
	}
	for di := range m.docs {
		d := &m.docs[di]
		sum := 0.0
		for wi, b := range best[di] {
			sum += b * d.w[wi]
		}
		if d.total > 0 {
			out[di] = sum / d.total
		} else {
			out[di] = 0
		}
	}
}
