package testkit_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/internal/testkit"
)

type rec struct {
	ID string `json:"id"`
}

func TestReadJSONL(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.jsonl")
	if err := os.WriteFile(p, []byte("{\"id\": \"a\"}\n\n  \n{\"id\": \"b\", \"extra\": 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, lines := testkit.ReadJSONL[rec](t, p, false)
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" || lines[0] != 1 || lines[1] != 4 {
		t.Errorf("got %v at lines %v", got, lines)
	}
	// Strict: the unknown field on line 4 fails, naming the line.
	ft := &fatalRecorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		testkit.ReadJSONL[rec](ft, p, true)
	}()
	if !strings.Contains(ft.msg, "x.jsonl:4:") || !strings.Contains(ft.msg, "extra") {
		t.Errorf("strict read of an unknown field: %q", ft.msg)
	}
}

// fatalRecorder records Fatalf instead of failing, and stops the caller
// with a panic as FailNow would with Goexit.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic("fatal")
}
