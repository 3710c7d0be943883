package guide

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// The Yardstick text format, as its guides are copied from the web:
//
//	<introduction paragraphs>              -> Title, Description
//	Interview Questions                     (optional header)
//	<question line>
//	Areas to Cover:                         (bullets -> Question.Areas)
//	- ...
//	Follow-Up Questions:                    (bullets -> Question.FollowUps)
//	- ...
//	... more questions ...
//	Frequently Asked Questions              (optional)
//	<question line> <answer paragraphs>     -> Guide.Notes (and the
//	                                           DepthSignals proposed from
//	                                           them: proposeDepth)
//	<closing sign-up line>                  (dropped)
//
// A question is recognised by what follows it, an "Areas to Cover" header,
// not by its wording: that lets numbered questions, numbered bullets, a
// missing "Interview Questions" header and markdown headings all read the
// same, and keeps FAQ lines (which are never followed by areas) out of the
// questions.

type hdr int

const (
	hdrNone hdr = iota
	hdrQuestions
	hdrAreas
	hdrFollowUps
	hdrFAQ
)

// headerOf classifies a line as one of the section headers, ignoring case,
// markdown, a final colon and the spelling of "follow-up".
func headerOf(s string) hdr {
	if len(s) > 120 { // long lines are never headers; skip the work
		return hdrNone
	}
	t := stripMarkup(s)
	if len(t) > 60 {
		return hdrNone
	}
	t = strings.TrimSpace(strings.TrimSuffix(t, ":"))
	t = strings.Join(strings.FieldsFunc(strings.ToLower(t), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '–'
	}), " ")
	switch t {
	case "interview questions", "questions", "behavioral interview questions", "behavioural interview questions":
		return hdrQuestions
	case "areas to cover", "area to cover":
		return hdrAreas
	case "follow up questions", "followup questions", "follow up question", "follow ups", "followups":
		return hdrFollowUps
	case "frequently asked questions", "faq", "faqs", "frequently asked questions (faq)", "frequently asked questions (faqs)":
		return hdrFAQ
	}
	return hdrNone
}

var (
	// heading is a markdown heading marker.
	heading = regexp.MustCompile(`^#{1,6}\s*`)
	// bullet is a list marker: a dash, star or typographic bullet, or a
	// list number ("1.", "2)", "(3)").
	bullet = regexp.MustCompile(`^(?:[-*+–—](?:\s+|$)|[•·▪◦‣●○■]\s*|\(?\d{1,3}[.)]\s+)`)
	// qnumber is how guides number questions: "1.", "Question 3:", "Q4 -".
	qnumber = regexp.MustCompile(`^(?i:(?:question|q)\s*\d{1,3}\s*[:.)\-–—]\s*|\(?\d{1,3}[.):]\s+)`)
	// rule is a markdown horizontal rule, read as a blank line.
	rule = regexp.MustCompile(`^(?:[-*_]\s*){3,}$`)
	// opener is how behavioural questions start; it lets a question run
	// over several lines before its areas.
	opener = regexp.MustCompile(`^(?i:tell me|tell us|describe|give (?:me|us|an|a)|share|walk (?:me|us)|talk (?:me|us)|think (?:of|about|back)|recall|can you|could you|have you|how|what|when|why)\b`)
	// closing matches the sign-up line that ends guides copied from the web.
	closing = regexp.MustCompile(`(?i)\b(?:sign up|yardstick|for free|subscribe)\b`)
	// subjectEnd finds where an introduction's first sentence stops naming
	// its subject ("Empathy in X refers to ...").
	subjectEnd = regexp.MustCompile(`\s(?:refers to|is|are|means|describes|involves)\s`)
)

// stripMarkup removes markdown heading marks and bold/italic emphasis.
// The cheap checks before each regexp matter: this runs on every line.
func stripMarkup(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "#") {
		s = heading.ReplaceAllString(s, "")
	}
	if strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "")
	}
	if strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "")
	}
	return strings.TrimSpace(s)
}

