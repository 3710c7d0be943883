package evaluation

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/transcript"
)

// File names inside a set folder.
const (
	AnswersJSONL   = "answers.jsonl"
	AnswersCSV     = "answers.csv"
	TranscriptsDir = "transcripts"
	GoldSuffix     = ".gold.json"
)

// MaxSetBytes bounds the answers file of a set (64 MiB): far beyond any
// hand-labelled set, small enough that a wrong file cannot exhaust memory.
const MaxSetBytes = 64 << 20

// Statuses, in the order of their ordinal value (missing 0, partial 1,
// covered 2), as the quadratic-weighted kappa reads them.
var Statuses = []string{analyzer.StatusMissing, analyzer.StatusPartial, analyzer.StatusCovered}

// Labels are the delivery labels, in the order confusion matrices use.
var Labels = []string{analyzer.LabelSpecific, analyzer.LabelMixed, analyzer.LabelRehearsed}

// StatusValue returns a status's ordinal value (missing 0, partial 1,
// covered 2) and whether it is a status at all.
func StatusValue(s string) (int, bool) {
	i := slices.Index(Statuses, s)
	return i, i >= 0
}

// Set is a labelled set: single answers and transcripts with their labels.
type Set struct {
	// Name is the set's folder (or file) name, for reports.
	Name string `json:"name"`
	// Answers are the single answers of answers.jsonl or answers.csv.
	Answers []Item `json:"answers,omitempty"`
	// Transcripts are the transcripts of transcripts/.
	Transcripts []Transcript `json:"transcripts,omitempty"`
}

// Item is one labelled answer (a line of answers.jsonl) or, inside a
// Transcript, one gold segment. Every label is optional: an item without
// labels still counts in an audit.
type Item struct {
	ID         string `json:"id"`
	QuestionID string `json:"question_id"`
	// Text is the answer (empty in a transcript's segments: the answer is
	// what the engine finds in the transcript).
	Text string `json:"text,omitempty"`
	// Label is the gold delivery label: specific, mixed or rehearsed.
	Label string `json:"label,omitempty"`
	// Specificity is the gold 0-100 specificity (nil: not labelled).
	Specificity *int `json:"specificity,omitempty"`
	// Areas maps an area's 1-based index ("1".."8") to its gold status.
	Areas map[string]string `json:"areas,omitempty"`
	// STAR is the gold STAR flags (nil: not labelled).
	STAR *analyzer.STAR `json:"star,omitempty"`
	Tags []string       `json:"tags,omitempty"`
	// Evidence maps an area's index to the sentences of the answer that
	// show it (each an exact substring of Text); the engine's evidence
	// for that area is checked against them.
	Evidence map[string][]string `json:"evidence,omitempty"`
	// Group holds the candidate's group fields for an audit (gender,
	// ethnicity, native_speaker, ...).
	Group map[string]string `json:"group,omitempty"`
	// AskedAtTurn is the 0-based turn that asks the question (transcript
	// segments only).
	AskedAtTurn *int   `json:"asked_at_turn,omitempty"`
	Notes       string `json:"notes,omitempty"`

	// Source is where the item was read ("answers.jsonl:7"), for messages.
	Source string `json:"-"`
}

