package evaluation

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/interview"
)

//go:embed swaps/*.tsv
var swapFS embed.FS

// Swap kinds.
const (
	SwapNames    = "names"
	SwapPronouns = "pronouns"
	SwapSpelling = "spelling"
)

// DefaultSwapTolerance is the largest specificity shift (in points of
// 0-100) a swap may cause before the case is reported.
const DefaultSwapTolerance = 3

// SwapLists are the data of the counterfactual swap test: names by
// cultural list, pronouns by role, and US/UK spellings (see
// swaps/README.md for what they hold and where they come from).
type SwapLists struct {
	// lists are the cultural lists in file order; names[list][kind] the
	// names of a kind in order.
	lists []string
	names map[string]map[string][]string
	// nameAt finds a name's list, kind and position.
	nameAt map[string]namePos
	// pronouns maps a pronoun form (lower case) to its row and column
	// (0 he, 1 she, 2 they); rows holds the forms.
	rows      [][3]string
	roleNames []string
	pronoun   map[string]pronounPos
	usToUK    map[string]string
	ukToUS    map[string]string
	spelling  int
}

type namePos struct {
	list, kind string
	i          int
}

type pronounPos struct {
	role string
	col  int
}

// Swap list file names.
const (
	NamesFile    = "names.tsv"
	PronounsFile = "pronouns.tsv"
	SpellingFile = "spelling.tsv"
)

// DefaultSwapLists returns the lists embedded in the binary.
func DefaultSwapLists() *SwapLists {
	read := func(n string) []byte {
		b, err := swapFS.ReadFile("swaps/" + n)
		if err != nil {
			panic(err) // embedded at build time
		}
		return b
	}
	l, err := ParseSwapLists(read(NamesFile), read(PronounsFile), read(SpellingFile))
	if err != nil {
		panic(fmt.Sprintf("embedded swap lists: %v", err))
	}
	return l
}

// LoadSwapLists reads names.tsv, pronouns.tsv and spelling.tsv from dir;
// a file that is not there is taken from the embedded lists.
func LoadSwapLists(dir string) (*SwapLists, error) {
	files := map[string][]byte{}
	for _, n := range []string{NamesFile, PronounsFile, SpellingFile} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if errors.Is(err, os.ErrNotExist) {
			b, err = swapFS.ReadFile("swaps/" + n)
		}
		if err != nil {
			return nil, err
		}
		files[n] = b
	}
	l, err := ParseSwapLists(files[NamesFile], files[PronounsFile], files[SpellingFile])
	if err != nil {
		var ie *analyzer.InputError
		if errors.As(err, &ie) {
			ie.File = filepath.Join(dir, ie.File)
		}
		return nil, err
	}
	return l, nil
}

// tsv reads a tab-separated file with a header row, skipping # comments.
func tsv(name string, data []byte, header []string) ([][]string, error) {
	if !utf8.Valid(data) {
		return nil, &analyzer.InputError{File: name, Reason: "not UTF-8 text"}
	}
	var rows [][]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	line, sawHeader := 0, false
	for sc.Scan() {
		line++
		l := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if !sawHeader {
			if strings.Join(f, "\t") != strings.Join(header, "\t") {
				return nil, &analyzer.InputError{File: name, Line: line, Reason: fmt.Sprintf("want the header %q (tab-separated)", strings.Join(header, " "))}
			}
			sawHeader = true
			continue
		}
		if len(f) != len(header) {
			return nil, &analyzer.InputError{File: name, Line: line, Reason: fmt.Sprintf("want %d tab-separated columns, got %d", len(header), len(f))}
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
			if f[i] == "" {
				return nil, &analyzer.InputError{File: name, Line: line, Field: header[i], Reason: "empty"}
			}
		}
		f = append(f, fmt.Sprint(line))
		rows = append(rows, f)
	}
	if !sawHeader {
		return nil, &analyzer.InputError{File: name, Reason: "empty: want a header row"}
	}
	return rows, sc.Err()
}

