package heuristic

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/candorhq/candor/analyzer/heuristic/model"
)

// Weights are the engine's learned decisions, written by the training
// command (go run ./analyzer/heuristic/train) and embedded in the binary.
type Weights struct {
	// ClaimForm: is an area a claim (a key point) or a description of
	// content?
	ClaimForm *model.Logistic `json:"claim_form,omitempty"`
	// Pair: does a piece of text say what an area (key point) says?
	Pair *model.Logistic `json:"pair"`
	// Claim: which of a question's claims (key points), if any, does the
	// answer make? A conditional logit over the claims and "none"
	// (ClaimFeatures; claimProbs). Without it a claim reads the pair model.
	Claim *model.Linear `json:"claim,omitempty"`
	// ClaimCalibration turns the claim model's choice probability into the
	// probability that the answer makes the claim (Platt scaling of its
	// logit, ClaimCalibrationFeatures): an argument may make two key
	// points, between which the choice shares its probability.
	ClaimCalibration *model.Logistic `json:"claim_calibration,omitempty"`
	// Delivery: rehearsed < mixed < specific for the whole answer.
	Delivery *model.Ordinal `json:"delivery,omitempty"`
	// Specificity puts the delivery score on the labellers' 0..100 scale
	// (isotonic regression of the labelled specificity on the score; see
	// specificityOf).
	Specificity *model.Curve `json:"specificity,omitempty"`
	// SpecificityShrink pulls the curve's value towards the labelled mean
	// specificity of the decided label (rehearsed, mixed, specific), by
	// the strongest factor whose held-out error against the labels is
	// within one standard error of the least (the training command).
	SpecificityShrink *model.Shrink `json:"specificity_shrink,omitempty"`
	// DeliveryConfidence is how often a held-out reading's label was the
	// labellers' (logistic regression of that on the score's distance to
	// the nearest of the delivery model's thresholds,
	// DeliveryConfidenceFeatures, over the training command's held-out
	// folds): the report's label_confidence.
	DeliveryConfidence *model.Logistic `json:"delivery_confidence,omitempty"`
	// Sentence: is an answer of one sentence specific (P) or general, in
	// the sense of sentence specificity (sentence.go)?
	Sentence *model.Logistic `json:"sentence,omitempty"`
	// Evidence: is this sentence the one that addresses the area?
	Evidence *model.Logistic `json:"evidence,omitempty"`
	// Quote: which sentence to show for the area (the evidence features
	// and the area's place among the question's areas).
	Quote *model.Logistic `json:"quote,omitempty"`
	// QuoteSure is the least quote probability at which the engine stands
	// behind a quote: held-out quotes at or above it were the labelled
	// sentence at least QuoteSureTarget of the time. A quote below it is
	// reported as tentative.
	QuoteSure float64 `json:"quote_sure,omitempty"`
	// Prototypes are the labelled evidence's directions of the areas that
	// labelled answers were given to (prototype.go).
	Prototypes *Prototypes `json:"prototypes,omitempty"`
	// QuoteProto picks the quote of an area that has a prototype: the
	// quote features and the unit's cosine with the prototype
	// (QuoteProtoFeatures). QuoteProtoSure is its QuoteSure.
	QuoteProto     *model.Logistic `json:"quote_proto,omitempty"`
	QuoteProtoSure float64         `json:"quote_proto_sure,omitempty"`
	// Coverage: missing < partial < covered for a descriptive area.
	Coverage *model.Ordinal `json:"coverage,omitempty"`
	// Depth: absent < partial < present for a depth signal, read from the
	// signal's CoverageFeatures vector (depth.go). Learned from depth
	// labels; without it a signal takes its area status from Coverage.
	Depth *model.Ordinal `json:"depth,omitempty"`
	// DepthQuote picks the quote of a depth signal that has a prototype
	// (QuoteProtoFeatures, learned from the signals' labelled evidence);
	// DepthQuoteSure is its QuoteSure. Without it QuoteProto quotes them.
	DepthQuote     *model.Logistic `json:"depth_quote,omitempty"`
	DepthQuoteSure float64         `json:"depth_quote_sure,omitempty"`
	// CoverageKindPrior is, by an area's head kind (areaInfo.kind), the
	// labelled areas' mean status over 2 (0 missing .. 1 covered), shrunk
	// towards the mean of all areas (key "") by how few there are: the
	// coverage model's kind_prior feature.
	CoverageKindPrior map[string]float64 `json:"coverage_kind_prior,omitempty"`
	// OffQuestion: is the answer about another question?
	OffQuestion *model.Logistic `json:"off_question,omitempty"`
	// OffQuestionCut is the probability at which the warning is raised,
	// chosen on held-out folds (see Figures).
	OffQuestionCut float64 `json:"off_question_cut,omitempty"`
	// OffQuestionWithheld: on the held-out folds, the warning at its cut
	// raised at least as many false alarms as it caught off-question
	// answers (or caught none), so the engine does not raise it: a warning
	// that is wrong more often than right misleads the reader. The model
	// is kept for the trace and the next training.
	OffQuestionWithheld bool `json:"off_question_withheld,omitempty"`
	// Data lists every file the training read, with its sha256.
	Data []DataFile `json:"data"`
	// Figures are the training command's held-out measurements.
	Figures map[string]float64 `json:"figures,omitempty"`
	// Command is how to reproduce this file.
	Command string `json:"command"`
}

