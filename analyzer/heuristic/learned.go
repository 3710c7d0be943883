package heuristic

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/semantic"
	"github.com/candorhq/candor/lexicon"
)

// The decisions of coverage: text -> features (pair.go, and the kinds of
// content of cues.go) -> models (weights.json) -> statuses and evidence.
//
// For every area and every unit (sentence or clause) of the answer:
//   pair      P(the unit says what the area asks), the pair model
//   evidence  P(the unit is the one to quote for the area), the evidence
//             model over the pair probability, the unit's kind of content
//             and its place among the answer's units
// For every area: the coverage model (ordinal: missing < partial < covered)
// over the area's best units, the answer's length and specificity.
// A claim (an argument's key point rather than a description of content) is
// decided by its pair probability alone.

// EvidenceFeatures names the evidence model's features in order.
var EvidenceFeatures = []string{
	"pair",       // the unit's pair probability for the area
	"pair_gap",   // minus the best pair probability among the answer's units
	"pair_mean",  // minus the mean pair probability over the answer's units
	"kind_head",  // the unit shows the area's head kind of content (0..1)
	"kind_any",   // the unit shows any kind the area names (0..1, later kinds weigh 0.6)
	"kind_gap",   // kind_head minus the best kind_head among the units
	"content",    // log(1 + content words of the unit)
	"generic",    // the unit is a habit or a hypothetical
	"hedged",     // the unit is hedged
	"position",   // the unit's place in the answer, 0 first .. 1 last
	"speech",     // the unit reports speech
	"first_sing", // the unit has a first-person singular subject
	// Where an area's content is told: a situation opens a story, its end
	// and lessons close it.
	"position_x_opening", // position, for an area that asks for the situation or what led to it
	"position_x_closing", // position, for an area that asks for an outcome, follow-up, lesson or measure
	// Areas compete for a sentence: the one it fits best among the
	// question's areas.
	"pair_margin_areas", // pair minus the best pair probability of another area for the unit
	"kind_margin_areas", // kind_any minus the best any-kind score of another area for the unit
}

// QuoteFeatures names the quote model's features: the evidence features
// and where the area stands among the question's areas, since guides list
// areas in the order a story tells them (the situation first, the lesson
// last). The quote model only picks the sentence shown; coverage reads the
// evidence model (with this feature it lost held-out agreement).
var QuoteFeatures = append(append([]string(nil), EvidenceFeatures...),
	"order_gap", // |the unit's place in the answer - the area's place among the question's areas|, both 0..1
)

// QuoteProtoFeatures names the features of the quote model for an area
// with a prototype (prototype.go): the quote features and the unit's
// cosine with the prototype, alone and less the best unit's.
var QuoteProtoFeatures = append(append([]string(nil), QuoteFeatures...),
	"proto",     // the cosine of the unit's mean vector with the area's prototype
	"proto_gap", // minus the best such cosine among the answer's units
)

// CoverageFeatures names the coverage model's features in order.
var CoverageFeatures = []string{
	"pair_max",         // the best unit's pair probability
	"pair_second",      // the second best
	"pair_answer",      // the pair probability of the whole answer
	"evidence_max",     // the best unit's evidence probability
	"evidence_count",   // units with evidence probability >= 0.5, over 4
	"kind_max",         // the best head-kind score of any unit
	"kind_concrete",    // the best head-kind score of a unit that is no habit or hypothetical
	"kind_units",       // units with head-kind score >= 0.5, over 4
	"has_kinds",        // the area names kinds of content (1) or only a topic (0)
	"answer_words",     // log(1 + words of the answer), less log(the question's areas) for an area
	"specificity",      // the answer's specificity, over 100
	"not_particular",   // the area asks for "the specific ..." and no particular episode is told
	"evidence_generic", // the quoted unit is a habit or a hypothetical
	"result_generic",   // ... and the area asks for a result, follow-up or measure
	"kind_any_max",     // the best any-kind score of any unit
	"pair_kind_max",    // the best product of pair probability and any-kind score
	"evidence_pair",    // the quoted unit's pair probability
	"evidence_kind",    // the quoted unit's any-kind score
	// Against the question's other areas in the same answer: an answer
	// that is long and concrete lifts every area; these say which areas
	// it lifts most.
	"pair_max_vs_areas",     // pair_max minus its mean over the areas
	"evidence_max_vs_areas", // evidence_max minus its mean over the areas
	"kind_any_vs_areas",     // kind_any_max minus its mean over the areas
	// Length and concreteness count through what the answer says of the
	// area: a long, concrete answer about something else covers nothing.
	"words_x_pair",     // answer_words * pair_max
	"words_x_kind",     // answer_words * kind_any_max
	"specific_x_pair",  // specificity * pair_max
	"specific_x_kind",  // specificity * kind_any_max
	"words_x_evidence", // answer_words * evidence_max
	// How often labelled answers cover areas of this head kind (learned by
	// the training command: Weights.CoverageKindPrior): some kinds (a
	// lesson, what they would do next time, a measure) are left out far
	// more often than others (the situation, the customer's feelings).
	"kind_prior",
}

// CoverageRising names the coverage features whose weight the training
// command holds at zero or above (fit.OrdinalMonotone): how well the
// answer's units match the area and show its kinds of content. More of
// what an area asks for never lowers its status (the interactions with
// answer_words excepted where that is below 0: an answer of fewer words
// than its question has areas). Fitted freely, the matches' weights came
// out below zero beside their interactions with length, so an area
// nothing in the answer matches ("the chess opening they favour", planted
// in guide/testdata/reach) scored as high as one the answer plainly covers.
var CoverageRising = []string{
	"pair_max", "pair_second", "pair_answer", "evidence_max", "evidence_count",
	"kind_max", "kind_concrete", "kind_units", "kind_any_max", "pair_kind_max",
	"evidence_pair", "evidence_kind", "pair_max_vs_areas", "evidence_max_vs_areas",
	"kind_any_vs_areas", "words_x_pair", "words_x_kind", "specific_x_pair",
	"specific_x_kind", "words_x_evidence",
}

