// Command train fits the turn model of interview alignment (package
// segment) and writes analyzer/segment/weights.json. It is deterministic:
// the same data give the same file, byte for byte.
//
//	go run ./analyzer/segment/train -shared ../shared
//
// It learns from gold-aligned transcripts: the spoken set
// (testdata/spoken, with the guide each names) and the shared dev
// transcripts (../shared/eval/dev/transcripts, with the seed guide they
// were labelled against and with the built-in cx-empathy guide, which
// numbers the same questions alike) and the repository's evaluation
// transcripts (testdata/eval/transcripts, with both guides). The intent
// weight (segment.Decoder.IntentWeight), the L2 penalty and the beam width
// are chosen by question F1 under leave-one-transcript-out cross-validation.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
	"github.com/candorhq/candor/analyzer/segment"
	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/transcript"
)

// lambdas are the penalties tried, with beam width defaultBeam; then the
// widths are tried with the chosen penalty.
var (
	lambdas = []float64{0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1}
	// intentWeights are the decoder's IntentWeight values tried, each with
	// every penalty.
	intentWeights = []float64{0, 0.5, 1}
	widths        = []int{1, 4, 8}
	defaultBeam   = 8
)

func main() {
	shared := flag.String("shared", "../shared", "the shared data folder (dev transcripts and the seed guide)")
	out := flag.String("out", "analyzer/segment/weights.json", "where to write the weights")
	drop := flag.String("drop", "", "comma-separated features to leave out (set to 0), for ablations")
	flag.BoolVar(&verbose, "v", false, "print every cross-validation miss")
	flag.Parse()
	b, err := train(".", *shared, *drop)
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

// sequence is one transcript aligned with one guide.
type sequence struct {
	fold  string // the transcript file: its guides share a fold
	set   string
	guide *analyzer.Guide
	tr    *analyzer.Transcript
	asks  []segment.Ask
	gold  map[string]bool // "q3@6"
	rows  []segment.Group
}

type goldAsk struct {
	QuestionID string `json:"question_id"`
	AskedAt    int    `json:"asked_at_turn"`
}

type goldFile struct {
	Guide    string    `json:"guide"`
	Segments []goldAsk `json:"segments"`
	// DeferredAsks are asks the candidate put off; the question's gold ask
	// is the later one.
	DeferredAsks []goldAsk `json:"deferred_asks"`
}

// load reads every transcript of dir that has a gold file, aligned with
// the guides guideFor gives.
func load(dir, set string, guideFor func(goldFile) ([]*analyzer.Guide, error), files *heuristic.DataLog) ([]*sequence, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.gold.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*sequence
	for _, gp := range names {
		base := strings.TrimSuffix(gp, ".gold.json")
		matches, _ := filepath.Glob(base + ".*")
		var tp string
		for _, m := range matches {
			if m != gp {
				tp = m
			}
		}
		if tp == "" {
			return nil, fmt.Errorf("%s: no transcript beside it", gp)
		}
		gb, err := os.ReadFile(gp)
		if err != nil {
			return nil, err
		}
		var gf goldFile
		if err := json.Unmarshal(gb, &gf); err != nil {
			return nil, fmt.Errorf("%s: %w", gp, err)
		}
		data, err := os.ReadFile(tp)
		if err != nil {
			return nil, err
		}
		guides, err := guideFor(gf)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", gp, err)
		}
		for _, g := range guides {
			tr, err := transcript.Parse(filepath.Base(tp), data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", tp, err)
			}
			s := &sequence{fold: tp, set: set, guide: g, tr: tr, gold: map[string]bool{}}
			for _, seg := range gf.Segments {
				s.asks = append(s.asks, segment.Ask{QuestionID: seg.QuestionID, Turn: seg.AskedAt})
				s.gold[seg.QuestionID+"@"+strconv.Itoa(seg.AskedAt)] = true
			}
			for _, seg := range gf.DeferredAsks {
				s.asks = append(s.asks, segment.Ask{QuestionID: seg.QuestionID, Turn: seg.AskedAt})
			}
			out = append(out, s)
		}
		for _, p := range []string{gp, tp} {
			if err := files.Add(p, len(gf.Segments)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// prf counts question hits: a hit is the gold question id at the gold turn.
type prf struct{ tp, fp, fn int }

func (p prf) f1() float64 { return 2 * float64(p.tp) / float64(max(2*p.tp+p.fp+p.fn, 1)) }

// verbose prints every cross-validation miss (-v).
var verbose bool

func (p *prf) add(s *sequence, dec *segment.Decoder) error {
	res, err := segment.Segment(s.guide, s.tr, segment.Options{Decoder: dec})
	if err != nil {
		return err
	}
	got := map[string]bool{}
	for _, a := range res.Answers {
		got[a.QuestionID+"@"+strconv.Itoa(a.AskedAt)] = true
	}
	for k := range got {
		if s.gold[k] {
			p.tp++
		} else {
			p.fp++
		}
	}
	for k := range s.gold {
		if !got[k] {
			p.fn++
		}
	}
	if verbose {
		var miss []string
		for k := range got {
			if !s.gold[k] {
				miss = append(miss, "+"+k)
			}
		}
		for k := range s.gold {
			if !got[k] {
				miss = append(miss, "-"+k)
			}
		}
		if len(miss) > 0 {
			sort.Strings(miss)
			fmt.Fprintf(os.Stderr, "  %s (%s): %v\n", filepath.Base(s.fold), s.guide.ID, miss)
		}
	}
	return nil
}

// readRows reads every sequence's training rows with the given intent
// weight.
func readRows(seqs []*sequence, intentWeight float64) error {
	for _, s := range seqs {
		var err error
		if s.rows, err = segment.TrainingGroups(s.guide, s.tr, s.asks, intentWeight); err != nil {
			return fmt.Errorf("%s with guide %s: %w", s.fold, s.guide.ID, err)
		}
	}
	return nil
}

func fitOn(seqs []*sequence, skip string, lambda float64, beam int, intentWeight float64) (*segment.Decoder, error) {
	var groups [][][]float64
	var chosen []int
	for _, s := range seqs {
		if s.fold == skip {
			continue
		}
		for _, g := range s.rows {
			groups = append(groups, g.Rows)
			chosen = append(chosen, g.Chosen)
		}
	}
	m, err := fit.Choice(segment.OpenFeatures, groups, chosen, lambda)
	if err != nil {
		return nil, err
	}
	return &segment.Decoder{Open: m, Beam: beam, IntentWeight: intentWeight}, nil
}

// crossValidate returns question F1 by set with every transcript decoded
// by a model fitted without it.
func crossValidate(seqs []*sequence, lambda float64, beam int, intentWeight float64) (map[string]*prf, error) {
	out := map[string]*prf{"all": {}}
	var folds []string
	for _, s := range seqs {
		if len(folds) == 0 || folds[len(folds)-1] != s.fold {
			folds = append(folds, s.fold)
		}
	}
	for _, f := range folds {
		dec, err := fitOn(seqs, f, lambda, beam, intentWeight)
		if err != nil {
			return nil, err
		}
		for _, s := range seqs {
			if s.fold != f {
				continue
			}
			if out[s.set] == nil {
				out[s.set] = &prf{}
			}
			if err := out[s.set].add(s, dec); err != nil {
				return nil, err
			}
			saved := verbose // each miss is printed once, by its set
			verbose = false
			err := out["all"].add(s, dec)
			verbose = saved
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func train(root, shared, drop string) ([]byte, error) {
	files := &heuristic.DataLog{Root: root}
	seedPath := filepath.Join(shared, "seeds", "000_d3797fe2d9603f3b.txt")
	seed, err := guide.Load(seedPath)
	if err != nil {
		return nil, fmt.Errorf("the seed guide: %w", err)
	}
	cx, _ := guide.Builtin("cx-empathy")
	both := func(goldFile) ([]*analyzer.Guide, error) { return []*analyzer.Guide{seed, cx}, nil }
	spokenDir := filepath.Join(root, "testdata", "spoken")
	spoken, err := load(spokenDir, "spoken", func(gf goldFile) ([]*analyzer.Guide, error) {
		if g, ok := guide.Builtin(gf.Guide); ok {
			return []*analyzer.Guide{g}, nil
		}
		g, err := guide.Load(filepath.Join(spokenDir, gf.Guide))
		return []*analyzer.Guide{g}, err
	}, files)
	if err != nil {
		return nil, err
	}
	dev, err := load(filepath.Join(shared, "eval", "dev", "transcripts"), "dev", both, files)
	if err != nil {
		return nil, err
	}
	eval, err := load(filepath.Join(root, "testdata", "eval", "transcripts"), "eval", both, files)
	if err != nil {
		return nil, err
	}
	seqs := append(append(spoken, dev...), eval...)
	dropped, err := fit.Columns(segment.OpenFeatures, drop)
	if err != nil {
		return nil, fmt.Errorf("-drop: %w", err)
	}
	// prepare reads the rows with an intent weight, the dropped features
	// set to 0.
	prepare := func(intentWeight float64) error {
		if err := readRows(seqs, intentWeight); err != nil {
			return err
		}
		for _, s := range seqs {
			for _, g := range s.rows {
				for _, row := range g.Rows {
					for _, k := range dropped {
						row[k] = 0
					}
				}
			}
		}
		return nil
	}

	figures := map[string]float64{}
	// run cross-validates one setting, prints it and records its F1 under
	// key; the per-set figures are those of the setting finally chosen.
	run := func(key, what string, lambda float64, beam int, intentWeight float64) (map[string]*prf, float64, error) {
		cv, err := crossValidate(seqs, lambda, beam, intentWeight)
		if err != nil {
			return nil, 0, err
		}
		f := cv["all"].f1()
		fmt.Fprintf(os.Stderr, "%s: leave-one-transcript-out F1 %.3f (spoken %.3f, dev %.3f, eval %.3f)\n", what, f, cv["spoken"].f1(), cv["dev"].f1(), cv["eval"].f1())
		figures[key] = round3(f)
		return cv, f, nil
	}
	best, bestIW, bestF1 := 0.0, 0.0, -1.0
	for _, iw := range intentWeights {
		if err := prepare(iw); err != nil {
			return nil, err
		}
		for _, l := range lambdas {
			g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
			_, f, err := run("cv_f1_intent_"+g(iw)+"_lambda_"+g(l), fmt.Sprintf("intent weight %g, lambda %g", iw, l), l, defaultBeam, iw)
			if err != nil {
				return nil, err
			}
			if f > bestF1 || f == bestF1 && iw == bestIW { // ties: the smaller intent weight, the larger penalty
				best, bestIW, bestF1 = l, iw, f
			}
		}
	}
	if err := prepare(bestIW); err != nil {
		return nil, err
	}
	beam, beamF1 := 0, -1.0
	var chosen map[string]*prf
	for _, b := range widths {
		cv, f, err := run("cv_f1_beam_"+strconv.Itoa(b), fmt.Sprintf("beam %d", b), best, b, bestIW)
		if err != nil {
			return nil, err
		}
		if f >= beamF1 { // ties: the wider beam, which can only find a more probable reading
			beam, beamF1, chosen = b, f, cv
		}
	}
	for set, p := range chosen {
		figures["cv_f1_"+set] = round3(p.f1())
	}
	dec, err := fitOn(seqs, "", best, beam, bestIW)
	if err != nil {
		return nil, err
	}
	for _, set := range []struct {
		name string
		seqs []*sequence
	}{{"train_f1_spoken", spoken}, {"train_f1_dev", dev}, {"train_f1_eval_seed", eval}, {"train_f1_eval_cx", eval}} {
		var p prf
		for _, s := range set.seqs {
			if set.name == "train_f1_eval_seed" && s.guide != seed || set.name == "train_f1_eval_cx" && s.guide != cx {
				continue
			}
			if err := p.add(s, dec); err != nil {
				return nil, err
			}
		}
		figures[set.name] = round3(p.f1())
	}
	fmt.Fprintf(os.Stderr, "chosen intent weight %g, lambda %g, beam %d; figures %v\n", bestIW, best, beam, figures)
	groups := 0
	for _, s := range seqs {
		groups += len(s.rows)
	}
	figures["groups"] = float64(groups)
	fb, _ := json.Marshal(figures) // map keys are sorted: deterministic
	db, _ := json.Marshal(files.Files)
	w := segment.Weights{Version: "s1", Lambda: best, Decoder: *dec, Data: db, Figures: fb}
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func round3(x float64) float64 { return analyzer.Round3(x) }
