// Package testkit holds the helpers that the tests of several packages
// share: a real redis-server on a free port, a buffer safe to write from a
// child process's pipes, golden files and the one -update flag, waiting for
// a candor process to listen and answer /healthz, the pieces of a fake
// OpenAI chat-completions server, and a JSON Lines fixture reader. It
// imports nothing of Candor's, so any package's tests can use it. (The
// report contract's schema is package contract's.)
package testkit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// RedisBinary is the redis-server to run; REDIS_SERVER overrides it.
func RedisBinary() string {
	if b := os.Getenv("REDIS_SERVER"); b != "" {
		return b
	}
	if b, err := exec.LookPath("redis-server"); err == nil {
		return b
	}
	return "/usr/bin/redis-server"
}

// Redis is a running (or stopped) redis-server on a loopback port, with
// its files in a temporary directory. It can be stopped and started again
// on the same port to test outages.
type Redis struct {
	// Addr is host:port; it stays the same across Stop and Start.
	Addr string
	dir  string

	mu   sync.Mutex
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// StartRedis starts a redis-server for tb and stops it in tb.Cleanup. A
// missing binary fails the test: these tests exist to run against the
// real thing.
func StartRedis(tb testing.TB) *Redis {
	tb.Helper()
	s, err := NewRedis(tb.TempDir())
	if err != nil {
		tb.Fatalf("testkit: %v", err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// NewRedis starts a redis-server whose files live in dir; the caller calls
// Stop (for a TestMain, which has no testing.TB).
func NewRedis(dir string) (*Redis, error) {
	var last error
	// Another process may take the port between our probe and the
	// server's bind; try a few ports.
	for range 5 {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		s := &Redis{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir}
		if last = s.Start(); last == nil {
			return s, nil
		}
	}
	return nil, last
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start (re)starts the server on its port and returns once it answers
// PING.
func (s *Redis) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return fmt.Errorf("redis-server on %s is running", s.Addr)
	}
	_, port, _ := net.SplitHostPort(s.Addr)
	cmd := exec.Command(RedisBinary(),
		"--bind", "127.0.0.1", "--port", port, "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no",
		"--protected-mode", "yes", "--loglevel", "warning")
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", RedisBinary(), err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()

	// The server binds its port at some point after it starts; nothing
	// tells us when but the port itself, so connections are tried until
	// one answers PING, the process exits, or 10 s pass.
	deadline := time.Now().Add(10 * time.Second)
	for {
		reply, err := do(s.Addr, 200*time.Millisecond, "PING")
		if err == nil && reply == "PONG" {
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
func (s *Redis) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// URL returns the server's redis:// URL.
func (s *Redis) URL() string { return "redis://" + s.Addr }

// Do sends one command on a connection of its own and returns the reply:
// a string, an int64, nil, or a []any of those.
func (s *Redis) Do(tb testing.TB, args ...string) any {
	tb.Helper()
	v, err := do(s.Addr, 5*time.Second, args...)
	if err != nil {
		tb.Fatalf("redis %v: %v", args, err)
	}
	return v
}

// Keys returns every key in the server's database 0, sorted, by SCAN.
func (s *Redis) Keys(tb testing.TB) []string {
	tb.Helper()
	var out []string
	cursor := "0"
	for {
		reply, ok := s.Do(tb, "SCAN", cursor, "COUNT", "1000").([]any)
		if !ok || len(reply) != 2 {
			tb.Fatalf("SCAN: unexpected reply %v", reply)
		}
		cursor, _ = reply[0].(string)
		for _, k := range reply[1].([]any) {
			out = append(out, k.(string))
		}
		if cursor == "0" {
			break
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// do is a minimal RESP client: enough for tests to look at the keyspace
// without a Redis client library (which only the store package uses).
func do(addr string, timeout time.Duration, args ...string) (any, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := conn.Write(b.Bytes()); err != nil {
		return nil, err
	}
	return readReply(bufio.NewReader(conn))
}

func readReply(r *bufio.Reader) (any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return nil, fmt.Errorf("malformed reply %q", line)
	}
	kind, rest := line[0], line[1:len(line)-2]
	switch kind {
	case '+':
		return rest, nil
	case '-':
		return nil, errors.New(rest)
	case ':':
		return strconv.ParseInt(rest, 10, 64)
	case '$':
		n, err := strconv.Atoi(rest)
		if err != nil || n < 0 {
			return nil, err
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, err := strconv.Atoi(rest)
		if err != nil || n < 0 {
			return nil, err
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = readReply(r); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown reply type %q", kind)
}
