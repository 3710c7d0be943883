package transcript_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/internal/testkit"
	"github.com/candorhq/candor/transcript"
)

// fixtures maps each fixture in testdata to the format it is written in.
var fixtures = map[string]string{
	"answers.json":      transcript.FormatAnswersJSON,
	"turns.json":        transcript.FormatTurnsJSON,
	"turns_object.json": transcript.FormatTurnsJSON,
	"teams.vtt":         transcript.FormatVTT,
	"zoom.vtt":          transcript.FormatVTT,
	"interview.srt":     transcript.FormatSRT,
	"otter.txt":         transcript.FormatOtter,
	"otter_single.txt":  transcript.FormatOtter,
	"plain_names.txt":   transcript.FormatPlain,
	"plain_roles.txt":   transcript.FormatPlain,
	"plain_qa.txt":      transcript.FormatPlain,
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func parseFixture(t *testing.T, name string) *analyzer.Transcript {
	t.Helper()
	tr, err := transcript.Parse(name, readFixture(t, name))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return tr
}

// speakers lists the distinct speakers in order of first appearance.
func speakers(turns []analyzer.Turn) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range turns {
		if !seen[t.Speaker] {
			seen[t.Speaker] = true
			out = append(out, t.Speaker)
		}
	}
	return out
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file      string
		speakers  []string
		turns     int
		candidate string
		// check holds turns to compare in full, by index.
		check map[int]analyzer.Turn
	}{
		{file: "turns.json", speakers: []string{"Marta Lindqvist", "Kwame Mensah"}, turns: 6,
			check: map[int]analyzer.Turn{
				0: {Speaker: "Marta Lindqvist", Text: "Thanks for joining. Shall we start with your current role?", Start: 500, End: 4250, Line: 2},
				1: {Speaker: "Kwame Mensah", Text: "Sure. I lead the night shift at a parcel sorting hub. Eleven people, two conveyor lines.", Start: 5000, End: 11500, Line: 3},
				3: {Speaker: "Kwame Mensah", Text: "Last November the scanner on line two froze at about 2 a.m. I moved four people to hand-sorting and called the vendor hotline.", Start: 15000, End: -1, Line: 6},
			}},
		{file: "turns_object.json", speakers: []string{"Marta Lindqvist", "Kwame Mensah"}, turns: 4, candidate: "Kwame Mensah",
			check: map[int]analyzer.Turn{
				2: {Speaker: "Marta Lindqvist", Text: "Have you tried that already?", Start: 110250, End: 112000, Line: 7},
			}},
		{file: "teams.vtt", speakers: []string{"Ines Duarte", "Tom Baptiste"}, turns: 6,
			check: map[int]analyzer.Turn{
				2: {Speaker: "Ines Duarte", Text: "I'd like to hear about a time a supplier let you down and how you handled the customer side of it.", Start: 10005, End: 16880, Line: 19},
				3: {Speaker: "Tom Baptiste", Text: "Right. We sold garden furniture & one spring our main supplier shipped three hundred chairs with the wrong bolts. " +
					"I emailed every buyer the same day, sent the right bolts by courier, and added a <10% voucher> note.", Start: 17500, End: 31640, Line: 24},
				4: {Speaker: "Ines Duarte", Text: "How many buyers came back afterwards?", Start: 62000, End: 65500, Line: 33},
			}},
		{file: "zoom.vtt", speakers: []string{"Priyanka Shah", "Luis García-Moreno"}, turns: 5,
			check: map[int]analyzer.Turn{
				0: {Speaker: "Priyanka Shah", Text: "Can everyone see my screen? Good. So, Luis, tell me about your last on-call week.", Start: 640, End: 8020, Line: 3},
				1: {Speaker: "Luis García-Moreno", Text: "It was a busy one. On Tuesday night the payments queue backed up and the pager went off at three in the morning. " +
					"I paused the retry job first, because it was making the backlog worse.", Start: 8800, End: 21450, Line: 11},
				3: {Speaker: "Luis García-Moreno", Text: "We posted a status update within twenty minutes. " +
					`Note: the status page said "delayed", not "down", which mattered to them.`, Start: 25100, End: 31000, Line: 27},
			}},
		{file: "interview.srt", speakers: []string{"Hannah Brooks", "Ayo Adeyemi"}, turns: 4,
			check: map[int]analyzer.Turn{
				1: {Speaker: "Ayo Adeyemi", Text: "Yes. Our warehouse scanner rollout was meant to take six weeks and took eleven. " +
					"The handhelds kept dropping off the Wi-Fi in the cold store.", Start: 8400, End: 18250, Line: 9},
				3: {Speaker: "Ayo Adeyemi", Text: "I got the network team to survey the cold store and we added two access points by the freezer doors.", Start: 21400, End: 27050, Line: 23},
			}},
		{file: "otter.txt", speakers: []string{"Oskar Nilsson", "Leah Whitfield-Jones"}, turns: 7,
			check: map[int]analyzer.Turn{
				3: {Speaker: "Leah Whitfield-Jones", Text: "Sure. Last year a designer and I disagreed about whether to launch the new checkout before the holidays. " +
					"She wanted to wait until January. I wanted the faster checkout live for the sales. " +
					"We ran a small test on ten percent of traffic for a week, and the numbers settled it.", Start: 21000, End: -1, Line: 10},
				6: {Speaker: "Oskar Nilsson", Text: "That is all from me. Thanks, Leah.", Start: 3750000, End: -1, Line: 24},
			}},
		{file: "otter_single.txt", speakers: []string{"Speaker 1", "Speaker 2"}, turns: 4,
			check: map[int]analyzer.Turn{
				1: {Speaker: "Speaker 2", Text: "I trained two new cashiers at the garden centre last spring. I paired each of them with me for three shifts. " +
					"Our rush always started on Saturday 10:30 when the coaches arrived, so I kept them off that shift for two weeks.", Start: 5000, End: -1, Line: 4},
			}},
		{file: "plain_names.txt", speakers: []string{"Dr. Amara O'Neil-Baptiste", "Jun Park"}, turns: 8,
			check: map[int]analyzer.Turn{
				0: {Speaker: "Dr. Amara O'Neil-Baptiste", Text: "Thanks for coming in. Let's start with escalations.", Start: 5000, End: -1, Line: 3},
				3: {Speaker: "Jun Park", Text: "A patient's results were sent to the wrong address. She called us furious, and she was right to be. " +
					"Note: this was before we had the two-step address check. Result: we rebuilt the process that month.", Start: 31000, End: -1, Line: 6},
				6: {Speaker: "Dr. Amara O'Neil-Baptiste", Text: "Good. See https://example.org/policy for our own version: we will come back to it.", Start: 130000, End: -1, Line: 12},
			}},
		{file: "plain_roles.txt", speakers: []string{"Interviewer", "Candidate"}, turns: 7,
			check: map[int]analyzer.Turn{
				3: {Speaker: "Candidate", Text: "At the rental desk a family wanted a van we had already promised to someone else. " +
					"I offered them two smaller cars at the van price and they took them.", Start: -1, End: -1, Line: 7},
				5: {Speaker: "Candidate", Text: "Disappointed. Situation: a holiday weekend, nothing else on the lot. " +
					"Action: I stayed calm and walked them through the options. Result: they booked with us again in the summer.", Start: -1, End: -1, Line: 13},
				6: {Speaker: "Interviewer", Text: "Thank you, that's helpful.", Start: -1, End: -1, Line: 18},
			}},
		{file: "plain_qa.txt", speakers: []string{"Interviewer", "Candidate"}, turns: 6,
			check: map[int]analyzer.Turn{
				3: {Speaker: "Candidate", Text: "Last quarter a bakery chain could not run payroll on a Friday. " +
					"I dropped everything else, found the expired certificate, and had them running by noon.", Start: -1, End: -1, Line: 4},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tr := parseFixture(t, tt.file)
			if got, want := tr.Format, fixtures[tt.file]; got != want {
				t.Errorf("Format = %q, want %q", got, want)
			}
			if got := speakers(tr.Turns); !reflect.DeepEqual(got, tt.speakers) {
				t.Errorf("speakers = %q, want %q", got, tt.speakers)
			}
			if got := len(tr.Turns); got != tt.turns {
				t.Errorf("%d turns, want %d", got, tt.turns)
			}
			if tr.Candidate != tt.candidate {
				t.Errorf("Candidate = %q, want %q", tr.Candidate, tt.candidate)
			}
			for i := 1; i < len(tr.Turns); i++ {
				if tr.Turns[i].Speaker == tr.Turns[i-1].Speaker {
					t.Errorf("turns %d and %d are both by %s: consecutive turns must merge", i-1, i, tr.Turns[i].Speaker)
				}
				if tr.Turns[i].Line <= tr.Turns[i-1].Line {
					t.Errorf("turn %d starts at line %d, not after turn %d (line %d)", i, tr.Turns[i].Line, i-1, tr.Turns[i-1].Line)
				}
			}
			for i, want := range tt.check {
				if i >= len(tr.Turns) {
					t.Errorf("no turn %d", i)
					continue
				}
				if got := tr.Turns[i]; got != want {
					t.Errorf("turn %d:\n got %+v\nwant %+v", i, got, want)
				}
			}
		})
	}
}

