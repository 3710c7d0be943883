package injection

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// lang holds one language's words for the rules. Patterns run on the
// normalised text (lower case, one space between words, ASCII quotes and
// dashes). Go's \b knows only ASCII, so patterns for languages with accents
// use nb (not a letter or digit) around words instead.
type lang struct {
	code string
	// phrase matches, at its start, a phrase naming a rater ("automated
	// scoring system", "grader"); machine one naming a machine rater.
	// Address patterns see such phrases as runs of mark bytes (see sketch).
	phrase, machine *regexp.Regexp
	// address finds text that speaks to a rater: "note to the AI",
	// "if you are a language model", "for whoever scores this".
	address []address
	// directive is an imperative or a "you should"; object is a word of
	// the rater's world (covered, rating, full marks, in depth), or
	// objectFn when a function finds them faster.
	directive, object *regexp.Regexp
	objectFn          func(string) bool
	// imperative is a directive that opens a sentence, for an address
	// whose instruction follows in the next sentence.
	imperative *regexp.Regexp
	// override is an imperative to drop earlier instructions, matched at
	// an override anchor that starts a clause (or follows one of
	// overrideLead: "please", "bitte"); overrideStrong names what may be
	// dropped without a qualifier ("ignore instructions", not "ignore the
	// rules"); overrideQual are the qualifiers ("previous", "your", "all").
	override, overrideStrong, overrideQual *regexp.Regexp
	overrideLead                           []string
	// reported marks reported speech ("my manager said"): an override in
	// the same sentence reports an instruction rather than giving one.
	reported *regexp.Regexp
	// anchors are words one of which a sentence must hold for address to
	// be tried there, overrideAnchors the same for override (cheap tests
	// before the regular expressions); see hasAnchor for how they match.
	anchors, overrideAnchors []string
	// funcWords are common words of the language that English lacks; a
	// sentence must hold one for the language's rules to run there
	// (English needs none, Chinese a Chinese character).
	funcWords []string
}

// address is a pattern of speaking to a rater; directs is set when the
// pattern holds its own directive ("as the evaluation model, you should").
type address struct {
	re      *regexp.Regexp
	directs bool
	// needs, when set, are strings one of which w must hold for re to be
	// tried (a cheap test first).
	needs []string
}

// addressIn returns the first address in w, or nil.
func (l *lang) addressIn(w string) (loc []int, directs bool) {
	for _, a := range l.address {
		if a.needs != nil && !containsAny(w, a.needs) {
			continue
		}
		if loc := a.re.FindStringIndex(w); loc != nil {
			return loc, a.directs
		}
	}
	return nil, false
}

func containsAny(w string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(w, x) {
			return true
		}
	}
	return false
}

// directing marks an address pattern that holds its own directive; needs
// prefixes one with the strings it needs ("note|message" + needsSep).
const (
	directing = "\x00directs"
	needsSep  = "\x01"
)

func needs(words string) string { return words + needsSep }

func addrs(ps ...string) []address {
	out := make([]address, len(ps))
	for i, p := range ps {
		p, directs := strings.CutSuffix(p, directing)
		var ns []string
		if n, rest, ok := strings.Cut(p, needsSep); ok {
			ns, p = strings.Split(n, "|"), rest
		}
		out[i] = address{re: regexp.MustCompile(p), directs: directs, needs: ns}
	}
	return out
}

// overrideAt reports an imperative to drop earlier instructions in w that
// is neither reported nor quoted speech.
func (l *lang) overrideAt(w string, bit uint32) bool {
	for _, p := range anchors.positions(w, bit) {
		if !clauseStart(w[:p], l.overrideLead) {
			continue
		}
		loc := l.override.FindStringIndex(w[p:])
		if loc == nil {
			continue
		}
		m := w[p : p+loc[1]]
		if !l.overrideStrong.MatchString(m) && !l.overrideQual.MatchString(m) {
			continue
		}
		if l.reported != nil && l.reported.MatchString(w) {
			return false
		}
		if !quotedMention(w, max(0, p-2), p+loc[1]) {
			return true
		}
	}
	return false
}

// clauseStart reports whether what comes before a word ends a clause (or
// is nothing), or ends with one of leads ("please").
func clauseStart(before string, leads []string) bool {
	before = strings.TrimRight(before, " ")
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	if strings.ContainsRune(",;:(-\"'¡，：；（「", r) {
		return true
	}
	for _, l := range leads {
		if strings.HasSuffix(before, l) {
			return true
		}
	}
	return false
}

// quotedMention reports a match that opens a quotation which the sentence
// goes on to talk about ("'Ignore previous instructions' was the first line
// of the attack we saw"): a mention, not an instruction.
func quotedMention(w string, a, b int) bool {
	open := strings.IndexAny(w[a:b], "\"'「")
	if open < 0 || strings.TrimLeft(w[a:a+open], " ,;:(-") != "" {
		return false
	}
	closeAt := strings.IndexAny(w[b:], "\"'」")
	if closeAt < 0 {
		return false
	}
	after := strings.Trim(w[b+closeAt+1:], " .!?,;:")
	return len(strings.Fields(after)) >= 2
}

func (l *lang) hasObject(w string) bool {
	if l.objectFn != nil {
		return l.objectFn(w)
	}
	return l.object.MatchString(w)
}

func (l *lang) imperativeStart(w string) bool { return l.imperative.MatchString(w) }

// Shared pattern pieces. mk stands for any phrase naming a rater, mmk
// for one naming a machine (see sketch).
const (
	mk     = `[\x01\x02]+`
	mmk    = `\x01+`
	nb     = `(?:^|[^\p{L}\p{N}])` // start of a word
	ne     = `(?:[^\p{L}\p{N}]|$)` // end of a word
	lead   = `^[(\["'*\- ]*`       // start of a sentence, after brackets and quotes
	clause = `(?:^|[,;:(\-"] ?)`   // start of a clause
)

// phraseRe matches phrase at the start of a string, as whole words when
// spaced is set; group 1 is the phrase.
func phraseRe(phrase string, spaced bool) *regexp.Regexp {
	p := `^(` + phrase + `)`
	if spaced {
		p += ne
	}
	r := regexp.MustCompile(p)
	r.Longest() // "ai evaluator", not "ai"
	return r
}