// ParseSwapLists reads the three list files (see swaps/README.md).
func ParseSwapLists(names, pronouns, spelling []byte) (*SwapLists, error) {
	l := &SwapLists{names: map[string]map[string][]string{}, nameAt: map[string]namePos{}, pronoun: map[string]pronounPos{},
		usToUK: map[string]string{}, ukToUS: map[string]string{}}
	rows, err := tsv(NamesFile, names, []string{"list", "kind", "name"})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		list, kind, name, line := r[0], r[1], r[2], r[3]
		if kind != "female" && kind != "male" && kind != "surname" {
			return nil, &analyzer.InputError{File: NamesFile, Line: atoi(line), Field: "kind", Reason: fmt.Sprintf("%q is not female, male or surname", kind)}
		}
		if p, ok := l.nameAt[name]; ok {
			return nil, &analyzer.InputError{File: NamesFile, Line: atoi(line), Field: "name", Reason: fmt.Sprintf("%q is already in list %s (%s)", name, p.list, p.kind)}
		}
		if r, _ := utf8.DecodeRuneInString(name); !unicode.IsUpper(r) || strings.IndexFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			return nil, &analyzer.InputError{File: NamesFile, Line: atoi(line), Field: "name", Reason: fmt.Sprintf("%q is not one capitalised word of letters", name)}
		}
		if l.names[list] == nil {
			l.names[list] = map[string][]string{}
			l.lists = append(l.lists, list)
		}
		l.nameAt[name] = namePos{list: list, kind: kind, i: len(l.names[list][kind])}
		l.names[list][kind] = append(l.names[list][kind], name)
	}
	if len(l.lists) < 2 {
		return nil, &analyzer.InputError{File: NamesFile, Reason: "want at least two lists to swap between"}
	}
	rows, err = tsv(PronounsFile, pronouns, []string{"role", "he", "she", "they"})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		row := [3]string{strings.ToLower(r[1]), strings.ToLower(r[2]), strings.ToLower(r[3])}
		l.rows = append(l.rows, row)
		l.roleNames = append(l.roleNames, r[0])
		for col, form := range row {
			// "her" is both object and determiner, "his" both determiner
			// and possessive: the first row wins, and the word after it
			// decides (pronounRow).
			if _, ok := l.pronoun[form]; !ok {
				l.pronoun[form] = pronounPos{role: r[0], col: col}
			}
		}
	}
	rows, err = tsv(SpellingFile, spelling, []string{"us", "uk"})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		us, uk := strings.ToLower(r[0]), strings.ToLower(r[1])
		if _, ok := l.usToUK[us]; ok {
			return nil, &analyzer.InputError{File: SpellingFile, Line: atoi(r[2]), Field: "us", Reason: fmt.Sprintf("%q appears twice", us)}
		}
		l.usToUK[us], l.ukToUS[uk] = uk, us
		l.spelling++
	}
	return l, nil
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// Lists returns the names' cultural lists.
func (l *SwapLists) Lists() []string { return l.lists }

// Variant is an answer with one kind of thing swapped.
type Variant struct {
	// Kind is names, pronouns or spelling; To the list, pronoun (he, she,
	// they) or spelling (us, uk) swapped to.
	Kind string `json:"kind"`
	To   string `json:"to"`
	// Changes counts the words replaced.
	Changes int    `json:"changes"`
	Text    string `json:"-"`
}

// token is a run of letters and apostrophes in a text, with its byte range.
type token struct {
	start, end int
	word       string
}

func tokens(text string, apostrophes bool) []token {
	var out []token
	start := -1
	for i, r := range text {
		in := unicode.IsLetter(r) || (apostrophes && start >= 0 && (r == '\'' || r == '’'))
		if in && start < 0 {
			start = i
		}
		if !in && start >= 0 {
			out = append(out, token{start, i, strings.TrimRight(text[start:i], "'’")})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{start, len(text), strings.TrimRight(text[start:], "'’")})
	}
	for i := range out {
		out[i].end = out[i].start + len(out[i].word)
	}
	return out
}

// replace applies replacements (by token index) to text.
func replace(text string, toks []token, repl map[int]string) string {
	var b strings.Builder
	last := 0
	idx := make([]int, 0, len(repl))
	for i := range repl {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		b.WriteString(text[last:toks[i].start])
		b.WriteString(repl[i])
		last = toks[i].end
	}
	b.WriteString(text[last:])
	return b.String()
}

