package render

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/candorhq/candor/evaluation"
)

// figureRow names one line of the figures table and how to read it.
type figureRow struct {
	Name string
	Get  func(f *evaluation.Figures) *evaluation.Figure
}

var figureRows = []figureRow{
	{"coverage QWK", func(f *evaluation.Figures) *evaluation.Figure { return &f.CoverageQWK }},
	{"coverage accuracy", func(f *evaluation.Figures) *evaluation.Figure { return &f.CoverageAccuracy }},
	{"label accuracy", func(f *evaluation.Figures) *evaluation.Figure { return &f.LabelAccuracy }},
	{"label macro F1", func(f *evaluation.Figures) *evaluation.Figure { return &f.LabelMacroF1 }},
	{"specificity Spearman", func(f *evaluation.Figures) *evaluation.Figure { return &f.SpecificitySpearman }},
	{"specific vs rehearsed AUC", func(f *evaluation.Figures) *evaluation.Figure { return &f.AUC }},
	{"STAR accuracy", func(f *evaluation.Figures) *evaluation.Figure { return &f.STARAccuracy }},
	{"evidence precision", func(f *evaluation.Figures) *evaluation.Figure { return &f.EvidencePrecision }},
	{"evidence recall", func(f *evaluation.Figures) *evaluation.Figure { return &f.EvidenceRecall }},
	{"evidence precision, sure", func(f *evaluation.Figures) *evaluation.Figure { return &f.EvidencePrecisionSure }},
	{"question alignment F1", func(f *evaluation.Figures) *evaluation.Figure { return f.SegmentF1 }},
}

// figureColumns are the parts of a set the figures are given for.
type figureColumn struct {
	Name string
	F    *evaluation.Figures
}

func columns(r *evaluation.Result) []figureColumn {
	var cols []figureColumn
	if r.AnswersFile != nil {
		cols = append(cols, figureColumn{"answers file", r.AnswersFile})
	}
	if r.Transcripts != nil {
		cols = append(cols, figureColumn{"transcripts", r.Transcripts})
	}
	if len(cols) > 1 {
		cols = append(cols, figureColumn{"all", &r.All})
	}
	return cols
}

// fig formats a figure with its interval: "0.602 [0.48, 0.71]", or "—".
func fig(f *evaluation.Figure) string {
	if f == nil || !f.Defined() {
		return "—"
	}
	s := fmt.Sprintf("%.3f", f.Value)
	if f.CI != nil && !math.IsNaN(f.CI.Low) {
		s += fmt.Sprintf(" [%.2f, %.2f]", f.CI.Low, f.CI.High)
	}
	return s
}

func fnum(x float64, format string) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	return fmt.Sprintf(format, x)
}

// rowDefined reports whether any column has the figure.
func rowDefined(row figureRow, cols []figureColumn) bool {
	for _, c := range cols {
		if f := row.Get(c.F); f != nil && f.Defined() {
			return true
		}
	}
	return false
}

// RatersNames names the two label sets compared.
func RatersNames(a *evaluation.Agreement) string { return a.A + " and " + a.B }

// RatersLine describes two raters' agreement with each other.
func RatersLine(a *evaluation.Agreement) string {
	return fmt.Sprintf("on %d answers: coverage QWK %s (%s of areas the same), labels %s the same (kappa %s), specificity Spearman %s",
		a.Answers, fnum(a.CoverageQWK, "%.3f"), fnum(100*a.CoverageAgreement, "%.0f%%"), fnum(100*a.LabelAgreement, "%.0f%%"),
		fnum(a.LabelKappa, "%.2f"), fnum(a.SpecificitySpearman, "%.3f"))
}

// EngineName names a result's engine with its model.
func EngineName(r *evaluation.Result) string { return engineName(r.Engine) }

