package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/render"
	"github.com/candorhq/candor/slate"
)

var labels = map[string]struct{ Symbol, Word, Help string }{
	analyzer.LabelSpecific:  {"◆", "Specific", "tells a particular past situation in concrete detail"},
	analyzer.LabelMixed:     {"◈", "Mixed", "some concrete detail, some general or habitual talk"},
	analyzer.LabelRehearsed: {"◇", "Rehearsed", "general, habitual or hypothetical talk; few particulars of a real episode"},
}

// reportView is what the report page shows, computed once per request.
type reportView struct {
	R           *analyzer.Report
	Created     string
	CoveragePct int
	Specificity int
	Labels      []labelCount
	Areas       []labelCount
	Cols        []int
	Rows        []matrixRow
	// NotAsked are the guide's questions the interview never asked,
	// listed apart (collapsed) below the matrix.
	NotAsked []matrixRow
	// Legend names every area of every answered question, so no name
	// hides behind a tooltip.
	Legend   []legendRow
	Answers  []answerView
	Warnings []warningView
	Source   string
}

type labelCount struct {
	Class, Symbol, Word string
	N                   int
}

type matrixRow struct {
	QuestionID, Question string
	Href                 string // the answer's section; "" when not asked
	Answered             bool
	Cells                []cell
	Label                badge
	Specificity          int
	NotAskedSpan         int // colspan of the one "not asked" cell of a question never asked
}

type legendRow struct {
	QuestionID, Href string
	Areas            []legendArea
}

type legendArea struct {
	Index                int
	Text, Symbol, Status string
}

type cell struct {
	Status, Symbol, Word string
	Index                int
	Area                 string
	Label                string // "Area 2: partial", for screen readers
	Href                 string // the area's first quote, or its entry in the answer
	Blank                bool   // the question has fewer areas than the widest
}

type badge struct{ Class, Symbol, Word, Help string }

type answerView struct {
	N        int
	Anchor   string
	A        *analyzer.AnswerAnalysis
	Label    badge
	CovPct   int
	STAR     []chip
	STARText string
	Areas    []areaView
	Text     template.HTML
	// Asked is the interviewer's question as asked; Parts the answer cut
	// where the interviewer's follow-ups came, each part after its probe.
	Asked     string
	Parts     []answerPart
	Specific  []signalView
	Rehearsed []signalView
	Warnings  []warningView
	// Depth is the verdict on each of the guide's depth signals.
	Depth     []depthView
	FollowUps []string
	Engine    string
	// Borderline says, for a label the engine is not sure of
	// (analyzer.Delivery.Borderline), how often such labels held and
	// which label a second reading may give.
	Borderline string
}

type answerPart struct {
	Speaker, Probe string // empty for the part that answers the question
	HTML           template.HTML
}

type chip struct {
	Name string
	On   bool
}

type areaView struct {
	Anchor, Status, Symbol, Word, Text, Kind string
	Title                                    string // "2. the area's text"
	Index                                    int
	Confidence                               int
	Quotes                                   []quoteLink
	HeuristicStatus                          string
}

// depthView is one depth signal's verdict: Class is the area status its
// status stands for (the page's colours), Word the status itself.
type depthView struct {
	ID, Text, Status, Class, Symbol string
	// Quote is the first quote: a link to the answer where an area cites
	// the same span; Href is empty for one no area cites (shown, not
	// highlighted). One quote only: the page's weight budget.
	Quote *quoteLink
}

var depthClass = map[string]string{
	analyzer.DepthPresent: analyzer.StatusCovered,
	analyzer.DepthPartial: analyzer.StatusPartial,
	analyzer.DepthAbsent:  analyzer.StatusMissing,
}

// quoteLink is an area's link to one of its quotes; N counts from 1.
type quoteLink struct {
	Href, Quote string
	N           int
	// Tentative: the engine does not stand behind this quote (the
	// nearest sentence it found; analyzer.Span.Tentative).
	Tentative bool
}

// signalView is one kind of signal and the quotes that showed it.
type signalView struct {
	Kind   string
	Quotes []string
}

type warningView struct {
	Code, Title, Message, QuestionID, Href string
	// Assign, for a reply no question took: the upload form, pre-filled to
	// analyse the transcript again with the turn assigned to each of the
	// closest questions.
	Assign     []link
	AssignTurn int
}

type link struct{ Text, Href string }

