package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// folds is the number of cross-validation folds; an item's fold is a hash
// of its set and id, so folds do not depend on file order.
const folds = 5

// item is one labelled answer with its question.
type item struct {
	set, id string
	q       analyzer.Question
	others  []analyzer.Question // the guide's questions
	text    string
	areas   map[int]int // 0-based area -> gold status 0..2
	ev      map[int][]string
	fold    int
	off     bool // given to a question it does not answer
	// foreign: a labelled answer held against a question of the other
	// guide, every area missing. Never trained on: the cross-validation
	// reports how many of these areas the held-out models read as
	// missing (coverageForeign).
	foreign bool
	// deliveryOnly: an answer labelled for delivery alone
	// (testdata/eval/delivery_recitals.jsonl: no area statuses, no
	// evidence). It feeds the delivery model only: no coverage, evidence or
	// off-question rows, and no foreign twin.
	deliveryOnly bool
	// depth holds the answer's labelled depth signals (depth.go), in the
	// order of its guide's signals; nil for an answer without them.
	depth []signalLabel
	label int // gold delivery label: 0 rehearsed, 1 mixed, 2 specific; -1 none
	spec  int // gold specificity, -1 none
	trace *heuristic.Trace
}

// setLabels reads an answer's area statuses and evidence, keyed by the
// area's 1-based index ("1".."8"), into it.
func (it *item) setLabels(areas map[string]string, evidence map[string][]string) {
	for k, s := range areas {
		var n int
		fmt.Sscan(k, &n)
		v, _ := evaluation.StatusValue(s)
		it.areas[n-1] = v
	}
	for k, ss := range evidence {
		var n int
		fmt.Sscan(k, &n)
		it.ev[n-1] = ss
	}
}

func foldOf(set, id string) int {
	h := fnv.New32a()
	h.Write([]byte(set + "/" + id))
	return int(h.Sum32() % folds)
}