// UsageLine describes model calls, tokens, cost and cache hits; "" for
// the embedded engine.
func UsageLine(r *evaluation.Result) string {
	if r.Usage.Calls == 0 && r.Cached == 0 {
		return ""
	}
	s := fmt.Sprintf("%d model calls, %d prompt + %d completion tokens", r.Usage.Calls, r.Usage.PromptTokens, r.Usage.CompletionTokens)
	switch {
	case r.Cost != nil && r.Cost.USD != nil:
		s += fmt.Sprintf(", about $%.4f (%s at $%.2f/$%.2f per million tokens, list prices of %s)", *r.Cost.USD, r.Cost.Model, r.Cost.Price.Input, r.Cost.Price.Output, evaluation.PricesAsOf)
	case r.Cost != nil:
		s += "; cost unknown: " + r.Cost.Note
	}
	if r.Cached > 0 {
		s += fmt.Sprintf("; %d of %d answers from the cache (no call)", r.Cached, r.Analysed)
	}
	if r.Fallbacks > 0 {
		s += fmt.Sprintf("; %d answers fell back to the embedded engine", r.Fallbacks)
	}
	return s
}

// leaning says which way the engine reads an area compared with the labels.
func leaning(a evaluation.AreaAgreement) string {
	switch d := a.Mean - a.GoldMean; {
	case d > 0.1:
		return "engine reads it as more covered"
	case d < -0.1:
		return "engine reads it as less covered"
	}
	return "disagreements both ways"
}

// EvaluationText writes an evaluation for the terminal.
func EvaluationText(w io.Writer, ev *evaluation.Evaluation) error {
	ew := &errWriter{w: w}
	ew.printf("Candor evaluation of %s against guide %s (%s)\n", ev.Set, ev.Guide.Title, ev.Guide.ID)
	if len(ev.Results) > 0 {
		c := ev.Results[0].Counts
		ew.printf("%d answers, %d transcripts (%d gold segments); %d area labels, %d answer labels\n", c.Answers, c.Transcripts, c.Segments, c.AreaLabels, c.Labels)
		if b := ev.Results[0].Bootstrap; b > 0 {
			ew.printf("[low, high] is the 95%% bootstrap interval (%d resamples of answers and transcripts, seed %d).\n", b, ev.Results[0].Seed)
		}
	}
	ew.printf("%s\n", ev.Disclaimer)
	if ev.Raters != nil {
		ew.printf("\nYour two raters (%s)\n  %s\n", RatersNames(ev.Raters), RatersLine(ev.Raters))
	}
	for _, r := range ev.Results {
		ew.printf("\n== %s\n", EngineName(r))
		cols := columns(r)
		ew.printf("  %-27s", "")
		for _, c := range cols {
			ew.printf("%-24s", c.Name)
		}
		ew.printf("\n")
		for _, row := range figureRows {
			if !rowDefined(row, cols) {
				continue
			}
			ew.printf("  %-27s", row.Name)
			for _, c := range cols {
				ew.printf("%-24s", fig(row.Get(c.F)))
			}
			ew.printf("\n")
		}
		if u := UsageLine(r); u != "" {
			ew.printf("  Usage: %s\n", u)
		}
		ew.printf("\n  Area statuses (rows: your labels, columns: engine)\n  %-10s %8s %8s %8s\n", "", "missing", "partial", "covered")
		for i, s := range evaluation.Statuses {
			m := r.CoverageConfusion[i]
			ew.printf("  %-10s %8d %8d %8d\n", s, m[0], m[1], m[2])
		}
		ew.printf("\n  Labels (rows: your labels, columns: engine)\n  %-10s %9s %9s %9s\n", "", "specific", "mixed", "rehearsed")
		for i, l := range evaluation.Labels {
			m := r.LabelConfusion[i]
			ew.printf("  %-10s %9d %9d %9d\n", l, m[0], m[1], m[2])
		}
		if len(r.Areas) > 0 {
			ew.printf("\n  Areas read most differently from your labels\n")
			for _, a := range r.Areas[:min(8, len(r.Areas))] {
				if a.Agreement == 1 {
					break
				}
				ew.printf("  %-4s area %d  %3.0f%% of %d agree; %s: %s\n", a.QuestionID, a.Area, 100*a.Agreement, a.Answers, leaning(a), clip(a.Text, 70))
			}
		}
		if len(r.Questions) > 0 {
			ew.printf("\n  Per question      answers  areas agree  label agree  coverage: yours / engine\n")
			for _, q := range r.Questions {
				ew.printf("  %-17s %7d  %11s  %11s  %s / %s\n", q.QuestionID, q.Answers, fnum(100*q.CoverageAccuracy, "%.0f%%"), fnum(100*q.LabelAccuracy, "%.0f%%"),
					fnum(100*q.GoldCoverage, "%.0f%%"), fnum(100*q.Coverage, "%.0f%%"))
			}
		}
		ew.printf("\n  Reliability of the area confidence (expected calibration error %s)\n  confidence   areas  mean confidence  share matching your label\n", fnum(r.ECE, "%.3f"))
		for _, b := range r.Reliability {
			if b.Areas == 0 {
				continue
			}
			ew.printf("  %.1f-%.1f    %6d  %15.2f  %25.2f\n", b.Low, b.High, b.Areas, b.Confidence, b.Accuracy)
		}
		for _, s := range r.Segmentation {
			if s.FP+s.FN > 0 {
				ew.printf("  %s: questions found %s, labelled %s\n", s.Transcript, strings.Join(s.Found, " "), strings.Join(s.Gold, " "))
			}
		}
		for _, f := range r.Failures {
			ew.printf("  failed: %s: %s\n", f.ID, f.Reason)
		}
	}
	if len(ev.Agreement) > 0 {
		ew.printf("\nEngines against each other\n")
		for _, a := range ev.Agreement {
			ew.printf("  %s vs %s on %d answers: coverage QWK %s (%s of areas the same), labels %s the same (kappa %s), specificity Spearman %s, mean gap %s points\n",
				a.A, a.B, a.Answers, fnum(a.CoverageQWK, "%.3f"), fnum(100*a.CoverageAgreement, "%.0f%%"), fnum(100*a.LabelAgreement, "%.0f%%"),
				fnum(a.LabelKappa, "%.2f"), fnum(a.SpecificitySpearman, "%.3f"), fnum(a.SpecificityMeanGap, "%.1f"))
		}
	}
	return ew.err
}

