// Package render writes reports for people: a terminal report, Markdown for
// pasting into an applicant tracking system, and CSV for spreadsheets. JSON
// needs no package: it is the report's own encoding.
package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/candorhq/candor/analyzer"
)

var statusMark = map[string]string{
	analyzer.StatusCovered: "[x]",
	analyzer.StatusPartial: "[~]",
	analyzer.StatusMissing: "[ ]",
}

// Text writes a readable terminal report: per question the label, the
// coverage of each area with its best quote, and the follow-ups.
func Text(w io.Writer, r *analyzer.Report) error {
	ew := &errWriter{w: w}
	ew.printf("Candor report %s\n", r.ID)
	ew.printf("Guide: %s (%s)   Engine: %s\n", r.Guide.Title, r.Guide.ID, engineName(r.Engine))
	if r.Candidate != "" {
		ew.printf("Candidate: %s\n", r.Candidate)
	}
	ew.printf("Answers: %d   Coverage: %.0f%%   Specificity: %.0f/100   (%d specific, %d mixed, %d rehearsed)\n",
		r.Summary.Answers, 100*r.Summary.Coverage, r.Summary.Specificity,
		r.Summary.Labels[analyzer.LabelSpecific], r.Summary.Labels[analyzer.LabelMixed], r.Summary.Labels[analyzer.LabelRehearsed])
	if len(r.Summary.NotAsked) > 0 {
		ew.printf("Not asked: %s\n", strings.Join(r.Summary.NotAsked, ", "))
	}
	ew.printf("%s\n", r.Disclaimer)
	for _, a := range r.Answers {
		ew.printf("\n%s  %s\n", a.QuestionID, a.Question)
		ew.printf("    %s, specificity %d/100, coverage %.0f%%, %d words; STAR %s\n", a.Delivery.Label, a.Delivery.Specificity,
			100*a.Coverage.Score, a.Words, starString(a.Delivery.STAR))
		for _, ar := range a.Coverage.Areas {
			ew.printf("    %s %d. %s\n", statusMark[ar.Status], ar.Index, ar.Text)
			for _, e := range ar.Evidence {
				ew.printf("          \"%s\"\n", clip(e.Quote, 140))
			}
		}
		if sig := signalSummary(a.Delivery.Signals); sig != "" {
			ew.printf("    Signals: %s\n", sig)
		}
		for _, f := range a.FollowUps {
			ew.printf("    Ask: %s\n", f)
		}
	}
	if len(r.Warnings) > 0 {
		ew.printf("\nWarnings:\n")
		for _, wr := range r.Warnings {
			q := ""
			if wr.QuestionID != "" {
				q = " (" + wr.QuestionID + ")"
			}
			ew.printf("  - %s%s: %s\n", wr.Code, q, wr.Message)
		}
	}
	return ew.err
}

// Markdown writes the report as Markdown.
func Markdown(w io.Writer, r *analyzer.Report) error {
	ew := &errWriter{w: w}
	ew.printf("# Interview report: %s\n\n", mdEscape(r.Guide.Title))
	if r.Candidate != "" {
		ew.printf("**Candidate:** %s  \n", mdEscape(r.Candidate))
	}
	ew.printf("**Engine:** %s  \n**Answers:** %d · **Coverage:** %.0f%% · **Specificity:** %.0f/100\n\n", mdEscape(engineName(r.Engine)),
		r.Summary.Answers, 100*r.Summary.Coverage, r.Summary.Specificity)
	ew.printf("> %s\n", r.Disclaimer)
	for _, a := range r.Answers {
		ew.printf("\n## %s. %s\n\n", mdEscape(a.QuestionID), mdEscape(a.Question))
		ew.printf("**%s** · specificity %d/100 · coverage %.0f%% · STAR %s\n\n", mdEscape(a.Delivery.Label), a.Delivery.Specificity,
			100*a.Coverage.Score, starString(a.Delivery.STAR))
		ew.printf("| # | Area | Status | Evidence |\n|---|---|---|---|\n")
		for _, ar := range a.Coverage.Areas {
			ev := make([]string, 0, len(ar.Evidence))
			for _, e := range ar.Evidence {
				ev = append(ev, "“"+mdEscape(clip(e.Quote, 160))+"”")
			}
			ew.printf("| %d | %s | %s %s | %s |\n", ar.Index, mdEscape(ar.Text), statusMark[ar.Status], mdEscape(ar.Status), strings.Join(ev, "<br>"))
		}
		if len(a.FollowUps) > 0 {
			ew.printf("\n**Follow-ups to ask:**\n\n")
			for _, f := range a.FollowUps {
				ew.printf("- %s\n", mdEscape(f))
			}
		}
	}
	if len(r.Warnings) > 0 {
		ew.printf("\n## Warnings\n\n")
		for _, wr := range r.Warnings {
			ew.printf("- `%s` %s %s\n", strings.ReplaceAll(wr.Code, "`", "'"), mdEscape(wr.QuestionID), mdEscape(wr.Message))
		}
	}
	return ew.err
}

