package heuristic

import (
	"math"
	"regexp"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic/model"
)

// The delivery verdict, learned: the signals of delivery.go (a told
// episode, first-person actions, times, names, quantities, speech,
// outcomes; habits, hypotheticals, clichés, frameworks, hedges, "we" with
// no own role) become densities and bounded counts, plus how bound the
// details are to the candidate's own told actions and how rare the words
// are; the delivery model (ordinal: rehearsed < mixed < specific) decides
// the label, and its score, put on the labels' 0..100 scale, is the
// specificity.
//
// Counts are per unit or capped, never raw: a longer answer is not a more
// specific one. Times, names and quantities count when they are bound to
// the told episode (episode.go): a date and a company name over a list of
// claims, or metrics listed, are decoration and count as nothing (numbers
// as loose). The delivery-only sets of recitals and told episodes
// (testdata/eval/delivery_*.jsonl) are what the model learned that from.

// DeliveryFeatures names the delivery model's features in order.
var DeliveryFeatures = []string{
	"particular",         // a particular past situation is told (delivery.go's rule)
	"narrative_share",    // units narrating it, over all units
	"i_action_share",     // units with a first-person past action, over all units
	"we_only_share",      // story units with "we" and no "I", over all units
	"time_marks",         // time markers bound to the told episode (episode.go), at most 3
	"names",              // distinct names bound to the told episode, at most 4
	"story_numbers",      // quantities bound to the told episode, at most 4
	"loose_numbers",      // quantities not bound to it (a metric in a list of claims), at most 3
	"speech",             // units of reported speech, at most 3
	"results",            // outcome units in the story, at most 2
	"habit_share",        // habitual units, over all units
	"hypothetical_share", // hypothetical units, over all units
	"cliches",            // clichés, at most 4
	"frameworks",         // named frameworks, at most 2
	"hedge_share",        // hedged story units, over all units
	"bound_details",      // times, names and quantities in units where the candidate acts or someone speaks, over all details
	"detail_density",     // bound times, names and quantities and the story's speech, per unit (at most 1)
	"rarity",             // mean rarity of the content words (0 frequent .. 1 rare)
	"short",              // 1 for answers of under 40 words (a short answer can still be particular)
	"links",              // story units linking events (a succession word, another person acting, speech), over all units
	"episode_events3",    // 1 when the told episode has at least 3 event units of the candidate's
	"generic_vs_episode", // habitual and hypothetical units, over them and the episode's units
	"asks_episode",       // 0 when the question is of a kind that asks for no particular occasion ("Tell me about yourself", "Why this job?", "Your weaknesses?"), 1 otherwise
	"rubric_share",       // rubric words (the content lemmas of the built-in guides' areas and the question's), each weighted by its rarity, over all content words (rubric.go)
}

type deliveryExtra struct {
	bound, details int
	// Times, names (each once) and numbers bound to the told episode, and
	// numbers not bound to it.
	epTimes, epNames, epNumbers, unboundNumbers int
	rarity                                      float64
	words                                       int
	// The told episode's units and event units (story units with the
	// candidate in them).
	epUnits, epEvents int
	// asksEpisode: the question asks for a particular occasion.
	asksEpisode bool
	// rubric: the share of content words that are rubric words.
	rubric float64
}

func deliveryVector(st deliveryStats, ex deliveryExtra) []float64 {
	u := float64(max(st.units, 1))
	c := func(n, cap int) float64 { return float64(min(n, cap)) }
	bound := 0.0
	if ex.details > 0 {
		bound = float64(ex.bound) / float64(ex.details)
	}
	short := 0.0
	if ex.words < ShortAnswerWords {
		short = 1
	}
	return []float64{
		b2f(st.particular), float64(st.narrative) / u, float64(st.iActions) / u, float64(st.weOnly) / u,
		c(ex.epTimes, 3), c(ex.epNames, 4), c(ex.epNumbers, 4), c(ex.unboundNumbers, 3), c(st.speech, 3),
		c(st.results, 2), float64(st.habitual) / u, float64(st.hypothetical) / u, c(st.cliches, 4), c(st.frameworks, 2),
		float64(st.hedges) / u, bound,
		math.Min(1, float64(ex.epTimes+ex.epNames+ex.epNumbers+st.speech)/u), ex.rarity, short,
		float64(st.tl.links) / u,
		b2f(st.tl.told() && ex.epEvents >= 3), genericVsEpisode(st.habitual+st.hypothetical, ex.epUnits),
		b2f(ex.asksEpisode), ex.rubric,
	}
}