// matchCase gives word the capitalisation of like.
func matchCase(word, like string) string {
	if like == "" || word == "" {
		return word
	}
	r, n := utf8.DecodeRuneInString(like)
	if unicode.IsUpper(r) {
		if len(like) > n && strings.ToUpper(like) == like {
			return strings.ToUpper(word)
		}
		w, wn := utf8.DecodeRuneInString(word)
		return string(unicode.ToUpper(w)) + word[wn:]
	}
	return word
}

// Variants returns every swap of text that changes it: one per other
// cultural list for the names found, he, she and they for the pronouns,
// and US and UK spellings.
func (l *SwapLists) Variants(text string) []Variant {
	var out []Variant
	out = append(out, l.nameVariants(text)...)
	out = append(out, l.pronounVariants(text)...)
	out = append(out, l.spellingVariants(text)...)
	return out
}

func (l *SwapLists) nameVariants(text string) []Variant {
	toks := tokens(text, false)
	found := map[int]namePos{}
	for i, t := range toks {
		if p, ok := l.nameAt[t.word]; ok {
			found[i] = p
		}
	}
	if len(found) == 0 {
		return nil
	}
	order := make([]int, 0, len(found))
	for i := range found {
		order = append(order, i)
	}
	sort.Ints(order)
	var out []Variant
	for _, to := range l.lists {
		// Distinct people stay distinct: two names never become one, and
		// no name becomes one already in the text.
		repl := map[int]string{}
		assigned := map[string]string{}
		used := map[string]bool{}
		for _, i := range order {
			if found[i].list == to {
				used[toks[i].word] = true
			}
		}
		for _, i := range order {
			p, w := found[i], toks[i].word
			target := l.names[to][p.kind]
			if p.list == to || len(target) == 0 {
				continue
			}
			name, ok := assigned[w]
			for k := 0; !ok && k < len(target); k++ {
				if c := target[(p.i+k)%len(target)]; !used[c] {
					name, ok = c, true
				}
			}
			if !ok {
				continue
			}
			assigned[w], used[name] = name, true
			repl[i] = name
		}
		if len(repl) > 0 {
			out = append(out, Variant{Kind: SwapNames, To: to, Changes: len(repl), Text: replace(text, toks, repl)})
		}
	}
	return out
}