// EvaluationMarkdown writes an evaluation as Markdown.
func EvaluationMarkdown(w io.Writer, ev *evaluation.Evaluation) error {
	ew := &errWriter{w: w}
	ew.printf("# Candor evaluation: %s\n\nGuide: %s (`%s`). %s\n", mdEscape(ev.Set), mdEscape(ev.Guide.Title), ev.Guide.ID, ev.Disclaimer)
	if ev.Raters != nil {
		ew.printf("\n**Your two raters** (%s): %s\n", mdEscape(RatersNames(ev.Raters)), RatersLine(ev.Raters))
	}
	for _, r := range ev.Results {
		c := r.Counts
		ew.printf("\n## %s\n\n%d answers, %d transcripts (%d gold segments). Intervals: 95%% bootstrap, %d resamples, seed %d.\n\n", EngineName(r), c.Answers, c.Transcripts, c.Segments, r.Bootstrap, r.Seed)
		cols := columns(r)
		ew.printf("| figure |")
		for _, col := range cols {
			ew.printf(" %s |", col.Name)
		}
		ew.printf("\n|---|%s\n", strings.Repeat("---|", len(cols)))
		for _, row := range figureRows {
			if !rowDefined(row, cols) {
				continue
			}
			ew.printf("| %s |", row.Name)
			for _, col := range cols {
				ew.printf(" %s |", fig(row.Get(col.F)))
			}
			ew.printf("\n")
		}
		if u := UsageLine(r); u != "" {
			ew.printf("\nUsage: %s\n", u)
		}
		ew.printf("\n### Area statuses\n\nRows: your labels; columns: the engine.\n\n| | missing | partial | covered |\n|---|---|---|---|\n")
		for i, s := range evaluation.Statuses {
			m := r.CoverageConfusion[i]
			ew.printf("| %s | %d | %d | %d |\n", s, m[0], m[1], m[2])
		}
		ew.printf("\n### Labels\n\n| | specific | mixed | rehearsed |\n|---|---|---|---|\n")
		for i, l := range evaluation.Labels {
			m := r.LabelConfusion[i]
			ew.printf("| %s | %d | %d | %d |\n", l, m[0], m[1], m[2])
		}
		ew.printf("\n### Areas read most differently\n\n| question | area | agree | answers | reading | area text |\n|---|---|---|---|---|---|\n")
		for _, a := range r.Areas[:min(10, len(r.Areas))] {
			ew.printf("| %s | %d | %.0f%% | %d | %s | %s |\n", a.QuestionID, a.Area, 100*a.Agreement, a.Answers, leaning(a), mdEscape(a.Text))
		}
		ew.printf("\n### Per question\n\n| question | answers | areas agree | label agree | coverage (yours / engine) |\n|---|---|---|---|---|\n")
		for _, q := range r.Questions {
			ew.printf("| %s | %d | %s | %s | %s / %s |\n", q.QuestionID, q.Answers, fnum(100*q.CoverageAccuracy, "%.0f%%"), fnum(100*q.LabelAccuracy, "%.0f%%"), fnum(100*q.GoldCoverage, "%.0f%%"), fnum(100*q.Coverage, "%.0f%%"))
		}
		ew.printf("\n### Reliability of the area confidence\n\nExpected calibration error %s.\n\n| confidence | areas | mean confidence | share matching your label |\n|---|---|---|---|\n", fnum(r.ECE, "%.3f"))
		for _, b := range r.Reliability {
			if b.Areas > 0 {
				ew.printf("| %.1f-%.1f | %d | %.2f | %.2f |\n", b.Low, b.High, b.Areas, b.Confidence, b.Accuracy)
			}
		}
		if len(r.Failures) > 0 {
			ew.printf("\n### Failures\n\n")
			for _, f := range r.Failures {
				ew.printf("- %s: %s\n", mdEscape(f.ID), mdEscape(f.Reason))
			}
		}
	}
	if len(ev.Agreement) > 0 {
		ew.printf("\n## Engines against each other\n\n| engines | answers | coverage QWK | areas the same | labels the same | label kappa | specificity Spearman |\n|---|---|---|---|---|---|---|\n")
		for _, a := range ev.Agreement {
			ew.printf("| %s vs %s | %d | %s | %s | %s | %s | %s |\n", a.A, a.B, a.Answers, fnum(a.CoverageQWK, "%.3f"), fnum(100*a.CoverageAgreement, "%.0f%%"),
				fnum(100*a.LabelAgreement, "%.0f%%"), fnum(a.LabelKappa, "%.2f"), fnum(a.SpecificitySpearman, "%.3f"))
		}
	}
	return ew.err
}