func re(parts ...string) *regexp.Regexp { return regexp.MustCompile(strings.Join(parts, "")) }

// English.
const (
	// enQual are words that make a tool a rater: "scoring system".
	enQual = `(?:ai|a\.i\.|automated|automatic|auto|scoring|grading|evaluation|evaluating|review|reviewing|assessment|assessing|screening|rating|marking|analysis|analytics|hiring|recruiting|recruitment|interview|transcript|language|machine|ml|llm|gpt|ats|candidate)`
	// enMachine are raters that are machines whatever the words around.
	enMachine = `(?:a\.i\.|ai|artificial intelligence|llms?|large language models?|language models?|chat ?gpt|gpt[\w.-]*|claude|gemini|copilot|chatbots?|bots?|assistants?|algorithms?)`
	enHuman   = `(?:graders?|evaluators?|scorers?|assessors?|raters?|examiners?|screeners?|analy[sz]ers?|reviewers?)`
	enTool    = `(?:models?|systems?|software|tools?|machines?|engines?|programs?|pipelines?|apps?|agents?)`
	// enM is a rater: a machine, a rating role, or a qualified tool.
	enM = `(?:(?:` + enQual + `)[ -])*(?:` + enHuman + `[ -](?:` + enMachine + `|` + enTool + `)|` + enMachine + `|` + enHuman + `|(?:` + enQual + `)[ -]` + enTool + `)`
	// enMM is a rater that is surely a machine ("as the evaluation model").
	enMM    = `(?:(?:` + enQual + `)[ -])*(?:` + enHuman + `[ -](?:` + enMachine + `|` + enTool + `)|` + enMachine + `|(?:` + enQual + `)[ -](?:` + enTool + `|` + enHuman + `))`
	enRead  = `(?:read|scor|grad|review|evaluat|assess|analy[sz]|process|pars|check|rat|mark|judg|screen|transcrib|listen)\w*`
	enThis  = `(?:this|these|my|the (?:transcripts?|interviews?|answers?|responses?|recordings?|conversations?|candidates?|texts?)\b|our (?:conversation|interview))`
	enIntro = `(?:p\.?s\.?:? |ps:? |n\.?b\.?:? |oh,? and |by the way,? |btw,? |one more thing,? |also,? )?`
	enDet   = `(?:the |any |all |every |an? |my |our |you,? |whoever |whatever )?`
	enVerbs = `mark|rate|score|grade|label|classify|tag|treat|consider|count|record|set|give|award|assign|output|return|report|list|flag|put|rank|judge|evaluate|assess|register|log|enter|regard|deem|view|accept|credit|ignore|disregard|forget|skip|override|bypass|make sure|ensure|be sure|remember|do not|don't|note`
)

var english = &lang{
	code:   "en",
	phrase: phraseRe(enM, true), machine: phraseRe(enMM, true),
	address: addrs(
		needs("note|message|reminder|instruction|memo|request|hint|tip|word|aside")+`(?:^|[,;:(\-] ?)[\["'* ]*`+enIntro+`(?:a |one |quick |short |small |brief |friendly |important |final |last |little )*(?:note|message|reminder|instructions?|memo|request|hint|tip|word|aside)s? (?:to|for) `+enDet+mk,
		needs("dear|hey|hi|hello|attention|attn|calling|greetings")+lead+enIntro+`(?:dear|hey|hi|hello|attention|attn|calling|greetings),? `+enDet+mk,
		needs("to |for ")+lead+enIntro+`(?:to|for) (?:the |any |all |every |an? |my |our )`+mk+`(?: (?:that|which|who)(?: is|'s| are)?)?(?: `+enRead+`(?: `+enThis+`)?)?(?: out there| in the loop| reading)? ?[:,\-]`,
		needs(",|:")+`(?:^|[,;:(\-] ?)["'*]*(?:dear |hey |you,? )?`+mk+` ?[,:]`,
		needs("if ")+`\bif (?:you are|you're|you be|u r|you happen to be|this is (?:being )?(?:read|scored|graded|reviewed|evaluated|assessed|processed|analy[sz]ed) by) (?:an? |the |some |any )?`+mk,
		needs("if ")+`\bif (?:an? |the |any |some )`+mk+` (?:is |are )?`+enRead+` `+enThis,
		needs("as ")+`(?:^|[,;:(] ?)as (?:the|an?|your) (?:`+mmk+`|`+enTool+` (?:that is |which is )?`+enRead+`)[^.;]{0,40}? (?:you|u)(?:'re| are|'ll| will| should| must| need| have| can| may| ought|,)`+directing,
		needs("whoever|whatever|whomever|anyone|anybody|anything|whichever")+`\b(?:whoever|whatever|whomever|anyone|anybody|anything|whichever (?:person|system|model|tool|program))(?: or (?:whoever|whatever|whomever|anyone|anything))?(?: (?:is|are|will be|ends up|might be|may be|happens to be|gets to))?(?: currently| now| eventually)? `+enRead+` `+enThis,
		needs("this|these|my |transcript|interview|answer|response|recording|conversation|candidate|text|our ")+mk+`(?: (?:that|which|who)(?: is|'s| are))? `+enRead+` `+enThis,
		needs("this|these|my |transcript|interview|answer|response|recording|conversation|candidate|text|our ")+`\b(?:whatever|any|every|the|some) `+enTool+`(?: (?:that|which|who)(?: is|'s| are))? `+enRead+` `+enThis,
		needs("you")+`\byou,? (?:the|an?|my|our) `+mk,
		needs(" is | are |'s ")+`\b(?:to|for) (?:whatever|whichever|any|every|the|some) (?:`+mk+`|`+enTool+`)(?: (?:that|which|who))?(?: is| are|'s) (?:listening|reading|watching|scoring|grading|reviewing|evaluating|assessing|analy[sz]ing|processing|transcribing)`,
	),
	directive: re(`(?:^|[,;:(\-] |\b(?:please|kindly|now|just|simply|and|so|then|also|therefore|thus) )(?:`, enVerbs, `)\b`,
		`|\b(?:please|kindly|pls|plz)\b`,
		`|\b(?:you|u|it|they)(?:'re| are)? (?:should|must|need to|have to|are to|are required to|will|shall|ought to|can now|'ll|may now)\b`,
		`|\b(?:must|should|shall|need to|have to|ought to)\b`,
		`|\bshould (?:be )?(?:scored|graded|rated|marked|counted|recorded|treated|considered|labell?ed|classified|judged|regarded|seen|read|given)\b`,
		`|\bi (?:want|need|would like|'d like|ask|request|expect) (?:you|that you|it)\b`,
		`|\b(?:if you (?:could|would|can|might)|(?:could|would|can|will) you|i(?:'d| would) (?:be (?:most |very |really |so |ever so )?grateful|appreciate it|appreciate))\b`,
		`|\b(?:this|the) (?:answer|response|transcript|candidate) (?:should|must|deserves)\b`),
	imperative:   re(`^[(\["'*\- ]*(?:please |kindly |now |just |simply )?(?:`, enVerbs, `)\b|^[(\["'*\- ]*(?:you|u) (?:should|must|need to|have to|are to)\b`),
	objectFn:     englishObject,
	overrideLead: []string{"please", "kindly", "now", "just", "simply", "and", "so", "first", "then"},
	override: re(`^(?:ignore|disregard|forget|override|bypass|skip|drop|discard|set aside)`,
		`(?: (?:all|any|of|the|your|my|these|those|every|each|previous|prior|above|earlier|preceding|original|initial|system|scoring|grading|evaluation|given|existing|other|old|hidden|developer|default))* `,
		`(?:instructions?|prompts?|rubrics?|rules|guidelines|criteria|directions|guidance|directives?|system prompt)\b`),
	overrideStrong:  re(`\b(?:instructions?|prompts?|rubrics?|system prompt)$`),
	overrideQual:    re(`\b(?:all|any|your|previous|prior|above|earlier|preceding|original|initial|system|scoring|grading|evaluation|given|existing|hidden|developer|default)\b`),
	reported:        re(`\b(?:said|says|told|tells|asked|asks|wrote|writes|instructed|reminded|advised|warned|explained|insisted|read|meant|would say|used to say)\b`),
	overrideAnchors: []string{"ignore$", "disregard$", "forget$", "override$", "bypass$", "skip$", "drop$", "discard$", "set aside"},
	anchors: []string{"ai$", "a.i.", "artificial", "llm", "gpt", "chatgpt", "chat gpt", "claude", "gemini", "copilot", "bot", "chatbot", "assistant", "algorithm",
		"grader", "evaluator", "scorer", "assessor", "rater", "examiner", "screener", "analyzer", "analyser", "reviewer", "model$", "models$", "system$", "systems$",
		"software$", "tool$", "tools$", "machine$", "machines$", "engine$", "engines$", "program$", "programs$", "pipeline$", "pipelines$",
		"app$", "apps$", "agent$", "agents$", "whoever", "whatever",
		"whomever", "anyone", "anybody", "anything", "whichever"},
}

