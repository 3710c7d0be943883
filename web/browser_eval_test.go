package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEvaluationAndAudit drives headless Chromium through checking
// Candor on a team's own labelled set: upload it from the Evaluations page,
// follow the progress page to the evaluation (both confusion matrices, the
// SVG reliability plot, styled by the page's own stylesheet under the
// strict CSP), then run an audit of a set with a planted difference (the
// flagged group, the group of 3 marked too small, the swap test), and
// find both in the list. Screenshots go to testdata/artifacts.
func TestBrowserEvaluationAndAudit(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, envOpts{})
	labelled := fixturePath(t, "testdata/eval/answers.jsonl")
	planted := fixturePath(t, "evaluation/testdata/audit/planted/answers.jsonl")
	err := chromedp.Do(ctx, append(signIn(e, "/evaluations"),
		chromedp.WaitVisible(chromedp.CSS(`#eval-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#set`), []string{labelled}),
		chromedp.SendKeys(chromedp.CSS(`#set-name`), "Support hires, spring"),
		chromedp.SetValue(chromedp.CSS(`#eval-guide`), "cx-empathy"),
		chromedp.Click(chromedp.CSS(`#kind-evaluation`)),
	)...)
	if err != nil {
		t.Fatalf("sign in to the evaluations page: %v", err)
	}
	formPNG, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "evaluations-form.png", formPNG)

	// Through the progress page (its script polls the job) to the result.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#eval-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ev-title`)),
	)
	if err != nil {
		t.Fatalf("run the evaluation: %v", err)
	}
	if loc := location(t, ctx); !strings.HasPrefix(loc, e.ts.URL+"/evaluations/ev_") {
		t.Fatalf("the evaluation opened at %s", loc)
	}
	type evalView struct {
		Matrices       int
		MatrixCells    int
		AreasCounted   int
		Plot           bool
		PlotWidth      float64
		Dots           int
		EngineBorder   string
		StyleSheets    int
		Figures        []string
		FiguresDisplay string
		Title          string
	}
	ev, err := chromedp.Run(ctx, chromedp.Evaluate[evalView](`(() => {
		const svg = document.querySelector('.ev figure svg');
		const engine = document.querySelector('.ev .engine');
		const matrices = [...document.querySelectorAll('.ev table.matrix')];
		const cells = matrices.length ? [...matrices[0].querySelectorAll('tbody td')] : [];
		return {
			Matrices: matrices.length,
			MatrixCells: cells.length,
			AreasCounted: cells.reduce((n, td) => n + Number(td.innerText), 0),
			Plot: !!svg,
			PlotWidth: svg ? svg.getBoundingClientRect().width : 0,
			Dots: svg ? svg.querySelectorAll('circle').length : 0,
			EngineBorder: engine ? getComputedStyle(engine).borderTopLeftRadius : '',
			StyleSheets: document.styleSheets.length,
			Figures: [...document.querySelectorAll('.ev table.figures tbody th')].map(th => th.innerText),
			FiguresDisplay: getComputedStyle(document.querySelector('.ev table.figures')).display,
			Title: document.querySelector('#ev-title').innerText,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Matrices != 2 || ev.MatrixCells != 9 || ev.AreasCounted == 0 {
		t.Errorf("confusion matrices: %d tables, %d cells in the first, %d areas counted", ev.Matrices, ev.MatrixCells, ev.AreasCounted)
	}
	if !ev.Plot || ev.PlotWidth < 100 || ev.Dots == 0 {
		t.Errorf("reliability plot: present %v, %.0f px wide, %d dots", ev.Plot, ev.PlotWidth, ev.Dots)
	}
	// eval.css is an asset of the site, so the strict CSP lets it apply.
	if ev.EngineBorder != "8px" || ev.StyleSheets != 2 {
		t.Errorf("the evaluation stylesheet did not apply: radius %q, %d stylesheets", ev.EngineBorder, ev.StyleSheets)
	}
	if !strings.Contains(strings.Join(ev.Figures, "|"), "coverage QWK") || ev.FiguresDisplay != "table" {
		t.Errorf("figures table rows %v (display %s)", ev.Figures, ev.FiguresDisplay)
	}
	if ev.Title != "Evaluation of Support hires, spring" {
		t.Errorf("title %q", ev.Title)
	}
	evalPNG, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "evaluation.png", evalPNG)
	plotPNG, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(`.ev .grid`)))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "evaluation-matrices.png", plotPNG)

	// An audit of the set with a planted difference.
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.ts.URL+"/evaluations"),
		chromedp.WaitVisible(chromedp.CSS(`#eval-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#set`), []string{planted}),
		chromedp.SendKeys(chromedp.CSS(`#set-name`), "Planted difference"),
		chromedp.SetValue(chromedp.CSS(`#eval-guide`), "cx-empathy"),
		chromedp.Click(chromedp.CSS(`#kind-audit`)),
		chromedp.Click(chromedp.CSS(`#eval-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#au-title`)),
	)
	if err != nil {
		t.Fatalf("run the audit: %v", err)
	}
	type auditView struct {
		Flagged   []string
		Small     []string
		FlagRows  int
		SwapShown bool
		Title     string
	}
	av, err := chromedp.Run(ctx, chromedp.Evaluate[auditView](`(() => ({
		Flagged: [...document.querySelectorAll('.ev div.flag li')].map(li => li.innerText),
		Small: [...document.querySelectorAll('.ev tr.small th')].map(th => th.innerText),
		FlagRows: document.querySelectorAll('.ev tr.flag').length,
		SwapShown: [...document.querySelectorAll('.ev h2')].some(h => h.innerText.includes('swap test')),
		Title: document.querySelector('#au-title').innerText,
	}))()`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(av.Flagged, "|"), "first_language: spanish") || av.FlagRows == 0 {
		t.Errorf("the planted difference is not flagged on the page: %v (%d rows)", av.Flagged, av.FlagRows)
	}
	if !strings.Contains(strings.Join(av.Small, "|"), "tagalog") {
		t.Errorf("the group of 3 is not shown as too small: %v", av.Small)
	}
	if av.Title != "Audit of Planted difference" {
		t.Errorf("title %q", av.Title)
	}
	if !av.SwapShown {
		t.Error("no swap test on the audit page")
	}
	auditPNG, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "audit.png", auditPNG)

	// Both in the list.
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.ts.URL+"/evaluations"),
		chromedp.WaitVisible(chromedp.CSS(`#audits-list`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#evaluations-list tbody tr, #audits-list tbody tr')].map(tr => tr.innerText)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !strings.Contains(rows[0], "coverage QWK") || !strings.Contains(rows[1], "flagged under four-fifths") {
		t.Errorf("list rows %q", rows)
	}
	listPNG, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "evaluations.png", listPNG)
}
