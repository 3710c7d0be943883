package evaluation

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
)

// CSV columns, for sets kept in a spreadsheet (exported as CSV, UTF-8, first
// row the header). Columns may come in any order; only id, question_id and
// text are required:
//
//	id, question_id, text, label, specificity, notes
//	area_1 ... area_N          covered, partial or missing (empty: not labelled)
//	star_situation, star_task, star_action, star_result   true/false, yes/no, 1/0 (empty: not labelled)
//	tags                       separated by ; or |
//	group_<field>              e.g. group_gender, group_native_speaker
//	evidence_<n>               sentences of the answer showing area n, separated by ||
//	x_<anything>               the team's own columns, ignored
const (
	csvArea     = "area_"
	csvGroup    = "group_"
	csvEvidence = "evidence_"
	csvStar     = "star_"
)

// ParseAnswersCSV reads answers from a spreadsheet's CSV export (see the
// column list above). name is used in errors, which name the line and the
// column.
func ParseAnswersCSV(name string, data []byte) ([]Item, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, &analyzer.InputError{File: name, Reason: "not UTF-8 text (export the sheet as CSV UTF-8)"}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &analyzer.InputError{File: name, Reason: "empty file: want a header row then one answer per row"}
		}
		return nil, csvErr(name, err)
	}
	cols := make([]string, len(header))
	seenCol := map[string]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		cols[i] = h
		if h == "" {
			continue
		}
		if seenCol[h] {
			return nil, &analyzer.InputError{File: name, Line: 1, Field: h, Reason: "column appears twice"}
		}
		seenCol[h] = true
		if !knownColumn(h) {
			return nil, &analyzer.InputError{File: name, Line: 1, Field: h,
				Reason: "unknown column (known: id, question_id, text, label, specificity, notes, tags, area_N, star_situation/task/action/result, group_FIELD, evidence_N; prefix your own with x_)"}
		}
	}
	for _, req := range []string{"id", "question_id", "text"} {
		if !seenCol[req] {
			return nil, &analyzer.InputError{File: name, Line: 1, Field: req, Reason: "required column missing from the header"}
		}
	}
	var items []Item
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		line, _ := r.FieldPos(0)
		if blank(rec) {
			continue
		}
		it, err := csvItem(cols, rec)
		if err == nil {
			err = it.validate(true)
		}
		if err != nil {
			return nil, withPlace(err, name, line)
		}
		if prev, ok := seen[it.ID]; ok {
			return nil, &analyzer.InputError{File: name, Line: line, Field: "id", Reason: fmt.Sprintf("%q is used again (first on line %d)", it.ID, prev)}
		}
		seen[it.ID] = line
		it.Source = fmt.Sprintf("%s:%d", name, line)
		items = append(items, it)
	}
	return items, nil
}

func knownColumn(h string) bool {
	switch h {
	case "id", "question_id", "text", "label", "specificity", "notes", "tags":
		return true
	case "star_situation", "star_task", "star_action", "star_result":
		return true
	}
	for _, p := range []string{csvArea, csvEvidence} {
		if rest, ok := strings.CutPrefix(h, p); ok {
			n, err := strconv.Atoi(rest)
			return err == nil && n >= 1 && strconv.Itoa(n) == rest
		}
	}
	if rest, ok := strings.CutPrefix(h, csvGroup); ok {
		return rest != ""
	}
	return strings.HasPrefix(h, "x_")
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &analyzer.InputError{File: name, Line: pe.Line, Field: fmt.Sprintf("column %d", pe.Column), Reason: pe.Err.Error()}
	}
	return &analyzer.InputError{File: name, Reason: err.Error()}
}

func csvItem(cols, rec []string) (Item, error) {
	var it Item
	for i, v := range rec {
		if i >= len(cols) {
			if strings.TrimSpace(v) != "" {
				return it, &analyzer.InputError{Field: fmt.Sprintf("column %d", i+1), Reason: "value in a column with no header"}
			}
			continue
		}
		c := cols[i]
		raw := v
		v = strings.TrimSpace(v)
		if v == "" || c == "" || strings.HasPrefix(c, "x_") {
			continue
		}
		switch {
		case c == "id":
			it.ID = v
		case c == "question_id":
			it.QuestionID = v
		case c == "text":
			it.Text = raw
		case c == "label":
			it.Label = strings.ToLower(v)
		case c == "notes":
			it.Notes = v
		case c == "specificity":
			n, err := strconv.Atoi(v)
			if err != nil {
				return it, &analyzer.InputError{Field: c, Reason: "want a whole number 0-100"}
			}
			it.Specificity = &n
		case c == "tags":
			for _, t := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '|' }) {
				if t = strings.TrimSpace(t); t != "" {
					it.Tags = append(it.Tags, t)
				}
			}
		case strings.HasPrefix(c, csvStar):
			b, ok := parseBool(v)
			if !ok {
				return it, &analyzer.InputError{Field: c, Reason: "want true/false, yes/no or 1/0"}
			}
			if it.STAR == nil {
				it.STAR = &analyzer.STAR{}
			}
			switch c {
			case "star_situation":
				it.STAR.Situation = b
			case "star_task":
				it.STAR.Task = b
			case "star_action":
				it.STAR.Action = b
			case "star_result":
				it.STAR.Result = b
			}
		case strings.HasPrefix(c, csvArea):
			if it.Areas == nil {
				it.Areas = map[string]string{}
			}
			it.Areas[strings.TrimPrefix(c, csvArea)] = strings.ToLower(v)
		case strings.HasPrefix(c, csvEvidence):
			if it.Evidence == nil {
				it.Evidence = map[string][]string{}
			}
			k := strings.TrimPrefix(c, csvEvidence)
			for _, s := range strings.Split(raw, "||") {
				if s = strings.TrimSpace(s); s != "" {
					it.Evidence[k] = append(it.Evidence[k], s)
				}
			}
		case strings.HasPrefix(c, csvGroup):
			if it.Group == nil {
				it.Group = map[string]string{}
			}
			it.Group[strings.TrimPrefix(c, csvGroup)] = v
		}
	}
	if it.STAR != nil {
		// A partly filled STAR block is a labelling slip, not four labels.
		n := 0
		for i, c := range cols {
			if strings.HasPrefix(c, csvStar) && i < len(rec) && strings.TrimSpace(rec[i]) != "" {
				n++
			}
		}
		if n != 4 {
			return it, &analyzer.InputError{Field: "star_*", Reason: "fill all four STAR columns or none"}
		}
	}
	return it, nil
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true", "yes", "y", "1", "x":
		return true, true
	case "false", "no", "n", "0":
		return false, true
	}
	return false, false
}
