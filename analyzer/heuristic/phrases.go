package heuristic

import (
	"strings"

	"github.com/candorhq/candor/analyzer/nlp"
)

// phraseSet matches short word patterns against a unit's tokens in one pass.
// A pattern is words separated by spaces; "(a|b)" is a choice, "x*" matches
// any word starting with x, and "_" matches any one word. Patterns are
// expanded at start-up and indexed by their first word, so matching costs a
// map look-up per token whatever the number of patterns.
type phraseSet struct {
	byFirst  map[string]firstWord // patterns whose first word is exact
	prefixed map[string][]pattern // patterns whose first word is a prefix, by its first three letters
	any      []pattern            // patterns whose first word is "_" or a shorter prefix
}

// firstWord is what a phraseSet holds under an exact first word.
type firstWord struct {
	patterns []pattern // whose second word is not exact (or absent)
	// next holds the patterns whose first two words are exact and
	// start with the word, by their second word (nil when none does).
	next map[string][]pattern
}

type pattern struct {
	words  []string
	tests  []wordTest // words read once for matching
	weight float64
	facet  facet
}

// wordTest is a pattern word read for matching: "_" any word, "x*" any word
// starting with x, else the word itself.
type wordTest struct {
	text        string
	any, prefix bool
}

func newWordTest(p string) wordTest {
	switch {
	case p == "_":
		return wordTest{any: true}
	case strings.HasSuffix(p, "*"):
		return wordTest{text: p[:len(p)-1], prefix: true}
	}
	return wordTest{text: p}
}

// match reports whether w is a word the pattern word stands for.
func (t *wordTest) match(w string) bool {
	switch {
	case t.any:
		return true
	case t.prefix:
		return strings.HasPrefix(w, t.text)
	}
	return t.text == w
}

func newPhraseSet() *phraseSet {
	return &phraseSet{byFirst: map[string]firstWord{}, prefixed: map[string][]pattern{}}
}

func (ps *phraseSet) add(f facet, w float64, patterns ...string) {
	for _, p := range patterns {
		for _, alt := range expandGroups(p) {
			words := strings.Fields(alt)
			if len(words) == 0 {
				continue
			}
			pt := pattern{words: words, weight: w, facet: f}
			for _, w := range words {
				pt.tests = append(pt.tests, newWordTest(w))
			}
			if words[0] == "_" {
				ps.any = append(ps.any, pt)
				continue
			}
			if strings.HasSuffix(words[0], "*") {
				k := strings.TrimSuffix(words[0], "*")
				if len(k) < 3 {
					ps.any = append(ps.any, pt) // too short to index; checked at every word
					continue
				}
				ps.prefixed[k[:3]] = append(ps.prefixed[k[:3]], pt)
				continue
			}
			if len(words) > 1 && words[1] != "_" && !strings.HasSuffix(words[1], "*") {
				fw := ps.byFirst[words[0]]
				if fw.next == nil {
					fw.next = map[string][]pattern{}
				}
				fw.next[words[1]] = append(fw.next[words[1]], pt)
				ps.byFirst[words[0]] = fw
				continue
			}
			fw := ps.byFirst[words[0]]
			fw.patterns = append(fw.patterns, pt)
			ps.byFirst[words[0]] = fw
		}
	}
}

// expandGroups turns "(a|b c) d" into ["a d", "b c d"]; "(x )?" is optional.
func expandGroups(p string) []string {
	i := strings.IndexByte(p, '(')
	if i < 0 {
		return []string{p}
	}
	depth, j := 0, i
	for ; j < len(p); j++ {
		if p[j] == '(' {
			depth++
		} else if p[j] == ')' {
			depth--
			if depth == 0 {
				break
			}
		}
	}
	if j >= len(p) {
		return []string{p}
	}
	alts := strings.Split(p[i+1:j], "|")
	rest := p[j+1:]
	if strings.HasPrefix(rest, "?") {
		rest = rest[1:]
		alts = append(alts, "")
	}
	var out []string
	for _, a := range alts {
		out = append(out, expandGroups(p[:i]+a+rest)...)
	}
	return out
}

// startsAt is what a phrase set holds for a word to start: its exact
// first-word patterns and its prefix patterns.
type startsAt struct {
	first    firstWord
	prefixed []pattern
}