func loadItems(d *heuristic.DataLog, shared string) ([]*item, error) {
	seed, err := seedGuide(shared)
	if err != nil {
		return nil, err
	}
	seedPath, _ := filepath.Glob(filepath.Join(shared, "seeds", "*.txt"))
	if err := d.Add(seedPath[0], len(seed.Questions)); err != nil {
		return nil, err
	}
	behav, ok := guide.Builtin("behavioral-core")
	if !ok {
		return nil, fmt.Errorf("no built-in guide behavioral-core")
	}
	devEv, err := readEvidence(d, "testdata/eval/evidence_dev.jsonl")
	if err != nil {
		return nil, err
	}
	sources := []struct {
		set, path string
		g         *analyzer.Guide
	}{
		{"dev", filepath.Join(shared, "eval", "dev", "answers.jsonl"), seed},
		{"own2", "testdata/eval/answers2.jsonl", seed},
		{"behav", "testdata/eval/behavioral/answers.jsonl", behav},
		// Delivery-only: each item names its guide in group.guide (a
		// built-in id or a guide file under testdata/: deliveryGuide).
		{deliveryOnlySets[0], "testdata/eval/delivery_recitals.jsonl", nil},
		{deliveryOnlySets[1], "testdata/eval/delivery_set2.jsonl", nil},
		{deliveryOnlySets[2], "testdata/eval/delivery_variants.jsonl", nil},
		{deliveryOnlySets[3], "testdata/eval/delivery_spoken_train.jsonl", nil},
	}
	if synDelDir != "" {
		files, err := filepath.Glob(filepath.Join(synDelDir, "*.jsonl"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			sources = append(sources, struct {
				set, path string
				g         *analyzer.Guide
			}{synDelSet, f, nil})
		}
	}
	var out []*item
	guideFiles := map[string]*analyzer.Guide{}
	for _, src := range sources {
		b, err := os.ReadFile(src.path)
		if err != nil {
			return nil, err
		}
		its, err := evaluation.ParseAnswers(src.path, b)
		if err != nil {
			return nil, err
		}
		if err := d.Add(src.path, len(its)); err != nil {
			return nil, err
		}
		for _, it := range its {
			g := src.g
			if g == nil {
				if g, err = deliveryGuide(d, guideFiles, it.Group["guide"]); err != nil {
					return nil, fmt.Errorf("%s: %s: group.guide: %w", src.path, it.ID, err)
				}
				if len(it.Areas) > 0 || len(it.Evidence) > 0 {
					return nil, fmt.Errorf("%s: %s: area statuses or evidence in a delivery-only set", src.path, it.ID)
				}
			}
			q, ok := question(g, it.QuestionID)
			if !ok {
				return nil, fmt.Errorf("%s: %s: no question %s in %s", src.path, it.ID, it.QuestionID, g.ID)
			}
			x := &item{set: src.set, id: it.ID, q: q, others: g.Questions, text: it.Text, areas: map[int]int{}, ev: map[int][]string{},
				fold: itemFold(src.set, it.ID), label: labelValue(it.Label), spec: -1, deliveryOnly: src.g == nil}
			if it.Specificity != nil {
				x.spec = *it.Specificity
			}
			evs := it.Evidence
			if src.set == "dev" {
				evs = devEv[it.ID]
			}
			x.setLabels(it.Areas, evs)
			out = append(out, x)
		}
	}
	off, err := offItems(d, seed, behav)
	if err != nil {
		return nil, err
	}
	syn, err := synItems(d, synDir)
	if err != nil {
		return nil, err
	}
	return append(append(append(out, foreignItems(out, seed, behav)...), off...), syn...), nil
}

// foreignItems holds every labelled answer against one question of the
// other guide (the customer-empathy answers against a behavioural
// question and the other way round), chosen by a hash of the answer's id;
// each keeps its answer's fold.
func foreignItems(items []*item, seed, behav *analyzer.Guide) []*item {
	var out []*item
	for _, it := range items {
		if it.deliveryOnly || it.set == synSet {
			continue
		}
		g := behav
		if it.set == "behav" {
			g = seed
		}
		h := fnv.New32a()
		h.Write([]byte("foreign/" + it.set + "/" + it.id))
		q := g.Questions[int(h.Sum32()%uint32(len(g.Questions)))]
		f := &item{set: "foreign", id: it.set + "/" + it.id, q: q, others: g.Questions, text: it.text, areas: map[int]int{},
			ev: map[int][]string{}, fold: it.fold, foreign: true, label: -1, spec: -1}
		for a := range q.Areas {
			f.areas[a] = 0
		}
		out = append(out, f)
	}
	return out
}

// offItems are the behavioral set's answers given to a question they do
// not answer (each area labelled missing) and its on-topic controls.
func offItems(d *heuristic.DataLog, seed, behav *analyzer.Guide) ([]*item, error) {
	path := "testdata/eval/behavioral/offtopic.jsonl"
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []*item
	for i, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var r struct {
			ID         string `json:"id"`
			Guide      string `json:"guide"`
			QuestionID string `json:"question_id"`
			Text       string `json:"text"`
			Off        bool   `json:"off_question"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, i+1, err)
		}
		g := seed
		if r.Guide == "behavioral-core" {
			g = behav
		}
		q, ok := question(g, r.QuestionID)
		if !ok {
			return nil, fmt.Errorf("%s:%d: no question %s", path, i+1, r.QuestionID)
		}
		x := &item{set: "offq", id: r.ID, q: q, others: g.Questions, text: r.Text, areas: map[int]int{},
			ev: map[int][]string{}, fold: foldOf("offtopic", r.ID), off: r.Off, label: -1, spec: -1}
		if r.Off {
			for a := range q.Areas {
				x.areas[a] = 0
			}
		}
		out = append(out, x)
	}
	return out, d.Add(path, len(out))
}

// deliveryGuide is the guide a delivery-only item names: a built-in id or
// a guide file under testdata (read once into files, recorded in d).
func deliveryGuide(d *heuristic.DataLog, files map[string]*analyzer.Guide, ref string) (*analyzer.Guide, error) {
	if g, ok := guide.Builtin(ref); ok {
		return g, nil
	}
	if g := files[ref]; g != nil {
		return g, nil
	}
	if !strings.HasPrefix(ref, "testdata/") {
		return nil, fmt.Errorf("%q is no built-in guide nor a guide file under testdata/", ref)
	}
	g, err := guide.Load(ref)
	if err != nil {
		return nil, err
	}
	files[ref] = g
	return g, d.Add(ref, len(g.Questions))
}

// itemFold is an item's cross-validation fold. A retelling of a labelled
// answer (delivery_variants.jsonl, id "<source id>~<kind>") shares its
// source's fold, so that no fold is tested on a story whose other telling
// it was fitted on.
func itemFold(set, id string) int {
	if set == deliveryOnlySets[2] {
		src, _, _ := strings.Cut(id, "~")
		if strings.HasPrefix(src, "b-") {
			return foldOf("behav", src)
		}
		return foldOf("own2", src)
	}
	return foldOf(set, id)
}

// seedGuide reads the guide the labels of ../shared/eval/dev and
// testdata/eval were written against.
func seedGuide(shared string) (*analyzer.Guide, error) {
	p, err := filepath.Glob(filepath.Join(shared, "seeds", "*.txt"))
	if err != nil || len(p) == 0 {
		return nil, fmt.Errorf("no seed guide under %s/seeds", shared)
	}
	return guide.Load(p[0])
}

func question(g *analyzer.Guide, id string) (analyzer.Question, bool) {
	for _, q := range g.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return analyzer.Question{}, false
}

func readEvidence(d *heuristic.DataLog, path string) (map[string]map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]map[string][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r struct {
			ID       string              `json:"id"`
			Evidence map[string][]string `json:"evidence"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out[r.ID] = r.Evidence
	}
	if err := d.Add(path, len(out)); err != nil {
		return nil, err
	}
	return out, sc.Err()
}

func traceAll(items []*item) error {
	e := heuristic.New()
	for _, it := range items {
		t, err := e.Trace(it.q, it.others, it.text)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", it.set, it.id, err)
		}
		it.trace = t
	}
	return nil
}