var measureNames = map[string]string{
	evaluation.MeasureSpecific:    "specific labels",
	evaluation.MeasureSpecificity: "specificity above the median",
	evaluation.MeasureCoverage:    "coverage above the median",
}

// MeasureName describes an audit measure.
func MeasureName(m string) string { return measureNames[m] }

// AuditText writes an audit for the terminal.
func AuditText(w io.Writer, a *evaluation.AuditReport) error {
	ew := &errWriter{w: w}
	ew.printf("Candor audit of %s against guide %s (%s), engine %s\n", a.Set, a.Guide.Title, a.Guide.ID, engineName(a.Engine))
	ew.printf("%d answers, %d with group fields. Groups under %d answers are shown but not compared. Medians: specificity %s, coverage %s.\n",
		a.Answers, a.Grouped, a.MinGroupSize, fnum(a.MedianSpecificity, "%.0f"), fnum(a.MedianCoverage, "%.2f"))
	ew.printf("%s\n", a.Disclaimer)
	for _, t := range a.Tables {
		ew.printf("\n== %s\n", strings.Join(t.Fields, " × "))
		ew.printf("  %-26s %7s  %-22s %-22s %-22s\n", "group", "answers", "specific (ratio, p)", "spec > median", "coverage > median")
		for _, g := range t.Groups {
			cells := make([]string, len(evaluation.Measures))
			for i, m := range evaluation.Measures {
				cells[i] = auditCell(g, m)
			}
			note := ""
			if g.TooSmall {
				note = "  too small to compare"
			}
			if len(g.Flags) > 0 {
				note = "  FLAG: under four-fifths"
			}
			ew.printf("  %-26s %7d  %-22s %-22s %-22s%s\n", clip(g.Group, 26), g.Answers, cells[0], cells[1], cells[2], note)
		}
	}
	if len(a.Flagged) > 0 {
		ew.printf("\nFlagged (impact ratio under %.2f):\n", evaluation.FourFifths)
		for _, f := range a.Flagged {
			ew.printf("  %s\n", f)
		}
	} else if len(a.Tables) > 0 {
		ew.printf("\nNo group is under four-fifths of the highest group's rate.\n")
	} else {
		ew.printf("\nThe set has no group fields: only the swap test applies.\n")
	}
	if a.Swap != nil {
		swapText(ew, a.Swap)
	}
	for _, f := range a.Failures {
		ew.printf("failed: %s: %s\n", f.ID, f.Reason)
	}
	return ew.err
}