// German.
const (
	deM = `(?:ki|k\.i\.|künstliche intelligenz|llms?|chatgpt|gpt[\w.-]*|chatbots?|bots?|assistent\p{L}*|algorithm\p{L}*` +
		`|(?:sprach|bewertungs|auswertungs|ki-?|beurteilungs|bewerbungs)(?:modell|system|software|tool|programm|algorithmus)\p{L}*` +
		`|(?:ki-?)?(?:bewerter|prüfer|gutachter|korrektor|auswerter|beurteiler)\p{L}*)`
	deMM = `(?:ki|k\.i\.|künstliche intelligenz|llms?|chatgpt|gpt[\w.-]*|chatbots?|bots?|assistent\p{L}*|algorithm\p{L}*` +
		`|(?:sprach|bewertungs|auswertungs|ki-?|beurteilungs)(?:modell|system|software|tool|programm|algorithmus)\p{L}*|ki-?bewerter\p{L}*|modell)`
	deRead = `(?:bewertet|auswertet|benotet|prüft|liest|analysiert|beurteilt|einstuft|verarbeitet|korrigiert|durchsieht)`
	deThis = `(?:dies|dieses|diese|diesen|das|den|die|meine|meinen)\p{L}*`
	deDet  = `(?:die |den |das |der |alle |jede[ns]? |eine[ns]? |euch |dich |sie )?`
	deVerb = `markier\p{L}*|bewerte|bewerten|gib|geben|vergib|vergeben|setz\p{L}*|behandle|behandeln|betrachte|betrachten|stuf\p{L}*|werte|werten|zähle|zählen|trag\p{L}*|ignorier\p{L}*|vergiss|vergessen|notier\p{L}*|sieh|sehen|beurteile|beurteilen|anseh\p{L}*|einstuf\p{L}*|rechne|rechnen|zähl\p{L}*`
)