// goldUnits marks the units of an answer that fall inside a gold evidence
// sentence (at least half of the unit's bytes).
func goldUnits(it *item, area int) []bool {
	return heuristic.GoldUnits(it.text, it.trace.Units, it.ev[area])
}

func trainInterview(d *heuristic.DataLog, shared string, w *heuristic.Weights, stages int) error {
	items, err := loadItems(d, shared)
	if err != nil {
		return err
	}
	if err := attachDepth(d, items); err != nil {
		return err
	}
	if err := traceAll(items); err != nil {
		return err
	}
	if err := trainDelivery(items, w); err != nil {
		return err
	}
	heuristic.SetWeights(w)
	if err := traceAll(items); err != nil {
		return err
	}
	if err := trainEvidence(items, w); err != nil {
		return err
	}
	heuristic.SetWeights(w)
	alias, err := protoAlias(shared)
	if err != nil {
		return err
	}
	if err := traceByFold(items, w, alias); err != nil {
		return err
	}
	if err := trainQuote(items, w); err != nil {
		return err
	}
	if err := trainQuoteProto(items, w, alias); err != nil {
		return err
	}
	w.Prototypes = prototypes(items, func(int) bool { return false }, alias)
	heuristic.SetWeights(w)
	if stages < 3 {
		return nil
	}
	if err := traceAll(items); err != nil {
		return err
	}
	if err := trainCoverage(items, w); err != nil {
		return err
	}
	heuristic.SetWeights(w)
	if err := trainDepth(items, w, alias); err != nil {
		return err
	}
	heuristic.SetWeights(w)
	if stages < 4 {
		return nil
	}
	if err := traceAll(items); err != nil {
		return err
	}
	return trainOffQuestion(items, w)
}

type evRow struct {
	x    [][]float64
	gold []bool
	it   *item
	p    []float64 // held-out scores, set during cross-validation
}

func evidenceRows(items []*item) []evRow {
	return unitRows(items, func(a heuristic.AreaTrace) [][]float64 { return a.Evidence })
}

// unitRows are the (answer, area) rows with gold evidence sentences, each
// unit's vector read by vecs.
func unitRows(items []*item, vecs func(heuristic.AreaTrace) [][]float64) []evRow {
	var rows []evRow
	for _, it := range items {
		for _, a := range slices.Sorted(maps.Keys(it.ev)) {
			ss := it.ev[a]
			if len(ss) == 0 || a >= len(it.trace.Areas) || it.trace.Areas[a].Claim {
				continue
			}
			gold := goldUnits(it, a)
			r := evRow{it: it}
			any := false
			for u, x := range vecs(it.trace.Areas[a]) {
				if x == nil {
					continue
				}
				r.x = append(r.x, x)
				r.gold = append(r.gold, gold[u])
				any = any || gold[u]
			}
			if any {
				rows = append(rows, r)
			}
		}
	}
	return rows
}

func fitUnits(features []string, rows []evRow, keep func(evRow) bool, lambda float64) (*model.Logistic, error) {
	var X [][]float64
	var y []bool
	for _, r := range rows {
		if keep(r) {
			X = append(X, r.x...)
			y = append(y, r.gold...)
		}
	}
	return fit.Logistic(features, X, y, nil, lambda)
}

