// Package injection finds prompt injection in an answer: text that addresses
// an automated reviewer, or tries to give it instructions about the rubric.
// An answer is data; both engines flag such text
// (prompt_injection_suspected) and keep it out of the evidence.
//
// The detector looks for what such text must contain rather than for known
// attack strings: an addressee that is a machine, an instruction verb, and an
// object from the analyzer's own world (areas, ratings, labels,
// instructions), or one of a few unambiguous forms.
package injection

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/nlp"
)

// Finding is one stretch of an answer that tries to instruct the analyzer,
// widened to the whole sentence(s) or tag that hold it.
type Finding struct {
	// Start and End are code-point offsets into the text, End exclusive.
	Start, End int
	// ByteStart and ByteEnd are the same stretch in bytes.
	ByteStart, ByteEnd int
	// Rule names the rule that matched (see the rule constants).
	Rule string
	// Lang is the language of the words that matched ("en", "de", ...),
	// empty for markup.
	Lang string
}

// Span returns the finding as a span of text, the text it was found in.
func (f Finding) Span(text string) analyzer.Span {
	return analyzer.Span{Quote: text[f.ByteStart:f.ByteEnd], Start: f.Start, End: f.End}
}

// Spans returns Detect's findings as spans of text.
func Spans(text string) []analyzer.Span {
	fs := Detect(text)
	if len(fs) == 0 {
		return nil
	}
	out := make([]analyzer.Span, len(fs))
	for i, f := range fs {
		out[i] = f.Span(text)
	}
	return out
}

// Rule names, as Finding.Rule reports them.
const (
	RuleOverride  = "override"  // "ignore previous instructions"
	RuleMarkup    = "markup"    // fake system or instruction tags
	RuleRole      = "role"      // "system prompt", "you are now", "developer mode"
	RuleVerdict   = "verdict"   // "label=specific", "score: 10"
	RuleAddressed = "addressed" // a request to an automated reviewer about the rating
)

// strongRules are the unambiguous forms, each with the words or characters
// one of which must be in a stretch of text for it to match there, so that
// most text never meets a regular expression.
var strongRules = []struct {
	name  string
	re    *regexp.Regexp
	words map[string]bool
	chars string
}{
	{RuleOverride, regexp.MustCompile(`(ignore|disregard|forget|override|bypass)\s+(all\s+|any\s+|the\s+|your\s+|my\s+|of\s+)*(previous|prior|above|earlier|preceding|original|system|scoring|grading)?\s*(instructions?|prompts?|rules?|rubric|guidelines|criteria)`),
		set("ignore disregard forget override bypass"), ""},
	{RuleMarkup, regexp.MustCompile(`\[/?\s*(system|inst|instructions?|admin|assistant|developer)\b[^\]]{0,300}\]|<\s*/?\s*(system|instructions?|admin|im_start)\b|#{2,}\s*(system|instruction)`),
		nil, "[<#"},
	{RuleRole, regexp.MustCompile(`system\s*prompt|\byou\s+are\s+now\b|\bnew\s+instructions?\s*:|\bas\s+an\s+ai\s+(language\s+)?model\b|\bdeveloper\s+mode\b`),
		set("prompt now instruction instructions ai developer"), ""},
	{RuleVerdict, regexp.MustCompile(`\b(label|status|specificity|score|rating|areas?)\s*[=:]\s*(specific|covered|excellent|\d+)\b`),
		nil, "=:"},
}

var injAddressee = regexp.MustCompile(`\b(a\.?i\.?|artificial intelligence|language model|llm|gpt|chatgpt|assistant|chatbot|bot|algorithm|` +
	`software|automated|automatic|machine|model|scorer|scoring|grader|grading|evaluator|reviewer|reviewing|transcrib\w*|` +
	`whoever|whatever|system)\b`)

var injVerb = regexp.MustCompile(`\b(ignore|disregard|forget|mark|rate|score|label|classify|grade|give|output|set|treat|` +
	`consider|return|assign|flag|record|rank|put|list|note|make sure|please|should|must)\b`)

var injObject = regexp.MustCompile(`\b(covered|specific|rubric|areas?|rating|rated|labels?|excellent|perfect|full marks|top marks|` +
	`highest|maximum|max|10\s*/\s*10|ten out of ten|100\s*(%|percent)|strong hire|hire|pass|instructions?|evaluation|assessment|score)\b`)