var german = &lang{
	code:   "de",
	phrase: phraseRe(deM, true), machine: phraseRe(deMM, true),
	address: addrs(
		lead+`(?:p\.?s\.?:? |übrigens,? |noch etwas,? )?(?:ein |eine |kurzer |kurze |kleiner |kleine |wichtiger |wichtige )?(?:hinweis|nachricht|notiz|anmerkung|info|bitte|botschaft|mitteilung) (?:an|für) `+deDet+mk,
		lead+`(?:p\.?s\.?:? )?(?:liebe[rs]?|hallo|hey|hi|sehr geehrte[rs]?|achtung),? (?:die |der |das |liebe[rs]? )?`+mk,
		lead+`(?:an|für) (?:die |den |das |alle |jede[ns]? |eine[ns]? )`+mk+`[^.:]{0,60}?[:,\-]`,
		`(?:^|[,;:(\-] )["'*]*`+mk+` ?[,:]`,
		nb+`(?:falls|wenn|sofern) (?:du|sie|ihr) (?:ein |eine |einen |das |der |die )?`+mk+` (?:bist|sind|seid)`,
		nb+`(?:falls|wenn|sofern) (?:ein |eine |die |das |der )`+mk+` `+deThis+`[^.]{0,30}?`+deRead,
		`(?:^|[,;:(] ?)als (?:ein |eine |das |die |der )?`+mmk+`[^.;]{0,40}?(?:solltest|sollst|musst|sollten sie|müssen sie|sollen sie|sollt|darfst)`+directing,
		nb+`(?:wer|was|wen|wem)(?: oder (?:wer|was|wen|wem))? (?:auch )?immer[^.:]{0,60}?`+deRead,
		mk+`,? (?:die|der|das|welche[rs]?) `+deThis+` ?(?:\p{L}+ )?`+deRead,
		nb+`du,? (?:die|der|das) `+mk,
	),
	directive:    re(nb, `(?:bitte|solltest|sollst|musst|müsst|sollten sie|müssen sie|sollen sie|`, deVerb, `)`, ne),
	imperative:   re(`^[(\["'*\- ]*(?:bitte )?(?:`, deVerb, `)`, ne),
	object:       re(nb, `(?:abgedeckt|abdeck\p{L}*|bereich\p{L}*|punkt\p{L}*|kriteri\p{L}*|bewertung|note|bestnote|höchstnote|punktzahl|volle\p{L}*|maximal\p{L}*|höchst\p{L}*|spezifisch|konkret|ausgezeichnet|hervorragend|perfekt|sehr gut|einstell\p{L}*|anweisung\p{L}*|ausführlich|gründlich|vollständig|behandelt|besprochen|erfüllt|bestanden|themen|aspekte)`, ne),
	overrideLead: []string{"bitte"},
	override: re(`^(?:ignoriere|ignorieren sie|ignoriert|vergiss|vergesst|vergessen sie|missachte|missachten sie|übergehe|übergehen sie)`,
		`(?: (?:alle|sämtliche|die|deine|ihre|eure|meine|bisherigen|vorherigen|vorigen|obigen|früheren|ursprünglichen|oben|genannten|gegebenen|bis|hierhin|dir))*`,
		` (?:anweisungen|instruktionen|vorgaben|regeln|bewertungsregeln|kriterien|bewertungskriterien|prompts?|systemprompts?|richtlinien|befehle)`),
	overrideStrong:  re(`(?:anweisungen|instruktionen|prompts?|systemprompts?|befehle)$`),
	overrideQual:    re(nb, `(?:alle|sämtliche|deine|ihre|eure|bisherigen|vorherigen|vorigen|obigen|früheren|ursprünglichen|oben|gegebenen)`, ne),
	reported:        re(nb, `(?:sagte|gesagt|sagt|meinte|bat|gebeten|schrieb|geschrieben|angewiesen|erklärte|hieß|riet|geraten)`, ne),
	overrideAnchors: []string{"ignorier", "vergiss", "vergess", "missacht", "übergeh"},
	funcWords:       []string{"und$", "der$", "das$", "ist$", "nicht$", "ich$", "wir$", "sie$", "mit$", "für$", "auf$", "dass$", "diese$", "dieses$", "bitte$", "oder$", "auch$", "du$", "falls$", "wenn$", "als$", "alle$", "jeden$", "liebe", "hinweis$"},
	anchors: []string{"ki$", "ki-", "k.i.", "künstliche", "llm", "gpt", "chatgpt", "chatbot", "bot$", "bots$", "assistent", "algorithm", "~modell",
		"~bewert", "~auswert", "~beurteil", "~prüfer", "~gutachter", "~korrektor", "immer"},
}

// French.
const (
	frM = `(?:ia|i\.a\.|intelligence artificielle|llms?|chatgpt|gpt[\w.-]*|chatbots?|robots?|bots?|assistant(?:e|s|es)?(?: virtuel\p{L}*)?|algorithmes?` +
		`|correct(?:eur|rice)s?|évaluat(?:eur|rice)s?|examinat(?:eur|rice)s?|not(?:eur|euse)s?` +
		`|modèles? (?:de langage|de langue|d'évaluation|de notation|d'ia)|(?:systèmes?|logiciels?|outils?|programmes?) (?:de notation|d'évaluation|automatiques?|d'ia|de correction))`
	frMM = `(?:ia|i\.a\.|intelligence artificielle|llms?|chatgpt|gpt[\w.-]*|chatbots?|robots?|bots?|assistant(?:e|s|es)?(?: virtuel\p{L}*)?|algorithmes?` +
		`|modèles?(?: de langage| de langue| d'évaluation| de notation| d'ia)?|(?:systèmes?|logiciels?|outils?|programmes?) (?:de notation|d'évaluation|automatiques?|d'ia|de correction))`
	frRead = `(?:note|évalue|corrige|lit|analyse|juge|examine|traite|notera|évaluera|lira|va noter|va évaluer|est en train de (?:noter|lire|évaluer))`
	frThis = `(?:cet|cette|ce|ces|la|le|l'|mon|ma|mes)`
	frDet  = `(?:l'|la |le |les |tout |toute |tous |chaque |une? |au |aux )?`
	frVerb = `marque|marquez|note|notez|évalue|évaluez|attribue|attribuez|donne|donnez|considère|considérez|traite|traitez|classe|classez|juge|jugez|compte|comptez|indique|indiquez|ignore|ignorez|oublie|oubliez|mets|mettez|accorde|accordez|enregistre|enregistrez|coche|cochez`
)

