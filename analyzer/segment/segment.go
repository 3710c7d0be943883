// Package segment turns a transcript into the candidate's answers to guide
// questions: it infers who interviews and who answers, finds the interviewer
// turns that ask a guide question (in the interviewer's own words, in any
// order), keeps follow-ups and the replies to them with the question they
// follow, and ignores small talk and the closing exchange.
package segment

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
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
	// Assign fixes what some interviewer turns ask, where the user knows
	// better than the model: turn index (as `candor segment --explain` and
	// the answer_unplaced warning number them) to a question id, or to
	// AssignNone for a turn that asks no new guide question (a follow-up
	// or small talk). The other turns are read as usual; a question
	// assigned to a turn is asked at that turn only.
	Assign map[int]string
}

// AssignNone, as the question of an assigned turn, says that the turn asks
// no new guide question.
const AssignNone = "-"

// UnplacedWords is the least a reply must say, in words, for the
// answer_unplaced warning: below it, as for answer_too_short, a reply is
// small talk or a fragment ("Busy but good.").
const UnplacedWords = analyzer.ShortAnswerWords

// Unplaced is candidate speech that no guide question took: the reply to
// an interviewer turn that asked none the model recognised (or talk before
// the first question). It is not analysed; the answer_unplaced warning
// names it, so that nothing the candidate said is lost without a word.
type Unplaced struct {
	// AskedAt is the interviewer turn it replies to: the behavioural prompt
	// that opened the exchange, else the interviewer turn in it that
	// matches a guide question best (-1: the candidate spoke before any
	// interviewer did).
	AskedAt int    `json:"asked_at_turn"`
	Asked   string `json:"asked,omitempty"`
	Turns   []int  `json:"turns"`
	Words   int    `json:"words"`
	// Closest are the guide questions the asking turn matches best, best
	// first, with their match scores.
	Closest []string  `json:"closest,omitempty"`
	Scores  []float64 `json:"scores,omitempty"`
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
	// Unplaced is what the candidate said, at least UnplacedWords long,
	// that no guide question took.
	Unplaced []Unplaced `json:"unplaced,omitempty"`
}