// CSV writes one row per area of every answer, with the answer's delivery
// figures repeated, for spreadsheets.
func CSV(w io.Writer, r *analyzer.Report) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"report_id", "question_id", "question", "label", "specificity", "coverage", "area_index", "area", "status", "confidence", "evidence"})
	for _, a := range r.Answers {
		for _, ar := range a.Coverage.Areas {
			ev := make([]string, 0, len(ar.Evidence))
			for _, e := range ar.Evidence {
				ev = append(ev, e.Quote)
			}
			writeRow(cw, r.ID, a.QuestionID, a.Question, a.Delivery.Label, strconv.Itoa(a.Delivery.Specificity),
				strconv.FormatFloat(a.Coverage.Score, 'f', 3, 64), strconv.Itoa(ar.Index), ar.Text, ar.Status,
				strconv.FormatFloat(ar.Confidence, 'f', 2, 64), strings.Join(ev, " | "))
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeRow writes one CSV record with every cell through csvSafe: ids,
// labels and numbers as well as text, since any field of a report may come
// from input (a guide's question ids, say) or from a stored report older
// than today's validation.
func writeRow(cw *csv.Writer, cells ...string) {
	for i, c := range cells {
		cells[i] = csvSafe(c)
	}
	_ = cw.Write(cells)
}

// csvSafe defuses spreadsheet formula injection: a cell that starts with
// = + - @ (or a tab or carriage return) is prefixed with a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func engineName(e analyzer.EngineInfo) string {
	s := e.Name
	if e.Model != "" {
		s += " / " + e.Model
	}
	if e.PromptVersion != "" {
		s += " / " + e.PromptVersion
	}
	return s
}

func starString(s analyzer.STAR) string {
	b := []byte("S T A R")
	for i, on := range []bool{s.Situation, s.Task, s.Action, s.Result} {
		if !on {
			b[2*i] = '-'
		}
	}
	return string(b)
}

func signalSummary(sig []analyzer.Signal) string {
	counts := map[string]int{}
	var order []string
	for _, s := range sig {
		k := s.Kind
		if s.Polarity == analyzer.PolarityRehearsed {
			k = "-" + k
		} else {
			k = "+" + k
		}
		if counts[k] == 0 {
			order = append(order, k)
		}
		counts[k]++
	}
	parts := make([]string, 0, len(order))
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("%s×%d", k, counts[k]))
	}
	return strings.Join(parts, " ")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// mdReplacer makes any text inert inside a Markdown table cell, heading or
// list item: no line breaks (so no new block: "# Hired!"), no HTML, no
// emphasis, code, links or images; the backslash first, so that input
// cannot cancel an escape ("\\[x\\](javascript:...)").
var mdReplacer = strings.NewReplacer("\\", "\\\\", "|", "\\|", "\r\n", " ", "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "&", "&amp;",
	"*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[", "]", "\\]", "#", "\\#", "!", "\\!", "~", "\\~")

func mdEscape(s string) string { return mdReplacer.Replace(s) }

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}
