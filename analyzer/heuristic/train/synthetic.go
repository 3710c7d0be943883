package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

// synSet names the synthetic training answers' set.
const synSet = "syn"

// synDelSet names the synthetic delivery-only answers' set; synDelDir is
// where they are read from ("": none).
const synDelSet = "syndel"

var synDelDir string

// synDir is where the synthetic training sets are read from ("" : none).
var synDir string

// synItems reads the synthetic training sets: for each guide file NAME.yaml
// in synDir, the answers NAME.jsonl, with area statuses and evidence.
func synItems(d *heuristic.DataLog) ([]*item, error) {
	if synDir == "" {
		return nil, nil
	}
	guides, err := filepath.Glob(filepath.Join(synDir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []*item
	for _, gp := range guides {
		g, err := guide.Load(gp)
		if err != nil {
			return nil, err
		}
		if err := d.Add(gp, len(g.Questions)); err != nil {
			return nil, err
		}
		ap := strings.TrimSuffix(gp, ".yaml") + ".jsonl"
		b, err := os.ReadFile(ap)
		if err != nil {
			return nil, err
		}
		its, err := evaluation.ParseAnswers(ap, b)
		if err != nil {
			return nil, err
		}
		if err := d.Add(ap, len(its)); err != nil {
			return nil, err
		}
		for _, it := range its {
			q, ok := question(g, it.QuestionID)
			if !ok {
				return nil, fmt.Errorf("%s: %s: no question %s in %s", ap, it.ID, it.QuestionID, gp)
			}
			x := &item{set: synSet, id: it.ID, q: q, others: g.Questions, text: it.Text, areas: map[int]int{}, ev: map[int][]string{},
				fold: foldOf(synSet, it.ID), label: -1, spec: -1}
			for k, s := range it.Areas {
				var n int
				fmt.Sscan(k, &n)
				v, _ := evaluation.StatusValue(s)
				x.areas[n-1] = v
			}
			for k, ss := range it.Evidence {
				var n int
				fmt.Sscan(k, &n)
				x.ev[n-1] = ss
			}
			out = append(out, x)
		}
	}
	return out, nil
}

// pairFromSyn: fit the pair model on the synthetic guides' sentence labels
// instead of ArgKP's pairs (-pair-from-synthetic, an experiment).
var pairFromSyn bool

// synPairRows reads the synthetic guides' answers unit by unit (the
// engine's units): each unit's PairFeatures against its question's areas
// (heuristic.ClaimPairVectors, as the ArgKP rows are read), labelled by
// whether the unit lies in a sentence labelled with the area. byGuide is
// each row's guide file, for choosing on one guide left out.
func synPairRows(d *heuristic.DataLog) (X [][]float64, y []bool, group []int, byGuide []string, err error) {
	saved := synDir
	if synDir == "" {
		synDir = "testdata/eval/synthetic"
	}
	defer func() { synDir = saved }()
	items, err := synItems(d)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	e := heuristic.New()
	g := 0
	for _, it := range items {
		t, err := e.Trace(it.q, it.others, it.text)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		gold := make([][]bool, len(it.q.Areas))
		for a := range it.q.Areas {
			gold[a] = heuristic.GoldUnits(it.text, t.Units, it.ev[a])
		}
		for u, tu := range t.Units {
			if tu.Injected {
				continue
			}
			vs := heuristic.ClaimPairVectors(it.q.Text, it.q.Areas, it.text[tu.ByteStart:tu.ByteEnd])
			for a, v := range vs {
				X = append(X, v)
				y = append(y, gold[a][u])
				group = append(group, g+a)
				byGuide = append(byGuide, strings.SplitN(it.id, "-", 3)[1])
			}
		}
		g += len(it.q.Areas)
	}
	return X, y, group, byGuide, nil
}
