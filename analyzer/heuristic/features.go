package heuristic

import (
	"strings"

	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/analyzer/semantic"
	"github.com/candorhq/candor/lexicon"
)

// unitFeat describes one unit (sentence or clause) of an answer.
type unitFeat struct {
	iSubj        int  // first-person singular words
	weSubj       int  // first-person plural words
	past         int  // past-tense verbs
	habitual     bool // "I always", "usually", "my approach is"
	hypothetical bool // "I would", "what I'd do"
	hedge        bool
	cliche       []phrase
	framework    []phrase
	timeMarks    []int // token indexes of time markers
	numbers      []int // token indexes of numbers tied to the unit
	names        []int // token indexes of proper names
	speech       bool  // reported speech
	injected     bool  // part of a prompt-injection span
	people       int   // other particular people mentioned
	result       bool  // an outcome verb
	resultBare   bool  // an outcome verb in its bare or present form ("drop", "thank")
	task         bool  // own responsibility stated
	facet        [nFacets]float64
	content      int // words that are not stopwords
}

type phrase struct{ start, end int } // byte offsets in the answer text

// answerFeat holds everything the engine computes once per answer.
type answerFeat struct {
	doc    *nlp.Doc
	units  []unitFeat
	words  int
	words2 map[string]*wordInfo // per distinct word
	// infos[i] is what is known of token i's word (info): the later
	// readings of the answer (delivery, the episode, matching) take it
	// from here rather than looking the word up again.
	infos []*wordInfo
	// ws holds the arrays of units, words2 and infos, and of the answer
	// read for matching (readAnswerSem).
	ws *workspace
	// injected: the text that tries to instruct the analyzer, which counts
	// for nothing in any reading.
	injected []byteRange
	// untensed: read with the bare verbs told (untensedVerb), the second
	// reading of an answer with an agreement slip (Engine.delivery).
	untensed bool
}

// wordInfo is what the engine knows of a word out of context, looked up
// once per distinct word of an answer.
type wordInfo struct {
	lemma   string
	flags   uint32
	support []facetWeight
	anchors startsAt // the anchor patterns the word starts (anchors.startsAt)
	// rarity is semantic.Rarity of the word's vector, for a word with
	// wRare.
	rarity float64
	// content is the word as matching reads it (semantic.ContentWord),
	// for a word with wMatch.
	content semantic.Word
}

type facetWeight struct {
	f facet
	w float64
}

const (
	wContent uint32 = 1 << iota
	wFirstSing
	wFirstPlural
	wHabitual
	wPast
	wMaybeTime
	wNumberWord
	wNotName
	wPerson
	wPronoun3
	wResult
	wSpeech
	wResultBare // a bare or present form of an outcome verb (resultLemmas)
	wWould      // a contraction of "would" when a bare verb follows (wouldContractions)
	wSuccession // ties an event to the one before it (successionWords)
	wRare       // has a vector and its rarity counts for delivery (deliveryExtraOf)
	wMatch      // a content word for matching (semantic.ContentWord)
)

func (af *answerFeat) info(t *nlp.Token) *wordInfo {
	if wi, ok := af.words2[t.Lower]; ok && wi.lemma == t.Lemma {
		return wi
	}
	// Words recur from answer to answer: what is known of a word out of
	// context is kept across analyses (bounded like every engine cache),
	// by its lower-case form for the lemma it was computed with (another
	// lemma, which a phrasal verb or an idiom gives at one place, in
	// otherInfos).
	wi, ok := wordInfos.Get(t.Lower)
	switch {
	case !ok:
		wi = computeInfo(t)
		wordInfos.Put(strings.Clone(t.Lower), wi)
	case wi.lemma != t.Lemma:
		// The word's other lemma, kept by both.
		k := [2]string{t.Lower, t.Lemma}
		if wi, ok = otherInfos.Get(k); !ok {
			wi = computeInfo(t)
			otherInfos.Put([2]string{strings.Clone(t.Lower), strings.Clone(t.Lemma)}, wi)
		}
	}
	if _, ok := af.words2[t.Lower]; !ok {
		// A phrasal verb or idiom can give a word another lemma at one
		// place: the word's usual reading is the one kept per answer.
		af.words2[t.Lower] = wi
	}
	return wi
}

