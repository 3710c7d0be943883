package web

import (
	"github.com/candorhq/candor/analyzer"

	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// pieces returns, for every mark id, the text of all its pieces joined,
// read back from the HTML.
func pieces(t *testing.T, h string) map[string]string {
	t.Helper()
	out := map[string]string{}
	var open []string
	tok := regexp.MustCompile(`<mark (?:id|data-span)="([^"]*)"[^>]*>|</mark>|[^<]+`)
	for _, m := range tok.FindAllStringSubmatch(h, -1) {
		switch {
		case strings.HasPrefix(m[0], "<mark"):
			open = append(open, m[1])
		case m[0] == "</mark>":
			if len(open) == 0 {
				t.Fatalf("unbalanced </mark> in %s", h)
			}
			open = open[:len(open)-1]
		default:
			for _, id := range open {
				out[id] += html.UnescapeString(m[0])
			}
		}
	}
	if len(open) != 0 {
		t.Fatalf("unclosed marks in %s", h)
	}
	return out
}

func TestHighlight(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		marks []mark
		want  map[string]string
	}{
		{"none", "plain <b>text</b>", nil, map[string]string{}},
		{"one", "I called him last March.", []mark{{start: 13, end: 23, id: "m0"}}, map[string]string{"m0": "last March"}},
		{"code points, not bytes", "Zoë said „déjà vu“ 🙂 then I fixed it.",
			[]mark{{start: 9, end: 18, id: "m0"}, {start: 19, end: 20, id: "m1"}, {start: 26, end: 35, id: "m2"}},
			map[string]string{"m0": "„déjà vu“", "m1": "🙂", "m2": "I fixed i"}},
		{"nested", "abcdefghij", []mark{{start: 2, end: 5, id: "in"}, {start: 0, end: 8, id: "out"}},
			map[string]string{"in": "cde", "out": "abcdefgh"}},
		{"same start", "abcdefghij", []mark{{start: 0, end: 3, id: "short"}, {start: 0, end: 6, id: "long"}},
			map[string]string{"short": "abc", "long": "abcdef"}},
		{"crossing", "abcdefghij", []mark{{start: 0, end: 6, id: "a"}, {start: 3, end: 9, id: "b"}},
			map[string]string{"a": "abcdef", "b": "defghi"}},
		{"chain of crossings", "abcdefghij", []mark{{start: 0, end: 4, id: "a"}, {start: 2, end: 7, id: "b"}, {start: 5, end: 10, id: "c"}},
			map[string]string{"a": "abcd", "b": "cdefg", "c": "fghij"}},
		{"escaped", `say "<script>alert(1)</script>" & go`, []mark{{start: 4, end: 31, id: "x", title: `"><b>`}},
			map[string]string{"x": `"<script>alert(1)</script>"`}},
		{"bad offsets dropped", "short", []mark{{start: -1, end: 2, id: "a"}, {start: 3, end: 99, id: "b"}, {start: 3, end: 3, id: "c"}, {start: 1, end: 4, id: "d"}},
			map[string]string{"d": "hor"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := string(highlight(c.text, c.marks))
			if strings.Contains(h, "<script") || strings.Contains(h, "<b>") {
				t.Fatalf("unescaped HTML: %s", h)
			}
			tag := regexp.MustCompile(`<[^>]*>`)
			if got := html.UnescapeString(tag.ReplaceAllString(h, "")); got != c.text {
				t.Errorf("text changed: %q", got)
			}
			got := pieces(t, h)
			if len(got) != len(c.want) {
				t.Errorf("marks %v, want %v\n%s", got, c.want, h)
			}
			for id, w := range c.want {
				if got[id] != w {
					t.Errorf("mark %s: %q, want %q\n%s", id, got[id], w, h)
				}
				if strings.Count(h, `id="`+id+`"`) != 1 {
					t.Errorf("mark %s: want exactly one element with its id\n%s", id, h)
				}
			}
		})
	}
}

func TestValidSpan(t *testing.T) {
	text := "Zoë fixed it 🙂 yesterday"
	for _, c := range []struct {
		quote      string
		start, end int
		want       bool
	}{
		{"Zoë", 0, 3, true},
		{"🙂 yesterday", 13, 24, true},
		{"fixed", 4, 9, true},
		{"fixed", 5, 10, false},
		{"nope", 0, 4, false},
		{"", 0, 0, false},
	} {
		if got := validSpan(text, spanOf(c.quote, c.start, c.end)); got != c.want {
			t.Errorf("validSpan(%q, %d, %d) = %v, want %v", c.quote, c.start, c.end, got, c.want)
		}
	}
}

func FuzzHighlight(f *testing.F) {
	f.Add("Zoë said „déjà vu“ 🙂", 0, 5, 3, 9)
	f.Add("<script>x</script>", 1, 7, 0, 18)
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int) {
		if !utf8.ValidString(text) {
			t.Skip("reports hold valid UTF-8")
		}
		h := string(highlight(text, []mark{{start: s1, end: e1, id: "a"}, {start: s2, end: e2, id: "b"}}))
		if strings.Contains(h, "<script") {
			t.Fatalf("unescaped: %s", h)
		}
		runes := []rune(text)
		got := pieces(t, h)
		for _, m := range []struct {
			id   string
			s, e int
		}{{"a", s1, e1}, {"b", s2, e2}} {
			if m.s >= 0 && m.s < m.e && m.e <= len(runes) {
				// HTMLEscape turns NUL into U+FFFD, as browsers do.
				want := strings.ReplaceAll(string(runes[m.s:m.e]), "\x00", "\uFFFD")
				if got[m.id] != want {
					t.Fatalf("mark %s = %q, want %q", m.id, got[m.id], want)
				}
			}
		}
	})
}

func spanOf(q string, s, e int) analyzer.Span { return analyzer.Span{Quote: q, Start: s, End: e} }
