package heuristic

import (
	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
)

// questionTopics indexes the topic words of a question's areas by lemma and
// by WordNet concept, so that an answer's words are related to every area in
// one pass: each distinct word of the answer costs a few map look-ups,
// whatever the number of areas. Built once per question and cached.
type questionTopics struct {
	areas   []areaInfo // with topic weights for this question
	offset  []int      // offset of area i's words in the flat word list
	words   int        // topic words over all areas
	byLemma map[string][]topicPost
	byConc  map[uint32][]topicPost
	// memo keeps each word's relations to this question's topic words
	// across answers (never modified once stored).
	memo *nlp.BoundedMap[string, []float64]
}

type topicPost struct {
	word  int // flat index over all areas' topic words
	level uint8
	claim bool
}

func (e *Engine) topics(q analyzer.Question) *questionTopics {
	key := q.Text + "\x00" + joinAreas(q.Areas)
	return e.questions.get(key, func() any { return e.buildTopics(q) }).(*questionTopics)
}

func (e *Engine) buildTopics(q analyzer.Question) *questionTopics {
	qt := &questionTopics{byLemma: map[string][]topicPost{}, byConc: map[uint32][]topicPost{},
		memo: nlp.NewBoundedMap[string, []float64](20_000)}
	topicW := e.topicWeights(q)
	for _, text := range q.Areas {
		a := e.area(text)
		a.content = reweight(a.content, topicW)
		if a.claim {
			// The question's own words (the debate's topic) say nothing
			// about which claim an answer makes.
			for k := range a.content {
				switch topicW[a.content[k].lemma] {
				case questionWordWeight:
					a.content[k].w = 0.05
				case sharedWordWeight:
					a.content[k].w = 0.2
				}
			}
		}
		qt.offset = append(qt.offset, qt.words)
		for _, c := range a.content {
			p := topicPost{word: qt.words, claim: a.claim}
			qt.byLemma[c.lemma] = append(qt.byLemma[c.lemma], p)
			for _, cc := range nlp.Concepts(c.lemma) {
				if cc.Level > 3 {
					continue
				}
				p.level = cc.Level
				qt.byConc[cc.ID] = append(qt.byConc[cc.ID], p)
			}
			qt.words++
		}
		qt.areas = append(qt.areas, a)
	}
	return qt
}

func joinAreas(areas []string) string {
	n := 0
	for _, a := range areas {
		n += len(a) + 1
	}
	b := make([]byte, 0, n)
	for _, a := range areas {
		b = append(b, a...)
		b = append(b, 0)
	}
	return string(b)
}

// answerTopics holds, for each distinct word of an answer, how closely it
// relates to each topic word of the question (1 the same lemma, WordNet
// closeness otherwise).
type answerTopics struct {
	qt   *questionTopics
	rel  map[string][]float64
	unit [][]string // the distinct topic-bearing lemmas of each unit
}

var levelRelation = [4]float64{0.9, 0.7, 0.4, 0.2}

func (qt *questionTopics) relate(af *answerFeat) *answerTopics {
	at := &answerTopics{qt: qt, rel: make(map[string][]float64, 256), unit: make([][]string, len(af.units))}
	var slab []float64
	for ui := range af.units {
		f := &af.units[ui]
		for _, l := range f.lemmas {
			if len(l) < 3 || stopwords[l] {
				continue
			}
			at.unit[ui] = append(at.unit[ui], l)
			if _, ok := at.rel[l]; ok {
				continue
			}
			if r, ok := qt.memo.Get(l); ok {
				at.rel[l] = r
				continue
			}
			var r []float64
			set := func(word int, v float64) {
				if r == nil {
					// Carve the vector out of one slab per answer.
					if len(slab) < qt.words {
						slab = make([]float64, max(qt.words*64, 1024))
					}
					r, slab = slab[:qt.words:qt.words], slab[qt.words:]
				}
				if v > r[word] {
					r[word] = v
				}
			}
			for _, p := range qt.byLemma[l] {
				set(p.word, 1)
			}
			for _, c := range nlp.Concepts(l) {
				if c.Level > 3 {
					continue
				}
				for _, p := range qt.byConc[c.ID] {
					v := levelRelation[max(c.Level, p.level)]
					if p.claim && v < 0.4 {
						// A claim is matched by its own words, their
						// synonyms and derivations, and words one step more
						// general; looser links relate too much to too much.
						continue
					}
					set(p.word, v)
				}
			}
			at.rel[l] = r // nil when the word relates to no topic word
			qt.memo.Put(l, r)
		}
	}
	return at
}

// closest returns, for each topic word of the question, how closely the
// given lemmas come to it (the best relation of any of them).
func (at *answerTopics) closest(lemmas [][]string) []float64 {
	best := make([]float64, at.qt.words)
	for _, ls := range lemmas {
		for _, l := range ls {
			if r := at.rel[l]; r != nil {
				for w, v := range r {
					if v > best[w] {
						best[w] = v
					}
				}
			}
		}
	}
	return best
}

// score returns how much a unit (given by closest) says area ai's topic
// words: their closeness, weighted and averaged.
func (at *answerTopics) score(ai int, best []float64) float64 {
	a := &at.qt.areas[ai]
	off := at.qt.offset[ai]
	total, wsum := 0.0, 0.0
	for k, c := range a.content {
		total += best[off+k] * c.w
		wsum += c.w
	}
	if wsum == 0 {
		return 0
	}
	return total / wsum
}

// said returns the share of the answer's topic-bearing words that relate to
// one of area ai's topic words: how much of what was said is the claim.
func (at *answerTopics) said(ai int, lemmas [][]string) float64 {
	off, n := at.qt.offset[ai], len(at.qt.areas[ai].content)
	total, count := 0.0, 0
	for _, ls := range lemmas {
		for _, l := range ls {
			count++
			r := at.rel[l]
			if r == nil {
				continue
			}
			best := 0.0
			for k := 0; k < n; k++ {
				best = max(best, r[off+k])
			}
			total += best
		}
	}
	if count == 0 {
		return 0
	}
	return total / float64(count)
}
