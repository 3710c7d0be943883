#!/usr/bin/env bash
# Load test of `candor serve` against a minimal baseline, on loopback, with
# one redis-server started here. Both servers answer the same repeated
# POST of a 3 KB answer: the API from its caches (every response a hit
# after the first), the baseline by hashing the body and GETting an 8 KB
# value from the same Redis. The API is loaded twice a round: with the
# built-in guide cx-empathy ("builtin") and with the same guide uploaded by
# the tenant ("tenant"). Each round runs the baseline and both guides, the
# order of the two guides alternating, so all see the same machine.
# Results go to $OUT/results.jsonl and a summary to stdout.
#
# The load comes from wrk when it is installed (apt-get install -y wrk),
# else from api/loadtest/loadgen; TOOL=wrk|loadgen chooses.
#
#   scripts/loadtest.sh            # 64 connections, 10 s per run, 3 rounds
#   CONNS=64 DUR=10s ROUNDS=3 TOOL=loadgen OUT=/tmp/lt scripts/loadtest.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-64}
DUR=${DUR:-10s}
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-$(mktemp -d /tmp/candor-loadtest.XXXXXX)}
TOOL=${TOOL:-$(command -v wrk >/dev/null && echo wrk || echo loadgen)}
BODY=api/loadtest/testdata/answer-3k.json
mkdir -p "$OUT/bin"
: >"$OUT/results.jsonl"

go build -o "$OUT/bin/candor" ./cmd/candor
go build -o "$OUT/bin/loadgen" ./api/loadtest/loadgen
go build -o "$OUT/bin/baseline" ./api/loadtest/baseline

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() {
	local deadline=$((SECONDS + 20))
	until curl -fsS -o /dev/null "$1"; do
		((SECONDS < deadline)) || { echo "loadtest: $1 did not come up" >&2; exit 1; }
		sleep 0.1
	done
}

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

RPORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$RPORT" --save "" --appendonly no --daemonize no >"$OUT/redis.log" 2>&1 &
RPID=$!
PIDS+=($RPID)
until redis-cli -p "$RPORT" ping >/dev/null 2>&1; do sleep 0.1; done
export REDIS_URL="redis://127.0.0.1:$RPORT"

KEY=loadtest-key-0123456789abcdef
CPORT=$(free_port)
# A rate limit far above the load, so that the limiter runs (and costs
# what it costs) without refusing anything.
MTOKEN=loadtest-metrics-token-0123456789
CANDOR_LOG_LEVEL=${CANDOR_LOG_LEVEL:-info} CANDOR_API_KEYS="load:$KEY" CANDOR_METRICS_TOKEN=$MTOKEN CANDOR_RATE_LIMIT=100000000 CANDOR_RATE_BURST=1000000 \
	"$OUT/bin/candor" serve --addr "127.0.0.1:$CPORT" 2>"$OUT/serve.log" &
CPID=$!
PIDS+=($CPID)
BPORT=$(free_port)
"$OUT/bin/baseline" -addr "127.0.0.1:$BPORT" 2>"$OUT/baseline.log" &
BPID=$!
PIDS+=($BPID)
wait_http "http://127.0.0.1:$CPORT/healthz"
until curl -s -o /dev/null "http://127.0.0.1:$BPORT/"; do sleep 0.1; done

# The tenant's own copy of cx-empathy, and the same answer against it.
TBODY="$OUT/answer-tenant.json"
curl -fsS -H "Authorization: Bearer $KEY" "http://127.0.0.1:$CPORT/v1/guides/cx-empathy" |
	python3 -c 'import json,sys; g=json.load(sys.stdin); g["id"]="team-empathy"; print(json.dumps(g))' >"$OUT/guide-tenant.json"
curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
	--data-binary @"$OUT/guide-tenant.json" "http://127.0.0.1:$CPORT/v1/guides"
sed 's/"guide_id": *"cx-empathy"/"guide_id": "team-empathy"/' "$BODY" >"$TBODY"
grep -q team-empathy "$TBODY"

# Prime the caches: the first analysis with each guide is a miss.
for b in "$BODY" "$TBODY"; do
	curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
		--data-binary @"$b" "http://127.0.0.1:$CPORT/v1/analyses"
done

# cpu PID: the process's user+system CPU time so far, in clock ticks.
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)