// wordInfos holds wordInfo across analyses. Its values are never modified
// after they are stored.
var wordInfos = nlp.NewBoundedMap[string, *wordInfo](100_000)

// otherInfos holds wordInfo for a word with another lemma than the one
// wordInfos keeps for it.
var otherInfos = nlp.NewBoundedMap[[2]string, *wordInfo](20_000)

func computeInfo(t *nlp.Token) *wordInfo {
	lw, lm := t.Lower, t.Lemma
	wi := &wordInfo{}
	set := func(cond bool, f uint32) {
		if cond {
			wi.flags |= f
		}
	}
	set(!stopwords[lm] && !stopwords[lw] && len(lw) > 2, wContent)
	set(firstPersonSingular[lw] || strings.HasPrefix(lw, "i'"), wFirstSing)
	set(firstPersonPlural[lw] || strings.HasPrefix(lw, "we'"), wFirstPlural)
	set(habitualWords[lw], wHabitual)
	set(isPast(t), wPast)
	set(monthNames[lw] || weekdayNames[lw] || relTime[lw] || t.Number || lw == "that" || lw == "this", wMaybeTime)
	set(numberWords[lw], wNumberWord)
	set(notNames[lw] || monthNames[lw] || weekdayNames[lw], wNotName)
	set(personWords[lw], wPerson)
	// Third persons of either gender, or none: "they" for one person must
	// count like "she" or "he", so a story reads the same whoever is in it.
	set(lw == "she" || lw == "he" || lw == "her" || lw == "him" || lw == "his" || lw == "hers" ||
		lw == "they" || lw == "them" || lw == "their" || lw == "theirs", wPronoun3)
	set(resultWords[lw] && lw != lm, wResult)
	// An inflected verb of speech: "he was telling, ..." or "she says, ..."
	// reports speech like "he said, ..." ("go" only as "went").
	set(lw != lm && (speechVerbs[lw] || speechVerbs[lm] && lm != "go"), wSpeech)
	set(resultLemmas[lm] && !isPast(t), wResultBare)
	set(wouldContractions[lw], wWould)
	set(successionWords[lw], wSuccession)
	// A word's rarity, as deliveryExtraOf counts it (capitalised words
	// aside, which it checks per token): the same for a word's US and UK
	// spellings, and none for pronouns, whose rank differs by gender
	// ("herself" is rarer than "himself") and says nothing of the answer,
	// nor for the function words of dialects (dialectFunctionWords).
	if !t.Number && len(lw) >= 3 && !semantic.IsStopword(lw) && wi.flags&wPronoun3 == 0 && !reflexives[lw] &&
		!dialectFunctionWords[lw] {
		if id := semantic.Lookup(lw); id != semantic.NoID {
			wi.flags |= wRare
			wi.rarity = semantic.SpellingRarity(lw, id)
		}
	}
	if w, ok := semantic.ContentWord(t); ok {
		wi.flags |= wMatch
		wi.content = w
	}
	if !stopwords[lm] && len(lm) > 2 {
		cl := lexicon.Classes(lm)
		add := func(mask lexicon.Class, f facet, w float64) {
			if cl&mask != 0 {
				wi.support = append(wi.support, facetWeight{f, w})
			}
		}
		add(lexicon.NounFeeling|lexicon.VerbEmotion, fEmotion, 0.15)
		add(lexicon.VerbPerception, fDiscovery, 0.1)
		add(lexicon.VerbCognition, fReasoning, 0.1)
		add(lexicon.VerbCommunication, fCommunication, 0.1)
		add(lexicon.VerbChange|lexicon.VerbCreation, fChange, 0.1)
		add(lexicon.NounQuantity, fMeasure, 0.1)
	}
	wi.lemma = lm
	wi.anchors = anchors.startsAt(lw)
	return wi
}

