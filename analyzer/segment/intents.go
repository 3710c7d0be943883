package segment

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// Interviews ask the same few kinds of question everywhere (tell me about
// yourself, why this job, your weaknesses, a time you led, a team in
// trouble, a conflict, a failure ...), and interviewers put each in many
// words that share no lemma with the guide's: "what's something you wish
// you were better at?" asks for a weakness, "ever been the one running the
// show?" for leadership. An intent is one such kind of question, with the
// ways of asking it that interviewers use, written here from general
// interviewing practice (not from any transcript).
//
// A guide question has the intents its own text, areas and follow-ups
// show; an interviewer turn has those its words show. The decoder reads
// whether the two share one (feature "intent") and whether the turn shows
// intents of other questions but none of q's ("intent_other"); the weights
// of both are learned like the others'. Guides whose questions show no
// intent are matched as before.
type intent struct {
	name string
	re   *regexp.Regexp
	// refines names a broader intent that this one narrows: winning back
	// an unhappy customer is a kind of handling an unhappy customer. A text
	// that shows both shows only the narrower (narrow), so that a guide
	// with one question of each kind tells them apart.
	refines string
	// anchors are literals one of which every match contains (nil: none
	// known, run the pattern): a turn with none of them is not tried,
	// which spares most turns most patterns (requiredLiterals).
	anchors []string
	// broader is the bit of the intent this one refines (0: none).
	broader uint32
}

// intents: each pattern is matched against the lower-cased turn as
// normalised by package spoken (fillers, stutters and notes taken out).
var intents = []intent{
	{name: "self", re: rx(`about yourself|introduce yourself|(a |an |quick |short |brief )?(intro|introduction)\b|who you are|who are you|` +
		`about you\b|\bbackground\b|(start|begin|kick off|kick things off|open) with you\b|(^|[.!?] )(so,? |ok,? |and |now,? )*you\.|` +
		`what you('re| are) (studying|doing now|up to these days)|walk (me|us) through your (resume|résumé|cv|background|story)|` +
		`catch (me|us) up on you|little bit about you|tell (me|us) a bit about you|a little about you`)},
	{name: "motivation", re: rx(`why (are you|do you|did you|would you)( \w+)? (interested|want|apply|applying|choose|chose|pick|picked)|` +
		`why (this|that|our|the) (job|role|position|internship|company|team|program|opening|place|studio|firm|bank|field)|` +
		`why (us|here)\b|why do you want|interested in (this|the|our|working)|` +
		`(draws|drew|drawn|attracts|attracted|appeals|appealed|pulls|pulled|pulling|brings|brought|excites|excited) (to )?you\b|` +
		`(^|[.!?] )(and |so |ok |okay )*why( [a-z']+){1,3}\?$|` +
		`made you (want to )?apply|got you (to apply|interested)|made you interested|what interests you|` +
		`(want|like) to work (here|with us|for us)|apply (here|for this|to us)|applied (here|for this|to us)`)},
	{name: "weakness", re: rx(`(your|my|biggest|greatest|main|personal|one|any|and|real) weakness|weaknesses\?|^weakness|weak (spot|point|area)s?|area(s)? (for|of|to) (improvement|improve|growth|grow|development|develop)|` +
		`(get|be|been|become|getting) better at|(wish|like) you were better|could be better|improve on|` +
		`(need|needs|want|have|trying|try) to work on|working on (improving|getting better)|struggle with|struggles|` +
		`not (so |very |that |as |too |really )?(good|great|strong) at|trips you up|shortcoming|blind spot|` +
		`(something|what) you('re| are) (not|working on)|(biggest|greatest) (flaw|challenge personally)`)},
	{name: "strength", re: rx(`\bstrengths?\b|what (are|is) (you|your) (best|good|great|really good|strongest) at|bring to the table|superpower`)},
	{name: "leadership", re: rx(`leadership|\b(lead|led|leading) (a|an|the|your|people|others|something|anything|someone|anyone|them)\b|(a|the) leader\b|took charge|take charge|in charge|` +
		`(run|running|ran) the show|\bthe boss\b|step(ped)? up|looking to you|people followed you|followed your lead|` +
		`head(ed)? up|spearhead`)},
	{name: "teamwork", re: rx(`\bteams?\b|teamwork|teammates?|group (project|work|assignment)|(in|with|of) a group\b|worked with others|working with others|` +
		`(fell|falling|fall) apart|went sideways|collaborat`)},
	{name: "conflict", re: rx(`disagree|conflict|clash|butt(ed)? heads|didn't get along|did not get along|argument|` +
		`friction|at odds|see eye to eye`)},
	{name: "failure", re: rx(`\bfail(ed|ure|ing|s)?\b|mistake|went wrong|go wrong|messed up|screwed up|` +
		`didn't work out|did not work out|fell flat|fell through|didn't go (well|to plan)|flop`)},
	{name: "pressure", re: rx(`deadline|time pressure|under pressure|tight (timeline|schedule|turnaround)|crunch|` +
		`under the gun|last minute|short notice|pressure`)},
	{name: "feedback", re: rx(`feedback|criticism|critique|critical (comment|note)|told you .{0,20}(wrong|improve)`)},
	{name: "influence", re: rx(`persuade|convince|on board|buy-in|buy in|no (real )?(authority|say)|weren't their boss|` +
		`not their boss|without (being|the) (boss|authority|title)|influence|back (an|your) idea`)},
	{name: "improve_process", re: rx(`improved? (a |the |your |how )?(process|workflow|system|procedure|way)|` +
		`made (it|things|a process|the process) (better|faster|easier|smoother)|way of (doing|working)|streamlin|what was it before`)},
	{name: "goals", re: rx(`five years|5 years|ten years|long[- ]term|career goals?|see yourself|where do you see|` +
		`(your|future) goals|next step in your career`)},
	{name: "upset_customer", re: rx(`(angry|upset|frustrated|irate|furious|livid|mad|unhappy|difficult|rude|yelling|screaming|` +
		`not happy|losing it|lost it|hostile|annoyed|disappointed) (customer|client|caller|guest|patient|passenger|person|people)|` +
		`(customer|client|caller|guest|patient|passenger)s? (who|that) (was|were) (angry|upset|frustrated|irate|furious|livid|mad|unhappy|` +
		`not happy|really not happy|yelling|screaming)|(customer|client|caller|guest|patient|passenger)s? (who |that )?(came|come|comes|called|walked) (to you |in |up )?(angry|upset|frustrated|furious|irate|yelling|shouting)|losing it|lost it|yelling|screaming|chewed you out`)},
	{name: "win_back", refines: "upset_customer", re: rx(`win (them|him|her|the customer|a customer|the client|a client|that customer|customers|clients) back|` +
		`won (them|him|her|the customer|a customer|the client|a client|that customer) back|` +
		`(win|won|winning) back (an? |the |that |those )?(unhappy |lost |angry |upset )?(customer|client|account|guest|patient)s?\b|` +
		`detractors?\b|promoters?\b|into (a |an )?(fan|advocate|champion|loyal customer)\b|` +
		`(would|'d) (happily )?recommend (you|us)\b|recommending (you|us)\b|loyal customer again`)},
	{name: "decision", re: rx(`before you had all|not all the (info|information|facts)|(incomplete|missing|limited|partial) (info|information|data)|` +
		`without (all|enough) (the )?(info|information|data|facts)|judge?ment call|(tough|hard|difficult) (call|decision)|` +
		`(a|the) call you (had to|made|make)|make (a|the) call`)},
	{name: "help_teammate", re: rx(`(teammate|coworker|co-worker|colleague) (was |who was |that was )?(struggling|having a hard time|behind|overwhelmed)|` +
		`stepped in to help|help(ed)? (a |your )?(teammate|coworker|co-worker|colleague)`)},
}

