package segment_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/transcript"
)

const spokenDir = "../../testdata/spoken"

type spokenGold struct {
	gold
	Guide   string `json:"guide"`
	Closing int    `json:"closing_at_turn"`
	// DeferredAsks are asks the candidate put off (asked again later):
	// the answer before one ends there.
	DeferredAsks []goldSegment `json:"deferred_asks"`
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'' || r > 127)
	}) {
		out[w] = true
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 1
	}
	return float64(inter) / float64(union)
}

// TestSpokenSet runs the spoken test set (testdata/spoken, README there):
// question F1 (a hit is the question id at the gold turn), roles as
// labelled, and answer boundaries: the share of gold answers whose found
// answer has a word-set Jaccard of at least 0.7 with the gold answer (the
// candidate's turns from the ask to the next gold ask or the closing).
func TestSpokenSet(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(spokenDir, "s[0-9]*"))
	sort.Strings(files)
	var total prf
	answers, good := 0, 0
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".gold.json") {
			continue
		}
		n++
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		gd, err := os.ReadFile(strings.TrimSuffix(f, filepath.Ext(f)) + ".gold.json")
		if err != nil {
			t.Fatal(err)
		}
		var sg spokenGold
		if err := json.Unmarshal(gd, &sg); err != nil {
			t.Fatal(err)
		}
		var g *analyzer.Guide
		if b, ok := guide.Builtin(sg.Guide); ok {
			g = b
		} else if g, err = guide.Load(filepath.Join(spokenDir, sg.Guide)); err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		res, tr := segmentFile(t, g, name, data, segment.Options{})
		if tr.Format != sg.Format {
			t.Errorf("%s: format %s, gold %s", name, tr.Format, sg.Format)
		}
		var wantI []string
		for _, i := range sg.interviewers(t) {
			wantI = append(wantI, canonical(i))
		}
		sort.Strings(wantI)
		if !slices.Equal(res.Interviewers, wantI) || res.Candidate != canonical(sg.Candidate) {
			t.Errorf("%s: roles %q / %q, gold %q / %q", name, res.Interviewers, res.Candidate, wantI, sg.Candidate)
		}
		// Issue 12: no input of the spoken set exits non-zero, and the CLI
		// refuses a single interview in which nothing aligns.
		if len(res.Answers) == 0 {
			t.Errorf("%s: nothing aligned (candor analyze would exit 2)", name)
		}
		got, want := found(res), want(sg.gold)
		s := countPRF(got, want)
		if s.fp+s.fn > 0 {
			t.Logf("%s: found %v, gold %v", name, got, want)
		}
		total.add(s)
		// Boundaries.
		asks := []int{}
		for _, seg := range append(slices.Clone(sg.Segments), sg.DeferredAsks...) {
			asks = append(asks, seg.AskedAt)
		}
		sort.Ints(asks)
		for _, seg := range sg.Segments {
			end := sg.Closing
			for _, a := range asks {
				if a > seg.AskedAt && a < end {
					end = a
				}
			}
			var gw []string
			for i := seg.AskedAt + 1; i < end; i++ {
				if tr.Turns[i].Speaker == res.Candidate {
					gw = append(gw, tr.Turns[i].Text)
				}
			}
			answers++
			for _, a := range res.Answers {
				if a.QuestionID == seg.QuestionID {
					if j := jaccard(wordSet(a.Text), wordSet(strings.Join(gw, " "))); j >= 0.7 {
						good++
					} else {
						t.Logf("%s %s: boundary Jaccard %.2f", name, seg.QuestionID, j)
					}
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("%d transcripts in the spoken set, want at least 20", n)
	}
	share := float64(good) / float64(max(answers, 1))
	t.Logf("spoken set: %d transcripts, question precision %.3f recall %.3f F1 %.3f (tp %d fp %d fn %d); answer boundaries Jaccard >= 0.7: %d of %d (%.1f%%)",
		n, total.precision(), total.recall(), total.f1(), total.tp, total.fp, total.fn, good, answers, 100*share)
	// Issue 12's targets are F1 0.97 and 95% of boundaries. With the 66
	// transcripts the trained turn model (fitted on all sets) reaches F1
	// 0.972 and 192 of 199 boundaries (96.5%); decoded by models fitted
	// without them, F1 is also 0.972 (weights.json's cv_f1_spoken). The
	// blind sets, run once before they joined the training data, are in
	// analyzer/segment/README.md. The floors hold the targets.
	if f := total.f1(); f < 0.97 {
		t.Errorf("question F1 %.3f on the spoken set, want 0.97 (issue 12)", f)
	}
	if share < 0.95 {
		t.Errorf("answer boundaries: %.1f%% with Jaccard >= 0.7, want 95%% (issue 12)", 100*share)
	}
}

var _ = transcript.Parse
