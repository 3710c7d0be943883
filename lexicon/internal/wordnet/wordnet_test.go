package wordnet_test

import (
	"reflect"
	"testing"

	"github.com/candorhq/candor/lexicon/internal/table"
	"github.com/candorhq/candor/lexicon/internal/wordnet"
)

// TestBuildMini runs the generator on a hand-made database whose every
// expected concept is worked out in the comments, so the generator is tested
// even where wordnet-base is not installed.
func TestBuildMini(t *testing.T) {
	opt := wordnet.Options{SensesPerPOS: 2, MaxHypernymLemmas: 2, MaxTopHypernymLemmas: 2}
	got, err := wordnet.Build("testdata/mini", opt)
	if err != nil {
		t.Fatal(err)
	}
	// Concept ids follow (pos, offset): n100 0, n200 1, n300 2, n400 3,
	// n600 4, v1000 5, v1100 6, a2000 7, a2100 8, r3000 9. n500 belongs to a
	// multi-word noun and n700 is rage's third sense: neither is kept.
	want := &table.Table{
		// ice_cream (multi-word noun) and look_into ("into" is not a
		// kept particle) are left out; follow_up is kept.
		Words: []string{"anger", "angrily", "angry", "emotion", "feeling", "follow_up", "irate", "rage"},
		POS: []uint8{
			table.Noun | table.Verb, table.Adv, table.Adj, table.Noun,
			table.Noun, table.Verb, table.Adj, table.Noun,
		},
		Freq: []uint32{
			7, 3, 0, 0, // anger: noun and verb sense keys counted apart
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			2, 0, 0, 0, // "Rage%1..." folded to lower case
		},
		ConceptEnd: []uint32{4, 6, 9, 10, 11, 12, 14, 17},
		Concepts: []table.Concept{
			// anger: two noun senses and the verb at level 0; emotion is
			// their hypernym (2). The verb's derivation link from "madden"
			// to n600 is another word's and is not followed. feeling
			// (noun.Tops, reached at level 3 by anger, rage and, at level
			// 2, emotion: 3 lemmas > 2) is dropped as too general.
			c(0, 0), c(1, 0), c(2, 2), c(5, 0),
			c(7, 1), c(9, 0), // angrily: pertainym of angry
			c(0, 1), c(7, 0), c(8, 1), // angry: attribute anger, similar irate
			c(2, 0),          // emotion
			c(3, 0),          // feeling keeps its own sense
			c(6, 0),          // follow_up
			c(7, 1), c(8, 0), // irate: similar to angry
			// rage: first two of three senses; the derivation pointer of
			// n100 starts from "anger", not "rage", so v1000 is absent.
			c(0, 0), c(2, 2), c(4, 0),
		},
		ConceptLex: []uint8{12, 4, 12, 3, 12, 37, 32, 0, 0, 2},
		// ire-s has no kept base, ice_creams is multi-word, write is unknown.
		ExcForm: []string{"angered", "angers", "angrier", "rages"},
		ExcPOS:  []uint8{table.Verb, table.Noun, table.Adj, table.Noun},
		ExcBase: []uint32{0, 0, 2, 7},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Build(testdata/mini) =\n%+v\nwant\n%+v", got, want)
	}
}

func c(id uint32, level uint8) table.Concept { return table.Concept{ID: id, Level: level} }

func TestBuildMissingDatabase(t *testing.T) {
	if _, err := wordnet.Build(t.TempDir(), wordnet.DefaultOptions); err == nil {
		t.Error("Build on an empty directory succeeded, want an error")
	}
}
