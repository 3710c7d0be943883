package faults

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/candorhq/candor/internal/testkit"
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
	user, ok := testkit.LastMessage(raw)
	if !ok {
		testkit.WriteChatError(w, http.StatusBadRequest, "bad request")
		return
	}
	if f.script != nil {
		if status := f.script(n, user); status != 0 {
			if status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After-Ms", "20")
			}
			testkit.WriteChatError(w, status, "scripted failure")
			return
		}
	}
	testkit.WriteChatReply(w, "fake-model", testkit.PartialReply(testkit.PromptAreas(user), 0.6, 70), 120, 60)
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
