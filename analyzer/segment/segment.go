// Package segment turns a transcript into the candidate's answers to guide
// questions: it infers who interviews and who answers, finds the interviewer
// turns that ask a guide question (in the interviewer's own words, in any
// order), keeps follow-ups and the replies to them with the question they
// follow, and ignores small talk and the closing exchange.
package segment

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
)

// Options override what Segment would infer.
type Options struct {
	// Interviewers names the speakers who ask the questions.
	Interviewers []string
	// Candidate names the speaker who answers.
	Candidate string
	// Explain records, for every interviewer turn, its best-matching
	// questions and what alignment decided (Result.Decisions).
	Explain bool
	// Decoder is the turn model; nil means the embedded, trained one. The
	// training command sets it to score a model it is fitting.
	Decoder *Decoder
}

// Decision says what alignment made of one interviewer turn.
type Decision struct {
	Turn     int       `json:"turn"`
	Decision string    `json:"decision"` // new, follow_up, closing, not_a_question, no_match, deferred_repeat
	Best     []string  `json:"best,omitempty"`
	Scores   []float64 `json:"scores,omitempty"`
	// P is the probability the turn model gave the decision taken (absent
	// for decisions read from cue phrases: closing, a return to a deferred
	// question).
	P float64 `json:"p,omitempty"`
}

// Result is a segmented transcript.
type Result struct {
	Answers      []analyzer.Answer  `json:"answers"`
	Interviewers []string           `json:"interviewers"`
	Candidate    string             `json:"candidate"`
	NotAsked     []string           `json:"not_asked"`
	Warnings     []analyzer.Warning `json:"warnings"`
	Format       string             `json:"format"`
	Turns        int                `json:"turns"`
	Decisions    []Decision         `json:"decisions,omitempty"`
}

// Segment maps the transcript's turns to the guide's questions. For the
// answers format, whose answers already name their question, it checks the
// ids against the guide. Errors name what is wrong: an unknown question id,
// a speaker override that is not in the transcript, no candidate answer.
func Segment(g *analyzer.Guide, t *analyzer.Transcript, opts Options) (*Result, error) {
	if t.Answers != nil || t.Format == "answers-json" {
		return givenAnswers(g, t)
	}
	res := &Result{Format: t.Format, Turns: len(t.Turns)}
	tt := newTurnText(t)
	roles, err := inferRoles(g, t, tt, opts)
	if err != nil {
		return nil, err
	}
	res.Interviewers, res.Candidate, res.Warnings = roles.interviewers, roles.candidate, roles.warnings
	dec := opts.Decoder
	if dec == nil {
		if dec, err = embedded(); err != nil {
			return nil, err
		}
	}
	res.Answers, res.Decisions, _ = decode(g, t, tt, roles, dec, dec.IntentWeight, opts.Explain, nil)
	fillProbes(t, roles, res.Answers)
	asked := map[string]bool{}
	for _, a := range res.Answers {
		asked[a.QuestionID] = true
	}
	res.NotAsked = []string{}
	for _, q := range g.Questions {
		if !asked[q.ID] {
			res.NotAsked = append(res.NotAsked, q.ID)
		}
	}
	if len(res.Answers) == 0 {
		res.Warnings = append(res.Warnings, analyzer.Warning{Code: analyzer.WarnNotAsked,
			Message: fmt.Sprintf("no question of guide %q was recognised in the transcript", g.ID)})
	}
	return res, nil
}

// Ask is one interviewer turn that asks a guide question, in a gold
// alignment.
type Ask struct {
	QuestionID string
	Turn       int
}

