package nlp

import (
	"sort"
	"strings"
	"sync"

	"github.com/candorhq/candor/lexicon"
)

// families are groups of words that interviews use for the same idea,
// written from general English usage: "upset", "angry" and "frustrated"
// customers are one kind of customer to an interviewer, though WordNet puts
// them far apart. Each family is one extra concept shared by its words, at
// the closeness of a derivation.
var families = []string{
	"upset angry furious frustrated frustrate frustration irate livid mad annoyed annoy fuming enraged irritated outraged anger unhappy dissatisfied disappointed",
	"notice spot catch identify recognize recognise discover detect realize realise uncover",
	"problem gap issue weakness flaw friction shortcoming",
	"stakeholder colleague leadership executive department internal management",
	"proactive anticipate proactively preempt",
	"policy rule exception consistency consistent flexible flexibility guideline",
	"efficient efficiency fast faster cheap cheaper cost speed quick quicker productivity",
	"caring empathetic empathy compassionate compassion kind humane",
	"data analytics numbers metric metrics dashboard",
	"coach coaching train training mentor mentoring teach",
	"feedback survey comment complaint review",
	"detractor promoter recommend loyal loyalty",
	"redesign rework rebuild overhaul revamp",
	"segment group demographic population",
	"job position role post opening vacancy internship",
	"interested interest want attract appeal",
}

// familyBase is far above WordNet's concept ids in the table.
const familyBase = 1 << 30

var (
	familyOnce     sync.Once
	familyConcepts map[string][]lexicon.Concept
)

// Concepts returns a lemma's WordNet concepts (lexicon.Concepts) plus the
// family it belongs to, if any, sorted by id. The slice is shared: callers
// must not modify it.
func Concepts(lemma string) []lexicon.Concept {
	familyOnce.Do(func() {
		familyConcepts = map[string][]lexicon.Concept{}
		for i, f := range families {
			for _, w := range strings.Fields(f) {
				cs := append(append([]lexicon.Concept(nil), lexicon.Concepts(w)...), lexicon.Concept{ID: uint32(familyBase + i), Level: 1})
				sort.Slice(cs, func(a, b int) bool { return cs[a].ID < cs[b].ID })
				familyConcepts[w] = cs
			}
		}
	})
	if cs, ok := familyConcepts[lemma]; ok {
		return cs
	}
	return lexicon.Concepts(lemma)
}