// analyzeFeatures computes the answer's unit features in ws's arrays.
//
// With untensed, a bare verb after its subject counts as a past one ("I
// talk with operators", "she write to the manager": untensedVerb), a bare
// verb of speech reports speech, and an outcome verb counts in any form:
// the reading of an answer whose grammar marks no tense (agreementSlip).
func analyzeFeatures(doc *nlp.Doc, injected []byteRange, ws *workspace, untensed bool) *answerFeat {
	ws.units, ws.infos = resized(ws.units, len(doc.Units)), resized(ws.infos, len(doc.Tokens))
	af := &answerFeat{doc: doc, units: ws.units, words: len(doc.Tokens), words2: ws.words2, infos: ws.infos, ws: ws,
		injected: injected, untensed: untensed}
	var starts []*startsAt // each token's anchor patterns, for a unit
	for ui, u := range doc.Units {
		f := &af.units[ui]
		text := doc.UnitText(u)
		for _, r := range injected {
			if u.ByteStart < r.end && r.start < u.ByteEnd {
				f.injected = true
			}
		}
		// strings.ContainsAny(text, "\"“”"), without decoding every
		// rune: a UTF-8 sequence is found where its bytes are.
		if strings.IndexByte(text, '"') >= 0 || strings.Contains(text, "“") || strings.Contains(text, "”") {
			f.speech = true
		}
		var support [nFacets]float64
		starts = starts[:0]
		// A unit whose speaker tells in the present ("I repeat back what
		// they said", "I fix it and make sure they got a contact"): its
		// later past forms belong to clauses inside the present one.
		presentMain := false
		for ti := u.First; ti < u.Last; ti++ {
			t := &doc.Tokens[ti]
			lw := t.Lower
			wi := af.info(t)
			af.infos[ti] = wi
			starts = append(starts, &wi.anchors)
			if wi.flags&wContent != 0 {
				f.content++
			}
			switch {
			case wi.flags&wFirstSing != 0:
				f.iSubj++
			case wi.flags&wFirstPlural != 0:
				f.weSubj++
			}
			if wi.flags&wHabitual != 0 {
				f.habitual = true
			}
			if wi.flags&wWould != 0 && wouldFollows(doc, ti, u.Last) && !reportedBefore(doc, ti, u.First) {
				f.hypothetical = true
			}
			if (wi.flags&wPast != 0 || untensed && untensedVerb(doc, ti, u.First)) && !afterPresentAux(doc, ti, u.First) && !presentMain {
				f.past++
			}
			if !untensed && !presentMain && (lw == "i" || lw == "we") && presentVerbAfter(doc, ti, u.Last) {
				presentMain = true
			}
			if wi.flags&wMaybeTime != 0 && isTimeMark(doc, ti) {
				f.timeMarks = append(f.timeMarks, ti)
			}
			if t.Number || wi.flags&wNumberWord != 0 {
				f.numbers = append(f.numbers, ti)
			}
			if t.Cap && wi.flags&wNotName == 0 && isName(doc, ti, u.First) {
				f.names = append(f.names, ti)
			}
			if wi.flags&wPerson != 0 && ti > u.First {
				switch doc.Tokens[ti-1].Lower {
				case "this", "a", "one", "the", "our", "my":
					f.people++
				}
			}
			if wi.flags&wPronoun3 != 0 {
				f.people++
			}
			if wi.flags&wResult != 0 {
				f.result = true
			}
			if (wi.flags&wSpeech != 0 || untensed && speechVerbs[lw] && lw != "go" && untensedVerb(doc, ti, u.First)) && ti+1 < u.Last {
				gap := doc.Text[t.ByteEnd:doc.Tokens[ti+1].ByteStart]
				next := doc.Tokens[ti+1].Lower
				if strings.ContainsAny(gap, ",:\"“") || next == "like" || next == "that" && lw != "said" {
					f.speech = true
				}
			}
			if wi.flags&wResultBare != 0 {
				f.resultBare = true
			}
			if (lw == "saying" || lw == "asking") && ti+1 < u.Last && strings.ContainsAny(doc.Text[t.ByteEnd:doc.Tokens[ti+1].ByteStart], ",:\"“") {
				f.speech = true
			}
			// WordNet's classes give weak support to words no anchor lists.
			for k := range wi.support {
				support[wi.support[k].f] += wi.support[k].w
			}
		}
		var hits [nFacets]int
		anchors.match(doc.Tokens, u.First, u.Last, starts, func(p *pattern, at int) {
			if p.facet >= nFacets {
				f.cue(doc, p, at, u.First)
				return
			}
			if hits[p.facet] == 0 {
				f.facet[p.facet] = max(f.facet[p.facet], p.weight)
			} else {
				f.facet[p.facet] += 0.1
			}
			hits[p.facet]++
		})
		for i := range support {
			f.facet[i] += min(support[i], 0.3)
		}
		// Structure adds to the anchors: a dated, peopled past scene is a
		// situation; quoted words are a technique and a communication.
		if f.iSubj > 0 && f.past > 0 {
			f.facet[fAction] += 0.15
		}
		if len(f.timeMarks) > 0 && f.past > 0 {
			f.facet[fSituation] += 0.3
		}
		if (len(f.names) > 0 || f.people > 0) && f.past > 0 {
			f.facet[fSituation] += 0.2
		}
		if len(f.numbers) > 0 && f.past > 0 {
			f.facet[fMeasure] += 0.2
			f.facet[fOutcome] += 0.1
		}
		if f.speech {
			f.facet[fCommunication] += 0.3
			f.facet[fTechnique] += 0.3
		}
		for i := range f.facet {
			if f.facet[i] > 1 {
				f.facet[i] = 1
			}
		}
	}
	frameSentences(doc, af.units)
	if untensed || anchoredAnswer(af) {
		// Told without tense marks ("Three months after, complaints go
		// down to 9"): in an anchored answer an outcome verb counts in any
		// form, as a past one does.
		for i := range af.units {
			f := &af.units[i]
			if f.resultBare && f.past == 0 && !f.habitual && !f.hypothetical {
				f.result = true
			}
		}
	}
	return af
}