type tline struct {
	no       int    // 1-based line number
	text     string // markup and list/question markers removed
	prose    string // markup removed, markers kept
	hdr      hdr
	blank    bool
	bullet   bool // starts with a list marker
	numbered bool // starts with question numbering ("1.", "Question 2:")
	heading  bool // a markdown heading
}

func classify(no int, raw string) tline {
	l := tline{no: no}
	s := strings.TrimSpace(raw)
	if s == "" || strings.ContainsAny(s[:1], "-*_") && rule.MatchString(s) {
		l.blank = true
		return l
	}
	l.heading = s[0] == '#'
	l.hdr = headerOf(s)
	l.prose = stripMarkup(s)
	l.text = l.prose
	if l.text == "" {
		return l
	}
	// Markers start with punctuation, a digit, or "Q"; most lines start
	// with a letter and skip both regexps.
	if c := l.text[0]; c < 'A' || c > 'z' || c == 'Q' || c == 'q' {
		if m := bullet.FindString(l.text); m != "" {
			l.bullet = true
			l.text = strings.TrimSpace(l.text[len(m):])
		}
		if m := qnumber.FindString(l.prose); m != "" {
			l.numbered = true
			l.text = strings.TrimSpace(l.prose[len(m):])
		}
		l.text = stripMarkup(l.text)
	}
	return l
}

type state int

const (
	stNone     state = iota // before the first question
	stQuestion              // after a question line, before its areas
	stAreas
	stFollowUps
)

type yparser struct {
	name  string
	ls    []tline
	qs    []analyzer.Question
	lines []int // line of each question
	state state
	// list state: whether the current list uses markers, and whether an
	// unmarked list was closed by a blank line.
	marked, ended bool
}

func (p *yparser) fail(line int, field, reason string) error {
	return invalid(&analyzer.InputError{File: p.name, Line: line, Field: field, Reason: reason})
}

// noAreas reports a question without an "Areas to Cover" list.
func (p *yparser) noAreas(line int, text string, idx int) error {
	return p.fail(line, fmt.Sprintf("questions[%d]", idx),
		fmt.Sprintf(`question %q has no "Areas to Cover" list`, clip(text, 80)))
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "..."
}

// nextContent returns the index of the next non-blank line after i, or -1.
func (p *yparser) nextContent(i int) int {
	for j := i + 1; j < len(p.ls); j++ {
		if !p.ls[j].blank {
			return j
		}
	}
	return -1
}

func (p *yparser) nextIs(i int, h hdr) bool {
	j := p.nextContent(i)
	return j >= 0 && p.ls[j].hdr == h
}

