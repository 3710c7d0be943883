// Command gen builds lexicon/table.bin.gz from a WordNet 3.0 database
// (Debian package wordnet-base). It is run by `go generate ./lexicon`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/candorhq/candor/lexicon/internal/table"
	"github.com/candorhq/candor/lexicon/internal/wordnet"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fset := flag.NewFlagSet("gen", flag.ContinueOnError)
	dir := fset.String("wordnet", "/usr/share/wordnet", "WordNet database directory")
	out := fset.String("out", "table.bin.gz", "output file")
	if err := fset.Parse(args); err != nil {
		return err
	}
	t, err := wordnet.Build(*dir, wordnet.DefaultOptions)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := table.WriteGzip(&buf, t); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("gen: %d lemmas, %d concepts, %d concept refs, %d exceptions, %d bytes\n",
		len(t.Words), len(t.ConceptLex), len(t.Concepts), len(t.ExcForm), buf.Len())
	return nil
}
