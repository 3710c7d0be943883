package heuristic

import "strings"

// The cue lists below are general knowledge of how people talk about their
// work, written for Candor: they name kinds of content (an emotion, an
// outcome, a lesson), never phrases of any particular answer. WordNet's
// lexicographer classes (package lexicon) widen them to words not listed.

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// facet is a kind of content an area to cover asks for.
type facet int

const (
	fSituation facet = iota
	fEmotion
	fReasoning
	fTechnique
	fAction
	fPolicy
	fOutcome
	fFollowUp
	fLesson
	fMeasure
	fStakeholder
	fChallenge
	fResearch
	fTeam
	fChange
	fDiscovery
	fImpact
	fCommunication
	fPreparation
	fDecision
	fFuture
	fSegment
	fBias
	fBehavior
	fResponse
	fPriorities
	fValidate
	nFacets
)

var facetNames = [nFacets]string{"situation", "emotion", "reasoning", "technique", "action", "policy", "outcome",
	"follow_up", "lesson", "measurement", "stakeholders", "challenge", "research", "team", "change", "discovery",
	"impact", "communication", "preparation", "decision", "future", "segment", "bias", "behavior", "response",
	"priorities", "validation"}

// areaCues maps lemmas found in an area's description to the facets it asks
// for. Order does not matter: an area may ask for several kinds of content.
var areaCues = map[string][]facet{
	"situation": {fSituation}, "context": {fSituation}, "circumstance": {fSituation}, "led": {fSituation},
	"tension": {fSituation, fPriorities}, "disconnect": {fSituation, fDiscovery}, "gap": {fSituation, fDiscovery},
	"emotion": {fEmotion}, "emotional": {fEmotion}, "feeling": {fEmotion}, "empathy": {fEmotion}, "empathetic": {fEmotion},
	"empathetically": {fEmotion}, "frustration": {fEmotion, fSituation}, "unheard": {fEmotion, fSituation},
	"pain": {fEmotion, fDiscovery}, "trust": {fEmotion}, "cared": {fEmotion},
	"thought": {fReasoning}, "evaluate": {fReasoning, fDecision}, "evaluated": {fReasoning, fDecision}, "assess": {fReasoning, fDiscovery},
	"technique": {fTechnique}, "approach": {fTechnique}, "method": {fTechnique, fResearch}, "strategy": {fTechnique, fCommunication},
	"framework": {fTechnique}, "listening": {fTechnique, fCommunication}, "language": {fCommunication},
	"action": {fAction}, "actions": {fAction}, "resolve": {fAction, fOutcome}, "address": {fAction}, "addressed": {fAction},
	"taken": {fAction}, "demonstrate": {fAction, fTechnique}, "demonstrated": {fAction, fTechnique}, "advocate": {fAction, fStakeholder},
	"advocated": {fAction, fStakeholder}, "validate": {fAction, fValidate}, "rebuild": {fAction},
	"policy": {fPolicy}, "policies": {fPolicy}, "business": {fPolicy, fImpact}, "balance": {fPolicy, fPriorities},
	"balanced": {fPolicy, fPriorities}, "consistency": {fPolicy}, "requirement": {fPolicy}, "flexibility": {fPolicy},
	"outcome": {fOutcome}, "result": {fOutcome}, "resolution": {fOutcome}, "ultimately": {fOutcome}, "final": {fOutcome},
	"follow-up": {fFollowUp}, "follow": {fFollowUp},
	"lesson": {fLesson}, "learned": {fLesson}, "learn": {fLesson}, "teach": {fLesson},
	"measure": {fMeasure}, "measured": {fMeasure}, "metric": {fMeasure}, "success": {fMeasure, fOutcome}, "effectiveness": {fMeasure},
	"quantitative": {fMeasure, fResearch}, "qualitative": {fResearch}, "improvement": {fMeasure, fOutcome},
	"stakeholder": {fStakeholder}, "stakeholders": {fStakeholder}, "internal": {fStakeholder}, "organization": {fStakeholder, fImpact},
	"buy-in": {fStakeholder}, "decision-making": {fDecision, fStakeholder},
	"resistance": {fChallenge}, "challenge": {fChallenge}, "obstacle": {fChallenge}, "skepticism": {fChallenge},
	"overcome": {fChallenge}, "overcame": {fChallenge}, "implementation": {fChange, fChallenge}, "difficult": {fChallenge},
	"research": {fResearch}, "data": {fResearch, fMeasure}, "feedback": {fResearch}, "analysis": {fResearch}, "analyze": {fResearch},
	"source": {fResearch}, "mapping": {fResearch, fTechnique}, "journey": {fResearch}, "perspective": {fResearch, fEmotion},
	"captured": {fResearch}, "informed": {fResearch, fChange},
	"team": {fTeam}, "coaching": {fTeam, fTechnique}, "trained": {fTeam}, "train": {fTeam}, "member": {fTeam},
	"change": {fChange}, "changes": {fChange}, "implemented": {fChange, fAction}, "design": {fChange}, "designed": {fChange},
	"initiative": {fChange}, "solution": {fChange, fAction}, "process": {fChange}, "system": {fChange}, "prevent": {fChange},
	"discovered": {fDiscovery}, "identified": {fDiscovery}, "identify": {fDiscovery}, "recognized": {fDiscovery},
	"recognize": {fDiscovery}, "discover": {fDiscovery}, "notice": {fDiscovery}, "insight": {fDiscovery, fLesson},
	"surprising": {fDiscovery}, "discovery": {fDiscovery}, "opportunity": {fDiscovery}, "key": {fDiscovery},
	"impact": {fImpact, fOutcome}, "satisfaction": {fImpact, fMeasure}, "effect": {fImpact},
	"communication": {fCommunication}, "message": {fCommunication}, "acknowledged": {fEmotion, fCommunication},
	"prepared": {fPreparation}, "prepare": {fPreparation}, "minimize": {fPreparation, fAction},
	"decision": {fDecision}, "criterion": {fDecision}, "criteria": {fDecision}, "option": {fDecision}, "decide": {fDecision},
	"future": {fFuture}, "similar": {fFuture}, "anticipating": {fFuture, fPreparation},
	"segment": {fSegment}, "differed": {fSegment}, "differ": {fSegment},
	"bias": {fBias}, "assumption": {fBias}, "authentic": {fBias},
	"behavior": {fBehavior}, "behaviour": {fBehavior}, "behavioral": {fBehavior},
	"response": {fResponse}, "reaction": {fResponse}, "responded": {fResponse}, "shift": {fResponse, fOutcome},
	"evidence": {fOutcome, fResponse}, "promoter": {fResponse, fOutcome},
	"priority": {fPriorities}, "priorities": {fPriorities}, "competing": {fPriorities}, "versus": {fPriorities},
	"tangible": {fTechnique}, "proactive": {fChange}, "long-term": {fImpact, fOutcome}, "observed": {fOutcome, fResponse},
}