// Segment maps the transcript's turns to the guide's questions. For the
// answers format, whose answers already name their question, it checks the
// ids against the guide. Errors name what is wrong: an unknown question id,
// a speaker override that is not in the transcript, no candidate answer.
func Segment(g *analyzer.Guide, t *analyzer.Transcript, opts Options) (*Result, error) {
	if t.Answers != nil || t.Format == "answers-json" {
		if len(opts.Assign) > 0 {
			return nil, &analyzer.InputError{Field: "assign", Reason: "the answers format names each answer's question already; assign is for transcripts"}
		}
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
	pin, err := assigned(g, t, roles, opts.Assign)
	if err != nil {
		return nil, err
	}
	d := decode(g, t, tt, roles, dec, dec.IntentWeight, opts.Explain, nil, pin)
	res.Answers, res.Decisions = d.answers, d.decisions
	fillProbes(t, roles, res.Answers)
	res.Unplaced = unplacedRuns(g, t, tt, roles, dec.IntentWeight, d.unplaced)
	for _, u := range res.Unplaced {
		// What the candidate says before any interviewer speaks is not an
		// answer to anything.
		if u.AskedAt >= 0 {
			res.Warnings = append(res.Warnings, unplacedWarning(u))
		}
	}
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
	return decode(g, t, tt, roles, nil, intentWeight, false, force, nil).groups, nil
}

// ParseAssign reads assignments written as "TURN=QUESTION", or "TURN=-"
// for a turn that asks no guide question (the CLI's --assign, the API's
// assign form and query values).
func ParseAssign(items []string) (map[int]string, error) {
	out := map[int]string{}
	for _, it := range items {
		t, q, ok := strings.Cut(strings.TrimSpace(it), "=")
		n, err := strconv.Atoi(strings.TrimSpace(t))
		q = strings.TrimSpace(q)
		if !ok || err != nil || n < 0 || q == "" {
			return nil, fmt.Errorf("%q is not TURN=QUESTION (a turn number as 'candor segment --explain' prints it, and a question id, or %s for none)", it, AssignNone)
		}
		if prev, dup := out[n]; dup && prev != q {
			return nil, fmt.Errorf("turn %d is assigned twice (%s and %s)", n, prev, q)
		}
		out[n] = q
	}
	return out, nil
}

// assigned checks the user's assignments against the guide and the
// transcript and returns them as question indexes (-1 for AssignNone).
func assigned(g *analyzer.Guide, t *analyzer.Transcript, r *roles, assign map[int]string) (map[int]int, error) {
	if len(assign) == 0 {
		return nil, nil
	}
	turns := slices.Sorted(maps.Keys(assign))
	pin := make(map[int]int, len(assign))
	at := map[string]int{}
	for _, turn := range turns {
		id := assign[turn]
		field := fmt.Sprintf("assign[%d]", turn)
		if turn < 0 || turn >= len(t.Turns) {
			return nil, &analyzer.InputError{Field: field, Reason: fmt.Sprintf("the transcript has turns 0..%d", len(t.Turns)-1)}
		}
		if sp := t.Turns[turn].Speaker; !r.isInterv[sp] {
			return nil, &analyzer.InputError{Field: field, Reason: fmt.Sprintf("turn %d is %s's, not an interviewer's (interviewers: %s)",
				turn, sp, strings.Join(r.interviewers, ", "))}
		}
		if id == AssignNone {
			pin[turn] = -1
			continue
		}
		q := slices.IndexFunc(g.Questions, func(q analyzer.Question) bool { return q.ID == id })
		if q < 0 {
			return nil, &analyzer.InputError{Field: field, Reason: fmt.Sprintf("%q is not a question of guide %q (it has %s; %q for none)", id, g.ID, idRange(g), AssignNone)}
		}
		if prev, dup := at[id]; dup {
			return nil, &analyzer.InputError{Field: field, Reason: fmt.Sprintf("%s is already assigned to turn %d: a question is asked at one turn", id, prev)}
		}
		at[id] = turn
		pin[turn] = q
	}
	return pin, nil
}

// unplacedRuns groups the candidate turns no question took into the
// exchanges they belong to, keeping those of at least UnplacedWords words.
// An exchange starts at the interviewer turn before its first reply and
// takes the replies to the follow-ups after it ("How did it go?"); a new
// prompt, a transition or an introduction ("tell me about a time", "next
// one", "I'll ask you a few questions") starts another, and so does a
// reply some question took.
func unplacedRuns(g *analyzer.Guide, t *analyzer.Transcript, tt *turnText, r *roles, intentWeight float64, turns []int) []Unplaced {
	startsExchange := func(j int) bool {
		l := tt.lowerOf(j)
		return hasAny(l, promptCues) || hasAny(l, transitionCues) || hasAny(l, introCues)
	}
	var out []Unplaced
	for k := 0; k < len(turns); {
		asked := -1
		for j := turns[k] - 1; j >= 0; j-- {
			if r.isInterv[t.Turns[j].Speaker] {
				asked = j
				break
			}
		}
		u := Unplaced{AskedAt: asked}
		for ; k < len(turns); k++ {
			if n := len(u.Turns); n > 0 {
				split := false
				for j := u.Turns[n-1] + 1; j < turns[k] && !split; j++ {
					sp := t.Turns[j].Speaker
					split = sp == r.candidate || r.isInterv[sp] && startsExchange(j)
				}
				if split {
					break
				}
			}
			u.Turns = append(u.Turns, turns[k])
			u.Words += nlp.Words(t.Turns[turns[k]].Text)
		}
		if u.Words < UnplacedWords {
			continue
		}
		// The exchange is named by the turn that opened it when that turn is
		// a behavioural prompt ("tell me about a time ..."); else by the
		// interviewer turn in it that matches a guide question best (the
		// earliest of equals): "Sure, we can come back to it." may come
		// before the question itself.
		if asked >= 0 && hasAny(tt.lowerOf(asked), promptCues) {
			u.Closest, u.Scores = closestQuestions(g, tt, asked, intentWeight, 3)
		} else if asked >= 0 {
			best := -1.0
			for j := asked; j < u.Turns[len(u.Turns)-1]; j++ {
				if !r.isInterv[t.Turns[j].Speaker] {
					continue
				}
				ids, scores := closestQuestions(g, tt, j, intentWeight, 3)
				if len(scores) > 0 && scores[0] > best {
					best, u.AskedAt, u.Closest, u.Scores = scores[0], j, ids, scores
				}
			}
		}
		if u.AskedAt >= 0 {
			u.Asked = t.Turns[u.AskedAt].Text
		}
		out = append(out, u)
	}
	return out
}

func unplacedWarning(u Unplaced) analyzer.Warning {
	turn := u.AskedAt
	w := analyzer.Warning{Code: analyzer.WarnAnswerUnplaced, Turn: &turn, Closest: slices.Clone(u.Closest)}
	reply := fmt.Sprintf("%d words", u.Words)
	if len(u.Turns) > 1 {
		reply = fmt.Sprintf("%d words in %d turns", u.Words, len(u.Turns))
	}
	var closest []string
	for i, id := range u.Closest {
		closest = append(closest, fmt.Sprintf("%s %.2f", id, u.Scores[i]))
	}
	w.Message = fmt.Sprintf("Interviewer turn %d (%q) was not read as asking a guide question, so the candidate's reply (%s) is not analysed. Closest questions: %s. If the turn asks one of them, assign it (turn %d to its question id) and analyse again.",
		u.AskedAt, clip(u.Asked, 90), reply, strings.Join(closest, ", "), u.AskedAt)
	return w
}

// clip shortens s to about n code points at a word boundary.
func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	cut := n
	for cut > n/2 && r[cut] != ' ' {
		cut--
	}
	return strings.TrimSpace(string(r[:cut])) + "…"
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
