package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/candorhq/candor/analyzer"
)

// chromium finds a Chromium or Chrome binary: $CANDOR_CHROME, then the
// usual names on PATH.
func chromium() string {
	if p := os.Getenv("CANDOR_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts headless Chromium for one test. Without a binary it skips,
// except under CI, where a missing browser is a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin := chromium()
	if bin == "" {
		if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
			t.Fatal("CI is set but no Chromium binary was found (chromium, chromium-browser, google-chrome or $CANDOR_CHROME); .ci/apt-packages installs chromium")
		}
		t.Skip("no Chromium binary found (chromium, chromium-browser, google-chrome or $CANDOR_CHROME): browser tests skipped; apt-get install chromium to run them")
	}
	// Flags for a machine without network: no background traffic that
	// would flood refused connections, a fresh profile per test.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelCtx := chromedp.NewContext(actx)
	// The first call starts the browser, which lives as long as bctx;
	// the actions after it run under a deadline.
	if err := chromedp.Do(bctx); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	ctx, cancelTimeout := context.WithTimeout(bctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// artifact saves a screenshot under testdata/artifacts (gitignored).
func artifact(t *testing.T, name string, png []byte) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "artifacts"))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// signIn opens path, which asks for a key, and signs in with acme's;
// callers append what to wait for and do next.
func signIn(e *env, path string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(e.ts.URL + path),
		chromedp.WaitVisible(chromedp.CSS(`#key`)),
		chromedp.SendKeys(chromedp.CSS(`#key`), acmeKey),
		chromedp.Submit(chromedp.CSS(`#key`)),
	}
}

// downloadCSV fetches the page's CSV download (its a[data-format="csv"])
// with the browser's session cookie, as a download would, and returns the
// link, the cookie and the records.
func downloadCSV(t *testing.T, ctx context.Context, e *env) (string, *network.Cookie, [][]string) {
	t.Helper()
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`a[data-format="csv"]`), "href"))
	if err != nil || !href.Exists {
		t.Fatalf("CSV link: %v", err)
	}
	jar, err := chromedp.Run(ctx, chromedp.Action[network.GetCookiesResult](func(ctx context.Context, tg *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{})
	}))
	if err != nil {
		t.Fatal(err)
	}
	var session *network.Cookie
	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+href.Value, nil)
	for _, c := range jar.Cookies {
		if c.Name == "candor_session" {
			session = c
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		}
	}
	if session == nil {
		t.Fatal("the browser holds no session cookie")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	recs, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("CSV download %s: %d %v", href.Value, res.StatusCode, err)
	}
	return href.Value, session, recs
}

// location is the address the browser shows.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// shownReport is the id of the report the browser shows and the report as
// the API gives it.
func shownReport(t *testing.T, ctx context.Context, e *env) (string, *analyzer.Report) {
	t.Helper()
	loc := location(t, ctx)
	id := strings.TrimPrefix(strings.TrimPrefix(loc, e.ts.URL), "/reports/")
	rep, status := e.apiReport(acmeKey, id)
	if status != http.StatusOK {
		t.Fatalf("report %q from %s: %d", id, loc, status)
	}
	return id, rep
}

// checkPrint switches the page to print media and checks that the
// elements of hidden do not print and those of shown do; it saves the
// printed view (name-print.png) and the page as a PDF (name.pdf), then
// switches back to the screen.
func checkPrint(t *testing.T, ctx context.Context, name string, hidden, shown []string) {
	t.Helper()
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	if err := chromedp.Do(ctx, media("print")); err != nil {
		t.Fatal(err)
	}
	sels, _ := json.Marshal(append(slices.Clone(hidden), shown...))
	display, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](string(sels)+`.map(s => getComputedStyle(document.querySelector(s)).display)`))
	if err != nil || len(display) != len(hidden)+len(shown) {
		t.Fatalf("print styles of %v and %v: %v, %v", hidden, shown, display, err)
	}
	for i, d := range display {
		if i < len(hidden) && d != "none" {
			t.Errorf("print styles: %s prints (display %s)", hidden[i], d)
		}
		if i >= len(hidden) && d == "none" {
			t.Errorf("print styles: %s does not print", shown[i-len(hidden)])
		}
	}
	if _, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err != nil {
		t.Fatal(err)
	}
	printPNG, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, name+"-print.png", printPNG)
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("print to PDF: %v", err)
	}
	artifact(t, name+".pdf", pdf)
	if err := chromedp.Do(ctx, media("")); err != nil {
		t.Fatal(err)
	}
}