// unitCues maps lemmas in an answer to the facets they are evidence for,
// with a weight. A facet's score for a unit is the sum of its cue weights,
// capped at 1.
var unitCues = map[facet]map[string]float64{}

func init() {
	add := func(f facet, w float64, words string) {
		m := unitCues[f]
		if m == nil {
			m = map[string]float64{}
			unitCues[f] = m
		}
		for _, x := range strings.Fields(words) {
			if m[x] < w {
				m[x] = w
			}
		}
	}
	add(fEmotion, 0.5, "upset angry frustrated frustration furious anxious anxiety scared afraid fear worried worry stress stressed "+
		"crying cry cried tears shaking shake yelling yell shout shouting scream panic panicked embarrassed humiliated hurt "+
		"emotion emotional feel feeling felt tone voice sad grief grieving heartbroken disappointed disappointment "+
		"overwhelmed confused confusion annoyed irritated rude hostile defensive calm relief relieved grateful happy "+
		"trust distrust betrayed ignored dismissed unheard invisible tricked helpless alone lonely nervous embarrass "+
		"sigh sobbing shaky quiet silent pause breath mad livid rage anger fury empathy empathise empathize sympathy "+
		"apologize apologise apology sorry frightened dread shame ashamed respect disrespected disrespect valued")
	add(fEmotion, 0.3, "understand acknowledge acknowledged validate heard listen listened patient")
	add(fDiscovery, 0.5, "notice noticed realize realise realized realised discover discovered spot spotted find found "+
		"turn noticed pattern saw see catch caught flag flagged dig dug uncover uncovered clue cue signal sign tell "+
		"insight surprise surprised surprising learned learnt figured identify identified aware")
	add(fReasoning, 0.5, "think thought realize realise figure figured decide decided wanted want knew know reason "+
		"because consider considered weigh weighed mind goal aim priority felt believe believed assume assumed")
	add(fTechnique, 0.5, "listen listened acknowledge acknowledged repeat repeated paraphrase mirror summarize summarised "+
		"summarized apologize apologized apologised validate validated reassure reassured explain explained ask asked "+
		"question calm slow slowed pause paused name named sit sat walk walked show showed role-play roleplay "+
		"shadow shadowed story stories exercise workshop script practice practiced model modeled technique "+
		"tool framework persona personas quote quotes verbatim recording recordings playback")
	add(fAction, 0.4, "call called email emailed set arrange arranged book booked fix fixed refund refunded replace "+
		"replaced escalate escalated rebook rebooked reschedule send sent offer offered give gave waive waived credit "+
		"credited change changed build built create created add added remove removed launch launched start started "+
		"organize organised organized run ran bring brought pull pulled write wrote draft drafted rewrite rewrote "+
		"push pushed work worked get got make made take took move moved schedule scheduled contact contacted reach "+
		"reached meet met visit visited invite invited test tested pilot piloted introduce introduced")
	add(fPolicy, 0.5, "policy policies rule rules exception exceptions procedure guideline guidelines within bend "+
		"approve approval authority allowed allow compliance regulation regulatory contract terms budget cost "+
		"costs business legal precedent fair fairness consistent consistency standard limit")
	add(fOutcome, 0.5, "end ended result resulted outcome eventually finally resolve resolved fixed solved worked "+
		"made back renew renewed stay stayed thank thanked happy satisfied review reviews recovered saved kept "+
		"improve improved increase increased reduce reduced drop dropped fell rose grew cut went became turned "+
		"success successful promoter recommend recommended referral")
	add(fFollowUp, 0.6, "follow follow-up followed followed-up check checked later callback again afterwards after "+
		"week weeks month months next later")
	add(fLesson, 0.6, "learn learned learnt lesson lessons taught teach takeaway realize realised realized "+
		"since now anymore understand understood remind reminder")
	add(fMeasure, 0.5, "measure measured metric metrics score scores nps csat ces churn retention rate rates percent "+
		"percentage track tracked survey surveys kpi kpis number numbers data dashboard baseline compare compared "+
		"increase decrease reduce drop dropped rose fell average volume count tickets complaints time minutes hours "+
		"days conversion revenue cost")
	add(fStakeholder, 0.5, "stakeholder stakeholders manager managers director directors vp executive executives "+
		"leadership leader leaders ceo cfo coo cto board finance legal engineering engineers product marketing sales "+
		"billing operations ops compliance underwriting team teams department departments head boss owner partner "+
		"partners vendor vendors colleague colleagues peers committee")
	add(fChallenge, 0.5, "pushback push resistance resist resisted skeptical skeptic skeptics sceptical objection "+
		"objected challenge challenges hard difficult difficulty obstacle obstacles struggle struggled problem "+
		"problems issue issues tough tricky but however although reluctant refused refuse pushed concern concerns "+
		"worried argue argued disagree disagreed convince convinced")
	add(fResearch, 0.5, "research interview interviews interviewed survey surveys data feedback comments analysis "+
		"analyze analyzed analysed review reviewed read listened recordings calls transcripts tickets logs "+
		"shadow shadowed observe observed visit visited sample study studied focus group verbatims verbatim "+
		"journey map mapping persona personas dashboard report reports tagged tag coded sentiment")
	add(fTeam, 0.5, "team teams agent agents rep reps staff colleague colleagues coach coached coaching train trained "+
		"training mentor mentored onboarding new hire hires huddle huddles one-on-one workshop session sessions "+
		"role-play roleplay practice script playbook")
	add(fChange, 0.5, "change changed changes redesign redesigned rewrite rewrote rewritten add added introduce "+
		"introduced launch launched roll rolled implement implemented create created build built replace replaced "+
		"remove removed update updated new process flow template templates script policy option feature "+
		"system program pilot piloted")
	add(fImpact, 0.5, "impact impacted affect affected cost costs revenue churn retention complaints loyalty "+
		"satisfaction csat nps trust business customers leave left cancel cancelled canceled escalations")
	add(fCommunication, 0.5, "say said tell told explain explained write wrote email emailed letter letters message "+
		"messages call called phone script wording word words language communicate communicated announce "+
		"announced notice faq talk talked conversation honest honestly transparent")
	add(fPreparation, 0.5, "prepare prepared preparation ahead before anticipate anticipated plan planned "+
		"practice practiced rehearse faq brief briefed ready advance expect expected")
	add(fDecision, 0.5, "decide decided decision choose chose chosen option options weigh weighed criteria "+
		"criterion trade-off tradeoff pros cons call judgment judgement recommend recommended")
	add(fFuture, 0.5, "next future again differently would now since going forward anymore")
	add(fSegment, 0.5, "segment group customers users older elderly younger students seniors small rural "+
		"immigrant immigrants language spanish english deaf blind disabled non-technical different differently "+
		"culture cultural generation community families")
	add(fBias, 0.5, "assume assumed assumption assumptions bias biases biased expect expected thought wrong "+
		"misconception stereotype preconception")
	add(fBehavior, 0.5, "curt rude abrupt script scripted robotic cold dismissive interrupt interrupted rushed "+
		"tone impatient behavior behaviour habit habits handle handled")
	add(fResponse, 0.5, "respond responded response react reacted reaction receptive defensive appreciated "+
		"thanked agreed accepted embraced loved liked said felt came wrote gave")
	add(fPriorities, 0.5, "priority priorities cost efficiency speed time budget balance trade-off tradeoff "+
		"versus against competing tension both")
	add(fValidate, 0.5, "validate validated confirm confirmed check checked verify verified test tested "+
		"interview interviews called calls listened spoke talked")
	add(fSituation, 0.3, "customer client guest patient passenger caller member user account order")
}

