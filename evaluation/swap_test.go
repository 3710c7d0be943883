package evaluation_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/evaluation"
	"github.com/candorhq/candor/guide"
)

func variants(t *testing.T, text string) map[string]evaluation.Variant {
	t.Helper()
	out := map[string]evaluation.Variant{}
	for _, v := range evaluation.DefaultSwapLists().Variants(text) {
		out[v.Kind+":"+v.To] = v
	}
	return out
}

func TestSwapVariants(t *testing.T) {
	const text = "Mrs. Okafor told her manager that she’d call him. His boss, Hannah Smith, organized her refund and gave her the colour-coded form. Smith's note helped. I apologized to her."
	v := variants(t, text)
	tests := []struct{ key, want string }{
		// Names: each to the same position of the same kind elsewhere;
		// two people never become one, possessives keep their 's.
		{"names:anglo", "Mrs. Jones told her manager that she’d call him. His boss, Hannah Smith, organized her refund and gave her the colour-coded form. Smith's note helped. I apologized to her."},
		{"names:west-african", "Mrs. Okafor told her manager that she’d call him. His boss, Ngozi Adeyemi, organized her refund and gave her the colour-coded form. Adeyemi's note helped. I apologized to her."},
		{"names:hispanic", "Mrs. Garcia told her manager that she’d call him. His boss, Sofia Rodriguez, organized her refund and gave her the colour-coded form. Rodriguez's note helped. I apologized to her."},
		// Pronouns: "her manager" is possessive, "gave her the" and "to
		// her." objects; the curly apostrophe survives.
		{"pronouns:he", "Mrs. Okafor told his manager that he’d call him. His boss, Hannah Smith, organized his refund and gave him the colour-coded form. Smith's note helped. I apologized to him."},
		{"pronouns:she", "Mrs. Okafor told her manager that she’d call her. Her boss, Hannah Smith, organized her refund and gave her the colour-coded form. Smith's note helped. I apologized to her."},
		{"pronouns:they", "Mrs. Okafor told their manager that they’d call them. Their boss, Hannah Smith, organized their refund and gave them the colour-coded form. Smith's note helped. I apologized to them."},
		{"spelling:uk", "Mrs. Okafor told her manager that she’d call him. His boss, Hannah Smith, organised her refund and gave her the colour-coded form. Smith's note helped. I apologised to her."},
		{"spelling:us", "Mrs. Okafor told her manager that she’d call him. His boss, Hannah Smith, organized her refund and gave her the color-coded form. Smith's note helped. I apologized to her."},
	}
	for _, tt := range tests {
		got, ok := v[tt.key]
		if !ok {
			t.Errorf("no %s variant", tt.key)
			continue
		}
		if got.Text != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.key, got.Text, tt.want)
		}
	}
	// One variant per other list for the names: 7 (every name is from
	// some list, and every list differs from at least one of them).
	n := 0
	for k := range v {
		if strings.HasPrefix(k, "names:") {
			n++
		}
	}
	if n != len(evaluation.DefaultSwapLists().Lists()) {
		t.Errorf("%d name variants", n)
	}
	if got := evaluation.DefaultSwapLists().Variants("We fixed the billing screen in a week and complaints fell."); len(got) != 0 {
		t.Errorf("variants of a text with nothing to swap: %+v", got)
	}
	if v := variants(t, "HIS refund"); v["pronouns:she"].Text != "HER refund" {
		t.Errorf("capitals: %+v", v)
	}
}

