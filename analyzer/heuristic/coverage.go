package heuristic

import (
	"sort"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/lexicon"
)

// Coverage: an area is written as a description of content ("how the
// candidate acknowledged the customer's emotions"); answers cover it in their
// own words ("her voice was shaking, so I told her ..."). Word overlap is not
// enough, so an area is read as (a) the kinds of content it asks for (facets:
// an emotion noticed, an action, an outcome, a lesson ...) and (b) its topic
// words. Each unit of the answer is scored on both: facets from concept cues
// and WordNet classes, topic from lemma and WordNet similarity. The best units
// are the evidence.

type areaInfo struct {
	text     string
	facets   []facet
	content  []weighted // topic lemmas
	specific bool       // the area asks for "the specific X"
	claim    bool       // a claim, judged by its topic words only
	kind     string
}

type weighted struct {
	lemma string
	w     float64
}

func readArea(text string) areaInfo {
	a := areaInfo{text: text}
	doc := nlp.Parse(text)
	claim := isClaim(doc)
	seen := map[facet]bool{}
	for i, t := range doc.Tokens {
		lw, lm := t.Lower, t.Lemma
		if lw == "specific" || lw == "particular" {
			a.specific = i <= 1 // "The specific situation ..."
		}
		if lw == "result" && i >= 2 && doc.Tokens[i-1].Lower == "a" && doc.Tokens[i-2].Lower == "as" {
			continue // "as a result" links; it asks for nothing
		}
		fs := areaCues[lw]
		if fs == nil {
			fs = areaCues[lm]
		}
		if fs == nil && !stopwords[lm] && !areaMeta[lm] {
			fs = similarCue(lm)
		}
		for _, f := range fs {
			if !seen[f] {
				seen[f] = true
				a.facets = append(a.facets, f)
			}
		}
		if stopwords[lm] || stopwords[lw] || areaMeta[lw] || areaMeta[lm] || t.Number || len(lw) < 3 {
			continue
		}
		a.content = append(a.content, weighted{lm, 1})
		if strings.Contains(lw, "-") {
			// "self-expression" is said as "self expression" too.
			for _, part := range strings.Split(lw, "-") {
				if len(part) > 2 && !stopwords[part] {
					a.content = append(a.content, weighted{lexicon.Lemma(part), 0.5})
				}
			}
		}
	}
	// "follow-up" is tokenized as one word by nlp; make sure the facet is there.
	if strings.Contains(strings.ToLower(text), "follow") && !seen[fFollowUp] {
		a.facets = append(a.facets, fFollowUp)
	}
	if claim {
		a.facets = nil
		a.claim = true
	}
	// "Approach", "actions" and "techniques" say little about what an area
	// wants; a more particular kind named anywhere in it ("in the future",
	// "lessons", "stakeholders") is its head.
	sort.SliceStable(a.facets, func(i, j int) bool { return facetTier(a.facets[i]) < facetTier(a.facets[j]) })
	if len(a.facets) == 0 {
		// A claim ("uniforms reduce bullying") rather than a kind of
		// content: only its topic words can show it is covered.
		a.kind = "topic"
		return a
	}
	a.kind = facetNames[a.facets[0]]
	return a
}

// unitTopic scores how much a unit is about the area's topic words: for each
// topic word the closest word of the unit (1 for the same lemma, WordNet
// similarity otherwise), averaged.
func (e *Engine) unitTopic(a *areaInfo, f *unitFeat, simCache map[[2]string]float64) float64 {
	if len(a.content) == 0 {
		return 0
	}
	total, wsum := 0.0, 0.0
	for _, c := range a.content {
		best := 0.0
		for _, l := range f.lemmas {
			if l == c.lemma {
				best = 1
				break
			}
			if stopwords[l] || len(l) < 3 {
				continue
			}
			k := [2]string{c.lemma, l}
			s, ok := simCache[k]
			if !ok {
				s = lexicon.Similarity(c.lemma, l)
				simCache[k] = s
			}
			if a.claim && s < 0.7 {
				// A claim is matched by its own words and their
				// synonyms; looser links (similar adjectives, hypernyms)
				// relate too much to too much.
				s = 0
			}
			if s > best {
				best = s
			}
		}
		total += best * c.w
		wsum += c.w
	}
	return total / wsum
}

type unitScore struct {
	unit  int
	score float64
	ev    float64 // how well the unit shows what the area's head asks for
}