# load LABEL URL BODYFILE [AUTH]: one measured run, appended to results.jsonl.
load() {
	if [ "$TOOL" = wrk ]; then
		# A short warm-up, then the measured run.
		BODY="$3" AUTH="${4:-}" LABEL="$1" CONNS="$CONNS" wrk -t2 -c"$CONNS" -d2s -s api/loadtest/post.lua "$2" >/dev/null
		BODY="$3" AUTH="${4:-}" LABEL="$1" CONNS="$CONNS" wrk -t2 -c"$CONNS" -d"$DUR" -s api/loadtest/post.lua "$2" |
			sed -n 's/^RESULT //p' >>"$OUT/results.jsonl"
	else
		local h=()
		[ -n "${4:-}" ] && h=(-H "Authorization: ${4}" -count-header X-Cache)
		"$OUT/bin/loadgen" -label "$1" -url "$2" -body "$3" -c "$CONNS" -d "$DUR" "${h[@]}" >>"$OUT/results.jsonl"
	fi
}

# measure LABEL PID URL BODYFILE [AUTH]: a run, with the CPU time the
# server and Redis spent on it (less sensitive to other load on the machine
# than throughput).
measure() {
	local s0 r0
	s0=$(cpu "$2")
	r0=$(cpu "$RPID")
	load "$1" "$3" "$4" "${5:-}"
	echo "{\"label\":\"$1\",\"server_ticks\":$(($(cpu "$2") - s0)),\"redis_ticks\":$(($(cpu "$RPID") - r0)),\"tick_hz\":$TICK}" >>"$OUT/cpu.jsonl"
}

: >"$OUT/cpu.jsonl"
for r in $(seq 1 "$ROUNDS"); do
	measure "baseline-$r" "$BPID" "http://127.0.0.1:$BPORT/analyze" "$BODY"
	if ((r % 2)); then
		measure "builtin-$r" "$CPID" "http://127.0.0.1:$CPORT/v1/analyses" "$BODY" "Bearer $KEY"
		measure "tenant-$r" "$CPID" "http://127.0.0.1:$CPORT/v1/analyses" "$TBODY" "Bearer $KEY"
	else
		measure "tenant-$r" "$CPID" "http://127.0.0.1:$CPORT/v1/analyses" "$TBODY" "Bearer $KEY"
		measure "builtin-$r" "$CPID" "http://127.0.0.1:$CPORT/v1/analyses" "$BODY" "Bearer $KEY"
	fi
done

# Every API response must have been a cache hit: the counters say so.
curl -fsS -H "Authorization: Bearer $MTOKEN" "http://127.0.0.1:$CPORT/metrics" | grep -E '^candor_(response|analysis)_cache_total' >"$OUT/cache-metrics.txt"
cat "$OUT/cache-metrics.txt"

python3 - "$OUT/results.jsonl" "$OUT/cpu.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cpu = {c['label']: c for c in map(json.loads, open(sys.argv[2]))}
def us_per_req(r, key):
    c = cpu[r['label']]
    return c[key] / c['tick_hz'] * 1e6 / max(r['requests'], 1)
for r in rows:
    print(f"{r['label']:<12} {r['rps']:8.0f} req/s  p50 {r['p50_ms']:6.2f} ms  p90 {r['p90_ms']:6.2f} ms  "
          f"p99 {r['p99_ms']:6.2f} ms  max {r['max_ms']:7.2f} ms  CPU/request: server {us_per_req(r, 'server_ticks'):5.1f} us, "
          f"redis {us_per_req(r, 'redis_ticks'):5.1f} us  errors {r['errors']} {r['statuses']}"
          + (f"  X-Cache {r['response_headers']}" if r.get('response_headers') else "") + f"  [{r.get('tool', 'loadgen')}]")
def rnd(r): return r['label'].rsplit('-', 1)[1]
b = {rnd(r): r for r in rows if r['label'].startswith('baseline-')}
for kind in ('builtin', 'tenant'):
    c = [r for r in rows if r['label'].startswith(kind + '-')]
    ratios = [r['rps'] / b[rnd(r)]['rps'] for r in c]
    p99r = [r['p99_ms'] / b[rnd(r)]['p99_ms'] for r in c]
    cpu_ratio = statistics.median(us_per_req(r, 'server_ticks') for r in c) / statistics.median(us_per_req(r, 'server_ticks') for r in b.values())
    print(f"{kind}: throughput / baseline per round: {', '.join(f'{x:.2f}' for x in ratios)}; median {statistics.median(ratios):.2f}; "
          f"p99 / baseline p99 per round: {', '.join(f'{x:.2f}' for x in p99r)}; median {statistics.median(p99r):.2f}; "
          f"p99 median {statistics.median(r['p99_ms'] for r in c):.1f} ms (baseline {statistics.median(r['p99_ms'] for r in b.values()):.1f} ms); "
          f"server CPU/request vs baseline (medians) {cpu_ratio:.2f}x")
PY
echo "results: $OUT/results.jsonl"
