#!/usr/bin/env bash
# Soak of `candor serve` on loopback, bounded in time: throughput, p50/p99
# latency per phase and the peak resident memory of the serve process
# (VmHWM from /proc/PID/status, sampled VmRSS alongside).
#
# It starts its own redis-server and `candor serve` (two in-process job
# workers, like a single-replica deployment) on free loopback ports, then runs
# three phases of DUR each against POST /v1/analyses:
#
#   cached    the same 3 KB answer over and over (api/loadtest/loadgen): every
#             response from the cache, the hot path
#   uncached  every request a new answer (wrk with a Lua script that makes each
#             body unique): every answer analysed, the CPU- and memory-heavy path
#   jobs      JOBS requests (default 5000) with ?async=true and the 3 KB answer
#             (loadgen): each a job, run by the workers; the phase ends when the
#             queue is empty
#
#   scripts/soak.sh                         # 32 connections, 20 s per phase
#   CONNS=64 DUR=60s OUT=/tmp/soak scripts/soak.sh
#
# Results: $OUT/results.jsonl (one JSON line per phase, loadgen's shape),
# $OUT/rss.tsv (seconds, VmRSS kB), $OUT/serve.log; a summary on stdout.
# Without wrk (apt-get install -y wrk) the uncached phase is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-32}
DUR=${DUR:-20s}
JOBS=${JOBS:-5000}
OUT=${OUT:-$(mktemp -d /tmp/candor-soak.XXXXXX)}
BODY=api/loadtest/testdata/answer-3k.json
KEY=soak-key-0123456789abcdef
mkdir -p "$OUT/bin"
: >"$OUT/results.jsonl"

secs=${DUR%s}
case "$secs" in '' | *[!0-9]*) echo "soak: DUR must be whole seconds, like 20s" >&2; exit 2 ;; esac
((secs <= 600)) || { echo "soak: DUR is at most 600s" >&2; exit 2; }

go build -o "$OUT/bin/candor" ./cmd/candor
go build -o "$OUT/bin/loadgen" ./api/loadtest/loadgen

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

RPORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$RPORT" --save "" --appendonly no --daemonize no >"$OUT/redis.log" 2>&1 &
PIDS+=($!)
deadline=$((SECONDS + 20))
until redis-cli -p "$RPORT" ping >/dev/null 2>&1; do
	((SECONDS < deadline)) || { echo "soak: redis-server did not start" >&2; exit 1; }
	sleep 0.1
done

CPORT=$(free_port)
BASE=http://127.0.0.1:$CPORT
# No rate limit: the soak measures the server, not the limiter's refusals.
MTOKEN=soak-metrics-token-0123456789
REDIS_URL="redis://127.0.0.1:$RPORT" CANDOR_API_KEYS="soak:$KEY" CANDOR_METRICS_TOKEN=$MTOKEN CANDOR_RATE_LIMIT=0 CANDOR_REDIS_PREFIX=soak \
	"$OUT/bin/candor" serve --addr "127.0.0.1:$CPORT" 2>"$OUT/serve.log" &
SERVE=$!
PIDS+=("$SERVE")
deadline=$((SECONDS + 20))
until "$OUT/bin/candor" healthcheck --url "$BASE/healthz" --timeout 1s >/dev/null 2>&1; do
	((SECONDS < deadline)) || { echo "soak: candor serve did not come up" >&2; exit 1; }
	sleep 0.1
done

# VmRSS every half second, until serve stops.
(
	start=$(date +%s.%N)
	while kill -0 "$SERVE" 2>/dev/null; do
		rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVE/status" 2>/dev/null) || break
		printf '%.1f\t%s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$rss"
		sleep 0.5
	done
) >"$OUT/rss.tsv" &
PIDS+=($!)

vm() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$SERVE/status"; }
metric() { curl -fsS -H "Authorization: Bearer $MTOKEN" "$BASE/metrics" | awk -v m="$1" '$1 == m {print $2}'; }

echo "candor serve pid $SERVE on $BASE; $CONNS connections, $DUR per phase; results in $OUT"

# Phase 1: cached.
curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary @"$BODY" "$BASE/v1/analyses"
"$OUT/bin/loadgen" -label cached -url "$BASE/v1/analyses" -body "$BODY" -c "$CONNS" -d "$DUR" \
	-H "Authorization: Bearer $KEY" -count-header X-Cache >>"$OUT/results.jsonl"
