package web_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserSlate drives headless Chromium through comparing candidates:
// five interviews on one guide analysed from the upload form, ticked on
// the reports list and named into a slate; the comparison page shows a
// column per candidate, each cell's quote on keyboard focus and on hover
// (Escape hides it), not asked apart from missing; ordering by
// specificity reorders the columns on the server; print styles; the CSV
// download in the order shown. Screenshots go to testdata/artifacts.
func TestBrowserSlate(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, envOpts{})
	err := chromedp.Do(ctx, append(signIn(e, "/"), chromedp.WaitVisible(chromedp.CSS(`#upload-form`)))...)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	var ids []string
	for _, tr := range slateTranscripts {
		file := fixturePath(t, filepath.Join("testdata/eval/transcripts", tr.file))
		err = chromedp.Do(ctx,
			chromedp.Navigate(e.ts.URL+"/"),
			chromedp.WaitVisible(chromedp.CSS(`#upload-form`)),
			chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}),
			chromedp.SetValue(chromedp.CSS(`#guide_id`), "cx-empathy"),
			chromedp.SendKeys(chromedp.CSS(`#candidate_name`), tr.name),
			chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`table.matrix`)),
		)
		if err != nil {
			t.Fatalf("analyse %s: %v", tr.file, err)
		}
		ids = append(ids, strings.TrimPrefix(location(t, ctx), e.ts.URL+"/reports/"))
	}

	// The list, filtered by guide: tick the five, name the slate.
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.ts.URL+"/reports?guide=cx-empathy"),
		chromedp.WaitVisible(chromedp.CSS(`#slate-form`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#pick-`+id))); err != nil {
			t.Fatalf("tick %s: %v", id, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#slate-name`), "CX lead shortlist")); err != nil {
		t.Fatal(err)
	}
	formPNG, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "slate-form.png", formPNG)
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#slate-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#slate-matrix`)),
	)
	if err != nil {
		t.Fatalf("make the slate: %v", err)
	}
	loc := location(t, ctx)
	if !strings.HasPrefix(loc, e.ts.URL+"/slates/sl_") {
		t.Fatalf("the slate opened at %s", loc)
	}
	v := e.apiSlate(acmeKey, strings.TrimPrefix(loc, e.ts.URL+"/slates/"))

	// The matrix: five columns in the order of the list (the form sends
	// the ticks in page order: newest first); not asked looks unlike
	// missing.
	listed := slices.Clone(ids)
	slices.Reverse(listed)
	type matrixView struct {
		Cols      []string
		Names     []string
		Questions int
		AreaRows  int
		Focusable int
		NotAsked  string
		Missing   string
		TipHidden bool
	}
	colsJS := `[...document.querySelectorAll('#slate-matrix th.cand')].map(th => th.dataset.report)`
	mv, err := chromedp.Run(ctx, chromedp.Evaluate[matrixView](`(() => {
		const bg = sel => { const el = document.querySelector(sel); return el ? getComputedStyle(el).backgroundColor + ' ' + el.innerText.trim() : ''; };
		const tip = document.querySelector('#slate-matrix .tip');
		return {
			Cols: `+colsJS+`,
			Names: [...document.querySelectorAll('#slate-matrix th.cand a')].map(a => a.innerText),
			Questions: document.querySelectorAll('#slate-matrix tbody[data-question]').length,
			AreaRows: document.querySelectorAll('#slate-matrix tr[data-area]').length,
			Focusable: document.querySelectorAll('#slate-matrix td.cell[tabindex="0"]').length,
			NotAsked: bg('.legend .st.not_asked'),
			Missing: bg('.legend .st.missing'),
			TipHidden: !!tip && getComputedStyle(tip).display === 'none',
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mv.Cols, listed) || len(mv.Names) != 5 || mv.Names[3] != "Tomasz Wójcik" {
		t.Errorf("columns %v (%v), want the five reports as listed %v", mv.Cols, mv.Names, listed)
	}
	if mv.Questions != 15 || mv.AreaRows == 0 || mv.Focusable == 0 {
		t.Errorf("%d questions, %d area rows, %d focusable cells", mv.Questions, mv.AreaRows, mv.Focusable)
	}
	bgOf := func(s string) string { return s[:strings.Index(s, ")")+1] }
	if !strings.HasPrefix(mv.NotAsked, "rgb") || !strings.HasPrefix(mv.Missing, "rgb") || bgOf(mv.NotAsked) == bgOf(mv.Missing) ||
		!strings.Contains(mv.NotAsked, "not asked") || !strings.Contains(mv.Missing, "missing") {
		t.Errorf("not asked (%q) and missing (%q) look alike", mv.NotAsked, mv.Missing)
	}
	if !mv.TipHidden {
		t.Error("a quote shows before any cell is focused")
	}

	// Keyboard: focus a cell, its quote shows, whole and on top; Tab to
	// the next; Escape hides it.
	quoteOf := func(tipID string) string {
		var qi, ai, ci int
		if _, err := fmt.Sscanf(tipID, "tip-%d-%d-%d", &qi, &ai, &ci); err != nil {
			t.Fatalf("tooltip id %q: %v", tipID, err)
		}
		return "“" + v.Matrix.Questions[qi-1].Areas[ai-1].Cells[ci-1].Quote + "”"
	}
	type tipView struct {
		ID, Text, Display string
		OnTop             bool
		InView            bool
		Cell              string
	}
	tipOfActive := func() tipView {
		tv, err := chromedp.Run(ctx, chromedp.Evaluate[tipView](`(() => {
			const c = document.activeElement;
			const id = c.getAttribute('aria-describedby') || '';
			const tip = id ? document.getElementById(id) : null;
			if (!tip) return {Cell: c.outerHTML.slice(0, 80)};
			const r = tip.getBoundingClientRect();
			const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
			return {ID: id, Text: tip.innerText, Display: getComputedStyle(tip).display,
				OnTop: !!hit && tip.contains(hit), InView: r.top >= 0 && r.left >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
				Cell: c.className};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return tv
	}
	first := `#slate-matrix td.cell[aria-describedby]`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('`+first+`').scrollIntoView({block: 'center'}), true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(first))); err != nil {
		t.Fatal(err)
	}
	tv := tipOfActive()
	if tv.ID == "" || tv.Display != "block" || tv.Text != quoteOf(tv.ID) || !tv.OnTop || !tv.InView {
		t.Errorf("focused cell %s: quote %q (%s, on top %v, in view %v), want %q", tv.Cell, tv.Text, tv.Display, tv.OnTop, tv.InView, quoteOf(tv.ID))
	}
	quotePNG, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "slate-quote.png", quotePNG)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	if next := tipOfActive(); next.ID == "" || next.ID == tv.ID || next.Display != "block" || next.Text != quoteOf(next.ID) {
		t.Errorf("after Tab: %+v", next)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	if gone := tipOfActive(); gone.Display != "none" {
		t.Errorf("after Escape the quote still shows: %+v", gone)
	}

	// Hover: the pointer on another cell shows its quote.
	type point struct {
		X, Y float64
		Tip  string
	}
	pt, err := chromedp.Run(ctx, chromedp.Evaluate[point](`(() => {
		const cells = [...document.querySelectorAll('#slate-matrix td.cell[aria-describedby]')];
		const c = cells[Math.floor(cells.length / 2)];
		c.scrollIntoView({block: 'center'});
		const r = c.getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2, Tip: c.getAttribute('aria-describedby')};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, pt.X, pt.Y),
		chromedp.WaitVisible(chromedp.CSS(`#`+pt.Tip)),
	)
	if err != nil {
		t.Fatalf("hover: %v", err)
	}
	if text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#`+pt.Tip))); err != nil || text != quoteOf(pt.Tip) {
		t.Errorf("hovered quote %q, want %q (%v)", text, quoteOf(pt.Tip), err)
	}
	hoverPNG, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "slate-hover.png", hoverPNG)
	err = chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 1, 1), chromedp.WaitNotVisible(chromedp.CSS(`#`+pt.Tip)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err != nil {
		t.Fatal(err)
	}
	slatePNG, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "slate.png", slatePNG)

	// Ordered by specificity: the server reorders the columns.
	want := bySpecificity(v)
	if slices.Equal(want, listed) {
		t.Fatal("the reports are already in order of specificity: the test would prove nothing")
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[data-sort="specificity"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[data-sort="specificity"][aria-current]`)),
	)
	if err != nil {
		t.Fatalf("order by specificity: %v", err)
	}
	sorted, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](colsJS))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sorted, want) {
		t.Errorf("by specificity: %v, want %v", sorted, want)
	}
	sortedPNG, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "slate-sorted.png", sortedPNG)

	// Printing: controls go, the matrix stays, no quote pops up.
	checkPrint(t, ctx, "slate", []string{"header.top", ".sorts", "#delete-slate"}, []string{"#slate-matrix"})

	// The CSV download, in the order shown, with the browser's cookie.
	href, _, recs := downloadCSV(t, ctx, e)
	if !strings.HasSuffix(href, "?sort=specificity") {
		t.Fatalf("CSV link %q: want the order shown", href)
	}
	names := map[string]string{}
	for _, c := range v.Matrix.Candidates {
		names[c.ReportID] = c.Name
	}
	var head []string
	for _, id := range want {
		head = append(head, names[id], names[id]+" quote")
	}
	if len(recs) != 1+15+15*8 || !slices.Equal(recs[0][2:], head) {
		t.Errorf("CSV: %d records, header %v, want %v", len(recs), recs[0], head)
	}

	// The list of slates.
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.ts.URL+"/slates"),
		chromedp.WaitVisible(chromedp.CSS(`#slates-list a[href="`+strings.TrimPrefix(loc, e.ts.URL)+`"]`)),
	)
	if err != nil {
		t.Fatalf("slates list: %v", err)
	}
	listPNG, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "slates.png", listPNG)
}