// agreementSlip reports an answer whose grammar does not mark tense the way
// standard English does: "she", "he" or a subject "it" followed by a bare
// verb ("she come back upset", "he tell me", "and it make audits
// stressful"), as a learner of English or a speaker of some varieties of
// English may say it. Such an answer may tell its past in bare forms, and
// the delivery model reads it both ways (Engine.delivery). A question's
// inversion ("did she go", "would he mind") is no slip.
func agreementSlip(doc *nlp.Doc) bool {
	for ti := 0; ti+1 < len(doc.Tokens); ti++ {
		tok := &doc.Tokens[ti]
		lw, before, marked := tok.Lower, "", true
		if ti > 0 {
			before = doc.Tokens[ti-1].Lower
			marked = strings.TrimSpace(doc.Text[doc.Tokens[ti-1].ByteEnd:tok.ByteStart]) != ""
		}
		// "it" only as a subject: first, after a mark or after a
		// conjunction ("and it make audits stressful"); never "IT" (the
		// department), nor after a verb or preposition whose object it is
		// ("let it go", "went through it line by line").
		it := lw == "it" && doc.Text[tok.ByteStart:tok.ByteEnd] != "IT" && (marked || subjectBefore[before])
		if lw != "she" && lw != "he" && !it || inversionAux[before] {
			continue
		}
		for j := ti + 1; j < len(doc.Tokens) && j <= ti+3; j++ {
			t := &doc.Tokens[j]
			if strings.TrimSpace(doc.Text[doc.Tokens[j-1].ByteEnd:t.ByteStart]) != "" {
				break // "..., it. Imagine ...": no subject and verb across a mark
			}
			if auxSkip[t.Lower] {
				continue
			}
			if bareVerb(t) && !inversionAux[t.Lower] {
				return true
			}
			break
		}
	}
	return false
}

// untensedVerb reports a bare verb with its subject just before it ("I
// talk with operators", "she write to the manager"): in an answer with an
// agreement slip, a verb that may tell the past without its tense. Verbs
// of stance ("I think") frame a clause and tell nothing.
func untensedVerb(doc *nlp.Doc, ti, first int) bool {
	lw := doc.Tokens[ti].Lower
	if !bareVerb(&doc.Tokens[ti]) || stanceVerbs[lw] && !speechVerbs[lw] {
		return false
	}
	for j := ti - 1; j >= first && j >= ti-3; j-- {
		switch doc.Tokens[j].Lower {
		case "i", "we", "he", "she", "they", "it", "who":
			return true
		}
		if !auxSkip[doc.Tokens[j].Lower] {
			return false
		}
	}
	return false
}

