package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
	"github.com/candorhq/candor/guide"
)

// trainClaimForm fits the claim-form model: ArgKP train key points are
// claims, the areas of interview guides are descriptions. Held out for the
// figure: ArgKP dev key points and the built-in guides' areas (fitted on
// train key points and the seed guide's areas); the model kept is fitted on
// train key points and every guide.
func trainClaimForm(d *heuristic.DataLog, shared string, w *heuristic.Weights) error {
	kpsTrain, err := readCSV(d, filepath.Join(shared, "eval", "external", "argkp", "key_points_train.csv"))
	if err != nil {
		return err
	}
	kpsDev, err := readCSV(d, filepath.Join(shared, "eval", "external", "argkp", "key_points_dev.csv"))
	if err != nil {
		return err
	}
	seed, err := seedGuide(shared)
	if err != nil {
		return err
	}
	areas := func(gs ...*analyzer.Guide) [][2]string {
		var out [][2]string
		seen := map[[2]string]bool{}
		for _, g := range gs {
			for _, q := range g.Questions {
				for _, a := range q.Areas {
					k := [2]string{a, q.Text}
					if !seen[k] {
						seen[k] = true
						out = append(out, k)
					}
				}
			}
		}
		return out
	}
	texts := func(rows []map[string]string) [][2]string {
		var out [][2]string
		for _, r := range rows {
			out = append(out, [2]string{r["key_point"], r["topic"]})
		}
		return out
	}
	build := func(claims, descs [][2]string) ([][]float64, []bool, []float64) {
		var X [][]float64
		var y []bool
		var sw []float64
		for _, c := range claims {
			X, y, sw = append(X, heuristic.ClaimForm(c[0], c[1])), append(y, true), append(sw, 0.5/float64(len(claims)))
		}
		for _, a := range descs {
			X, y, sw = append(X, heuristic.ClaimForm(a[0], a[1])), append(y, false), append(sw, 0.5/float64(len(descs)))
		}
		return X, y, sw
	}
	builtins := guide.Builtins()
	X, y, sw := build(texts(kpsTrain), areas(seed))
	m, err := fit.Logistic(heuristic.ClaimFormFeatures, X, y, sw, 0.01)
	if err != nil {
		return err
	}
	check := func(name string, ts [][2]string, want bool) {
		ok := 0
		for _, t := range ts {
			if (m.Prob(heuristic.ClaimForm(t[0], t[1])) >= 0.5) == want {
				ok++
			} else if os.Getenv("TRAIN_DEBUG") != "" {
				fmt.Printf("  misread: %s\n", t)
			}
		}
		fmt.Printf("claim form: held out, %s: %d of %d read right\n", name, ok, len(ts))
		w.Figures["claim_form_heldout_"+name] = analyzer.Round3(float64(ok) / float64(len(ts)))
	}
	check("argkp_dev_key_points", texts(kpsDev), true)
	check("builtin_areas", areas(builtins...), false)
	X, y, sw = build(texts(kpsTrain), areas(append([]*analyzer.Guide{seed}, builtins...)...))
	if w.ClaimForm, err = fit.Logistic(heuristic.ClaimFormFeatures, X, y, sw, 0.01); err != nil {
		return err
	}
	return nil
}