func TestParseAnswers(t *testing.T) {
	tr := parseFixture(t, "answers.json")
	want := &analyzer.Transcript{
		Format:    transcript.FormatAnswersJSON,
		Candidate: "Dana Okafor",
		Answers: []analyzer.GivenAnswer{
			{QuestionID: "q1", Text: "In my second year at the bike shop a regular brought back a wheel we had trued the week before. " +
				"It had failed on a descent. I listened first, offered a loaner, and rebuilt it myself that evening."},
			{QuestionID: "q2", Text: "I keep a short list of the three things customers asked about most each week and bring it to the Monday stand-up."},
			{QuestionID: "q4", Text: "We moved the returns desk next to the exit & the queue dropped from twenty minutes to about five."},
		},
	}
	if !reflect.DeepEqual(tr, want) {
		t.Errorf("Parse(answers.json):\n got %+v\nwant %+v", tr, want)
	}
}

// TestGolden compares the whole parse of every fixture with a reviewed copy,
// so that any change in output shows up in a diff. Run with -update to
// rewrite the copies after a deliberate change.
func TestGolden(t *testing.T) {
	for file := range fixtures {
		t.Run(file, func(t *testing.T) {
			testkit.GoldenJSON(t, filepath.Join("testdata", "golden", file+".golden.json"), parseFixture(t, file))
		})
	}
}