type matrixRow struct {
	Q     string   `json:"q"`
	Cells []string `json:"cells"`
}

// TestBrowserUploadToReport drives real headless Chromium against the real
// server: sign in, upload a Zoom transcript, follow the progress page to
// the report, check the matrix against the JSON report, select an area
// and see its quote highlighted, download the CSV.
func TestBrowserUploadToReport(t *testing.T) {
	ctx := browser(t)
	// A low async threshold sends the upload through a job, so the
	// progress page and its script run too.
	e := newEnv(t, envOpts{asyncThreshold: 1024})
	vtt := fixturePath(t, "testdata/eval/transcripts/t01_zoom.vtt")

	err := chromedp.Do(ctx, append(signIn(e, "/"),
		chromedp.WaitVisible(chromedp.CSS(`#upload-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{vtt}),
		chromedp.SetValue(chromedp.CSS(`#guide_id`), "cx-empathy"),
	)...)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	uploadPNG, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "upload.png", uploadPNG)
	// Through the progress page (its script polls the job) to the report.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.matrix`)),
	)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	id, rep := shownReport(t, ctx, e)

	// The matrix: a row per answered question, cells as in the JSON.
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]matrixRow](`[...document.querySelectorAll('table.matrix tr[data-answered="true"]')].map(tr => ({
		q: tr.dataset.question,
		cells: [...tr.querySelectorAll('td.c')].filter(td => td.className !== 'c').map(td => td.className.replace(/^c /, ''))
	}))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(rep.Answers) {
		t.Fatalf("matrix has %d answered rows, want %d", len(rows), len(rep.Answers))
	}
	byQ := map[string][]string{}
	for _, r := range rows {
		byQ[r.Q] = r.Cells
	}
	for _, a := range rep.Answers {
		var want []string
		for _, ar := range a.Coverage.Areas {
			want = append(want, ar.Status)
		}
		if got := byQ[a.QuestionID]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("matrix row %s: %v, want %v", a.QuestionID, got, want)
		}
	}

	checkDepthShown(t, ctx, *rep)

	// Select an area (by mouse, then a matrix cell by keyboard): its quote
	// is highlighted and focused.
	type focused struct{ ID, Text string }
	active := func() focused {
		f, err := chromedp.Run(ctx, chromedp.Evaluate[focused](`(() => {
			const m = document.activeElement;
			const id = m && m.tagName === 'MARK' ? m.id : '';
			const text = [...document.querySelectorAll('mark.active')].filter(x => x.id === id || x.dataset.span === id)
				.map(x => x.textContent).join('');
			return {ID: id, Text: text};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	clicked := false
	for i, a := range rep.Answers {
		for _, ar := range a.Coverage.Areas {
			if len(ar.Evidence) == 0 || clicked {
				continue
			}
			clicked = true
			sel := fmt.Sprintf(`#a%d-area%d a.area-link`, i+1, ar.Index)
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(`mark.active`))); err != nil {
				t.Fatalf("click %s: %v", sel, err)
			}
			if f := active(); f.ID == "" || f.Text != ar.Evidence[0].Quote {
				t.Errorf("after clicking %s: focused mark %q holds %q, want %q", sel, f.ID, f.Text, ar.Evidence[0].Quote)
			}
		}
	}
	if !clicked {
		t.Fatal("no area with evidence to click")
	}
	last := rep.Answers[len(rep.Answers)-1]
	cell := fmt.Sprintf(`tr[data-question="%s"] td.c a`, last.QuestionID)
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(cell)), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#a%d mark.active`, len(rep.Answers))))); err != nil {
		t.Fatalf("keyboard on a matrix cell: %v", err)
	}
	if f := active(); f.Text != last.Coverage.Areas[0].Evidence[0].Quote {
		t.Errorf("after Enter on the first cell of %s: %q, want %q", last.QuestionID, f.Text, last.Coverage.Areas[0].Evidence[0].Quote)
	}
	reportPNG, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "report.png", reportPNG)
	for name, sel := range map[string]string{"report-top.png": `main`, "report-answer.png": `#a1`} {
		var png []byte
		if sel == "main" {
			// The first screenful: header, summary, warnings, matrix.
			if _, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err == nil {
				png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
			}
		} else {
			png, err = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
		}
		if err != nil {
			t.Fatalf("screenshot %s: %v", sel, err)
		}
		artifact(t, name, png)
	}

	// Printing: the navigation and forms go, the evidence stays.
	checkPrint(t, ctx, "report", []string{"header.top", ".downloads"}, []string{"table.matrix", ".answer-text"})

	// The CSV download: its link, fetched with the browser's session cookie.
	_, session, recs := downloadCSV(t, ctx, e)
	if !session.HTTPOnly || session.SameSite != network.CookieSameSiteStrict {
		t.Errorf("session cookie: HttpOnly %v SameSite %v", session.HTTPOnly, session.SameSite)
	}
	areas := 0
	for _, a := range rep.Answers {
		areas += len(a.Coverage.Areas)
	}
	if len(recs) != areas+1 || recs[0][0] != "report_id" || recs[1][0] != id {
		t.Fatalf("CSV: %d records (want %d), first %v", len(recs), areas+1, recs[0])
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	row := 1
	for _, a := range rep.Answers {
		for _, ar := range a.Coverage.Areas {
			if recs[row][col["question_id"]] != a.QuestionID || recs[row][col["status"]] != ar.Status || recs[row][col["candidate"]] != rep.Candidate {
				t.Errorf("CSV row %d: %v, want %s %s %s", row, recs[row], rep.Candidate, a.QuestionID, ar.Status)
			}
			row++
		}
	}

	// The list, with the new report in it.
	if err := chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/reports"), chromedp.WaitVisible(chromedp.CSS(`a[href="/reports/`+id+`"]`))); err != nil {
		t.Fatalf("reports list: %v", err)
	}
	listPNG, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "reports.png", listPNG)
}

