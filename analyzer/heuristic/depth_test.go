package heuristic_test

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
)

// checkDepth verifies the delivery's depth verdicts, episode and details:
// one verdict per depth signal of the question, in order, with a status from
// the contract and quotes of the answer; the episode and every detail quote
// the answer.
func checkDepth(t testing.TB, q analyzer.Question, runes []rune, d analyzer.Delivery) {
	t.Helper()
	if len(d.Depth) != len(q.Depth) {
		t.Fatalf("%d depth verdicts for %d depth signals", len(d.Depth), len(q.Depth))
	}
	for i, r := range d.Depth {
		if r.ID != q.Depth[i].ID || r.Text != q.Depth[i].Text {
			t.Fatalf("depth %d: %q %q, want %q %q", i, r.ID, r.Text, q.Depth[i].ID, q.Depth[i].Text)
		}
		switch r.Status {
		case analyzer.DepthPresent, analyzer.DepthPartial, analyzer.DepthAbsent:
		default:
			t.Fatalf("depth %s: status %q", r.ID, r.Status)
		}
		if r.Present != (r.Status == analyzer.DepthPresent) || r.Confidence < 0 || r.Confidence > 1 || r.Evidence == nil {
			t.Fatalf("depth %s: %+v", r.ID, r)
		}
		if r.Status == analyzer.DepthAbsent && len(r.Evidence) > 0 {
			t.Fatalf("depth %s: absent, with evidence %v", r.ID, r.Evidence)
		}
		for _, s := range r.Evidence {
			checkSpan(t, runes, "depth evidence", s)
		}
	}
	if d.Episode != nil {
		checkSpan(t, runes, "episode", *d.Episode)
	}
	for _, x := range d.Details {
		checkSpan(t, runes, "detail "+x.Kind, x.Span)
		switch x.Kind {
		case "time", "name", "number", "speech":
		default:
			t.Fatalf("detail kind %q", x.Kind)
		}
		if x.Bound && (d.Episode == nil || x.Start < d.Episode.Start || x.End > d.Episode.End) {
			t.Fatalf("detail %q bound outside the episode %v", x.Quote, d.Episode)
		}
	}
}

// TestDepthLeavesAreasAlone: a question's depth signals are read as extra
// areas after its own, and change nothing else: with and without them, every
// answer of the project's and the team's sets gets the same coverage,
// delivery (depth aside) and warnings, and the follow-ups without them are
// the first ones with them. It also logs how many answers show each signal.
func TestDepthLeavesAreasAlone(t *testing.T) {
	e := heuristic.New()
	g := cxGuide(t)
	if len(g.DepthSignals) != 4 {
		t.Fatalf("cx-empathy has %d depth signals, want 4", len(g.DepthSignals))
	}
	files := []string{evalAnswers}
	if _, err := os.Stat(devAnswers); err == nil {
		files = append(files, devAnswers)
	}
	for _, path := range files {
		counts := map[string]map[string]int{}
		n := 0
		for _, it := range readJSONL[item](t, path) {
			qp, ok := g.Question(it.QuestionID)
			if !ok {
				continue
			}
			q := *qp
			with := analyze(t, e, q, it.Text)
			bare := q
			bare.Depth = nil
			without := analyze(t, e, bare, it.Text)
			if !reflect.DeepEqual(with.Coverage, without.Coverage) || !reflect.DeepEqual(with.Warnings, without.Warnings) {
				t.Errorf("%s: the depth signals changed the coverage or warnings", it.ID)
			}
			d := with.Delivery
			d.Depth = nil
			if !reflect.DeepEqual(d, without.Delivery) {
				t.Errorf("%s: the depth signals changed the delivery", it.ID)
			}
			if len(with.FollowUps) < len(without.FollowUps) || !slices.Equal(with.FollowUps[:len(without.FollowUps)], without.FollowUps) {
				t.Errorf("%s: follow-ups %q, want %q first", it.ID, with.FollowUps, without.FollowUps)
			}
			n++
			for _, r := range with.Delivery.Depth {
				if counts[r.ID] == nil {
					counts[r.ID] = map[string]int{}
				}
				counts[r.ID][r.Status]++
			}
		}
		for _, s := range g.DepthSignals {
			c := counts[s.ID]
			t.Logf("%s (%d answers): %-22s present %2d  partial %2d  absent %2d", path, n, s.ID, c["present"], c["partial"], c["absent"])
		}
	}
}