func parseYardstick(name string, data []byte) (*analyzer.Guide, []int, error) {
	raw := splitLines(data)
	p := &yparser{name: name, ls: make([]tline, len(raw))}
	firstAreas, lastAreas := -1, -1
	for i, r := range raw {
		p.ls[i] = classify(i+1, r)
		if p.ls[i].hdr == hdrAreas {
			if firstAreas < 0 {
				firstAreas = i
			}
			lastAreas = i
		}
	}
	if firstAreas < 0 {
		// Read on: a question with follow-ups but no areas gets its own
		// message below.
		firstAreas = len(p.ls)
	}

	// The questions start after the "Interview Questions" header, or, when
	// there is none, at the first line followed by an areas header.
	start, introEnd := -1, -1
	for i := 0; i < firstAreas; i++ {
		if p.ls[i].hdr == hdrQuestions {
			start, introEnd = i+1, i
			break
		}
	}
	if start < 0 {
		for i := 0; i <= firstAreas && i < len(p.ls); i++ {
			if !p.ls[i].blank && p.nextIs(i, hdrAreas) || i == firstAreas {
				start, introEnd = i, i
				break
			}
		}
	}
	if start < 0 {
		return nil, nil, p.fail(0, "", `no interview questions found: want question lines each followed by an "Areas to Cover" list`)
	}

	var preamble []tline // prose between the header and the first question
	trailing := len(p.ls)
	prevBlank := false
loop:
	for i := start; i < len(p.ls); i++ {
		l := p.ls[i]
		if l.blank {
			prevBlank = true
			if (p.state == stAreas || p.state == stFollowUps) && !p.marked && p.listLen() > 0 {
				p.ended = true
			}
			continue
		}
		adjacent := !prevBlank
		prevBlank = false
		cur := len(p.qs) - 1
		switch l.hdr {
		case hdrFAQ:
			trailing = i + 1
			break loop
		case hdrQuestions:
			continue
		case hdrAreas:
			if p.state != stQuestion {
				return nil, nil, p.fail(l.no, "", `"Areas to Cover" with no question line before it`)
			}
			p.openList(stAreas)
			continue
		case hdrFollowUps:
			switch p.state {
			case stNone:
				return nil, nil, p.fail(l.no, "", `"Follow-Up Questions" with no question line before it`)
			case stQuestion:
				return nil, nil, p.noAreas(p.lines[cur], p.qs[cur].Text, cur)
			case stFollowUps:
				return nil, nil, p.fail(l.no, fmt.Sprintf("questions[%d]", cur), `a second "Follow-Up Questions" list for one question`)
			}
			p.openList(stFollowUps)
			continue
		}

		// A line followed by an areas header is a question, except a bullet
		// inside an areas list: that is an area, and the header after it
		// is reported as having no question.
		if p.nextIs(i, hdrAreas) && !(p.state == stAreas && l.bullet) {
			if p.state == stQuestion {
				if p.continues(cur, l, adjacent) {
					if err := p.extend(&p.qs[cur].Text, l.text, l.no, fmt.Sprintf("questions[%d].text", cur)); err != nil {
						return nil, nil, err
					}
					continue
				}
				return nil, nil, p.noAreas(p.lines[cur], p.qs[cur].Text, cur)
			}
			p.startQuestion(l)
			continue
		}

		switch p.state {
		case stNone:
			if p.nextIs(i, hdrFollowUps) || l.numbered || strings.HasSuffix(l.text, "?") || opener.MatchString(l.text) {
				// The start of a question that runs over several lines, or
				// one with no areas, reported when its end is found.
				p.startQuestion(l)
				continue
			}
			preamble = append(preamble, l)
		case stQuestion:
			if !p.continues(cur, l, adjacent) {
				return nil, nil, p.noAreas(p.lines[cur], p.qs[cur].Text, cur)
			}
			if err := p.extend(&p.qs[cur].Text, l.text, l.no, fmt.Sprintf("questions[%d].text", cur)); err != nil {
				return nil, nil, err
			}
		case stAreas, stFollowUps:
			list := p.list()
			switch {
			case l.bullet && (p.marked || len(*list) == 0):
				p.marked = true
				*list = append(*list, l.text)
			case !l.bullet && !p.marked && !p.ended:
				// Bullets are often lost in copy and paste: an unmarked list
				// runs to the next blank line or header.
				*list = append(*list, l.prose)
			case p.marked && adjacent && wraps(*list, l):
				field := fmt.Sprintf("questions[%d].areas[%d]", cur, len(*list)-1)
				if p.state == stFollowUps {
					field = fmt.Sprintf("questions[%d].follow_ups[%d]", cur, len(*list)-1)
				}
				if err := p.extend(&(*list)[len(*list)-1], l.prose, l.no, field); err != nil {
					return nil, nil, err
				}
			case p.nextIs(i, hdrFollowUps):
				return nil, nil, p.noAreas(l.no, l.text, len(p.qs))
			case i > lastAreas:
				// Nothing after this is a question: it is closing prose,
				// such as FAQ entries without their header.
				trailing = i
				break loop
			case l.heading && !l.numbered:
				// A section heading grouping the questions that follow.
				p.state = stNone
			default:
				p.startQuestion(l)
			}
		}
	}
	if p.state == stQuestion {
		cur := len(p.qs) - 1
		return nil, nil, p.noAreas(p.lines[cur], p.qs[cur].Text, cur)
	}

	g := &analyzer.Guide{Questions: p.qs}
	g.Title, g.Description = intro(p.ls[:introEnd], preamble)
	g.Notes = notes(p.ls[trailing:])
	g.DepthSignals = proposeDepth(g.Notes)
	return g, p.lines, nil
}