// checkDepthShown: every answer shows each of the guide's depth signals with
// its status, and its first quote, as in the report's JSON.
func checkDepthShown(t *testing.T, ctx context.Context, rep analyzer.Report) {
	t.Helper()
	type shownDepth struct{ ID, Status, Text, Quote string }
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[][]shownDepth](`[...document.querySelectorAll('article.answer')].map(a =>
		[...a.querySelectorAll('ul.depth li')].map(li => ({ID: li.dataset.depth, Status: li.dataset.status,
			Text: li.textContent, Quote: (li.querySelector('.dq') || {textContent: ''}).textContent})))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(shown) != len(rep.Answers) {
		t.Fatalf("%d answers on the page, %d in the report", len(shown), len(rep.Answers))
	}
	n := 0
	for i, a := range rep.Answers {
		if len(a.Delivery.Depth) == 0 {
			t.Errorf("%s: no depth verdicts in the report (cx-empathy has depth signals)", a.QuestionID)
		}
		if len(shown[i]) != len(a.Delivery.Depth) {
			t.Errorf("%s: %d depth signals shown, %d in the report", a.QuestionID, len(shown[i]), len(a.Delivery.Depth))
			continue
		}
		for j, d := range a.Delivery.Depth {
			got := shown[i][j]
			if got.ID != d.ID || got.Status != d.Status || !strings.Contains(got.Text, d.Text) || !strings.Contains(got.Text, d.Status) {
				t.Errorf("%s depth %d: shown %+v, want %s %s %q", a.QuestionID, j, got, d.ID, d.Status, d.Text)
			}
			if len(d.Evidence) > 0 && !strings.Contains(got.Quote, clipWords(d.Evidence[0].Quote)) {
				t.Errorf("%s depth %s: quote shown %q, want it to start %q", a.QuestionID, d.ID, got.Quote, clipWords(d.Evidence[0].Quote))
			}
			if d.Present {
				n++
			}
		}
	}
	t.Logf("depth signals shown: %d answers, %d verdicts present", len(rep.Answers), n)
}

// clipWords is the first five words of s (the page clips long quotes).
func clipWords(s string) string {
	w := strings.Fields(s)
	return strings.Join(w[:min(5, len(w))], " ")
}