// stopwords carry no topic. Kept short on purpose: negations and
// prepositions that change meaning are handled by the features, not here.
var stopwords = set(`a an the and or but if of to in on at by for with from into onto about as is are was were be
been being am do does did have has had i me my myself we us our you your he him his she her they them their it its
this that these those there here what which who whom whose when where why how so than then too very just also
any some all each every both either neither not no nor can could will would shall should may might must
one own such only same other another more most much many few own up down out over under again further once
like yeah um uh oh okay ok really kind sort lot thing things something anything get got go going know mean`)

// areaMeta are words of area descriptions that describe the answer rather than
// its topic ("how the candidate ...").
var areaMeta = set(`candidate candidates specific specifically particular any used use using taken take way ways
approach approaches employed took made make making experience experiences involved whether including related
overall ensure both either`)

// habitual and hypothetical markers.
var habitualWords = set("always usually typically generally normally often tend tends whenever constantly routinely regularly")
var habitualPhrases = []string{"every time", "each time", "every day", "any time", "most of the time", "in general", "as a rule",
	"my approach is", "my philosophy", "i'm a big believer", "i am a big believer", "i believe that", "i find that",
	"i've always", "i have always", "the key is", "the way i see it", "for me it's", "for me, it's", "pretty much every"}
var hypotheticalPhrases = []string{"i would", "i'd ", "what i'd do", "what i would do", "if i were", "if i was", "i might",
	"i could", "i'll ", "i will", "you would", "you'd ", "we would", "we'd ", "i'd probably", "would probably",
	"you should", "you have to", "you need to", "you want to", "you can ", "you just"}

