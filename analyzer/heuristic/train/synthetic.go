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
// in dir ("": none), the answers NAME.jsonl, with area statuses and
// evidence.
func synItems(d *heuristic.DataLog, dir string) ([]*item, error) {
	if dir == "" {
		return nil, nil
	}
	guides, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
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
			x.setLabels(it.Areas, it.Evidence)
			out = append(out, x)
		}
	}
	return out, nil
}

// pairFromSyn: fit the pair model on the synthetic guides' sentence labels
// instead of ArgKP's pairs (-pair-from-synthetic, an experiment).
var pairFromSyn bool

// synPairDir is where -pair-from-synthetic reads the synthetic guides.
const synPairDir = "testdata/eval/synthetic"

// synPairRows reads the synthetic guides' answers unit by unit (the
// engine's units): one row per (answer, area), each unit's PairFeatures
// against its question's areas (heuristic.ClaimPairVectors, as the ArgKP
// rows are read), labelled by whether the unit lies in a sentence labelled
// with the area.
func synPairRows(d *heuristic.DataLog) ([]evRow, error) {
	items, err := synItems(d, synPairDir)
	if err != nil {
		return nil, err
	}
	e := heuristic.New()
	var rows []evRow
	for _, it := range items {
		t, err := e.Trace(it.q, it.others, it.text)
		if err != nil {
			return nil, err
		}
		first := len(rows)
		for range it.q.Areas {
			rows = append(rows, evRow{it: it})
		}
		for a := range it.q.Areas {
			gold := heuristic.GoldUnits(it.text, t.Units, it.ev[a])
			for u, tu := range t.Units {
				if !tu.Injected {
					rows[first+a].gold = append(rows[first+a].gold, gold[u])
				}
			}
		}
		for _, tu := range t.Units {
			if tu.Injected {
				continue
			}
			vs := heuristic.ClaimPairVectors(it.q.Text, it.q.Areas, it.text[tu.ByteStart:tu.ByteEnd])
			for a, v := range vs {
				rows[first+a].x = append(rows[first+a].x, v)
			}
		}
	}
	return rows, nil
}

// synGuide is the synthetic guide an item answers ("s1" of "syn-s1-q01-A").
func synGuide(it *item) string { return strings.SplitN(it.id, "-", 3)[1] }
