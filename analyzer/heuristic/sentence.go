package heuristic

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// A one-sentence answer is read as a sentence. The delivery model judges a
// told episode: events of the candidate's linked in sequence, details bound
// to them. One sentence has no room for that, and the delivery model, which
// learned from answers of several sentences, reads every one of them as
// "no episode" ("Mr Alvarez, 54, joined the Denver firm in 1998" was
// rehearsed, 12). What one sentence can show is particulars: who, where,
// when, how many, a particular event, someone's words, against the
// general claim, the habit, the rule. The sentence model (a logistic
// regression, model "sentence", trained by the training command on sentences
// labelled general or specific in the sense of Louis & Nenkova's sentence
// specificity: testdata/sentences/train.jsonl) reads SentenceFeatures, and
// for an answer of one sentence its P(specific) is the specificity on the
// 0..100 scale, the label that scale's band (rehearsed up to 25, mixed to
// 59, specific from 60). None of the project's labelled answers is one
// sentence, so no verdict measured on them changes.

// SentenceFeatures names the sentence model's features in order. Each is a
// count capped low or a share, never the sentence's length: a longer
// sentence is not a more specific one.
var SentenceFeatures = []string{
	"names",         // distinct proper names, at most 3
	"numbers",       // quantities, at most 3
	"times",         // time markers (a date, a day, "last March"), at most 2
	"speech",        // someone's words reported or quoted
	"past",          // a past-tense verb: something happened
	"own_action",    // the speaker acting in the past ("I rang ...")
	"people",        // particular people other than the speaker, at most 2
	"result",        // an outcome verb
	"habit",         // a habit ("usually", "always", "I tend to")
	"hypothetical",  // "I would", "what I'd do"
	"hedge",         // a hedge ("I think", "maybe")
	"cliches",       // clichés and named frameworks, at most 2
	"generic_words", // quantifiers and frequency words of general claims ("many", "most", "every", "often"), at most 3
	"you_generic",   // "you" as anyone ("you have to listen")
	"modal",         // a modal of rule or possibility ("should", "can", "must", "may")
	"rarity",        // mean rarity of the content words, names left out (0 frequent .. 1 rare)
	"rarity_max",    // the rarest content word's rarity
	"content_share", // content words over all words
}

// sentenceGenericWords are the determiners, quantifiers and frequency words
// with which a sentence speaks of things in general.
var sentenceGenericWords = set("many most all every each any some several various often generally usually typically " +
	"always never everyone everybody anyone anybody people things everything anything overall general common commonly " +
	"sometimes frequently whenever whatever")

var sentenceYou = set("you your yours yourself")

var sentenceModals = set("should can could must may might shall ought need")

// MaxSentenceWords is the most words an answer of one sentence may have to
// be read as a sentence. A sentence past it is speech transcribed without
// stops (one "sentence" that tells a whole story), which the delivery
// model reads; written sentences stay well under it (the longest of the
// sentence sets, testdata/sentences, has 32 words).
const MaxSentenceWords = 60

// oneSentence: the answer is a single sentence of at most MaxSentenceWords
// words, its injected text aside (one sentence has a unit that is not
// injected; a sentence whose opening clause is injected counts too), and
// it ends with a stop, as a written sentence does: speech transcribed
// without punctuation ("so I was at the desk and this lady comes in and
// ...") is one "sentence" to the parser however much it tells, and the
// delivery model reads it.
func oneSentence(af *answerFeat) bool {
	words := readableWords(af)
	if words == 0 || words > MaxSentenceWords || !endsWithStop(af.doc.Text) {
		return false
	}
	n, clean := 0, false
	for i, u := range af.doc.Units {
		if u.SentenceStart {
			if clean {
				n++
			}
			clean = false
		}
		clean = clean || !af.units[i].injected
	}
	if clean {
		n++
	}
	return n == 1
}

// endsWithStop: the text's last mark, past closing quotes and brackets, is
// a full stop, a question or exclamation mark or an ellipsis.
func endsWithStop(text string) bool {
	t := strings.TrimRightFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("\"')]\u201d\u2019", r)
	})
	r, _ := utf8.DecodeLastRuneInString(t)
	return r == '.' || r == '!' || r == '?' || r == '\u2026'
}

