package api

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/candorhq/candor/store"
)

// Webhooks: when a job with a webhook_url ends, its worker POSTs a
// WebhookEvent there, signed like Stripe's with the tenant's own secret:
// the header
//
//	Candor-Signature: t=UNIX_SECONDS,v1=HEX(HMAC-SHA256(secret, "UNIX_SECONDS." + body))
//
// Each tenant has its own secret (WebhookSecrets), so one tenant's receiver
// cannot forge another tenant's events. While a tenant's secret is being
// rotated it has two, and the header carries a v1 signature by each (newest
// first); a receiver that knows either accepts. Receivers check it with
// VerifySignature. A delivery is retried with
// exponential backoff on network errors, 408, 429 and 5xx; other answers
// end it. Deliveries run in the worker's process after the job is marked
// done, and a graceful stop waits for them (Server.Close).

// SignatureHeader is the header that carries the signature.
const SignatureHeader = "Candor-Signature"

// Webhook events.
const (
	EventCompleted = "analysis.completed"
	EventFailed    = "analysis.failed"
)

// Sign returns the Candor-Signature value of body at time t: one v1
// signature by each secret, in their order.
func Sign(secret string, t time.Time, body []byte, more ...string) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	out := "t=" + ts
	for _, s := range append([]string{secret}, more...) {
		out += ",v1=" + mac(s, ts, body)
	}
	return out
}

// WebhookSecrets are the tenants' webhook signing secrets: one per tenant,
// two while it is rotated (both sign every event).
type WebhookSecrets struct {
	m map[string][]string
}

// ParseWebhookSecrets parses CANDOR_WEBHOOK_SECRETS: tenant:secret pairs
// separated by commas; a tenant named twice has two secrets (rotation).
// Secrets are 16+ characters without spaces or commas. Errors name the
// tenant, never the secret.
func ParseWebhookSecrets(s string) (*WebhookSecrets, error) {
	w := &WebhookSecrets{m: map[string][]string{}}
	for i, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		tenant, secret, ok := strings.Cut(pair, ":")
		if !ok {
			return nil, fmt.Errorf("webhook secrets: entry %d is not tenant:secret", i+1)
		}
		if err := w.Add(strings.TrimSpace(tenant), strings.TrimSpace(secret)); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Add adds a secret for tenant; a tenant has at most two.
func (w *WebhookSecrets) Add(tenant, secret string) error {
	if !plainID(tenant, 64) {
		return fmt.Errorf("webhook secrets: tenant %q: want 1..64 characters of A-Z a-z 0-9 . _ -", tenant)
	}
	if len(secret) < 16 || strings.ContainsAny(secret, " \t\r\n,") {
		return fmt.Errorf("webhook secrets: the secret of tenant %q is shorter than 16 characters or holds spaces or commas", tenant)
	}
	if w.m == nil {
		w.m = map[string][]string{}
	}
	for t, ss := range w.m {
		for _, s := range ss {
			if s == secret {
				return fmt.Errorf("webhook secrets: a secret is given twice (tenants %q and %q); each tenant needs its own", t, tenant)
			}
		}
	}
	if len(w.m[tenant]) == 2 {
		return fmt.Errorf("webhook secrets: tenant %q has more than two secrets (two while rotating: the new one and the old one)", tenant)
	}
	w.m[tenant] = append(w.m[tenant], secret)
	return nil
}

// For returns tenant's secrets (none: webhooks are off for it).
func (w *WebhookSecrets) For(tenant string) []string {
	if w == nil {
		return nil
	}
	return w.m[tenant]
}

// Len returns the number of tenants with a secret.
func (w *WebhookSecrets) Len() int {
	if w == nil {
		return 0
	}
	return len(w.m)
}

func mac(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// ErrBadSignature is returned by VerifySignature.
var ErrBadSignature = errors.New("bad webhook signature")

// VerifySignature checks a Candor-Signature header against body: the MAC
// must match and its time be within tolerance of now (replay protection).
func VerifySignature(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return fmt.Errorf("%w: want t=<unix seconds>,v1=<hex HMAC>", ErrBadSignature)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp outside the tolerance", ErrBadSignature)
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return fmt.Errorf("%w: no matching v1 signature", ErrBadSignature)
}

type webhooks struct {
	cfg    Config
	log    *slog.Logger
	m      *metrics
	client *http.Client
	wg     sync.WaitGroup
}

func newWebhooks(cfg Config, log *slog.Logger, m *metrics) *webhooks {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !cfg.WebhookAllowPrivate {
		// Checked on the address actually dialled, after DNS, on every
		// connection: a name that resolves inside, or is rebound to an
		// inside address after the request was accepted, cannot slip
		// through.
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !PublicAddr(ap.Addr()) {
				host, _, _ := net.SplitHostPort(address)
				return fmt.Errorf("webhook: refusing to call the non-public address %s", host)
			}
			return nil
		}
	}
	t := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 5 * time.Second, MaxIdleConnsPerHost: 2}
	return &webhooks{cfg: cfg, log: log, m: m, client: &http.Client{Transport: t, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// send delivers the job's event in the background once the store shows
// the job ended.
func (w *webhooks) send(jobs store.Jobs, job store.Job, target string, state store.JobState, report []byte) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		st, err := waitJob(ctx, jobs, job, state)
		if err != nil {
			w.log.Warn("webhook: job did not reach its end state", "job_id", job.ID, "error", err.Error())
		}
		ev := WebhookEvent{Event: EventCompleted, JobID: job.ID, ReportID: st.ReportID, Report: report, SentAt: time.Now().UTC()}
		if state == store.JobFailed {
			ev = WebhookEvent{Event: EventFailed, JobID: job.ID, Error: st.Error, SentAt: ev.SentAt}
		}
		body, _ := json.Marshal(ev)
		w.deliver(ctx, job.Tenant, target, job.ID, ev.Event, body)
	}()
}

// waitJob polls the job's status until it is in state (the worker marks
// it right after the handler returns).
func waitJob(ctx context.Context, jobs store.Jobs, job store.Job, state store.JobState) (store.JobStatus, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := jobs.Status(ctx, job.Tenant, job.ID)
		if err == nil && (st.State == state || st.State == store.JobDone || st.State == store.JobFailed) {
			return st, nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("still %s", st.State)
			}
			return st, err
		}
		t := time.NewTimer(25 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return st, ctx.Err()
		case <-t.C:
		}
	}
}