// maxText bounds a question or list item joined from several lines. Real
// ones are a few hundred characters; a longer one means a missing header,
// and the bound keeps joining lines linear in the input.
const maxText = 2000

// extend appends text from line no to *s, which started on an earlier line.
func (p *yparser) extend(s *string, text string, no int, field string) error {
	if len(*s)+1+len(text) > maxText {
		return p.fail(no, field, fmt.Sprintf(`longer than %d characters; is an "Areas to Cover" or "Follow-Up Questions" header missing?`, maxText))
	}
	*s += " " + text
	return nil
}

func (p *yparser) startQuestion(l tline) {
	p.qs = append(p.qs, analyzer.Question{Text: l.text})
	p.lines = append(p.lines, l.no)
	p.state = stQuestion
}

func (p *yparser) openList(s state) {
	p.state, p.marked, p.ended = s, false, false
}

func (p *yparser) list() *[]string {
	q := &p.qs[len(p.qs)-1]
	if p.state == stAreas {
		return &q.Areas
	}
	return &q.FollowUps
}

func (p *yparser) listLen() int { return len(*p.list()) }

// continues says whether l carries on question cur's text across a line
// break: a question that does not end in "?" followed directly by a line
// that does not start a numbered question.
func (p *yparser) continues(cur int, l tline, adjacent bool) bool {
	return adjacent && !l.numbered && !l.bullet && !strings.HasSuffix(p.qs[cur].Text, "?")
}

// wraps says whether an unmarked line continues the last bullet of a marked
// list, as a hard-wrapped item does: the item has no final punctuation and
// the line starts in lower case.
func wraps(list []string, l tline) bool {
	if len(list) == 0 {
		return false
	}
	last := list[len(list)-1]
	if last == "" || strings.ContainsAny(last[len(last)-1:], ".?!:") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(l.prose)
	return unicode.IsLower(r)
}

// intro reads the title and description from the lines before the
// questions. A short first line with no final punctuation, or a markdown
// heading, is the title; otherwise the title is the subject of the first
// sentence ("X refers to ..." gives "X").
func intro(ls []tline, preamble []tline) (title, desc string) {
	var body []tline
	for _, l := range ls {
		if l.hdr == hdrNone || l.blank {
			body = append(body, l)
		}
	}
	body = trimBlank(body)
	if len(body) > 0 {
		first := body[0]
		if first.heading || isTitleLine(first.prose) {
			title = first.prose
			body = trimBlank(body[1:])
		}
	}
	desc = paragraphs(body)
	if pre := paragraphs(preamble); pre != "" {
		if desc != "" {
			desc += "\n\n"
		}
		desc += pre
	}
	if title == "" {
		title = subject(desc)
	}
	if title == "" {
		title = "Interview guide"
	}
	return title, desc
}

func isTitleLine(s string) bool {
	if utf8.RuneCountInString(s) > 100 || len(strings.Fields(s)) > 12 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(".!?;,:", r)
}

// subject returns the subject of the first sentence of s when it is short
// enough to serve as a title.
func subject(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	if i := strings.Index(first, ". "); i >= 0 {
		first = first[:i]
	}
	loc := subjectEnd.FindStringIndex(first)
	if loc == nil {
		return ""
	}
	subj := strings.Trim(strings.TrimSpace(first[:loc[0]]), `"'“”`)
	if n := len(strings.Fields(subj)); n == 0 || n > 10 {
		return ""
	}
	return subj
}