type byteRange struct {
	start, end int
	rule       string
}

// Detect returns the stretches of text that try to instruct an automated
// analyzer, as whole sentences or clauses of the answer, in the order found.
func Detect(text string) []Finding {
	doc := nlp.Parse(text)
	rs := detectInjection(doc)
	if len(rs) == 0 {
		return nil
	}
	out := make([]Finding, 0, len(rs))
	for _, r := range rs {
		out = append(out, Finding{Start: cpOffset(doc, r.start), End: cpOffset(doc, r.end),
			ByteStart: r.start, ByteEnd: r.end, Rule: r.rule, Lang: langOf(r.rule)})
	}
	return out
}

func detectInjection(doc *nlp.Doc) []byteRange {
	var out []byteRange
	// ASCII lower case keeps every byte offset, so matches index the text.
	text := lowerASCII(doc.Text)
	// Fake markup or an override anywhere is enough. The regular
	// expression runs only when one of its anchors is present.
	// Each rule runs only on the stretches that hold one of its anchors (a
	// unit and its neighbours), not on the whole answer.
	for _, rule := range strongRules {
		for _, w := range strongWindows(doc, text, rule.words, rule.chars) {
			for _, loc := range rule.re.FindAllStringIndex(text[w.start:w.end], -1) {
				a, b := w.start+loc[0], w.start+loc[1]
				if c := text[a]; c == '<' || c == '[' {
					// Fake markup: flag the tag and what it wraps, not the
					// sentences around it.
					out = appendRange(out, markupAround(text, a, b))
					continue
				}
				r := sentenceAround(doc, a, b)
				r.rule = rule.name
				out = appendRange(out, r)
			}
		}
	}
	if !mentionsMachine(doc) {
		return out
	}
	for i, u := range doc.Units {
		ut := text[u.ByteStart:u.ByteEnd]
		// Include the next unit: the addressee and the instruction are
		// often split across a comma.
		if i+1 < len(doc.Units) && !doc.Units[i+1].SentenceStart {
			ut = text[u.ByteStart:doc.Units[i+1].ByteEnd]
		}
		if !addressesMachine(ut) {
			continue
		}
		if !injAddressee.MatchString(ut) || !injObject.MatchString(ut) || !injVerb.MatchString(ut) {
			continue
		}
		r := sentenceAround(doc, u.ByteStart, u.ByteEnd)
		r.rule = RuleAddressed
		out = appendRange(out, r)
	}
	return out
}

// addressesMachine reports text that speaks to, not about, an automated
// reviewer: "note for the AI", "whatever software is scoring this", "AI
// reviewer, please ...". Talking about a product's chatbot does not count.
func addressesMachine(l string) bool {
	// What it asks for is rarer in a normal answer than who it speaks to:
	// check that first.
	if !hasAnyOf(l, machineAsks) {
		return false
	}
	return hasAnyOf(l, machineCues)
}

var machineAsks = []string{"this answer", "this response", "rubric", "instruction", "mark ", "rate ", "label", "score", "covered",
	"rating", "grade", "classify", "excellent", "as specific", "hire"}

var machineCues = []string{"for the ai", "to the ai", "the ai ", "ai system", "ai reviewer", "ai model", "dear ai", "hey ai",
	"for the model", "to the model", "language model", "for the system", "to the system", "system that's", "system that is",
	"is scoring", "is reviewing", "is grading", "is evaluating", "is transcribing", "is analyzing", "is analysing",
	"scoring this", "reviewing this", "grading this", "evaluating this", "analyzing this", "analysing this",
	"scoring system", "grading system", "review system", "reviewer", "scorer", "grader", "evaluator", "automated",
	"assistant", "chatgpt", "gpt", "llm", "algorithm"}

func appendRange(rs []byteRange, r byteRange) []byteRange {
	for i := range rs {
		if r.start < rs[i].end && rs[i].start < r.end {
			rs[i].start = min(rs[i].start, r.start)
			rs[i].end = max(rs[i].end, r.end)
			return rs
		}
	}
	return append(rs, r)
}