// precisionAt1 is the share of (answer, area) rows whose top unit by score
// is a gold evidence unit.
func precisionAt1(rows []evRow, score func(r evRow, u int) float64) float64 {
	hit := 0
	for _, r := range rows {
		best := 0
		for u := range r.x {
			if score(r, u) > score(r, best) {
				best = u
			}
		}
		if r.gold[best] {
			hit++
		}
	}
	return float64(hit) / float64(len(rows))
}

func trainEvidence(items []*item, w *heuristic.Weights) error {
	rows := evidenceRows(items)
	fmt.Printf("evidence: %d (answer, area) pairs with gold sentences\n", len(rows))
	pairOnly := precisionAt1(rows, func(r evRow, u int) float64 { return r.x[u][0] })
	m, l, p, _, err := fitUnitModel("evidence", heuristic.EvidenceFeatures, rows)
	if err != nil {
		return err
	}
	fmt.Printf("evidence: (pair probability alone %.3f)\n", pairOnly)
	w.Evidence = m
	w.Figures["evidence_lambda"] = l
	w.Figures["evidence_precision_at1_cv"] = analyzer.Round3(p)
	w.Figures["evidence_precision_at1_pair_only"] = analyzer.Round3(pairOnly)
	return nil
}

// trainQuote fits the model that picks the sentence shown for an area, on
// the same gold sentences as the evidence model, and chooses the quote
// probability from which the engine stands behind a quote (QuoteSure).
func trainQuote(items []*item, w *heuristic.Weights) error {
	rows := unitRows(items, func(a heuristic.AreaTrace) [][]float64 { return a.Quote })
	m, cut, err := fitQuoteModel("quote", heuristic.QuoteFeatures, rows, w)
	w.Quote, w.QuoteSure = m, cut
	return err
}

// fitQuoteModel fits a quote model on rows, records its figures under name
// and returns it with the probability from which the engine stands behind
// its quotes (2, above any probability, when none qualifies).
func fitQuoteModel(name string, features []string, rows []evRow, w *heuristic.Weights) (*model.Logistic, float64, error) {
	m, l, p, held, err := fitUnitModel(name, features, rows)
	if err != nil {
		return nil, 0, err
	}
	w.Figures[name+"_lambda"] = l
	w.Figures[name+"_precision_at1_cv"] = analyzer.Round3(p)
	tops := topQuotes(held)
	cut, ok := sureCut(tops, heuristic.QuoteSureTarget)
	if !ok {
		fmt.Printf("%s: no probability gives held-out quotes right %.0f%% of the time; every quote is tentative\n", name, 100*heuristic.QuoteSureTarget)
		return m, 2, nil
	}
	// The cut measured where it was not chosen: chosen on four folds'
	// held-out quotes, counted on the fifth's.
	var sure, right, all int
	for f := 0; f < folds; f++ {
		var in, out []topQuote
		for _, t := range tops {
			if t.fold == f {
				out = append(out, t)
			} else {
				in = append(in, t)
			}
		}
		c, ok := sureCut(in, heuristic.QuoteSureTarget)
		for _, t := range out {
			all++
			if ok && t.p >= c {
				sure++
				if t.right {
					right++
				}
			}
		}
	}
	prec := float64(right) / float64(max(sure, 1))
	fmt.Printf("%s: stands behind a quote from probability %.3f; chosen on four folds and counted on the fifth: %d of %d quotes sure (%.3f), %.3f of them the labelled sentence\n",
		name, cut, sure, all, float64(sure)/float64(all), prec)
	w.Figures[name+"_sure_share_cv"] = analyzer.Round3(float64(sure) / float64(all))
	w.Figures[name+"_sure_precision_cv"] = analyzer.Round3(prec)
	printReliability("the first "+name+" probability, held-out folds", func(yield func(float64, bool)) {
		for _, t := range tops {
			yield(t.p, t.right)
		}
	})
	return m, analyzer.Round3(cut), nil
}

// topQuote is the quote a held-out model shows first for one (answer,
// area) row: its probability, whether it is a labelled evidence sentence,
// and the row's fold.
type topQuote struct {
	p     float64
	right bool
	fold  int
}

