package guide_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/internal/testkit"
)

// TestGolden parses every fixture and compares the guide, as JSON, with its
// golden file. Run with -update after a deliberate change and review the diff.
func TestGolden(t *testing.T) {
	for _, path := range fixtures(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			g, err := guide.Parse(path, data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			testkit.GoldenJSON(t, filepath.Join("testdata", "golden", filepath.Base(path)+".json"), g)
		})
	}
}

// shape is a guide reduced to what the fixture tests check.
type shape struct {
	Title     string
	IDs       []string
	Texts     []string
	Areas     []int
	FollowUps []int
	Notes     []string
}

func shapeOf(g *analyzer.Guide) shape {
	s := shape{Title: g.Title}
	for _, q := range g.Questions {
		s.IDs = append(s.IDs, q.ID)
		s.Texts = append(s.Texts, q.Text)
		s.Areas = append(s.Areas, len(q.Areas))
		s.FollowUps = append(s.FollowUps, len(q.FollowUps))
	}
	for _, n := range g.Notes {
		s.Notes = append(s.Notes, n.Title)
	}
	return s
}

// TestYardstickVariations checks what each text fixture exercises, in terms
// a reader can check against the fixture by eye.
func TestYardstickVariations(t *testing.T) {
	tests := []struct {
		file string
		want shape
	}{
		{"plain.txt", shape{
			Title: "Ownership for Support Leads",
			IDs:   []string{"q1", "q2"},
			Texts: []string{
				"Tell me about a problem you fixed that nobody had asked you to fix. What did you do?",
				"Describe a commitment you could not keep. How did you handle it?",
			},
			Areas: []int{3, 2}, FollowUps: []int{2, 1},
			Notes: []string{"Why ask about broken commitments?", "Is this guide complete?"},
		}},
		{"bullets.txt", shape{
			Title: "Curiosity in Data Analysts",
			IDs:   []string{"q1", "q2"},
			Texts: []string{
				"Tell me about a question in the data that you kept digging into after others had moved on.",
				"Describe the last thing you taught yourself for work.",
			},
			Areas: []int{3, 3}, FollowUps: []int{2, 1},
		}},
		{"numbered.md", shape{
			Title: "Teamwork for Nurses",
			IDs:   []string{"q1", "q2"},
			Texts: []string{
				"Tell me about a shift where the team was short-staffed.",
				"Describe a handover that went wrong.",
			},
			Areas: []int{2, 3}, FollowUps: []int{2, 1},
		}},
		{"noheader.txt", shape{
			Title: "Adaptability",
			IDs:   []string{"q1", "q2"},
			Texts: []string{
				"Tell me about a plan that changed at the last minute.",
				"Describe a new tool you had to learn quickly.",
			},
			Areas: []int{2, 2}, FollowUps: []int{1, 1},
			Notes: []string{"Closing thoughts for the interviewer?"},
		}},
		{"unmarked.txt", shape{
			Title: "Judgment",
			IDs:   []string{"q1", "q2"},
			Texts: []string{
				"Tell me about a call you made that others disagreed with. What happened next?",
				"Describe a risk you chose not to take.",
			},
			Areas: []int{3, 2}, FollowUps: []int{1, 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			g, err := guide.Parse(tt.file, data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := shapeOf(g); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			// The same guide saved with Windows or old Mac line endings
			// must read identically.
			for _, eol := range []string{"\r\n", "\r"} {
				other, err := guide.Parse(tt.file, []byte(strings.ReplaceAll(string(data), "\n", eol)))
				if err != nil {
					t.Fatalf("Parse with %q line ends: %v", eol, err)
				}
				if !reflect.DeepEqual(other, g) {
					t.Errorf("line ends %q change the guide", eol)
				}
			}
		})
	}
}

func TestYardstickDetails(t *testing.T) {
	read := func(name string) *analyzer.Guide {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		g, err := guide.Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	g := read("plain.txt")
	if got, want := g.Notes[0].Text, "Because how someone handles a slip says more than a success story.\n\nIt also shows whether they warn people early."; got != want {
		t.Errorf("note text = %q, want %q", got, want)
	}
	if got, want := g.Notes[1].Text, "No, it is a test fixture."; got != want {
		t.Errorf("last note = %q, want the sign-up line dropped: %q", got, want)
	}
	if !strings.HasPrefix(g.Description, "Ownership means") {
		t.Errorf("description = %q, want the intro without the title line", g.Description)
	}
	g = read("bullets.txt")
	if got, want := g.Questions[1].Areas, []string{"What they learned", "Why it mattered", "How they practised"}; !reflect.DeepEqual(got, want) {
		t.Errorf("numbered bullets: areas = %q, want %q", got, want)
	}
	g = read("unmarked.txt")
	if got, want := g.Questions[1].Areas[1], "Why they decided against it which was not an easy choice"; got != want {
		t.Errorf("wrapped bullet = %q, want %q", got, want)
	}
	if got, want := g.ID, "judgment"; got != want {
		t.Errorf("id = %q, want %q", got, want)
	}
}

func TestSeed(t *testing.T) {
	data := readSeed(t)
	g, err := guide.Parse("seed.txt", data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got, want := g.Title, "Empathy in Customer Experience Management"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if got, want := g.ID, "empathy-in-customer-experience-management"; got != want {
		t.Errorf("id = %q, want %q", got, want)
	}
	if len(g.Questions) != 15 {
		t.Fatalf("got %d questions, want 15", len(g.Questions))
	}
	for i, q := range g.Questions {
		if want := "q" + itoa(i+1); q.ID != want {
			t.Errorf("questions[%d].id = %q, want %q", i, q.ID, want)
		}
		if len(q.Areas) != 8 || len(q.FollowUps) != 4 {
			t.Errorf("%s: %d areas, %d follow-ups; want 8 and 4", q.ID, len(q.Areas), len(q.FollowUps))
		}
		// No FAQ, header or closing line may become a question.
		for _, bad := range []string{"Frequently Asked", "Sign up", "Interview Questions", "sympathy and empathy"} {
			if strings.Contains(q.Text, bad) {
				t.Errorf("%s looks like a non-question line: %q", q.ID, q.Text)
			}
		}
	}
	if q := g.Questions[0].Text; !strings.HasPrefix(q, "Tell me about a time when you had to handle a particularly upset") {
		t.Errorf("q1 = %q", q)
	}
	if q := g.Questions[14].Text; !strings.HasPrefix(q, "Describe a time when you had to balance being empathetic") || !strings.HasSuffix(q, "tension?") {
		t.Errorf("q15 = %q", q)
	}
	if got := g.Questions[0].Areas[0]; got != "The specific situation and what led to the customer's frustration" {
		t.Errorf("q1 area 1 = %q", got)
	}
	if len(g.Notes) != 5 {
		t.Fatalf("got %d notes, want 5", len(g.Notes))
	}
	for i, n := range g.Notes {
		if !strings.HasSuffix(n.Title, "?") || n.Text == "" {
			t.Errorf("notes[%d] = %q / %q, want an FAQ question and its answer", i, n.Title, n.Text)
		}
		if strings.Contains(n.Text, "Sign up") {
			t.Errorf("notes[%d] kept the closing sign-up line", i)
		}
	}
	if !strings.Contains(g.Description, "refers to") || strings.Count(g.Description, "\n\n") != 2 {
		t.Errorf("description should be the three intro paragraphs, got %q", g.Description)
	}
	if len(g.Version) != 12 {
		t.Errorf("version = %q, want 12 hex digits", g.Version)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestYardstickErrors: malformed text guides give an *analyzer.InputError
// that names the line and the question, and matches ErrInvalidGuide.
func TestYardstickErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     string
	}{
		{"question without areas before follow-ups",
			"Interview Questions\nTell me about X?\nFollow-Up Questions:\n- Why?\n",
			`g.txt:2: questions[0]: question "Tell me about X?" has no "Areas to Cover" list`},
		{"question without areas before the next question",
			"Interview Questions\nTell me about X?\nAreas to Cover:\n- a\nDescribe Y?\nDescribe Z?\nAreas to Cover:\n- b\n",
			`g.txt:5: questions[1]: question "Describe Y?" has no "Areas to Cover" list`},
		{"areas with no question",
			"Interview Questions\nAreas to Cover:\n- a\n",
			`g.txt:2: "Areas to Cover" with no question line before it`},
		{"areas header twice",
			"Interview Questions\nTell me about X?\nAreas to Cover:\n- a\nAreas to Cover:\n- b\n",
			`g.txt:5: "Areas to Cover" with no question line before it`},
		{"follow-ups twice",
			"Interview Questions\nTell me about X?\nAreas to Cover:\n- a\nFollow-Up Questions:\n- b\nFollow-Up Questions:\n- c\n",
			`g.txt:7: questions[0]: a second "Follow-Up Questions" list for one question`},
		{"empty areas list",
			"Interview Questions\nTell me about X?\nAreas to Cover:\nFollow-Up Questions:\n- b\n",
			`g.txt:2: questions[0].areas: empty`},
		{"empty bullet",
			"Interview Questions\nTell me about X?\nAreas to Cover:\n- a\n-\n",
			`g.txt:2: questions[0].areas[1]: empty`},
		{"last question without areas",
			"Interview Questions\nTell me about X?\nAreas to Cover:\n- a\nDescribe Y?\nFollow-Up Questions:\n- b\n",
			`g.txt:5: questions[1]: question "Describe Y?" has no "Areas to Cover" list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := guide.Parse("g.txt", []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", g)
			}
			if !errors.Is(err, analyzer.ErrInvalidGuide) {
				t.Errorf("error %v does not match ErrInvalidGuide", err)
			}
			var ie *analyzer.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *analyzer.InputError", err)
			}
			if got := ie.Error(); got != tt.want {
				t.Errorf("error = %q\nwant    %q", got, tt.want)
			}
		})
	}
}

// TestYardstickLongText: lines that join into one huge question are an
// error, not a slow quadratic join.
func TestYardstickLongText(t *testing.T) {
	for name, in := range map[string]string{
		"question": "Interview Questions\nTell me\n" + strings.Repeat("and more\n", 100000) + "Areas to Cover:\n- a\n",
		"area":     "Interview Questions\nTell me?\nAreas to Cover:\n- a\n" + strings.Repeat("and more\n", 100000) + "Follow-Up Questions:\n- f\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := guide.Parse("g.txt", []byte(in))
			if err == nil || !strings.Contains(err.Error(), "longer than 2000 characters") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// TestYardstickDepthSignals: the FAQ entry that sets a real answer against a
// coached one gives one proposed depth signal per thing its sentences say
// such a candidate can or will do, in order; the other entries and the
// sentences about answers in general give none.
func TestYardstickDepthSignals(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "depth.txt"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := guide.Parse("depth.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	want := []analyzer.DepthSignal{
		{ID: "d1", Text: "Say what the patient was struggling with"},
		{ID: "d2", Text: "Recall the words they used to slow things down"},
		{ID: "d3", Text: "Explain what they did differently for that patient"},
		{ID: "d4", Text: "Talk about how the visit felt for the patient rather than about the rules of the desk"},
	}
	if !reflect.DeepEqual(g.DepthSignals, want) {
		t.Errorf("depth signals:\ngot  %+v\nwant %+v", g.DepthSignals, want)
	}
	for _, q := range g.Questions {
		if !reflect.DeepEqual(q.Depth, want) {
			t.Errorf("%s: Depth = %+v, want the guide's signals", q.ID, q.Depth)
		}
	}
	// A guide without such an entry gets none.
	plain, err := os.ReadFile(filepath.Join("testdata", "plain.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if g, err := guide.Parse("plain.txt", plain); err != nil || g.DepthSignals != nil {
		t.Errorf("plain.txt: depth signals %+v, err %v; want none", g.DepthSignals, err)
	}
}

// TestSeedDepthSignals: the seed guide's FAQ says how to tell genuine empathy
// from a rehearsed script; the four things it names become the proposals.
func TestSeedDepthSignals(t *testing.T) {
	g, err := guide.Parse("seed.txt", readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.DepthSignals) != 4 {
		t.Fatalf("got %d depth signals, want 4: %+v", len(g.DepthSignals), g.DepthSignals)
	}
	for i, want := range []string{"emotions", "recognized", "personalized", "customer's experience"} {
		if !strings.Contains(g.DepthSignals[i].Text, want) {
			t.Errorf("depth signal %d = %q, want it to mention %q", i+1, g.DepthSignals[i].Text, want)
		}
	}
}
