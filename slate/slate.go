// Package slate compares the reports of one guide side by side: the
// candidates as columns, the guide's questions and areas as rows, each cell
// an area's status with its quote, and each answer's delivery label and
// specificity. Reports are only placed next to each other; nothing of one
// candidate's answers is compared with another's.
package slate

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"

	"github.com/candorhq/candor/analyzer"
)

// Cell statuses besides analyzer's covered, partial and missing.
const (
	// NotAsked: the interview never asked the question (distinct from
	// missing: the candidate was asked and did not tell it).
	NotAsked = "not_asked"
	// NoAnswer: the question was asked but no answer was analyzed.
	NoAnswer = "no_answer"
)

// Candidate is one column.
type Candidate struct {
	ReportID string `json:"report_id"`
	Name     string `json:"name"`
	// Coverage and Specificity are the report's averages.
	Coverage    float64 `json:"coverage"`
	Specificity float64 `json:"specificity"`
}

// Cell is one candidate's verdict on one area.
type Cell struct {
	Status string `json:"status"`
	Quote  string `json:"quote,omitempty"`
}

// AnswerCell is one candidate's answer to a question.
type AnswerCell struct {
	Status      string  `json:"status"` // answered, not_asked or no_answer
	Label       string  `json:"label,omitempty"`
	Specificity int     `json:"specificity"`
	Coverage    float64 `json:"coverage"`
}

// Area is a row: one area of a question, a cell per candidate.
type Area struct {
	Index int    `json:"index"`
	Text  string `json:"text"`
	Cells []Cell `json:"cells"`
}

// Question is a group of rows.
type Question struct {
	ID      string       `json:"id"`
	Text    string       `json:"text"`
	Answers []AnswerCell `json:"answers"`
	Areas   []Area       `json:"areas"`
}

// Matrix is the comparison.
type Matrix struct {
	Guide      analyzer.GuideRef `json:"guide"`
	Candidates []Candidate       `json:"candidates"`
	Questions  []Question        `json:"questions"`
}

// Build lays the reports out against g's questions. Every report must be of
// g (by id); the caller checks.
func Build(g *analyzer.Guide, reps []*analyzer.Report) *Matrix {
	// Empty lists rather than nil: a slate whose reports were all deleted
	// has no columns, and says so as [] in JSON.
	m := &Matrix{Guide: analyzer.GuideRef{ID: g.ID, Title: g.Title, Version: g.Version}, Candidates: []Candidate{}, Questions: []Question{}}
	for _, r := range reps {
		name := r.Candidate
		if name == "" && r.Source != nil {
			name = r.Source.Candidate
		}
		if name == "" {
			name = r.ID
		}
		m.Candidates = append(m.Candidates, Candidate{ReportID: r.ID, Name: name, Coverage: r.Summary.Coverage, Specificity: r.Summary.Specificity})
	}
	for _, q := range g.Questions {
		row := Question{ID: q.ID, Text: q.Text, Answers: []AnswerCell{}, Areas: []Area{}}
		for i, a := range q.Areas {
			row.Areas = append(row.Areas, Area{Index: i + 1, Text: a, Cells: []Cell{}})
		}
		for _, r := range reps {
			var ans *analyzer.AnswerAnalysis
			for i := range r.Answers {
				if r.Answers[i].QuestionID == q.ID {
					ans = &r.Answers[i]
					break
				}
			}
			status := NoAnswer
			if slices.Contains(r.Summary.NotAsked, q.ID) {
				status = NotAsked
			}
			if ans == nil {
				row.Answers = append(row.Answers, AnswerCell{Status: status})
				for i := range row.Areas {
					row.Areas[i].Cells = append(row.Areas[i].Cells, Cell{Status: status})
				}
				continue
			}
			row.Answers = append(row.Answers, AnswerCell{Status: "answered", Label: ans.Delivery.Label,
				Specificity: ans.Delivery.Specificity, Coverage: ans.Coverage.Score})
			for i := range row.Areas {
				c := Cell{Status: analyzer.StatusMissing}
				for _, ar := range ans.Coverage.Areas {
					if ar.Index == i+1 {
						c.Status = ar.Status
						if len(ar.Evidence) > 0 {
							c.Quote = ar.Evidence[0].Quote
						}
						break
					}
				}
				row.Areas[i].Cells = append(row.Areas[i].Cells, c)
			}
		}
		m.Questions = append(m.Questions, row)
	}
	return m
}

// Symbols are the cell marks, the same for page, CSV and Markdown.
var Symbols = map[string]string{
	analyzer.StatusCovered: "●", analyzer.StatusPartial: "◐", analyzer.StatusMissing: "○",
	NotAsked: "–", NoAnswer: "∅",
}

// Words name the statuses for readers of the exports and screen readers.
var Words = map[string]string{
	analyzer.StatusCovered: "covered", analyzer.StatusPartial: "partial", analyzer.StatusMissing: "missing",
	NotAsked: "not asked", NoAnswer: "no answer",
}

// CSV writes the matrix: a row per area (question id, area, then a status
// and a quote per candidate), after a row per question's answers.
func (m *Matrix) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := []string{"question", "area"}
	for _, c := range m.Candidates {
		head = append(head, safe(c.Name), safe(c.Name)+" quote")
	}
	w.Write(head)
	for _, q := range m.Questions {
		rec := []string{safe(q.ID), "(answer: label, specificity)"}
		for _, a := range q.Answers {
			if a.Status != "answered" {
				rec = append(rec, Words[a.Status], "")
				continue
			}
			rec = append(rec, fmt.Sprintf("%s %d", a.Label, a.Specificity), "")
		}
		w.Write(rec)
		for _, ar := range q.Areas {
			rec := []string{safe(q.ID), safe(ar.Text)}
			for _, c := range ar.Cells {
				rec = append(rec, Words[c.Status], safe(c.Quote))
			}
			w.Write(rec)
		}
	}
	w.Flush()
	return b.Bytes()
}

// safe keeps a spreadsheet from reading a cell as a formula.
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Markdown writes the matrix as a table per question.
func (m *Matrix) Markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", md(m.Guide.Title))
	for _, q := range m.Questions {
		fmt.Fprintf(&b, "## %s %s\n\n| Area |", md(q.ID), md(q.Text))
		for _, c := range m.Candidates {
			fmt.Fprintf(&b, " %s |", md(c.Name))
		}
		b.WriteString("\n|---|")
		for range m.Candidates {
			b.WriteString("---|")
		}
		b.WriteString("\n| *Answer* |")
		for _, a := range q.Answers {
			if a.Status != "answered" {
				fmt.Fprintf(&b, " %s |", Words[a.Status])
			} else {
				fmt.Fprintf(&b, " %s, %d |", a.Label, a.Specificity)
			}
		}
		b.WriteString("\n")
		for _, ar := range q.Areas {
			fmt.Fprintf(&b, "| %d. %s |", ar.Index, md(ar.Text))
			for _, c := range ar.Cells {
				fmt.Fprintf(&b, " %s %s", Symbols[c.Status], Words[c.Status])
				if c.Quote != "" {
					fmt.Fprintf(&b, ": “%s”", md(c.Quote))
				}
				b.WriteString(" |")
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

var mdEscaper = strings.NewReplacer("\\", "\\\\", "|", "\\|", "*", "\\*", "_", "\\_", "`", "\\`", "<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]", "\n", " ", "\r", " ")

func md(s string) string { return mdEscaper.Replace(s) }
