package transcript_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/transcript"
)

// addSeeds seeds a fuzz target with every fixture, the real dev transcripts
// when shared/ is there, and a few inputs at the edges of the formats.
func addSeeds(f *testing.F) {
	for file := range fixtures {
		f.Add(readFixture(f, file))
	}
	dir := filepath.Join("..", "..", "shared", "eval", "dev", "transcripts")
	for _, file := range []string{"t1_teams.vtt", "t2_otter.txt", "t3_plain.txt"} {
		if data, err := os.ReadFile(filepath.Join(dir, file)); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>x&amp;y</v>\n\n00:02.000 --> 00:03.000\n<v.c B>&#x1F600;<i>z</i>\n",
		"1\n00:00:01,000 --> 00:00:02,000\n<i>A: x</i>\n2\n00:00:02,000 --> 00:00:03,000\nB: y\n",
		"A B  1:02:03\nx\n\nC D 0:01\ny\n",
		"[00:00:01] A: x\n(0:02) B: y\n00:03 A: z\n",
		`{"turns": [{"speaker": "A", "text": "x", "start": 1, "end": 2}, {"speaker": "B", "text": "y"}]}`,
		`{"answers": [{"question_id": "q1", "text": "x"}]}`,
	} {
		f.Add([]byte(s))
	}
}

// checkResult holds the invariants of every parse: an error is an
// *analyzer.InputError; a transcript has non-empty speakers and texts, times
// that are -1 or non-negative with the end not before the start, and no two
// consecutive turns by one speaker.
func checkResult(t *testing.T, data []byte, tr *analyzer.Transcript, err error) {
	t.Helper()
	if err != nil {
		var ie *analyzer.InputError
		if !errors.As(err, &ie) {
			t.Fatalf("error %v (%T) is not an *analyzer.InputError", err, err)
		}
		if ie.Line < 0 {
			t.Fatalf("negative line in %v", err)
		}
		return
	}
	if tr.Format == transcript.FormatAnswersJSON {
		if len(tr.Answers) == 0 {
			t.Fatal("answers transcript without answers")
		}
		for i, a := range tr.Answers {
			if strings.TrimSpace(a.QuestionID) == "" || strings.TrimSpace(a.Text) == "" {
				t.Fatalf("answer %d has an empty field: %+v", i, a)
			}
		}
		return
	}
	if len(tr.Turns) < 2 {
		t.Fatalf("%d turns; a conversation needs two speakers", len(tr.Turns))
	}
	lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
	for i, turn := range tr.Turns {
		if strings.TrimSpace(turn.Speaker) == "" || strings.TrimSpace(turn.Text) == "" {
			t.Fatalf("turn %d has an empty speaker or text: %+v", i, turn)
		}
		if !utf8.ValidString(turn.Text) || !utf8.ValidString(turn.Speaker) {
			t.Fatalf("turn %d is not valid UTF-8: %+v", i, turn)
		}
		if turn.Start < -1 || turn.End < -1 || turn.Start >= 0 && turn.End >= 0 && turn.End < turn.Start {
			t.Fatalf("turn %d has bad times: %+v", i, turn)
		}
		if turn.Line < 1 || turn.Line > lines && tr.Document == "" {
			t.Fatalf("turn %d has line %d; the input has %d lines", i, turn.Line, lines)
		}
		if i > 0 && turn.Speaker == tr.Turns[i-1].Speaker {
			t.Fatalf("turns %d and %d are both by %q", i-1, i, turn.Speaker)
		}
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		format := transcript.Detect(data)
		tr, err := transcript.Parse("fuzz", data)
		checkResult(t, data, tr, err)
		if err == nil && tr.Document == "" && tr.Format != format {
			t.Fatalf("Parse read %s, Detect said %q", tr.Format, format)
		}
	})
}

// fuzzAs fuzzes one format's parser directly, past detection, so that the
// fuzzer's mutations reach the parser even when they break the signature.
func fuzzAs(f *testing.F, formats ...string) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range formats {
			tr, err := transcript.ParseAs("fuzz", format, data)
			checkResult(t, data, tr, err)
			if err == nil && tr.Document == "" && tr.Format != format {
				t.Fatalf("ParseAs(%s) returned format %s", format, tr.Format)
			}
		}
	})
}

func FuzzParseJSON(f *testing.F)  { fuzzAs(f, transcript.FormatAnswersJSON, transcript.FormatTurnsJSON) }
func FuzzParseVTT(f *testing.F)   { fuzzAs(f, transcript.FormatVTT) }
func FuzzParseSRT(f *testing.F)   { fuzzAs(f, transcript.FormatSRT) }
func FuzzParseOtter(f *testing.F) { fuzzAs(f, transcript.FormatOtter) }
func FuzzParsePlain(f *testing.F) { fuzzAs(f, transcript.FormatPlain) }