// nCoverageOwn is the number of coverage features of an area alone.
const nCoverageOwn = 18

// Claim decisions on the calibrated pair probability: covered when the
// claim is more likely made than not; partial when it has at least a one in
// four chance (the pair model's reliability table on ArgKP dev is in the
// engine's README).
const (
	claimCovered = 0.5
	claimPartial = 0.25
)

// qSem is a question read for matching, cached per question.
type qSem struct {
	question areaText      // the question itself, as an area (off-question check)
	whole    semantic.Text // the question and its areas as one text
	areas    []areaText
	info     []areaInfo
	// followUp[ai][fi] is the pair probability that follow-up fi asks
	// for area ai, computed when first needed (followUpProbs).
	followUp [][]float64
	fuOnce   sync.Once
	// asksEpisode: the question asks for a particular occasion
	// (asksEpisode, read once per question: its regular expressions cost
	// more than the rest of the delivery verdict).
	asksEpisode bool
	// rubric holds the rubric words of its areas (rubric.go).
	rubric map[string]bool
	// vocab numbers the words of the question, its areas and the whole.
	vocab    *vocab
	wholeIdx []int32
	wholeSet []int32 // wholeIdx's distinct places
	// placed is the number of areas, from the first, that have a place in
	// the order a story is told (guides list areas in that order): all of
	// a question's own, none of the depth signals after them in ext.
	placed int
	// ext is the question with its depth signals as extra areas
	// (depth.go), nil without signals. Its vocabulary numbers this one's
	// words the same way and the signals' after them, so one similarity
	// matrix of an answer serves both passes.
	ext *qSem
}

func (e *Engine) questionSem(q analyzer.Question) *qSem {
	key := q.Text + "\x00" + joinAreas(q.Areas) + "\x00" + joinAreas(q.FollowUps)
	for _, d := range q.Depth {
		key += "\x00" + d.Text
	}
	return e.questions.get(key, func() any {
		s := e.readQuestionSem(q, nil)
		if len(q.Depth) > 0 {
			s.ext = e.readQuestionSem(withDepth(q), s.vocab)
			s.ext.placed = len(q.Areas)
		}
		return s
	}).(*qSem)
}

// readQuestionSem reads a question for matching. Its vocabulary starts
// with base's words, in base's order, when base is not nil.
func (e *Engine) readQuestionSem(q analyzer.Question, base *vocab) *qSem {
	qt := semantic.New(q.Text)
	sib := make([]semantic.Text, len(q.Areas))
	for i, a := range q.Areas {
		sib[i] = semantic.New(a)
	}
	s := &qSem{question: readAreaText(q.Text, nil, nil), whole: *e.wholeText(q), vocab: newVocab(), asksEpisode: asksEpisode(&q)}
	if base != nil {
		s.vocab.add(base.words)
	}
	s.question.idx = s.vocab.add(s.question.plain.Words)
	s.wholeIdx = s.vocab.add(s.whole.Words)
	s.wholeSet = slices.Compact(slices.Sorted(slices.Values(s.wholeIdx)))
	for i, a := range q.Areas {
		others := append(append([]semantic.Text(nil), sib[:i]...), sib[i+1:]...)
		at := readAreaText(a, &qt, others)
		at.idx = s.vocab.add(at.plain.Words)
		s.areas = append(s.areas, at)
		info := e.area(a, q.AreaKind(i))
		if q.AreaKind(i) == "" && isClaim(a, q.Text) {
			// A claim ("uniforms reduce bullying") rather than a
			// kind of content: the claim model decides it. An area
			// whose kind the guide states is content of that kind,
			// whatever the claim-form model reads in its words.
			info.claim, info.facets, info.kind = true, nil, "topic"
		}
		s.info = append(s.info, info)
	}
	s.rubric = ownRubric(s.info)
	s.placed = len(s.areas)
	s.vocab.freeze()
	return s
}

// followUpProbs returns, for every area, the pair probability that each
// of the guide's follow-ups asks for it.
func (s *qSem) followUpProbs(w *Weights, q analyzer.Question) [][]float64 {
	s.fuOnce.Do(func() {
		s.followUp = make([][]float64, len(q.Areas))
		fv := newVocab()
		fts := make([]piece, len(q.FollowUps))
		for fi, f := range q.FollowUps {
			ft := semantic.New(f)
			fts[fi] = piece{&ft, fv.add(ft.Words)}
		}
		m := newSimMatrix(s.vocab, fv)
		var buf [][]float64
		for fi := range q.FollowUps {
			buf = pairVectors(s.areas, fts[fi], m, buf)
			for ai, x := range buf {
				if fi == 0 {
					s.followUp[ai] = make([]float64, len(q.FollowUps))
				}
				s.followUp[ai][fi] = w.Pair.Prob(x)
			}
		}
	})
	return s.followUp
}