// TestEncodings checks that a BOM and any line ending give the same result.
func TestEncodings(t *testing.T) {
	variants := map[string]func([]byte) []byte{
		"bom":  func(b []byte) []byte { return append([]byte("\uFEFF"), b...) },
		"crlf": func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) },
		"cr":   func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r")) },
		"bom+crlf": func(b []byte) []byte {
			return append([]byte("\uFEFF"), bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))...)
		},
	}
	for file := range fixtures {
		want := parseFixture(t, file)
		for name, change := range variants {
			t.Run(file+"/"+name, func(t *testing.T) {
				data := change(readFixture(t, file))
				if got := transcript.Detect(data); got != want.Format {
					t.Errorf("Detect = %q, want %q", got, want.Format)
				}
				got, err := transcript.Parse(file, data)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Parse differs from the plain LF parse:\n got %+v\nwant %+v", got, want)
				}
			})
		}
	}
}

func TestDetect(t *testing.T) {
	for file, want := range fixtures {
		if got := transcript.Detect(readFixture(t, file)); got != want {
			t.Errorf("Detect(%s) = %q, want %q", file, got, want)
		}
	}
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", ""},
		{"prose", "We talked about the role and then about the weather.\nIt went fine.\n", ""},
		{"one note", "Note: call back tomorrow.\nThe candidate seemed keen.\n", ""},
		{"json without a list", `{"candidate": "x"}`, ""},
		{"answers key after others", `{"meta": {"turns": 3}, "answers": []}`, transcript.FormatAnswersJSON},
		{"turns object", `{"turns": []}`, transcript.FormatTurnsJSON},
		{"key inside a string", `{"note": "\"answers\": no", "turns": []}`, transcript.FormatTurnsJSON},
		{"turns array", " \n[{\"speaker\": \"A\"}]", transcript.FormatTurnsJSON},
		{"vtt header with text", "WEBVTT - exported\n\n", transcript.FormatVTT},
		{"not vtt", "WEBVTTX\n", ""},
		{"srt", "\n\n1\n00:00:01,000 --> 00:00:02,000\nA: hi\n", transcript.FormatSRT},
		{"otter hours", "Ana Silva  1:02:03\nHello there.\n", transcript.FormatOtter},
		{"otter header alone", "Ana Silva  0:03\n", ""},
		{"plain recurring", "Ana: hi\nBo: hello\nAna: how are you\n", transcript.FormatPlain},
		{"plain two block starts", "Ana Silva: hi\n\nBo Chen: hello\n", transcript.FormatPlain},
		{"plain timestamps", "[00:00:01] Ana: hi\n[00:00:03] Ana: hello?\n", transcript.FormatPlain},
		{"role word", "Interviewer: hello\n", transcript.FormatPlain},
		{"question and answer, two lines", "Dana: Tell me about a time.\nSam: Sure, last year.\n", transcript.FormatPlain},
		{"I and R", "I: hello\nR: hi\n", transcript.FormatPlain},
		{"a note and a line", "Note: call back.\nThe candidate seemed keen.\n", ""},
		{"two notes", "Note: call back.\nResult: hired.\n", ""},
		{"otter single space needs a second header", "Speaker 1 0:00\nHello.\n\nSpeaker 2 0:04\nHi.\n\nSpeaker 1 0:06\nGood.\n", transcript.FormatOtter},
		{"plain with a title ending in a time", "Interview 10:30\nAna: hi\nBo: hello\nAna: shall we?\n", transcript.FormatPlain},
	}
	for _, tt := range tests {
		if got := transcript.Detect([]byte(tt.data)); got != tt.want {
			t.Errorf("Detect(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestDevTranscripts parses the real exports in shared/eval/dev: the
// interviewer turns their gold files point at must be the interviewer's.
func TestDevTranscripts(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "eval", "dev", "transcripts")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("dev transcripts not available: %v", err)
	}
	tests := []struct{ file, gold, format string }{
		{"t1_teams.vtt", "t1_teams.gold.json", transcript.FormatVTT},
		{"t2_otter.txt", "t2_otter.gold.json", transcript.FormatOtter},
		{"t3_plain.txt", "t3_plain.gold.json", transcript.FormatPlain},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var gold struct {
				Format      string `json:"format"`
				Interviewer string `json:"interviewer"`
				Candidate   string `json:"candidate"`
				Segments    []struct {
					QuestionID string `json:"question_id"`
					AskedAt    int    `json:"asked_at_turn"`
				} `json:"segments"`
			}
			raw, err := os.ReadFile(filepath.Join(dir, tt.gold))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &gold); err != nil {
				t.Fatal(err)
			}
			if got := transcript.Detect(data); got != tt.format || got != gold.Format {
				t.Errorf("Detect = %q, want %q (gold says %q)", got, tt.format, gold.Format)
			}
			tr, err := transcript.Parse(tt.file, data)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := speakers(tr.Turns), []string{gold.Interviewer, gold.Candidate}; !reflect.DeepEqual(got, want) {
				t.Errorf("speakers = %q, want %q", got, want)
			}
			for _, seg := range gold.Segments {
				if seg.AskedAt >= len(tr.Turns)-1 {
					t.Errorf("%s asked at turn %d, but there are %d turns", seg.QuestionID, seg.AskedAt, len(tr.Turns))
					continue
				}
				if got := tr.Turns[seg.AskedAt].Speaker; got != gold.Interviewer {
					t.Errorf("%s: turn %d is by %q, want the interviewer %q", seg.QuestionID, seg.AskedAt, got, gold.Interviewer)
				}
				if got := tr.Turns[seg.AskedAt+1].Speaker; got != gold.Candidate {
					t.Errorf("%s: turn %d (the answer) is by %q, want the candidate %q", seg.QuestionID, seg.AskedAt+1, got, gold.Candidate)
				}
			}
		})
	}
}

