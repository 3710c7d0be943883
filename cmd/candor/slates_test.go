package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candorhq/candor/slate"
)

// TestSlatesCompare: reports printed by candor analyze (one file each, and
// a batch's JSON lines on stdin) side by side, in each format and order;
// refusals exit 2.
func TestSlatesCompare(t *testing.T) {
	dir := t.TempDir()
	tr := filepath.Join("..", "..", "testdata", "eval", "transcripts")
	var files []string
	var batch strings.Builder
	for i, f := range []string{"t01_zoom.vtt", "t02_teams.vtt", "t03_srt.srt", "t04_otter.txt", "t06_panel.txt"} {
		out := mustRun(t, "", "analyze", "--guide", "cx-empathy", "--format", "json", filepath.Join(tr, f))
		p := filepath.Join(dir, f+".json")
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if i < 4 {
			files = append(files, p)
		}
		batch.WriteString(out)
	}

	var m slate.Matrix
	if err := json.Unmarshal([]byte(mustRun(t, "", append([]string{"slates", "compare", "--format", "json"}, files...)...)), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Candidates) != 4 || m.Candidates[0].Name != "Hannah Lindqvist" || len(m.Questions) != 15 || m.Guide.ID != "cx-empathy" {
		t.Fatalf("matrix: %d candidates (%+v), %d questions", len(m.Candidates), m.Candidates, len(m.Questions))
	}

	var sorted slate.Matrix
	if err := json.Unmarshal([]byte(mustRun(t, batch.String(), "slates", "compare", "--format", "json", "--sort", "specificity", "-")), &sorted); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(sorted.Candidates); i++ {
		if sorted.Candidates[i-1].Specificity < sorted.Candidates[i].Specificity {
			t.Errorf("by specificity: %+v", sorted.Candidates)
		}
	}
	if len(sorted.Candidates) != 5 {
		t.Errorf("stdin batch: %d candidates", len(sorted.Candidates))
	}

	recs, err := csv.NewReader(strings.NewReader(mustRun(t, "", append([]string{"slates", "compare", "--format", "csv"}, files...)...))).ReadAll()
	if err != nil || len(recs) != 1+15+15*8 || len(recs[0]) != 2+2*4 {
		t.Errorf("CSV: %d records, err %v", len(recs), err)
	}
	if md := mustRun(t, "", append([]string{"slates", "compare"}, files...)...); !strings.Contains(md, "| Area | Hannah Lindqvist | Tomasz Wójcik | Carla Jiménez | Ibrahim Haddad |") ||
		!strings.Contains(md, "– not asked") {
		t.Errorf("Markdown:\n%.600s", md)
	}

	other := filepath.Join(dir, "other.json")
	out := mustRun(t, `{"answers":[{"question_id":"q1","text":"In March our release slipped a week and I told the client myself."}]}`,
		"analyze", "--guide", "behavioral-core", "--format", "json", "-")
	if err := os.WriteFile(other, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"no subcommand": {"slates"},
		"no reports":    {"slates", "compare"},
		"two guides":    {"slates", "compare", files[0], other},
		"a repeat":      {"slates", "compare", files[0], files[0]},
		"bad sort":      {"slates", "compare", "--sort", "name", files[0]},
		"bad format":    {"slates", "compare", "--format", "xlsx", files[0]},
		"wrong guide":   {"slates", "compare", "--guide", "behavioral-core", files[0]},
		"not a report":  {"slates", "compare", filepath.Join(tr, "t01_zoom.gold.json")},
		"missing file":  {"slates", "compare", filepath.Join(dir, "nope.json")},
		"not json":      {"slates", "compare", filepath.Join(tr, "t01_zoom.vtt")},
	} {
		if r := runCLI(t, "", args...); r.code != 2 || !strings.HasPrefix(r.stderr, "candor: ") {
			t.Errorf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
}

// TestSlatesCompareRole: --role keeps the reports of one role from a batch
// of several roles and guides (case and spacing aside); a role no report
// has exits 2.
func TestSlatesCompareRole(t *testing.T) {
	tr := filepath.Join("..", "..", "testdata", "eval", "transcripts")
	var batch strings.Builder
	for _, run := range [][]string{
		{"--guide", "cx-empathy", "--role", "REQ-118 CX lead", filepath.Join(tr, "t01_zoom.vtt")},
		{"--guide", "cx-empathy", "--role", "Support analyst", filepath.Join(tr, "t02_teams.vtt")},
		{"--guide", "cx-empathy", "--role", "req-118  cx LEAD", filepath.Join(tr, "t03_srt.srt")},
	} {
		batch.WriteString(mustRun(t, "", append([]string{"analyze", "--format", "json"}, run...)...))
	}
	batch.WriteString(mustRun(t, `{"answers":[{"question_id":"q1","text":"In March our release slipped a week and I told the client myself."}]}`,
		"analyze", "--guide", "behavioral-core", "--role", "Platform lead", "--format", "json", "-"))
	var m slate.Matrix
	if err := json.Unmarshal([]byte(mustRun(t, batch.String(), "slates", "compare", "--role", "REQ-118 CX lead", "--format", "json", "-")), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Candidates) != 2 || m.Candidates[0].Name != "Hannah Lindqvist" || m.Candidates[1].Name != "Carla Jiménez" {
		t.Errorf("role REQ-118 CX lead: %+v", m.Candidates)
	}
	if r := runCLI(t, batch.String(), "slates", "compare", "--role", "Night shift", "-"); r.code != 2 || !strings.Contains(r.stderr, `no report has role "Night shift"`) {
		t.Errorf("unknown role: exit %d, stderr %q", r.code, r.stderr)
	}
}
