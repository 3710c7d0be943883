package api_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/candorhq/candor/analyzer"
	"github.com/candorhq/candor/analyzer/heuristic"
	"github.com/candorhq/candor/api"
)

// TestPublicAddr (row 4): the webhook dialer's one list of non-public
// ranges covers the IANA special-purpose blocks the red team named and
// their neighbours, in every spelling.
func TestPublicAddr(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		public bool
	}{
		{"100.64.0.1", false},      // CGNAT, dialled in the red-team run
		{"100.127.255.254", false}, // its last address
		{"198.18.0.1", false},      // benchmarking
		{"198.19.255.255", false},
		{"240.0.0.1", false}, // reserved
		{"255.255.255.255", false},
		{"64:ff9b::a00:1", false}, // NAT64 of 10.0.0.1
		{"64:ff9b::808:808", false},
		{"64:ff9b:1::1", false},
		{"2002:7f00:1::", false}, // 6to4 of 127.0.0.1
		{"2001::1", false},       // Teredo
		{"::ffff:100.64.0.1", false},
		{"::ffff:127.0.0.1", false},
		{"::7f00:1", false}, // IPv4-compatible
		{"fe80::1%eth0", false},
		{"fd00::1", false},
		{"ff02::1", false},
		{"0.0.0.0", false},
		{"127.0.0.1", false},
		{"10.1.2.3", false},
		{"172.31.0.1", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // cloud metadata
		{"192.0.0.170", false},
		{"192.0.2.1", false},
		{"198.51.100.7", false},
		{"203.0.113.9", false},
		{"224.0.0.251", false},
		{"2001:db8::1", false},
		{"3fff::1", false},
		{"5f00::1", false},
		{"100::1", false},
		{"::1", false},
		{"::", false},
		{"8.8.8.8", true},
		{"100.63.255.255", true},
		{"100.128.0.0", true},
		{"198.17.255.255", true},
		{"198.20.0.0", true},
		{"239.255.255.255", false},
		{"223.255.255.255", true},
		{"2606:4700:4700::1111", true},
		{"::ffff:8.8.8.8", true},
	} {
		if got := api.PublicAddr(netip.MustParseAddr(tc.addr)); got != tc.public {
			t.Errorf("PublicAddr(%s) = %v, want %v", tc.addr, got, tc.public)
		}
	}
}

// TestWebhookNonPublicTargets (row 4): a literal non-public address is
// refused when the request comes; a name is checked when dialled, so a name
// that resolves (or is rebound) to an inside address reaches nothing.
func TestWebhookNonPublicTargets(t *testing.T) {
	var calls atomic.Int32
	hook := newHookServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) { calls.Add(1) })
	e := newEnv(t, options{noRedis: true, cfg: api.Config{WebhookSecrets: hookSecrets(t, tenantA+":whsec-test-0123456789"), WebhookAttempts: 1, MetricsToken: metricsToken}})
	for _, target := range []string{"http://100.64.0.1:8080/l", "http://198.18.0.1/l", "http://240.0.0.1/l",
		"http://[64:ff9b::a00:1]/l", "http://[::ffff:10.0.0.1]/l", "http://127.0.0.1:1/l"} {
		r := e.postJSON("/v1/analyses", keyA, map[string]any{"guide_id": "cx-empathy", "webhook_url": target,
			"answers": []map[string]string{{"question_id": "q1", "text": answerQ1}}})
		want(t, r, http.StatusUnprocessableEntity, api.CodeValidation)
		if p := r.problem(t); p.Field != "webhook_url" || !strings.Contains(p.Detail, "non-public") {
			t.Errorf("%s: %+v", target, p)
		}
	}
	// localhost resolves to the hook server's loopback address: accepted
	// (it is a name), refused at the dial.
	named := strings.Replace(hook, "127.0.0.1", "localhost", 1)
	r := e.postJSON("/v1/analyses", keyA, map[string]any{"guide_id": "cx-empathy", "webhook_url": named,
		"answers": []map[string]string{{"question_id": "q1", "text": answerQ1}}})
	want(t, r, http.StatusAccepted, "")
	eventually(t, 20*time.Second, "the webhook delivery to fail", func() bool {
		return strings.Contains(string(e.get("/metrics", metricsToken).body), `candor_webhook_deliveries_total{result="failed"} 1`)
	})
	if n := calls.Load(); n != 0 {
		t.Errorf("the hook on loopback was called %d times", n)
	}
}