// TrainingGroups reads a transcript as the gold alignment says (asks:
// every turn that asks a guide question, including one the candidate put
// off and that was asked again later) and returns every scored interviewer
// turn as the turn model sees it in that state: the rows the training
// command fits the model on, with intentWeight as the decoder's
// IntentWeight. Roles are inferred as Segment infers them.
func TrainingGroups(g *analyzer.Guide, t *analyzer.Transcript, asks []Ask, intentWeight float64) ([]Group, error) {
	tt := newTurnText(t)
	roles, err := inferRoles(g, t, tt, Options{})
	if err != nil {
		return nil, err
	}
	force := map[int]int{}
	for _, a := range asks {
		id, turn := a.QuestionID, a.Turn
		q := slices.IndexFunc(g.Questions, func(q analyzer.Question) bool { return q.ID == id })
		if q < 0 {
			return nil, fmt.Errorf("gold question %q is not in guide %q", id, g.ID)
		}
		if turn < 0 || turn >= len(t.Turns) || !roles.isInterv[t.Turns[turn].Speaker] {
			return nil, fmt.Errorf("gold ask of %s at turn %d is not an interviewer turn", id, turn)
		}
		force[turn] = q
	}
	_, _, groups := decode(g, t, tt, roles, nil, intentWeight, false, force)
	return groups, nil
}

func givenAnswers(g *analyzer.Guide, t *analyzer.Transcript) (*Result, error) {
	res := &Result{Format: t.Format, Candidate: t.Candidate, Warnings: []analyzer.Warning{}}
	seen := map[string]int{}
	for i, ga := range t.Answers {
		if _, ok := g.Question(ga.QuestionID); !ok {
			return nil, &analyzer.InputError{Field: fmt.Sprintf("answers[%d].question_id", i),
				Reason: fmt.Sprintf("%q is not a question of guide %q (it has %s)", ga.QuestionID, g.ID, idRange(g))}
		}
		if j, dup := seen[ga.QuestionID]; dup {
			// Two answers to one question: join them, as a follow-up would.
			a := &res.Answers[j]
			a.Offsets = append(a.Offsets, nlpLen(a.Text)+1)
			a.Text += " " + ga.Text
			continue
		}
		seen[ga.QuestionID] = len(res.Answers)
		res.Answers = append(res.Answers, analyzer.Answer{QuestionID: ga.QuestionID, Text: ga.Text, AskedAt: -1, Offsets: []int{0}})
	}
	res.NotAsked = []string{}
	for _, q := range g.Questions {
		if _, ok := seen[q.ID]; !ok {
			res.NotAsked = append(res.NotAsked, q.ID)
		}
	}
	return res, nil
}

func nlpLen(s string) int { return len([]rune(s)) }

func idRange(g *analyzer.Guide) string {
	n := len(g.Questions)
	switch n {
	case 0:
		return "no questions"
	case 1:
		return g.Questions[0].ID
	}
	return g.Questions[0].ID + ".." + g.Questions[n-1].ID
}

type roles struct {
	interviewers []string
	candidate    string
	isInterv     map[string]bool
	warnings     []analyzer.Warning
}

type speakerStats struct {
	name      string
	turns     int
	words     int
	questions int     // turns that ask something
	guide     float64 // best match of any turn to a guide question
	first     int
}

var roleNames = map[string]string{"interviewer": "i", "q": "i", "question": "i", "recruiter": "i", "hiring manager": "i",
	"i": "i", "int": "i", "interviewer 1": "i", "interviewer 2": "i", "interviewer 3": "i",
	"candidate": "c", "a": "c", "answer": "c", "applicant": "c", "interviewee": "c", "r": "c", "respondent": "c"}

