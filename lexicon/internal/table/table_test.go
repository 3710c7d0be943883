package table_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/candorhq/candor/lexicon/internal/table"
)

func sample() *table.Table {
	return &table.Table{
		Words:      []string{"follow_up", "shake", "shaking"},
		POS:        []uint8{table.Verb, table.Noun | table.Verb, table.Noun},
		Freq:       []uint32{0, 2, 0, 0, 1, 40, 0, 0, 3, 0, 0, 0},
		ConceptEnd: []uint32{1, 4, 5},
		Concepts: []table.Concept{
			{ID: 0, Level: 0},
			{ID: 1, Level: 0}, {ID: 2, Level: 2}, {ID: 300, Level: 3},
			{ID: 1, Level: 1},
		},
		ConceptLex: make([]uint8, 301),
		ExcForm:    []string{"shook", "shook"},
		ExcPOS:     []uint8{table.Verb, table.Adj},
		ExcBase:    []uint32{1, 1},
	}
}

func encode(t *testing.T, tab *table.Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := table.Encode(&buf, tab); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	want := sample()
	raw := encode(t, want)
	got, err := table.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode(Encode(t)) = %+v, want %+v", got, want)
	}
	var gz bytes.Buffer
	if err := table.WriteGzip(&gz, want); err != nil {
		t.Fatal(err)
	}
	got, err = table.ReadGzip(gz.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadGzip(WriteGzip(t)) = %+v, want %+v", got, want)
	}
}

func TestEncodeRejectsInvalid(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(*table.Table)
	}{
		{"unsorted words", func(t *table.Table) { t.Words[0], t.Words[1] = t.Words[1], t.Words[0] }},
		{"short POS", func(t *table.Table) { t.POS = t.POS[:2] }},
		{"unsorted concepts", func(t *table.Table) { t.Concepts[1], t.Concepts[2] = t.Concepts[2], t.Concepts[1] }},
		{"level 4", func(t *table.Table) { t.Concepts[0].Level = 4 }},
		{"concept id out of range", func(t *table.Table) { t.Concepts[3].ID = 301 }},
	}
	for _, tt := range tests {
		tab := sample()
		tt.break_(tab)
		if err := table.Encode(&bytes.Buffer{}, tab); err == nil {
			t.Errorf("%s: Encode succeeded, want an error", tt.name)
		}
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	raw := encode(t, sample())
	wrongVersion := bytes.Clone(raw)
	wrongVersion[len(table.Magic)] = table.Version + 1
	tests := []struct {
		name string
		raw  []byte
	}{
		{"empty", nil},
		{"bad magic", append([]byte("X"), raw[1:]...)},
		{"wrong version", wrongVersion},
		{"truncated", raw[:len(raw)-1]},
		{"trailing bytes", append(bytes.Clone(raw), 0)},
	}
	for _, tt := range tests {
		if _, err := table.Decode(tt.raw); !errors.Is(err, table.ErrFormat) {
			t.Errorf("%s: Decode error = %v, want ErrFormat", tt.name, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	var seed bytes.Buffer
	if err := table.Encode(&seed, sample()); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.Bytes())
	f.Fuzz(func(t *testing.T, raw []byte) {
		tab, err := table.Decode(raw)
		if err != nil {
			return
		}
		// Whatever decodes satisfies Encode's invariants and survives a
		// round trip unchanged.
		again, err := table.Decode(encode(t, tab))
		if err != nil {
			t.Fatalf("decoding a re-encoded table: %v", err)
		}
		if !reflect.DeepEqual(again, tab) {
			t.Errorf("round trip changed the table")
		}
	})
}