// AreaStatuses returns the gold statuses as ordinal values by 0-based area
// index, in area order; areas without a label are left out.
func (it *Item) areaList() []areaGold {
	out := make([]areaGold, 0, len(it.Areas))
	for k, s := range it.Areas {
		n, _ := strconv.Atoi(k)
		v, _ := StatusValue(s)
		out = append(out, areaGold{index: n, status: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}

type areaGold struct {
	index  int // 1-based
	status int
}

// Transcript is one transcript of a set with its gold file.
type Transcript struct {
	// Name is the file name inside transcripts/.
	Name string `json:"name"`
	// Text is the transcript as it was read, in any format Candor parses.
	Text string `json:"text"`
	// Gold is the transcript's gold file (zero when it has none).
	Gold Gold `json:"gold"`
}

// Gold is a transcript's gold file (NAME.gold.json).
type Gold struct {
	Format string `json:"format,omitempty"`
	// Interviewer is one name or a list of names (a panel).
	Interviewer NameList `json:"interviewer,omitempty"`
	Candidate   string   `json:"candidate,omitempty"`
	// Segments are the guide questions asked, each with the labels of the
	// candidate's whole answer to it. Nil when the file has no segments
	// key (question alignment is not labelled); an empty list says no
	// guide question was asked.
	Segments []Item `json:"segments"`
	// Group holds the candidate's group fields for an audit.
	Group map[string]string `json:"group,omitempty"`
	Notes string            `json:"notes,omitempty"`
	// DeferredAsks are asks of a question that the candidate put off ("can
	// we come back to that one?"); the question's segment is its later ask.
	// Not scored: the segmenter's training reads them as the turn that
	// opened the question, and boundary checks end the answer before there.
	DeferredAsks []DeferredAsk `json:"deferred_asks,omitempty"`
}

// DeferredAsk is one put-off ask in a gold file.
type DeferredAsk struct {
	QuestionID string `json:"question_id"`
	AskedAt    int    `json:"asked_at_turn"`
}

// NameList is a JSON string or list of strings.
type NameList []string

// UnmarshalJSON accepts "Name" or ["Name", ...].
func (n *NameList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*n = NameList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("want a name or a list of names")
	}
	*n = many
	return nil
}

// MarshalJSON writes a single name as a string.
func (n NameList) MarshalJSON() ([]byte, error) {
	if len(n) == 1 {
		return json.Marshal(n[0])
	}
	return json.Marshal([]string(n))
}

// Counts says how much of a set is labelled.
type Counts struct {
	Answers      int      `json:"answers"`
	Transcripts  int      `json:"transcripts"`
	Segments     int      `json:"segments"`
	AreaLabels   int      `json:"area_labels"`
	Labels       int      `json:"labels"`
	Evidence     int      `json:"evidence_areas"`
	WithGroups   int      `json:"with_groups"`
	Unlabelled   int      `json:"unlabelled"`
	GroupsFields []string `json:"group_fields,omitempty"`
}

// Counts returns how much of the set is labelled.
func (s *Set) Counts() Counts {
	c := Counts{Answers: len(s.Answers), Transcripts: len(s.Transcripts)}
	fields := map[string]bool{}
	add := func(it *Item, group map[string]string) {
		c.AreaLabels += len(it.Areas)
		if it.Label != "" {
			c.Labels++
		}
		c.Evidence += len(it.Evidence)
		if len(group) > 0 {
			c.WithGroups++
			for k := range group {
				fields[k] = true
			}
		}
		if it.Label == "" && len(it.Areas) == 0 && it.Specificity == nil {
			c.Unlabelled++
		}
	}
	for i := range s.Answers {
		add(&s.Answers[i], s.Answers[i].Group)
	}
	for _, t := range s.Transcripts {
		c.Segments += len(t.Gold.Segments)
		for i := range t.Gold.Segments {
			add(&t.Gold.Segments[i], t.Gold.Group)
		}
	}
	for k := range fields {
		c.GroupsFields = append(c.GroupsFields, k)
	}
	sort.Strings(c.GroupsFields)
	return c
}

// LoadSet reads a labelled set from path: a folder holding answers.jsonl
// (or answers.csv) and/or transcripts/ with NAME.gold.json beside each
// transcript, or a single answers file (.jsonl or .csv). Errors are
// *analyzer.InputError values naming the file, the line and the field.
// Transcripts without a gold file are read with no labels (an audit uses
// them through a gold file's group fields; an evaluation has nothing to
// compare them with and skips them).
func LoadSet(path string) (*Set, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		s := &Set{Name: filepath.Base(path)}
		s.Answers, err = loadAnswersFile(path)
		if err != nil {
			return nil, err
		}
		if len(s.Answers) == 0 {
			return nil, &analyzer.InputError{File: path, Reason: "no answers in the file"}
		}
		return s, nil
	}
	s := &Set{Name: filepath.Base(filepath.Clean(path))}
	jl, csvPath := filepath.Join(path, AnswersJSONL), filepath.Join(path, AnswersCSV)
	hasJL, hasCSV := exists(jl), exists(csvPath)
	switch {
	case hasJL && hasCSV:
		return nil, &analyzer.InputError{File: path, Reason: "holds both answers.jsonl and answers.csv; keep one"}
	case hasJL:
		s.Answers, err = loadAnswersFile(jl)
	case hasCSV:
		s.Answers, err = loadAnswersFile(csvPath)
	}
	if err != nil {
		return nil, err
	}
	tdir := filepath.Join(path, TranscriptsDir)
	if exists(tdir) {
		s.Transcripts, err = loadTranscripts(tdir)
		if err != nil {
			return nil, err
		}
	}
	if len(s.Answers) == 0 && len(s.Transcripts) == 0 {
		return nil, &analyzer.InputError{File: path, Reason: "not a labelled set: no answers.jsonl, answers.csv or transcripts/ with anything in it"}
	}
	return s, nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSetBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSetBytes {
		return nil, &analyzer.InputError{File: path, Reason: fmt.Sprintf("over the limit of %d bytes", MaxSetBytes)}
	}
	return data, nil
}

func loadAnswersFile(path string) ([]Item, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return ParseAnswersCSV(name, data)
	}
	return ParseAnswers(name, data)
}

