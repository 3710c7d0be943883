package guide

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// maxProblems bounds how many validation problems one error reports: enough
// to fix a guide in one pass, not a wall of text for a guide that is not one.
const maxProblems = 20

// Validate checks a guide: an id, at least one question, and for every
// question a unique non-empty id, text and at least one area, with no empty
// area, follow-up or note. The error wraps analyzer.ErrInvalidGuide and one
// *analyzer.InputError per problem (errors.Join), each naming the field:
// "questions[3].areas: empty", `questions[5].id: duplicate "q2"`.
// Validate does not trim: call Normalize first for input from people.
func Validate(g *analyzer.Guide) error {
	if probs := validate(g); len(probs) > 0 {
		return probs.err("", nil)
	}
	return nil
}

// problem is one validation failure; q is the index of the question it
// concerns (-1 for the guide itself), so Parse can add the source line.
type problem struct {
	q   int
	err *analyzer.InputError
}

type problems []problem

func (ps *problems) add(q int, field, reason string) {
	*ps = append(*ps, problem{q: q, err: &analyzer.InputError{Field: field, Reason: reason}})
}

// err builds the error for ps, naming file and, where qlines has the
// question's line, the line.
func (ps problems) err(file string, qlines []int) error {
	errs := make([]error, 0, len(ps))
	for i, p := range ps {
		if i == maxProblems {
			errs = append(errs, fmt.Errorf("... and %d more problems", len(ps)-maxProblems))
			break
		}
		p.err.File = file
		if p.q >= 0 && p.q < len(qlines) {
			p.err.Line = qlines[p.q]
		}
		errs = append(errs, p.err)
	}
	return fmt.Errorf("%w: %w", analyzer.ErrInvalidGuide, errors.Join(errs...))
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// Limits on a guide. A real guide is far inside them (the longest seen has
// 15 questions of 8 areas and 3 follow-ups, texts under 300 characters);
// key-point matching sets written as guides (one question per argument, as
// ../shared/eval/external/argkp.py writes them) reach 168 questions, so the
// question limit leaves room for those: the work budget of a request, not
// this count, bounds what an analysis costs.
// they bound what one analysis can cost, since every answer is read against
// every area of its question and every interviewer turn against every
// question and follow-up. Every way a guide arrives (API upload, a guide
// inline in a request, a CLI file, a Yardstick import) ends in Validate.
const (
	MaxQuestions    = 1000  // questions per guide
	MaxAreas        = 30    // areas to cover per question
	MaxFollowUps    = 20    // follow-up questions per question
	MaxDepthSignals = 30    // depth signals per guide
	MaxNotes        = 100   // notes (FAQ entries) per guide
	MaxTextChars    = 1000  // characters in a title, question, area, follow-up, depth signal or note title
	MaxLongChars    = 10000 // characters in the description or a note's text
	MaxGuideIDLen   = 128   // guide ids: 1..128 of A-Z a-z 0-9 . _ -
	MaxQuestionID   = 64    // question and depth-signal ids: 1..64 of the same
)

// plainID reports an id of 1..n characters of A-Z a-z 0-9 . _ -: safe in a
// URL path, a file name, a CSV cell or a Markdown heading as it is.
func plainID(s string, n int) bool {
	if s == "" || len(s) > n {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.') {
			return false
		}
	}
	return true
}

// ValidID reports whether id is a valid guide id.
func ValidID(id string) bool { return plainID(id, MaxGuideIDLen) }

// tooLong returns the problem with text s over max characters, or "".
func tooLong(s string, max int) string {
	if len(s) <= max { // bytes bound characters from above
		return ""
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("%d characters, more than the limit of %d", n, max)
	}
	return ""
}

// over returns the problem with n items over max, or "".
func over(n, max int, what string) string {
	if n <= max {
		return ""
	}
	return fmt.Sprintf("%d %s, more than the limit of %d", n, what, max)
}

