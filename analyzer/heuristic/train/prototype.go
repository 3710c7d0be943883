package main

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/guide"
)

// protoAlias maps the AreaKey of each area of the built-in cx-empathy guide
// to the key of the seed guide's area at the same place: cx-empathy rewords
// the seed guide question by question and area by area (the same 15
// questions, 8 areas each, in the same order), so an area of either has the
// prototype learned from the answers labelled against the seed.
func protoAlias(shared string) (map[string]string, error) {
	seed, err := seedGuide(shared)
	if err != nil {
		return nil, err
	}
	cx, ok := guide.Builtin("cx-empathy")
	if !ok {
		return nil, fmt.Errorf("no built-in guide cx-empathy")
	}
	if len(cx.Questions) != len(seed.Questions) {
		return nil, fmt.Errorf("cx-empathy has %d questions, the seed guide %d: they no longer pair up", len(cx.Questions), len(seed.Questions))
	}
	alias := map[string]string{}
	same, all := 0, 0
	for qi, q := range cx.Questions {
		sq := seed.Questions[qi]
		if len(q.Areas) != len(sq.Areas) {
			return nil, fmt.Errorf("cx-empathy %s has %d areas, the seed's %s %d: they no longer pair up", q.ID, len(q.Areas), sq.ID, len(sq.Areas))
		}
		for ai, a := range q.Areas {
			alias[heuristic.AreaKey(a)] = heuristic.AreaKey(sq.Areas[ai])
			all++
			if heuristic.AreaKind(q, ai) == heuristic.AreaKind(sq, ai) {
				same++
			}
		}
	}
	// Equal counts do not show that the areas still pair up (one guide's
	// areas reordered would give every area another's prototype). The
	// kinds cx-empathy states were written from the seed's matching areas
	// and differ only where the cue list misreads the seed's: 108 of 120
	// agree, and with each question's areas shifted by one to seven
	// places 1 to 13 do.
	fmt.Printf("prototypes: cx-empathy's areas and the seed guide's at the same place: %d of %d of one kind\n", same, all)
	if 4*same < 3*all {
		return nil, fmt.Errorf("cx-empathy's areas and the seed guide's at the same place are of one kind for %d of %d: they no longer pair up", same, all)
	}
	return alias, nil
}

// prototypes builds the areas' prototypes (heuristic.Prototypes) from the
// labelled evidence of the items of the folds skip does not report
// (heuristic.ProtoBuilder: for each area, the mean direction of the units
// inside its gold evidence sentences less the mean direction of the other
// units of the same answers). alias gives more keys for a learned area.
func prototypes(items []*item, skip func(fold int) bool, alias map[string]string) *heuristic.Prototypes {
	b := heuristic.NewProtoBuilder()
	for _, it := range items {
		if skip(it.fold) || it.foreign || it.off || it.deliveryOnly || it.trace == nil || it.set == synSet {
			continue
		}
		for _, a := range slices.Sorted(maps.Keys(it.ev)) {
			if len(it.ev[a]) == 0 || a >= len(it.q.Areas) {
				continue
			}
			b.Add(heuristic.AreaKey(it.q.Areas[a]), it.trace.Units, goldUnits(it, a))
		}
		// A depth signal labelled with its evidence has a prototype as an
		// area does (it is read as one, depth.go).
		for _, l := range it.depth {
			if len(l.evidence) > 0 {
				b.Add(heuristic.AreaKey(l.text), it.trace.Units, heuristic.GoldUnits(it.text, it.trace.Units, l.evidence))
			}
		}
	}
	return b.Build(1, alias)
}

// traceByFold traces every item with the prototypes learned without its
// fold, so that its prototype features are what an unseen answer's would
// be: the quote models are fitted and cross-validated on those.
func traceByFold(items []*item, w *heuristic.Weights, alias map[string]string) error {
	defer heuristic.SetWeights(w)
	for f := 0; f < folds; f++ {
		wf := *w
		wf.Prototypes = prototypes(items, func(g int) bool { return g == f }, alias)
		heuristic.SetWeights(&wf)
		if err := traceAll(inFold(items, f)); err != nil {
			return err
		}
	}
	return nil
}