// ParseAnswers reads answers in JSON Lines: one Item per line; blank lines
// and lines starting with # or // are skipped. name is used in errors.
func ParseAnswers(name string, data []byte) ([]Item, error) {
	if !utf8.Valid(data) {
		return nil, &analyzer.InputError{File: name, Reason: "not UTF-8 text"}
	}
	var items []Item
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), MaxSetBytes)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\ufeff"))
		}
		if len(b) == 0 || b[0] == '#' || bytes.HasPrefix(b, []byte("//")) {
			continue
		}
		it, err := decodeItem(b)
		if err != nil {
			return nil, withPlace(err, name, line)
		}
		it.Source = fmt.Sprintf("%s:%d", name, line)
		if err := it.validate(true); err != nil {
			return nil, withPlace(err, name, line)
		}
		if prev, ok := seen[it.ID]; ok {
			return nil, &analyzer.InputError{File: name, Line: line, Field: "id", Reason: fmt.Sprintf("%q is used again (first on line %d)", it.ID, prev)}
		}
		seen[it.ID] = line
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, &analyzer.InputError{File: name, Line: line + 1, Reason: err.Error()}
	}
	return items, nil
}

// itemFields are the keys an answer line may have; anything else is most
// likely a typo, which would silently drop a label. Keys starting with "x_"
// are the user's own and are ignored.
var itemFields = []string{"id", "question_id", "text", "label", "specificity", "areas", "star", "tags", "evidence", "group", "notes", "asked_at_turn"}

func decodeItem(b []byte) (Item, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return Item{}, &analyzer.InputError{Reason: "not a JSON object: " + jsonReason(err)}
	}
	for k := range raw {
		if !slices.Contains(itemFields, k) && !strings.HasPrefix(k, "x_") {
			return Item{}, &analyzer.InputError{Field: k, Reason: fmt.Sprintf("unknown field (known: %s; prefix your own with x_)", strings.Join(itemFields, ", "))}
		}
	}
	var it Item
	for _, k := range itemFields {
		v, ok := raw[k]
		if !ok || string(v) == "null" {
			continue
		}
		var dst any
		switch k {
		case "id":
			dst = &it.ID
		case "question_id":
			dst = &it.QuestionID
		case "text":
			dst = &it.Text
		case "label":
			dst = &it.Label
		case "specificity":
			dst = &it.Specificity
		case "areas":
			dst = &it.Areas
		case "star":
			var m map[string]bool
			if err := json.Unmarshal(v, &m); err != nil || len(m) != 4 {
				return Item{}, &analyzer.InputError{Field: k, Reason: fieldReason(k)}
			}
			for _, f := range []string{"situation", "task", "action", "result"} {
				if _, ok := m[f]; !ok {
					return Item{}, &analyzer.InputError{Field: k, Reason: fieldReason(k)}
				}
			}
			it.STAR = &analyzer.STAR{Situation: m["situation"], Task: m["task"], Action: m["action"], Result: m["result"]}
			continue
		case "tags":
			dst = &it.Tags
		case "evidence":
			dst = &it.Evidence
		case "group":
			var g map[string]any
			if err := json.Unmarshal(v, &g); err != nil {
				return Item{}, &analyzer.InputError{Field: k, Reason: "want an object of field: value"}
			}
			it.Group = map[string]string{}
			for gk, gv := range g {
				switch x := gv.(type) {
				case string:
					it.Group[gk] = x
				case bool:
					it.Group[gk] = strconv.FormatBool(x)
				case float64:
					it.Group[gk] = strconv.FormatFloat(x, 'f', -1, 64)
				default:
					return Item{}, &analyzer.InputError{Field: "group." + gk, Reason: "want a string, number or boolean"}
				}
			}
			continue
		case "notes":
			dst = &it.Notes
		case "asked_at_turn":
			dst = &it.AskedAtTurn
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return Item{}, &analyzer.InputError{Field: k, Reason: fieldReason(k)}
		}
	}
	return it, nil
}