// clichés and textbook frameworks that stand in for an example.
var clichePhrases = []string{"above and beyond", "put myself in their shoes", "in their shoes", "at the end of the day",
	"customer comes first", "customers first", "win-win", "seat at the table",
	"bottom line", "think outside the box", "it's all about", "it is all about", "heart of everything",
	"north star", "moment of truth", "customer-centric", "customer centric", "customer obsession", "move the needle",
	"low-hanging fruit", "best practice", "best practices", "walk a mile", "people don't care how much you know",
	"happy customers", "treat people how", "treat others", "golden rule", "customer is always right",
	"perception is reality", "no one size fits all",
	"one size fits all", "meet them where they are", "core of what", "passion for",
	"i'm passionate", "i am passionate", "i'm a people person", "people person", "empathy is key", "the key is",
	"it's about making sure", "listen to understand", "seek first to understand", "the customer's voice",
	"voice of the customer", "data-driven", "data driven", "holistic", "synergy", "leverage", "game changer",
	"end of the day", "at the heart of", "journey is everything", "every touchpoint", "delight", "wow moment"}
var frameworkPhrases = []string{"star method", "heard model", "heard method", "learn model", "last model",
	"feel, felt, found", "feel felt found", "the five whys", "5 whys", "aida", "empathy map", "design thinking",
	"kano model", "jobs to be done", "double diamond", "plan-do-check-act", "pdca", "raci", "blast technique"}