var french = &lang{
	code:   "fr",
	phrase: phraseRe(frM, true), machine: phraseRe(frMM, true),
	address: addrs(
		lead+`(?:p\.?s\.?:? |au fait,? |d'ailleurs,? )?(?:une |petite |courte |brève )?(?:note|message|remarque|consigne|rappel|mot|avis|info)s? (?:pour|à|a|au|aux|destinée? à) `+frDet+mk,
		lead+`(?:p\.?s\.?:? )?(?:cher|chère|chers|chères|bonjour|salut|attention|à l'attention (?:de |du |des )?),? (?:l'|la |le |les |cher |chère )?`+mk,
		lead+`(?:à|a|au|aux|pour) (?:l'|la |le |les |tout |toute |tous |chaque )?`+mk+`[^.:]{0,60}?[:,\-]`,
		`(?:^|[,;:(\-] )["'*]*`+mk+` ?[,:]`,
		nb+`si (?:tu es|vous êtes|t'es) (?:une? |l'|la |le )?`+mk,
		nb+`si (?:une? |l'|la |le )`+mk+` `+frRead,
		`(?:^|[,;:(] ?)en tant qu(?:e |')(?:une? |l'|la |le )?`+mmk+`[^.;]{0,40}?(?:tu|vous) (?:dois|devez|devrais|devriez|devras|devrez|peux|pouvez)`+directing,
		nb+`(?:(?:qui|quoi) que ce soit qui|quiconque(?: ou quoi que ce soit)?(?: qui)?|qui ou quoi que ce soit qui|n'importe qui qui|celui ou ce qui) `+frRead,
		mk+` qui `+frRead+` `+frThis,
		nb+`(?:toi|vous),? (?:l'|la |le )`+mk,
	),
	directive:    re(nb, `(?:`, frVerb, `|veuillez|merci de|merci d'|s'il (?:te|vous) pla[iî]t|dois|devez|devrais|devriez|devras|devrez|il faut)`, ne),
	imperative:   re(`^[(\["'*\- ]*(?:veuillez |merci de )?(?:`, frVerb, `)`, ne),
	object:       re(nb, `(?:couvert\p{L}*|abordé\p{L}*|traité\p{L}*|discuté\p{L}*|domaines?|rubriques?|points?|critères?|notes?|maximal\p{L}*|maximum|excellent\p{L}*|parfait\p{L}*|spécifique\p{L}*|concr[eè]t\p{L}*|embauch\p{L}*|instructions?|consignes?|en profondeur|en détail|rempli\p{L}*|satisf\p{L}*|complet\p{L}*|complète\p{L}*|réussi\p{L}*|sujets?|aspects?)`, ne),
	overrideLead: []string{"merci d'", "veuillez", "s'il te plaît", "s'il vous plaît", "s'il te plaît,", "s'il vous plaît,"},
	override: re(`^(?:ignore|ignorez|ignorer|oublie|oubliez|oublier|ne tiens pas compte|ne tenez pas compte)`,
		`(?: (?:toutes|tous|toute|les|tes|vos|des|de|du|mes)| l'| d')* ?`,
		`(?:instructions|consignes|règles|directives|critères|prompts?|invites?)(?: (?:précédentes|précédents|antérieures|antérieurs|ci-dessus|initiales|initiaux|d'origine|du système|de notation|d'évaluation|reçues|données))?`),
	overrideStrong:  re(`(?:instructions|consignes|prompts?|invites?)`),
	overrideQual:    re(nb, `(?:toutes|tous|tes|vos|précédent\p{L}*|antérieur\p{L}*|ci-dessus|initia\p{L}*|d'origine|système|reçues|données)`, ne),
	reported:        re(nb, `(?:a dit|m'a dit|nous a dit|disait|dit de|a demandé|nous a demandé|m'a demandé|a écrit|a expliqué|indiquait|conseillait|répétait)`, ne),
	overrideAnchors: []string{"ignor", "oubli", "ne tiens", "ne tenez"},
	funcWords:       []string{"les$", "et$", "est$", "une$", "pour$", "que$", "qui$", "dans$", "pas$", "je$", "nous$", "vous$", "tu$", "cette$", "ce$", "des$", "du$", "au$", "aux$", "merci$", "si$", "l'", "d'", "qu'", "chère$", "cher$", "toutes$"},
	anchors: []string{"ia$", "i.a.", "intelligence", "llm", "gpt", "chatgpt", "chatbot", "bot", "assistant", "algorithm", "correct", "évaluat",
		"examinat", "noteur", "notat", "modèle", "système", "logiciel", "outil", "programme", "quiconque", "que ce soit", "n'importe qui", "celui ou"},
}

// Spanish.
const (
	esM = `(?:ia|i\.a\.|inteligencia artificial|llms?|chatgpt|gpt[\w.-]*|chatbots?|bots?|robots?|asistentes?(?: virtual\p{L}*)?|algoritmos?` +
		`|evaluador(?:a|es|as)?(?: automátic\p{L}*)?|calificador(?:a|es|as)?|examinador(?:a|es|as)?|corrector(?:a|es|as)?` +
		`|modelos? (?:de lenguaje|de evaluación|de calificación|de ia|de puntuación)|(?:sistemas?|software|programas?|herramientas?) (?:de calificación|de evaluación|automátic\p{L}*|de ia|de puntuación))`
	esMM = `(?:ia|i\.a\.|inteligencia artificial|llms?|chatgpt|gpt[\w.-]*|chatbots?|bots?|asistentes?(?: virtual\p{L}*)?|algoritmos?|evaluador(?:a)? automátic\p{L}*` +
		`|modelos?(?: de lenguaje| de evaluación| de calificación| de ia| de puntuación)?|(?:sistemas?|software|programas?|herramientas?) (?:de calificación|de evaluación|automátic\p{L}*|de ia|de puntuación))`
	esRead = `(?:califique|evalúe|evalue|revise|lea|analice|corrija|puntúe|juzgue|procese|califica|evalúa|lee|analiza|revisa|corrige|procesa|puntúa|está evaluando|está calificando|está leyendo)`
	esThis = `(?:esta|este|estas|estos|la|el|mi|mis|las|los)`
	esVerb = `marca|marque|marquen|califica|califique|puntúa|puntúe|evalúa|evalúe|asigna|asigne|da|dé|dale|dele|otorga|otorgue|considera|considere|trata|trate|clasifica|clasifique|cuenta|cuente|registra|registre|ignora|ignore|olvida|olvide|pon|ponga|indica|indique|anota|anote`
)

