package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/candorhq/candor/guide"
	"github.com/candorhq/candor/transcript"
)

var sizeRE = regexp.MustCompile(`is (\d+) bytes`)

// TestInputErrors checks that usage and input mistakes exit 2 with one
// line on stderr that names what is wrong and where.
func TestInputErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := filepath.Join(evalDir, "t05_plain.txt")
	empty := write("empty.txt", nil)
	binary := write("binary.txt", []byte("Interviewer: hello\x00\x01\x02 there\nCandidate: hi\n"))
	latin1 := write("latin1.txt", []byte("Interviewer: Tell me about a caf\xe9 customer.\nCandidate: Sure.\n"))
	big := write("big.txt", nil)
	// A sparse file: its size is over the limit without writing 8 MiB.
	if err := os.Truncate(big, transcript.MaxSize+1); err != nil {
		t.Fatal(err)
	}
	badVTT := write("bad.vtt", []byte("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAnn: Walk me through an occasion when a customer came to you angry.\n\n"+
		"2\n00:00:0x.000 --> 00:00:09.000\nBen: Last May a man rang about his boiler.\n"))
	oneSpeaker := write("one.txt", []byte("Ann: Walk me through an occasion when a customer came to you angry.\nAnn: Anyone there?\n"))
	unknownQ := write("unknown_q.json", []byte(`{"answers": [{"question_id": "q1", "text": "Last May a man rang about his boiler."},`+"\n"+
		`{"question_id": "q99", "text": "I fixed it."}]}`))
	noQuestion := write("small_talk.txt", []byte("Ann: How was the drive in?\nBen: Fine, a bit of traffic near the bridge.\nAnn: Good. Coffee?\nBen: Yes please.\n"))

	tests := []struct {
		name  string
		args  []string
		stdin string
		// want are substrings of the single stderr line.
		want []string
	}{
		{"missing --guide", []string{"analyze", plain}, "", []string{"--guide is required", strings.Join(guide.BuiltinIDs(), ", ")}},
		{"unknown guide", []string{"analyze", "--guide", "no-such-guide", plain}, "", append([]string{`"no-such-guide"`}, guide.BuiltinIDs()...)},
		{"unknown format", []string{"analyze", "--guide", "cx-empathy", "--format", "xml", plain}, "", []string{"--format", `"xml"`}},
		{"unknown engine", []string{"analyze", "--guide", "cx-empathy", "--engine", "magic", plain}, "", []string{"--engine", `"magic"`}},
		{"llm engine without key", []string{"analyze", "--guide", "cx-empathy", "--engine", "llm", plain}, "", []string{"OPENAI_API_KEY"}},
		{"unknown flag", []string{"analyze", "--guide", "cx-empathy", "--colour", plain}, "", []string{"analyze", "colour"}},
		{"no input", []string{"analyze", "--guide", "cx-empathy"}, "", []string{"give a transcript file"}},
		{"missing file", []string{"analyze", "--guide", "cx-empathy", filepath.Join(dir, "nope.txt")}, "", []string{"nope.txt", "no such file"}},
		{"empty file", []string{"analyze", "--guide", "cx-empathy", empty}, "", []string{empty, "empty"}},
		{"empty stdin", []string{"analyze", "--guide", "cx-empathy", "-"}, "", []string{"stdin", "empty"}},
		{"binary file", []string{"analyze", "--guide", "cx-empathy", binary}, "", []string{binary + ":1:", "binary"}},
		{"non-UTF-8 file", []string{"analyze", "--guide", "cx-empathy", latin1}, "", []string{latin1 + ":1:", "UTF-8"}},
		{"file over 8 MiB", []string{"analyze", "--guide", "cx-empathy", big}, "", []string{big, "8 MiB"}},
		{"stdin over 8 MiB", []string{"analyze", "--guide", "cx-empathy", "-"}, strings.Repeat("Ann: hello\n", transcript.MaxSize/11+100), []string{"stdin", "8 MiB"}},
		{"malformed VTT timestamp", []string{"analyze", "--guide", "cx-empathy", badVTT}, "", []string{badVTT + ":8:", "time"}},
		{"one speaker", []string{"analyze", "--guide", "cx-empathy", oneSpeaker}, "", []string{oneSpeaker, "one speaker", "Ann"}},
		{"question not in guide", []string{"analyze", "--guide", "cx-empathy", unknownQ}, "", []string{unknownQ, "answers[1].question_id", `"q99"`}},
		{"no guide question asked", []string{"analyze", "--guide", "cx-empathy", noQuestion}, "", []string{noQuestion, "cx-empathy"}},
		{"candidate not a speaker", []string{"analyze", "--guide", "cx-empathy", "--candidate", "Zed", plain}, "", []string{plain, "--candidate", `"Zed"`}},
		{"segment candidate not a speaker", []string{"segment", "--guide", "cx-empathy", "--candidate", "Zed", plain}, "", []string{plain, "--candidate", `"Zed"`}},
		{"segment missing --guide", []string{"segment", plain}, "", []string{"--guide is required"}},
		{"segment two inputs", []string{"segment", "--guide", "cx-empathy", plain, plain}, "", []string{"exactly one"}},
		{"segment unknown format", []string{"segment", "--guide", "cx-empathy", "--format", "md", plain}, "", []string{"--format", `"md"`}},
		{"guides no subcommand", []string{"guides"}, "", []string{"list, show, import, lint or prototypes"}},
		{"guides unknown subcommand", []string{"guides", "delete"}, "", []string{`"delete"`}},
		{"guides show no guide", []string{"guides", "show"}, "", []string{"--guide"}},
		{"guides show unknown guide", []string{"guides", "show", "--guide", "no-such-guide"}, "", []string{`"no-such-guide"`}},
		{"guides import bad extension", []string{"guides", "import", "--guide", "cx-empathy", "-o", filepath.Join(dir, "g.txt")}, "", []string{"-o", ".json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, tt.args...)
			if got, want := r.code, 2; got != want {
				t.Fatalf("exit code = %d, want %d (err %v)", got, want, r.err)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			// Flag errors print the flag package's message and usage
			// first; the reason is always the last line.
			line := lastLine(r.stderr)
			if !strings.HasPrefix(line, "candor: ") {
				t.Errorf("last stderr line = %q, want it to start with \"candor: \"", line)
			}
			if strings.Count(r.stderr, "candor: ") != 1 {
				t.Errorf("stderr has %d reason lines, want 1:\n%s", strings.Count(r.stderr, "candor: "), r.stderr)
			}
			// A size in the message must be the input's real size, not
			// the length of a capped read.
			if m := sizeRE.FindStringSubmatch(line); m != nil && tt.stdin != "" && m[1] != strconv.Itoa(len(tt.stdin)) {
				t.Errorf("stderr line %q states a size of %s bytes, but the input has %d", line, m[1], len(tt.stdin))
			}
			for _, w := range tt.want {
				if !strings.Contains(line, w) {
					t.Errorf("stderr line %q does not contain %q", line, w)
				}
			}
		})
	}
}