var warningTitles = map[string]string{
	analyzer.WarnPromptInjection: "Text that addresses the analyzer",
	analyzer.WarnShortAnswer:     "Very short answer",
	analyzer.WarnOffQuestion:     "Answer may be off the question",
	analyzer.WarnRolesUnclear:    "Speaker roles unclear",
	analyzer.WarnRolesSwapped:    "Speaker roles may be swapped",
	analyzer.WarnNotAsked:        "Question not asked",
	analyzer.WarnLLMFallback:     "Model unavailable for an answer",
	analyzer.WarnProbeUnanswered: "A follow-up went unanswered",
	analyzer.WarnNothingAligned:  "Nothing matched the guide",
	analyzer.WarnStoryReused:     "One story told for several questions",
	analyzer.WarnAnswerUnplaced:  "An answer matched no guide question",
}

func pct(f float64) int { return int(f*100 + 0.5) }

func badgeOf(label string) badge {
	l, ok := labels[label]
	if !ok {
		return badge{Class: "unknown", Symbol: "?", Word: label}
	}
	return badge{Class: label, Symbol: l.Symbol, Word: l.Word, Help: l.Help}
}

func humanize(s string) string { return strings.ReplaceAll(s, "_", " ") }

// buildReport prepares rep for the page. g, when it is the guide the
// report was made with (same version), orders the matrix as the guide does
// and names the questions that were not asked; nil keeps the report's order.
func buildReport(rep *analyzer.Report, g *analyzer.Guide) *reportView {
	v := &reportView{R: rep, CoveragePct: pct(rep.Summary.Coverage), Specificity: int(rep.Summary.Specificity + 0.5)}
	if rep.CreatedAt != nil {
		v.Created = rep.CreatedAt.UTC().Format("2 Jan 2006 15:04 UTC")
	}
	for _, l := range []string{analyzer.LabelSpecific, analyzer.LabelMixed, analyzer.LabelRehearsed} {
		b := badgeOf(l)
		v.Labels = append(v.Labels, labelCount{Class: l, Symbol: b.Symbol, Word: b.Word, N: rep.Summary.Labels[l]})
	}
	for _, s := range []string{analyzer.StatusCovered, analyzer.StatusPartial, analyzer.StatusMissing} {
		v.Areas = append(v.Areas, labelCount{Class: s, Symbol: slate.Symbols[s], Word: slate.Words[s], N: rep.Summary.Areas[s]})
	}
	if src := rep.Source; src != nil {
		parts := []string{src.Format}
		if len(src.Interviewer) > 0 {
			parts = append(parts, "interviewer "+strings.Join(src.Interviewer, ", "))
		}
		if src.Turns > 0 {
			parts = append(parts, strconv.Itoa(src.Turns)+" turns")
		}
		v.Source = strings.Join(parts, " · ")
	}

	anchorOf := map[string]string{}
	width := 0
	v.Answers = make([]answerView, len(rep.Answers))
	for i := range rep.Answers {
		a := &rep.Answers[i]
		v.Answers[i] = buildAnswer(i, a)
		if _, ok := anchorOf[a.QuestionID]; !ok {
			anchorOf[a.QuestionID] = v.Answers[i].Anchor
		}
		width = max(width, len(a.Coverage.Areas))
	}
	if g != nil && g.Version != rep.Guide.Version {
		g = nil // changed since: its order and texts may not match
	}
	for i := 1; i <= width; i++ {
		v.Cols = append(v.Cols, i)
	}

	row := func(av *answerView) matrixRow {
		a := av.A
		r := matrixRow{QuestionID: a.QuestionID, Question: a.Question, Href: "#" + av.Anchor, Answered: true,
			Label: av.Label, Specificity: a.Delivery.Specificity}
		for j := range width {
			if j >= len(av.Areas) {
				r.Cells = append(r.Cells, cell{Blank: true})
				continue
			}
			ar := av.Areas[j]
			c := cell{Status: ar.Status, Symbol: ar.Symbol, Word: ar.Word, Index: ar.Index, Area: ar.Text, Href: "#" + ar.Anchor,
				Label: "Area " + strconv.Itoa(ar.Index) + ": " + ar.Word}
			if len(ar.Quotes) > 0 {
				c.Href = ar.Quotes[0].Href
			}
			r.Cells = append(r.Cells, c)
		}
		return r
	}
	// A question never asked has no area verdicts: one cell says so.
	notAsked := func(id, text string) matrixRow {
		return matrixRow{QuestionID: id, Question: text, NotAskedSpan: max(width, 1)}
	}
	isNotAsked := map[string]bool{}
	for _, id := range rep.Summary.NotAsked {
		isNotAsked[id] = true
	}
	if g != nil {
		// Guide order; every answer to a question gets its row.
		done := map[int]bool{}
		for _, q := range g.Questions {
			found := false
			for i := range v.Answers {
				if v.Answers[i].A.QuestionID == q.ID {
					v.Rows = append(v.Rows, row(&v.Answers[i]))
					done[i], found = true, true
				}
			}
			if !found && isNotAsked[q.ID] {
				v.NotAsked = append(v.NotAsked, notAsked(q.ID, q.Text))
			}
		}
		for i := range v.Answers {
			if !done[i] {
				v.Rows = append(v.Rows, row(&v.Answers[i]))
			}
		}
	} else {
		for i := range v.Answers {
			v.Rows = append(v.Rows, row(&v.Answers[i]))
		}
		for _, id := range rep.Summary.NotAsked {
			v.NotAsked = append(v.NotAsked, notAsked(id, ""))
		}
	}
	for i := range v.Answers {
		av := &v.Answers[i]
		lr := legendRow{QuestionID: av.A.QuestionID, Href: "#" + av.Anchor}
		for _, ar := range av.Areas {
			lr.Areas = append(lr.Areas, legendArea{Index: ar.Index, Text: ar.Text, Symbol: ar.Symbol, Status: ar.Status})
		}
		v.Legend = append(v.Legend, lr)
	}

	for _, w := range rep.Warnings {
		wv := warningOf(w, anchorOf)
		if w.Code == analyzer.WarnAnswerUnplaced && w.Turn != nil {
			wv.AssignTurn = *w.Turn
			for _, id := range w.Closest {
				q := url.Values{"guide": {rep.Guide.ID}, "assign": {fmt.Sprintf("%d=%s", *w.Turn, id)}}
				wv.Assign = append(wv.Assign, link{Text: id, Href: "/?" + q.Encode()})
			}
		}
		v.Warnings = append(v.Warnings, wv)
	}
	return v
}