// auditCell is "63% (0.75, p 0.41)".
func auditCell(g evaluation.GroupStats, m string) string {
	s := fnum(100*g.Rates[m], "%.0f%%")
	if r, ok := g.ImpactRatios[m]; ok {
		s += " (" + fnum(r, "%.2f")
		if p, ok := g.PValues[m]; ok && p < 1 {
			s += ", p " + fnum(p, "%.2g")
		}
		s += ")"
	}
	return s
}

func swapText(ew *errWriter, s *evaluation.SwapReport) {
	ew.printf("\nCounterfactual swap test: %d answers, %d with a name, pronoun or spelling to swap, %d variants\n", s.Answers, s.Swapped, s.Variants)
	ew.printf("  %d label flips; largest specificity shift %d points (reported above %d)\n", s.Flips, s.MaxShift, s.Tolerance)
	for _, k := range s.Kinds {
		ew.printf("  %-9s %3d answers %4d variants: %d flips, max shift %d, mean shift %.2f, %d area statuses changed\n", k.Kind, k.Answers, k.Variants, k.Flips, k.MaxShift, k.MeanShift, k.AreaChanges)
	}
	for _, c := range s.Cases {
		ew.printf("  %s (%s) %s -> %s: %s -> %s, specificity %d -> %d\n", c.ID, c.QuestionID, c.Kind, c.To, c.Label, c.VariantLabel, c.Specificity, c.VariantSpecificity)
	}
}

// AuditMarkdown writes an audit as Markdown.
func AuditMarkdown(w io.Writer, a *evaluation.AuditReport) error {
	ew := &errWriter{w: w}
	ew.printf("# Candor audit: %s\n\nGuide: %s (`%s`); engine: %s. %d answers, %d with group fields; groups under %d answers are shown but not compared.\n\n%s\n",
		mdEscape(a.Set), mdEscape(a.Guide.Title), a.Guide.ID, engineName(a.Engine), a.Answers, a.Grouped, a.MinGroupSize, a.Disclaimer)
	for _, t := range a.Tables {
		ew.printf("\n## %s\n\n| group | answers | specific (ratio, p) | specificity above median | coverage above median | note |\n|---|---|---|---|---|---|\n", mdEscape(strings.Join(t.Fields, " × ")))
		for _, g := range t.Groups {
			note := ""
			if g.TooSmall {
				note = "too small to compare"
			}
			if len(g.Flags) > 0 {
				note = "**under four-fifths**"
			}
			ew.printf("| %s | %d | %s | %s | %s | %s |\n", mdEscape(g.Group), g.Answers, auditCell(g, evaluation.MeasureSpecific), auditCell(g, evaluation.MeasureSpecificity), auditCell(g, evaluation.MeasureCoverage), note)
		}
	}
	if len(a.Flagged) > 0 {
		ew.printf("\n## Flagged\n\n")
		for _, f := range a.Flagged {
			ew.printf("- %s\n", mdEscape(f))
		}
	}
	if s := a.Swap; s != nil {
		ew.printf("\n## Counterfactual swap test\n\n%d answers, %d with something to swap, %d variants: **%d label flips**, largest specificity shift **%d** (reported above %d).\n\n| swap | answers | variants | flips | max shift | mean shift | area changes |\n|---|---|---|---|---|---|---|\n",
			s.Answers, s.Swapped, s.Variants, s.Flips, s.MaxShift, s.Tolerance)
		for _, k := range s.Kinds {
			ew.printf("| %s | %d | %d | %d | %d | %.2f | %d |\n", k.Kind, k.Answers, k.Variants, k.Flips, k.MaxShift, k.MeanShift, k.AreaChanges)
		}
		for _, c := range s.Cases {
			ew.printf("- %s (%s) %s → %s: %s → %s, specificity %d → %d\n", mdEscape(c.ID), c.QuestionID, c.Kind, c.To, c.Label, c.VariantLabel, c.Specificity, c.VariantSpecificity)
		}
	}
	return ew.err
}