func TestParseAs(t *testing.T) {
	data := readFixture(t, "plain_qa.txt")
	tr, err := transcript.ParseAs("qa.txt", transcript.FormatPlain, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Turns) != 6 {
		t.Errorf("%d turns, want 6", len(tr.Turns))
	}
	if _, err := transcript.ParseAs("qa.txt", transcript.FormatVTT, data); !isInputError(err, 1, "WEBVTT") {
		t.Errorf("ParseAs(vtt) on plain text: %v, want an input error at line 1 about the header", err)
	}
	if _, err := transcript.ParseAs("qa.txt", "docx", data); !isInputError(err, 0, `unknown format "docx"`) {
		t.Errorf("ParseAs(docx): %v", err)
	}
}

func isInputError(err error, line int, reason string) bool {
	var ie *analyzer.InputError
	return errors.As(err, &ie) && ie.Line == line && strings.Contains(err.Error(), reason)
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		data string
		line int
		want string // a part of the message
	}{
		{"empty", "", 0, "empty transcript"},
		{"whitespace", " \n\t\r\n  ", 0, "empty transcript"},
		{"bom only", "\uFEFF\n", 0, "empty transcript"},
		{"binary", "WEBVTT\n\n\x00\x01\x02", 3, "binary data (a NUL byte at byte offset 8)"},
		{"invalid utf8", "Ana: hi\nBo: caf\xe9\n", 2, "invalid UTF-8 at byte offset 15"},
		{"invalid utf8 after bom", "\uFEFFAna: hi\xff", 1, "invalid UTF-8 at byte offset 10"},
		{"utf16", "\xff\xfeW\x00E\x00", 1, "UTF-16"},
		{"unknown", "Dear hiring team,\nplease find my notes below.\n", 0, "could not detect the format: expected answers JSON"},
		{"json no list", `{"candidate": "x"}`, 0, `needs an "answers" array`},
		{"json syntax", "{\n  \"answers\": [\n    {\"question_id\": \"q1\" \"text\": \"x\"}\n  ]\n}", 3, "invalid JSON"},
		{"json truncated", "{\"answers\": [\n{\"question_id\": \"q1\",", 2, "unexpected end of input"},
		{"json broken, undetected", "{\"candidate\": \"x\",\n\"note\": tru }", 2, "invalid JSON"},
		{"answers not an array", `{"answers": {"q1": "x"}}`, 1, "answers: expected an array, got object"},
		{"answers null", `{"answers": null}`, 1, "answers: expected an array, got null"},
		{"answers empty", `{"answers": []}`, 0, "answers: empty; need at least one answer"},
		{"answer empty text", "{\"answers\": [\n{\"question_id\": \"q1\", \"text\": \"a\"},\n{\"question_id\": \"q2\", \"text\": \"b\"},\n{\"question_id\": \"q3\", \"text\": \" \"}]}", 4, "answers[2].text: empty"},
		{"answer missing id", "{\"answers\": [{\"text\": \"a\"}]}", 1, "answers[0].question_id: missing"},
		{"answer text number", "{\"answers\": [{\"question_id\": \"q1\", \"text\": 42}]}", 1, "answers[0].text: expected a string, got number"},
		{"answer not object", "{\"answers\": [\"q1\"]}", 1, "answers[0]: expected an object, got string"},
		{"candidate number", `{"candidate": 7, "answers": [{"question_id": "q1", "text": "a"}]}`, 1, "candidate: expected a string, got number"},
		{"answers trailing data", `{"answers": [{"question_id": "q1", "text": "a"}]} {}`, 1, "unexpected data after the JSON value"},
		{"turns start string", `[{"speaker": "A", "text": "hi", "start": "1.5"}, {"speaker": "B", "text": "yo"}]`, 1, "[0].start: expected a number of seconds, got string"},
		{"turns negative", "{\"turns\": [\n{\"speaker\": \"A\", \"text\": \"hi\", \"start\": -2}]}", 2, "turns[0].start: negative time"},
		{"turns end first", `[{"speaker": "A", "text": "hi", "start": 3, "end": 2}]`, 1, "[0].end: before start"},
		{"turns huge", `[{"speaker": "A", "text": "hi", "start": 1e300}]`, 1, "[0].start: time out of range"},
		{"turns no speaker", `[{"text": "hi"}]`, 1, "[0].speaker: missing"},
		{"turns empty", `[]`, 0, "no speaker turns found"},
		{"turns one speaker", `[{"speaker": "Ana", "text": "hi"}, {"speaker": "Ana", "text": "anyone?"}]`, 1, "only one speaker (Ana) found; need an interviewer and a candidate"},
		{"vtt bad time", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: hi\n\n2\n00:00:0x.000 --> 00:00:03.000\nBo: hey\n", 8, "malformed cue start time"},
		{"vtt comma time", "WEBVTT\n\n00:00:01,000 --> 00:00:02,000\n<v Ana>hi\n", 3, "malformed cue start time"},
		{"vtt bad end", "WEBVTT\n\n00:00:01.000 --> 00:00:02\n<v Ana>hi\n", 3, "malformed cue end time"},
		{"vtt backwards", "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\n<v Ana>hi\n", 3, "cue ends before it starts"},
		{"vtt id without timing", "WEBVTT\n\ncue-1\n<v Ana>hi\n", 4, "expected a cue timing line"},
		{"vtt no speakers", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello there\n", 0, "no speaker turns found"},
		{"vtt one speaker", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana Silva>hello\n\n00:00:03.000 --> 00:00:04.000\n<v Ana Silva>anyone?\n", 3, "only one speaker (Ana Silva) found"},
		{"srt bad index", "1\n00:00:01,000 --> 00:00:02,000\nAna: hi\n\nBo: hey\n", 5, "expected a subtitle number"},
		{"srt bad timing", "1\n00:00:01,000 --> 00:00:02,000\nAna: hi\n\n2\n00:00:03 --> 00:00:04,000\nBo: hey\n", 6, "malformed timing line"},
		{"srt missing timing", "1\n00:00:01,000 --> 00:00:02,000\nAna: hi\n\n2\nBo: hey\n", 6, "expected a timing line"},
		{"otter one speaker", "Ana Silva  0:01\nHello?\n\nAna Silva  0:09\nIs anyone there?\n", 1, "only one speaker (Ana Silva) found"},
		{"plain one speaker", "Interviewer: hello\nInterviewer: are you there?\n", 1, "only one speaker (Interviewer) found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := transcript.Parse("in.txt", []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want an error containing %q", tr, tt.want)
			}
			var ie *analyzer.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T) is not an *analyzer.InputError", err, err)
			}
			if !errors.Is(err, analyzer.ErrInvalidInput) {
				t.Errorf("error does not match ErrInvalidInput")
			}
			if ie.File != "in.txt" {
				t.Errorf("File = %q, want in.txt", ie.File)
			}
			if ie.Line != tt.line {
				t.Errorf("Line = %d, want %d (%v)", ie.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestMaxSize(t *testing.T) {
	line := []byte("Interviewer: tell me more.\nCandidate: gladly, there is a lot to say about it.\n")
	data := bytes.Repeat(line, transcript.MaxSize/len(line))
	if _, err := transcript.Parse("big.txt", data); err != nil {
		t.Fatalf("Parse of %d bytes (under MaxSize): %v", len(data), err)
	}
	data = append(data, bytes.Repeat([]byte("x"), transcript.MaxSize-len(data)+1)...)
	_, err := transcript.Parse("big.txt", data)
	if !isInputError(err, 0, "over the limit of 8388608 bytes (8 MiB)") {
		t.Errorf("Parse of %d bytes: %v, want an input error giving the limit", len(data), err)
	}
}

// TestErrorsKeepTextPrivate checks that error messages do not quote the
// transcript: they are logged, and transcripts are personal data.
func TestErrorsKeepTextPrivate(t *testing.T) {
	const secret = "Zanzibarian"
	inputs := []string{
		"WEBVTT\n\n" + secret + "\nnot a timing line\n",
		"1\n00:00:01,000 --> 00:00:02,000\nAna: hi\n\n" + secret + "\n",
		secret + " wrote this letter.\n",
		`{"answers": [{"question_id": "q1", "text": "` + secret + `", "extra": }]}`,
		`[{"speaker": "A", "text": "` + secret + `", "start": "1"}]`,
	}
	for _, in := range inputs {
		_, err := transcript.Parse("x", []byte(in))
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", in)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q quotes the transcript", err)
		}
	}
}

func TestSpeakerLabels(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		speakers []string
		turns    int
	}{
		{"label alone on its line", "Interviewer:\nWhat happened next?\nCandidate:\nWe fixed it.\n", []string{"Interviewer", "Candidate"}, 2},
		{"preamble dropped", "Interview notes, 4 June\n\nAna: hi\nBo: hello\nAna: shall we?\nBo: yes\n", []string{"Ana", "Bo"}, 4},
		{"recurring stop word stays text", "Ana: tell me more\nBo: ok\nNote: first point\nNote: second point\nAna: thanks\nBo: sure\n", []string{"Ana", "Bo"}, 4},
		{"sentence with a colon", "Ana: question?\nBo: here is the thing\nSo what I did: I called them\nAna: ok\nBo: and So what I did: again\n", []string{"Ana", "Bo"}, 4},
		// In a blank-line separated text, a label inside a block is prose
		// even when it recurs.
		{"quoted dialogue mid-block", "Ana: What did the customer say?\n\nBo: She was upset.\nCustomer: where is my order\nMe: let me check\nCustomer: it is late\nMe: I know\n\nAna: And then?\n\nBo: I refunded her.\n\nAna: Good.\n",
			[]string{"Ana", "Bo"}, 5},
		{"vtt cue right after the header", "WEBVTT\n00:00:01.000 --> 00:00:02.000\n<v Ana>hi\n\n00:00:02.000 --> 00:00:03.000\n<v Bo>hello\n", []string{"Ana", "Bo"}, 2},
		{"vtt id right after the header", "WEBVTT\nKind: captions\n1\n00:00:01.000 --> 00:00:02.000\nAna: hi\n\n2\n00:00:02.000 --> 00:00:03.000\nBo: hello\n\n3\n00:00:04.000 --> 00:00:05.000\nAna: bye\n", []string{"Ana", "Bo"}, 3},
		{"vtt cue spanning speakers", "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana>hi</v> <v Bo>hello</v>\n", []string{"Ana", "Bo"}, 2},
		{"srt without blank lines", "1\n00:00:01,000 --> 00:00:02,000\nAna: hi\n2\n00:00:02,000 --> 00:00:03,000\nBo: hello\n3\n00:00:03,000 --> 00:00:04,000\nAna: 2019 was\n2020\nBo: ok\n", []string{"Ana", "Bo"}, 4},
		{"q and a lower case", "q: first?\na: yes\n", []string{"Interviewer", "Candidate"}, 2},
		{"timestamps in parens and bare", "(0:05) Ana: hi\n00:00:09 Bo: hello\n10:30 was when we met\n[1:02:03] Ana: ok\n1:02:09.5 Bo: bye\n", []string{"Ana", "Bo"}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := transcript.Parse("in.txt", []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if got := speakers(tr.Turns); !reflect.DeepEqual(got, tt.speakers) {
				t.Errorf("speakers = %q, want %q", got, tt.speakers)
			}
			if len(tr.Turns) != tt.turns {
				t.Errorf("%d turns, want %d: %+v", len(tr.Turns), tt.turns, tr.Turns)
			}
		})
	}
}