// genericVsEpisode weighs the generic talk against the told episode rather
// than against the whole answer: opinion around one episode dilutes every
// share over all units, but not this one. 0 for an answer with neither.
func genericVsEpisode(generic, epUnits int) float64 {
	if generic+epUnits == 0 {
		return 0
	}
	return float64(generic) / float64(generic+epUnits)
}

// deliveryExtraOf reads what the counts do not: whether details sit in
// units where the candidate acts or someone speaks, and word rarity.
func deliveryExtraOf(af *answerFeat, tl *telling) deliveryExtra {
	var ex deliveryExtra
	rs, n := 0.0, 0
	seenName := map[string]bool{}
	for i := range af.units {
		f := &af.units[i]
		if f.injected {
			continue
		}
		if tl.told() && i >= tl.first && i <= tl.last {
			ex.epUnits++
			if tl.story[i] && f.iSubj > 0 {
				ex.epEvents++
			}
		}
		d := len(f.timeMarks) + len(f.names) + len(f.numbers)
		ex.details += d
		if tl.story[i] && (f.iSubj > 0 || f.speech) {
			ex.bound += d
		}
		if tl.told() && tl.boundAt(af, i) {
			ex.epTimes += len(f.timeMarks)
			ex.epNumbers += len(f.numbers)
			for _, ti := range f.names {
				if l := af.doc.Tokens[ti].Lower; !seenName[l] {
					seenName[l] = true
					ex.epNames++
				}
			}
		} else {
			ex.unboundNumbers += len(f.numbers)
		}
	}
	// Numbers, short words, stopwords and words without a vector have no
	// rarity (wRare).
	for ti := range af.doc.Tokens {
		if af.doc.Tokens[ti].Cap || af.infos[ti].flags&wRare == 0 {
			continue // capitalised words left out: a name's rarity must not move the verdict
		}
		rs += af.infos[ti].rarity
		n++
	}
	if n > 0 {
		ex.rarity = rs / float64(n)
	}
	ex.words = af.words
	return ex
}

// A question asks for one particular occasion unless it is one of the
// common kinds that ask for none, said in their usual words: "Tell me about
// yourself", "Why are you interested in this position?" (why this job, why
// us, why did you apply), "What is one of your weaknesses?" (or strengths),
// "Where do you see yourself in five years?", "What motivates you?", "How
// would your colleagues describe you?". Such a question that also asks for
// an occasion ("Give me an example of a weakness in the customer experience
// you spotted", "Tell me about a time your weakness showed") still asks
// for one. Anything else is read as asking for one, as every question of
// the seed and built-in guides does: a question misread that way is judged
// as every answer was before h2.18.
var (
	notEpisodeAsk = regexp.MustCompile(`(?i)about yourself|introduce yourself|who you are\b|walk me through your (resume|résumé|cv|background)|` +
		`\bwhy (are|do|did|would) you\b.{0,30}\b(interested|want|apply|applying|applied|choose|chose|pick|picked|join|leave|leaving)\b|` +
		`\bwhy (this|that|our|the) (job|role|position|internship|company|team|program|programme|field|industry|career)\b|\bwhy (us|here)\b|` +
		`\bweakness(es)?\b|\bstrengths?\b|see yourself|five years|5 years|\bmotivates? you\b|describe yourself|` +
		`(colleagues|manager|friends|others|people) (would )?describe you|questions for (me|us)|salary|notice period`)
	episodeAsk = regexp.MustCompile(`(?i)\b(a|an|one) (particular |specific |recent )?(time|occasion|situation|example|instance|moment)\b|` +
		`\btell (me|us) about (a|an|one|the time|the last)\b|\bdescribe (a|an|one)\b|\bwalk (me|us) through (a|an|one)\b|\bgive (me|us) an example\b`)
)

// asksEpisode: the question asks for a particular occasion. Without a
// question (nil, or no text) it is taken to, as every question of the
// built-in guides does.
func asksEpisode(q *analyzer.Question) bool {
	return q == nil || !notEpisodeAsk.MatchString(q.Text) || episodeAsk.MatchString(q.Text)
}