func TestSwapListsErrors(t *testing.T) {
	names := "list\tkind\tname\na\tfemale\tAnna\nb\tfemale\tBea\n"
	pron := "role\the\tshe\tthey\nsubject\the\tshe\tthey\n"
	spell := "us\tuk\ncolor\tcolour\n"
	if _, err := evaluation.ParseSwapLists([]byte(names), []byte(pron), []byte(spell)); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ names, pron, spell, want string }{
		{"list\tkind\tname\na\tfemale\tAnna\nb\tfemale\tAnna\n", pron, spell, `names.tsv:3: name: "Anna" is already in list a`},
		{"list\tkind\tname\na\tboy\tAnna\n", pron, spell, `names.tsv:2: kind: "boy" is not female, male or surname`},
		{"name\tlist\n", pron, spell, `names.tsv:1: want the header`},
		{"list\tkind\tname\na\tfemale\tAnna\n", pron, spell, "names.tsv: want at least two lists"},
		{"list\tkind\tname\na\tfemale\tanna\nb\tmale\tBo\n", pron, spell, `"anna" is not one capitalised word`},
		{names, "role\the\tshe\tthey\nsubject\the\tshe\n", spell, "pronouns.tsv:2: want 4 tab-separated columns, got 3"},
		{names, pron, "us\tuk\ncolor\tcolour\ncolor\tcoloure\n", `spelling.tsv:3: us: "color" appears twice`},
	}
	for _, tt := range tests {
		if _, err := evaluation.ParseSwapLists([]byte(tt.names), []byte(tt.pron), []byte(tt.spell)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("err = %v, want %q", err, tt.want)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/names.tsv", []byte(names), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := evaluation.LoadSwapLists(dir)
	if err != nil || len(l.Lists()) != 2 {
		t.Fatalf("own names, embedded pronouns and spellings: %v %v", l, err)
	}
	if v := l.Variants("Anna called. She said the color was off."); len(v) != 4 {
		t.Errorf("variants %+v", v)
	}
}

// biased reads answers naming someone from the west-african list as less
// specific: the kind of engine the swap test exists to catch.
type biased struct {
	analyzer.Engine
	names []string
}

func (b biased) Analyze(ctx context.Context, q analyzer.Question, text string) (analyzer.AnswerAnalysis, error) {
	a, err := b.Engine.Analyze(ctx, q, text)
	for _, n := range b.names {
		if strings.Contains(text, n) {
			a.Delivery.Specificity = max(0, a.Delivery.Specificity-30)
			a.Delivery.Label = analyzer.LabelMixed
		}
	}
	return a, err
}

func TestSwapCatchesABiasedEngine(t *testing.T) {
	set := loadSet(t, "testdata/audit/fair")
	rep, err := evaluation.Swap(context.Background(), biased{heuristic.New(), []string{"Chiamaka", "Adaeze", "Ngozi", "Chinedu", "Okafor"}}, cxGuide(t), set, evaluation.SwapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Flips == 0 || rep.MaxShift < 30 || len(rep.Cases) == 0 {
		t.Fatalf("a name-sensitive engine got through: %+v", rep)
	}
	c := rep.Cases[0]
	if c.Kind != evaluation.SwapNames || c.To != "west-african" || c.Label == c.VariantLabel {
		t.Errorf("first case %+v", c)
	}
	if rep.Kinds[1].Flips != 0 || rep.Kinds[2].Flips != 0 {
		t.Errorf("pronoun or spelling flips with a name-only bias: %+v", rep.Kinds)
	}
}

// TestSwapEmbeddedEngine is the counterfactual swap test of the embedded
// engine on the project's set and the shared development set: a swap of
// names, pronouns or spelling must flip no label and move specificity by
// at most DefaultSwapTolerance. A failure names each case; fix the engine,
// not this test.
func TestSwapEmbeddedEngine(t *testing.T) {
	sets := []string{repoEval}
	if _, err := os.Stat(devSet); err == nil {
		sets = append(sets, devSet)
	}
	guides := []string{"cx-empathy"}
	if _, err := os.Stat(seedGuide); err == nil {
		guides = append(guides, seedGuide)
	}
	for _, gref := range guides {
		g, err := guide.Load(gref)
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range sets {
			t.Run(g.ID+"/"+dir, func(t *testing.T) {
				rep, err := evaluation.Swap(context.Background(), heuristic.New(), g, loadSet(t, dir), evaluation.SwapOptions{})
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%d answers, %d with something to swap, %d variants: %d label flips, largest specificity shift %d", rep.Answers, rep.Swapped, rep.Variants, rep.Flips, rep.MaxShift)
				for _, k := range rep.Kinds {
					t.Logf("  %-8s %3d answers %3d variants: %d flips, max shift %d, mean shift %.2f, %d area changes", k.Kind, k.Answers, k.Variants, k.Flips, k.MaxShift, k.MeanShift, k.AreaChanges)
				}
				if rep.Swapped < 20 {
					t.Errorf("only %d answers had anything to swap", rep.Swapped)
				}
				for _, c := range rep.Cases {
					t.Errorf("%s (%s) %s -> %s: label %s -> %s, specificity %d -> %d", c.ID, c.QuestionID, c.Kind, c.To, c.Label, c.VariantLabel, c.Specificity, c.VariantSpecificity)
				}
			})
		}
	}
}

func ExampleSwapLists_Variants() {
	for _, v := range evaluation.DefaultSwapLists().Variants("She organized it.") {
		fmt.Printf("%s %s: %s\n", v.Kind, v.To, v.Text)
	}
	// Output:
	// pronouns he: He organized it.
	// pronouns they: They organized it.
	// spelling uk: She organised it.
}