func rx(s string) *regexp.Regexp { return regexp.MustCompile(`(?:` + s + `)`) }

// allIntents is the mask of every intent.
const allIntents = ^uint32(0)

func init() {
	if len(intents) > 32 {
		panic("segment: more intents than bits in a uint32")
	}
	for i := range intents {
		re, err := syntax.Parse(intents[i].re.String(), syntax.Perl)
		if err != nil {
			panic(err)
		}
		intents[i].anchors = requiredLiterals(re.Simplify())
	}
	for i := range intents {
		if intents[i].refines == "" {
			continue
		}
		for j := range intents {
			if intents[j].name == intents[i].refines {
				intents[i].broader = 1 << j
			}
		}
		if intents[i].broader == 0 {
			panic("segment: intent " + intents[i].name + " refines unknown " + intents[i].refines)
		}
	}
}

// narrow drops from a set of intents each one that a narrower intent of
// the set refines.
func narrow(set uint32) uint32 {
	out := set
	for i := range intents {
		if set&(1<<i) != 0 {
			out &^= intents[i].broader
		}
	}
	return out
}

// widen adds to mask the intents that refine one of it: they must be
// looked for to narrow the set.
func widen(mask uint32) uint32 {
	out := mask
	for i := range intents {
		if intents[i].broader&mask != 0 {
			out |= 1 << i
		}
	}
	return out
}

// requiredLiterals returns literals one of which every match of re
// contains, or nil when it cannot tell.
func requiredLiterals(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpConcat:
		// The child whose shortest required literal is longest: the
		// rarest test.
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			lits := requiredLiterals(sub)
			if lits == nil {
				continue
			}
			short := len(lits[0])
			for _, l := range lits {
				short = min(short, len(l))
			}
			if short > bestLen {
				best, bestLen = lits, short
			}
		}
		return best
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			lits := requiredLiterals(sub)
			if lits == nil {
				return nil
			}
			out = append(out, lits...)
		}
		return out
	}
	return nil
}

// intentsOf returns the set of intents (bits, by index in intents) among
// those of mask that a lower-cased text shows, narrowed (narrow). The
// decoder asks only for the intents its guide's questions have: no other
// can count.
func intentsOf(lower string, mask uint32) uint32 {
	var set uint32
	look := widen(mask)
	for i := range intents {
		if look&(1<<i) == 0 {
			continue
		}
		if in := &intents[i]; in.mayMatch(lower) && in.re.MatchString(lower) {
			set |= 1 << i
		}
	}
	return narrow(set) & mask
}

// mayMatch reports whether the text holds one of the intent's anchors.
func (in *intent) mayMatch(lower string) bool {
	if in.anchors == nil {
		return true
	}
	for _, a := range in.anchors {
		if strings.Contains(lower, a) {
			return true
		}
	}
	return false
}

// questionIntents returns each question's distinctive intents: those of
// its own text that no other question of the guide shows (areas and
// follow-ups name sub-topics, not the kind of question). An intent many
// questions show ("a team" in a guide about managing customer teams) tells
// them apart no better than a common word.
func questionIntents(texts []string) []uint32 {
	out := make([]uint32, len(texts))
	var seen, shared uint32
	for i := range texts {
		out[i] = intentsOf(strings.ToLower(texts[i]), allIntents)
		shared |= seen & out[i]
		seen |= out[i]
	}
	for i := range out {
		out[i] &^= shared
	}
	return out
}
