package analyzer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/semantic"
)

// WarnStoryReused: answers to different questions of one report tell the
// same episode (the same people, places, numbers and events). Only answers
// within one report are compared, never answers of different candidates.
const WarnStoryReused = "story_reused"

// Story reuse is judged on an answer's anchors: the details that pin an
// episode down. Names (capitalised words inside a sentence) and numbers
// weigh reuseStrong, rare words (beyond the reuseRarity frequency rank,
// "refund", "warehouse", "escalation") weigh 1. Two answers tell one
// episode when the anchors they share weigh at least reuseMinShared,
// include a name or a number, and make at least reuseMinShare of the
// lighter answer's anchors. One shared name (the employer, a product) is
// not enough: every answer of one candidate may name their company.
const (
	reuseStrong    = 2
	reuseRarity    = 0.72
	reuseMinShared = 5
	reuseMinShare  = 0.3
)

type anchorSet struct {
	weight map[string]int // anchor key -> weight
	total  int
	doc    *nlp.Doc
	// where lists, for each anchor, the units (sentences) it occurs in.
	where map[string][]int
}

func anchorsOf(text string) anchorSet {
	doc := nlp.Parse(text)
	s := anchorSet{weight: map[string]int{}, where: map[string][]int{}, doc: doc}
	first := map[int]bool{}
	for _, u := range doc.Units {
		if u.SentenceStart {
			first[u.First] = true
		}
	}
	for i, t := range doc.Tokens {
		var key string
		var w int
		lower := strings.TrimSuffix(t.Lower, "'s")
		switch {
		case t.Number:
			key, w = "#"+strings.Trim(lower, ".,:"), reuseStrong
		case numberWords[lower]:
			key, w = "#"+lower, reuseStrong
		case t.Cap && lower != "i" && !semantic.IsStopword(lower) && len([]rune(lower)) > 1 &&
			(!first[i] || rare(lower, lower)):
			// A capitalised word inside a sentence is a name; at the
			// start of one, only if it is a rare word too ("Marek", not
			// "Policy").
			key, w = "n:"+lower, reuseStrong
		case len(t.Lower) >= 4 && !semantic.IsStopword(t.Lower) && !semantic.IsStopword(t.Lemma) &&
			rare(t.Lower, t.Lemma):
			key, w = "w:"+t.Lemma, 1
		default:
			continue
		}
		if _, ok := s.weight[key]; !ok {
			s.weight[key] = w
			s.total += w
		}
		if us := s.where[key]; len(us) == 0 || us[len(us)-1] != t.Unit {
			s.where[key] = append(us, t.Unit)
		}
	}
	return s
}

// numberWords are the numbers people say in words ("ten weeks", "eleven
// hours"); they anchor an episode like digits do.
var numberWords = map[string]bool{"three": true, "four": true, "five": true, "six": true, "seven": true,
	"eight": true, "nine": true, "ten": true, "eleven": true, "twelve": true, "fifteen": true, "twenty": true,
	"thirty": true, "forty": true, "fifty": true, "hundred": true, "thousand": true}

func rare(lower, lemma string) bool {
	id := semantic.Lookup(lower)
	if id == semantic.NoID {
		id = semantic.Lookup(lemma)
	}
	if id == semantic.NoID {
		// Not a word the table holds: a misspelling or a lower-case name.
		return strings.IndexFunc(lower, func(r rune) bool { return r < 'a' || r > 'z' }) < 0
	}
	return semantic.Rarity(id) >= reuseRarity
}

// shared returns the anchors a and b share, their weight and whether one
// of them is a name or a number.
func shared(a, b anchorSet) (keys []string, weight int, strong bool) {
	for k, w := range a.weight {
		if _, ok := b.weight[k]; ok {
			keys = append(keys, k)
			weight += w
			strong = strong || w == reuseStrong
		}
	}
	slices.Sort(keys)
	return keys, weight, strong
}

// quoteFor returns the sentence of s that holds the most of keys.
func quoteFor(s anchorSet, keys []string) *Span {
	count := map[int]int{}
	for _, k := range keys {
		for _, u := range s.where[k] {
			count[u]++
		}
	}
	best, bestN := -1, 0
	for u := range s.doc.Units {
		if count[u] > bestN {
			best, bestN = u, count[u]
		}
	}
	if best < 0 {
		return nil
	}
	u := s.doc.Units[best]
	return &Span{Quote: s.doc.UnitText(u), Start: u.Start, End: u.End}
}

func anchorNames(keys []string) string {
	var out []string
	for _, k := range keys {
		if len(out) == 6 {
			out = append(out, "...")
			break
		}
		out = append(out, k[strings.IndexByte(k, ':')+1:])
	}
	return strings.Join(out, ", ")
}

// checkReuse adds a story_reused warning to every answer of rep that tells
// the same episode as an answer to another question, naming the other
// question(s) with a quote from each, and asks for a different example.
func checkReuse(rep *Report) {
	n := len(rep.Answers)
	if n < 2 {
		return
	}
	sets := make([]anchorSet, n)
	for i := range rep.Answers {
		sets[i] = anchorsOf(rep.Answers[i].Text)
	}
	// Answers that tell one episode, directly or through another answer,
	// form a cluster; every answer of a cluster is warned, naming the
	// others.
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	clusterKeys := map[int][]string{}
	linked := make([]bool, n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if rep.Answers[i].QuestionID == rep.Answers[j].QuestionID {
				continue
			}
			keys, w, strong := shared(sets[i], sets[j])
			lighter := min(sets[i].total, sets[j].total)
			if !strong || w < reuseMinShared || lighter == 0 || float64(w)/float64(lighter) < reuseMinShare {
				continue
			}
			linked[i], linked[j] = true, true
			ri, rj := find(i), find(j)
			if ri != rj {
				parent[rj] = ri
				clusterKeys[ri] = append(clusterKeys[ri], clusterKeys[rj]...)
				delete(clusterKeys, rj)
			}
			clusterKeys[ri] = append(clusterKeys[ri], keys...)
		}
	}
	for i := 0; i < n; i++ {
		if !linked[i] {
			continue
		}
		a := &rep.Answers[i]
		all := slices.Clone(clusterKeys[find(i)])
		var others, quotes []string
		for j := 0; j < n; j++ {
			if j == i || !linked[j] || find(j) != find(i) {
				continue
			}
			o := rep.Answers[j].QuestionID
			others = append(others, o)
			if q := quoteFor(sets[j], all); q != nil {
				quotes = append(quotes, fmt.Sprintf("%s: %q", o, q.Quote))
			}
		}
		slices.Sort(all)
		all = slices.Compact(all)
		span := quoteFor(sets[i], all)
		msg := fmt.Sprintf("the answers to %s and %s tell the same episode (shared: %s)",
			a.QuestionID, strings.Join(others, ", "), anchorNames(all))
		if span != nil {
			msg += fmt.Sprintf("; %s: %q", a.QuestionID, span.Quote)
		}
		if len(quotes) > 0 {
			msg += "; " + strings.Join(quotes, "; ")
		}
		w := Warning{Code: WarnStoryReused, QuestionID: a.QuestionID, Message: msg, Span: span}
		a.Warnings = append(a.Warnings, w)
		rep.Warnings = append(rep.Warnings, w)
		ask := fmt.Sprintf("This sounds like the episode you told for %s. Can you give me a different example, from another time or another job?",
			strings.Join(others, " and "))
		if !slices.Contains(a.FollowUps, ask) {
			a.FollowUps = append([]string{ask}, a.FollowUps...)
		}
	}
}
