package analyzer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reading the interview itself, beside what an engine says of one answer:
// when the interviewer already asked a probe inside the answer ("Can you
// give me a specific example?") and the reply did not give it, the report
// says so (probe_unanswered, quoting both), and the suggested follow-ups do
// not ask the same thing again: a second "can you give an example?" after a
// dodge teaches the interviewer nothing, a different angle might.

// probeKind is what a probe asks for.
type probeKind int

const (
	probeNone    probeKind = iota
	probeExample           // a particular, real example
	probeResult            // how it ended, the outcome
	probeMeasure           // numbers, a measure of the result
	probeOwnPart           // what the candidate did, not the team
)

var probeCues = []struct {
	kind probeKind
	cues []string
}{
	{probeExample, []string{"specific example", "concrete example", "an example", "a specific time", "a particular time",
		"specific instance", "particular instance", "a specific situation", "a particular situation", "be more specific",
		"more specific", "specifically", "a real example", "one example", "a time when", "walk me through one"}},
	{probeMeasure, []string{"how did you measure", "how do you measure", "what numbers", "any numbers", "metrics", "quantify",
		"how much did", "by how much", "what did the data"}},
	{probeResult, []string{"what was the result", "what was the outcome", "how did it end", "how did that end", "how did it turn out",
		"how did that turn out", "what happened in the end", "what happened after", "what came of", "the end result",
		"did it work", "what was the impact"}},
	{probeOwnPart, []string{"what did you do", "what did you personally", "you personally", "your role", "your part",
		"what was your", "what exactly did you"}},
}

// kindOf reads what a question asks for; probeNone for anything else.
func kindOf(text string) probeKind {
	l := strings.ToLower(text)
	for _, pc := range probeCues {
		for _, c := range pc.cues {
			if strings.Contains(l, c) {
				return pc.kind
			}
		}
	}
	return probeNone
}

// What a reply that gives each kind contains.
var (
	episodeCues = []string{"last year", "last month", "last week", "last quarter", "yesterday", "once", "one time", "one day",
		"that day", "that week", "at the time", " ago", "in january", "in february", "in march", "in april", "in may", "in june",
		"in july", "in august", "in september", "in october", "in november", "in december", "in 20", "when i was", "there was a",
		"there was this", "i remember", "we had a", "i had a", "a customer", "a client", "a guest", "a colleague"}
	habitCues = []string{"i always", "i usually", "i would", "i'd ", "i tend to", "typically", "generally", "in general",
		"every time", "normally", "i try to", "you have to", "you need to", "you should", "it depends", "i believe", "i think it's important"}
	resultCues = []string{"in the end", "ended", "resolved", "result", "outcome", "finally", "afterwards", "after that", "turned out",
		"improved", "increased", "decreased", "dropped", "went up", "went down", "renewed", "stayed", "came back", "thanked",
		"fixed", "solved", "worked", "it helped", "by the end", "since then"}
	measureCues = []string{"%", "percent", "per cent", "score", "nps", "csat", "rating", "hours", "days", "weeks", "minutes",
		"dollars", "euros", "times", "half", "double"}
	ownCues = []string{"i called", "i asked", "i told", "i went", "i made", "i decided", "i wrote", "i sat", "i took", "i set",
		"i offered", "i gave", "i spoke", "i talked", "i sent", "i checked", "i found", "i built", "i started", "i stopped",
		"i moved", "i changed", "i listened", "i apologized", "i apologised", "i explained", "i escalated", "i followed",
		"my part", "i personally", "i was the one"}
)

// gives reports whether reply gives what a probe of kind asks for.
func gives(kind probeKind, reply string) bool {
	l := " " + strings.ToLower(reply) + " "
	has := func(cues []string) int {
		n := 0
		for _, c := range cues {
			if strings.Contains(l, c) {
				n++
			}
		}
		return n
	}
	words := len(strings.Fields(reply))
	switch kind {
	case probeExample:
		// A particular episode: anchored in time or people, told in the
		// past, more than it is told as a habit.
		ep := has(episodeCues) + pastVerbs(l) + digits(l)
		return words >= 12 && ep >= 2 && ep > has(habitCues)
	case probeResult:
		return has(resultCues)+digits(l) >= 1 && words >= 5
	case probeMeasure:
		return digits(l) > 0 || has(measureCues) >= 1
	case probeOwnPart:
		return has(ownCues) >= 1 || pastVerbs(l) >= 2 && strings.Contains(l, " i ")
	}
	return true
}

// pastVerbs counts first-person past narration ("I called", "we moved").
func pastVerbs(l string) int {
	n := 0
	fields := strings.Fields(l)
	for i := 0; i+1 < len(fields); i++ {
		if fields[i] != "i" && fields[i] != "we" && fields[i] != "she" && fields[i] != "he" && fields[i] != "they" {
			continue
		}
		v := strings.TrimFunc(fields[i+1], func(r rune) bool { return !unicode.IsLetter(r) })
		if strings.HasSuffix(v, "ed") || irregularPast[v] {
			n++
		}
	}
	return n
}