func trimBlank(ls []tline) []tline {
	for len(ls) > 0 && ls[0].blank {
		ls = ls[1:]
	}
	for len(ls) > 0 && ls[len(ls)-1].blank {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// paragraphs joins prose lines. Text with blank lines is read as
// hard-wrapped paragraphs; text without any has one paragraph per line, as
// guides copied from a web page do.
func paragraphs(ls []tline) string {
	ls = trimBlank(ls)
	wrapped := false
	for _, l := range ls {
		if l.blank {
			wrapped = true
			break
		}
	}
	var b strings.Builder
	gap := false // a blank line since the last text
	for _, l := range ls {
		if l.blank {
			gap = true
			continue
		}
		if b.Len() > 0 {
			if gap || !wrapped {
				b.WriteString("\n\n")
			} else {
				b.WriteString(" ")
			}
		}
		gap = false
		b.WriteString(l.prose)
	}
	return b.String()
}

// notes reads the trailing section: each line ending in "?" (or a markdown
// heading) opens a note, and the lines after it are its text. Closing
// sign-up lines at the very end are dropped.
func notes(ls []tline) []analyzer.Note {
	ls = trimBlank(ls)
	for len(ls) > 0 && (ls[len(ls)-1].blank || closing.MatchString(ls[len(ls)-1].prose)) {
		ls = ls[:len(ls)-1]
	}
	var out []analyzer.Note
	var body []tline
	flush := func() {
		if len(out) > 0 {
			out[len(out)-1].Text = paragraphs(body)
		}
		body = nil
	}
	for _, l := range ls {
		if l.hdr != hdrNone {
			continue
		}
		if !l.blank && (l.heading || strings.HasSuffix(l.prose, "?") && utf8.RuneCountInString(l.prose) <= 300) {
			flush()
			out = append(out, analyzer.Note{Title: l.prose})
			continue
		}
		if len(out) == 0 && !l.blank {
			out = append(out, analyzer.Note{})
		}
		body = append(body, l)
	}
	flush()
	return out
}

// Depth signals from the FAQ. A Yardstick guide says how to tell a genuine
// answer from a rehearsed one in prose ("How can I tell real X from a
// scripted answer?" ... "Candidates who ... can name A, explain B, and
// describe C."). The importer proposes the things such a sentence says a
// candidate can do or will do as the guide's depth signals, for its author
// to review: the entry is the FAQ entry whose title sets the genuine
// against the rehearsed, the sentences are those with a subject followed
// by can, will, should, usually, often or tend to (not "you", "we" or "I":
// advice to the reader), and the list after that verb gives one signal per
// comma-separated item. A guide whose FAQ has no such entry gets none:
// nothing is guessed.

var (
	faqGenuine   = regexp.MustCompile(`(?i)\b(genuine|real|authentic|lived|true|actual)`)
	faqRehearsed = regexp.MustCompile(`(?i)\b(rehears|script|coached|canned|memori[sz]|prepared|textbook|generic)`)
	faqDoes      = regexp.MustCompile(`(?i)^(?:(.*?)\s)?(?:can|will|should|usually|often|tend to)\s+(?:also\s+)?(.+)$`)
	faqReader    = regexp.MustCompile(`(?i)\b(?:you|we|i)$`)
	faqListSep   = regexp.MustCompile(`,\s*(?:and\s+|or\s+)?`)
)

// maxDepthSignals bounds the proposals: a rubric is a handful of signs.
const maxDepthSignals = 8

func proposeDepth(notes []analyzer.Note) []analyzer.DepthSignal {
	var out []analyzer.DepthSignal
	for _, n := range notes {
		if !faqGenuine.MatchString(n.Title) || !faqRehearsed.MatchString(n.Title) {
			continue
		}
		for _, s := range sentences(n.Text) {
			m := faqDoes.FindStringSubmatch(strings.TrimRight(s, ".!"))
			if m == nil || m[1] == "" || faqReader.MatchString(m[1]) {
				continue // no subject, or the reader's ("you can ask ...")
			}
			for _, item := range faqListSep.Split(m[2], -1) {
				item = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(item), "and "))
				if len(strings.Fields(item)) < 3 || len(out) >= maxDepthSignals {
					continue
				}
				r, size := utf8.DecodeRuneInString(item)
				out = append(out, analyzer.DepthSignal{Text: string(unicode.ToUpper(r)) + item[size:]})
			}
		}
	}
	return out
}

// sentences splits prose at a full stop, question or exclamation mark
// followed by a space and a capital.
func sentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(text); i++ {
		if (text[i] == '.' || text[i] == '?' || text[i] == '!') && text[i+1] == ' ' && unicode.IsUpper(rune(text[i+2])) {
			out = append(out, strings.TrimSpace(text[start:i+1]))
			start = i + 2
		}
	}
	if rest := strings.TrimSpace(text[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}
