package faults

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// text returns n characters of plain interview prose (seed varies it).
func text(n, seed int) string {
	words := strings.Fields("the customer called about a refund that had failed twice and I listened first then checked " +
		"the account found the duplicate payment and rang her back the same afternoon to confirm it had landed " +
		"afterwards we changed the check so it could not happen again and the complaints dropped that quarter")
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[(i*7+seed*13)%len(words)])
		if i%15 == 14 {
			b.WriteByte('.')
		}
	}
	return b.String()[:n]
}

// limitGuide is a guide of n questions, each with its text and areas of
// the given characters and follow-ups of fuChars, inside every limit.
func limitGuide(n, areas, areaChars, fus, fuChars int) map[string]any {
	var qs []map[string]any
	for i := range n {
		q := map[string]any{"id": fmt.Sprintf("q%d", i+1), "text": fmt.Sprintf("Question %d: ", i+1) + text(areaChars-20, i) + "?"}
		var as, fs []string
		for j := range areas {
			as = append(as, text(areaChars, i*31+j))
		}
		for j := range fus {
			fs = append(fs, text(fuChars, i*17+j+3)+"?")
		}
		q["areas"], q["follow_ups"] = as, fs
		qs = append(qs, q)
	}
	return map[string]any{"id": "limits", "title": "At the limits", "questions": qs}
}

// concurrently sends body three times at once and returns the times.
func concurrently(t *testing.T, url string, body []byte) []time.Duration {
	t.Helper()
	var wg sync.WaitGroup
	took := make([]time.Duration, 3)
	for i := range took {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			r, err := do(context.Background(), "POST", url, body)
			took[i] = time.Since(start)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			if r.status != http.StatusOK {
				t.Errorf("request %d: %d %s", i, r.status, tail(string(r.body), 300))
			}
		}()
	}
	wg.Wait()
	for i := range took {
		took[i] = took[i].Round(time.Millisecond)
	}
	return took
}

// vm reads a field of /proc/PID/status in kB.
func vm(t *testing.T, pid int, field string) int {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return 0
}

// TestOversizedGuides (row 1): the red-team's guides are refused at once;
// three concurrent requests at the worst the server accepts (a guide at
// every limit, inline so it is read anew, answers up to the work budget)
// all finish, and the process stays small.
func TestOversizedGuides(t *testing.T) {
	skipShort(t)
	env := map[string]string{"CANDOR_API_KEYS": tenant + ":" + apiKey, "CANDOR_RATE_LIMIT": "0"}
	api := startCandor(t, "serve", env, "serve", "--addr", "127.0.0.1:0", "--workers", "0")
	pid := api.cmd.Process.Pid

	// The red-team's two guides: 40,000 areas with a 16 KB answer inline
	// (1.7 MB), and 10,000 questions.
	areas := make([]string, 40000)
	for i := range areas {
		areas[i] = fmt.Sprintf("area number %d of the only question", i)
	}
	huge, _ := json.Marshal(map[string]any{
		"guide":   map[string]any{"id": "huge", "title": "Huge", "questions": []any{map[string]any{"id": "q1", "text": "Tell me about it?", "areas": areas}}},
		"answers": []any{map[string]string{"question_id": "q1", "text": text(16000, 1)}},
	})
	start := time.Now()
	r := mustDo(t, "POST", api.url+"/v1/analyses", huge)
	t.Logf("40,000-area guide inline, %d KB body: %d in %v", len(huge)>>10, r.status, time.Since(start).Round(time.Millisecond))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "limit of 30") {
		t.Fatalf("40,000 areas: %d %s", r.status, r.body)
	}
	qs := make([]any, 10000)
	for i := range qs {
		qs[i] = map[string]any{"id": fmt.Sprintf("q%d", i+1), "text": "Tell me about it?", "areas": []string{"a"}}
	}
	many, _ := json.Marshal(map[string]any{"id": "many", "title": "Many", "questions": qs})
	if r := mustDo(t, "POST", api.url+"/v1/guides", many); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "limit of 1000") {
		t.Fatalf("10,000 questions: %d %s", r.status, r.body)
	}

	// The worst accepted, two ways. Answers: eight questions of 30 areas
	// of 1,000 characters, inline (read anew each time), an answer of
	// 12,000 characters to each: about 5.95 million of the 6 million units.
	var answers []map[string]string
	for i := range 8 {
		answers = append(answers, map[string]string{"question_id": fmt.Sprintf("q%d", i+1), "text": text(12000, 100+i)})
	}
	worst, _ := json.Marshal(map[string]any{"guide": limitGuide(8, 30, 1000, 0, 0), "answers": answers})
	before := vm(t, pid, "VmHWM")
	took := concurrently(t, api.url+"/v1/analyses", worst)
	t.Logf("three concurrent worst-case answers requests (%d KB each): %v; peak RSS %d MiB (before %d MiB)",
		len(worst)>>10, took, vm(t, pid, "VmHWM")>>10, before>>10)
	// A transcript: 100 questions with 20 follow-ups of 600 characters,
	// ten of them asked and answered in 3,000 characters: finding the
	// answers reads the whole guide (about 5.2 million units).
	g := limitGuide(100, 4, 200, 20, 600)
	var tr strings.Builder
	for i, q := range g["questions"].([]map[string]any)[:10] {
		fmt.Fprintf(&tr, "Interviewer: %s\nCandidate: %s\n", q["text"], text(3000, 200+i))
	}
	worstT, _ := json.Marshal(map[string]any{"guide": g, "transcript": tr.String()})
	took = concurrently(t, api.url+"/v1/analyses", worstT)
	hwm := vm(t, pid, "VmHWM")
	t.Logf("three concurrent worst-case transcript requests (%d KB each): %v; peak RSS %d MiB", len(worstT)>>10, took, hwm>>10)
	if hwm > 300<<10 {
		t.Errorf("peak RSS %d MiB, over 300 MiB", hwm>>10)
	}
	// Still answering the rest: a small request right after.
	if r := mustDo(t, "POST", api.url+"/v1/analyses", []byte(`{"guide_id":"cx-empathy","answers":[{"question_id":"q1","text":"I called her back the same day."}]}`)); r.status != http.StatusOK {
		t.Errorf("small request after: %d %s", r.status, r.body)
	}
}
