package heuristic

import (
	"math"
	"strings"

	"github.com/candorhq/candor/analyzer/heuristic/model"
	"github.com/candorhq/candor/analyzer/nlp"
	"github.com/candorhq/candor/lexicon"
)

// Claim or description? A guide's area describes content to look for
// ("How the candidate calmed the customer", "The final resolution"); a key
// point of an argument set states a claim ("Uniforms reduce bullying",
// "The US is a powerful country"). A claim is judged by whether the answer
// makes it (the claim model, below); a description by the coverage model.
// The claim-form model (weights.json, "claim_form") reads the form of the
// text.

// ClaimFormFeatures names the claim-form model's features in order.
var ClaimFormFeatures = []string{
	"wh_first",         // opens with how, what, why, which, whether, when, where or who
	"determiner_first", // opens with the, a, an, any, each, their, its, his or her
	"gerund_first",     // opens with an -ing form ("Handling ...")
	"wh_inside",        // how, what, why, which, that or who among the next six words
	"aux_verb",         // a modal or auxiliary verb among the first seven words
	"s_verb",           // a third-person verb form ("reduces") among the first seven words
	"base_verb",        // a base-form verb after a noun ("uniforms encourage")
	"to_verb",          // "to" before a verb ("actions taken to ...")
	"name_early",       // a capitalised word other than the first among the first three
	"question_mark",    // ends with a question mark
	"words",            // log(1 + words)
	"candidate_ref",    // names the candidate, the interviewee or "they/their"
	"s_verb_loose",     // a word that can be a third-person verb ("results", "cuts") among the first seven
	"base_verb_loose",  // a word that can be a base-form verb right after a noun ("guns lead")
	"question_asks",    // the question ends with a question mark
	"question_opener",  // the question opens as interviews do (tell, describe, how, can ...)
}

var auxVerbs = map[string]bool{"can": true, "could": true, "will": true, "would": true, "should": true, "must": true,
	"may": true, "might": true, "is": true, "are": true, "was": true, "were": true, "has": true, "have": true,
	"does": true, "do": true, "cannot": true, "can't": true, "won't": true, "isn't": true, "aren't": true, "doesn't": true}

// claimFormVector computes ClaimFormFeatures for an area's text and its
// question.
func claimFormVector(doc *nlp.Doc, question string) []float64 {
	x := make([]float64, len(ClaimFormFeatures))
	toks := doc.Tokens
	if len(toks) == 0 {
		return x
	}
	switch toks[0].Lower {
	case "how", "what", "why", "which", "whether", "when", "where", "who":
		x[0] = 1
	case "the", "a", "an", "any", "each", "their", "its", "his", "her":
		x[1] = 1
	}
	if strings.HasSuffix(toks[0].Lower, "ing") && len(toks[0].Lower) > 4 {
		x[2] = 1
	}
	for i := 1; i < len(toks) && i < 7; i++ {
		t := &toks[i]
		switch t.Lower {
		case "how", "what", "why", "which", "that", "who":
			x[3] = 1
		}
		if auxVerbs[t.Lower] {
			x[4] = 1
		}
		pos := lexicon.POS(t.Lemma)
		if strings.HasSuffix(t.Lower, "s") && t.Lower != t.Lemma && strings.Contains(pos, "v") && !strings.Contains(pos, "n") {
			x[5] = 1
		}
		if pos == "v" && t.Lower == t.Lemma && !strings.HasSuffix(toks[i-1].Lower, "ing") {
			x[6] = 1
		}
		if toks[i-1].Lower == "to" && strings.Contains(pos, "v") {
			x[7] = 1
		}
		if i < 3 && t.Cap {
			x[8] = 1
		}
		if strings.HasSuffix(t.Lower, "s") && t.Lower != t.Lemma && strings.Contains(pos, "v") {
			x[12] = 1
		}
		if prev := lexicon.POS(toks[i-1].Lemma); t.Lower == t.Lemma && strings.Contains(pos, "v") && strings.Contains(prev, "n") &&
			!strings.HasSuffix(toks[i-1].Lower, "ing") {
			x[13] = 1
		}
	}
	if strings.HasSuffix(strings.TrimSpace(doc.Text), "?") {
		x[9] = 1
	}
	x[10] = math.Log1p(float64(len(toks)))
	x[14], x[15] = questionForm(question)
	for _, t := range toks {
		switch t.Lower {
		case "candidate", "candidate's", "interviewee", "they", "their", "them":
			x[11] = 1
		}
	}
	return x
}

// questionForm reads the question an area belongs to: an interview asks
// ("Tell me about a time ...?"), an argument set states its topic ("Social
// media should be regulated").
func questionForm(q string) (asks, opener float64) {
	q = strings.TrimSpace(q)
	if strings.HasSuffix(q, "?") {
		asks = 1
	}
	doc := nlp.Parse(q)
	if len(doc.Tokens) > 0 {
		switch doc.Tokens[0].Lower {
		case "tell", "describe", "give", "walk", "share", "talk", "explain", "think", "recall", "how", "what", "why",
			"when", "where", "which", "who", "can", "could", "would", "have", "has", "did", "do", "are", "were", "is", "was":
			opener = 1
		}
	}
	return asks, opener
}

// ClaimForm returns the claim-form features of an area with its question
// (for the training command).
func ClaimForm(text, question string) []float64 { return claimFormVector(nlp.Parse(text), question) }