func warningOf(w analyzer.Warning, anchorOf map[string]string) warningView {
	wv := warningView{Code: w.Code, Message: w.Message, QuestionID: w.QuestionID, Title: warningTitles[w.Code]}
	if wv.Title == "" {
		wv.Title = humanize(w.Code)
	}
	if a, ok := anchorOf[w.QuestionID]; ok {
		wv.Href = "#" + a
	}
	return wv
}

func buildAnswer(i int, a *analyzer.AnswerAnalysis) answerView {
	anchor := "a" + strconv.Itoa(i+1)
	av := answerView{N: i + 1, Anchor: anchor, A: a, Label: badgeOf(a.Delivery.Label), CovPct: pct(a.Coverage.Score),
		FollowUps: a.FollowUps, Engine: a.Engine}
	if d := a.Delivery; d.Borderline() {
		av.Borderline = fmt.Sprintf("Borderline: answers read this close to another label were given this one %d%% of the time; a second reading may call it %s.",
			pct(d.LabelConfidence), strings.ToLower(badgeOf(d.NearLabel).Word))
	}
	s := a.Delivery.STAR
	av.STAR = []chip{{"Situation", s.Situation}, {"Task", s.Task}, {"Action", s.Action}, {"Result", s.Result}}
	var told, untold []string
	for _, c := range av.STAR {
		if c.On {
			told = append(told, c.Name)
		} else {
			untold = append(untold, c.Name)
		}
	}
	av.STARText = "STAR: told " + orNone(told) + "; not told " + orNone(untold)

	// One mark per distinct evidence span, shared by the areas citing it.
	type key struct{ s, e int }
	markOf := map[key]int{}
	var marks []mark
	var cites [][]int
	addMark := func(sp analyzer.Span, class string) int {
		k := key{sp.Start, sp.End}
		if j, ok := markOf[k]; ok {
			return j
		}
		j := len(marks)
		markOf[k] = j
		marks = append(marks, mark{start: sp.Start, end: sp.End, id: anchor + "-m" + strconv.Itoa(j), class: class})
		cites = append(cites, nil)
		return j
	}
	for _, ar := range a.Coverage.Areas {
		sym, word := slate.Symbols[ar.Status], slate.Words[ar.Status]
		if sym == "" {
			sym, word = "?", ar.Status
		}
		v := areaView{Anchor: anchor + "-area" + strconv.Itoa(ar.Index), Status: ar.Status, Symbol: sym, Word: word,
			Text: ar.Text, Title: strconv.Itoa(ar.Index) + ". " + ar.Text, Kind: humanize(ar.Kind), Index: ar.Index, Confidence: pct(ar.Confidence), HeuristicStatus: ar.HeuristicStatus}
		for _, e := range ar.Evidence {
			if !validSpan(a.Text, e) {
				continue
			}
			j := addMark(e, "")
			cites[j] = append(cites[j], ar.Index)
			v.Quotes = append(v.Quotes, quoteLink{Href: "#" + marks[j].id, Quote: e.Quote, N: len(v.Quotes) + 1, Tentative: e.Tentative})
		}
		av.Areas = append(av.Areas, v)
	}
	for _, w := range a.Warnings {
		av.Warnings = append(av.Warnings, warningOf(w, nil))
		if w.Span != nil && validSpan(a.Text, *w.Span) {
			j := addMark(*w.Span, "flag")
			marks[j].class = "flag"
			marks[j].title = "Flagged: " + warningTitleOf(w.Code)
		}
	}
	for j := range marks {
		if len(cites[j]) > 0 {
			ns := make([]string, len(cites[j]))
			for k, n := range cites[j] {
				ns[k] = strconv.Itoa(n)
			}
			marks[j].title = "Evidence for area " + strings.Join(ns, ", ")
		}
	}
	for _, d := range a.Delivery.Depth {
		st := render.DepthStatus(d)
		dv := depthView{ID: d.ID, Text: d.Text, Status: st, Class: depthClass[st], Symbol: slate.Symbols[depthClass[st]]}
		for _, e := range d.Evidence {
			if !validSpan(a.Text, e) {
				continue
			}
			dv.Quote = &quoteLink{Quote: e.Quote, N: 1, Tentative: e.Tentative}
			if j, ok := markOf[key{e.Start, e.End}]; ok {
				dv.Quote.Href = "#" + marks[j].id
			}
			break
		}
		av.Depth = append(av.Depth, dv)
	}
	av.Specific, av.Rehearsed = groupSignals(a.Delivery.Signals)
	av.Asked = a.Asked
	av.Parts = answerParts(a, marks)
	av.Text = highlight(a.Text, marks)
	return av
}

