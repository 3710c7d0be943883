package heuristic

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// probes ask for checkable detail, one per kind of content.
var probes = [nFacets]string{
	fSituation:     "Which particular occasion are you thinking of: when was it, where, and who was involved?",
	fEmotion:       "What did you notice about how the other person was feeling, and what exactly did you say in response?",
	fReasoning:     "What was going through your mind at that point, and why did you choose that route?",
	fTechnique:     "What exactly did you say or do in that conversation? Can you give me the words you used?",
	fAction:        "What did you yourself do, step by step, as opposed to the team?",
	fPolicy:        "Which rule or constraint were you working within, and how far did you go to accommodate the customer?",
	fOutcome:       "How did it end? What happened as a direct result of what you did?",
	fFollowUp:      "Did you check back afterwards? When, and what did you find?",
	fLesson:        "What would you do differently now, and what have you changed since?",
	fMeasure:       "Which number told you it worked: what was it before and after, and over what period?",
	fStakeholder:   "Who else had a say in this, and what did each of them want?",
	fChallenge:     "Where did you meet resistance or a setback, and how did you get past it?",
	fResearch:      "What did you look at or listen to in order to understand the problem: which data, which conversations?",
	fTeam:          "How did you bring your team along: what did you show or teach them, and how did they respond?",
	fChange:        "What concretely changed, and when did it go live?",
	fDiscovery:     "What first made you notice the problem, and when was that?",
	fImpact:        "Who was affected, and how much: can you put a number or an example on it?",
	fCommunication: "How did you communicate it: what did the message or conversation actually say?",
	fPreparation:   "How did you prepare beforehand: what did you expect would happen?",
	fDecision:      "Which options did you weigh, and what made you choose the one you did?",
	fFuture:        "Knowing what you know now, how would you handle the same situation next time?",
	fSegment:       "Who exactly were these customers, and how did they differ from you and your team?",
	fBias:          "Which of your own assumptions turned out to be wrong, and how did you find out?",
	fBehavior:      "What exactly was the person doing that needed to change? Can you give an instance?",
	fResponse:      "How did they react, in their own words, and what did they do next?",
	fPriorities:    "What was pulling in the other direction, and how did you weigh the two?",
	fValidate:      "How did you check that your reading was right: who did you talk to, what did they tell you?",
}

// followUps suggests, for each missing or partial area, the guide's
// best-fitting follow-up question, or a probe for checkable detail when none
// of the guide's fits.
//
// Then, while the cap allows, one for each depth signal the answer lacks
// (absent, not partial), picked the same way with the signal read as an
// extra area of the question (ext and extCov from depth).
// qs is q read for matching (its ext, ext's).
func (e *Engine) followUps(q analyzer.Question, qs *qSem, cov analyzer.Coverage, ext analyzer.Question, extCov analyzer.Coverage) []string {
	out := []string{}
	used := map[string]bool{}
	out = e.pickFollowUps(q, qs, cov, 0, out, used)
	if len(q.Depth) > 0 && len(extCov.Areas) == len(ext.Areas) && qs.ext != nil {
		out = e.pickFollowUps(ext, qs.ext, extCov, len(q.Areas), out, used)
	}
	return out
}

// pickFollowUps appends to out a follow-up for each area of cov from index
// from on that is not covered, up to analyzer.MaxFollowUps in all.
func (e *Engine) pickFollowUps(q analyzer.Question, qs *qSem, cov analyzer.Coverage, from int, out []string, used map[string]bool) []string {
	probs := qs.followUpProbs(e.mustWeights(), q)
	for ai, ar := range cov.Areas {
		if len(out) >= analyzer.MaxFollowUps {
			break
		}
		if ai < from || ar.Status == analyzer.StatusCovered || ai >= len(qs.areas) {
			continue
		}
		if from > 0 && ar.Status != analyzer.StatusMissing {
			continue // a depth signal in part: only absent ones get a follow-up
		}
		// The guide's follow-up that the pair model reads as asking for
		// this area, if one is at least as likely as a partial claim.
		best, bestP := "", 0.0
		for i, fu := range q.FollowUps {
			if used[fu] {
				continue
			}
			if p := probs[ai][i]; p > bestP {
				best, bestP = fu, p
			}
		}
		a := &qs.info[ai]
		var pick string
		if bestP >= claimPartial {
			pick = best
		} else if len(a.facets) > 0 {
			pick = probes[a.facets[0]]
		} else {
			pick = "Can you say more about " + lowerFirst(strings.TrimRight(ar.Text, ". ")) + ", with an example?"
		}
		if !used[pick] {
			used[pick] = true
			out = append(out, pick)
		}
	}
	return out
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || n == len(s) && n == 0 {
		return s
	}
	// Keep acronyms and names as written: only a capital followed by a
	// lower-case letter is lowered.
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r) && unicode.IsLower(next) {
		return string(unicode.ToLower(r)) + s[n:]
	}
	return s
}