func topQuotes(held []evRow) []topQuote {
	out := make([]topQuote, 0, len(held))
	for _, r := range held {
		best := 0
		for u := range r.p {
			if r.p[u] > r.p[best] {
				best = u
			}
		}
		out = append(out, topQuote{r.p[best], r.gold[best], r.it.fold})
	}
	return out
}

// minSure is the fewest quotes a cut may rest on: a cut that only the few
// most confident quotes pass says little.
const minSure = 40

// sureCut is the least probability at which the quotes at or above it are
// right at least target of the time (at least minSure of them); ok is
// false when there is none.
func sureCut(tops []topQuote, target float64) (cut float64, ok bool) {
	s := append([]topQuote(nil), tops...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].p > s[j].p })
	right := 0
	for i, t := range s {
		if t.right {
			right++
		}
		// Only where the next quote's probability is lower: a cut cannot
		// split quotes of one probability.
		if i+1 < len(s) && s[i+1].p == t.p {
			continue
		}
		if i+1 >= minSure && float64(right) >= target*float64(i+1) {
			cut, ok = t.p, true
		}
	}
	return cut, ok
}

// fitUnitModel chooses the penalty by precision@1 over 5-fold CV and fits
// on all rows; held are the rows with the chosen penalty's held-out
// probabilities.
func fitUnitModel(name string, features []string, rows []evRow) (*model.Logistic, float64, float64, []evRow, error) {
	bestL, bestP := 0.0, -1.0
	var bestHeld []evRow
	for _, l := range lambdas {
		var held []evRow
		for f := 0; f < folds; f++ {
			m, err := fitUnits(features, rows, func(r evRow) bool { return r.it.fold != f }, l)
			if err != nil {
				return nil, 0, 0, nil, err
			}
			for _, r := range rows {
				if r.it.fold == f {
					r.p = make([]float64, len(r.x))
					for u, x := range r.x {
						r.p[u] = m.Prob(x)
					}
					held = append(held, r)
				}
			}
		}
		// Chosen on the labelled sets: synthetic rows teach, never choose.
		var real, syn []evRow
		for _, r := range held {
			if r.it.set == synSet {
				syn = append(syn, r)
			} else {
				real = append(real, r)
			}
		}
		p := precisionAt1(real, func(r evRow, u int) float64 { return r.p[u] })
		if len(syn) > 0 {
			fmt.Printf("%s: lambda %-7g synthetic rows' precision@1 by %d-fold CV %.3f\n", name, l, folds, precisionAt1(syn, func(r evRow, u int) float64 { return r.p[u] }))
		}
		fmt.Printf("%s: lambda %-7g precision@1 by %d-fold CV %.3f\n", name, l, folds, p)
		if p > bestP {
			bestL, bestP, bestHeld = l, p, real
		}
	}
	m, err := fitUnits(features, rows, func(evRow) bool { return true }, bestL)
	return m, bestL, bestP, bestHeld, err
}

type covRow struct {
	x    []float64
	y    int
	it   *item
	kind string // the area's head kind (heuristic.AreaKind)
}

func coverageRows(items []*item) []covRow {
	var rows []covRow
	for _, it := range items {
		if it.foreign {
			continue
		}
		if it.off {
			// Off-question answers teach the off-question model; as
			// coverage rows (every area missing) they pulled the on-topic
			// sets' held-out QWK down (own2 0.50 -> 0.37, behav 0.42 ->
			// 0.33) while still leaving 41% of their areas partial.
			continue
		}
		for _, a := range slices.Sorted(maps.Keys(it.areas)) {
			s := it.areas[a]
			if a >= len(it.trace.Areas) || it.trace.Areas[a].Coverage == nil {
				continue
			}
			rows = append(rows, covRow{it.trace.Areas[a].Coverage, s, it, heuristic.AreaKind(it.q, a)})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return itemBefore(rows[i].it, rows[j].it) })
	return dropCoverageColumns(rows)
}

// dropCoverageColumns sets the features -drop-coverage names to 0 in
// copies of the rows' vectors (the traces, which the depth model reads,
// keep them).
func dropCoverageColumns(rows []covRow) []covRow {
	if len(dropCoverage) == 0 {
		return rows
	}
	for i := range rows {
		x := slices.Clone(rows[i].x)
		for _, k := range dropCoverage {
			x[k] = 0
		}
		rows[i].x = x
	}
	return rows
}