var irregularPast = map[string]bool{"was": true, "were": true, "had": true, "did": true, "went": true, "made": true, "took": true,
	"told": true, "gave": true, "got": true, "said": true, "sat": true, "saw": true, "found": true, "felt": true, "knew": true,
	"thought": true, "spoke": true, "wrote": true, "sent": true, "came": true, "left": true, "brought": true, "kept": true, "met": true}

func digits(l string) int {
	n := 0
	for _, r := range l {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// checkProbes adds a probe_unanswered warning for each probe of a known
// kind whose reply does not give what it asked, and keeps the suggested
// follow-ups from asking for it again.
func checkProbes(a *AnswerAnalysis, q Question) {
	if len(a.Probes) == 0 {
		return
	}
	textLen := utf8.RuneCountInString(a.Text)
	dodged := map[probeKind]string{}
	for i, p := range a.Probes {
		kind := kindOf(p.Text)
		if kind == probeNone || p.Offset < 0 || p.Offset > textLen {
			continue
		}
		end := textLen
		if i+1 < len(a.Probes) && a.Probes[i+1].Offset >= p.Offset && a.Probes[i+1].Offset <= textLen {
			end = a.Probes[i+1].Offset
		}
		reply := substr(a.Text, p.Offset, end)
		trimmed := strings.TrimSpace(reply)
		if gives(kind, trimmed) {
			continue
		}
		dodged[kind] = p.Text
		w := Warning{Code: WarnProbeUnanswered, QuestionID: a.QuestionID}
		if trimmed == "" {
			w.Message = fmt.Sprintf("The interviewer asked %q and got no reply to it.", clipWords(p.Text, 30))
		} else {
			// Point at the reply, trimmed, with exact offsets.
			lead := utf8.RuneCountInString(reply) - utf8.RuneCountInString(strings.TrimLeft(reply, " \t\n"))
			start := p.Offset + lead
			stop := start + utf8.RuneCountInString(trimmed)
			w.Message = fmt.Sprintf("The interviewer asked %q; the reply (%q) does not give %s. Note it rather than ask again.",
				clipWords(p.Text, 30), clipWords(trimmed, 30), kindWords[kind])
			w.Span = &Span{Quote: trimmed, Start: start, End: stop}
		}
		a.Warnings = append(a.Warnings, w)
	}
	if len(dodged) == 0 {
		return
	}
	// A suggestion that asks again for what was dodged gives its place to
	// one of the guide's own follow-ups from another angle (or goes).
	var alts []string
	for _, f := range q.FollowUps {
		if !repeats(f, dodged) && !contains(a.FollowUps, f) && !askedAlready(f, a.Probes) {
			alts = append(alts, f)
		}
	}
	kept := make([]string, 0, len(a.FollowUps))
	for _, f := range a.FollowUps {
		switch {
		case !repeats(f, dodged):
			kept = append(kept, f)
		case len(alts) > 0:
			kept = append(kept, alts[0])
			alts = alts[1:]
		}
	}
	a.FollowUps = kept
}

var kindWords = map[probeKind]string{
	probeExample: "a particular example (it stays general)",
	probeResult:  "how it ended",
	probeMeasure: "a number or measure",
	probeOwnPart: "what the candidate did themselves",
}

// repeats reports a suggestion that asks for what a dodged probe asked:
// the same kind, or mostly the same words.
func repeats(suggestion string, dodged map[probeKind]string) bool {
	if _, ok := dodged[kindOf(suggestion)]; ok && kindOf(suggestion) != probeNone {
		return true
	}
	for _, probe := range dodged {
		if overlap(suggestion, probe) >= 0.6 {
			return true
		}
	}
	return false
}

func askedAlready(f string, probes []Probe) bool {
	for _, p := range probes {
		if overlap(f, p.Text) >= 0.6 {
			return true
		}
	}
	return false
}

// overlap is the share of a's content words that b also has.
func overlap(a, b string) float64 {
	wa, wb := contentWords(a), contentWords(b)
	if len(wa) == 0 {
		return 0
	}
	n := 0
	for w := range wa {
		if wb[w] {
			n++
		}
	}
	return float64(n) / float64(len(wa))
}

var stopWords = map[string]bool{"the": true, "a": true, "an": true, "and": true, "or": true, "you": true, "your": true, "me": true,
	"can": true, "could": true, "would": true, "did": true, "do": true, "what": true, "how": true, "that": true, "this": true,
	"to": true, "of": true, "in": true, "it": true, "was": true, "is": true, "give": true, "tell": true, "about": true, "for": true, "with": true}

func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		if len(w) > 2 && !stopWords[w] {
			out[w] = true
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// substr returns the code points [start, end) of s.
func substr(s string, start, end int) string {
	r := []rune(s)
	start, end = max(0, min(start, len(r))), max(0, min(end, len(r)))
	if end <= start {
		return ""
	}
	return string(r[start:end])
}

// clipWords shortens s to n words.
func clipWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + " …"
}