// isClaim reads an area as a claim when the claim-form model gives it at
// least even odds.
func isClaim(area, question string) bool {
	w, err := loadWeights()
	if err != nil || w.ClaimForm == nil {
		return false
	}
	return w.ClaimForm.Prob(ClaimForm(area, question)) >= 0.5
}

// ClaimFeatures names the claim model's features: the pair features and
// three that are not shares of the area. A key point of few, common words
// ("X is not just") is said in full by any text that uses "just"; its
// recall is as high as a long, particular key point's, but it asks for
// little. The masses weigh what was matched by how rare its words are
// (their topical weights), undivided by the area's own weight.
var ClaimFeatures = append(append([]string(nil), PairFeatures...),
	"area_mass",          // log(0.1 + the area's topical weight): how much, in rare words, the area asks
	"recall_mass",        // the topical weight of the area's words times their best similarity in the piece, summed
	"recall_mass_margin", // recall_mass minus the best of the other areas
)

// claimVectors extends each area's pair features (margins included) with
// the claim features, from each area's (topical weight, recall mass).
// Margins are taken over every area of the question, as the pair features'
// are.
func claimVectors(pair [][]float64, mass [][2]float64) [][]float64 {
	out := make([][]float64, len(pair))
	for i, x := range pair {
		other, any := 0.0, false
		for j := range mass {
			if j != i && (!any || mass[j][1] > other) {
				other, any = mass[j][1], true
			}
		}
		margin := 0.0
		if any {
			margin = mass[i][1] - other
		}
		v := make([]float64, 0, len(ClaimFeatures))
		out[i] = append(append(v, x...), math.Log(0.1+mass[i][0]), mass[i][1], margin)
	}
	return out
}

// ClaimCalibrationFeatures names the claim calibration's one feature: the
// logit of the claim model's choice probability.
var ClaimCalibrationFeatures = []string{"choice_logit"}

// choiceLogit is ClaimCalibrationFeatures' value for a choice probability.
func choiceLogit(p float64) float64 {
	p = min(max(p, 1e-9), 1-1e-9)
	return math.Log(p / (1 - p))
}

// claimProbs is, for each area that is a claim, the probability that the
// piece makes that claim rather than another of the question's or none:
// a conditional logit over the claims and "none" (score 0),
// exp(s_k) / (1 + sum_j exp(s_j)). Areas that are no claim get 0.
func claimProbs(m *model.Linear, xs [][]float64, claim func(int) bool) []float64 {
	out := make([]float64, len(xs))
	top := 0.0 // "none"
	for i, x := range xs {
		if claim(i) {
			out[i] = m.Score(x)
			top = max(top, out[i])
		}
	}
	sum := math.Exp(-top)
	for i := range xs {
		if claim(i) {
			out[i] = math.Exp(out[i] - top)
			sum += out[i]
		}
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// claimSentencesFrom is the least number of sentences (with words to
// read) from which an answer's claims are read sentence by sentence as
// well (claimDecision). Chosen on two development sets (the engine README,
// h2.23): on ArgKP dev, whose arguments are a sentence or a few, reading
// from 2 or 3 sentences lowers strict mAP 0.524 -> 0.517 and from 4 leaves
// it; on the opinion answers of testdata/eval/claims, from 4 reads the
// most claims right (AUC 0.785 against 0.749 never and 0.771 from 2 or 3).
const claimSentencesFrom = 4

// ClaimSentencesFrom is claimSentencesFrom, for the training command.
const ClaimSentencesFrom = claimSentencesFrom

// claimDecision is, for each claim, the calibrated probability that the
// answer makes it: the best of the whole answer's choice and each
// sentence's. The choice reads a text as making one of the claims or
// none; an answer of several sentences may make several ("They cost
// families money. They also stop children expressing themselves."), each
// in its own sentence, which a choice over the whole answer would share
// between them. sentences holds each sentence's vectors (none for a short
// answer).
func claimDecision(w *Weights, whole [][]float64, sentences [][][]float64, claim func(int) bool) []float64 {
	p := claimProbs(w.Claim, whole, claim)
	calibrate(w.ClaimCalibration, p, claim)
	for _, xs := range sentences {
		ps := claimProbs(w.Claim, xs, claim)
		calibrate(w.ClaimCalibration, ps, claim)
		for i := range p {
			p[i] = max(p[i], ps[i])
		}
	}
	return p
}

// ClaimDecision is claimDecision with every area a claim (the training
// command's reading of ArgKP, whose areas are all key points).
func ClaimDecision(w *Weights, whole [][]float64, sentences [][][]float64) []float64 {
	return claimDecision(w, whole, sentences, func(int) bool { return true })
}

// ClaimProbs is claimProbs with every area a claim (the training command's
// reading of ArgKP, whose areas are all key points), each through the
// calibration when it is not nil.
func ClaimProbs(m *model.Linear, cal *model.Logistic, xs [][]float64) []float64 {
	ps := claimProbs(m, xs, func(int) bool { return true })
	calibrate(cal, ps, func(int) bool { return true })
	return ps
}

// calibrate replaces each claim's choice probability by the calibrated
// probability that the piece makes it.
func calibrate(cal *model.Logistic, ps []float64, claim func(int) bool) {
	if cal == nil {
		return // the training command, choosing the model before its calibration
	}
	var x [1]float64
	for i := range ps {
		if claim(i) {
			x[0] = choiceLogit(ps[i])
			ps[i] = cal.Prob(x[:])
		}
	}
}

// ChoiceLogit is the claim calibration's feature for a choice probability
// (the training command fits the calibration on it).
func ChoiceLogit(p float64) float64 { return choiceLogit(p) }