func (ps *phraseSet) startsAt(w string) startsAt {
	st := startsAt{first: ps.byFirst[w]}
	if len(w) >= 3 {
		st.prefixed = ps.prefixed[w[:3]]
	}
	return st
}

// match calls fn for every pattern found in toks[first:last]. starts, when
// not nil, holds ps.startsAt of each token's lower-case form (looked up
// once per word, not once per token).
func (ps *phraseSet) match(toks []nlp.Token, first, last int, starts []*startsAt, fn func(p *pattern, at int)) {
	try := func(p *pattern, i int) {
		if i+len(p.tests) > last {
			return
		}
		for k := range p.tests {
			if !p.tests[k].match(toks[i+k].Lower) {
				return
			}
		}
		fn(p, i)
	}
	for i := first; i < last; i++ {
		w := toks[i].Lower
		var st startsAt
		if starts != nil {
			st = *starts[i-first]
		} else {
			st = ps.startsAt(w)
		}
		fw := st.first
		for k := range fw.patterns {
			try(&fw.patterns[k], i)
		}
		if fw.next != nil && i+1 < last {
			two := fw.next[toks[i+1].Lower]
			for k := range two {
				try(&two[k], i)
			}
		}
		for k := range st.prefixed {
			try(&st.prefixed[k], i)
		}
		for k := range ps.any {
			try(&ps.any[k], i)
		}
	}
}

// anchors are the strong cues of each kind of content: phrases whose presence
// in a unit makes it plain evidence of that kind.
var anchors = newPhraseSet()