var spanish = &lang{
	code:   "es",
	phrase: phraseRe(esM, true), machine: phraseRe(esMM, true),
	address: addrs(
		lead+`(?:p\.?d\.?:? |p\.?s\.?:? |por cierto,? )?(?:una |pequeña |breve )?(?:nota|mensaje|aviso|recordatorio|instrucci(?:ón|ones)|comentario) (?:para|a|al) (?:el |la |los |las |cualquier |todo |toda |un |una )?`+mk,
		lead+`(?:p\.?d\.?:? )?(?:querid[oa]s?|estimad[oa]s?|hola|atención),? (?:el |la |los |las |querid[oa] )?`+mk,
		lead+`(?:a|al|para) (?:el |la |los |las |cualquier )?`+mk+`[^.:]{0,60}?[:,\-]`,
		`(?:^|[,;:(\-] )["'*]*`+mk+` ?[,:]`,
		nb+`si (?:eres|es usted|usted es|sois|tú eres) (?:un |una |el |la )?`+mk,
		nb+`si (?:un |una |el |la )`+mk+` `+esRead,
		`(?:^|[,;:(] ?)como (?:un |una |el |la )?`+mmk+`[^.;]{0,40}?(?:debes|debe|deberías|debería|tienes que|tiene que|has de|puedes)`+directing,
		nb+`(?:quien(?:es)?(?: o lo que)? sea que|lo que sea que|quienquiera que|cualquiera que|quien o lo que)[^.:]{0,20}?`+esRead,
		mk+` que `+esRead+` `+esThis,
		nb+`(?:tú|usted),? (?:el |la )`+mk,
	),
	directive:    re(nb, `(?:`, esVerb, `|por favor|debes|debe|deberías|debería|tienes que|tiene que|has de|hay que)`, ne),
	imperative:   re(`^[(\["'*\- ¡¿]*(?:por favor,? )?(?:`, esVerb, `)`, ne),
	object:       re(nb, `(?:cubiert\p{L}*|tratad\p{L}*|abordad\p{L}*|discutid\p{L}*|áreas?|puntos?|criterios?|calificación|puntuación|nota|máxim\p{L}*|excelente|perfect\p{L}*|específic\p{L}*|concret\p{L}*|contrat\p{L}*|instrucciones|a fondo|en profundidad|en detalle|cumplid\p{L}*|complet\p{L}*|aprobad\p{L}*|temas?|aspectos?)`, ne),
	overrideLead: []string{"por favor", "por favor,"},
	override: re(`^(?:ignora|ignore|ignoren|ignorad|olvida|olvide|olviden|omite|omita|descarta|descarte|no hagas caso a|no haga caso a)`,
		`(?: (?:todas|todos|las|los|tus|sus|mis|de))* ?`,
		`(?:instrucciones|indicaciones|reglas|normas|criterios|directrices|prompts?|órdenes)(?: (?:anteriores|previas|previos|de arriba|originales|del sistema|de evaluación|recibidas|dadas))?`),
	overrideStrong:  re(`(?:instrucciones|indicaciones|prompts?|órdenes)`),
	overrideQual:    re(nb, `(?:todas|todos|tus|sus|anteriores|previas|previos|arriba|originales|sistema|recibidas|dadas)`, ne),
	reported:        re(nb, `(?:dijo|nos dijo|me dijo|decía|pidió|nos pidió|me pidió|escribió|indicó|explicó|ordenó|recomendó)`, ne),
	overrideAnchors: []string{"ignor", "olvid", "omit", "descart", "no hagas", "no haga"},
	funcWords:       []string{"el$", "los$", "las$", "y$", "es$", "una$", "para$", "que$", "por$", "con$", "esta$", "este$", "del$", "usted$", "eres$", "como$", "la$", "querido$", "querida$", "nota$", "todas$"},
	anchors: []string{"ia$", "i.a.", "inteligencia", "llm", "gpt", "chatgpt", "chatbot", "bot", "asistente", "algoritmo", "evaluador", "calificador",
		"examinador", "corrector", "modelo", "sistema", "software", "programa", "herramienta", "quien", "lo que sea", "cualquiera"},
}

// Portuguese.
const (
	ptM = `(?:ia|i\.a\.|inteligência artificial|llms?|chatgpt|gpt[\w.-]*|chatbots?|bots?|robôs?|assistentes?(?: virtua\p{L}*)?|algoritmos?` +
		`|avaliador(?:a|es|as)?|corretor(?:a|es|as)?|examinador(?:a|es|as)?` +
		`|modelos? (?:de linguagem|de avaliação|de pontuação|de ia)|(?:sistemas?|software|programas?|ferramentas?) (?:de avaliação|de pontuação|automátic\p{L}*|de ia))`
	ptMM = `(?:ia|i\.a\.|inteligência artificial|llms?|chatgpt|gpt[\w.-]*|chatbots?|bots?|assistentes?(?: virtua\p{L}*)?|algoritmos?` +
		`|modelos?(?: de linguagem| de avaliação| de pontuação| de ia)?|(?:sistemas?|software|programas?|ferramentas?) (?:de avaliação|de pontuação|automátic\p{L}*|de ia))`
	ptRead = `(?:avalie|corrija|leia|analise|pontue|julgue|avalia|corrige|lê|analisa|pontua|está avaliando|está lendo|estiver avaliando)`
	ptVerb = `marque|marca|avalie|avalia|atribua|atribui|dê|dá|considere|considera|trate|trata|classifique|classifica|conte|registre|ignore|ignora|esqueça|esquece|coloque|indique`
)