// wholeText is a question and its areas as one text, cached: the
// off-question check holds an answer against every question of the guide.
func (e *Engine) wholeText(q analyzer.Question) *semantic.Text {
	key := q.Text + "\x00" + joinAreas(q.Areas)
	return e.wholes.get(key, func() any {
		t := semantic.New(q.Text + "\n" + strings.Join(q.Areas, "\n"))
		return &t
	}).(*semantic.Text)
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

// answerSem is the answer's units and whole text read for matching, and
// their pair probabilities for every area of the question.
type answerSem struct {
	units   []semantic.Text
	all     semantic.Text
	vocab   *vocab
	unitIdx [][]int32
	allIdx  []int32
	sims    *simMatrix  // the question's vocabulary x the answer's
	qs      *qSem       // the question scored
	stats   *areaStats  // the pair stats of its areas
	pair    [][]float64 // [unit][area]
	pxAll   [][]float64 // [area], PairFeatures of the whole answer (Trace)
	kind    [][]float64 // [unit][area], any-kind scores
	// trace keeps every unit's evidence and quote vectors (Trace).
	trace bool
	// floats is where the vectors of an analysis are taken from (nil: each
	// is allocated, for a trace that keeps them).
	floats *floatArena
	// The best of pair and kind per unit, for the margins over the other
	// areas.
	pairOthers, kindOthers []others
	pairAll                []float64 // [area], the whole answer
	// claimX holds every area's ClaimFeatures for the whole answer when
	// any area is a claim, claimSentX each sentence's for a long answer
	// (sentenceClaimVectors); claimAll, for an area that is a claim, the
	// claim model's probability that the answer makes it (nil: no claim,
	// or no claim model).
	claimX     [][]float64
	claimSentX [][][]float64 // [sentence][area]
	claimAll   []float64
	docUnits   []nlp.Unit // the parsed answer's units (their sentence starts)
}

func (as *answerSem) unit(i int) piece { return piece{&as.units[i], as.unitIdx[i]} }
func (as *answerSem) whole() piece     { return piece{&as.all, as.allIdx} }

// areaStats holds the pair stats of every area with every unit and with
// the whole answer, in one allocation: a second pass over the same answer
// (depth.go) takes the rows of the areas it shares with the first.
type areaStats struct {
	na    int
	off   []int // per area, its words' place in a row; off[na] the row's length
	vec   []float32
	wn    []float32
	ov    []float32
	rev   []float64 // (revSum, revW) per row and area
	cos   []float64 // per row and area
	valid []bool    // per row: computed (units with words, and the whole answer)
	// base holds the nBase pair features per row and area, when a second
	// pass will take them (score); empty otherwise.
	base []float64
}

// newAreaStats returns a cleared table for the areas and rows, reusing a
// released one's arrays where it can.
func newAreaStats(areas []areaText, rows int) *areaStats {
	t, _ := statsPool.Get().(*areaStats)
	if t == nil {
		t = &areaStats{}
	}
	t.na = len(areas)
	t.off = resized(t.off, len(areas)+1)
	for i := range areas {
		t.off[i+1] = t.off[i] + len(areas[i].plain.Words)
	}
	w := t.off[len(areas)]
	t.vec, t.wn, t.ov = resized(t.vec, rows*w), resized(t.wn, rows*w), resized(t.ov, rows*w)
	t.rev, t.cos, t.valid = resized(t.rev, 2*rows*t.na), resized(t.cos, rows*t.na), resized(t.valid, rows)
	t.base = t.base[:0]
	return t
}

// resized is s with length n, all zero, in s's array when it is large
// enough.
func resized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// statsPool keeps the tables of finished analyses (release).
var statsPool sync.Pool

// release hands the table back for another answer; t must not be used
// afterwards.
func (t *areaStats) release() {
	if t != nil {
		statsPool.Put(t)
	}
}

// at returns row r's stats of area ai; their slices are the table's.
func (t *areaStats) at(r, ai int) pairStats {
	w := t.off[t.na]
	lo, hi := r*w+t.off[ai], r*w+t.off[ai+1]
	k := 2 * (r*t.na + ai)
	return pairStats{vec: t.vec[lo:hi:hi], wn: t.wn[lo:hi:hi], ov: t.ov[lo:hi:hi], revSum: t.rev[k], revW: t.rev[k+1]}
}

func (t *areaStats) set(r, ai int, s *pairStats) {
	k := 2 * (r*t.na + ai)
	t.rev[k], t.rev[k+1] = s.revSum, s.revW
}

// take copies area pai of prev, row by row, into area ai of t.
func (t *areaStats) take(ai int, prev *areaStats, pai int) {
	for r := range t.valid {
		d, s := t.at(r, ai), prev.at(r, pai)
		copy(d.vec, s.vec)
		copy(d.wn, s.wn)
		copy(d.ov, s.ov)
		t.set(r, ai, &s)
		t.cos[r*t.na+ai] = prev.cos[r*prev.na+pai]
	}
}

// score computes every area's pair probability for every unit and for the
// whole answer. prev, when not nil, is the answer as scored for the
// question this one extends with its depth signals (depth.go's first
// pass): its similarity matrix, and the pair stats of the areas both
// questions have in the same place, are taken from it. forDepth computes
// the similarities of the depth signals' words too, for that second pass.
func (as *answerSem) score(w *Weights, qs *qSem, prev *answerSem, forDepth bool) {
	switch {
	case prev != nil && prev.sims.a == qs.vocab:
		as.sims = prev.sims
	case forDepth && qs.ext != nil:
		as.sims = newSimMatrix(qs.ext.vocab, as.vocab)
	default:
		as.sims = newSimMatrix(qs.vocab, as.vocab)
	}
	as.qs = qs
	na, nu := len(qs.areas), len(as.units)
	st := newAreaStats(qs.areas, nu+1)
	as.stats = st
	for ui := range as.units {
		st.valid[ui] = !as.units[ui].Empty()
	}
	st.valid[nu] = true
	// An area the first pass has in the same place: its base features are
	// taken when kept (and its stats read there, for recall_distinct),
	// else its stats and cosines are copied.
	copied, taken := make([]bool, na), make([]bool, na)
	for ai := range qs.areas {
		a := &qs.areas[ai]
		if prev != nil && ai < len(prev.qs.areas) && prev.qs.info[ai].text == qs.info[ai].text {
			copied[ai], taken[ai] = true, len(prev.stats.base) > 0
			if !taken[ai] {
				st.take(ai, prev.stats, ai)
			}
			continue
		}
		whole := st.at(nu, ai)
		for ui := range as.units {
			if !st.valid[ui] {
				continue
			}
			p := as.unit(ui)
			s := st.at(ui, ai)
			s.of(a, p, as.sims)
			st.set(ui, ai, &s)
			whole.merge(&s)
		}
		st.set(nu, ai, &whole)
	}
	// The cosines of the other areas with every unit and the whole answer,
	// several areas at a time.
	var plains []*semantic.Text
	var which []int
	for ai := range qs.areas {
		if !copied[ai] {
			plains = append(plains, &qs.areas[ai].plain)
			which = append(which, ai)
		}
	}
	cos := make([]float64, len(plains))
	for r := 0; r <= nu; r++ {
		if !st.valid[r] {
			continue
		}
		t := &as.all
		if r < nu {
			t = &as.units[r]
		}
		semantic.Cosines(plains, t, cos)
		for k, ai := range which {
			st.cos[r*na+ai] = cos[k]
		}
	}
	// A first pass keeps its base pair features for the second; there an
	// area taken from the first differs only in recall_distinct (its
	// siblings, and so its shared words, are others).
	if forDepth && qs.ext != nil {
		st.base = resized(st.base, (nu+1)*na*nBase)
	}
	xs := make([][]float64, na)
	for ai := range xs {
		xs[ai] = as.floats.take(len(PairFeatures))[:0]
	}
	var buf []weighted
	features := func(r, ai, pieceWords int) {
		a := &qs.areas[ai]
		if taken[ai] {
			pna := prev.stats.na
			k := (r*pna + ai) * nBase
			xs[ai] = append(xs[ai][:0], prev.stats.base[k:k+nBase]...)
			s := prev.stats.at(r, ai)
			xs[ai][iRecallDistinct] = s.recallDistinct(a, pieceWords)
		} else {
			s := st.at(r, ai)
			xs[ai] = s.features(a, st.cos[r*na+ai], pieceWords, xs[ai], &buf)
		}
		if len(st.base) > 0 {
			copy(st.base[(r*na+ai)*nBase:], xs[ai][:nBase])
		}
	}
	as.pair = make([][]float64, nu)
	for ui := range as.units {
		if !st.valid[ui] {
			continue
		}
		for ai := range qs.areas {
			features(ui, ai, len(as.units[ui].Words))
		}
		as.pair[ui] = probs(w, addMargins(xs), as.floats)
	}
	for ai := range qs.areas {
		features(nu, ai, len(as.all.Words))
	}
	as.pairAll = probs(w, addMargins(xs), as.floats)
	as.pxAll = xs
	as.claimX, as.claimSentX, as.claimAll = nil, nil, nil
	if slices.ContainsFunc(qs.info, func(a areaInfo) bool { return a.claim }) {
		statsAt := func(r, ai int) pairStats {
			if taken[ai] {
				return prev.stats.at(r, ai)
			}
			return st.at(r, ai)
		}
		mass := make([][2]float64, na)
		for ai := range mass {
			s := statsAt(nu, ai)
			mass[ai][0], mass[ai][1] = s.masses(&qs.areas[ai])
		}
		as.claimX = claimVectors(xs, mass)
		// A trace reads every answer of two sentences or more sentence by
		// sentence, so that the training command can measure
		// claimSentencesFrom; the decision reads them from there.
		least := claimSentencesFrom
		if as.trace {
			least = 2
		}
		as.claimSentX = as.sentenceClaimVectors(qs, statsAt, least)
		if w.Claim != nil {
			var sentences [][][]float64
			if len(as.claimSentX) >= claimSentencesFrom {
				sentences = as.claimSentX
			}
			as.claimAll = claimDecision(w, as.claimX, sentences, func(ai int) bool { return qs.info[ai].claim })
		}
	}
}

// sentenceClaimVectors is each sentence's ClaimFeatures for every area, for
// an answer of at least least sentences with words to read (nil otherwise):
// a sentence is read as a whole answer is, from its units' merged stats.
// statsAt gives a unit's stats for an area.
func (as *answerSem) sentenceClaimVectors(qs *qSem, statsAt func(ui, ai int) pairStats, least int) [][][]float64 {
	var sentences [][]int // the read units of each sentence that has any
	open := false         // the last of sentences is the current sentence
	for ui := range as.units {
		if ui == 0 || as.docUnits[ui].SentenceStart {
			open = false
		}
		if as.units[ui].Empty() {
			continue
		}
		if !open {
			sentences = append(sentences, nil)
			open = true
		}
		sentences[len(sentences)-1] = append(sentences[len(sentences)-1], ui)
	}
	if len(sentences) < least {
		return nil
	}
	var out [][][]float64
	var buf []weighted
	for _, us := range sentences {
		var words []semantic.Word
		for _, ui := range us {
			words = append(words, as.units[ui].Words...)
		}
		text := semantic.TextOf(words)
		xs := make([][]float64, len(qs.areas))
		mass := make([][2]float64, len(qs.areas))
		for ai := range qs.areas {
			a := &qs.areas[ai]
			var m pairStats
			m.alloc(len(a.plain.Words))
			for _, ui := range us {
				s := statsAt(ui, ai)
				m.merge(&s)
			}
			xs[ai] = m.features(a, semantic.Cosine(&a.plain, &text), len(words), make([]float64, 0, len(ClaimFeatures)), &buf)
			mass[ai][0], mass[ai][1] = m.masses(a)
		}
		out = append(out, claimVectors(addMargins(xs), mass))
	}
	return out
}

func probs(w *Weights, xs [][]float64, fl *floatArena) []float64 {
	out := fl.take(len(xs))
	for i, x := range xs {
		out[i] = w.Pair.Prob(x)
	}
	return out
}

// readAnswerSem reads the answer for matching, into the arrays of its
// workspace.
func readAnswerSem(af *answerFeat) *answerSem {
	b := af.ws
	n, toks := len(af.doc.Units), af.doc.Tokens
	b.texts, b.unitIdx = resized(b.texts, n), resized(b.unitIdx, n)
	as := &answerSem{units: b.texts, unitIdx: b.unitIdx, vocab: &b.vocab, docUnits: af.doc.Units}
	// The units' words lie in one array, in order: the whole answer's
	// words are that array.
	all := b.words[:0]
	for i, u := range af.doc.Units {
		if af.units[i].injected {
			continue
		}
		// The content words semantic.FromTokens would read (kept with
		// what is known of each word), names left out.
		lo := len(all)
		for ti := u.First; ti < u.Last; ti++ {
			if wi := af.infos[ti]; wi.flags&wMatch != 0 && !nameToSkip(toks, ti, u.First) {
				w := wi.content
				w.Token = ti
				all = append(all, w)
			}
		}
		as.units[i] = semantic.TextOf(all[lo:len(all):len(all)])
	}
	b.words = all
	as.all = semantic.TextOf(all)
	// One pass numbers the whole answer's words, and each unit's places
	// are a part of the whole's.
	as.allIdx = as.vocab.addTo(b.idx[:0], as.all.Words)
	b.idx = as.allIdx
	off := 0
	for i := range as.units {
		if !af.units[i].injected {
			n := len(as.units[i].Words)
			as.unitIdx[i] = as.allIdx[off : off+n : off+n]
			off += n
		}
	}
	return as
}

// areaDecision is everything the engine derived for one area, kept for the
// report and for explanations.
type areaDecision struct {
	pair     []float64   // per unit
	evidence []float64   // per unit
	x        []float64   // CoverageFeatures (nil for a claim)
	evx      [][]float64 // EvidenceFeatures per unit (nil for a claim and unread units; kept for a trace only)
	quote    []float64   // per unit, the quote model's probability (the evidence one without it)
	qx       [][]float64 // QuoteFeatures per unit (a trace's)
	qpx      [][]float64 // QuoteProtoFeatures per unit (a trace's, for an area with a prototype)
	// protoQuote: the quotes are the QuoteProto model's (the area has a
	// prototype), so QuoteProtoSure marks them tentative.
	protoQuote bool
	// depthQuote: the quotes are the DepthQuote model's (a depth signal
	// with a prototype, when the weights have that model).
	depthQuote bool
	best       int // the unit to quote first (-1: none)
	pAnswer    float64
	// pAddressed is P(partial or covered).
	pAddressed float64
}

// decideArea computes an area's unit probabilities, features and decision.
// A light area is read only for what its siblings' relative features need
// (coverage's from): its units' quote probabilities stay unset and the
// prototype is not read.
func (e *Engine) decideArea(w *Weights, qs *qSem, ai int, af *answerFeat, as *answerSem, st deliveryStats, light bool) (areaDecision, string, float64) {
	info := &qs.info[ai]
	n := len(af.units)
	// One array for the per-unit vectors: pair, evidence, quote, kinds and
	// any-kind scores.
	blk := as.floats.take(5 * n)
	d := areaDecision{pair: blk[0:n:n], evidence: blk[n : 2*n : 2*n], quote: blk[2*n : 3*n : 3*n], best: -1}
	live := 0
	pMax, pSum := 0.0, 0.0
	for ui := range af.units {
		if af.units[ui].injected || as.units[ui].Empty() {
			continue
		}
		d.pair[ui] = as.pair[ui][ai]
		pMax = max(pMax, d.pair[ui])
		pSum += d.pair[ui]
		live++
	}
	d.pAnswer = as.pairAll[ai]
	if info.claim {
		p := d.pAnswer
		if as.claimAll != nil {
			p = as.claimAll[ai]
		}
		d.pAddressed = p
		for ui := range d.pair {
			if live > 0 && d.pair[ui] == pMax && d.best < 0 && pMax > 0 {
				d.best = ui
			}
		}
		switch {
		case p >= claimCovered:
			return d, analyzer.StatusCovered, p
		case p >= claimPartial:
			return d, analyzer.StatusPartial, p
		}
		return d, analyzer.StatusMissing, p
	}
	pMean := 0.0
	if live > 0 {
		pMean = pSum / float64(live)
	}
	kinds := blk[3*n : 4*n : 4*n]
	kindMax := 0.0
	for ui := range af.units {
		kinds[ui] = headKind(info, &af.units[ui])
		if !af.units[ui].injected {
			kindMax = max(kindMax, kinds[ui])
		}
	}
	var ev []float64
	opening, closing := areaPlace(info)
	x := as.floats.take(len(CoverageFeatures))
	anyK := blk[4*n : 5*n : 5*n]
	// The two best pair probabilities of the units read.
	top, second, nPairs := 0.0, 0.0, 0
	// One array holds every unit's quote vectors (the evidence vector, one
	// more value for the quote model and two more for the prototype one).
	// Only a trace keeps them; an analysis needs one at a time.
	nq := len(QuoteProtoFeatures)
	// The area's prototype, read by the quote model made for areas that
	// have one (a trace reads it whatever the weights hold, for training).
	var proto *[semantic.Dim]float32
	if !light && (w.QuoteProto != nil || as.trace) {
		proto = e.prototype(w, info.key)
	}
	var protoCos []float64
	protoMax := math.Inf(-1)
	if proto != nil {
		protoCos = as.floats.take(n)
		for ui := range af.units {
			if af.units[ui].injected || as.units[ui].Empty() {
				continue
			}
			protoCos[ui] = semantic.CosineDir(&as.units[ui], proto)
			protoMax = max(protoMax, protoCos[ui])
		}
		d.protoQuote = w.QuoteProto != nil
		d.depthQuote = ai >= qs.placed && w.DepthQuote != nil
	}
	var evBuf []float64
	if as.trace {
		evBuf = as.floats.take(n * nq)
	} else {
		evBuf = as.floats.take(nq)
	}
	evCount := 0
	for ui := range af.units {
		u := &af.units[ui]
		if u.injected || as.units[ui].Empty() {
			continue
		}
		anyK[ui] = anyKind(info, u)
		x[14] = max(x[14], anyK[ui])
		x[15] = max(x[15], d.pair[ui]*anyK[ui])
		// Room for the quote models' extra features: their vectors are the
		// evidence vector and one or three more values, in the same array.
		k := 0
		if as.trace {
			k = ui * nq
		}
		ev = evidenceVector(evBuf[k:k:k+nq], d.pair[ui], pMax, pMean, kinds[ui], anyK[ui], kindMax, u, ui, n, opening, closing)
		ev = append(ev, d.pair[ui]-as.pairOthers[ui].without(ai), anyK[ui]-as.kindOthers[ui].without(ai))
		if as.trace {
			if d.evx == nil {
				d.evx = make([][]float64, n)
			}
			d.evx[ui] = ev
		}
		p := d.pair[ui]
		if w.Evidence != nil {
			p = w.Evidence.Prob(ev)
		}
		d.evidence[ui] = p
		if !light {
			gap := noPlaceGap
			if ai < qs.placed {
				gap = orderGap(ui, n, ai, qs.placed)
			}
			qx := append(ev, gap)
			if as.trace {
				if d.qx == nil {
					d.qx = make([][]float64, n)
				}
				d.qx[ui] = qx
			}
			d.quote[ui] = p
			if w.Quote != nil && !d.protoQuote {
				d.quote[ui] = w.Quote.Prob(qx)
			}
			if proto != nil {
				pqx := append(qx, protoCos[ui], protoCos[ui]-protoMax)
				if as.trace {
					if d.qpx == nil {
						d.qpx = make([][]float64, n)
					}
					d.qpx[ui] = pqx
				}
				switch {
				case d.depthQuote:
					d.quote[ui] = w.DepthQuote.Prob(pqx)
				case d.protoQuote:
					d.quote[ui] = w.QuoteProto.Prob(pqx)
				}
			}
		}
		if d.best < 0 || p > d.evidence[d.best] {
			d.best = ui
		}
		if p >= 0.5 {
			evCount++
		}
		switch p := d.pair[ui]; {
		case nPairs == 0 || p > top:
			top, second = p, top
		case nPairs == 1 || p > second:
			second = p
		}
		nPairs++
		if !u.habitual && !u.hypothetical {
			x[6] = max(x[6], kinds[ui])
		}
		if kinds[ui] >= 0.5 {
			x[7]++
		}
	}
	if nPairs > 0 {
		x[0] = top
	}
	if nPairs > 1 {
		x[1] = second
	}
	x[2] = d.pAnswer
	if d.best >= 0 {
		x[3] = d.evidence[d.best]
	}
	x[4] = math.Min(float64(evCount), 4) / 4
	x[5] = kindMax
	x[7] = math.Min(x[7], 4) / 4
	if len(info.facets) > 0 {
		x[8] = 1
	}
	// The answer's length against what its question asks for: 95 words
	// say more of each of two areas than of each of eight. A depth signal
	// is asked of every answer, whatever its question's areas: its reading
	// is the answer's length alone.
	x[9] = math.Log1p(float64(af.words))
	if ai < qs.placed {
		x[9] -= math.Log(float64(qs.placed))
	}
	x[10] = float64(st.score) / 100
	if info.specific && !st.particular {
		x[11] = 1
	}
	if d.best >= 0 {
		x[16], x[17] = d.pair[d.best], anyK[d.best]
		u := &af.units[d.best]
		if u.habitual || u.hypothetical {
			x[12] = 1
			if len(info.facets) > 0 {
				switch info.facets[0] {
				case fOutcome, fFollowUp, fMeasure, fResponse, fImpact, fSituation:
					x[13] = 1
				}
			}
		}
	}
	x[len(CoverageFeatures)-1] = w.kindPrior(info.kind)
	d.x = x
	return d, "", 0
}

// relativeFeatures fills the features that compare an area with the
// question's other areas in the same answer.
func relativeFeatures(decs []areaDecision) {
	var sums [3]float64
	n := 0
	for _, d := range decs {
		if d.x == nil {
			continue
		}
		sums[0] += d.x[0]
		sums[1] += d.x[3]
		sums[2] += d.x[14]
		n++
	}
	for _, d := range decs {
		if d.x == nil {
			continue
		}
		d.x[nCoverageOwn] = d.x[0] - sums[0]/float64(n)
		d.x[nCoverageOwn+1] = d.x[3] - sums[1]/float64(n)
		d.x[nCoverageOwn+2] = d.x[14] - sums[2]/float64(n)
		d.x[nCoverageOwn+3] = d.x[9] * d.x[0]
		d.x[nCoverageOwn+4] = d.x[9] * d.x[14]
		d.x[nCoverageOwn+5] = d.x[10] * d.x[0]
		d.x[nCoverageOwn+6] = d.x[10] * d.x[14]
		d.x[nCoverageOwn+7] = d.x[9] * d.x[3]
	}
}

// decide maps a descriptive area's features to its status and confidence
// (P(covered)).
func (d *areaDecision) decide(w *Weights) (string, float64) {
	x := d.x
	if w.Coverage == nil {
		// Before the coverage model is trained (the training command's
		// first stages), the pair probability decides.
		d.pAddressed = x[0]
		return statusByProb(x[0]), x[0]
	}
	score := w.Coverage.Score(x)
	d.pAddressed = w.Coverage.AtLeast(score, 1)
	c := w.Coverage.Decide(score)
	return statuses[c], w.Coverage.AtLeast(score, 2)
}

func statusByProb(p float64) string {
	switch {
	case p >= claimCovered:
		return analyzer.StatusCovered
	case p >= claimPartial:
		return analyzer.StatusPartial
	}
	return analyzer.StatusMissing
}

// headKind is how well a unit shows the area's head kind of content (its
// first-ranked facet).
func headKind(a *areaInfo, u *unitFeat) float64 {
	if len(a.facets) == 0 || u.injected {
		return 0
	}
	return u.facet[a.facets[0]]
}

// anyKind is how well a unit shows any kind the area names, later kinds
// weighing 0.6.
func anyKind(a *areaInfo, u *unitFeat) float64 {
	s := 0.0
	for k, f := range a.facets {
		w := 1.0
		if k > 0 {
			w = 0.6
		}
		s = max(s, w*u.facet[f])
	}
	return s
}

func evidenceVector(x []float64, p, pMax, pMean, kind, kindAny, kindMax float64, u *unitFeat, ui, n int, opening, closing bool) []float64 {
	pos := 0.0
	if n > 1 {
		pos = float64(ui) / float64(n-1)
	}
	return append(x, p, p-pMax, p-pMean, kind, kindAny, kind-kindMax,
		log1pCount(u.content), b2f(u.habitual || u.hypothetical), b2f(u.hedge), pos,
		b2f(u.speech), b2f(u.iSubj > 0), pos*b2f(opening), pos*b2f(closing))
}

// areaPlace tells an area that asks for how a story opens (the situation)
// or how it closes (an outcome, a follow-up, a lesson, a measure), by the
// kinds of content it names.
func areaPlace(a *areaInfo) (opening, closing bool) {
	for _, f := range a.facets {
		switch f {
		case fSituation, fDiscovery:
			opening = true
		case fOutcome, fFollowUp, fLesson, fMeasure, fFuture, fImpact:
			closing = true
		}
	}
	return opening, closing
}

// others is what an area's margin over the other areas needs of a vector
// with a value per area: its highest value (from 0), the first place of it,
// and the highest value elsewhere (from 0).
type others struct {
	best, second float64
	at           int
}

func othersOf(xs []float64) others {
	o := others{at: -1}
	for i, v := range xs {
		if v > o.best {
			o.best, o.at = v, i
		}
	}
	for i, v := range xs {
		if i != o.at && v > o.second {
			o.second = v
		}
	}
	return o
}

// without is the highest value other than the one at skip (0 if none).
func (o others) without(skip int) float64 {
	if skip == o.at {
		return o.second
	}
	return o.best
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var statuses = [3]string{analyzer.StatusMissing, analyzer.StatusPartial, analyzer.StatusCovered}

func (e *Engine) mustWeights() *Weights {
	w, err := loadWeights()
	if err != nil {
		// The weights are embedded and checked by a test; a bad file is a
		// build defect, not an input error.
		panic(err)
	}
	return w
}

// coverage decides every area of the question.
// prev, when not nil, is the answer as read for another question of the
// same answer (depth.go's second pass): its words and the similarities
// already computed are reused.
// forDepth readies the answer for depth's second pass (qs.ext); trace keeps
// the evidence and quote vectors. The areas before from are read only for
// the relative features of the others (depth's second pass, whose
// question's own areas were decided in the first): no status, no quotes,
// their results left empty; a trace reads every area whatever from says.
func (e *Engine) coverage(q analyzer.Question, qs *qSem, af *answerFeat, st deliveryStats, prev *answerSem, forDepth, trace bool, from int) (analyzer.Coverage, []areaDecision, *answerSem) {
	if trace {
		from = 0
	}
	w := e.mustWeights()
	var fl *floatArena
	if !trace {
		fl = &af.ws.floats
	}
	var as *answerSem
	if prev != nil {
		as = &answerSem{units: prev.units, all: prev.all, vocab: prev.vocab, unitIdx: prev.unitIdx, allIdx: prev.allIdx,
			docUnits: prev.docUnits, floats: fl, trace: trace}
		as.score(w, qs, prev, false)
	} else {
		as = readAnswerSem(af)
		as.floats, as.trace = fl, trace
		as.score(w, qs, nil, forDepth)
	}
	kinds := fl.take(len(af.units) * len(q.Areas))
	as.kind = make([][]float64, len(af.units))
	as.pairOthers = make([]others, len(af.units))
	as.kindOthers = make([]others, len(af.units))
	for ui := range af.units {
		as.kind[ui] = kinds[ui*len(q.Areas) : (ui+1)*len(q.Areas) : (ui+1)*len(q.Areas)]
		for ai := range q.Areas {
			as.kind[ui][ai] = anyKind(&qs.info[ai], &af.units[ui])
		}
		as.pairOthers[ui] = othersOf(as.pair[ui])
		as.kindOthers[ui] = othersOf(as.kind[ui])
	}
	cov := analyzer.Coverage{Areas: make([]analyzer.AreaResult, len(q.Areas))}
	decs := make([]areaDecision, len(q.Areas))
	used := make([]int, len(af.units))
	stat := make([]string, len(q.Areas))
	conf := make([]float64, len(q.Areas))
	for ai := range q.Areas {
		decs[ai], stat[ai], conf[ai] = e.decideArea(w, qs, ai, af, as, st, ai < from)
	}
	relativeFeatures(decs)
	for ai, text := range q.Areas {
		if ai < from {
			continue
		}
		d := &decs[ai]
		if d.x != nil {
			stat[ai], conf[ai] = d.decide(w)
		}
		status := stat[ai]
		res := analyzer.AreaResult{Index: ai + 1, Text: text, Kind: qs.info[ai].kind, Evidence: []analyzer.Span{},
			Status: status, Confidence: analyzer.Round3(conf[ai])}
		if status != analyzer.StatusMissing && d.best >= 0 {
			sure := 0.0 // a claim's quote, or no quote model: unmarked
			switch {
			case d.depthQuote && !qs.info[ai].claim:
				sure = w.DepthQuoteSure
			case d.protoQuote && !qs.info[ai].claim:
				sure = w.QuoteProtoSure
			case w.Quote != nil && !qs.info[ai].claim:
				sure = w.QuoteSure
			}
			res.Evidence = e.quotes(af, *d, used, sure)
		}
		cov.Areas[ai] = res
	}
	cov.Score = analyzer.CoverageScore(cov.Areas)
	return cov, decs, as
}

// minQuoteWords is the fewest content words a quoted unit has: a product
// rule (a quote shows what was said), not a fitted cut-off.
const minQuoteWords = 3

// quotableUnit: the unit may be quoted (not instructions to the analyzer,
// and at least minQuoteWords content words).
func quotableUnit(af *answerFeat, ui int) bool {
	return !af.units[ui].injected && af.units[ui].content >= minQuoteWords
}

// firstQuote is the quotable unit the quote model ranks first, -1 none.
func firstQuote(af *answerFeat, d areaDecision) int {
	first := -1
	for ui, p := range d.quote {
		if quotableUnit(af, ui) && (first < 0 || p > d.quote[first]) {
			first = ui
		}
	}
	return first
}

// quotes picks an area's evidence: the unit the quote model ranks first,
// and a second one when it is nearly as likely (at least 0.5 and 0.8 of the
// first), preferring units not yet quoted for another area on ties. With
// sure > 0 (the weights' QuoteSure) each quote carries the quote model's
// probability and is tentative below sure.
func (e *Engine) quotes(af *answerFeat, d areaDecision, used []int, sure float64) []analyzer.Span {
	// A quote must say something: a back-channel or filler ("Sure.", "Oh,
	// plenty.") is never evidence, whatever the model ranks.
	quotable := func(ui int) bool { return quotableUnit(af, ui) }
	first := firstQuote(af, d)
	if first < 0 {
		return []analyzer.Span{}
	}
	second := -1
	for ui, p := range d.quote {
		if ui == first || !quotable(ui) {
			continue
		}
		if p >= 0.5 && p >= 0.8*d.quote[first] && (second < 0 || p > d.quote[second] ||
			p == d.quote[second] && used[ui] < used[second]) {
			second = ui
		}
	}
	out := []analyzer.Span{}
	for _, ui := range []int{first, second} {
		if ui < 0 {
			continue
		}
		used[ui]++
		u := af.doc.Units[ui]
		sp := analyzer.Span{Quote: af.doc.UnitText(u), Start: u.Start, End: u.End}
		if sure > 0 {
			// At least 0.001: a probability shown as 0 would read as none.
			sp.Confidence = max(analyzer.Round3(d.quote[ui]), 0.001)
			sp.Tentative = d.quote[ui] < sure
		}
		out = append(out, sp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// nameToSkip tells a word written with a capital inside a sentence (token i of
// a unit starting at token first): names of people, places and companies
// say nothing of what an area asks, and reading them would let a
// candidate's or a customer's name move a status (the audit's swap test
// changes only names), so the answer's units are read without them.
func nameToSkip(toks []nlp.Token, i, first int) bool {
	// Capitalised inside a unit, or unknown as a common word at its start.
	return toks[i].Cap && (i > first || lexicon.POS(toks[i].Lower) == "")
}

// noPlaceGap is the order gap of a unit from an area with no place in the
// story's order (a depth signal): the mean gap between two places drawn
// at random (E|U-V| = 1/3), so that the quote models favour no part of the
// answer for it. Before h2.20 a signal took a place after the question's
// last area and its quotes came from the answer's closing sentences.
const noPlaceGap = 1.0 / 3

// orderGap is how far a unit's place in the answer is from the area's place
// among the question's areas (both 0..1).
func orderGap(ui, n, ai, na int) float64 {
	pu, pa := 0.5, 0.5
	if n > 1 {
		pu = float64(ui) / float64(n-1)
	}
	if na > 1 {
		pa = float64(ai) / float64(na-1)
	}
	return math.Abs(pu - pa)
}
