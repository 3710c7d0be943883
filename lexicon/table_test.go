package lexicon_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"testing"

	"github.com/candorhq/candor/lexicon/internal/table"
	"github.com/candorhq/candor/lexicon/internal/wordnet"
)

const wordnetDir = "/usr/share/wordnet"

// maxTableBytes keeps the embedded table from creeping up unnoticed.
const maxTableBytes = 2_500_000

func TestCommittedTableHeader(t *testing.T) {
	gz, err := os.ReadFile("table.bin.gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(gz) > maxTableBytes {
		t.Errorf("table.bin.gz is %d bytes, want at most %d", len(gz), maxTableBytes)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if !zr.ModTime.IsZero() || zr.Name != "" {
		t.Errorf("gzip header has mtime %v, name %q; want neither, for reproducible bytes", zr.ModTime, zr.Name)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	v, err := table.Header(raw)
	if err != nil {
		t.Fatal(err)
	}
	if v != table.Version {
		t.Errorf("table.bin.gz has format version %d, want %d: run go generate ./lexicon", v, table.Version)
	}
}

// TestRegenerate checks that the committed table is exactly what the
// generator makes from the installed WordNet, so the generator is
// deterministic and the table is not stale.
func TestRegenerate(t *testing.T) {
	if _, err := os.Stat(wordnetDir + "/index.noun"); err != nil {
		t.Skipf("WordNet database not installed (apt-get install wordnet-base): %v", err)
	}
	if testing.Short() {
		t.Skip("regenerating the table takes seconds; skipped with -short")
	}
	tab, err := wordnet.Build(wordnetDir, wordnet.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := table.WriteGzip(&got, tab); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("table.bin.gz")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("regenerated table (%d bytes) differs from table.bin.gz (%d bytes): run go generate ./lexicon", got.Len(), len(want))
	}
}
