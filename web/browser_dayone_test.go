package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDayOne drives headless Chromium through the pages a recruiter
// needs on day one: a report whose matrix shows only the questions asked
// (the others collapsed, every area named without hovering), answers that
// show the interviewer's question and each follow-up where it was asked,
// deleting that report, and creating, editing and deleting a guide.
// Screenshots go to testdata/artifacts like the other browser tests'.
func TestBrowserDayOne(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, envOpts{})
	vtt := fixturePath(t, "testdata/eval/transcripts/t06_panel.txt")
	err := chromedp.Do(ctx, append(signIn(e, "/"),
		chromedp.WaitVisible(chromedp.CSS(`#upload-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{vtt}),
		chromedp.SetValue(chromedp.CSS(`#guide_id`), "cx-empathy"),
		chromedp.SendKeys(chromedp.CSS(`#role`), "REQ-42 CX lead"),
		chromedp.SetValue(chromedp.CSS(`#interview_date`), "2026-03-02"),
		chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.matrix`)),
	)...)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	id, rep := shownReport(t, ctx, e)
	if rep.Candidate != "Priyanka Deshmukh" || rep.Role != "REQ-42 CX lead" || rep.InterviewDate != "2026-03-02" {
		t.Errorf("report fields from the form: %q %q %q", rep.Candidate, rep.Role, rep.InterviewDate)
	}

	// The matrix: asked questions only; the rest collapsed; area names
	// visible as text.
	type matrixView struct {
		Rows, Answered int
		NotAsked       int
		Open           bool
		LegendVisible  bool
		Legend         string
		DeliveryText   string
	}
	mv, err := chromedp.Run(ctx, chromedp.Evaluate[matrixView](`(() => {
		const d = document.querySelector('details.not-asked');
		const legend = document.querySelector('.legend-areas');
		return {
			Rows: document.querySelectorAll('table.matrix tbody tr').length,
			Answered: document.querySelectorAll('table.matrix tbody tr[data-answered="true"]').length,
			NotAsked: d ? d.querySelectorAll('li').length : 0,
			Open: d ? d.open : true,
			LegendVisible: !!legend && legend.getBoundingClientRect().height > 0,
			Legend: legend ? legend.innerText : '',
			DeliveryText: document.querySelector('table.matrix td.d').innerText,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if mv.Rows != len(rep.Answers) || mv.Answered != len(rep.Answers) {
		t.Errorf("matrix rows %d (answered %d), want only the %d asked", mv.Rows, mv.Answered, len(rep.Answers))
	}
	if mv.NotAsked != len(rep.Summary.NotAsked) || mv.Open {
		t.Errorf("not asked: %d listed (open %v), want %d collapsed", mv.NotAsked, mv.Open, len(rep.Summary.NotAsked))
	}
	if !mv.LegendVisible || !strings.Contains(mv.Legend, rep.Answers[0].Coverage.Areas[0].Text) {
		t.Errorf("area names are not shown as text under the matrix: %q", mv.Legend)
	}
	if !strings.Contains(mv.DeliveryText, "specificity") {
		t.Errorf("the number beside the delivery label has no caption: %q", mv.DeliveryText)
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`section[aria-labelledby="h-matrix"]`)))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "dayone-matrix.png", png)

	// The exchange: the question as asked, then each follow-up where it
	// came, before the reply to it.
	probes := 0
	shown := -1
	for i, a := range rep.Answers {
		probes += len(a.Probes)
		type exchange struct {
			Asked  string
			Probes []string
			Order  []string
		}
		ex, err := chromedp.Run(ctx, chromedp.Evaluate[exchange](fmt.Sprintf(`(() => {
			const box = document.querySelector('#a%d .answer-text');
			const asked = box.querySelector('p.asked');
			return {
				Asked: asked ? asked.innerText : '',
				Probes: [...box.querySelectorAll('p.probe')].map(p => p.innerText),
				Order: [...box.children].map(p => p.className),
			};
		})()`, i+1)))
		if err != nil {
			t.Fatal(err)
		}
		if a.Asked != "" && !strings.Contains(ex.Asked, a.Asked) {
			t.Errorf("answer %d: question shown %q, want %q", i+1, ex.Asked, a.Asked)
		}
		// Every follow-up is shown, in order (follow-ups asked back to
		// back share one block).
		all := strings.Join(ex.Probes, "\n")
		at := 0
		for k, p := range a.Probes {
			j := strings.Index(all[at:], p.Text)
			if j < 0 {
				t.Errorf("answer %d follow-up %d %q not shown in order in %q", i+1, k, p.Text, all)
				break
			}
			at += j + len(p.Text)
		}
		if len(a.Probes) > 0 && len(ex.Probes) == 0 {
			t.Errorf("answer %d: no follow-up shown, want %d", i+1, len(a.Probes))
		}
		// asked, reply, probe, reply, ...: each follow-up before its reply.
		for k := 1; k < len(ex.Order); k++ {
			if ex.Order[k-1] == "probe" && ex.Order[k] == "probe" {
				t.Errorf("answer %d: two follow-ups with no reply between: %v", i+1, ex.Order)
			}
		}
		if len(a.Probes) > 0 && shown < 0 {
			shown = i + 1
		}
	}
	if probes == 0 || shown < 0 {
		t.Fatal("the interview has no follow-ups inside an answer; the test needs one")
	}
	png, err = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(fmt.Sprintf(`#a%d .answer-text`, shown))))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "dayone-exchange.png", png)

	// Delete the report: it asks first, then the list says it is gone.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.confirm = (m) => { sessionStorage.setItem('asked', m); return true; }, true`)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#delete-report button`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	if err != nil {
		t.Fatalf("delete report: %v", err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`({
		loc: location.pathname, asked: sessionStorage.getItem('asked') || '', notice: document.querySelector('.notice').innerText,
		links: [...document.querySelectorAll('a[href^="/reports/rep_"]')].map(a => a.getAttribute('href')).join(' '),
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if after["loc"] != "/reports" || !strings.Contains(after["asked"], "Delete this report") || !strings.Contains(after["notice"], "deleted") ||
		strings.Contains(after["links"], id) {
		t.Errorf("after delete: %v", after)
	}
	if _, status := e.apiReport(acmeKey, id); status != http.StatusNotFound {
		t.Errorf("deleted report: GET %d, want 404", status)
	}
	png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "dayone-deleted.png", png)

	// Create a guide, edit it, delete it.
	guideText := string(readFixture(t, "guide/testdata/plain.txt"))
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.ts.URL+"/guides"),
		chromedp.WaitVisible(chromedp.CSS(`#g-text`)),
		chromedp.SetValue(chromedp.CSS(`#g-text`), guideText),
		chromedp.Click(chromedp.CSS(`form[action="/guides"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#edit-guide`)),
		chromedp.Click(chromedp.CSS(`#edit-guide`)),
		chromedp.WaitVisible(chromedp.CSS(`#guide-text`)),
	)
	if err != nil {
		t.Fatalf("create guide: %v", err)
	}
	yaml, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#guide-text`)))
	if err != nil {
		t.Fatal(err)
	}
	var title string
	for _, l := range strings.Split(yaml, "\n") {
		if strings.HasPrefix(l, "title: ") {
			title = l
		}
	}
	if title == "" {
		t.Fatalf("the editor shows no title line:\n%s", yaml)
	}
	edited := strings.Replace(yaml, title, "title: Support hiring, edited", 1)
	png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "dayone-guide-edit.png", png)
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#guide-text`), edited),
		chromedp.Click(chromedp.CSS(`#guide-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	if err != nil {
		t.Fatalf("save guide: %v", err)
	}
	saved, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`({
		h1: document.querySelector('h1').innerText, notice: document.querySelector('.notice').innerText,
		heading: document.querySelector('.questions .qnum').innerText, loc: location.pathname,
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if saved["h1"] != "Support hiring, edited" || !strings.Contains(saved["notice"], "saved") || !strings.HasPrefix(saved["heading"], "QUESTION 1") && !strings.HasPrefix(saved["heading"], "Question 1") {
		t.Errorf("after saving: %v", saved)
	}
	png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "dayone-guide.png", png)
	guidePath := saved["loc"]
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.confirm = () => true, true`)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#delete-guide button`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	if err != nil {
		t.Fatalf("delete guide: %v", err)
	}
	links, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('a')].map(a => a.getAttribute('href')).join(' ')`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(links, guidePath+" ") || strings.HasSuffix(links, guidePath) {
		t.Errorf("the deleted guide %s is still listed", guidePath)
	}
}