// QuoteSureTarget is the share of quotes at or above Weights.QuoteSure
// that must be the sentence that addresses the area (issue 11's bar for
// evidence precision).
const QuoteSureTarget = 0.85

// DataFile is one input of the training.
type DataFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// DataLog records a training command's inputs, each once: its path
// (relative to Root, or as ../shared/... for the shared folder beside the
// checkout), its sha256 and how many rows the command read from it. The
// training commands of this engine and of alignment (analyzer/segment)
// write it into their weights files.
type DataLog struct {
	Root  string
	Files []DataFile
}

// Add reads path, hashes it and records it with rows.
func (d *DataLog) Add(path string, rows int) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	h := sha256.Sum256(b)
	rel := path
	if r, err := filepath.Rel(d.Root, path); err == nil && !strings.HasPrefix(r, "..") {
		rel = r
	} else if i := strings.Index(path, "shared/"); i >= 0 {
		rel = "../" + path[i:]
	}
	rel = filepath.ToSlash(rel)
	for _, f := range d.Files {
		if f.Path == rel {
			return nil
		}
	}
	d.Files = append(d.Files, DataFile{Path: rel, SHA256: hex.EncodeToString(h[:]), Rows: rows})
	return nil
}

//go:embed weights.json
var weightsJSON []byte

var (
	weightsOnce sync.Once
	weights     *Weights
	weightsErr  error
)

// loadWeights decodes the embedded weights once and checks each model
// against the features the engine computes.
func loadWeights() (*Weights, error) {
	weightsOnce.Do(func() {
		w, err := DecodeWeights(weightsJSON)
		weights, weightsErr = w, err
	})
	return weights, weightsErr
}