// itemBefore orders rows by their answer's set, then id: the order every
// model's rows are fitted in, whatever order the folds traced them.
func itemBefore(a, b *item) bool {
	if a.set != b.set {
		return a.set < b.set
	}
	return a.id < b.id
}

// coverageRising marks the features of heuristic.CoverageRising in
// heuristic.CoverageFeatures: their weights are held at zero or above.
var coverageRising = func() []bool {
	m := make([]bool, len(heuristic.CoverageFeatures))
	for i, f := range heuristic.CoverageFeatures {
		m[i] = slices.Contains(heuristic.CoverageRising, f)
	}
	return m
}()

func fitCoverage(rows []covRow, keep func(covRow) bool, lambda float64) (*model.Ordinal, error) {
	var X [][]float64
	var y []int
	for _, r := range rows {
		if keep(r) {
			X = append(X, r.x)
			y = append(y, r.y)
		}
	}
	return fit.OrdinalDecider(heuristic.CoverageFeatures, X, y, lambda, coverageRising)
}

func trainCoverage(items []*item, w *heuristic.Weights) error {
	rows := coverageRows(items)
	fmt.Printf("coverage: %d labelled areas\n", len(rows))
	foreign := foreignRows(items)
	bestL, bestShrink, bestQ := 0.0, 0.0, -2.0
	var bestPred, bestForeign []int
	var bestProb []float64
	for _, shrink := range kindShrinks {
		for _, l := range lambdas {
			pred := make([]int, len(rows))
			prob := make([]float64, len(rows))
			fpred := make([]int, len(foreign))
			for f := 0; f < folds; f++ {
				// The kind prior of the training folds only.
				setKindPrior(rows, foreign, kindPriors(rows, func(r covRow) bool { return r.it.fold != f }, shrink))
				m, err := fitCoverage(rows, func(r covRow) bool { return r.it.fold != f }, l)
				if err != nil {
					return err
				}
				for i, r := range rows {
					if r.it.fold == f {
						s := m.Score(r.x)
						pred[i] = m.Decide(s)
						prob[i] = m.AtLeast(s, 2)
					}
				}
				for i, r := range foreign {
					if r.it.fold == f {
						fpred[i] = m.Decide(m.Score(r.x))
					}
				}
			}
			// Chosen on the labelled sets: synthetic rows teach, never choose.
			q := qwkRows(rows, pred, func(r covRow) bool { return r.it.set != synSet })
			fmt.Printf("coverage: kind prior shrink %-3g lambda %-7g QWK by %d-fold CV %.3f\n", shrink, l, folds, q)
			if q > bestQ {
				bestL, bestShrink, bestQ, bestPred, bestProb, bestForeign = l, shrink, q, pred, prob, fpred
			}
		}
	}
	var byStatus [3]int
	for _, p := range bestForeign {
		byStatus[p]++
	}
	fmt.Printf("coverage: another guide's areas (held-out folds): %d missing, %d partial, %d covered of %d\n",
		byStatus[0], byStatus[1], byStatus[2], len(bestForeign))
	w.Figures["coverage_foreign_missing_cv"] = analyzer.Round3(float64(byStatus[0]) / float64(max(len(bestForeign), 1)))
	pairSeparation(items)
	offSeparation(items)
	for _, set := range []string{"dev", "own2", "behav", synSet} {
		if set == synSet && synDir == "" {
			continue
		}
		q := qwkRows(rows, bestPred, func(r covRow) bool { return r.it.set == set })
		acc := accRows(rows, bestPred, func(r covRow) bool { return r.it.set == set })
		fmt.Printf("coverage: set %-5s QWK %.3f accuracy %.3f (held-out folds)\n", set, q, acc)
		w.Figures["coverage_qwk_cv_"+set] = analyzer.Round3(q)
	}
	coverageByLength(w, rows, bestPred)
	if cvOut != "" {
		if err := writeCoverageCV(cvOut+".coverage", rows, bestPred, bestProb); err != nil {
			return err
		}
	}
	withinAnswer(rows, bestProb)
	w.Figures["coverage_qwk_cv"] = analyzer.Round3(bestQ)
	w.Figures["coverage_lambda"] = bestL
	w.Figures["coverage_kind_prior_shrink"] = bestShrink
	printReliability("P(covered), coverage model, held-out folds", func(yield func(float64, bool)) {
		for i, r := range rows {
			yield(bestProb[i], r.y == 2)
		}
	})
	w.CoverageKindPrior = kindPriors(rows, func(covRow) bool { return true }, bestShrink)
	setKindPrior(rows, foreign, w.CoverageKindPrior)
	m, err := fitCoverage(rows, func(covRow) bool { return true }, bestL)
	if err != nil {
		return err
	}
	w.Coverage = m
	return nil
}

