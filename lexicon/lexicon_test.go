package lexicon_test

import (
	"testing"

	"github.com/candorhq/candor/lexicon"
)

func TestLemma(t *testing.T) {
	tests := []struct{ word, want string }{
		{"shaking", "shake"},
		{"cried", "cry"},
		{"apologized", "apologize"},
		{"apologised", "apologise"},
		{"customers", "customer"},
		{"geese", "goose"},
		{"went", "go"},
		{"analyses", "analysis"},
		{"stakeholders", "stakeholder"},
		{"stopped", "stop"},
		{"was", "be"},
		{"does", "do"},
		{"better", "good"},
		// Words that look inflected but are frequent lemmas themselves.
		{"evening", "evening"},
		{"ceiling", "ceiling"},
		{"news", "news"},
		// Already a base form, and unknown words, come back unchanged.
		{"customer", "customer"},
		{"follow_up", "follow_up"},
		{"xyzzyness", "xyzzyness"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := lexicon.Lemma(tt.word); got != tt.want {
			t.Errorf("Lemma(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestClasses(t *testing.T) {
	tests := []struct {
		lemma string
		want  lexicon.Class
	}{
		{"frustration", lexicon.NounFeeling},
		{"tell", lexicon.VerbCommunication},
		{"notice", lexicon.VerbPerception},
		{"realize", lexicon.VerbCognition},
		{"tuesday", lexicon.NounTime},
		{"manager", lexicon.NounPerson},
		{"dozen", lexicon.NounQuantity},
		{"team", lexicon.NounGroup},
		{"apologize", lexicon.VerbCommunication},
	}
	for _, tt := range tests {
		if got := lexicon.Classes(tt.lemma); !got.Has(tt.want) {
			t.Errorf("Classes(%q) = %v, want it to include %v", tt.lemma, got, tt.want)
		}
	}
	if got := lexicon.Classes("xyzzy"); got != 0 {
		t.Errorf("Classes(unknown) = %v, want none", got)
	}
}
