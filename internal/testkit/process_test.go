package testkit

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestListenURLAndWaitHealthy(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	logs := &SyncBuffer{}
	fmt.Fprintf(logs, `{"level":"INFO","msg":"listening","addr":"%s"}`+"\n", srv.URL)
	url := ListenURL(t, "test", logs, func() (bool, error) { return false, nil }, 5*time.Second)
	if url != srv.URL {
		t.Fatalf("ListenURL = %q, want %q", url, srv.URL)
	}
	WaitHealthy(t, "test", url, logs, 5*time.Second)
}