// kindShrinks are the shrinkages of the kind prior tried: a kind's mean
// status counts as if it had this many more areas at the mean of all.
var kindShrinks = []float64{3, 10, 30}

// kindPriors is, by head kind, the mean status over 2 of the rows keep
// accepts, shrunk towards the mean of all of them (key "") as if each kind
// had shrink more areas at that mean.
func kindPriors(rows []covRow, keep func(covRow) bool, shrink float64) map[string]float64 {
	sum, n := map[string]float64{}, map[string]float64{}
	all, nAll := 0.0, 0.0
	for _, r := range rows {
		if keep(r) {
			sum[r.kind] += float64(r.y) / 2
			n[r.kind]++
			all += float64(r.y) / 2
			nAll++
		}
	}
	mean := all / max(nAll, 1)
	out := map[string]float64{"": analyzer.Round3(mean)}
	for k := range n {
		out[k] = analyzer.Round3((sum[k] + shrink*mean) / (n[k] + shrink))
	}
	return out
}

// setKindPrior writes the kind prior into the rows' kind_prior feature.
func setKindPrior(rows, foreign []covRow, prior map[string]float64) {
	k := len(heuristic.CoverageFeatures) - 1
	for _, rs := range [][]covRow{rows, foreign} {
		for _, r := range rs {
			p, ok := prior[r.kind]
			if !ok {
				p = prior[""]
			}
			r.x[k] = p
		}
	}
}

// lengthBins are the answer lengths (words) that coverageByLength
// compares within: each bin holds a few hundred labelled areas.
var lengthBins = []int{0, 80, 120, 180, math.MaxInt}

// coverageByLength prints and records the held-out coverage agreement
// among answers of about one length: how well the model tells the areas an
// answer covers from those it leaves, once the answer's length (which
// lifts every area of a long answer) is held roughly fixed.
func coverageByLength(w *heuristic.Weights, rows []covRow, pred []int) {
	for b := 0; b+1 < len(lengthBins); b++ {
		lo, hi := lengthBins[b], lengthBins[b+1]
		in := func(r covRow) bool { n := len(strings.Fields(r.it.text)); return n >= lo && n < hi }
		var n int
		var sumPred, sumGold float64
		for i, r := range rows {
			if in(r) {
				n++
				sumPred += float64(pred[i])
				sumGold += float64(r.y)
			}
		}
		if n == 0 {
			continue
		}
		name := fmt.Sprintf("%d+", lo)
		if hi != math.MaxInt {
			name = fmt.Sprintf("%d-%d", lo, hi-1)
		}
		q := qwkRows(rows, pred, in)
		fmt.Printf("coverage: answers of %-7s words: %4d areas, QWK %.3f, mean status predicted %.2f, labelled %.2f (held-out folds)\n",
			name, n, q, sumPred/float64(n), sumGold/float64(n))
		w.Figures["coverage_qwk_cv_words_"+name] = analyzer.Round3(q)
	}
}

// withinAnswer prints, for every coverage feature, how often it ranks the
// areas of one answer as the labels do: over every two areas of an answer
// with different labelled statuses, the share in which the feature is
// higher for the one labelled higher (ties half). Answer-level features
// (length, specificity) score 0.5 by construction; what is left is what
// tells one area of an answer from another. held is the model's held-out
// P(covered) of each row, ranked the same way first.
func withinAnswer(rows []covRow, held []float64) {
	// Each answer's rows, by index into rows.
	by := map[*item][]int{}
	var order []*item
	for i, r := range rows {
		if by[r.it] == nil {
			order = append(order, r.it)
		}
		by[r.it] = append(by[r.it], i)
	}
	auc := func(v func(i int) float64) (float64, int) {
		win, n := 0.0, 0
		for _, it := range order {
			for _, i := range by[it] {
				for _, j := range by[it] {
					if rows[i].y <= rows[j].y {
						continue
					}
					n++
					switch a, b := v(i), v(j); {
					case a > b:
						win++
					case a == b:
						win += 0.5
					}
				}
			}
		}
		return win / float64(max(n, 1)), n
	}
	fmt.Println("coverage features, AUC among the areas of one answer:")
	a, n := auc(func(i int) float64 { return held[i] })
	fmt.Printf("  %-22s %.3f (%d pairs)\n", "the model (held out)", a, n)
	for f, name := range heuristic.CoverageFeatures {
		a, n := auc(func(i int) float64 { return rows[i].x[f] })
		fmt.Printf("  %-22s %.3f (%d pairs)\n", name, a, n)
	}
}