// trainQuoteProto fits the quote model for areas with a prototype, and
// prints beside it the plain quote model refitted on the same rows (the
// areas that have a prototype), so that the two compare on one footing.
func trainQuoteProto(items []*item, w *heuristic.Weights, alias map[string]string) error {
	rows := unitRows(items, func(a heuristic.AreaTrace) [][]float64 { return a.QuoteProto })
	plain := make([]evRow, len(rows))
	for i, r := range rows {
		plain[i] = evRow{gold: r.gold, it: r.it}
		for _, x := range r.x {
			plain[i].x = append(plain[i].x, x[:len(heuristic.QuoteFeatures)])
		}
	}
	if _, _, p, _, err := fitUnitModel("quote (the same rows, no prototype)", heuristic.QuoteFeatures, plain); err != nil {
		return err
	} else {
		w.Figures["quote_proto_rows_plain_precision_at1_cv"] = math.Round(p*1000) / 1000
	}
	m, cut, err := fitQuoteModel("quote_proto", heuristic.QuoteProtoFeatures, rows, w)
	if err != nil {
		return err
	}
	w.QuoteProto, w.QuoteProtoSure = m, cut
	w.Figures["quote_proto_rows"] = float64(len(rows))
	p, err := nestedProtoPrecision(items, w, alias, w.Figures["quote_proto_lambda"])
	if err != nil {
		return err
	}
	fmt.Printf("quote_proto: precision@1 by nested CV (no label of a held-out fold in any prototype the model was fitted or measured with) %.3f\n", p)
	w.Figures["quote_proto_precision_at1_nested_cv"] = math.Round(p*1000) / 1000
	return nil
}

func inFold(items []*item, f int) []*item {
	var out []*item
	for _, it := range items {
		if it.fold == f {
			out = append(out, it)
		}
	}
	return out
}

// nestedProtoPrecision is the quote_proto model's precision@1 (penalty
// lambda) by nested cross-validation: for each held-out fold f, the
// training folds' rows read prototypes learned without f and without their
// own fold, and fold f's rows prototypes learned without f; no label of
// fold f reaches the model that is measured on it. (traceByFold's rows,
// which the plain CV figure uses, let a held-out fold's labels shape the
// training rows' prototypes.) The items' traces are restored.
func nestedProtoPrecision(items []*item, w *heuristic.Weights, alias map[string]string, lambda float64) (float64, error) {
	saved := make([]*heuristic.Trace, len(items))
	for i, it := range items {
		saved[i] = it.trace
	}
	defer func() {
		for i, it := range items {
			it.trace = saved[i]
		}
		heuristic.SetWeights(w)
	}()
	protoRows := func(a heuristic.AreaTrace) [][]float64 { return a.QuoteProto }
	var held []evRow
	for f := 0; f < folds; f++ {
		var train []evRow
		for g := 0; g < folds; g++ {
			if g == f {
				continue
			}
			wf := *w
			wf.Prototypes = prototypes(items, func(k int) bool { return k == f || k == g }, alias)
			heuristic.SetWeights(&wf)
			fold := inFold(items, g)
			if err := traceAll(fold); err != nil {
				return 0, err
			}
			train = append(train, unitRows(fold, protoRows)...)
		}
		m, err := fitUnits(heuristic.QuoteProtoFeatures, train, func(evRow) bool { return true }, lambda)
		if err != nil {
			return 0, err
		}
		wf := *w
		wf.Prototypes = prototypes(items, func(k int) bool { return k == f }, alias)
		heuristic.SetWeights(&wf)
		fold := inFold(items, f)
		if err := traceAll(fold); err != nil {
			return 0, err
		}
		for _, r := range unitRows(fold, protoRows) {
			r.p = make([]float64, len(r.x))
			for u, x := range r.x {
				r.p[u] = m.Prob(x)
			}
			held = append(held, r)
		}
	}
	return precisionAt1(held, func(r evRow, u int) float64 { return r.p[u] }), nil
}