func validate(g *analyzer.Guide) problems {
	var ps problems
	if g == nil {
		ps.add(-1, "guide", "missing")
		return ps
	}
	if blank(g.ID) {
		ps.add(-1, "id", "empty")
	} else if !ValidID(g.ID) {
		ps.add(-1, "id", fmt.Sprintf("%q: a guide id is 1..%d characters of A-Z a-z 0-9 . _ -", clipID(g.ID), MaxGuideIDLen))
	}
	if len(g.Questions) == 0 {
		ps.add(-1, "questions", "empty")
	}
	// Counts first: a guide far over a limit gets one problem, not one per
	// item.
	if p := over(len(g.Questions), MaxQuestions, "questions"); p != "" {
		ps.add(-1, "questions", p)
		return ps
	}
	for i, q := range g.Questions {
		at := fmt.Sprintf("questions[%d]", i)
		if p := over(len(q.Areas), MaxAreas, "areas"); p != "" {
			ps.add(i, at+".areas", p)
		}
		if p := over(len(q.FollowUps), MaxFollowUps, "follow-ups"); p != "" {
			ps.add(i, at+".follow_ups", p)
		}
	}
	if p := over(len(g.DepthSignals), MaxDepthSignals, "depth signals"); p != "" {
		ps.add(-1, "depth_signals", p)
	}
	if p := over(len(g.Notes), MaxNotes, "notes"); p != "" {
		ps.add(-1, "notes", p)
	}
	if len(ps) > 0 {
		return ps
	}
	long := func(q int, field, s string, max int) {
		if p := tooLong(s, max); p != "" {
			ps.add(q, field, p)
		}
	}
	long(-1, "title", g.Title, MaxTextChars)
	long(-1, "description", g.Description, MaxLongChars)
	seen := make(map[string]int, len(g.Questions))
	for i, q := range g.Questions {
		at := fmt.Sprintf("questions[%d]", i)
		switch {
		case blank(q.ID):
			ps.add(i, at+".id", "empty")
		case !plainID(q.ID, MaxQuestionID):
			ps.add(i, at+".id", fmt.Sprintf("%q: a question id is 1..%d characters of A-Z a-z 0-9 . _ -", clipID(q.ID), MaxQuestionID))
		default:
			if _, dup := seen[q.ID]; dup {
				ps.add(i, at+".id", fmt.Sprintf("duplicate %q", q.ID))
			} else {
				seen[q.ID] = i
			}
		}
		if blank(q.Text) {
			ps.add(i, at+".text", "empty")
		}
		long(i, at+".text", q.Text, MaxTextChars)
		if len(q.Areas) == 0 {
			ps.add(i, at+".areas", "empty")
		}
		for j, a := range q.Areas {
			if blank(a) {
				ps.add(i, fmt.Sprintf("%s.areas[%d]", at, j), "empty")
			}
			long(i, fmt.Sprintf("%s.areas[%d]", at, j), a, MaxTextChars)
		}
		if len(q.AreaKinds) > 0 && len(q.AreaKinds) != len(q.Areas) {
			ps.add(i, at+".area_kinds", fmt.Sprintf("%d kinds for %d areas: state one per area (\"\" for none)", len(q.AreaKinds), len(q.Areas)))
		}
		for j, k := range q.AreaKinds {
			if k != "" && !slices.Contains(analyzer.AreaKindNames, k) {
				ps.add(i, fmt.Sprintf("%s.area_kinds[%d]", at, j), fmt.Sprintf("%q is no kind of content; one of %s", clipID(k), strings.Join(analyzer.AreaKindNames, ", ")))
			}
		}
		for j, f := range q.FollowUps {
			if blank(f) {
				ps.add(i, fmt.Sprintf("%s.follow_ups[%d]", at, j), "empty")
			}
			long(i, fmt.Sprintf("%s.follow_ups[%d]", at, j), f, MaxTextChars)
		}
	}
	depthIDs := map[string]bool{}
	for i, d := range g.DepthSignals {
		at := fmt.Sprintf("depth_signals[%d]", i)
		if blank(d.Text) {
			ps.add(-1, at+".text", "empty")
		}
		long(-1, at+".text", d.Text, MaxTextChars)
		if d.ID != "" && !plainID(d.ID, MaxQuestionID) {
			ps.add(-1, at+".id", fmt.Sprintf("%q: a depth signal id is 1..%d characters of A-Z a-z 0-9 . _ -", clipID(d.ID), MaxQuestionID))
		}
		if depthIDs[d.ID] {
			ps.add(-1, at+".id", fmt.Sprintf("duplicate %q", d.ID))
		}
		depthIDs[d.ID] = true
	}
	for i, n := range g.Notes {
		if blank(n.Title) && blank(n.Text) {
			ps.add(-1, fmt.Sprintf("notes[%d]", i), "empty")
		}
		long(-1, fmt.Sprintf("notes[%d].title", i), n.Title, MaxTextChars)
		long(-1, fmt.Sprintf("notes[%d].text", i), n.Text, MaxLongChars)
	}
	return ps
}