// specificityOf puts the model's score on the 0..100 scale whose bands the
// labels use (rehearsed up to 25, mixed 26-59, specific from 60). With a
// curve (the weights' Specificity: isotonic regression of the labelled
// specificity on the score, learned by the training command) the number is
// the curve's, pulled towards the labelled mean of the decided label by
// shrink when there is one (the weights' SpecificityShrink, its factor
// chosen by held-out error: the score places an answer within its label
// only roughly), and held inside the band of the label the thresholds
// decide, so that number and label always agree. The labellers' scale is
// narrow within a label (specific 78-90, mixed 30-50, rehearsed 8-15 on
// the dev set), and so is the curve. Without a curve it is a logistic
// curve through the two thresholds. Either way a higher score never gives
// a lower number.
func specificityOf(s float64, thresholds []float64, curve *model.Curve, shrink *model.Shrink) int {
	if len(thresholds) != 2 || thresholds[1] <= thresholds[0] {
		return 50
	}
	if curve != nil {
		lo, hi, k := 0.0, 25.0, 0
		switch {
		case s >= thresholds[1]:
			lo, hi, k = 60, 100, 2
		case s >= thresholds[0]:
			lo, hi, k = 26, 59, 1
		}
		v := curve.At(s)
		if shrink != nil {
			v = shrink.Apply(k, v)
		}
		return int(math.Round(min(hi, max(lo, v))))
	}
	lo, hi := math.Log(0.255/0.745), math.Log(0.595/0.405)
	k := (hi - lo) / (thresholds[1] - thresholds[0])
	m := thresholds[1] - hi/k
	return int(math.Round(100 / (1 + math.Exp(-k*(s-m)))))
}

// learnedDelivery replaces the label and specificity with the delivery
// model's, when the weights carry one. noOwnRole: the answer's story is
// told in "we" with no action of the candidate's own.
func learnedDelivery(w *Weights, d *analyzer.Delivery, x []float64, noOwnRole bool) {
	if w == nil || w.Delivery == nil {
		return
	}
	s := w.Delivery.Score(x)
	d.Specificity = specificityOf(s, w.Delivery.Thresholds, w.Specificity, w.SpecificityShrink)
	// st.score keeps the counting rule's specificity: the coverage model
	// reads it as a feature of how concrete the answer is, and was fitted
	// on it.
	d.Label = deliveryLabels[w.Delivery.Decide(s)]
	if noOwnRole && d.Label == analyzer.LabelSpecific {
		// A "we" story in which the candidate never acts is mixed at best
		// (the annotation conventions': what the team did is no evidence
		// of what the candidate did), at the top of mixed's band. The
		// rule, not the model, gives this label: no confidence is
		// claimed for it.
		d.Label, d.Specificity = analyzer.LabelMixed, min(d.Specificity, 59)
		return
	}
	if w.DeliveryConfidence != nil {
		dist, near := nearestThreshold(s, w.Delivery.Thresholds)
		d.LabelConfidence = analyzer.Round3(w.DeliveryConfidence.Prob(DeliveryConfidenceX(dist)))
		d.NearLabel = deliveryLabels[near]
	}
}

// deliveryLabels are the delivery model's classes, in order.
var deliveryLabels = []string{analyzer.LabelRehearsed, analyzer.LabelMixed, analyzer.LabelSpecific}

// nearestThreshold returns the score's distance to the nearest of the
// increasing thresholds and the class on that threshold's other side
// from the score's own class (Ordinal.Decide): the label the answer would
// get if its score crossed it.
func nearestThreshold(s float64, thresholds []float64) (dist float64, other int) {
	dist = math.Inf(1)
	for k, t := range thresholds {
		if d := math.Abs(s - t); d < dist {
			dist = d
			// Threshold k separates class k (below) from k+1 (at or above).
			other = k + 1
			if s >= t {
				other = k
			}
		}
	}
	return dist, other
}

// DeliveryConfidenceFeatures are what the label confidence reads: the
// delivery score's distance to the nearest threshold, and its square root
// (how often a label holds rises fast near the boundary, then levels).
var DeliveryConfidenceFeatures = []string{"threshold_distance", "threshold_distance_sqrt"}

// DeliveryConfidenceX is the label confidence's feature vector.
func DeliveryConfidenceX(dist float64) []float64 { return []float64{dist, math.Sqrt(dist)} }

// ThresholdDistance is nearestThreshold's distance, for the training
// command.
func ThresholdDistance(s float64, thresholds []float64) float64 {
	d, _ := nearestThreshold(s, thresholds)
	return d
}

// DeliveryScore is the delivery model's score of an answer whose features
// are x, and untensed those of its untensed reading (nil for an answer with
// no agreement slip): the higher of the two, as Engine.delivery reports.
func DeliveryScore(m *model.Ordinal, x, untensed []float64) float64 {
	s := m.Score(x)
	if untensed != nil {
		s = max(s, m.Score(untensed))
	}
	return s
}

// SpecificityOf is specificityOf for the training command.
func SpecificityOf(score float64, thresholds []float64, curve *model.Curve, shrink *model.Shrink) int {
	return specificityOf(score, thresholds, curve, shrink)
}