func hookSecrets(t *testing.T, spec string) *api.WebhookSecrets {
	t.Helper()
	w, err := api.ParseWebhookSecrets(spec)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestWebhookSecretPerTenant (row 5): each tenant's events are signed with
// its own secret only, so one tenant's receiver cannot forge another's; a
// tenant rotating its secret gets a signature by each of its two; a tenant
// without a secret cannot ask for webhooks.
func TestWebhookSecretPerTenant(t *testing.T) {
	const (
		acmeOld = "acme-hook-old-0123456789"
		acmeNew = "acme-hook-new-0123456789"
		globex  = "globex-hook-0123456789ab"
	)
	type delivery struct {
		sig  string
		body []byte
	}
	got := make(chan delivery, 4)
	hook := newHookServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		got <- delivery{r.Header.Get(api.SignatureHeader), body}
	})
	e := newEnv(t, options{noRedis: true, cfg: api.Config{WebhookAllowPrivate: true,
		WebhookSecrets: hookSecrets(t, tenantA+":"+acmeOld+","+tenantA+":"+acmeNew+","+tenantB+":"+globex)}})
	send := func(key string) delivery {
		t.Helper()
		r := e.postJSON("/v1/analyses", key, map[string]any{"guide_id": "cx-empathy", "webhook_url": hook,
			"answers": []map[string]string{{"question_id": "q1", "text": answerQ1}}})
		want(t, r, http.StatusAccepted, "")
		select {
		case d := <-got:
			return d
		case <-time.After(20 * time.Second):
			t.Fatal("no webhook delivered")
		}
		return delivery{}
	}
	verify := func(secret string, d delivery) bool {
		return api.VerifySignature(secret, d.sig, d.body, time.Minute, time.Now()) == nil
	}
	a, b := send(keyA), send(keyB)
	if !verify(acmeOld, a) || !verify(acmeNew, a) {
		t.Errorf("acme's event does not verify with both of its secrets while rotating: %q", a.sig)
	}
	if verify(globex, a) {
		t.Error("acme's event verifies with globex's secret")
	}
	if !verify(globex, b) {
		t.Errorf("globex's event does not verify with its secret: %q", b.sig)
	}
	if verify(acmeOld, b) || verify(acmeNew, b) {
		t.Error("globex's event verifies with an acme secret: acme's receiver could forge it")
	}
	if n := strings.Count(a.sig, "v1="); n != 2 {
		t.Errorf("acme's signature header has %d v1 signatures, want 2", n)
	}

	// A tenant without a secret is refused at once.
	e2 := newEnv(t, options{noRedis: true, cfg: api.Config{WebhookAllowPrivate: true, WebhookSecrets: hookSecrets(t, tenantA+":"+acmeNew)}})
	r := e2.postJSON("/v1/analyses", keyB, map[string]any{"guide_id": "cx-empathy", "webhook_url": hook,
		"answers": []map[string]string{{"question_id": "q1", "text": answerQ1}}})
	want(t, r, http.StatusUnprocessableEntity, api.CodeValidation)
	if p := r.problem(t); p.Field != "webhook_url" {
		t.Errorf("field %q", p.Field)
	}

	for _, bad := range []string{"acme:short", "acme:" + acmeOld + ",globex:" + acmeOld,
		"acme:" + acmeOld + ",acme:" + acmeNew + ",acme:third-secret-0123456789", "acme"} {
		if _, err := api.ParseWebhookSecrets(bad); err == nil {
			t.Errorf("ParseWebhookSecrets(%q) accepted", bad)
		} else if strings.Contains(err.Error(), acmeOld) {
			t.Errorf("the error quotes the secret: %v", err)
		}
	}
}