// answerParts cuts the answer where the interviewer's follow-ups came:
// the first part answers the question, each later one follows its probe
// (probes asked back to back share a part). A probe the candidate never
// replied to ends the list with an empty part.
func answerParts(a *analyzer.AnswerAnalysis, marks []mark) []answerPart {
	n := len([]rune(a.Text))
	type group struct {
		off            int
		speaker, probe string
	}
	var groups []group
	for _, p := range a.Probes {
		off := min(max(p.Offset, 0), n)
		if k := len(groups); k > 0 && groups[k-1].off == off {
			groups[k-1].probe += " " + p.Text
			continue
		}
		if k := len(groups); k > 0 && off < groups[k-1].off {
			continue // out of order: not from this answer's text
		}
		groups = append(groups, group{off: off, speaker: p.Speaker, probe: p.Text})
	}
	cuts := make([]int, 0, len(groups))
	for _, g := range groups {
		cuts = append(cuts, g.off)
	}
	pieces := segments(a.Text, marks, cuts)
	// segments drops cuts at 0 and at the end: walk the pieces by offset.
	var parts []answerPart
	pi := 0
	if len(groups) == 0 || groups[0].off > 0 {
		parts = append(parts, answerPart{HTML: pieces[0]})
		pi = 1
	}
	for _, g := range groups {
		part := answerPart{Speaker: g.speaker, Probe: g.probe}
		if g.off < n && pi < len(pieces) {
			part.HTML = pieces[pi]
			pi++
		}
		parts = append(parts, part)
	}
	return parts
}

func orNone(ss []string) string {
	if len(ss) == 0 {
		return "none"
	}
	return strings.Join(ss, ", ")
}

// groupSignals groups signals by polarity and kind, in order of first
// appearance, each quote once.
func groupSignals(sigs []analyzer.Signal) (specific, rehearsed []signalView) {
	type key struct{ pol, kind string }
	at := map[key]int{}
	seen := map[key]map[string]bool{}
	for _, sg := range sigs {
		k := key{sg.Polarity, sg.Kind}
		list := &specific
		if sg.Polarity == analyzer.PolarityRehearsed {
			list = &rehearsed
		}
		i, ok := at[k]
		if !ok {
			i = len(*list)
			at[k] = i
			seen[k] = map[string]bool{}
			*list = append(*list, signalView{Kind: humanize(sg.Kind)})
		}
		if !seen[k][sg.Quote] {
			seen[k][sg.Quote] = true
			(*list)[i].Quotes = append((*list)[i].Quotes, sg.Quote)
		}
	}
	return specific, rehearsed
}

func warningTitleOf(code string) string {
	if t := warningTitles[code]; t != "" {
		return t
	}
	return humanize(code)
}

// validSpan reports whether sp's offsets select its quote in text; other
// spans are not highlighted (the quote is still listed).
func validSpan(text string, sp analyzer.Span) bool {
	if sp.Start < 0 || sp.End <= sp.Start || sp.End-sp.Start != len([]rune(sp.Quote)) {
		return false
	}
	// Walk to the start offset without converting the whole text.
	i := 0
	for bi := range text {
		if i == sp.Start {
			return strings.HasPrefix(text[bi:], sp.Quote)
		}
		i++
	}
	return false
}