// sentenceVector computes SentenceFeatures over all of the answer's units.
func sentenceVector(af *answerFeat) []float64 {
	var names, numbers, times, people, cliches, generic int
	var speech, past, own, result, habit, hypo, hedge, you, modal bool
	seen := map[string]bool{}
	for i := range af.units {
		f := &af.units[i]
		if f.injected {
			continue
		}
		for _, ti := range f.names {
			if l := af.doc.Tokens[ti].Lower; !seen[l] {
				seen[l] = true
				names++
			}
		}
		numbers += len(f.numbers)
		times += len(f.timeMarks)
		people += f.people
		cliches += len(f.cliche) + len(f.framework)
		speech = speech || f.speech
		past = past || f.past > 0
		own = own || f.past > 0 && f.iSubj > 0 && saysI(af, i)
		result = result || f.result
		habit = habit || f.habitual
		hypo = hypo || f.hypothetical
		hedge = hedge || f.hedge
	}
	rs, rmax, n, content, words := 0.0, 0.0, 0, 0, 0
	for ti := range af.doc.Tokens {
		t := &af.doc.Tokens[ti]
		if af.units[t.Unit].injected {
			continue
		}
		words++
		wi := af.infos[ti]
		if wi.flags&wContent != 0 {
			content++
		}
		switch {
		case t.Cap && ti > af.doc.Units[t.Unit].First:
			// A capital inside the sentence is a name ("May", "Will"),
			// not a modal or a quantifier.
		case sentenceGenericWords[t.Lower]:
			generic++
		case sentenceYou[t.Lower]:
			you = true
		case sentenceModals[t.Lower]:
			modal = true
		}
		if t.Cap || wi.flags&wRare == 0 {
			continue
		}
		rs += wi.rarity
		rmax = math.Max(rmax, wi.rarity)
		n++
	}
	rarity, share := 0.0, 0.0
	if n > 0 {
		rarity = rs / float64(n)
	}
	if words > 0 {
		share = math.Min(1, float64(content)/float64(words))
	}
	capped := func(k, most int) float64 { return float64(min(k, most)) }
	return []float64{
		capped(names, 3), capped(numbers, 3), capped(times, 2), b2f(speech), b2f(past), b2f(own), capped(people, 2), b2f(result),
		b2f(habit), b2f(hypo), b2f(hedge), capped(cliches, 2), capped(generic, 3), b2f(you), b2f(modal),
		rarity, rmax, share,
	}
}

// saysI: unit i has "I" in it ("I", "I've", "I'd"), not only "me" or "my".
func saysI(af *answerFeat, i int) bool {
	u := af.doc.Units[i]
	for ti := u.First; ti < u.Last; ti++ {
		if l := af.doc.Tokens[ti].Lower; l == "i" || strings.HasPrefix(l, "i'") {
			return true
		}
	}
	return false
}

// sentenceDelivery puts the sentence model's verdict on d: the specificity
// is P(specific) on the 0..100 scale and the label its band (the same bands
// as every answer's, labelOf). A sentence with no particular in it (no
// name, number, time or someone's words) is mixed at most, at the top of
// mixed's band: specific means particulars, and "I fixed it." or "I stayed
// calm and fixed the problem." has a past event and the speaker acting,
// which the model weighs highly, and nothing particular.
func sentenceDelivery(w *Weights, d *analyzer.Delivery, x []float64) {
	p := w.Sentence.Prob(x)
	d.Specificity = int(math.Round(100 * p))
	if x[sfNames]+x[sfNumbers]+x[sfTimes]+x[sfSpeech] == 0 {
		d.Specificity = min(d.Specificity, 59)
	}
	d.Label = labelOf(d.Specificity)
}

// The columns of SentenceFeatures that hold particulars.
const (
	sfNames = iota
	sfNumbers
	sfTimes
	sfSpeech
)

// SentenceVector parses text and returns its SentenceFeatures (for the
// training command), and whether the engine reads it as one sentence.
func SentenceVector(text string) ([]float64, bool) {
	_, _, af := readAnswer(text)
	return sentenceVector(af), oneSentence(af)
}