// bareVerb: a lower-case word in its base form that is a verb and never an
// adverb ("come", "stand"; not "back", "even" or "well"), and whose past
// is not the same form ("put", "let").
func bareVerb(t *nlp.Token) bool {
	if t.Number || t.Cap || t.Lower != t.Lemma || sameFormPast[t.Lower] || notBareVerbs[t.Lower] {
		return false
	}
	pos := lexicon.POS(t.Lemma)
	return strings.Contains(pos, "v") && !strings.Contains(pos, "r")
}

// inversionAux are the auxiliaries and modals that come before their
// subject in a question, and are no bare verb after one.
var inversionAux = set("do does did am is are was were be have has had can could will would shall should may might must")

// subjectBefore are the conjunctions after which "it" is a clause's subject.
var subjectBefore = set("and but so because cause when then after before if that which as until till while since where though once")

// notBareVerbs are words the table gives as verbs that follow a subject as
// something else in speech ("she like, ...", "he kind of", "she sort of").
var notBareVerbs = set("like kind sort")

// frameSentences carries a habit or a hypothetical over the rest of its
// sentence: "I always slow down" frames "and I give them my attention"
// whether or not the speaker repeats the subject (which splits the unit). A
// unit with a past verb or a time of its own keeps its own reading.
func frameSentences(doc *nlp.Doc, units []unitFeat) {
	for i := 1; i < len(units); i++ {
		if doc.Units[i].SentenceStart {
			continue
		}
		p, f := &units[i-1], &units[i]
		if f.injected || p.injected || f.past > 0 || len(f.timeMarks) > 0 {
			continue
		}
		f.habitual = f.habitual || p.habitual
		f.hypothetical = f.hypothetical || p.hypothetical
	}
}

// Categories of phrase cues, matched as word sequences in one pass.
const (
	cueHabit facet = nFacets + iota
	cueHypothetical
	cueHedge
	cueTask
	cueCliche
	cueFramework
)

// The habit, hypothetical, hedge, task, cliché and framework phrases live in
// the anchors' set as word patterns, so one pass over a unit's words finds
// both.
func init() {
	for _, l := range []struct {
		cat  facet
		list []string
	}{{cueHabit, habitualPhrases}, {cueHypothetical, hypotheticalPhrases}, {cueHedge, hedgePhrases},
		{cueTask, taskPhrases}, {cueCliche, clichePhrases}, {cueFramework, frameworkPhrases}} {
		for _, p := range l.list {
			anchors.add(l.cat, 1, strings.Join(phraseWords(p), " "))
		}
	}
}

// phraseWords splits a phrase into the words nlp.Parse would make of it.
func phraseWords(p string) []string {
	var out []string
	for _, t := range nlp.Parse(p).Tokens {
		out = append(out, t.Lower)
	}
	return out
}

// cue marks a unit with a phrase cue found in it.
func (f *unitFeat) cue(doc *nlp.Doc, p *pattern, at, first int) {
	switch p.facet {
	case cueHabit:
		f.habitual = true
	case cueHypothetical:
		// "I said I would call back" reports a promise; "I would call
		// back" says what the candidate would do.
		if (p.words[0] == "i" || p.words[0] == "we") && reportedBefore(doc, at, first) {
			return
		}
		f.hypothetical = true
	case cueHedge:
		// "a little girl" describes; "a little late" hedges.
		if end := at + len(p.words); len(p.words) == 2 && p.words[0] == "a" && end < len(doc.Tokens) &&
			lexicon.POS(doc.Tokens[end].Lemma) == "n" {
			return
		}
		f.hedge = true
	case cueTask:
		f.task = true
	case cueCliche, cueFramework:
		ph := phrase{doc.Tokens[at].ByteStart, doc.Tokens[at+len(p.words)-1].ByteEnd}
		if p.facet == cueCliche {
			f.cliche = append(f.cliche, ph)
		} else {
			f.framework = append(f.framework, ph)
		}
	}
}

