package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/analyzer/heuristic/model/fit"
	"github.com/candorhq/candor/evaluation"
)

// sentenceLambdas are the L2 penalties tried for the sentence model; the
// one with the best AUC by 5-fold CV is kept.
var sentenceLambdas = []float64{0.003, 0.01, 0.03, 0.1, 0.3, 1}

// sentenceTrain is the sentence model's training set: sentences labelled
// general or specific (testdata/sentences/README.md). Its held-out twin,
// heldout.jsonl, is never read here: the engine's tests measure on it.
const sentenceTrain = "testdata/sentences/train.jsonl"

type sentenceRow struct {
	id, genre string
	x         []float64
	specific  bool
	words     float64
	fold      int
}

// trainSentence fits the sentence model (sentence.go): logistic regression
// of specific against general on SentenceFeatures.
func trainSentence(d *heuristic.DataLog, root string, w *heuristic.Weights) error {
	path := filepath.Join(root, sentenceTrain)
	rows, err := readSentences(path)
	if err != nil {
		return err
	}
	if err := d.Add(path, len(rows)); err != nil {
		return err
	}
	notOne := 0
	for _, r := range rows {
		if r.x == nil {
			notOne++
		}
	}
	if notOne > 0 {
		// A sentence the parser splits ("at 3 a.m. local time") is no
		// answer of one sentence: the engine reads it with the delivery
		// model, so the sentence model is not fitted on it.
		fmt.Printf("sentence: %d of %d rows not read as one sentence, left out\n", notOne, len(rows))
		kept := rows[:0]
		for _, r := range rows {
			if r.x != nil {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	printFeatureAUCs("sentence, specific vs general", heuristic.SentenceFeatures, func(yield func([]float64, bool)) {
		for _, r := range rows {
			yield(r.x, r.specific)
		}
	})
	fitOn := func(keep func(sentenceRow) bool, lambda float64) (*fitted, error) {
		var X [][]float64
		var y []bool
		for _, r := range rows {
			if keep(r) {
				X = append(X, r.x)
				y = append(y, r.specific)
			}
		}
		m, err := fit.Logistic(heuristic.SentenceFeatures, X, y, nil, lambda)
		return &fitted{m}, err
	}
	bestAUC, bestLambda := -1.0, 0.0
	var bestHeld []float64
	for _, l := range sentenceLambdas {
		held := make([]float64, len(rows))
		for k := 0; k < folds; k++ {
			m, err := fitOn(func(r sentenceRow) bool { return r.fold != k }, l)
			if err != nil {
				return err
			}
			for i, r := range rows {
				if r.fold == k {
					held[i] = m.Prob(r.x)
				}
			}
		}
		auc := sentenceAUC(rows, held, "")
		fmt.Printf("sentence: lambda %-6g AUC by %d-fold CV %.3f\n", l, folds, auc)
		if auc > bestAUC {
			bestAUC, bestLambda, bestHeld = auc, l, held
		}
	}
	byLength := make([]float64, len(rows))
	for i, r := range rows {
		byLength[i] = r.words
	}
	fmt.Printf("sentence: %d sentences; lambda %g; AUC by CV %.3f (by length %.3f)", len(rows), bestLambda, bestAUC, sentenceAUC(rows, byLength, ""))
	for _, g := range genres(rows) {
		fmt.Printf("; %s %.3f", g, sentenceAUC(rows, bestHeld, g))
	}
	fmt.Println()
	acc := 0
	for i, r := range rows {
		if (bestHeld[i] >= 0.5) == r.specific {
			acc++
		}
	}
	fmt.Printf("sentence: held-out accuracy at P 0.5: %d of %d\n", acc, len(rows))
	printReliability("sentence (held-out folds)", func(yield func(p float64, y bool)) {
		for i, r := range rows {
			yield(bestHeld[i], r.specific)
		}
	})
	m, err := fitOn(func(sentenceRow) bool { return true }, bestLambda)
	if err != nil {
		return err
	}
	w.Sentence = m.Logistic
	w.Figures["sentence_cv_auc"] = analyzer.Round3(bestAUC)
	return nil
}

// sentenceAUC is the AUC of score, specific against general, over the
// rows of genre (all for "").
func sentenceAUC(rows []sentenceRow, score []float64, genre string) float64 {
	var pos, neg []float64
	for i, r := range rows {
		if genre != "" && r.genre != genre {
			continue
		}
		if r.specific {
			pos = append(pos, score[i])
		} else {
			neg = append(neg, score[i])
		}
	}
	return evaluation.AUC(pos, neg)
}

func genres(rows []sentenceRow) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.genre] {
			seen[r.genre] = true
			out = append(out, r.genre)
		}
	}
	return out
}

// readSentences reads a sentence set: one JSON object per line with id,
// genre, label (general or specific) and text. A row the engine does not
// read as one sentence has a nil x.
func readSentences(path string) ([]sentenceRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []sentenceRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r struct{ ID, Genre, Label, Text string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if r.Label != "general" && r.Label != "specific" {
			return nil, fmt.Errorf("%s:%d: label %q, want general or specific", path, line, r.Label)
		}
		x, one := heuristic.SentenceVector(r.Text)
		if !one {
			x = nil
		}
		rows = append(rows, sentenceRow{id: r.ID, genre: r.Genre, x: x, specific: r.Label == "specific",
			words: float64(len(strings.Fields(r.Text))), fold: foldOf("sentence", r.ID)})
	}
	return rows, sc.Err()
}
