package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/candorhq/candor/analyzer/heuristic"
)

// ArgKP-2021 (IBM, CDLA-Sharing-1.0): arguments, key points and labelled
// (argument, key point) pairs per topic and stance. The pair model learns
// from train; dev chooses among settings; test is only ever reported, by
// ../shared/eval/external/argkp.py through the CLI.

type kpGroup struct {
	topic, stance string
	kps           []kpRow
	args          []argRow
}

type kpRow struct{ id, text string }
type argRow struct{ id, text string }

type argkpSet struct {
	groups []*kpGroup
	labels map[[2]string]int // (arg, kp) -> 0/1
}

func readCSV(d *heuristic.DataLog, path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	out := make([]map[string]string, 0, len(rows)-1)
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(row) {
				m[h] = row[i]
			}
		}
		out = append(out, m)
	}
	if err := d.Add(path, len(out)); err != nil {
		return nil, err
	}
	return out, nil
}

func loadArgKP(d *heuristic.DataLog, shared, subset string) (*argkpSet, error) {
	dir := filepath.Join(shared, "eval", "external", "argkp")
	args, err := readCSV(d, filepath.Join(dir, "arguments_"+subset+".csv"))
	if err != nil {
		return nil, err
	}
	kps, err := readCSV(d, filepath.Join(dir, "key_points_"+subset+".csv"))
	if err != nil {
		return nil, err
	}
	labels, err := readCSV(d, filepath.Join(dir, "labels_"+subset+".csv"))
	if err != nil {
		return nil, err
	}
	s := &argkpSet{labels: map[[2]string]int{}}
	by := map[[2]string]*kpGroup{}
	for _, k := range kps {
		key := [2]string{k["topic"], k["stance"]}
		g := by[key]
		if g == nil {
			g = &kpGroup{topic: k["topic"], stance: k["stance"]}
			by[key] = g
			s.groups = append(s.groups, g)
		}
		g.kps = append(g.kps, kpRow{k["key_point_id"], k["key_point"]})
	}
	for _, a := range args {
		if g := by[[2]string{a["topic"], a["stance"]}]; g != nil {
			g.args = append(g.args, argRow{a["arg_id"], a["argument"]})
		}
	}
	for _, l := range labels {
		v := 0
		if l["label"] == "1" {
			v = 1
		}
		s.labels[[2]string{l["arg_id"], l["key_point_id"]}] = v
	}
	sort.Slice(s.groups, func(i, j int) bool {
		if s.groups[i].topic != s.groups[j].topic {
			return s.groups[i].topic < s.groups[j].topic
		}
		return s.groups[i].stance < s.groups[j].stance
	})
	return s, nil
}

// pairRows are the labelled (argument, key point) pairs as feature rows,
// with each row's topic (for folds) and ids (for mAP).
type pairRows struct {
	X      [][]float64
	y      []bool
	topic  []string
	arg    []string
	kp     []string
	vector map[[2]string][]float64 // every (arg, kp) of a group, labelled or not
}

func (s *argkpSet) rows() *pairRows {
	r := &pairRows{vector: map[[2]string][]float64{}}
	for _, g := range s.groups {
		areas := make([]string, len(g.kps))
		for i, k := range g.kps {
			areas[i] = k.text
		}
		for _, a := range g.args {
			vs := heuristic.ClaimPairVectors(g.topic, areas, a.text)
			for i, k := range g.kps {
				r.vector[[2]string{a.id, k.id}] = vs[i]
				l, ok := s.labels[[2]string{a.id, k.id}]
				if !ok {
					continue
				}
				r.X = append(r.X, vs[i])
				r.y = append(r.y, l == 1)
				r.topic = append(r.topic, g.topic)
				r.arg = append(r.arg, a.id)
				r.kp = append(r.kp, k.id)
			}
		}
	}
	return r
}

// meanAP is the shared task's mean average precision (strict and relaxed),
// computed as ../shared/eval/external/argkp.py computes it: each argument's
// best-scoring key point, the top half of arguments per topic and stance,
// average precision weighted by positives.
func (s *argkpSet) meanAP(score func(arg, kp string) float64) (strict, relaxed float64) {
	type row struct {
		s            float64
		strict, relx int
	}
	var groups [][]row
	for _, g := range s.groups {
		var rows []row
		for _, a := range g.args {
			best, bestKP := -1.0, ""
			for _, k := range g.kps {
				if v := score(a.id, k.id); v > best {
					best, bestKP = v, k.id
				}
			}
			l, ok := s.labels[[2]string{a.id, bestKP}]
			r := row{s: best}
			if ok {
				r.strict, r.relx = l, l
			} else {
				r.strict, r.relx = 0, 1
			}
			rows = append(rows, r)
		}
		groups = append(groups, rows)
	}
	for k := 0; k < 2; k++ {
		total := 0.0
		for _, rows := range groups {
			rows = append([]row(nil), rows...)
			sort.SliceStable(rows, func(i, j int) bool { return rows[i].s > rows[j].s })
			rows = rows[:len(rows)/2]
			if len(rows) == 0 {
				continue
			}
			y := make([]int, len(rows))
			sc := make([]float64, len(rows))
			pos := 0
			for i, r := range rows {
				y[i] = r.strict
				if k == 1 {
					y[i] = r.relx
				}
				sc[i] = r.s
				pos += y[i]
			}
			total += averagePrecision(y, sc) * float64(pos) / float64(len(rows))
		}
		if k == 0 {
			strict = total / float64(len(groups))
		} else {
			relaxed = total / float64(len(groups))
		}
	}
	return strict, relaxed
}

// averagePrecision over rows sorted by descending score, ties taken as a
// block (as argkp.py does).
func averagePrecision(y []int, s []float64) float64 {
	pos := 0
	for _, v := range y {
		pos += v
	}
	if pos == 0 {
		return 0
	}
	ap, prev := 0.0, 0.0
	tp, fp := 0, 0
	for i := 0; i < len(s); {
		v := s[i]
		for i < len(s) && s[i] == v {
			if y[i] == 1 {
				tp++
			} else {
				fp++
			}
			i++
		}
		r := float64(tp) / float64(pos)
		ap += (r - prev) * float64(tp) / float64(tp+fp)
		prev = r
	}
	return ap
}