// isPast reports a past-tense or past-participle verb form: an inflected
// word whose lemma is a verb and that ends like a past form, or a known
// irregular past.
func isPast(t *nlp.Token) bool {
	if t.Number || t.Lower == t.Lemma {
		return false
	}
	if strings.HasSuffix(t.Lower, "n't") {
		// A negative contraction is past only when its verb is: "didn't",
		// "wasn't"; "don't", "isn't", "can't" and "won't" are present.
		return pastNegatives[t.Lower]
	}
	switch t.Lower {
	case "was", "were", "had", "did", "said", "told", "went", "came", "got", "took", "made", "gave", "felt", "knew",
		"thought", "saw", "found", "kept", "left", "sent", "brought", "met", "ran", "sat", "wrote", "spent", "became", "began", "heard":
		return true
	}
	if strings.HasSuffix(t.Lower, "ing") || strings.HasSuffix(t.Lower, "s") {
		return false
	}
	// An inflected form of a verb that is neither -ing nor -s: -ed or an
	// irregular past (went, fell, took).
	return strings.Contains(lexicon.POS(t.Lemma), "v")
}

// stanceVerbs frame a clause rather than tell an event ("I think it took a
// week", "I remember she called"); auxiliaries and modals are no main verb.
var stanceVerbs = set("think guess believe remember know suppose mean feel reckon recall imagine hope wish bet say " +
	"be am is are have do can will would could should might must may shall")

// presentVerbAfter reports a present-tense main verb right after the
// subject at ti ("I fix", "we always ask"): a bare verb form that is no
// stance verb or auxiliary.
func presentVerbAfter(doc *nlp.Doc, ti, last int) bool {
	for j := ti + 1; j < last && j <= ti+3; j++ {
		t := &doc.Tokens[j]
		if auxSkip[t.Lower] {
			continue
		}
		return !t.Number && !t.Cap && t.Lower == t.Lemma && !stanceVerbs[t.Lower] && !sameFormPast[t.Lower] &&
			strings.Contains(lexicon.POS(t.Lemma), "v")
	}
	return false
}

// sameFormPast are verbs whose past is their bare form: "I let him talk"
// and "I put her on hold" tell the past as often as the present, so they
// set no present frame.
var sameFormPast = set("let put set cut hit read quit shut spread hurt cost bet split upset burst cast shed")

// reportedBefore reports a verb of saying or thinking in the past a few
// words before the token at, within the unit and its clause: "I said I'd
// be angry too", "I told his wife I would call back" report what was said
// then, not what the candidate would do.
func reportedBefore(doc *nlp.Doc, at, first int) bool {
	for j := at - 1; j >= first && j >= at-4; j-- {
		t := &doc.Tokens[j]
		if reportingPasts[t.Lower] {
			return true
		}
		if clauseBreaks[t.Lower] || strings.ContainsAny(doc.Text[t.ByteEnd:doc.Tokens[j+1].ByteStart], ",;:.!?") {
			return false
		}
	}
	return false
}

// reportingPasts are past forms of saying, promising and thinking that
// report a "would" or "will" as it was meant then.
var reportingPasts = set("said told promised assured warned explained wrote replied answered texted emailed " +
	"thought figured knew decided guessed hoped realised realized")

// clauseBreaks end the search for a reporting verb: "I said no and I'd
// do it again" reports nothing after "and".
var clauseBreaks = set("and but so because or then if when")

// pastNegatives are the negative contractions of past forms.
var pastNegatives = set("didn't wasn't weren't hadn't couldn't")

// presentAux are present forms after which a participle is no past
// event: the present passive and perfect ("they're not being heard", "I've
// got", "she is asked"), or a state ("people want to feel respected").
var presentAux = set("am is are be being have has having 've 're 'm 's i'm i've you're you've we're we've they're they've " +
	"she's he's it's that's get gets getting feel feels feeling seem seems")

// auxSkip are words that may stand between an auxiliary and its participle.
var auxSkip = set("not n't never always just already also really still often usually")

// afterPresentAux reports a past form right after a present auxiliary (a
// word or two of auxSkip between them allowed), within the unit.
func afterPresentAux(doc *nlp.Doc, ti, first int) bool {
	for j := ti - 1; j >= first && j >= ti-3; j-- {
		lw := doc.Tokens[j].Lower
		if presentAux[lw] {
			return true
		}
		if !auxSkip[lw] {
			return false
		}
	}
	return false
}