func qwkRows(rows []covRow, pred []int, keep func(covRow) bool) float64 {
	var a, b []int
	for i, r := range rows {
		if keep(r) {
			a = append(a, r.y)
			b = append(b, pred[i])
		}
	}
	return fit.QWK(a, b, 3)
}

func accRows(rows []covRow, pred []int, keep func(covRow) bool) float64 {
	n, ok := 0, 0
	for i, r := range rows {
		if keep(r) {
			n++
			if pred[i] == r.y {
				ok++
			}
		}
	}
	return float64(ok) / float64(max(n, 1))
}

func labelValue(l string) int {
	switch l {
	case "rehearsed":
		return 0
	case "mixed":
		return 1
	case "specific":
		return 2
	}
	return -1
}

// foreignRows are the coverage rows of the foreign items.
func foreignRows(items []*item) []covRow {
	var rows []covRow
	for _, it := range items {
		if !it.foreign {
			continue
		}
		for _, a := range slices.Sorted(maps.Keys(it.areas)) {
			if a < len(it.trace.Areas) && it.trace.Areas[a].Coverage != nil {
				rows = append(rows, covRow{it.trace.Areas[a].Coverage, 0, it, heuristic.AreaKind(it.q, a)})
			}
		}
	}
	return dropCoverageColumns(rows)
}

// pairSeparation prints, for every pair feature of the whole answer, how
// well it tells an area the gold marks covered from one marked missing in
// the same kind of answer, and from another guide's area held against the
// same answer (AUC: the chance that a covered area scores higher).
func pairSeparation(items []*item) {
	groups := map[string][][]float64{} // "covered", "missing", "foreign" -> rows
	for _, it := range items {
		if it.off {
			continue
		}
		for _, a := range slices.Sorted(maps.Keys(it.areas)) {
			if a >= len(it.trace.Areas) || it.trace.Areas[a].Pair == nil {
				continue
			}
			k := ""
			switch {
			case it.foreign:
				k = "foreign"
			case it.areas[a] == 2:
				k = "covered"
			case it.areas[a] == 0:
				k = "missing"
			default:
				continue
			}
			groups[k] = append(groups[k], it.trace.Areas[a].Pair)
		}
	}
	fmt.Println("pair features of the whole answer, AUC of a covered area against:")
	fmt.Println("| feature | a missing area | another guide's area |")
	fmt.Println("|---|---|---|")
	for fi, name := range heuristic.PairFeatures {
		col := func(k string) []float64 {
			var v []float64
			for _, x := range groups[k] {
				v = append(v, x[fi])
			}
			return v
		}
		cov := col("covered")
		fmt.Printf("| %s | %.2f | %.2f |\n", name, evaluation.AUC(cov, col("missing")), evaluation.AUC(cov, col("foreign")))
	}
}

// offSeparation prints, for every off-question feature, how well it tells
// a labelled answer to its own question from the same answer held against
// the other guide's question (AUC).
func offSeparation(items []*item) {
	fmt.Println("off-question features, AUC of an answer to its own question against the same answer to the other guide's:")
	for fi, name := range heuristic.OffQuestionFeatures {
		var on, fo []float64
		for _, it := range items {
			if it.off || it.set == "offq" || it.deliveryOnly {
				continue
			}
			if it.foreign {
				fo = append(fo, it.trace.OffQuestion[fi])
			} else {
				on = append(on, it.trace.OffQuestion[fi])
			}
		}
		fmt.Printf("| %s | %.2f |\n", name, evaluation.AUC(on, fo))
	}
}

// writeCoverageCV writes every labelled area's held-out reading as JSON
// lines (set, id, the area's kind, gold and held-out status, P(covered),
// the features): the coverage half of -cv-out.
func writeCoverageCV(path string, rows []covRow, pred []int, prob []float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for i, r := range rows {
		rec := map[string]any{"set": r.it.set, "id": r.it.id, "kind": r.kind, "gold": r.y, "pred": pred[i], "p": prob[i], "x": r.x}
		if err := enc.Encode(rec); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