func (e *Engine) coverage(q analyzer.Question, af *answerFeat, st deliveryStats) analyzer.Coverage {
	cov := analyzer.Coverage{Areas: make([]analyzer.AreaResult, len(q.Areas))}
	total := 0.0
	qt := e.topics(q)
	at := qt.relate(af)
	used := make([]int, len(af.units)) // times a unit was already quoted
	prim := make([]float64, len(af.units))
	var evBuf []unitScore
	var all [][]string // the answer as one unit: a claim's words may span clauses
	unitBest := make([][]float64, len(af.units))
	for i := range af.units {
		if !af.units[i].injected {
			all = append(all, at.unit[i])
			unitBest[i] = at.closest(at.unit[i : i+1])
		}
	}
	allBest := at.closest(all)

	for ai, text := range q.Areas {
		a := qt.areas[ai]
		scores := make([]unitScore, 0, len(af.units))
		facetBest, topicBest := 0.0, 0.0
		for ui := range af.units {
			f := &af.units[ui]
			if f.injected {
				continue
			}
			// The area's head ("Challenges ...") says what it asks for; later
			// words ("... during implementation") only qualify it.
			tp := at.score(ai, unitBest[ui])
			fs := 0.0
			if len(a.facets) == 0 {
				fs = tp
			}
			for k, fc := range a.facets {
				w := 1.0
				if k > 0 {
					w = 0.6
				}
				fs = max(fs, w*f.facet[fc])
			}
			facetBest, topicBest = max(facetBest, fs), max(topicBest, tp)
			s := 0.6*fs + 0.4*tp
			if fs >= 0.3 && tp >= 0.3 {
				s += 0.1
			}
			// A passing mention is not coverage: units with few content
			// words weigh less.
			if n := f.content; n < 6 {
				s *= 0.6 + 0.07*float64(n)
			}
			// Habits and hypotheticals can cover "how" areas, but an
			// outcome, a follow-up or a measurement that "usually"
			// happens is only a gesture.
			if f.habitual || f.hypothetical {
				for _, fc := range a.facets[:min(1, len(a.facets))] {
					switch fc {
					case fOutcome, fFollowUp, fMeasure, fResponse, fImpact, fSituation:
						s *= 0.7
					}
				}
			}
			if f.hedge {
				s *= 0.8
			}
			prim[ui] = fs
			if len(a.facets) > 0 {
				prim[ui] = f.facet[a.facets[0]]
			}
			ev := 0.65*prim[ui] + 0.35*tp - 0.05*float64(used[ui])
			scores = append(scores, unitScore{ui, s, ev})
		}
		topFirst(scores, 3, func(u unitScore) float64 { return u.score })
		x := areaVector(&a, af, st, scores, prim, facetBest, topicBest)
		raw := coverageModel.bias
		for k := range x {
			raw += coverageModel.w[k] * x[k]
		}
		if e.trace != nil {
			e.trace(ai, x[:], a.kind)
		}
		res := analyzer.AreaResult{Index: ai + 1, Text: text, Kind: a.kind, Evidence: []analyzer.Span{}}
		status, conf := statusOf(raw)
		if a.claim {
			// A claim is made or not by what the answer says; how long or
			// concrete the answer is has no bearing on it.
			doc := max(topicBest, at.score(ai, allBest))
			// Both directions: how much of the claim the answer says, and
			// how much of what the answer says is the claim.
			status, conf = claimStatus(0.75*doc + 0.25*min(1, 2*at.said(ai, all)))
		}
		res.Status, res.Confidence = status, conf
		switch status {
		case analyzer.StatusCovered:
			total += 1
		case analyzer.StatusPartial:
			total += 0.5
		}
		if res.Status != analyzer.StatusMissing && len(scores) > 0 {
			// Quote the units that best show what the area asks for,
			// preferring ones not quoted for other areas already.
			byEv := append(evBuf[:0], scores...)
			topFirst(byEv, 2, func(u unitScore) float64 { return u.ev })
			for k := 0; k < len(byEv) && k < 2; k++ {
				if k > 0 && (byEv[k].ev < 0.5 || byEv[k].ev < 0.8*byEv[0].ev) {
					break
				}
				u := af.doc.Units[byEv[k].unit]
				used[byEv[k].unit]++
				res.Evidence = append(res.Evidence, analyzer.Span{Quote: af.doc.UnitText(u), Start: u.Start, End: u.End})
			}
			sort.Slice(res.Evidence, func(i, j int) bool { return res.Evidence[i].Start < res.Evidence[j].Start })
		}
		cov.Areas[ai] = res
	}
	if len(q.Areas) > 0 {
		cov.Score = round3(total / float64(len(q.Areas)))
	}
	return cov
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

// topicWeights down-weights words that say what the whole question is about
// (they are in its text, or in several of its areas): they cannot tell one
// area from another. "journey" in a journey-mapping question's areas is such
// a word.
func (e *Engine) topicWeights(q analyzer.Question) map[string]float64 {
	df := map[string]int{}
	for _, text := range q.Areas {
		seen := map[string]bool{}
		for _, c := range e.area(text).content {
			if !seen[c.lemma] {
				seen[c.lemma] = true
				df[c.lemma]++
			}
		}
	}
	w := map[string]float64{}
	for l, n := range df {
		if n >= 3 {
			w[l] = sharedWordWeight
		}
	}
	for _, c := range e.area(q.Text).content {
		w[c.lemma] = questionWordWeight
	}
	return w
}

// questionWordWeight is the weight of an area's topic word that the question
// itself uses.
const questionWordWeight = 0.3

// sharedWordWeight is the weight of a topic word that three or more of the
// question's areas use.
const sharedWordWeight = 0.5

func reweight(content []weighted, w map[string]float64) []weighted {
	out := make([]weighted, len(content))
	for i, c := range content {
		out[i] = c
		if x, ok := w[c.lemma]; ok {
			out[i].w = x
		}
	}
	return out
}

// Features of an area's evidence, in the order of coverageModel's weights.
const (
	xBest          = iota // the best unit's score
	xSecond               // the second best unit's score
	xFacet                // the best kind-of-content score of any unit
	xTopic                // the best topic score of any unit
	xSupport              // units scoring at least 0.35, over 4
	xSubstance            // content words of the best unit, over 10
	xHedged               // the best unit is hedged
	xGeneric              // the best unit is a habit or a hypothetical
	xSpecificity          // the answer's specificity, over 100
	xNotParticular        // the area asks for "the specific X" and the answer tells no particular situation
	xResultGeneric        // the area asks for a result, follow-up or measure and the best unit is generic
	xLength               // the answer's length, words over 400, at most 1
	xTop3                 // the mean score of the three best units
	xFacetConcrete        // the best kind-of-content score of a unit that is neither habit nor hypothetical
	xFacetUnits           // units whose kind-of-content score is at least 0.5, over 4
	nX
)

// prim holds each unit's score for the area's head kind of content (its
// topic score for a claim area).
func areaVector(a *areaInfo, af *answerFeat, st deliveryStats, scores []unitScore, prim []float64, facetBest, topicBest float64) [nX]float64 {
	var x [nX]float64
	x[xFacet], x[xTopic] = facetBest, topicBest
	x[xSpecificity] = float64(st.score) / 100
	x[xLength] = min(float64(af.words)/400, 1)
	if a.specific && !st.particular {
		x[xNotParticular] = 1
	}
	if len(scores) == 0 {
		return x
	}
	x[xBest] = scores[0].score
	if len(scores) > 1 {
		x[xSecond] = scores[1].score
	}
	n := 0
	for _, s := range scores {
		if s.score >= 0.35 {
			n++
		}
	}
	x[xSupport] = min(float64(n), 4) / 4
	top := 0.0
	for k := 0; k < 3 && k < len(scores); k++ {
		top += scores[k].score
	}
	x[xTop3] = top / 3
	fu := 0
	for ui := range af.units {
		u := &af.units[ui]
		if u.injected {
			continue
		}
		fs := prim[ui]
		if fs >= 0.5 {
			fu++
		}
		if !u.habitual && !u.hypothetical {
			x[xFacetConcrete] = max(x[xFacetConcrete], fs)
		}
	}
	x[xFacetUnits] = min(float64(fu), 4) / 4
	f := &af.units[scores[0].unit]
	x[xSubstance] = min(float64(f.content), 10) / 10
	if f.hedge {
		x[xHedged] = 1
	}
	if f.habitual || f.hypothetical {
		x[xGeneric] = 1
		if len(a.facets) > 0 {
			switch a.facets[0] {
			case fOutcome, fFollowUp, fMeasure, fResponse, fImpact, fSituation:
				x[xResultGeneric] = 1
			}
		}
	}
	return x
}

// similarCue finds the facets of the area cue closest in meaning to a word
// the cue list lacks ("rules" reads like "policy", "obstacles" like
// "challenge"), so guides written in other words are read the same way.
func similarCue(lemma string) []facet {
	best, bestSim := "", 0.65
	for _, k := range areaCueKeys {
		if s := lexicon.Similarity(lemma, k); s > bestSim {
			best, bestSim = k, s
		}
	}
	if best == "" {
		return nil
	}
	return areaCues[best]
}

// areaCueKeys are areaCues' keys in a fixed order, so similarCue's ties
// break the same way every run.
var areaCueKeys = func() []string {
	keys := make([]string, 0, len(areaCues))
	for k := range areaCues {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}()

// support maps the model's score to the area's confidence: how strongly the
// answer's evidence supports the area being addressed, 0..1, rising with the
// score across the bands of the three statuses (missing below 0.3, partial
// 0.3-0.6, covered above 0.6). Tools that rank areas (status, then
// confidence) therefore rank by evidence; a missing area near 0 is clearly
// absent, one near 0.3 nearly touched.
func support(raw float64) float64 {
	var v float64
	switch {
	case raw >= coverageCovered:
		v = 0.6 + 0.35*clamp((raw-coverageCovered)/0.6, 0, 1)
	case raw >= coveragePartial:
		v = 0.3 + 0.3*(raw-coveragePartial)/(coverageCovered-coveragePartial)
	default:
		v = 0.3 * clamp(raw/coveragePartial, 0, 1)
	}
	return round3(clamp(v, 0, 0.99))
}

// isClaim tells a claim ("Uniforms reduce bullying", "Children can still
// express themselves") from a description of content to cover ("How the
// candidate ...", "The specific situation ...", "Lessons learned"). Guides
// describe; argument key points claim. A claim has a finite verb near its
// start and does not open with a question word or a determiner.
func isClaim(doc *nlp.Doc) bool {
	toks := doc.Tokens
	if len(toks) < 2 {
		return false
	}
	switch toks[0].Lower {
	case "how", "what", "why", "which", "whether", "when", "where", "who", "the", "a", "an", "any", "specific", "their", "its", "his", "her", "evidence":
		return false
	}
	for i := 1; i < len(toks) && i < 7; i++ {
		t := toks[i]
		if t.Lower == "how" || t.Lower == "what" || t.Lower == "why" || t.Lower == "which" || t.Lower == "that" || t.Lower == "who" {
			return false // "Customer reactions and how they were addressed"
		}
		if toks[i-1].Lower == "to" {
			return false // "Actions taken to validate ...": a description
		}
		switch t.Lower {
		case "can", "could", "will", "would", "should", "must", "may", "might", "is", "are", "was", "were", "has", "have", "does", "do", "cannot", "can't", "won't":
			return true
		}
		pos := lexicon.POS(t.Lemma)
		if pos == "v" && t.Lower == t.Lemma && i > 0 && !strings.HasSuffix(toks[i-1].Lower, "ing") {
			return true // "uniforms encourage"
		}
		if strings.HasSuffix(t.Lower, "s") && t.Lower != t.Lemma && strings.Contains(pos, "v") && !strings.Contains(pos, "n") {
			return true // "uniform reduces"
		}
	}
	return false
}

func statusOf(raw float64) (string, float64) {
	switch {
	case raw >= coverageCovered:
		return analyzer.StatusCovered, support(raw)
	case raw >= coveragePartial:
		return analyzer.StatusPartial, support(raw)
	}
	return analyzer.StatusMissing, support(raw)
}

// Topic-score thresholds for claims.
const (
	claimCovered = 0.6
	claimPartial = 0.35
)

func claimStatus(topic float64) (string, float64) {
	c := round3(clamp(topic, 0, 0.99))
	switch {
	case topic >= claimCovered:
		return analyzer.StatusCovered, c
	case topic >= claimPartial:
		return analyzer.StatusPartial, c
	}
	return analyzer.StatusMissing, c
}

// topFirst moves the k highest-keyed entries to the front of s, in
// descending order, ties kept in their original order; the rest of s is left
// in some order. A partial selection: areas need only their best few units.
func topFirst(s []unitScore, k int, key func(unitScore) float64) {
	for i := 0; i < k && i < len(s); i++ {
		best := i
		for j := i + 1; j < len(s); j++ {
			if key(s[j]) > key(s[best]) || key(s[j]) == key(s[best]) && s[j].unit < s[best].unit {
				best = j
			}
		}
		if best != i {
			// Shift to keep the order of the remaining entries stable.
			b := s[best]
			copy(s[i+1:best+1], s[i:best])
			s[i] = b
		}
	}
}

// facetTier orders the kinds an area names: what it is about (an emotion,
// stakeholders, a lesson) before how it was come at ("identified",
// "recognized") before the most general ("approach", "actions", "changes").
func facetTier(f facet) int {
	switch f {
	case fTechnique, fAction, fChange:
		return 2
	case fDiscovery, fReasoning:
		return 1
	}
	return 0
}
