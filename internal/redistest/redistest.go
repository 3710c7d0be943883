// Package redistest runs a real redis-server for the tests of the API and
// the command (the store package's own helper is internal to it): started
// on a free loopback port in a temporary directory, stopped when the test ends, and
// able to be stopped and restarted on the same port to test outages.
package redistest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Binary is the redis-server to run; REDIS_SERVER overrides it.
func Binary() string {
	if b := os.Getenv("REDIS_SERVER"); b != "" {
		return b
	}
	if b, err := exec.LookPath("redis-server"); err == nil {
		return b
	}
	return "/usr/bin/redis-server"
}

// Server is a running (or stopped) redis-server.
type Server struct {
	// Addr is host:port; it stays the same across Stop and Start.
	Addr string
	dir  string

	mu   sync.Mutex
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// Start starts a redis-server for tb and stops it in tb.Cleanup. A missing
// binary fails the test: these tests exist to run against the real thing.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s, err := New(tb.TempDir())
	if err != nil {
		tb.Fatalf("redistest: %v", err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// New starts a redis-server whose files live in dir; the caller calls Stop
// (for a TestMain, which has no testing.TB).
func New(dir string) (*Server, error) {
	var last error
	// Another process may take the port between our probe and the
	// server's bind; try a few ports.
	for range 5 {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir}
		if last = s.Start(); last == nil {
			return s, nil
		}
	}
	return nil, last
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start (re)starts the server on its port and waits until it answers.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return fmt.Errorf("redis-server on %s is running", s.Addr)
	}
	_, port, _ := net.SplitHostPort(s.Addr)
	cmd := exec.Command(Binary(),
		"--bind", "127.0.0.1", "--port", port, "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no",
		"--protected-mode", "yes", "--loglevel", "warning")
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", Binary(), err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()

	c := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			s.cmd, s.out, s.done = cmd, out, done
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("redis-server on %s exited: %s", s.Addr, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return fmt.Errorf("redis-server on %s did not answer: %v: %s", s.Addr, err, out.String())
		}
	}
}

// Stop kills the server, as a crash would, and waits for it to exit. It is
// a no-op on a stopped server.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Client returns a client of the server that the test closes at its end.
// Its retries and timeouts are short so that outage tests stay fast.
func (s *Server) Client(tb testing.TB) *redis.Client {
	tb.Helper()
	c := redis.NewClient(&redis.Options{
		Addr: s.Addr, MaxRetries: -1, DialTimeout: 250 * time.Millisecond, DialerRetries: 1,
		ReadTimeout: 2 * time.Second, WriteTimeout: 2 * time.Second,
	})
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// URL returns the server's redis:// URL.
func (s *Server) URL() string { return "redis://" + s.Addr }
