package injection_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer/injection"
	"github.com/candorhq/candor/internal/testkit"
)

// case_ is one line of testdata/attempts.jsonl or testdata/lookalikes.jsonl.
type case_ struct {
	Lang string `json:"lang"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

func readSet(t testing.TB, name string) []case_ {
	t.Helper()
	out, _ := testkit.ReadJSONL[case_](t, "testdata/"+name, false)
	return out
}

// carriers are ordinary answers, one per language, that an attempt is put
// into: the attempt must be flagged there and nothing of the answer around it.
var carriers = map[string][2]string{
	"en": {"The customer had been double-billed for three months and was furious when she called.",
		"I checked the account, found the duplicate mandate, refunded all three payments that day and called her back on Friday to confirm."},
	"de": {"Die Kundin war wütend, weil ihr drei Monate lang doppelt abgebucht worden war.",
		"Ich habe das Konto geprüft, das doppelte Mandat gelöscht und ihr am Freitag bestätigt, dass alles zurückgezahlt war."},
	"fr": {"La cliente était furieuse : on l'avait prélevée deux fois pendant trois mois.",
		"J'ai vérifié le compte, supprimé le mandat en double et je l'ai rappelée le vendredi pour confirmer le remboursement."},
	"es": {"La clienta estaba furiosa porque le habíamos cobrado dos veces durante tres meses.",
		"Revisé la cuenta, eliminé el cargo duplicado y la llamé el viernes para confirmar el reembolso."},
	"pt": {"A cliente estava furiosa porque tinha sido cobrada duas vezes durante três meses.",
		"Verifiquei a conta, cancelei a cobrança duplicada e liguei para ela na sexta-feira para confirmar o reembolso."},
	"it": {"La cliente era furiosa perché le avevamo addebitato due volte per tre mesi.",
		"Ho controllato il conto, annullato l'addebito doppio e l'ho richiamata venerdì per confermare il rimborso."},
	"zh": {"那位客户非常生气，因为她连续三个月被重复扣款。",
		"我查了账户，取消了重复的扣款，并在周五给她回电话确认退款已经到账。"},
}

func embed(c case_) (text string, start, end int) {
	cr, ok := carriers[c.Lang]
	if !ok {
		cr = carriers["en"]
	}
	sep := " "
	if c.Lang == "zh" {
		sep = ""
	}
	before := cr[0] + sep
	text = before + c.Text + sep + cr[1]
	return text, utf8.RuneCountInString(before), utf8.RuneCountInString(before + c.Text)
}

// core narrows [start, end) of text to its first and last letter or digit.
func core(text string, start, end int) (int, int) {
	r := []rune(text)
	for start < end && !unicode.IsLetter(r[start]) && !unicode.IsDigit(r[start]) {
		start++
	}
	for end > start && !unicode.IsLetter(r[end-1]) && !unicode.IsDigit(r[end-1]) {
		end--
	}
	return start, end
}

// covers reports whether the findings cover [start, end) and nothing
// outside [outStart, outEnd).
func covers(fs []injection.Finding, start, end, outStart, outEnd int) (covered, outside bool) {
	at := start
	for _, f := range fs {
		if f.Start <= at && f.End > at {
			at = f.End
		}
		if f.Start < outStart || f.End > outEnd {
			outside = true
		}
	}
	return at >= end, outside
}

// TestInjectionSet measures the detector on the project's own set: every
// attempt flagged, alone and inside an ordinary answer in its language,
// with nothing of that answer flagged; no look-alike flagged.
func TestInjectionSet(t *testing.T) {
	attempts, looks := readSet(t, "attempts.jsonl"), readSet(t, "lookalikes.jsonl")
	if len(attempts) < 40 || len(looks) < 40 {
		t.Fatalf("%d attempts and %d look-alikes; the set needs at least 40 of each", len(attempts), len(looks))
	}
	flagged, missed := 0, 0
	byLang := map[string][2]int{}
	for i, c := range attempts {
		ok := true
		fs := injection.Detect(c.Text)
		s, e := core(c.Text, 0, utf8.RuneCountInString(c.Text))
		if cov, _ := covers(fs, s, e, 0, e+1); !cov {
			t.Errorf("attempt %d (%s, %s) alone: flagged %+v, want all of %q", i+1, c.Lang, c.Kind, fs, c.Text)
			ok = false
		}
		text, a, b := embed(c)
		fs = injection.Detect(text)
		s, e = core(text, a, b)
		cov, outside := covers(fs, s, e, a-1, b+1)
		if !cov {
			t.Errorf("attempt %d (%s, %s) in an answer: flagged %v", i+1, c.Lang, c.Kind, quotes(text, fs))
			ok = false
		}
		if outside {
			t.Errorf("attempt %d (%s, %s) in an answer: the answer around it flagged too: %v", i+1, c.Lang, c.Kind, quotes(text, fs))
		}
		n := byLang[c.Lang]
		n[1]++
		if ok {
			flagged++
			n[0]++
		} else {
			missed++
		}
		byLang[c.Lang] = n
	}
	falseAlarms := 0
	for i, c := range looks {
		text, _, _ := embed(c)
		for _, s := range []string{c.Text, text} {
			if fs := injection.Detect(s); len(fs) > 0 {
				t.Errorf("look-alike %d (%s) flagged: %v", i+1, c.Lang, quotes(s, fs))
				falseAlarms++
				break
			}
		}
	}
	t.Logf("attempts flagged %d/%d (%.1f%%) %v; look-alikes flagged %d/%d", flagged, len(attempts),
		100*float64(flagged)/float64(len(attempts)), byLang, falseAlarms, len(looks))
}

func quotes(text string, fs []injection.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+"/"+f.Lang+": "+f.Span(text).Quote)
	}
	return out
}

// TestLanguages: the rule and language a finding names.
func TestLanguages(t *testing.T) {
	for _, c := range readSet(t, "attempts.jsonl") {
		fs := injection.Detect(c.Text)
		if len(fs) == 0 || c.Kind == "markup" || c.Kind == "verdict" || c.Kind == "role" {
			continue
		}
		if fs[0].Lang != c.Lang && !(c.Lang == "pt" && fs[0].Lang == "es") {
			t.Errorf("%q: language %q, want %q", c.Text, fs[0].Lang, c.Lang)
		}
	}
}

var _ = strings.Contains