// TestOversizedBodyGets413 (row 14): an 11 MiB body with its
// Content-Length, over the 10 MiB limit, is read to the end and answered
// with a readable 413, not a connection reset mid-upload.
func TestOversizedBodyGets413(t *testing.T) {
	e := newEnv(t, options{noRedis: true, workers: -1})
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const size = 11 << 20
	head := fmt.Sprintf("POST /v1/analyses HTTP/1.1\r\nHost: candor\r\nAuthorization: Bearer %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", keyA, size)
	wrote := make(chan error, 1)
	go func() {
		if _, err := conn.Write([]byte(head)); err != nil {
			wrote <- err
			return
		}
		chunk := bytes.Repeat([]byte("All of this is one long answer. "), 1<<10)
		for n := 0; n < size; {
			k := min(len(chunk), size-n)
			if _, err := conn.Write(chunk[:k]); err != nil {
				wrote <- fmt.Errorf("after %d bytes: %w", n, err)
				return
			}
			n += k
		}
		wrote <- nil
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("reading the answer's body: %v", err)
	}
	if err := <-wrote; err != nil {
		t.Errorf("sending the body: %v (the server cut the upload off)", err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(body, []byte("over the limit of 10485760 bytes")) {
		t.Errorf("answer %d %s, want 413 naming the limit", resp.StatusCode, body)
	}
}

// TestAPIErrorsNameAPIFields (row 14): an unknown candidate names the JSON
// field, not the command line's flag; invalid UTF-8 inside JSON strings is
// refused like the same bytes as a raw transcript, naming the field.
func TestAPIErrorsNameAPIFields(t *testing.T) {
	e := newEnv(t, options{noRedis: true, workers: -1})
	transcript := "Interviewer: Tell me about a time a customer was upset.\nAlex: " + answerQ1 + "\n"
	r := e.postJSON("/v1/analyses", keyA, map[string]any{"guide_id": "cx-empathy", "transcript": transcript, "candidate": "Nobody"})
	want(t, r, http.StatusUnprocessableEntity, "")
	if p := r.problem(t); p.Field != "candidate" || strings.Contains(p.Detail, "--candidate") {
		t.Errorf("unknown candidate: field %q, detail %q; want field candidate and no CLI flag", p.Field, p.Detail)
	}

	raw := e.do(req{method: "POST", path: "/v1/analyses?guide_id=cx-empathy", key: keyA, ctype: "text/plain",
		body: []byte("Interviewer: Why?\nAlex: Because \xff\xfe it was.\n")})
	want(t, raw, http.StatusUnprocessableEntity, api.CodeInvalidInput)
	for _, tc := range []struct{ body, field string }{
		{`{"guide_id":"cx-empathy","answers":[{"question_id":"q1","text":"ok"},{"question_id":"q2","text":"bad \xff here"}]}`, "answers[1].text"},
		{`{"guide_id":"cx-empathy","transcript":"Interviewer: Why?\nAlex: Because \xc3 it was."}`, "transcript"},
		{`{"guide_id":"cx-empathy","candidate_name":"D\xe9sir\xe9e","answers":[{"question_id":"q1","text":"ok"}]}`, "candidate_name"},
		{`{"guide_id":"cx-empathy","interviewer_names":["Ann","B\xffb"],"answers":[{"question_id":"q1","text":"ok"}]}`, "interviewer_names[1]"},
	} {
		// \xHH in the raw strings above: the bytes themselves.
		body := regexp.MustCompile(`\\x[0-9a-f]{2}`).ReplaceAllStringFunc(tc.body, func(h string) string {
			b, _ := strconv.ParseUint(h[2:], 16, 8)
			return string([]byte{byte(b)})
		})
		if utf8.ValidString(body) {
			t.Fatalf("%s: the test body is valid UTF-8", tc.field)
		}
		r := e.do(req{method: "POST", path: "/v1/analyses", key: keyA, ctype: "application/json", body: []byte(body)})
		want(t, r, http.StatusUnprocessableEntity, api.CodeInvalidInput)
		if p := r.problem(t); p.Field != tc.field || !strings.Contains(p.Detail, "UTF-8") {
			t.Errorf("%s: field %q detail %q, want field %s", tc.field, p.Field, p.Detail, tc.field)
		}
	}
}

// TestIdempotencyKeepsOnlySuccess (row 14): a 4xx is not kept under its
// Idempotency-Key, so the client that fixes its body and retries with the
// same key gets the new answer; a 2xx is replayed.
func TestIdempotencyKeepsOnlySuccess(t *testing.T) {
	e := newEnv(t, options{workers: -1})
	post := func(body string) *response {
		return e.do(req{method: "POST", path: "/v1/analyses", key: keyA, ctype: "application/json", body: []byte(body),
			header: map[string]string{"Idempotency-Key": "retry-after-fix"}})
	}
	want(t, post(`{"guide_id":"cx-empathy","answers":[{"question_id":"q1","text":"ok"}],"enigne":"heuristic"}`), http.StatusUnprocessableEntity, "")
	fixed := `{"guide_id":"cx-empathy","answers":[{"question_id":"q1","text":` + mustJSON(answerQ1) + `}]}`
	r := post(fixed)
	want(t, r, http.StatusOK, "")
	if r.header.Get("Idempotent-Replayed") != "" {
		t.Error("the fixed request got a replay")
	}
	if r := post(fixed); r.status != http.StatusOK || r.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("the repeat of a 200: %d, replayed %q", r.status, r.header.Get("Idempotent-Replayed"))
	}
}

const metricsToken = "metrics-token-0123456789"

// TestMetricsNeedTheirToken (row 12): on a server with API keys, /metrics
// answers only to its own token: refused without one configured, and
// neither a tenant's key nor nothing opens it.
func TestMetricsNeedTheirToken(t *testing.T) {
	e := newEnv(t, options{noRedis: true, workers: -1})
	want(t, e.get("/metrics", ""), http.StatusForbidden, api.CodeForbidden)
	want(t, e.get("/metrics", keyA), http.StatusForbidden, api.CodeForbidden)

	e = newEnv(t, options{noRedis: true, workers: -1, cfg: api.Config{MetricsToken: metricsToken}})
	for _, key := range []string{"", keyA, metricsToken + "x"} {
		r := e.get("/metrics", key)
		want(t, r, http.StatusUnauthorized, api.CodeInvalidCredentials)
		if strings.Contains(string(r.body), "candor_") {
			t.Errorf("key %q: the refusal carries metrics", key)
		}
	}
	if r := e.get("/metrics", metricsToken); r.status != http.StatusOK || !strings.Contains(string(r.body), "candor_http_request_duration_seconds") {
		t.Errorf("with the token: %d", r.status)
	}
	// Without keys (loopback only) it stays open, as before.
	e = newEnv(t, options{noRedis: true, workers: -1, noAuth: true})
	want(t, e.get("/metrics", ""), http.StatusOK, "")
}

// TestReportIDsAreTenantKeyed (row 13): the same content analysed by two
// tenants gets two unrelated ids (one cannot tell the other analysed it);
// within a tenant the id is stable, on every replica sharing the Redis.
func TestReportIDsAreTenantKeyed(t *testing.T) {
	e := newEnv(t, options{workers: -1, cfg: api.Config{ResponseCacheTTL: -1}})
	body := answers(answerQ1)
	id := func(base, key string) string {
		t.Helper()
		b, _ := json.Marshal(body)
		hr, _ := http.NewRequest("POST", base+"/v1/analyses", bytes.NewReader(b))
		hr.Header.Set("Authorization", "Bearer "+key)
		hr.Header.Set("Content-Type", "application/json")
		resp, err := e.http.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var rep struct{ ID string }
		if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil || resp.StatusCode != 200 {
			t.Fatalf("analysis: %d %v", resp.StatusCode, err)
		}
		return rep.ID
	}
	a1, b1, a2 := id(e.url, keyA), id(e.url, keyB), id(e.url, keyA)
	if a1 == b1 {
		t.Errorf("acme and globex got the same id %s for the same content", a1)
	}
	if a1 != a2 {
		t.Errorf("acme's id changed between two analyses of the same content: %s, %s", a1, a2)
	}
	if !strings.HasPrefix(a1, "rep_") || len(a1) != len("rep_")+20 {
		t.Errorf("id %q", a1)
	}
	// Another server on the same Redis (its key read from there, not made
	// by this process) gives acme the same id.
	replica := api.NewServer(api.Config{Keys: testKeys(t), ResponseCacheTTL: -1},
		api.Deps{Store: e.store, Engines: map[string]analyzer.Engine{analyzer.EngineHeuristic: heuristic.New()}})
	ts := httptest.NewServer(replica)
	t.Cleanup(ts.Close)
	if a3 := id(ts.URL, keyA); a3 != a1 {
		t.Errorf("another replica gave acme %s, not %s", a3, a1)
	}
	want(t, e.get("/v1/reports/"+b1, keyA), http.StatusNotFound, api.CodeNotFound)
}

// TestWrongKeysAreThrottled (row 9): after its allowance of wrong keys a
// client address gets 429 with Retry-After for every attempt, the right key
// included, and the log names the address, never the key.
func TestWrongKeysAreThrottled(t *testing.T) {
	e := newEnv(t, options{workers: -1, cfg: api.Config{AuthFailures: 3}})
	for i := range 3 {
		want(t, e.get("/v1/reports", fmt.Sprintf("wrong-key-%d-0123456789abcdef", i)), http.StatusUnauthorized, api.CodeInvalidCredentials)
	}
	r := e.get("/v1/reports", "wrong-key-3-0123456789abcdef")
	want(t, r, http.StatusTooManyRequests, api.CodeRateLimited)
	if ra, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	want(t, e.get("/v1/reports", keyA), http.StatusTooManyRequests, api.CodeRateLimited)
}
