// Command loadgen sends one request over and over from a fixed number of
// connections, for a bounded time and count, and prints throughput and
// latency percentiles as JSON. It only talks to loopback addresses.
//
//	loadgen -url http://127.0.0.1:8080/v1/analyses -body req.json -c 64 -d 10s -H "Authorization: Bearer KEY"
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type headers []string

func (h *headers) String() string     { return strings.Join(*h, "; ") }
func (h *headers) Set(v string) error { *h = append(*h, v); return nil }

// Result is what loadgen prints.
type Result struct {
	Label     string         `json:"label,omitempty"`
	Conns     int            `json:"connections"`
	Requests  int64          `json:"requests"`
	Errors    int64          `json:"errors"`
	Statuses  map[string]int `json:"statuses"`
	Seconds   float64        `json:"seconds"`
	RPS       float64        `json:"rps"`
	P50ms     float64        `json:"p50_ms"`
	P90ms     float64        `json:"p90_ms"`
	P99ms     float64        `json:"p99_ms"`
	MaxMs     float64        `json:"max_ms"`
	BodyBytes int            `json:"request_bytes"`
	Headers   map[string]int `json:"response_headers,omitempty"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run() error {
	target := flag.String("url", "", "URL to load (loopback only)")
	method := flag.String("method", http.MethodPost, "HTTP method")
	bodyFile := flag.String("body", "", "request body file")
	ctype := flag.String("type", "application/json", "Content-Type of the body")
	conns := flag.Int("c", 64, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "duration (at most 2m)")
	warm := flag.Duration("warmup", 2*time.Second, "warm-up before measuring (not counted)")
	maxN := flag.Int64("n", 5_000_000, "stop after this many requests")
	label := flag.String("label", "", "label printed with the result")
	count := flag.String("count-header", "", "count the values of this response header (e.g. X-Cache)")
	var hs headers
	flag.Var(&hs, "H", "request header 'Name: value' (repeatable)")
	flag.Parse()

	u, err := url.Parse(*target)
	if err != nil || u.Host == "" {
		return fmt.Errorf("-url: want an absolute URL")
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-url: %s is not a loopback address; loadgen loads only this machine", u.Hostname())
	}
	if *dur > 2*time.Minute || *conns < 1 || *conns > 1024 {
		return errors.New("-d is at most 2m and -c 1..1024")
	}
	var body []byte
	if *bodyFile != "" {
		if body, err = os.ReadFile(*bodyFile); err != nil {
			return err
		}
	}
	tr := &http.Transport{MaxIdleConns: *conns, MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	hdr := http.Header{}
	for _, h := range hs {
		k, v, ok := strings.Cut(h, ":")
		if !ok {
			return fmt.Errorf("-H %q: want Name: value", h)
		}
		hdr.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	if body != nil {
		hdr.Set("Content-Type", *ctype)
	}

	var measuring atomic.Bool
	var sent atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), *warm+*dur)
	defer cancel()
	type workerStats struct {
		lat      []time.Duration
		errs     int64
		statuses map[int]int
		headers  map[string]int
	}
	stats := make([]*workerStats, *conns)
	var wg sync.WaitGroup
	for i := range stats {
		st := &workerStats{statuses: map[int]int{}, headers: map[string]int{}}
		stats[i] = st
		wg.Go(func() {
			for ctx.Err() == nil {
				if measuring.Load() && sent.Add(1) > *maxN {
					cancel()
					return
				}
				req, _ := http.NewRequestWithContext(ctx, *method, *target, bytes.NewReader(body))
				req.Header = hdr.Clone()
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t0)
				if !measuring.Load() || ctx.Err() != nil {
					continue
				}
				if err != nil {
					st.errs++
					continue
				}
				st.lat = append(st.lat, d)
				st.statuses[resp.StatusCode]++
				if *count != "" {
					st.headers[resp.Header.Get(*count)]++
				}
			}
		})
	}
	time.Sleep(*warm)
	measuring.Store(true)
	start := time.Now()
	wg.Wait()
	elapsed := time.Since(start)
	if elapsed > *dur {
		elapsed = *dur
	}

	res := Result{Label: *label, Conns: *conns, Statuses: map[string]int{}, Seconds: elapsed.Seconds(), BodyBytes: len(body)}
	var all []time.Duration
	for _, st := range stats {
		all = append(all, st.lat...)
		res.Errors += st.errs
		for k, v := range st.statuses {
			res.Statuses[fmt.Sprint(k)] += v
		}
		if *count != "" {
			if res.Headers == nil {
				res.Headers = map[string]int{}
			}
			for k, v := range st.headers {
				res.Headers[k] += v
			}
		}
	}
	slices.Sort(all)
	res.Requests = int64(len(all))
	res.RPS = float64(len(all)) / elapsed.Seconds()
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		i := min(len(all)-1, int(p*float64(len(all))))
		return float64(all[i].Microseconds()) / 1000
	}
	res.P50ms, res.P90ms, res.P99ms = pct(.50), pct(.90), pct(.99)
	if len(all) > 0 {
		res.MaxMs = float64(all[len(all)-1].Microseconds()) / 1000
	}
	enc := json.NewEncoder(os.Stdout)
	return enc.Encode(res)
}
