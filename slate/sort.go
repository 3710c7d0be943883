package slate

import (
	"fmt"
	"sort"
)

// Orders of the candidates (the columns).
const (
	// SortAdded keeps the order the reports were put in the slate.
	SortAdded = ""
	// SortCoverage puts the report with the most areas covered first
	// (ties: the more specific first, then the order added).
	SortCoverage = "coverage"
	// SortSpecificity puts the most specific report first (ties: the more
	// covered first, then the order added).
	SortSpecificity = "specificity"
)

// Sort reorders the columns: the candidates and, with them, every
// question's answers and every area's cells. It orders reports by their
// own averages only; no answer is weighed against another candidate's.
func (m *Matrix) Sort(by string) error {
	var first, second func(Candidate) float64
	cov := func(c Candidate) float64 { return c.Coverage }
	spec := func(c Candidate) float64 { return c.Specificity }
	switch by {
	case SortAdded:
		return nil
	case SortCoverage:
		first, second = cov, spec
	case SortSpecificity:
		first, second = spec, cov
	default:
		return fmt.Errorf("slate: sort by %q: want %q or %q", by, SortCoverage, SortSpecificity)
	}
	idx := make([]int, len(m.Candidates))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ca, cb := m.Candidates[idx[a]], m.Candidates[idx[b]]
		if first(ca) != first(cb) {
			return first(ca) > first(cb)
		}
		return second(ca) > second(cb)
	})
	m.Candidates = permute(m.Candidates, idx)
	for qi := range m.Questions {
		q := &m.Questions[qi]
		q.Answers = permute(q.Answers, idx)
		for ai := range q.Areas {
			q.Areas[ai].Cells = permute(q.Areas[ai].Cells, idx)
		}
	}
	return nil
}

// permute returns s in the order idx names; a slice of another length
// (a malformed matrix) is left as it is.
func permute[T any](s []T, idx []int) []T {
	if len(s) != len(idx) {
		return s
	}
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = s[j]
	}
	return out
}