func fieldReason(k string) string {
	switch k {
	case "specificity", "asked_at_turn":
		return "want a whole number"
	case "areas":
		return `want an object of area index to status, e.g. {"1": "covered", "2": "missing"}`
	case "star":
		return `want {"situation": bool, "task": bool, "action": bool, "result": bool}`
	case "tags":
		return "want a list of strings"
	case "evidence":
		return `want an object of area index to a list of sentences, e.g. {"1": ["..."]}`
	}
	return "want a string"
}

// jsonReason describes a JSON syntax error without quoting the input.
func jsonReason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		return "want an object, got " + ue.Value
	}
	return "malformed JSON"
}

// withPlace fills in the file and line of an InputError.
func withPlace(err error, file string, line int) error {
	var ie *analyzer.InputError
	if errors.As(err, &ie) {
		if ie.File == "" {
			ie.File = file
		}
		if ie.Line == 0 {
			ie.Line = line
		}
		return ie
	}
	return &analyzer.InputError{File: file, Line: line, Reason: err.Error()}
}

// validate checks an item's fields. single is true for answers-file lines,
// which need an id and a text; segments need neither.
func (it *Item) validate(single bool) error {
	bad := func(field, format string, args ...any) error {
		return &analyzer.InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if single {
		if strings.TrimSpace(it.ID) == "" {
			return bad("id", "required: a unique id for the answer")
		}
		if strings.TrimSpace(it.Text) == "" {
			return bad("text", "required: the answer's text")
		}
	}
	if strings.TrimSpace(it.QuestionID) == "" {
		return bad("question_id", "required: the id of the guide question answered")
	}
	if it.Label != "" && !slices.Contains(Labels, it.Label) {
		return bad("label", "%q is not one of specific, mixed, rehearsed", it.Label)
	}
	if it.Specificity != nil && (*it.Specificity < 0 || *it.Specificity > 100) {
		return bad("specificity", "%d is outside 0-100", *it.Specificity)
	}
	for k, s := range it.Areas {
		if n, err := strconv.Atoi(k); err != nil || n < 1 || strconv.Itoa(n) != k {
			return bad("areas", "key %q is not an area index (1, 2, ...)", k)
		}
		if _, ok := StatusValue(s); !ok {
			return bad("areas."+k, "%q is not one of covered, partial, missing", s)
		}
	}
	for k, sents := range it.Evidence {
		if n, err := strconv.Atoi(k); err != nil || n < 1 || strconv.Itoa(n) != k {
			return bad("evidence", "key %q is not an area index (1, 2, ...)", k)
		}
		for i, s := range sents {
			if strings.TrimSpace(s) == "" {
				return bad(fmt.Sprintf("evidence.%s[%d]", k, i), "empty sentence")
			}
			// Segments' answers are assembled from the transcript, so
			// only single answers can be checked here.
			if single && !strings.Contains(it.Text, s) {
				return bad(fmt.Sprintf("evidence.%s[%d]", k, i), "not found in text (evidence must be copied exactly from the answer)")
			}
		}
	}
	for k := range it.Group {
		if strings.TrimSpace(k) == "" || strings.ContainsAny(k, "×|") {
			return bad("group", "field name %q is empty or holds × or |", k)
		}
	}
	if it.AskedAtTurn != nil && *it.AskedAtTurn < 0 {
		return bad("asked_at_turn", "negative turn index")
	}
	return nil
}

// loadTranscripts reads every transcript of dir with its gold file.
func loadTranscripts(dir string) ([]Transcript, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Transcript
	golds := map[string]bool{}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || strings.HasSuffix(n, ".md") {
			continue
		}
		if strings.HasSuffix(n, GoldSuffix) {
			golds[n] = true
			continue
		}
		p := filepath.Join(dir, n)
		st, err := e.Info()
		if err != nil {
			return nil, err
		}
		if st.Size() > transcript.MaxSize {
			return nil, &analyzer.InputError{File: p, Reason: fmt.Sprintf("file is %d bytes, over the limit of %d bytes (8 MiB)", st.Size(), transcript.MaxSize)}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		t := Transcript{Name: n, Text: string(data)}
		gp := filepath.Join(dir, strings.TrimSuffix(n, filepath.Ext(n))+GoldSuffix)
		if exists(gp) {
			golds[filepath.Base(gp)] = false
			gb, err := readLimited(gp)
			if err != nil {
				return nil, err
			}
			g, err := ParseGold(gp, gb)
			if err != nil {
				return nil, err
			}
			t.Gold = *g
		}
		out = append(out, t)
	}
	for g, orphan := range golds {
		if orphan {
			return nil, &analyzer.InputError{File: filepath.Join(dir, g), Reason: "gold file with no transcript beside it (NAME.gold.json labels the transcript NAME.vtt, NAME.txt, ...)"}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

var goldFields = []string{"format", "interviewer", "candidate", "segments", "group", "notes", "deferred_asks"}

// ParseGold reads a transcript's gold file. name is used in errors, whose
// line numbers point at the segment at fault.
func ParseGold(name string, data []byte) (*Gold, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, &analyzer.InputError{File: name, Line: lineOf(data, err), Reason: "not a JSON object: " + jsonReason(err)}
	}
	for k := range raw {
		if !slices.Contains(goldFields, k) && !strings.HasPrefix(k, "x_") {
			return nil, &analyzer.InputError{File: name, Field: k, Reason: fmt.Sprintf("unknown field (known: %s; prefix your own with x_)", strings.Join(goldFields, ", "))}
		}
	}
	var g Gold
	for _, k := range []string{"format", "candidate", "notes"} {
		if v, ok := raw[k]; ok {
			dst := map[string]*string{"format": &g.Format, "candidate": &g.Candidate, "notes": &g.Notes}[k]
			if err := json.Unmarshal(v, dst); err != nil {
				return nil, &analyzer.InputError{File: name, Field: k, Reason: "want a string"}
			}
		}
	}
	if v, ok := raw["interviewer"]; ok {
		if err := json.Unmarshal(v, &g.Interviewer); err != nil {
			return nil, &analyzer.InputError{File: name, Field: "interviewer", Reason: "want a name or a list of names"}
		}
	}
	if v, ok := raw["group"]; ok {
		it, err := decodeItem([]byte(`{"group":` + string(v) + `}`))
		if err != nil {
			return nil, withPlace(err, name, 0)
		}
		g.Group = it.Group
	}
	if v, ok := raw["deferred_asks"]; ok {
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&g.DeferredAsks); err != nil {
			return nil, &analyzer.InputError{File: name, Field: "deferred_asks", Reason: "want a list of {question_id, asked_at_turn}: " + jsonReason(err)}
		}
		for i, d := range g.DeferredAsks {
			if d.QuestionID == "" || d.AskedAt < 0 {
				return nil, &analyzer.InputError{File: name, Field: fmt.Sprintf("deferred_asks[%d]", i), Reason: "want a question_id and an asked_at_turn of 0 or more"}
			}
		}
	}
	if v, ok := raw["segments"]; ok && string(v) != "null" {
		var segs []json.RawMessage
		if err := json.Unmarshal(v, &segs); err != nil {
			return nil, &analyzer.InputError{File: name, Field: "segments", Reason: "want a list of segments"}
		}
		g.Segments = []Item{}
		seen := map[string]bool{}
		start := bytes.Index(data, v)
		for i, sraw := range segs {
			field := fmt.Sprintf("segments[%d]", i)
			line := 0
			if start >= 0 {
				if off := bytes.Index(data[start:], sraw); off >= 0 {
					line = 1 + bytes.Count(data[:start+off], []byte("\n"))
				}
			}
			it, err := decodeItem(sraw)
			if err == nil {
				err = it.validate(false)
			}
			if err != nil {
				var ie *analyzer.InputError
				if errors.As(err, &ie) {
					ie.Field = field + "." + ie.Field
					if ie.Field == field+"." {
						ie.Field = field
					}
				}
				return nil, withPlace(err, name, line)
			}
			if seen[it.QuestionID] {
				return nil, &analyzer.InputError{File: name, Line: line, Field: field + ".question_id",
					Reason: fmt.Sprintf("%q has a segment already (one segment per question: label the answer that counts)", it.QuestionID)}
			}
			seen[it.QuestionID] = true
			it.Source = fmt.Sprintf("%s#%s", filepath.Base(name), it.QuestionID)
			if it.ID == "" {
				it.ID = strings.TrimSuffix(filepath.Base(name), GoldSuffix) + "/" + it.QuestionID
			}
			g.Segments = append(g.Segments, it)
		}
	}
	return &g, nil
}

// lineOf returns the line of a JSON syntax error, 0 when unknown.
func lineOf(data []byte, err error) int {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset > 0 && int(se.Offset) <= len(data) {
		return 1 + bytes.Count(data[:se.Offset], []byte("\n"))
	}
	return 0
}

// Limits of a set sent whole in one request (the API): far above a
// hand-labelled set, low enough to bound one job.
const (
	MaxSetAnswers     = 5000
	MaxSetTranscripts = 500
)

// Validate checks a set that did not come through LoadSet (a JSON body):
// the same rules as the files, with errors naming the field
// ("answers[3].label", "transcripts[1].gold.segments[0].areas.2").
func (s *Set) Validate() error {
	if len(s.Answers) == 0 && len(s.Transcripts) == 0 {
		return &analyzer.InputError{Field: "answers", Reason: "the set has no answers and no transcripts"}
	}
	if len(s.Answers) > MaxSetAnswers {
		return &analyzer.InputError{Field: "answers", Reason: fmt.Sprintf("%d answers, over the limit of %d", len(s.Answers), MaxSetAnswers)}
	}
	if len(s.Transcripts) > MaxSetTranscripts {
		return &analyzer.InputError{Field: "transcripts", Reason: fmt.Sprintf("%d transcripts, over the limit of %d", len(s.Transcripts), MaxSetTranscripts)}
	}
	prefix := func(err error, p string) error {
		var ie *analyzer.InputError
		if errors.As(err, &ie) {
			if ie.Field == "" {
				ie.Field = p
			} else {
				ie.Field = p + "." + ie.Field
			}
		}
		return err
	}
	seen := map[string]int{}
	for i := range s.Answers {
		it := &s.Answers[i]
		p := fmt.Sprintf("answers[%d]", i)
		if err := it.validate(true); err != nil {
			return prefix(err, p)
		}
		if j, ok := seen[it.ID]; ok {
			return &analyzer.InputError{Field: p + ".id", Reason: fmt.Sprintf("%q is used again (first in answers[%d])", it.ID, j)}
		}
		seen[it.ID] = i
		if it.Source == "" {
			it.Source = p
		}
	}
	names := map[string]bool{}
	for i := range s.Transcripts {
		t := &s.Transcripts[i]
		p := fmt.Sprintf("transcripts[%d]", i)
		if strings.TrimSpace(t.Name) == "" || strings.ContainsAny(t.Name, "/\\") {
			return &analyzer.InputError{Field: p + ".name", Reason: "required: a file name without folders (t1.vtt)"}
		}
		if names[t.Name] {
			return &analyzer.InputError{Field: p + ".name", Reason: fmt.Sprintf("%q is used again", t.Name)}
		}
		names[t.Name] = true
		if strings.TrimSpace(t.Text) == "" {
			return &analyzer.InputError{Field: p + ".text", Reason: "required: the transcript"}
		}
		if len(t.Text) > transcript.MaxSize {
			return &analyzer.InputError{Field: p + ".text", Reason: fmt.Sprintf("over the limit of %d bytes", transcript.MaxSize)}
		}
		for k := range t.Gold.Group {
			if strings.TrimSpace(k) == "" {
				return &analyzer.InputError{Field: p + ".gold.group", Reason: "empty field name"}
			}
		}
		qs := map[string]bool{}
		for j := range t.Gold.Segments {
			seg := &t.Gold.Segments[j]
			sp := fmt.Sprintf("%s.gold.segments[%d]", p, j)
			if err := seg.validate(false); err != nil {
				return prefix(err, sp)
			}
			if qs[seg.QuestionID] {
				return &analyzer.InputError{Field: sp + ".question_id", Reason: fmt.Sprintf("%q has a segment already", seg.QuestionID)}
			}
			qs[seg.QuestionID] = true
			if seg.ID == "" {
				seg.ID = strings.TrimSuffix(t.Name, filepath.Ext(t.Name)) + "/" + seg.QuestionID
			}
			seg.Source = sp
		}
	}
	return nil
}

// DecodeSet reads a set sent as JSON (the API's "set" field):
// {"name": ..., "answers": [answer, ...], "transcripts": [{"name": "t1.vtt",
// "text": "...", "gold": {gold file}}]}, with the files' rules and errors
// naming the field at fault.
func DecodeSet(data []byte) (*Set, error) {
	var raw struct {
		Name        string            `json:"name"`
		Answers     []json.RawMessage `json:"answers"`
		Transcripts []struct {
			Name string          `json:"name"`
			Text string          `json:"text"`
			Gold json.RawMessage `json:"gold"`
		} `json:"transcripts"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, &analyzer.InputError{Reason: "want {\"name\", \"answers\": [...], \"transcripts\": [{\"name\", \"text\", \"gold\"}]}: " + setReason(err)}
	}
	s := &Set{Name: strings.TrimSpace(raw.Name)}
	if s.Name == "" {
		s.Name = "set"
	}
	for i, a := range raw.Answers {
		it, err := decodeItem(a)
		if err != nil {
			var ie *analyzer.InputError
			if errors.As(err, &ie) {
				ie.Field = strings.TrimSuffix(fmt.Sprintf("answers[%d].%s", i, ie.Field), ".")
			}
			return nil, err
		}
		s.Answers = append(s.Answers, it)
	}
	for i, t := range raw.Transcripts {
		tr := Transcript{Name: t.Name, Text: t.Text}
		if len(t.Gold) > 0 && string(t.Gold) != "null" {
			g, err := ParseGold("", t.Gold)
			if err != nil {
				var ie *analyzer.InputError
				if errors.As(err, &ie) {
					ie.Field = strings.TrimSuffix(fmt.Sprintf("transcripts[%d].gold.%s", i, ie.Field), ".")
					ie.Line = 0
				}
				return nil, err
			}
			for j := range g.Segments {
				g.Segments[j].ID = "" // named after the transcript by Validate
			}
			tr.Gold = *g
		}
		s.Transcripts = append(s.Transcripts, tr)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// setReason describes a decoding error without quoting the input.
func setReason(err error) string {
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		return fmt.Sprintf("field %s: want %s, got %s", ue.Field, ue.Type, ue.Value)
	}
	if strings.HasPrefix(err.Error(), "json: unknown field ") {
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return jsonReason(err)
}