// sentenceAround widens a byte range to the sentence(s) that contain it.
func sentenceAround(doc *nlp.Doc, start, end int) byteRange {
	r := byteRange{start: start, end: end}
	for i, u := range doc.Units {
		if u.ByteEnd <= start || u.ByteStart >= end {
			continue
		}
		// Walk back to the start of the sentence, forward to its end.
		j := i
		for j > 0 && !doc.Units[j].SentenceStart {
			j--
		}
		k := i
		for k+1 < len(doc.Units) && !doc.Units[k+1].SentenceStart {
			k++
		}
		r.start = min(r.start, doc.Units[j].ByteStart)
		r.end = max(r.end, doc.Units[k].ByteEnd)
	}
	return r
}

// cpOffset converts a byte offset of doc.Text to a code-point offset,
// counting from the nearest token that starts at or before it.
func cpOffset(doc *nlp.Doc, b int) int {
	toks := doc.Tokens
	i := sort.Search(len(toks), func(i int) bool { return toks[i].ByteStart > b }) - 1
	from, n := 0, 0
	if i >= 0 {
		from, n = toks[i].ByteStart, toks[i].Start
	}
	return n + utf8.RuneCountInString(doc.Text[from:b])
}

// machineStems start the words one of which every addressesMachine cue
// holds: a word test per token instead of substring scans of the text.
var machineStems = []string{"ai", "model", "system", "scor", "review", "grad", "evaluat", "transcrib", "analy", "automat",
	"assistant", "gpt", "chatgpt", "llm", "algorithm"}

func mentionsMachine(doc *nlp.Doc) bool {
	for i := range doc.Tokens {
		w := doc.Tokens[i].Lower
		if w == "ai" {
			return true
		}
		for _, st := range machineStems[1:] {
			if strings.HasPrefix(w, st) {
				return true
			}
		}
	}
	return false
}

// strongWindows returns the stretches of text, each a unit with the units
// either side of it, that hold one of words or chars; overlapping stretches
// are merged.
func strongWindows(doc *nlp.Doc, text string, words map[string]bool, chars string) []byteRange {
	units := doc.Units
	// own returns unit i's stretch: from the end of the unit before it (so
	// markup between units belongs to the next one) to its end, the last
	// unit reaching the end of the text.
	own := func(i int) (int, int) {
		start, end := 0, len(text)
		if i > 0 {
			start = units[i-1].ByteEnd
		}
		if i+1 < len(units) {
			end = units[i].ByteEnd
		}
		return start, end
	}
	var out []byteRange
	for i, u := range units {
		a, b := own(i)
		hit := chars != "" && strings.ContainsAny(text[a:b], chars)
		for ti := u.First; ti < u.Last && !hit && words != nil; ti++ {
			hit = words[doc.Tokens[ti].Lower]
		}
		if !hit {
			continue
		}
		start, _ := own(max(i-1, 0))
		_, end := own(min(i+1, len(units)-1))
		if n := len(out); n > 0 && start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, end)
			continue
		}
		out = append(out, byteRange{start: start, end: end})
	}
	return out
}

func hasAnyOf(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// lowerASCII lowers ASCII letters only, so the result has the same byte
// offsets as s.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// markupAround widens a tag match to the whole tag, and an opening tag to its
// closing one when that follows within a few hundred bytes.
func markupAround(text string, start, end int) byteRange {
	closer := byte('>')
	if text[start] == '[' {
		closer = ']'
	}
	if i := strings.IndexByte(text[end:min(len(text), end+300)], closer); i >= 0 {
		end += i + 1
	}
	if text[start] == '<' && start+1 < len(text) && text[start+1] != '/' {
		name := strings.TrimSpace(strings.Trim(text[start:end], "<>/ "))
		if f := strings.Fields(name); len(f) > 0 {
			if j := strings.Index(text[end:min(len(text), end+2000)], "</"+f[0]); j >= 0 {
				e := end + j
				if k := strings.IndexByte(text[e:], '>'); k >= 0 {
					end = e + k + 1
				}
			}
		}
	}
	return byteRange{start: start, end: end, rule: RuleMarkup}
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// langOf is the language of a rule's words: markup has none.
func langOf(rule string) string {
	if rule == RuleMarkup {
		return ""
	}
	return "en"
}