var portuguese = &lang{
	code:   "pt",
	phrase: phraseRe(ptM, true), machine: phraseRe(ptMM, true),
	address: addrs(
		lead+`(?:p\.?s\.?:? )?(?:uma )?(?:nota|mensagem|aviso|lembrete|instruç(?:ão|ões)|recado) (?:para|à|a|ao) (?:o |a |os |as |qualquer |toda |um |uma )?`+mk,
		lead+`(?:querid[oa]s?|prezad[oa]s?|olá|oi|atenção),? (?:o |a )?`+mk,
		lead+`(?:à|ao|para) (?:o |a |os |as |qualquer )?`+mk+`[^.:]{0,60}?[:,\-]`,
		`(?:^|[,;:(\-] )["'*]*`+mk+` ?[,:]`,
		nb+`se (?:você é|voce é|és|tu és|você for|fores) (?:um |uma |o |a )?`+mk,
		`(?:^|[,;:(] ?)como (?:um |uma |o |a )?`+mmk+`[^.;]{0,40}?(?:você deve|deve|deves|você precisa|precisa|tem que|você tem que)`+directing,
		nb+`(?:quem quer que|seja quem (?:ou o que )?for que|quem ou o que quer que|qualquer pessoa ou sistema que)[^.:]{0,20}?`+ptRead,
		mk+` que `+ptRead+` (?:esta|este|estas|estes|a|o|minha|meu|as|os)`,
	),
	directive:    re(nb, `(?:`, ptVerb, `|por favor|deve|deves|você deve|precisa|tem que)`, ne),
	imperative:   re(`^[(\["'*\- ]*(?:por favor,? )?(?:`, ptVerb, `)`, ne),
	object:       re(nb, `(?:cobert\p{L}*|tratad\p{L}*|abordad\p{L}*|discutid\p{L}*|áreas?|pontos?|critérios?|nota|notas|pontuação|máxim\p{L}*|excelente|perfeit\p{L}*|específic\p{L}*|concret\p{L}*|contrat\p{L}*|instruções|a fundo|em profundidade|em detalhe|cumprid\p{L}*|complet\p{L}*|aprovad\p{L}*)`, ne),
	overrideLead: []string{"por favor", "por favor,"},
	override: re(`^(?:ignore|ignora|ignorem|esqueça|esqueçam|esquece|desconsidere|desconsidera)`,
		`(?: (?:todas|todos|as|os|suas|tuas|seus|teus))* ?`,
		`(?:instruções|orientações|regras|normas|critérios|diretrizes|prompts?|ordens)(?: (?:anteriores|prévias|acima|originais|do sistema|de avaliação|recebidas|dadas))?`),
	overrideStrong:  re(`(?:instruções|orientações|prompts?|ordens)`),
	overrideQual:    re(nb, `(?:todas|todos|suas|tuas|seus|teus|anteriores|prévias|acima|originais|sistema|recebidas|dadas)`, ne),
	reported:        re(nb, `(?:disse|nos disse|me disse|dizia|pediu|nos pediu|me pediu|escreveu|mandou|explicou)`, ne),
	overrideAnchors: []string{"ignor", "esque", "desconsider"},
	funcWords:       []string{"os$", "uma$", "para$", "que$", "não$", "com$", "você$", "esta$", "este$", "da$", "dos$", "das$", "ao$", "é$", "nota$", "todas$", "se$"},
	anchors: []string{"ia$", "i.a.", "inteligência", "llm", "gpt", "chatgpt", "chatbot", "bot", "robô", "assistente", "algoritmo", "avaliador",
		"corretor", "examinador", "modelo", "sistema", "software", "programa", "ferramenta", "quem"},
}

// Italian.
const (
	itM = `(?:ia|i\.a\.|intelligenza artificiale|llms?|chatgpt|gpt[\w.-]*|chatbots?|bot|robot|assistent[ei](?: virtual\p{L}*)?|algoritm[oi]` +
		`|valutat(?:ore|rice|ori|rici)|corrett(?:ore|ori|rice|rici)|esaminat(?:ore|ori|rice)` +
		`|modell[oi] (?:linguistic[oi]|di linguaggio|di valutazione|di punteggio|di ia)|(?:sistem[ai]|software|programm[ai]|strument[oi]) (?:di valutazione|di punteggio|automatic\p{L}*|di ia))`
	itMM = `(?:ia|i\.a\.|intelligenza artificiale|llms?|chatgpt|gpt[\w.-]*|chatbots?|bot|robot|assistent[ei](?: virtual\p{L}*)?|algoritm[oi]` +
		`|modell[oi](?: linguistic[oi]| di linguaggio| di valutazione| di punteggio| di ia)?|(?:sistem[ai]|software|programm[ai]|strument[oi]) (?:di valutazione|di punteggio|automatic\p{L}*|di ia))`
	itRead = `(?:valuti|corregga|legga|analizzi|giudichi|valuta|corregge|legge|analizza|sta valutando|sta leggendo)`
	itVerb = `segna|segni|valuta|valuti|assegna|assegni|dai|dà|dia|considera|consideri|tratta|tratti|classifica|classifichi|conta|conti|registra|registri|ignora|ignori|dimentica|dimentichi|metti|metta|indica|indichi`
)

var italian = &lang{
	code:   "it",
	phrase: phraseRe(itM, true), machine: phraseRe(itMM, true),
	address: addrs(
		lead+`(?:p\.?s\.?:? )?(?:una )?(?:nota|messaggio|avviso|promemoria|istruzion[ei]) (?:per|a|al|alla|all'|allo) ?(?:l'|il |la |lo |i |gli |le |qualsiasi |ogni |un |una )?`+mk,
		lead+`(?:car[oa]|gentile|ciao|salve|attenzione),? (?:il |la |l'|lo )?`+mk,
		lead+`(?:al|alla|all'|allo|ai|per|a) ?(?:il |la |l'|lo |i |gli |le |qualsiasi )?`+mk+`[^.:]{0,60}?[:,\-]`,
		`(?:^|[,;:(\-] )["'*]*`+mk+` ?[,:]`,
		nb+`se (?:sei|è|lei è|siete) (?:un |una |un'|il |la |l')?`+mk,
		`(?:^|[,;:(] ?)come (?:un |una |un'|il |la |l')?`+mmk+`[^.;]{0,40}?(?:devi|deve|dovresti|dovrebbe|puoi)`+directing,
		nb+`(?:chiunque(?: o qualunque cosa)?|chi o cosa|qualunque cosa|qualsiasi persona o sistema)(?: che)?[^.:]{0,20}?`+itRead,
		mk+` che `+itRead+` (?:questa|questo|queste|questi|la|il|mia|mio|le|i)`,
	),
	directive:    re(nb, `(?:`, itVerb, `|per favore|per piacere|devi|deve|dovresti|dovrebbe)`, ne),
	imperative:   re(`^[(\["'*\- ]*(?:per favore,? )?(?:`, itVerb, `)`, ne),
	object:       re(nb, `(?:copert\p{L}*|trattat\p{L}*|affrontat\p{L}*|discuss\p{L}*|aree|area|punti|punto|criteri|voto|voti|punteggio|massim\p{L}*|eccellente|perfett\p{L}*|specific\p{L}*|concret\p{L}*|assum\p{L}*|istruzioni|a fondo|in profondità|in dettaglio|soddisfatt\p{L}*|complet\p{L}*|superat\p{L}*)`, ne),
	overrideLead: []string{"per favore", "per favore,"},
	override: re(`^(?:ignora|ignori|ignorate|dimentica|dimentichi|dimenticate|trascura|trascuri)`,
		`(?: (?:tutte|tutti|le|gli|i|tue|sue|vostre))* ?`,
		`(?:istruzioni|indicazioni|regole|norme|criteri|direttive|prompt|ordini)(?: (?:precedenti|sopra|originali|del sistema|di valutazione|ricevute|date))?`),
	overrideStrong:  re(`(?:istruzioni|indicazioni|prompt|ordini)`),
	overrideQual:    re(nb, `(?:tutte|tutti|tue|sue|vostre|precedenti|sopra|originali|sistema|ricevute|date)`, ne),
	reported:        re(nb, `(?:ha detto|ci ha detto|mi ha detto|diceva|ha chiesto|ci ha chiesto|mi ha chiesto|ha scritto|spiegava)`, ne),
	overrideAnchors: []string{"ignor", "dimentic", "trascur"},
	funcWords:       []string{"il$", "gli$", "è$", "una$", "che$", "non$", "sono$", "questa$", "questo$", "del$", "della$", "di$", "alla$", "sei$", "nota$", "tutte$", "l'", "se$"},
	anchors: []string{"ia$", "i.a.", "intelligenza", "llm", "gpt", "chatgpt", "chatbot", "bot", "robot", "assistent", "algoritm", "valutat",
		"corrett", "esaminat", "modell", "sistem", "software", "programm", "strument", "chiunque", "chi o cosa", "qualunque"},
}