func (w *webhooks) deliver(ctx context.Context, tenant, target, jobID, event string, body []byte) {
	backoff := w.cfg.WebhookBackoff
	for attempt := 1; ; attempt++ {
		status, err := w.post(ctx, tenant, target, jobID, event, body)
		retry := err != nil || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
		switch {
		case err == nil && status >= 200 && status < 300:
			w.m.webhooks.WithLabelValues("delivered").Inc()
			w.log.Info("webhook delivered", "job_id", jobID, "attempt", attempt, "status", status)
			return
		case !retry || attempt >= w.cfg.WebhookAttempts:
			w.m.webhooks.WithLabelValues("failed").Inc()
			msg := ""
			if err != nil {
				// Not the url.Error's text: the URL may carry a token.
				var ue *url.Error
				if errors.As(err, &ue) {
					err = ue.Err
				}
				msg = err.Error()
			}
			w.log.Warn("webhook not delivered", "job_id", jobID, "attempts", attempt, "status", status, "error", msg)
			return
		}
		w.m.webhooks.WithLabelValues("retried").Inc()
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(2*backoff, 5*time.Minute)
	}
}

func (w *webhooks) post(ctx context.Context, tenant, target, jobID, event string, body []byte) (int, error) {
	secrets := w.cfg.WebhookSecrets.For(tenant)
	if len(secrets) == 0 {
		return 0, errors.New("webhook: no signing secret is configured for the tenant any more")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "candor-webhook/"+w.cfg.Version)
	req.Header.Set("Candor-Event", event)
	req.Header.Set("Candor-Delivery", jobID)
	req.Header.Set(SignatureHeader, Sign(secrets[len(secrets)-1], time.Now(), body, secrets[:len(secrets)-1]...))
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// wait waits for deliveries in flight until ctx is done.
func (w *webhooks) wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