// functionWords follow an object pronoun ("told her that", "gave her a")
// but not a possessive one ("her refund"); they tell the two "her"s apart.
var functionWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or but nor so yet if then than that this these those to of in on at by for with
	about from into onto over under up down out off back away again through across after before since until while as
	when where why how what who whom which whether because though although i me my we us our you your he him his she
	her they them their it its is was were be been being am are has have had do does did will would can could shall
	should may might must not no yet too very really just also even still already right now today tomorrow yesterday
	here there all both each every any some one two three first last next more most less least enough anyway instead
	immediately directly personally properly later soon once twice know`) {
		functionWords[w] = true
	}
}

// pronounRow returns the row of the form at token i, reading "her" and
// "his" by the word that follows.
func (l *SwapLists) pronounRow(toks []token, i int, text string) (row int, col int, ok bool) {
	w := strings.ReplaceAll(strings.ToLower(toks[i].word), "’", "'")
	pos, ok := l.pronoun[w]
	if !ok {
		return 0, 0, false
	}
	role := pos.role
	if w == "her" || w == "his" {
		// A possessive determiner is followed, in the same clause, by
		// the word it qualifies.
		det := false
		if i+1 < len(toks) {
			between := text[toks[i].end:toks[i+1].start]
			next := strings.ToLower(toks[i+1].word)
			det = strings.TrimSpace(between) == "" && !functionWords[next]
		}
		switch {
		case w == "her" && det:
			role = "determiner"
		case w == "her":
			role = "object"
		case det:
			role = "determiner"
		default:
			role = "possessive"
		}
	}
	for r, forms := range l.rows {
		if forms[pos.col] == w && l.roleNames[r] == role {
			return r, pos.col, true
		}
	}
	return 0, 0, false
}

func (l *SwapLists) pronounVariants(text string) []Variant {
	toks := tokens(text, true)
	type hit struct{ row, col int }
	hits := map[int]hit{}
	for i := range toks {
		if r, c, ok := l.pronounRow(toks, i, text); ok && c < 2 {
			hits[i] = hit{r, c}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	var out []Variant
	for col, to := range []string{"he", "she", "they"} {
		repl := map[int]string{}
		for i, h := range hits {
			if h.col == col || (col < 2 && h.col == 2) {
				continue
			}
			w := matchCase(l.rows[h.row][col], toks[i].word)
			if strings.Contains(toks[i].word, "’") {
				w = strings.ReplaceAll(w, "'", "’")
			}
			repl[i] = w
		}
		if len(repl) > 0 {
			out = append(out, Variant{Kind: SwapPronouns, To: to, Changes: len(repl), Text: replace(text, toks, repl)})
		}
	}
	return out
}

func (l *SwapLists) spellingVariants(text string) []Variant {
	toks := tokens(text, false)
	var out []Variant
	for _, v := range []struct {
		to string
		m  map[string]string
	}{{"uk", l.usToUK}, {"us", l.ukToUS}} {
		repl := map[int]string{}
		for i, t := range toks {
			if w, ok := v.m[strings.ToLower(t.word)]; ok {
				repl[i] = matchCase(w, t.word)
			}
		}
		if len(repl) > 0 {
			out = append(out, Variant{Kind: SwapSpelling, To: v.to, Changes: len(repl), Text: replace(text, toks, repl)})
		}
	}
	return out
}

// SwapOptions tune the swap test.
type SwapOptions struct {
	// Lists are the swap lists (default DefaultSwapLists).
	Lists *SwapLists
	// Tolerance is the largest specificity shift not reported (default
	// DefaultSwapTolerance).
	Tolerance   int
	Concurrency int
	Progress    func(done, total int)
}

// SwapReport is the counterfactual swap test's result.
type SwapReport struct {
	// Answers counts the answers tried; Swapped those with at least one
	// variant; Variants the re-analyses.
	Answers   int `json:"answers"`
	Swapped   int `json:"swapped"`
	Variants  int `json:"variants"`
	Tolerance int `json:"tolerance"`
	// Flips counts variants whose label differs from the original's;
	// MaxShift is the largest specificity shift.
	Flips    int `json:"flips"`
	MaxShift int `json:"max_shift"`
	// Kinds summarise each kind of swap.
	Kinds []SwapKind `json:"kinds"`
	// Cases are the variants with a label flip or a shift above
	// Tolerance, largest first.
	Cases []SwapCase `json:"cases"`
}

// SwapKind summarises one kind of swap.
type SwapKind struct {
	Kind     string `json:"kind"`
	Answers  int    `json:"answers"`
	Variants int    `json:"variants"`
	Flips    int    `json:"flips"`
	MaxShift int    `json:"max_shift"`
	// MeanShift is the mean absolute specificity shift; AreaChanges the
	// area statuses that changed, over all variants.
	MeanShift   float64 `json:"mean_shift"`
	AreaChanges int     `json:"area_changes"`
}

// SwapCase is one variant whose verdict moved.
type SwapCase struct {
	ID         string `json:"id"`
	QuestionID string `json:"question_id"`
	Transcript string `json:"transcript,omitempty"`
	Variant
	Label              string `json:"label"`
	VariantLabel       string `json:"variant_label"`
	Specificity        int    `json:"specificity"`
	VariantSpecificity int    `json:"variant_specificity"`
	Shift              int    `json:"shift"`
	AreaChanges        int    `json:"area_changes"`
}

// swapItem is one answer of the test.
type swapItem struct {
	id, qid, transcript, text string
}

// Swap re-analyses every answer of set (the answers file's, and those
// segmentation finds in the transcripts) with names, pronouns and spellings
// swapped (SwapLists.Variants) and reports what moved. It needs no labels
// and no groups. Errors as Evaluate.
func Swap(ctx context.Context, eng analyzer.Engine, g *analyzer.Guide, set *Set, opts SwapOptions) (*SwapReport, error) {
	if err := Check(g, set); err != nil {
		return nil, err
	}
	if opts.Lists == nil {
		opts.Lists = DefaultSwapLists()
	}
	if opts.Tolerance <= 0 {
		opts.Tolerance = DefaultSwapTolerance
	}
	opts.Concurrency = Options{Concurrency: opts.Concurrency}.withDefaults().Concurrency
	var items []swapItem
	for _, it := range set.Answers {
		items = append(items, swapItem{id: it.ID, qid: it.QuestionID, text: it.Text})
	}
	for _, t := range set.Transcripts {
		seg, _, err := interview.Parse(g, t.Name, []byte(t.Text), interview.Options{})
		if err != nil {
			return nil, err
		}
		for _, a := range seg.Answers {
			items = append(items, swapItem{id: t.Name + "/" + a.QuestionID, qid: a.QuestionID, transcript: t.Name, text: a.Text})
		}
	}
	type job struct {
		item    int
		variant int // -1: the original
	}
	variants := make([][]Variant, len(items))
	var jobs []job
	for i, it := range items {
		variants[i] = opts.Lists.Variants(it.text)
		if len(variants[i]) == 0 {
			continue
		}
		jobs = append(jobs, job{i, -1})
		for v := range variants[i] {
			jobs = append(jobs, job{i, v})
		}
	}
	results := make(map[job]analyzer.AnswerAnalysis, len(jobs))
	var mu sync.Mutex
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	var done atomic.Int64
	var firstErr error
	var once sync.Once
	for _, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(j job) {
			defer wg.Done()
			defer func() { <-sem }()
			it := items[j.item]
			text := it.text
			if j.variant >= 0 {
				text = variants[j.item][j.variant].Text
			}
			rep, err := analyzer.Analyze(ctx, eng, g, []analyzer.Answer{{QuestionID: it.qid, Text: text, AskedAt: -1}}, analyzer.Options{Concurrency: 1})
			if err == nil && len(rep.Answers) == 0 {
				err = errors.New("the engine found no answer in it")
			}
			if err != nil {
				once.Do(func() { firstErr = fmt.Errorf("swap test, answer %s: %w", it.id, err); cancel() })
				return
			}
			mu.Lock()
			results[j] = rep.Answers[0]
			mu.Unlock()
			if opts.Progress != nil {
				opts.Progress(int(done.Add(1)), len(jobs))
			}
		}(j)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	rep := &SwapReport{Answers: len(items), Tolerance: opts.Tolerance, Cases: []SwapCase{}}
	kinds := map[string]*SwapKind{}
	sums := map[string]int{}
	for _, k := range []string{SwapNames, SwapPronouns, SwapSpelling} {
		kinds[k] = &SwapKind{Kind: k}
	}
	for i, it := range items {
		if len(variants[i]) == 0 {
			continue
		}
		rep.Swapped++
		orig := results[job{i, -1}]
		counted := map[string]bool{}
		for v, va := range variants[i] {
			a := results[job{i, v}]
			k := kinds[va.Kind]
			if !counted[va.Kind] {
				counted[va.Kind] = true
				k.Answers++
			}
			k.Variants++
			rep.Variants++
			shift := a.Delivery.Specificity - orig.Delivery.Specificity
			abs := max(shift, -shift)
			sums[va.Kind] += abs
			k.MaxShift = max(k.MaxShift, abs)
			rep.MaxShift = max(rep.MaxShift, abs)
			changes := 0
			for x := range min(len(a.Coverage.Areas), len(orig.Coverage.Areas)) {
				if a.Coverage.Areas[x].Status != orig.Coverage.Areas[x].Status {
					changes++
				}
			}
			k.AreaChanges += changes
			flip := a.Delivery.Label != orig.Delivery.Label
			if flip {
				k.Flips++
				rep.Flips++
			}
			if flip || abs > opts.Tolerance {
				rep.Cases = append(rep.Cases, SwapCase{ID: it.id, QuestionID: it.qid, Transcript: it.transcript, Variant: va,
					Label: orig.Delivery.Label, VariantLabel: a.Delivery.Label, Specificity: orig.Delivery.Specificity,
					VariantSpecificity: a.Delivery.Specificity, Shift: shift, AreaChanges: changes})
			}
		}
	}
	for _, k := range []string{SwapNames, SwapPronouns, SwapSpelling} {
		sk := kinds[k]
		if sk.Variants > 0 {
			sk.MeanShift = float64(sums[k]) / float64(sk.Variants)
		}
		rep.Kinds = append(rep.Kinds, *sk)
	}
	sort.SliceStable(rep.Cases, func(i, j int) bool {
		a, b := rep.Cases[i], rep.Cases[j]
		fa, fb := a.Label != a.VariantLabel, b.Label != b.VariantLabel
		if fa != fb {
			return fa
		}
		return max(a.Shift, -a.Shift) > max(b.Shift, -b.Shift)
	})
	return rep, nil
}