// Chinese (simplified and traditional). Words are not spaced, so no word
// boundaries.
const (
	zhM = `(?:ai|a\.i\.|人工智能|人工智慧|大模型|语言模型|語言模型|评估模型|評估模型|评分模型|評分模型|打分模型|评分系统|評分系統|打分系统|评估系统|評估系統|评审系统|审核系统|阅卷系统` +
		`|评分者|評分者|评分员|評分員|评分人|打分人|打分员|评估者|評估者|评估员|评审员|评审|評審|审阅者|阅卷人|阅卷老师|考官|机器人|機器人|ai助手|智能助手|助手|算法|chatgpt|gpt[\w.-]*|llm|模型|系统|系統)`
	zhMM   = `(?:ai|人工智能|人工智慧|大模型|语言模型|語言模型|评估模型|評估模型|评分模型|評分模型|打分模型|评分系统|評分系統|打分系统|评估系统|評估系統|模型|chatgpt|gpt[\w.-]*|llm|助手|机器人)`
	zhRead = `(?:评分|評分|打分|评估|評估|审核|審核|评审|評審|阅卷|閱卷|分析|阅读|閱讀|处理|處理|批改)`
	zhVerb = `请|請|务必|務必|把|将|將|标记|標記|评为|評為|给|給|视为|視為|当作|當作|认为|認為|忽略|记为|記為|列为|判定|打`
)

var chinese = &lang{
	code:   "zh",
	phrase: phraseRe(zhM, false), machine: phraseRe(zhMM, false),
	address: addrs(
		`(?:^|[，,：:；;（(\s"'「『])(?:致|给|給|写给|寫給|提示给|提示給|告诉|告訴|亲爱的|親愛的|尊敬的|注意|提醒|对于|對於)(?:正在|负责|負責|将要|將要)?[^，,。：:！!？?]{0,12}?`+mk,
		`(?:如果|假如|若)你(?:是|为|為)(?:一个|一名|一位|个|個)?[^，,。]{0,8}?`+mk,
		`(?:如果|假如|若)(?:有)?(?:一个|一個)?`+mk+`(?:正在|在)?`+zhRead,
		`(?:作为|作為)(?:一个|一名|一位)?[^，,。]{0,6}?`+mmk+`[^。]{0,20}?你(?:应该|應該|必须|必須|需要|要|应当|應當|得|应|應|该|該)`+directing,
		`(?:无论|不管|無論)(?:是)?(?:谁|誰)(?:或(?:是)?(?:什么|甚麼|什麼)|还是什么|還是什麼)?(?:在|正在)?[^，,。：:]{0,14}?`+zhRead,
		`(?:正在)?`+zhRead+`(?:这份|這份|本|这个|這個|这段|這段|我的)[^，,。]{0,6}?的`+mk,
		`(?:^|[，,：:；;（(\s"'「『])`+mk+`(?:，|,|：|:)`,
	),
	directive:    re(`(?:`, zhVerb, `|一定要|你(?:应该|應該|必须|必須|需要|要|应当|應當|得|应|應))`),
	imperative:   re(`^[\s"'「（(]*(?:`, zhVerb, `)`),
	object:       re(`(?:已覆盖|已覆蓋|覆盖|覆蓋|涵盖|涵蓋|所有|每一|每个|每個|每项|每項|满分|滿分|最高分|高分|优秀|優秀|具体|具體|录用|錄用|通过|通過|指令|指示|深入|充分|详细|詳細|满足|滿足|完整|全面|考察点|要点|要點)`),
	overrideLead: []string{"请", "請"},
	override: re(`^(?:忽略|无视|無視|忽视|忽視|忘记|忘記|不要理会|不要理會|不用管)(?:掉)?`,
		`(?:之前|以上|上面|前面|先前|此前|原来|原來|原有|所有|你的|系统|系統)(?:的)?(?:所有|全部)?(?:的)?`,
		`(?:指令|指示|提示词|提示詞|提示|规则|規則|要求|说明|說明|评分标准|評分標準)`),
	overrideStrong:  re(`.`), // the pattern itself requires a qualifier
	overrideQual:    re(`.`),
	overrideAnchors: []string{"忽略", "无视", "無視", "忽视", "忽視", "忘记", "忘記", "不要理", "不用管"},
	anchors: []string{"ai", "人工智", "模型", "系统", "系統", "评", "評", "打分", "审", "審", "阅卷", "閱卷", "考官", "机器人", "機器人",
		"助手", "算法", "gpt", "llm", "谁", "誰"},
}

var langs = []*lang{english, german, french, spanish, portuguese, italian, chinese}

// zhIndex is Chinese's place in langs (its gate is a Chinese character).
const zhIndex = 6
