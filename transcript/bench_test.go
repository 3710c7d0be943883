package transcript_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/candorhq/candor/transcript"
)

// benchSize is about one hour of interview as text.
const benchSize = 60 << 10

// benchTurn makes the i-th turn of a generated interview: the two speakers
// alternate, and the words vary so no two turns are alike.
func benchTurn(i int) (speaker, text string) {
	words := []string{"customer", "queue", "because", "we", "changed", "the", "rota", "and", "then",
		"I", "called", "back", "within", "an", "hour", "so", "that", "nobody", "waited", "twice"}
	var b bytes.Buffer
	n := 12 + i%17
	for j := 0; j < n; j++ {
		if j > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[(i*7+j*3)%len(words)])
	}
	b.WriteByte('.')
	if i%2 == 0 {
		return "Rosa Delgado", b.String()
	}
	return "Sam Whitlock", b.String()
}

func stamp(ms int, sep byte) string {
	return fmt.Sprintf("%02d:%02d:%02d%c%03d", ms/3600000, ms/60000%60, ms/1000%60, sep, ms%1000)
}

// genTranscript writes a generated interview of about benchSize bytes in
// the given format.
func genTranscript(format string) []byte {
	var b bytes.Buffer
	switch format {
	case "vtt-teams", "vtt-zoom":
		b.WriteString("WEBVTT\n\n")
	case "answers-json":
		b.WriteString(`{"candidate": "Sam Whitlock", "answers": [`)
	case "turns-json":
		b.WriteString("[\n")
	}
	for i := 0; b.Len() < benchSize; i++ {
		speaker, text := benchTurn(i)
		start, end := i*10000, i*10000+9500
		switch format {
		case "answers-json":
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, `{"question_id": "q%d", "text": %q}`, i, text)
		case "turns-json":
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, `{"speaker": %q, "text": %q, "start": %.3f, "end": %.3f}`, speaker, text, float64(start)/1000, float64(end)/1000)
		case "vtt-teams":
			fmt.Fprintf(&b, "3f1c9a2e-7b44-4d0a-9e8f-2c6b1d5a7e90/%d-0\n%s --> %s\n<v %s>%s</v>\n\n", i, stamp(start, '.'), stamp(end, '.'), speaker, text)
		case "vtt-zoom":
			fmt.Fprintf(&b, "%d\n%s --> %s\n%s: %s\n\n", i+1, stamp(start, '.'), stamp(end, '.'), speaker, text)
		case "srt":
			fmt.Fprintf(&b, "%d\n%s --> %s\n%s: %s\n\n", i+1, stamp(start, ','), stamp(end, ','), speaker, text)
		case "otter":
			fmt.Fprintf(&b, "%s  %d:%02d\n%s\n\n", speaker, start/60000, start/1000%60, text)
		case "plain":
			b.WriteString(speaker + ": " + text + "\n\n")
		}
	}
	switch format {
	case "answers-json":
		b.WriteString("]}\n")
	case "turns-json":
		b.WriteString("\n]\n")
	}
	return b.Bytes()
}

var benchFormats = []string{"answers-json", "turns-json", "vtt-teams", "vtt-zoom", "srt", "otter", "plain"}

func TestGeneratedTranscripts(t *testing.T) {
	for _, format := range benchFormats {
		data := genTranscript(format)
		tr, err := transcript.Parse(format, data)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		n := len(tr.Turns) + len(tr.Answers)
		if n < 300 {
			t.Errorf("%s: %d turns or answers in %d bytes; want one per generated turn", format, n, len(data))
		}
		if len(tr.Turns) > 0 {
			if _, want := benchTurn(5); tr.Turns[5].Text != want {
				t.Errorf("%s: turn 5 = %q, want %q", format, tr.Turns[5].Text, want)
			}
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for _, format := range benchFormats {
		data := genTranscript(format)
		b.Run(format, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := transcript.Parse("bench", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDetect(b *testing.B) {
	for _, format := range benchFormats {
		data := genTranscript(format)
		b.Run(format, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if transcript.Detect(data) == "" {
					b.Fatal("not detected")
				}
			}
		})
	}
}