func isTimeMark(doc *nlp.Doc, ti int) bool {
	t := &doc.Tokens[ti]
	lw := t.Lower
	if monthNames[lw] {
		// "may" and "march" are words too: only a capitalised month counts,
		// and "May" only before a number.
		return t.Cap && (lw != "may" || ti+1 < len(doc.Tokens) && doc.Tokens[ti+1].Number)
	}
	if weekdayNames[lw] {
		return true
	}
	if t.Number {
		if len(lw) == 4 && (strings.HasPrefix(lw, "19") || strings.HasPrefix(lw, "20")) {
			return true
		}
		if strings.Contains(lw, ":") {
			return true
		}
		if ti+1 < len(doc.Tokens) {
			n := doc.Tokens[ti+1].Lower
			if n == "am" || n == "pm" || n == "a.m" || n == "p.m" || timeNouns[n] && ti+2 < len(doc.Tokens) && relTime[doc.Tokens[ti+2].Lower] {
				return true
			}
		}
	}
	if relTime[lw] && lw != "before" && lw != "after" && lw != "during" && lw != "since" && lw != "until" && lw != "within" {
		// "last March", "two weeks later", "the next morning", "a year ago"
		if ti+1 < len(doc.Tokens) && (timeNouns[doc.Tokens[ti+1].Lower] || monthNames[doc.Tokens[ti+1].Lower] || weekdayNames[doc.Tokens[ti+1].Lower]) {
			return true
		}
		if ti > 0 && (timeNouns[doc.Tokens[ti-1].Lower]) && (lw == "ago" || lw == "later" || lw == "earlier") {
			return true
		}
		if lw == "yesterday" {
			return true
		}
	}
	if (lw == "that" || lw == "this") && ti+1 < len(doc.Tokens) {
		n := doc.Tokens[ti+1].Lower
		if n == "morning" || n == "afternoon" || n == "evening" || n == "night" || n == "week" || n == "weekend" || n == "day" {
			return ti == 0 || doc.Tokens[ti-1].Lower != "all"
		}
	}
	return false
}

// notNames are capitalised words that are not names of particular people,
// places or organisations.
var notNames = set("i i'm i've i'd i'll okay ok so and but um uh yeah yes no well oh like because then also anyway " +
	"ai it's that's we we'd we're we've they she he you our my the a an this there what when where how if mr mrs ms dr " +
	"csat nps ceo vp cx ux ui faq sla kpi crm ivr okr api it hr")

func isName(doc *nlp.Doc, ti, unitFirst int) bool {
	t := &doc.Tokens[ti]
	if !t.Cap || t.Number || notNames[t.Lower] || monthNames[t.Lower] || weekdayNames[t.Lower] {
		return false
	}
	if ti == unitFirst && doc.Units[doc.Tokens[ti].Unit].SentenceStart {
		return false
	}
	// Capitalised after sentence-ending punctuation inside a unit.
	if ti > 0 {
		gap := doc.Text[doc.Tokens[ti-1].ByteEnd:t.ByteStart]
		if strings.ContainsAny(gap, ".!?\"“:") {
			return false
		}
	}
	return true
}

// wouldFollows reports whether the contraction at ti reads as "would": the
// next verb (past an adverb or two) is a bare form, not a participle.
func wouldFollows(doc *nlp.Doc, ti, last int) bool {
	for j := ti + 1; j < last && j <= ti+3; j++ {
		t := &doc.Tokens[j]
		switch t.Lower {
		case "just", "really", "probably", "always", "usually", "then", "also", "actually", "never", "definitely", "first":
			continue
		case "been", "had", "gotten", "got", "done", "seen", "told", "gone", "made", "taken", "given":
			return false
		}
		if t.Lower != t.Lemma && (strings.HasSuffix(t.Lower, "ed") || strings.HasSuffix(t.Lower, "en")) {
			return false
		}
		return true
	}
	return true
}

// reflexives are the reflexive pronouns, left out of rarity.
var reflexives = map[string]bool{"myself": true, "yourself": true, "himself": true, "herself": true, "itself": true,
	"ourselves": true, "yourselves": true, "themselves": true, "themself": true}