// TestDepthFollowUp: a depth signal the answer lacks gets a follow-up after
// the area gaps, while the cap leaves room; one the answer shows gets none.
func TestDepthFollowUp(t *testing.T) {
	e := heuristic.New()
	q := analyzer.Question{ID: "q1", Text: "Tell me about a customer complaint you resolved.",
		Areas: []string{"What they did to fix the problem"},
		Depth: []analyzer.DepthSignal{{ID: "feelings", Text: "The customer's feelings, named plainly"}}}
	const story = "Last March a customer emailed that her invoice was wrong. I checked the account and refunded the second charge the same day."
	bare := q
	bare.Depth = nil
	with, without := analyze(t, e, q, story), analyze(t, e, bare, story)
	if got := with.Delivery.Depth[0].Status; got != analyzer.DepthAbsent {
		t.Fatalf("feelings: status %q, want absent for an answer that names none", got)
	}
	if len(without.FollowUps) >= analyzer.MaxFollowUps {
		t.Fatalf("the area gaps fill the cap (%q): the test needs room", without.FollowUps)
	}
	if len(with.FollowUps) != len(without.FollowUps)+1 {
		t.Fatalf("follow-ups %q, want %q and one for the absent signal", with.FollowUps, without.FollowUps)
	}
	last := with.FollowUps[len(with.FollowUps)-1]
	if slices.Contains(without.FollowUps, last) || !strings.Contains(last, "feeling") {
		t.Errorf("depth follow-up %q: want a new one that asks how the customer felt", last)
	}
}

// TestEpisode: the episode runs over the candidate's linked events and the
// story told right around them (the scene set before them); a hypothetical
// or habitual answer tells none, and its numbers are not bound.
func TestEpisode(t *testing.T) {
	e := heuristic.New()
	q := question(t, "q1")
	story := "Last spring a man called about a double charge. I listened while he explained it. " +
		"I refunded the 240 dollars that afternoon and I phoned him the next week to check."
	a := analyze(t, e, q, story)
	ep := a.Delivery.Episode
	if ep == nil || !strings.HasPrefix(ep.Quote, "Last spring") || !strings.HasSuffix(ep.Quote, "to check.") {
		t.Fatalf("episode %+v, want the whole story", ep)
	}
	var bound240 bool
	for _, d := range a.Delivery.Details {
		if d.Quote == "240" && d.Kind == "number" {
			bound240 = d.Bound
		}
	}
	if !bound240 {
		t.Errorf("details %+v: want the refunded amount 240 as a bound number", a.Delivery.Details)
	}
	generic := "I would always listen first and refund within 2 days. I usually call customers back within 24 hours. " +
		"I would explain our policy and I would make sure they feel heard."
	g := analyze(t, e, q, generic)
	if g.Delivery.Episode != nil {
		t.Errorf("episode %+v in an answer of habits and hypotheticals", g.Delivery.Episode)
	}
	for _, d := range g.Delivery.Details {
		if d.Bound {
			t.Errorf("detail %+v bound with no episode", d)
		}
	}
}

// buzzwordRecital is issue 13's answer: a date, a company and metrics
// sprinkled over a list of past-tense claims, with nothing told in order.
const buzzwordRecital = "In March 2021 at Northwind Bank, with 14,000 customers and a 23% increase, I spotted a gap that cost customers time. " +
	"I used my empathy and emotional awareness to see it, took steps to close it, advocated for the customer, overcame pushback from the VP, " +
	"and measured a 37% improvement in CSAT, NPS and CES."

// TestClaimsAreNoEpisode: past-tense claims in a row are not an episode,
// and details sprinkled over them are not bound; the reasons say both. The
// same kind of facts told as events that follow one another, with someone
// else acting, are an episode with bound details.
func TestClaimsAreNoEpisode(t *testing.T) {
	e := heuristic.New()
	q := question(t, "q1")
	a := analyze(t, e, q, buzzwordRecital)
	d := a.Delivery
	if d.Episode != nil {
		t.Errorf("episode %q in a list of claims", d.Episode.Quote)
	}
	if len(d.Details) == 0 {
		t.Fatal("no details read")
	}
	for _, x := range d.Details {
		if x.Bound {
			t.Errorf("detail %q bound with no episode", x.Quote)
		}
	}
	joined := strings.Join(d.Reasons, "; ")
	if !strings.Contains(joined, "no episode") || !strings.Contains(joined, "details not bound") {
		t.Errorf("reasons %q: want no episode and details not bound", d.Reasons)
	}
	// Issue 13's bar: rehearsed or mixed, specificity at most 45.
	if d.Label == analyzer.LabelSpecific || d.Specificity > 45 {
		t.Errorf("label %s %d for a recital of claims, want rehearsed or mixed at most 45", d.Label, d.Specificity)
	}
	told := "In March 2021 at Northwind Bank I noticed customers ringing back about the same failed transfer. " +
		"I pulled 40 call records and found the app timed out after 30 seconds. " +
		"I took them to the VP, who said the fix could wait a quarter. " +
		"Then I played her three of the calls, and she moved it into the next release; repeat calls dropped by a third."
	b := analyze(t, e, q, told).Delivery
	if b.Episode == nil {
		t.Fatalf("no episode in a told sequence of events; reasons %q", b.Reasons)
	}
	bound := 0
	for _, x := range b.Details {
		if x.Bound {
			bound++
		}
	}
	if bound == 0 || !strings.Contains(strings.Join(b.Reasons, "; "), "episode is told") {
		t.Errorf("%d bound details, reasons %q", bound, b.Reasons)
	}
	if b.Specificity <= d.Specificity {
		t.Errorf("told episode specificity %d, not above the recital's %d", b.Specificity, d.Specificity)
	}
	t.Logf("recital %s %d, told %s %d", d.Label, d.Specificity, b.Label, b.Specificity)
}
