package evaluation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/interview"
)

// ReadAnswers reads the answers to g's questions in one input, for guide
// lint's reach check (guide.LintReach): reports (one JSON report, or
// several one after another, as 'candor analyze --format json' prints
// them; they must be of g), labelled answers (JSON Lines of
// {"question_id", "text", ...}, the answers.jsonl of a labelled set), or a
// transcript in any supported format, segmented against g. name is used
// in errors (and, for a transcript, to tell its format).
func ReadAnswers(g *analyzer.Guide, name string, data []byte) ([]analyzer.GivenAnswer, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var head struct {
			SchemaVersion string  `json:"schema_version"`
			QuestionID    *string `json:"question_id"`
			Text          *string `json:"text"`
		}
		_ = json.NewDecoder(bytes.NewReader(trimmed)).Decode(&head)
		switch {
		case head.SchemaVersion != "":
			return reportAnswers(g, name, trimmed)
		case head.QuestionID != nil && head.Text != nil:
			items, err := ParseAnswers(name, data)
			if err != nil {
				return nil, err
			}
			out := make([]analyzer.GivenAnswer, len(items))
			for i, it := range items {
				out[i] = analyzer.GivenAnswer{QuestionID: it.QuestionID, Text: it.Text}
			}
			return out, nil
		}
	}
	seg, _, err := interview.Parse(g, name, data, interview.Options{})
	if err != nil {
		return nil, err
	}
	out := make([]analyzer.GivenAnswer, len(seg.Answers))
	for i, a := range seg.Answers {
		out[i] = analyzer.GivenAnswer{QuestionID: a.QuestionID, Text: a.Text}
	}
	return out, nil
}

// reportAnswers reads the answers of a stream of reports of g.
func reportAnswers(g *analyzer.Guide, name string, data []byte) ([]analyzer.GivenAnswer, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var out []analyzer.GivenAnswer
	for n := 1; ; n++ {
		var r analyzer.Report
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, &analyzer.InputError{File: name, Reason: fmt.Sprintf("report %d: not a report as candor analyze --format json prints it: %v", n, err)}
		}
		if r.Guide.ID != g.ID {
			return nil, &analyzer.InputError{File: name, Reason: fmt.Sprintf("report %d is on guide %q, not %q", n, r.Guide.ID, g.ID)}
		}
		for _, a := range r.Answers {
			out = append(out, analyzer.GivenAnswer{QuestionID: a.QuestionID, Text: a.Text})
		}
	}
}
