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
	specific bool // the area asks for "the specific X"
	claim    bool // a claim, judged by its topic words only
	kind     string
	key      string // AreaKey(text): its prototype's key
	// rubric holds the area's content lemmas: the words a script recites
	// (rubric.go).
	rubric []string
}

func readArea(text string) areaInfo {
	a := areaInfo{text: text, key: AreaKey(text)}
	doc := nlp.Parse(text)
	a.rubric = rubricLemmas(doc)
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
	}
	// "follow-up" is tokenized as one word by nlp; make sure the facet is there.
	if strings.Contains(strings.ToLower(text), "follow") && !seen[fFollowUp] {
		a.facets = append(a.facets, fFollowUp)
	}
	// "Approach", "actions" and "techniques" say little about what an area
	// wants; a more particular kind named anywhere in it ("in the future",
	// "lessons", "stakeholders") is its head.
	sort.SliceStable(a.facets, func(i, j int) bool { return facetTier(a.facets[i]) < facetTier(a.facets[j]) })
	if len(a.facets) == 0 {
		// No kind of content named: only its topic words can show it
		// is covered.
		a.kind = "topic"
		return a
	}
	a.kind = facetNames[a.facets[0]]
	return a
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

// readStatedArea reads an area whose guide states its kind (one of
// analyzer.AreaKindNames; "" for none): the stated kind is its head, and
// the kinds its words name follow. A kind the engine does not know is
// read as unstated (guide validation rejects it before).
func readStatedArea(text, kind string) areaInfo {
	a := readArea(text)
	if kind == "" {
		return a
	}
	for i, n := range facetNames {
		if n != kind {
			continue
		}
		head := facet(i)
		fs := []facet{head}
		for _, f := range a.facets {
			if f != head {
				fs = append(fs, f)
			}
		}
		a.facets, a.kind = fs, kind
		break
	}
	return a
}

// AreaKind is the head kind of content a question's i-th area asks for
// ("lesson", "outcome", ...; "topic" when it names none): the one its guide
// states, else the one its words name. For the training command.
func AreaKind(q analyzer.Question, i int) string {
	return readStatedArea(q.Areas[i], q.AreaKind(i)).kind
}
