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
	"unicode"

	"github.com/candorhq/candor/analyzer"
)

var statusMark = map[string]string{
	analyzer.StatusCovered: "[x]",
	analyzer.StatusPartial: "[~]",
	analyzer.StatusMissing: "[ ]",
}

var depthMark = map[string]string{
	analyzer.DepthPresent: "[x]",
	analyzer.DepthPartial: "[~]",
	analyzer.DepthAbsent:  "[ ]",
}

// DepthStatus is a depth verdict's status, read from Present when the
// producer set no status.
func DepthStatus(d analyzer.DepthResult) string {
	switch d.Status {
	case analyzer.DepthPresent, analyzer.DepthPartial, analyzer.DepthAbsent:
		return d.Status
	}
	if d.Present {
		return analyzer.DepthPresent
	}
	return analyzer.DepthAbsent
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
	if m := meta(r); m != "" {
		ew.printf("%s\n", m)
	}
	if src := SourceLine(r); src != "" {
		ew.printf("Source: %s\n", src)
	}
	ew.printf("Answers: %d   Coverage: %.0f%%   Specificity: %.0f/100   (%d specific, %d mixed, %d rehearsed)\n",
		r.Summary.Answers, 100*r.Summary.Coverage, r.Summary.Specificity,
		r.Summary.Labels[analyzer.LabelSpecific], r.Summary.Labels[analyzer.LabelMixed], r.Summary.Labels[analyzer.LabelRehearsed])
	if len(r.Summary.NotAsked) > 0 {
		ew.printf("Not asked: %s\n", strings.Join(r.Summary.NotAsked, ", "))
	}
	ew.printf("%s\n", r.Disclaimer)
	if nothingAligned(r) {
		ew.printf("\n!! Nothing in this interview was recognised as an answer to this guide's questions: no findings.\n")
	}
	for _, a := range r.Answers {
		ew.printf("\n%s  %s\n", a.QuestionID, a.Question)
		ew.printf("    %s%s, specificity %d/100, coverage %.0f%%, %d words; STAR %s\n", a.Delivery.Label, borderlineNote(a.Delivery),
			a.Delivery.Specificity, 100*a.Coverage.Score, a.Words, starString(a.Delivery.STAR))
		for _, ar := range a.Coverage.Areas {
			ew.printf("    %s %d. %s\n", statusMark[ar.Status], ar.Index, ar.Text)
			for _, e := range ar.Evidence {
				ew.printf("          \"%s\"%s\n", clip(e.Quote, 140), tentativeMark(e))
			}
		}
		if len(a.Delivery.Depth) > 0 {
			ew.printf("    Depth signals:\n")
			for _, d := range a.Delivery.Depth {
				st := DepthStatus(d)
				ew.printf("    %s %s (%s)\n", depthMark[st], d.Text, st)
				for _, e := range d.Evidence {
					ew.printf("          \"%s\"%s\n", clip(e.Quote, 140), tentativeMark(e))
				}
			}
		}
		if ep := a.Delivery.Episode; ep != nil {
			ew.printf("    Episode: \"%s\"\n", clip(ep.Quote, 140))
		}
		if len(a.Delivery.Reasons) > 0 {
			ew.printf("    Why: %s\n", strings.Join(a.Delivery.Reasons, "; "))
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
	if m := meta(r); m != "" {
		ew.printf("%s  \n", mdEscape(m))
	}
	if r.Source != nil {
		file, rest := sourceParts(r.Source)
		if file != "" {
			file = "`" + strings.ReplaceAll(file, "`", "'") + "` "
		}
		ew.printf("**Source:** %s%s  \n", file, mdEscape(rest))
	}
	ew.printf("**Report:** `%s`  \n", r.ID)
	ew.printf("**Engine:** %s  \n**Answers:** %d · **Coverage:** %.0f%% · **Specificity:** %.0f/100\n\n", mdEscape(engineName(r.Engine)),
		r.Summary.Answers, 100*r.Summary.Coverage, r.Summary.Specificity)
	ew.printf("> %s\n", r.Disclaimer)
	if nothingAligned(r) {
		ew.printf("\n> **Warning:** nothing in this interview was recognised as an answer to this guide's questions: no findings.\n")
	}
	for _, a := range r.Answers {
		ew.printf("\n## %s. %s\n\n", mdEscape(a.QuestionID), mdEscape(a.Question))
		ew.printf("**%s**%s · specificity %d/100 · coverage %.0f%% · STAR %s\n\n", mdEscape(a.Delivery.Label), mdEscape(borderlineNote(a.Delivery)),
			a.Delivery.Specificity, 100*a.Coverage.Score, starString(a.Delivery.STAR))
		ew.printf("| # | Area | Status | Evidence |\n|---|---|---|---|\n")
		for _, ar := range a.Coverage.Areas {
			ev := make([]string, 0, len(ar.Evidence))
			for _, e := range ar.Evidence {
				ev = append(ev, "“"+mdEscape(clip(e.Quote, 160))+"”"+tentativeMark(e))
			}
			ew.printf("| %d | %s | %s %s | %s |\n", ar.Index, mdEscape(ar.Text), statusMark[ar.Status], mdEscape(ar.Status), strings.Join(ev, "<br>"))
		}
		if len(a.Delivery.Depth) > 0 {
			ew.printf("\n| Depth | Signal | Status | Evidence |\n|---|---|---|---|\n")
			for _, d := range a.Delivery.Depth {
				ev := make([]string, 0, len(d.Evidence))
				for _, e := range d.Evidence {
					ev = append(ev, "“"+mdEscape(clip(e.Quote, 160))+"”"+tentativeMark(e))
				}
				st := DepthStatus(d)
				ew.printf("| %s | %s | %s %s | %s |\n", mdEscape(d.ID), mdEscape(d.Text), depthMark[st], st, strings.Join(ev, "<br>"))
			}
		}
		if ep := a.Delivery.Episode; ep != nil {
			ew.printf("\n**Episode told:** “%s”\n", mdEscape(clip(ep.Quote, 240)))
		}
		if len(a.Delivery.Reasons) > 0 {
			ew.printf("\n**Why %s:** %s\n", mdEscape(a.Delivery.Label), mdEscape(strings.Join(a.Delivery.Reasons, "; ")))
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

// CSVHeader is the header row of CSV: who and what the report is about,
// then one row per area of every answer, with the answer's delivery figures
// repeated, for spreadsheets.
var CSVHeader = []string{"report_id", "candidate", "role", "interview_date", "interviewers", "source", "guide_id",
	"question_id", "question", "label", "specificity", "coverage", "area_index", "area", "status", "confidence", "evidence"}

// CSV writes the report as CSV with its header row.
func CSV(w io.Writer, r *analyzer.Report) error { return CSVRows(w, r, true) }

// CSVRows writes the report's CSV rows, after the header row when header is
// set: a batch writes the header once, then the rows of every report.
func CSVRows(w io.Writer, r *analyzer.Report, header bool) error {
	cw := csv.NewWriter(w)
	if header {
		_ = cw.Write(CSVHeader)
	}
	src := ""
	if r.Source != nil {
		src = r.Source.File
	}
	who := []string{r.ID, r.Candidate, r.Role, r.InterviewDate, strings.Join(r.Interviewers, "; "), src, r.Guide.ID}
	for _, a := range r.Answers {
		for _, ar := range a.Coverage.Areas {
			ev := make([]string, 0, len(ar.Evidence))
			for _, e := range ar.Evidence {
				ev = append(ev, e.Quote)
			}
			writeRow(cw, append(append([]string{}, who...), a.QuestionID, a.Question, a.Delivery.Label, strconv.Itoa(a.Delivery.Specificity),
				strconv.FormatFloat(a.Coverage.Score, 'f', 3, 64), strconv.Itoa(ar.Index), ar.Text, ar.Status,
				strconv.FormatFloat(ar.Confidence, 'f', 2, 64), strings.Join(ev, " | "))...)
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

// SourceLine says what a report was made from: the file, the document kind
// and transcript format, the speakers.
func SourceLine(r *analyzer.Report) string {
	if r.Source == nil {
		return ""
	}
	file, rest := sourceParts(r.Source)
	return strings.TrimSpace(file + " " + rest)
}

// sourceParts are the file name and the rest of the source line.
func sourceParts(src *analyzer.SourceInfo) (file, rest string) {
	var parts []string
	kind := src.Format
	if src.Document != "" {
		kind = src.Document + ", " + kind
	}
	if kind != "" {
		parts = append(parts, "("+kind+")")
	}
	if len(src.Interviewer) > 0 {
		parts = append(parts, "interviewer "+strings.Join(src.Interviewer, ", "))
	}
	if src.Candidate != "" {
		parts = append(parts, "candidate speaker "+src.Candidate)
	}
	return src.File, strings.Join(parts, " ")
}

// meta is the line of the report's own fields: role, date, interviewers.
func meta(r *analyzer.Report) string {
	var parts []string
	if r.Role != "" {
		parts = append(parts, "Role: "+r.Role)
	}
	if r.InterviewDate != "" {
		parts = append(parts, "Interviewed: "+r.InterviewDate)
	}
	if len(r.Interviewers) > 0 {
		parts = append(parts, "Interviewers: "+strings.Join(r.Interviewers, ", "))
	}
	return strings.Join(parts, "   ")
}

func nothingAligned(r *analyzer.Report) bool {
	for _, w := range r.Warnings {
		if w.Code == analyzer.WarnNothingAligned {
			return true
		}
	}
	return false
}

// FileName is the name a downloaded report goes by: the candidate and the
// day of the interview (or, without one, of the report), then ext:
// "sofia-ruiz_2026-03-02.csv". Without a candidate, the report id stands in.
func FileName(r *analyzer.Report, ext string) string {
	name := slug(r.Candidate)
	if name == "" {
		name = slug(r.ID)
	}
	day := r.InterviewDate
	if day == "" && r.CreatedAt != nil {
		day = r.CreatedAt.UTC().Format("2006-01-02")
	}
	if d := slug(day); d != "" {
		name += "_" + d
	}
	return name + "." + ext
}

// slug keeps letters (any script) and digits, joining words with "-".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	out := b.String()
	if r := []rune(out); len(r) > 60 {
		out = string(r[:60])
	}
	return out
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

// tentativeMark follows a quote the engine does not stand behind: the
// nearest sentence it found for the area, below the probability from which
// its held-out quotes were right 85% of the time.
func tentativeMark(e analyzer.Span) string {
	if e.Tentative {
		return " (tentative)"
	}
	return ""
}

// borderlineNote marks a label the engine is not sure of
// (analyzer.Delivery.Borderline): " (borderline: may read as mixed; labels
// this close matched the labellers' 58% of the time)", or nothing.
func borderlineNote(d analyzer.Delivery) string {
	if !d.Borderline() {
		return ""
	}
	return fmt.Sprintf(" (borderline: may read as %s; labels this close matched the labellers' %.0f%% of the time)", d.NearLabel, 100*d.LabelConfidence)
}