// DecodeWeights decodes a weights file and checks its models' feature lists.
func DecodeWeights(b []byte) (*Weights, error) {
	var w Weights
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("heuristic weights: %w", err)
	}
	if w.Pair == nil {
		return nil, fmt.Errorf("heuristic weights: no pair model")
	}
	type check struct {
		name string
		m    *model.Logistic
		o    *model.Ordinal
		f    []string
	}
	checks := []check{{"pair", w.Pair, nil, PairFeatures}, {"claim_form", w.ClaimForm, nil, ClaimFormFeatures},
		{"delivery", nil, w.Delivery, DeliveryFeatures}, {"delivery_confidence", w.DeliveryConfidence, nil, DeliveryConfidenceFeatures},
		{"evidence", w.Evidence, nil, EvidenceFeatures},
		{"quote", w.Quote, nil, QuoteFeatures}, {"quote_proto", w.QuoteProto, nil, QuoteProtoFeatures},
		{"coverage", nil, w.Coverage, CoverageFeatures}, {"depth", nil, w.Depth, CoverageFeatures},
		{"depth_quote", w.DepthQuote, nil, QuoteProtoFeatures},
		{"off_question", w.OffQuestion, nil, OffQuestionFeatures}, {"sentence", w.Sentence, nil, SentenceFeatures}}
	if w.Prototypes != nil {
		if err := w.Prototypes.decode(); err != nil {
			return nil, fmt.Errorf("heuristic weights: %w", err)
		}
	}
	if w.Specificity != nil {
		if err := w.Specificity.Check(); err != nil {
			return nil, fmt.Errorf("heuristic weights: specificity: %w", err)
		}
	}
	if w.SpecificityShrink != nil {
		if err := w.SpecificityShrink.Check(3); err != nil {
			return nil, fmt.Errorf("heuristic weights: specificity_shrink: %w", err)
		}
	}
	for _, c := range checks {
		var err error
		switch {
		case c.m != nil:
			err = c.m.Check(c.f)
		case c.o != nil:
			err = c.o.Check(c.f)
		}
		if err != nil {
			return nil, fmt.Errorf("heuristic weights: %s model: %w", c.name, err)
		}
	}
	if w.Delivery != nil && (len(w.Delivery.Thresholds) != len(deliveryLabels)-1 || !increasing(w.Delivery.Thresholds)) {
		// learnedDelivery indexes the labels by Decide and measures the
		// label's confidence from the nearest threshold.
		return nil, fmt.Errorf("heuristic weights: delivery model: %d thresholds %v, want %d increasing", len(w.Delivery.Thresholds), w.Delivery.Thresholds, len(deliveryLabels)-1)
	}
	if c := w.DeliveryConfidence; c != nil && len(c.W) == len(DeliveryConfidenceFeatures) &&
		!(c.Prob(DeliveryConfidenceX(0)) < c.Prob(DeliveryConfidenceX(4))) {
		// Further from every threshold, a label must be surer.
		return nil, fmt.Errorf("heuristic weights: delivery_confidence does not rise with the distance from the thresholds")
	}
	if w.Claim != nil {
		if err := w.Claim.Check(ClaimFeatures); err != nil {
			return nil, fmt.Errorf("heuristic weights: claim model: %w", err)
		}
		if w.ClaimCalibration == nil {
			return nil, fmt.Errorf("heuristic weights: a claim model without its calibration")
		}
		if err := w.ClaimCalibration.Check(ClaimCalibrationFeatures); err != nil {
			return nil, fmt.Errorf("heuristic weights: claim calibration: %w", err)
		}
		if w.ClaimCalibration.W[0] <= 0 {
			return nil, fmt.Errorf("heuristic weights: claim calibration does not rise with the choice probability")
		}
	}
	return &w, nil
}

// kindPrior is CoverageKindPrior for kind, the mean of all areas for a kind
// it lacks, and 0 before the training command has learned it.
func (w *Weights) kindPrior(kind string) float64 {
	if p, ok := w.CoverageKindPrior[kind]; ok {
		return p
	}
	return w.CoverageKindPrior[""]
}

// SetWeights replaces the engine's weights for this process (the training
// command uses it to compute features that depend on an earlier model).
func SetWeights(w *Weights) {
	if w.Prototypes != nil && w.Prototypes.dirs == nil {
		// The training command's own prototypes, read as DecodeWeights
		// reads a file's; a malformed one is its bug, and leaves that
		// area without a prototype.
		_ = w.Prototypes.decode()
	}
	weightsOnce.Do(func() {})
	weights, weightsErr = w, nil
}

// increasing reports whether xs rise strictly.
func increasing(xs []float64) bool {
	for i := 1; i < len(xs); i++ {
		if !(xs[i] > xs[i-1]) {
			return false
		}
	}
	return true
}
