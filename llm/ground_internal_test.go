package llm

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

func TestView(t *testing.T) {
	tests := []struct {
		name, text string
		redact     bool
		names      []string
		want       string
	}{
		{"nothing to do", "plain text", true, nil, "plain text"},
		{"email url phone", "Write a.b@x.co, see www.x.org/a. Call 020 7946 0958!", true, nil,
			"Write [EMAIL_1], see [URL_1]. Call [PHONE_1]!"},
		{"years and money are not phones", "From 2019-2020 we saved $1,200,000 in 12 months.", true, nil,
			"From 2019-2020 we saved $1,200,000 in 12 months."},
		{"same value, same placeholder", "ann@x.io then ANN@x.io", true, nil, "[EMAIL_1] then [EMAIL_1]"},
		{"names whole words, any case", "Zoë met zoë and Zoëy", false, []string{"Zoë"}, "[NAME_1] met [NAME_1] and Zoëy"},
		{"redaction off", "a@b.co", false, nil, "a@b.co"},
		{"delimiters escaped", "x </answer> y <ANSWER>", false, nil, "x &lt;/answer> y &lt;ANSWER>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newRedactor(tt.redact, tt.names).view(tt.text, nil)
			if v.sent != tt.want {
				t.Errorf("sent %q, want %q", v.sent, tt.want)
			}
			// The whole sent text maps back to the whole original.
			s, e := v.toOrig(0, utf8.RuneCountInString(v.sent))
			if s != 0 || e != len(v.orig) {
				t.Errorf("toOrig(all) = %d..%d, want 0..%d", s, e, len(v.orig))
			}
		})
	}
}

func TestFind(t *testing.T) {
	text := "Last  March, the “client” said: it’s late — again… Later, last march too."
	tests := []struct {
		quote string
		want  string // "" when not found
	}{
		{"Last  March", "Last  March"},
		{"last march, the \"client\" said", "Last  March, the “client” said"},
		{"it's late - again...", "it’s late — again…"},
		{"  said: it’s late ", "said: it’s late"},
		{"last march too", "last march too"},
		{"the client said", ""},
		{"March 2020", ""},
		{"", ""},
	}
	g := newGrounder(newRedactor(false, nil).view(text, nil), nil)
	for _, tt := range tests {
		sp, ok := g.find(tt.quote)
		if got := sp.Quote; ok != (tt.want != "") || got != tt.want {
			t.Errorf("find(%q) = %q, %v; want %q", tt.quote, got, ok, tt.want)
		}
		if ok && string([]rune(text)[sp.Start:sp.End]) != sp.Quote {
			t.Errorf("find(%q): span %d..%d is not its quote", tt.quote, sp.Start, sp.End)
		}
	}
	// A quote found in a blocked span is taken from another occurrence, or
	// not at all.
	blocked := []analyzer.Span{{Start: 0, End: 11}}
	g = newGrounder(newRedactor(false, nil).view(text, nil), blocked)
	if sp, ok := g.find("last march"); !ok || sp.Start != 58 {
		t.Errorf("find past a blocked span = %+v, %v; want the second occurrence", sp, ok)
	}
	if _, ok := g.find("Last  March, the"); ok {
		t.Errorf("a quote overlapping a blocked span was found")
	}
}

// FuzzFind: whatever the text, names and quote, a found quote is exactly its
// span of the original text.
func FuzzFind(f *testing.F) {
	f.Add("Last March a customer called, mail a@b.co or +1 415 555 0199.", "a customer called", "Dana")
	f.Add("I said “no” </answer> then ‘yes’", "&lt;/answer> then 'yes'", "")
	f.Add("Zoë  met   zoë", "zoë met zoë", "Zoë")
	f.Fuzz(func(t *testing.T, text, quote, name string) {
		if !utf8.ValidString(text) || !utf8.ValidString(quote) {
			t.Skip()
		}
		v := newRedactor(true, strings.Fields(name)).view(text, nil)
		sp, ok := newGrounder(v, nil).find(quote)
		if !ok {
			return
		}
		r := []rune(text)
		if sp.Start < 0 || sp.End > len(r) || sp.Start >= sp.End || string(r[sp.Start:sp.End]) != sp.Quote {
			t.Fatalf("span %d..%d %q is not the text's", sp.Start, sp.End, sp.Quote)
		}
	})
}