// Normalize trims every string, gives questions without an id the id
// "q<position>" (or the next free "qN" when that is taken), derives ID from
// the title when empty, and sets Version to a content hash of the title,
// question ids and texts, areas and follow-ups (12 hex digits), so that a
// report can say exactly which wording of a guide it was made with.
// Empty areas and follow-ups are kept so that Validate can report them
// with their index; empty lists become nil.
func Normalize(g *analyzer.Guide) {
	if g == nil {
		return
	}
	g.ID = strings.TrimSpace(g.ID)
	g.Title = strings.TrimSpace(g.Title)
	g.Description = strings.TrimSpace(g.Description)
	used := make(map[string]bool, len(g.Questions))
	for i := range g.Questions {
		q := &g.Questions[i]
		q.ID = strings.TrimSpace(q.ID)
		q.Text = strings.TrimSpace(q.Text)
		q.Areas = trimAll(q.Areas)
		q.FollowUps = trimAll(q.FollowUps)
		q.AreaKinds = trimAll(q.AreaKinds)
		if q.ID != "" {
			used[q.ID] = true
		}
	}
	next := 1
	for i := range g.Questions {
		q := &g.Questions[i]
		if q.ID != "" {
			continue
		}
		id := "q" + strconv.Itoa(i+1)
		for used[id] {
			id = "q" + strconv.Itoa(next)
			next++
		}
		q.ID = id
		used[id] = true
	}
	if len(g.DepthSignals) == 0 {
		g.DepthSignals = nil
	}
	for i := range g.DepthSignals {
		d := &g.DepthSignals[i]
		d.ID = strings.TrimSpace(d.ID)
		d.Text = strings.TrimSpace(d.Text)
		if d.ID == "" {
			d.ID = "d" + strconv.Itoa(i+1)
		}
	}
	for i := range g.Questions {
		g.Questions[i].Depth = g.DepthSignals
	}
	if len(g.Notes) == 0 {
		g.Notes = nil
	}
	for i := range g.Notes {
		g.Notes[i].Title = strings.TrimSpace(g.Notes[i].Title)
		g.Notes[i].Text = strings.TrimSpace(g.Notes[i].Text)
	}
	g.Version = version(g)
	if g.ID == "" {
		g.ID = slug(g.Title)
	}
	if g.ID == "" {
		// A title with no ASCII letters or digits still needs a stable id.
		g.ID = "guide-" + g.Version
	}
}

// trimAll trims ss in place; an empty list becomes nil, so that a guide
// read from "follow_ups": [] equals one with none.
func trimAll(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	for i, s := range ss {
		ss[i] = strings.TrimSpace(s)
	}
	return ss
}

// version hashes the parts of a guide that change an analysis. Every string
// is length-prefixed so that moving text between fields changes the hash.
func version(g *analyzer.Guide) string {
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put(g.Title)
	for _, q := range g.Questions {
		put("\x00q")
		put(q.ID)
		put(q.Text)
		put("\x00a")
		for _, a := range q.Areas {
			put(a)
		}
		put("\x00f")
		for _, f := range q.FollowUps {
			put(f)
		}
		// Stated area kinds change coverage; a question without them
		// hashes as before.
		if len(q.AreaKinds) > 0 {
			put("\x00k")
			for _, k := range q.AreaKinds {
				put(k)
			}
		}
	}
	// Depth signals change the delivery verdict; a guide without them
	// hashes as before.
	for _, d := range g.DepthSignals {
		put("\x00d")
		put(d.ID)
		put(d.Text)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// maxSlug keeps derived ids short enough for URLs and file names.
const maxSlug = 64

// slug turns a title into a lower-case ASCII id: letters and digits kept,
// everything else folded into single dashes.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			if b.Len() >= maxSlug {
				break
			}
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return strings.TrimRight(b.String(), "-")
}

// clipID shortens an id quoted in an error: it may be anything.
func clipID(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
