package faults

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// fakeLLM is an OpenAI-compatible chat-completions server for the tests:
// it answers valid model replies, or fails as script says, or holds
// requests at a gate until the test opens it, or never answers.
type fakeLLM struct {
	*httptest.Server

	// script, when set, picks the n-th call's failure (0-based): an HTTP
	// status to answer instead of a reply, or 0 for a reply.
	script func(n int, body string) int
	// hang makes every call wait until the caller gives up.
	hang bool

	mu    sync.Mutex
	calls int
	held  int
	gate  chan struct{} // nil or closed: open
	stop  chan struct{}
}

func newFakeLLM(t *testing.T, configure func(*fakeLLM)) *fakeLLM {
	t.Helper()
	f := &fakeLLM{stop: make(chan struct{})}
	if configure != nil {
		configure(f)
	}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	// Handlers that hold requests return once the test is over.
	t.Cleanup(func() {
		close(f.stop)
		f.Close()
	})
	return f
}

// closeGate makes calls wait until openGate.
func (f *fakeLLM) closeGate() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gate = make(chan struct{})
}

func (f *fakeLLM) openGate() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gate != nil {
		close(f.gate)
		f.gate = nil
	}
}

// waiting is how many calls are held at the gate now.
func (f *fakeLLM) waiting() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.held
}

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/models") {
		if f.hang {
			f.wait(r, nil)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"object":"list","data":[{"id":"fake-model","object":"model"}]}`)
		return
	}
	if !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		http.NotFound(w, r)
		return
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	f.mu.Lock()
	n := f.calls
	f.calls++
	gate := f.gate
	f.mu.Unlock()
	if f.hang {
		f.wait(r, nil)
		return
	}
	if gate != nil {
		f.mu.Lock()
		f.held++
		f.mu.Unlock()
		open := f.wait(r, gate)
		f.mu.Lock()
		f.held--
		f.mu.Unlock()
		if !open {
			return
		}
	}
	var req struct {
		Messages []struct {
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(raw, &req); err != nil || len(req.Messages) == 0 {
		writeLLMError(w, http.StatusBadRequest, "bad request")
		return
	}
	user := req.Messages[len(req.Messages)-1].Content
	if f.script != nil {
		if status := f.script(n, user); status != 0 {
			if status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After-Ms", "20")
			}
			writeLLMError(w, status, "scripted failure")
			return
		}
	}
	writeLLMReply(w, modelReply(countAreas(user)))
}

// wait blocks until gate opens (true), or the caller or the test gives up.
func (f *fakeLLM) wait(r *http.Request, gate chan struct{}) bool {
	select {
	case <-gate:
		return true
	case <-r.Context().Done():
	case <-f.stop:
	}
	return false
}

var areaLine = regexp.MustCompile(`(?m)^\d+\. `)

// countAreas reads how many areas the prompt lists under "Areas to cover:".
func countAreas(user string) int {
	_, rest, ok := strings.Cut(user, "Areas to cover:\n")
	if !ok {
		return 0
	}
	n := 0
	for _, line := range strings.Split(rest, "\n") {
		if !areaLine.MatchString(line) {
			break
		}
		n++
	}
	return n
}

// modelReply is a reply in the engine's schema that judges every area.
func modelReply(areas int) string {
	var as []string
	for i := 1; i <= areas; i++ {
		as = append(as, fmt.Sprintf(`{"index":%d,"status":"partial","confidence":0.6,"quotes":[]}`, i))
	}
	return `{"areas":[` + strings.Join(as, ",") + `],"delivery":{"label":"specific","specificity":70,` +
		`"star":{"situation":true,"task":true,"action":true,"result":true},"signals":[]},"follow_ups":[]}`
}

func writeLLMReply(w http.ResponseWriter, content string) {
	resp := map[string]any{
		"id": "chatcmpl-fault", "object": "chat.completion", "created": 1, "model": "fake-model",
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content},
		}},
		"usage": map[string]any{"prompt_tokens": 120, "completion_tokens": 60, "total_tokens": 180},
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

func writeLLMError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "server_error"}})
}