func init() {
	a := anchors.add
	subj := "(i|she|he|they|we)"
	a(fSituation, 0.7, "there (was|were) a", "we had (a|this|one)", "i had (a|this|one)", "one time", "this one time", "(a|one) (customer|client|guest|patient|caller|passenger|member|user) (who|whose|called|named|came|had|was)",
		"at my (last|previous|old|first) (job|company|role|employer)", "when i was (at|a|an|the|working|leading|managing|running)",
		"i was (working|the|a|an) *", "this was (in|at|about|back|around|last|during|like)", "back (in|when)", "(years|months|weeks) ago", "in (2019|2020|2021|2022|2023|2024|2025|2026)")
	a(fEmotion, 0.6, subj+" (was|were|felt|seemed|sounded|looked|got) (upset|angry|furious|frustrated|anxious|scared|worried|confused|embarrassed|hurt|overwhelmed|annoyed|stressed|panicked|livid|devastated|distraught|exhausted|humiliated|disappointed|nervous|afraid|mad|emotional|crying|shaking|tearful)",
		"(her|his|their) (voice|tone|face|hands)", "(crying|cried|tears|shaking|trembling|yelling|shouting|sobbing|sighing|sighed|raised)",
		"i could (tell|hear|see|sense)", "i (noticed|sensed|realized|realised|heard) (she|he|they|that|how|her|his|the)", "how (she|he|they) (felt|was feeling|were feeling)",
		"(acknowledge*|validate*|name*) (her|his|their|the) (feeling*|emotion*|frustration|anger|fear|worry|concern*)", "the emotion*", "emotional*", "feel* (unheard|ignored|dismissed|tricked|stupid|small|invisible|judged)")
	a(fReasoning, 0.6, "i (thought|realized|realised|figured|knew|decided|felt|wanted|reasoned|reckoned|judged)", "i was thinking", "my (thinking|reasoning|thought|instinct|read) was", "i didn't want", "i did not want",
		"because i (wanted|knew|felt|thought)", "it (struck|hit|occurred to) me", "in my head", "my (first|gut) (instinct|reaction|thought)")
	a(fTechnique, 0.6, "i (said|told|asked|explained|apologized|apologised|listened|acknowledged|repeated|paraphrased|summarized|summarised|reassured|validated|mirrored|named|slowed|paused|sat|walked|showed|came|let|stopped|offered|promised|thanked)",
		"i (just|first|then|actually|also) (said|told|asked|explained|apologized|apologised|listened|acknowledged|repeated|came|let|stopped|sat|took)",
		// The same techniques told as habits or plans: generic, but still a
		// description of how the candidate works.
		"(i|i'd|i'll) (always|usually|just|first|then|would|will)? (say|tell|ask|explain|apologize|apologise|listen|acknowledge|repeat|paraphrase|summarize|summarise|reassure|validate|mirror|let|offer|promise|thank|sit|walk|show|slow|pause|use|share|bring|involve|invite|run|play|read)",
		"i would (say|tell|ask|explain|apologize|listen|acknowledge|repeat|reassure|validate|let|offer|show|use|share|bring|start|begin|try)",
		"role-play*", "roleplay*", "role play*", "(technique|framework|method|exercise|script|model)", "active listening", "open-ended", "open ended", "let (her|him|them) (talk|vent|finish|speak)")
	a(fAction, 0.6, "i (called|emailed|phoned|rang|set|arranged|booked|fixed|refunded|escalated|rebooked|changed|built|created|added|launched|started|pulled|wrote|rewrote|got|made|took|moved|scheduled|contacted|reached|met|visited|invited|tested|piloted|introduced|ran|organized|organised|put|sent|offered|gave|waived|credited|drafted|brought|asked|worked|went|personally|reviewed|flagged|found|tracked|mapped|pushed|proposed|presented|shared|recorded|hosted|partnered)",
		"i (also|then|immediately|personally|actually) _", "so i _", "and i (called|emailed|set|got|made|took|sent|offered|gave|went|put|wrote|asked)")
	a(fPolicy, 0.7, "(policy|policies|rule|rules|exception|exceptions|procedure|procedures|guideline*|precedent|compliance|regulat*|approval|authority|terms)", "within (the|our) (policy|rules|guidelines)", "bent the", "bend the", "(waive*|override*|overrode)")
	a(fOutcome, 0.6, "ended up", "in the end", "at the end", "as a result", "the result", "the outcome", "it worked", "that worked", "it paid off",
		subj+" (made|came|stayed|renewed|thanked|wrote|emailed|called|left|gave|upgraded|returned|signed|recommended|agreed|accepted)",
		"went (from|down|up)", "(dropped|fell|rose|increased|decreased|improved|reduced|halved|doubled|resolved|solved|recovered|saved)", "eventually", "finally", "by the end")
	a(fFollowUp, 0.8, "follow* up", "follow-up*", "followup", "check* (in|back)", "(called|rang|emailed|texted) (her|him|them) back", "a (week|few days|couple of days|couple of weeks|month|day) later",
		"(weeks|days|months) later", "the next (day|week|morning|month)", "afterwards", "after that i", "two weeks later")
	a(fLesson, 0.8, "learn*", "lesson*", "taught me", "takeaway", "take-away", "what i took", "i took away", "(made|makes) me (realize|realise|think)", "since then", "ever since",
		"now i (always|make|try|tell|start|ask)", "now when i", "going forward", "do (it )?differently", "stuck with me", "i realized that", "i realised that", "reminded me", "the biggest thing")
	a(fMeasure, 0.7, "(measure*|metric*|nps|csat|ces|churn|retention|kpi*|dashboard*|baseline|benchmark*)", "survey (score*|results)", "(score|scores|rate|rates|percent|percentage|%)", "tracked", "track*", "before and after", "per cent")
	a(fStakeholder, 0.5, "(stakeholder*|manager|managers|director*|vp|vps|executive*|leadership|leaders|ceo|cfo|coo|cto|board|finance|legal|engineering|engineers|product|marketing|sales|billing|operations|ops|compliance|underwriting|underwriters|actuar*|department*|boss|head|colleague*|peers|committee|partner*|vendor*|it)")
	a(fChallenge, 0.7, "push back", "pushed back", "pushback", "resist*", "skeptic*", "sceptic*", "objection*", "(hard|tough|tricky|difficult) part", "(challenge*|obstacle*|struggl*|hurdle*|setback*)", "didn't want to", "did not want to", "wasn't (happy|keen|convinced)",
		"reluctant*", "(concern*|worried)", "argu*", "disagree*", "convinc*", "(but|however) _ (said|thought|felt|wanted|didn't|wouldn't)")
	a(fResearch, 0.7, "interview*", "survey*", "listened to (calls|recordings|the)", "read (through|all|every|the)", "review* (tickets|calls|comments|feedback|data|recordings|transcripts|logs)", "shadow*",
		"focus group*", "(data|analytics|verbatim*|feedback|sentiment|dashboard*|tickets|transcripts|comments|reviews)", "tagged", "site visit*", "visited", "sat in on", "spoke (to|with)", "talked to", "ride-along*")
	a(fTeam, 0.6, "train*", "coach*", "role-play*", "roleplay*", "workshop*", "huddle*", "one-on-one*", "team meeting*", "new (agents|hires|staff)", "my team", "the team", "(agents|reps|staff)", "mentor*", "playbook*")
	a(fChange, 0.7, "(changed|redesigned|rewrote|rewritten|added|introduced|launched|implemented|created|built|replaced|removed|updated|simplified|moved|switched|piloted|automated)",
		"rolled out", "set up", "new (process|policy|script|flow|template|option|step|form|page|program|programme|feature|rule|check)")
	a(fDiscovery, 0.7, "(noticed|spotted|discovered|uncovered)", "realized that", "realised that", "found (that|out)", "saw that", "turned out", "figured out", "dug (into|in)", "it hit me", "caught my (eye|attention)", "tipped me off", "picked up on",
		"i could (tell|see|hear)", "that's when i", "that is when i", "what (stood|jumped) out", "i (started|began) to (see|notice)",
		"surpris*", "the (big|main|biggest|key|real) (thing|insight|finding|issue|problem|reason|lesson)", "what (we|i) (found|learned|learnt|realized|realised|discovered|saw|noticed)",
		"it turned out", "it wasn't (the|about|really)", "it was not (the|about)", "we (found|learned|learnt|realized|realised|discovered|saw|noticed) that")
	a(fImpact, 0.6, "(impact*|affect*|churn*|complaint*|cancel*|revenue|retention|loyalty|satisfaction|escalation*|refund*)", "cost (us|them|the)", "(leaving|losing|lost) (customers|clients|accounts|members)")
	a(fCommunication, 0.6, "(letter*|email*|message*|script*|announcement*|faq*|wording|language|phrasing|talking points|notice*|newsletter)", "explain*", "told (them|customers|her|him|the)", "(conversation|call|calls) with", "we (told|wrote|sent|explained)", "i (told|wrote|sent|explained)")
	a(fPreparation, 0.7, "prepar*", "ahead of", "in advance", "anticipat*", "before (the|we|it|they|anyone)", "expected", "we planned", "i planned", "rehears*", "brief*", "got ready", "war room")
	a(fDecision, 0.7, "decid*", "decision*", "(chose|choose|chosen)", "option*", "weigh*", "criteri*", "trade-off*", "tradeoff*", "pros and cons", "made the call", "went with", "opted")
	a(fFuture, 0.7, "next time", "in the future", "going forward", "would (do|approach|handle|change)", "(i'd|i would) (do|approach|handle|change|start|try)", "differently", "if i (had|did) it again", "again i")
	a(fSegment, 0.6, "(segment*|demographic*|older|elderly|seniors|senior|younger|students|rural|non-technical|nontechnical|immigrant*|first-time|families|community|communities|disabilit*|deaf|blind|retirees|nonprofits|nonprofit|small businesses)",
		"different from (us|me|our|my)", "(spanish|spanish-speaking|spanish-dominant|english-only|language|languages)", "who (didn't|did not) (speak|use|have|trust)")
	a(fBias, 0.8, "assum*", "bias*", "stereotyp*", "preconception*", "i thought it was", "we thought it was", "we (had )?assumed", "(we|i) (were|was) wrong", "misconception*", "blind spot*", "my own")
	a(fBehavior, 0.6, "(curt|rude|abrupt|scripted|robotic|cold|dismissive|interrupt*|rushed|rushing|impatient|defensive|sarcastic)", "reading (from|off)", "(his|her|their) tone", "the way (she|he|they) (spoke|talked|handled)")
	a(fResponse, 0.6, "(she|he|they) (responded|reacted|appreciated|thanked|agreed|accepted|embraced|loved|liked|got|pushed|was|were) ", "(reaction|response)", "was receptive", "took it (well|badly)", "came around", "bought in")
	a(fPriorities, 0.6, "(cost|costs|efficien*|speed|budget|productivity|versus|vs|trade-off*|tradeoff*|tension|competing|targets|target)", "handle time", "on (the )?one hand", "on the other hand", "balanc*")
	a(fValidate, 0.7, "validat*", "confirm*", "verif*", "double-check*", "called (a few|some|several|twenty|ten|five)", "talked to (customers|users|a few|some)", "spoke (to|with) (customers|users|a few|some)", "listened to", "sat (in|with)", "tested", "checked (it|with|against)")
}
