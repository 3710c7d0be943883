package testkit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// ReadJSONL decodes every non-blank line of the JSON Lines file at path
// into a T and returns the values with their 1-based line numbers. A line
// that does not decode fails the test with its number, and so, when
// strict, does an unknown field or a second value on the line; so does a
// file without records.
func ReadJSONL[T any](tb testing.TB, path string, strict bool) ([]T, []int) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	var out []T
	var lines []int
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v T
		dec := json.NewDecoder(bytes.NewReader(line))
		if strict {
			dec.DisallowUnknownFields()
		}
		if err := dec.Decode(&v); err != nil {
			tb.Fatalf("%s:%d: %v", path, n, err)
		}
		if strict && dec.More() {
			tb.Fatalf("%s:%d: more than one JSON value on the line", path, n)
		}
		out = append(out, v)
		lines = append(lines, n)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	if len(out) == 0 {
		tb.Fatalf("%s: no records", path)
	}
	return out, lines
}
