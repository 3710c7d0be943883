package heuristic

import (
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/lexicon"
)

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

// facetNames names the facets in order: the kinds a guide may state
// (analyzer.AreaKindNames, one list for both; the conversion panics at
// start-up should the two ever differ in length).
var facetNames = [nFacets]string(analyzer.AreaKindNames)

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
	"rule": {fPolicy}, "rules": {fPolicy}, "guideline": {fPolicy}, "regulation": {fPolicy}, "constraint": {fPolicy, fPriorities},
	"weigh": {fPriorities, fDecision}, "weighed": {fPriorities, fDecision}, "trade-off": {fPriorities}, "tradeoff": {fPriorities},
	"obstacles": {fChallenge}, "setback": {fChallenge}, "hurdle": {fChallenge}, "difficulty": {fChallenge},
	"pushback": {fChallenge}, "objection": {fChallenge}, "friction": {fChallenge},
	"kpi": {fMeasure}, "number": {fMeasure}, "figure": {fMeasure}, "track": {fMeasure}, "tracked": {fMeasure}, "gauge": {fMeasure},
	"takeaway": {fLesson}, "taught": {fLesson}, "reflection": {fLesson}, "differently": {fFuture, fLesson},
	"settled": {fOutcome}, "ended": {fOutcome}, "end": {fOutcome}, "happened": {fOutcome}, "effects": {fImpact},
	"afterwards": {fFollowUp}, "checked": {fFollowUp, fValidate}, "later": {fFollowUp},
	"steps": {fAction}, "did": {fAction}, "fix": {fAction}, "handled": {fAction}, "respond": {fAction, fTechnique},
	"feelings": {fEmotion}, "mood": {fEmotion}, "upset": {fEmotion}, "anger": {fEmotion}, "distress": {fEmotion},
	"cause": {fSituation}, "caused": {fSituation}, "background": {fSituation}, "trigger": {fSituation},
	"thinking": {fReasoning}, "reasoning": {fReasoning}, "why": {fReasoning},
	"methods": {fTechnique}, "tactic": {fTechnique}, "tactics": {fTechnique}, "tools": {fTechnique}, "rapport": {fTechnique, fEmotion},
	"colleagues": {fStakeholder}, "leaders": {fStakeholder}, "leadership": {fStakeholder}, "executives": {fStakeholder},
	"insights": {fDiscovery, fLesson}, "learning": {fLesson}, "noticed": {fDiscovery}, "spotted": {fDiscovery},
	"coached": {fTeam}, "staff": {fTeam}, "employees": {fTeam},
	"tangible": {fTechnique}, "proactive": {fChange}, "long-term": {fImpact, fOutcome}, "observed": {fOutcome, fResponse},
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
	"i've always", "i have always", "in my career", "over the years", "throughout my career", "over my career",
	"i've handled", "i have handled", "i've dealt with", "i have dealt with", "i've worked with", "i've managed", "i've had a lot",
	"i've had plenty", "i've helped", "i have helped", "i've supported", "the key is", "the way i see it", "for me it's", "for me, it's", "pretty much every"}
var hypotheticalPhrases = []string{"i would", "what i'd do", "what i would do", "if i were", "if i was", "i might",
	"i could", "i'll ", "i will", "you would", "we would", "i'd probably", "would probably",
	"you should", "you have to", "you need to", "you want to", "you can ", "you just"}

// wouldContractions are "would" when a bare verb follows ("I'd call") and
// "had" when a participle does ("I'd been", "we'd just gotten"): only the
// first is a hypothetical.
var wouldContractions = set("i'd you'd we'd")

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

// dialectFunctionWords are the function words of dialects and informal
// Englishes that the vector table's stopword list (semantic.IsStopword)
// does not know: forms of pronouns, determiners, prepositions, auxiliaries,
// negations, intensifiers and discourse particles (Scots "fae", "nae",
// "dinnae", "mair", "aboot"; African American English and informal "ain't",
// "finna", "tryna"; Nigerian, Indian and Caribbean particles "abi", "sef",
// "yaar", "dem"). Like stopwords they carry no topic, but the table ranks
// them as rare, so they would count as rare vocabulary in the delivery
// model's rarity (computeInfo): a story told in a dialect must not score
// otherwise than the same story in standard English. A general list,
// not the words of any probe; words of three letters or fewer are out of
// rarity anyway, as are Scots content words ("wee", "ken", "bairn"), which
// are dialect vocabulary, not function words.
var dialectFunctionWords = set("fae frae nae nane naebody naethin wis hae ahm dinnae cannae couldnae didnae doesnae wasnae isnae " +
	"wouldnae shouldnae widnae hadnae havenae willnae canna dinna aye naw tae oot aboot doon noo yin oor yer yous youse " +
	"mair awfy gey ain't aint gon finna tryna bout cuz 'cause cos innit y'all yall lemme " +
	"abi sef shey jare yaar dat dis dey dem deh")

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

// resultLemmas are the lemmas of the outcome verbs among resultWords
// ("drop", "thank"), for stories told without tense marks.
var resultLemmas = func() map[string]bool {
	out := map[string]bool{}
	for w := range resultWords {
		if t := nlp.Parse(w).Tokens; len(t) == 1 && t[0].Lemma != w && strings.Contains(lexicon.POS(t[0].Lemma), "v") {
			out[t[0].Lemma] = true
		}
	}
	return out
}()

// taskPhrases state the candidate's own responsibility or goal.
var taskPhrases = []string{"my job", "my role", "my responsibility", "i was responsible", "i needed to", "i had to",
	"i wanted to", "i was asked to", "it was on me", "my goal", "i was the", "i was a", "i was their", "i owned",
	"i was in charge", "i was leading", "i led", "i ran", "i managed", "my task"}