func inferRoles(g *analyzer.Guide, t *analyzer.Transcript, tt *turnText, opts Options) (*roles, error) {
	stats := map[string]*speakerStats{}
	var order []string
	m := guideMatcher(g)
	scores := make([]float64, len(g.Questions))
	for i, turn := range t.Turns {
		s := stats[turn.Speaker]
		if s == nil {
			s = &speakerStats{name: turn.Speaker, first: i}
			stats[turn.Speaker] = s
			order = append(order, turn.Speaker)
		}
		s.turns++
		s.words += nlp.Words(turn.Text)
		if asksLower(tt.lowerOf(i)) {
			s.questions++
			m.Score(tt.lemmasOf(i), scores)
			for _, x := range scores {
				s.guide = max(s.guide, x)
			}
		}
	}
	r := &roles{isInterv: map[string]bool{}}
	has := func(name string) bool { return stats[name] != nil }
	if opts.Candidate != "" && !has(opts.Candidate) {
		return nil, &analyzer.InputError{Field: "--candidate", Reason: fmt.Sprintf("no speaker %q in the transcript (speakers: %s)", opts.Candidate, strings.Join(order, ", "))}
	}
	for _, n := range opts.Interviewers {
		if !has(n) {
			return nil, &analyzer.InputError{Field: "--interviewer", Reason: fmt.Sprintf("no speaker %q in the transcript (speakers: %s)", n, strings.Join(order, ", "))}
		}
	}
	if len(order) < 2 {
		return nil, &analyzer.InputError{Reason: fmt.Sprintf("only one speaker (%s) found; need an interviewer and a candidate", strings.Join(order, ""))}
	}
	// Explicit role labels in the transcript win.
	labelled := ""
	for _, n := range order {
		if roleNames[strings.ToLower(n)] == "c" {
			labelled = n
		}
	}
	// The candidate answers: most words, fewest questions, least like the guide.
	cand := ""
	best := -1e9
	for _, n := range order {
		s := stats[n]
		total := 0
		for _, x := range stats {
			total += x.words
		}
		share := float64(s.words) / float64(max(total, 1))
		qrate := float64(s.questions) / float64(max(s.turns, 1))
		score := share - 0.6*qrate - 0.8*s.guide
		if score > best {
			best, cand = score, n
		}
	}
	inferred := cand
	switch {
	case opts.Candidate != "":
		cand = opts.Candidate
	case labelled != "":
		cand = labelled
	case len(opts.Interviewers) > 0:
		// The candidate is the most talkative speaker not named as interviewer.
		cand = ""
		bw := -1
		for _, n := range order {
			if !contains(opts.Interviewers, n) && stats[n].words > bw {
				cand, bw = n, stats[n].words
			}
		}
		if cand == "" {
			return nil, &analyzer.InputError{Field: "--interviewer", Reason: "every speaker is named as an interviewer; nobody is left to answer"}
		}
	}
	r.candidate = cand
	for _, n := range order {
		if n == cand {
			continue
		}
		if len(opts.Interviewers) > 0 && !contains(opts.Interviewers, n) {
			continue
		}
		r.interviewers = append(r.interviewers, n)
		r.isInterv[n] = true
	}
	cs := stats[cand]
	if (opts.Candidate != "" || len(opts.Interviewers) > 0) && inferred != cand {
		r.warnings = append(r.warnings, analyzer.Warning{Code: analyzer.WarnRolesSwapped,
			Message: fmt.Sprintf("roles as given make %s the candidate, but %s talks and answers like one; check --candidate/--interviewer", cand, inferred)})
	} else if cs.questions*2 > cs.turns && cs.turns > 2 {
		r.warnings = append(r.warnings, analyzer.Warning{Code: analyzer.WarnRolesUnclear,
			Message: fmt.Sprintf("%s was taken as the candidate but asks questions in most turns; set --candidate or --interviewer if this is wrong", cand)})
	} else {
		for _, n := range r.interviewers {
			if s := stats[n]; s.words > cs.words && s.questions*3 < s.turns {
				r.warnings = append(r.warnings, analyzer.Warning{Code: analyzer.WarnRolesUnclear,
					Message: fmt.Sprintf("%s was taken as an interviewer but talks more than the candidate %s; set --candidate or --interviewer if this is wrong", n, cand)})
			}
		}
	}
	sort.Strings(r.interviewers)
	return r, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
