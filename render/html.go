package render

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/candorhq/candor/evaluation"
)

//go:embed templates
var templateFS embed.FS

// EvalCSS is the stylesheet of the evaluation and audit pages (classes
// only); the web pages serve it as an asset, the standalone pages inline
// it under a hash-pinned Content-Security-Policy.
var EvalCSS = mustRead("templates/eval.css")

var pageCSS = mustRead("templates/page.css") + EvalCSS

func mustRead(name string) string {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return string(b)
}

var htmlTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"engine":     EngineName,
	"engineInfo": engineName,
	"columns":    columns,
	"figureRows": func() []figureRow { return figureRows },
	"rowDefined": rowDefined,
	"value": func(f *evaluation.Figure) string {
		if f == nil || !f.Defined() {
			return "—"
		}
		return fmt.Sprintf("%.3f", f.Value)
	},
	"interval": func(f *evaluation.Figure) string {
		if f == nil || f.CI == nil || math.IsNaN(f.CI.Low) {
			return ""
		}
		return fmt.Sprintf("[%.2f, %.2f]", f.CI.Low, f.CI.High)
	},
	"usage":       UsageLine,
	"ratersNames": RatersNames,
	"ratersLine":  RatersLine,
	"statuses":    func() []string { return evaluation.Statuses },
	"labels":      func() []string { return evaluation.Labels },
	"shade":       shade,
	"reliability": reliabilitySVG,
	"ece":         func(r *evaluation.Result) string { return fnum(r.ECE, "%.3f") },
	"topAreas": func(r *evaluation.Result) []evaluation.AreaAgreement {
		var out []evaluation.AreaAgreement
		for _, a := range r.Areas {
			if a.Agreement < 1 && len(out) < 12 {
				out = append(out, a)
			}
		}
		return out
	},
	"leaning":     leaning,
	"pct":         func(x float64) string { return fnum(100*x, "%.0f%%") },
	"f0":          func(x float64) string { return fnum(x, "%.0f") },
	"f2":          func(x float64) string { return fnum(x, "%.2f") },
	"f3":          func(x float64) string { return fnum(x, "%.3f") },
	"join":        func(s []string) string { return strings.Join(s, " ") },
	"join3":       func(s []string) string { return strings.Join(s, " × ") },
	"measures":    func() []string { return evaluation.Measures },
	"measureName": MeasureName,
	"fourFifths":  func() string { return fmt.Sprintf("%.2f", evaluation.FourFifths) },
	"ratio": func(g evaluation.GroupStats, m string) string {
		r, ok := g.ImpactRatios[m]
		if !ok {
			return "—"
		}
		return fnum(r, "%.2f")
	},
	"pval": func(g evaluation.GroupStats, m string) string {
		p, ok := g.PValues[m]
		if !ok || p >= 1 {
			return "—"
		}
		return fnum(p, "%.2g")
	},
}).ParseFS(templateFS, "templates/*.html"))

// shade buckets a matrix cell by its share of the largest cell, for the
// m0..m4 classes.
func shade(n int, m [3][3]int) string {
	top := 0
	for _, row := range m {
		for _, v := range row {
			top = max(top, v)
		}
	}
	if top == 0 || n == 0 {
		return "m0"
	}
	return fmt.Sprintf("m%d", min(4, 1+4*n/(top+1)))
}

// reliabilitySVG draws the reliability diagram: bins' mean confidence
// against their accuracy, dots sized by count, with the diagonal. Only
// numbers go into it, so it is safe as HTML.
func reliabilitySVG(r *evaluation.Result) template.HTML {
	// left is the plot's left margin: room for the tick labels beside
	// the rotated axis title.
	const size, pad, left = 260, 34, 44
	const width = size - pad + left
	plot := float64(size - 2*pad)
	x := func(v float64) float64 { return left + v*plot }
	y := func(v float64) float64 { return size - pad - v*plot }
	id := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(r.Engine.Name))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="rel-%s">`, width, size, width, size, id)
	fmt.Fprintf(&b, `<title id="rel-%s">Reliability diagram: confidence against the share of areas matching your labels</title>`, id)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.0f" height="%.0f" fill="#fafbfc" stroke="#d5dae0"/>`, left, pad, plot, plot)
	for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e3e7eb"/>`, x(t), y(0), x(t), y(1))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e3e7eb"/>`, x(0), y(t), x(1), y(t))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="10" text-anchor="middle" fill="#56606b">%.2g</text>`, x(t), size-pad+14, t)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="10" text-anchor="end" fill="#56606b">%.2g</text>`, left-4, y(t)+3, t)
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#56606b" stroke-dasharray="4 3"/>`, x(0), y(0), x(1), y(1))
	fmt.Fprintf(&b, `<text x="%.0f" y="%d" font-size="11" text-anchor="middle" fill="#1c2127">confidence</text>`, x(0.5), size-6)
	fmt.Fprintf(&b, `<text x="12" y="%d" font-size="11" text-anchor="middle" fill="#1c2127" transform="rotate(-90 12 %d)">matches your label</text>`, size/2, size/2)
	total := 0
	for _, bin := range r.Reliability {
		total += bin.Areas
	}
	var pts []string
	for _, bin := range r.Reliability {
		if bin.Areas == 0 {
			continue
		}
		rad := 3 + 9*math.Sqrt(float64(bin.Areas)/float64(max(1, total)))
		cx, cy := x(bin.Confidence), y(bin.Accuracy)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", cx, cy))
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="#1d4ed8" fill-opacity="0.75"><title>%.1f-%.1f: %d areas, confidence %.2f, %.0f%% matching</title></circle>`,
			cx, cy, rad, bin.Low, bin.High, bin.Areas, bin.Confidence, 100*bin.Accuracy)
	}
	if len(pts) > 1 {
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#1d4ed8" stroke-width="1.5"/>`, strings.Join(pts, " "))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers and fixed text only
}

// EvaluationFragment renders an evaluation's page body (for a page that
// has its own layout and links EvalCSS).
func EvaluationFragment(ev *evaluation.Evaluation) (template.HTML, error) {
	if len(ev.Results) == 0 {
		return "", fmt.Errorf("render: evaluation with no results")
	}
	return fragment("evaluation-body", ev)
}

// AuditFragment renders an audit's page body.
func AuditFragment(a *evaluation.AuditReport) (template.HTML, error) {
	return fragment("audit-body", a)
}

func fragment(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := htmlTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil //nolint:gosec // produced by html/template
}

// StyleHash is the CSP source of the standalone pages' inline stylesheet.
func StyleHash() string {
	sum := sha256.Sum256([]byte(pageCSS))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

func page(w io.Writer, title string, body template.HTML) error {
	return htmlTemplates.ExecuteTemplate(w, "page", map[string]any{
		"Title": title, "Body": body, "CSS": template.CSS(pageCSS), "StyleHash": StyleHash(), //nolint:gosec // our own stylesheet
	})
}

// EvaluationHTML writes an evaluation as a standalone HTML page: no
// external assets, no script, an inline stylesheet pinned by its hash in
// the page's Content-Security-Policy, an SVG reliability plot.
func EvaluationHTML(w io.Writer, ev *evaluation.Evaluation) error {
	body, err := EvaluationFragment(ev)
	if err != nil {
		return err
	}
	return page(w, "Evaluation of "+ev.Set, body)
}

// AuditHTML writes an audit as a standalone HTML page.
func AuditHTML(w io.Writer, a *evaluation.AuditReport) error {
	body, err := AuditFragment(a)
	if err != nil {
		return err
	}
	return page(w, "Audit of "+a.Set, body)
}
