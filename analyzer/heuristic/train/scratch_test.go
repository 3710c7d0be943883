package main

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer/heuristic"
)

func TestScratchDeliveryVariants(t *testing.T) {
	t.Chdir("/work/main")
	d := &heuristic.DataLog{Root: "/work/main"}
	items, err := loadItems(d, "/work/shared")
	if err != nil {
		t.Fatal(err)
	}
	if err := traceAll(items); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile("analyzer/heuristic/weights.json")
	w, _ := heuristic.DecodeWeights(b)
	m := w.Delivery
	byID := map[string]*item{}
	for _, it := range items {
		if it.set == "own2" || it.set == "behav" {
			byID[it.id] = it
		}
	}
	nf := len(heuristic.DeliveryFeatures)
	contrib := make([]float64, nf)
	signed := make([]float64, nf)
	n, flips := 0, 0
	byKind := map[string][2]int{}
	for _, it := range items {
		if it.set != "variants" {
			continue
		}
		id, kind, _ := strings.Cut(it.id, "~")
		src := byID[id]
		x, y := it.trace.Delivery, src.trace.Delivery
		n++
		c := byKind[kind]
		c[1]++
		if it.trace.Label != src.trace.Label {
			flips++
			c[0]++
		}
		byKind[kind] = c
		for k := 0; k < nf; k++ {
			dv := m.W[k] * (x[k] - y[k]) / m.Scale[k]
			contrib[k] += math.Abs(dv)
			signed[k] += dv
		}
	}
	idx := make([]int, nf)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return contrib[idx[i]] > contrib[idx[j]] })
	fmt.Printf("variants %d, label flips (in-sample) %d; by kind %v\n", n, flips, byKind)
	for _, k := range idx {
		fmt.Printf("%-22s mean |d score| %.3f  mean d %.3f\n", heuristic.DeliveryFeatures[k], contrib[k]/float64(n), signed[k]/float64(n))
	}
}
