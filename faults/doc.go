// Package faults is Candor's fault suite: tests that build the real
// binary, start real `candor serve` and `candor worker` processes, a real
// redis-server and OpenAI-compatible test servers on loopback ports, break
// one part (kill -9 a worker, stop Redis, an LLM that fails or hangs,
// SIGTERM under load) and check what users would see: no lost or
// duplicated reports, no 5xx, nothing blocked past its deadline.
//
// The package has no code besides its tests. Run it with
//
//	go test ./faults -v
//
// (`go test -short` skips it). Each test takes under a minute; the
// worker-kill test is the longest, as a dead worker's job is reclaimed
// only once it has been idle for 30 seconds.
package faults