// hedges weaken a claim ("I think it helped", "I don't remember the numbers").
var hedgePhrases = []string{"i think", "i guess", "i don't remember", "i do not remember", "don't have the exact",
	"don't recall", "not sure", "kind of", "sort of", "a bit", "a little", "more or less", "i believe", "probably",
	"something like that", "or something", "i want to say", "it worked out okay", "went okay", "seemed to",
	"i suppose", "maybe"}

var monthNames = set("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")
var weekdayNames = set("monday tuesday wednesday thursday friday saturday sunday weekend")
var timeNouns = set("morning afternoon evening night midnight noon week weeks month months year years day days hour hours minute minutes quarter season holiday holidays christmas thanksgiving summer winter spring fall autumn shift weekend")
var relTime = set("ago later last yesterday tomorrow next previous earlier before after during within since until")

var numberWords = set("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million dozen dozens half quarter double twice triple percent")

var speechVerbs = set("say said tell told ask asked reply replied answer answered yell yelled shout shouted scream screamed go went write wrote text texted email emailed explain explained")

var firstPersonSingular = set("i me my myself mine")
var firstPersonPlural = set("we us our ourselves")

// people words mark a particular other person in a story.
var personWords = set("she he her him his hers woman man lady guy gentleman mother father mom dad son daughter wife husband " +
	"grandmother grandfather kid kids child children boss manager colleague agent engineer nurse doctor guest passenger " +
	"customer client patient caller member owner student teacher family")

// resultWords are outcome verbs and nouns in a story.
var resultWords = set("ended end eventually finally result resulted outcome resolved solved fixed worked saved kept stayed renewed " +
	"thanked made recovered improved increased reduced dropped fell rose grew doubled halved went came returned wrote emailed " +
	"called sent left gave cut won lost stopped")

// taskPhrases state the candidate's own responsibility or goal.
var taskPhrases = []string{"my job", "my role", "my responsibility", "i was responsible", "i needed to", "i had to",
	"i wanted to", "i was asked to", "it was on me", "my goal", "i was the", "i was a", "i was their", "i owned",
	"i was in charge", "i was leading", "i led", "i ran", "i managed", "my task"}