// TestLongLines parses inputs built to make a careless parser quadratic
// (unclosed tags, bare ampersands, one huge line): each must finish like any
// other input of its size.
func TestLongLines(t *testing.T) {
	const n = 1 << 20
	tests := map[string]string{
		"vtt unclosed tags": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>" + strings.Repeat("<", n) + "\n\n00:00:02.000 --> 00:00:03.000\n<v Bo>hi\n",
		"vtt ampersands":    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>" + strings.Repeat("&", n) + "\n\n00:00:02.000 --> 00:00:03.000\n<v Bo>hi\n",
		"srt unclosed tags": "1\n00:00:01,000 --> 00:00:02,000\nAna: " + strings.Repeat("<a{\\", n/4) + "\n\n2\n00:00:02,000 --> 00:00:03,000\nBo: hi\n",
		"plain one line":    "Candidate: " + strings.Repeat("word [", n/6) + "\nInterviewer: hi\n",
		"otter one line":    "Ana Silva  0:01\n" + strings.Repeat("x ", n/2) + "\n\nBo Chen  0:05\nhi\n",
		"brackets":          strings.Repeat("[(", n/2),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			tr, err := transcript.Parse("long", []byte(in))
			if name == "brackets" {
				if err == nil {
					t.Fatalf("Parse succeeded: %d turns", len(tr.Turns))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(tr.Turns) < 2 {
				t.Errorf("%d turns, want at least 2", len(tr.Turns))
			}
		})
	}
}

// TestTwoLines: a question and its answer, each once, are two turns.
func TestTwoLines(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string // speakers
	}{
		{"names", "Dana: Tell me about a time when you had to handle an upset customer.\nSam: A woman came in furious.\n", []string{"Dana", "Sam"}},
		{"blank line between", "Dana Li: Tell me about yourself.\n\nSam Ode: I study physics.\n", []string{"Dana Li", "Sam Ode"}},
		{"I and R", "I: Tell me about yourself.\nR: I study physics.\n", []string{"I", "R"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := transcript.Parse("t.txt", []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, turn := range tr.Turns {
				got = append(got, turn.Speaker)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("speakers %q, want %q", got, tc.want)
			}
		})
	}
}
