package segment

import (
	"github.com/candorhq/candor/analyzer"
)

// fillProbes records, for each answer, the interviewer turns asked inside
// it: after the question, before a reply that belongs to the answer. Each
// probe's offset is where in the answer's text the reply to it begins, so
// that a reader sees each follow-up where it was asked.
func fillProbes(t *analyzer.Transcript, r *roles, answers []analyzer.Answer) {
	asks := map[int]bool{}
	for _, a := range answers {
		if a.AskedAt >= 0 {
			asks[a.AskedAt] = true
		}
	}
	for k := range answers {
		a := &answers[k]
		if a.AskedAt < 0 || len(a.Turns) == 0 {
			continue
		}
		next := 0 // index into a.Turns of the first reply after the probe
		for i := a.AskedAt + 1; i < a.Turns[len(a.Turns)-1]; i++ {
			turn := t.Turns[i]
			if !r.isInterv[turn.Speaker] || asks[i] {
				continue
			}
			for next < len(a.Turns) && a.Turns[next] < i {
				next++
			}
			if next == len(a.Turns) {
				break
			}
			// Only a probe whose next candidate turn is part of this answer.
			if !nextReplyIs(t, r, i, a.Turns[next]) {
				continue
			}
			a.Probes = append(a.Probes, analyzer.Probe{Turn: i, Speaker: turn.Speaker, Text: turn.Text, Offset: a.Offsets[next]})
		}
	}
}

// nextReplyIs reports whether the candidate's first turn after turn i is
// turn want.
func nextReplyIs(t *analyzer.Transcript, r *roles, i, want int) bool {
	for j := i + 1; j < len(t.Turns); j++ {
		if t.Turns[j].Speaker == r.candidate {
			return j == want
		}
	}
	return false
}