echo "after cached:   VmRSS $(vm VmRSS) kB, VmHWM $(vm VmHWM) kB"

# Phase 2: uncached, every body unique.
if command -v wrk >/dev/null; then
	cat >"$OUT/unique.lua" <<'LUA'
-- Every request a new answer: the body file with a unique case number put
-- at the head of the answer's text and in the candidate's name.
local f = assert(io.open(os.getenv("BODY"), "rb"))
local template = f:read("*a")
f:close()
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = os.getenv("AUTH") }
local counter, threads = 0, {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local id = tid .. "-" .. counter
  local body = template:gsub('"text": "', '"text": "Case ' .. id .. '. ', 1)
  body = body:gsub('"candidate": "[^"]*"', '"candidate": "Soak ' .. id .. '"', 1)
  return wrk.format("POST", nil, headers, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    'RESULT {"label":"uncached","tool":"wrk","connections":%d,"requests":%d,"errors":%d,"statuses":{"non_2xx_3xx":%d},' ..
    '"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"request_bytes":%d}\n',
    tonumber(os.getenv("CONNS")), summary.requests, e.connect + e.read + e.write + e.timeout, e.status, secs,
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, #template))
end
LUA
	BODY="$BODY" AUTH="Bearer $KEY" CONNS="$CONNS" wrk -t2 -c"$CONNS" -d"$DUR" --timeout 30s -s "$OUT/unique.lua" "$BASE/v1/analyses" |
		sed -n 's/^RESULT //p' >>"$OUT/results.jsonl"
	echo "after uncached: VmRSS $(vm VmRSS) kB, VmHWM $(vm VmHWM) kB"
else
	echo "soak: wrk is not installed: the uncached phase is skipped (apt-get install -y wrk)" >&2
fi

# Phase 3: jobs, until the queue is empty.
done0=$(metric 'candor_jobs_total{event="done"}')
t0=$(date +%s.%N)
"$OUT/bin/loadgen" -label jobs-enqueue -url "$BASE/v1/analyses?async=true" -body "$BODY" -c "$CONNS" -d "$DUR" -warmup 0s -n "$JOBS" \
	-H "Authorization: Bearer $KEY" >>"$OUT/results.jsonl"
deadline=$((SECONDS + 120))
until [ "$(metric candor_queue_depth)" = 0 ]; do
	((SECONDS < deadline)) || { echo "soak: the job queue did not drain within 120s" >&2; break; }
	sleep 0.5
done
done1=$(metric 'candor_jobs_total{event="done"}')
failed=$(metric 'candor_jobs_total{event="failed"}')
jobs_s=$(echo "$(date +%s.%N) - $t0" | bc)
echo "after jobs:     VmRSS $(vm VmRSS) kB, VmHWM $(vm VmHWM) kB"

HWM=$(vm VmHWM)
HEAP=$(metric go_memstats_heap_inuse_bytes)
GOROUTINES=$(metric go_goroutines)
kill -TERM "$SERVE"
wait "$SERVE" || true

python3 - "$OUT/results.jsonl" "$OUT/rss.tsv" "$HWM" "${done0:-0}" "${done1:-0}" "${failed:-0}" "$jobs_s" "$HEAP" "$GOROUTINES" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rss = [int(l.split()[1]) for l in open(sys.argv[2]) if len(l.split()) == 2]
hwm, done0, done1, failed, jobs_s = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
heap, goroutines = float(sys.argv[8] or 0), sys.argv[9]
print()
print(f"{'phase':<13} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses / errors")
for r in rows:
    print(f"{r['label']:<13} {r['rps']:8.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['max_ms']:8.2f}  {r['statuses']} errors {r['errors']}"
          + (f" X-Cache {r['response_headers']}" if r.get('response_headers') else ""))
jobs = done1 - done0
print(f"jobs: {jobs:.0f} done in {jobs_s:.1f}s ({jobs / jobs_s:.0f}/s, enqueue to empty queue), {failed:.0f} failed")
print(f"candor serve: peak RSS (VmHWM) {hwm / 1024:.1f} MiB; VmRSS samples max {max(rss) / 1024 if rss else 0:.1f} MiB, "
      f"last {rss[-1] / 1024 if rss else 0:.1f} MiB; heap in use at the end {heap / 2**20:.1f} MiB; goroutines {goroutines}")
PY
echo "results: $OUT"
