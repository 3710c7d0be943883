package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
)

// healthcheck is `candor healthcheck`: a container's HEALTHCHECK without
// curl in the image. It GETs a health URL and succeeds on 200 only.
func (e *environment) healthcheck(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := newConfig("healthcheck", fs, e.getenv)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: candor healthcheck [--url URL] [--timeout D]\n\n"+
			"Exits 0 when URL answers 200, 1 otherwise: a HEALTHCHECK for images without curl.\n\n"+
			"Example:\n  candor healthcheck --url http://127.0.0.1:8080/healthz --timeout 2s\n\nFlags:\n")
		printDefaults(fs)
	}
	if pos, err := c.parse(args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("healthcheck: unexpected argument %q", pos[0])
	}
	// The settings table has checked it is an absolute http(s) URL.
	u, err := url.Parse(c.str("url"))
	if err != nil {
		return usagef("healthcheck: %s: %v", c.name("url"), err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.dur("timeout"))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return usagef("healthcheck: %v", err)
	}
	// No proxy from the environment: the check is about this host.
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %s does not answer: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %d", u.Redacted(), resp.StatusCode)
	}
	fmt.Fprintf(e.stdout, "ok: %s answered 200\n", u.Redacted())
	return nil
}

// healthURL is /healthz on the loopback side of a listen address: a
// wildcard or empty host becomes 127.0.0.1; no usable port gives 8080,
// serve's default.
func healthURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		host, port = "", "8080"
	}
	if ip := net.ParseIP(host); host == "" || host == "localhost" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}
