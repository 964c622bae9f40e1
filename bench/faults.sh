#!/usr/bin/env bash
# The reliability suite (docs/reliability.md): fault and hostile-input probes against a real
# `claudit serve` in front of `claudit mock --profile fast`. Each probe prints what was sent, what
# was recorded and what was lost; the exit code is 1 when a probe found a loss beyond the stated bound.
#   bench/faults.sh [PROBE...]        probes: kill9 sigterm hostile labels upstream (default: all)
# Environment:
#   CLAUDIT=/path/to/claudit   a built claudit to probe (default: publish this checkout to .bench-data/claudit)
#   SECONDS_OF_LOAD=8          how long each load runs (the kill comes half way)
#   CONNECTIONS=8              wrk connections (about 2-5k calls/s through the gateway on 2 cores)
#   FSYNC_MS=                  --journal-fsync-ms for the gateway (default: the gateway's own default)
#   KILL_RUNS=3                kill -9 runs
set -uo pipefail
cd "$(dirname "$0")/.."
load_seconds=${SECONDS_OF_LOAD:-8}
conns=${CONNECTIONS:-8}
kill_runs=${KILL_RUNS:-3}
probes=("$@")
[ ${#probes[@]} -eq 0 ] && probes=(kill9 sigterm hostile labels upstream)
for tool in wrk curl jq python3; do command -v $tool >/dev/null || { echo "faults.sh needs $tool"; exit 1; }; done

if [ -z "${CLAUDIT:-}" ]; then
  dotnet publish src/Claudit.Cli -c Release -o .bench-data/claudit -v q -nologo > /dev/null || exit 1
  CLAUDIT=$PWD/.bench-data/claudit/claudit
fi
work=$(mktemp -d /tmp/claudit-faults-XXXXXX)
pids=()
failed=0
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$1/healthz" && return 0; sleep 0.2; done; echo "port $1 never came up"; return 1; }
# Waits for /readyz to answer 200 (the store caught up with the journal), at most 60 s.
wait_ready() { for _ in $(seq 1 300); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readyz")" = 200 ] && return 0; sleep 0.2; done; return 1; }
fsync_flag() { [ -n "${FSYNC_MS:-}" ] && echo "--journal-fsync-ms $FSYNC_MS"; }

start_mock() {
  mock_port=$(free_port)
  "$CLAUDIT" mock --port "$mock_port" --profile fast --rpm 0 2> "$work/mock.log" &
  mock_pid=$!; pids+=("$mock_pid")
  wait_up "$mock_port"
}

# start_gateway DATA_DIR [UPSTREAM]: sets gw_port and gw_pid.
start_gateway() {
  gw_port=$(free_port)
  # shellcheck disable=SC2046
  "$CLAUDIT" serve --port "$gw_port" --upstream "${2:-http://127.0.0.1:$mock_port}" --data-dir "$1" $(fsync_flag) 2>> "$work/serve.log" &
  gw_pid=$!; pids+=("$gw_pid")
  wait_up "$gw_port"
}

# Records in the journal (lines that are records) and in the store, read by claudit itself, offline.
journaled() { "$CLAUDIT" report "$1/journal" --format json 2>/dev/null | jq '.calls // 0'; }
stored() { "$CLAUDIT" report --data-dir "$1" --format json 2>/dev/null | jq '.calls // 0'; }

# wrk's answered calls: completed responses minus non-2xx ones.
answered() {
  local total non2xx
  total=$(grep -Eo '^ +[0-9]+ requests in' "$1" | grep -Eo '[0-9]+' || echo 0)
  non2xx=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' "$1" | grep -Eo '[0-9]+$' || echo 0)
  echo $((total - non2xx))
}

row() { printf '%-10s %-34s %10s %10s %10s %10s  %s\n' "$@"; }
header() { row probe run answered journaled stored lost notes; }

# Load through the gateway, stop it with SIGNAL half way, restart it on the same data directory, then
# compare what clients were answered with what the journal and the store hold.
probe_stop_under_load() {
  local signal=$1 runs=$2 run data wrk_out rate served journal store lost bound_note
  for run in $(seq 1 "$runs"); do
    data="$work/$signal-$run"; wrk_out="$work/wrk-$signal-$run.txt"
    start_gateway "$data"
    STREAM=0 wrk -t2 -c"$conns" -d"${load_seconds}s" -s bench/load/messages.lua "http://127.0.0.1:$gw_port/v1/messages" > "$wrk_out" 2>&1 &
    local wrk_pid=$!
    sleep $((load_seconds / 2))
    kill -"$signal" "$gw_pid"
    [ "$signal" = TERM ] && { wait "$gw_pid"; echo "  serve exit code after SIGTERM: $?"; }
    sleep 0.3
    kill -INT "$wrk_pid" 2>/dev/null; wait "$wrk_pid" 2>/dev/null
    wait "$gw_pid" 2>/dev/null
    rate=$(grep -Eo 'Requests/sec: +[0-9.]+' "$wrk_out" | grep -Eo '[0-9.]+$')
    served=$(answered "$wrk_out")
    # Restart on the same data directory: the store catches up from the journal before /readyz says ready.
    start_gateway "$data"
    wait_ready "$gw_port" || echo "  /readyz never answered 200 after the restart: $(curl -s "http://127.0.0.1:$gw_port/readyz")"
    kill -TERM "$gw_pid"; wait "$gw_pid" 2>/dev/null
    journal=$(journaled "$data"); store=$(stored "$data")
    lost=$((served - journal))
    [ "$lost" -lt 0 ] && lost=0
    [ "$journal" != "$store" ] && { bound_note="STORE BEHIND JOURNAL by $((journal - store))"; failed=1; } || bound_note="store == journal"
    row "$signal" "run $run (${rate:-?} calls/s)" "$served" "$journal" "$store" "$lost" "$bound_note"
    [ "$signal" = TERM ] && [ "$lost" -gt 0 ] && failed=1
    grep -q "Unhandled exception" "$work/serve.log" && { echo "  serve wrote an unhandled exception:"; grep -m3 "Unhandled exception\|Exception:" "$work/serve.log"; failed=1; }
  done
}

post_ingest() { curl -s -o "$work/ingest-answer.json" -w '%{http_code}' -H 'Content-Type: application/x-ndjson' --data-binary @"$1" "http://127.0.0.1:$gw_port/api/ingest"; }
record_line() { # id start-time model input-tokens cost
  printf '{"id":"%s","start_time":"%s","model_requested":"%s","model_used":"%s","status":"ok","http_status":200,"latency_ms":120,"usage":{"input_tokens":%s,"output_tokens":10},"cost":{"priced":true,"total_usd":%s}}\n' \
    "$(cat /proc/sys/kernel/random/uuid)" "$2" "$3" "$3" "$4" "$5"
}

probe_hostile() {
  local data="$work/hostile" now code sent=0 status
  now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
  start_gateway "$data"
  # Each hostile batch carries one good record beside the bad one: the good one must still be recorded.
  for hostile in "int64-max-tokens 9223372036854775807 0.01" "cost-1e15 100 1e15" "negative-tokens -6000000 0.01"; do
    set -- $hostile
    { record_line x "$now" claude-sonnet-4-5 100 0.001; record_line x "$now" claude-sonnet-4-5 "$2" "$3"; } > "$work/batch.jsonl"
    code=$(post_ingest "$work/batch.jsonl")
    echo "  ingest $1: HTTP $code $(head -c 200 "$work/ingest-answer.json")"
  done
  # A ~200 MB line, chunked (no Content-Length): the gateway must refuse it without dying.
  code=$(python3 - "$gw_port" <<'EOF'
import http.client, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=60)
def body():
    yield b'{"id":"0190b5d4-0000-7000-8000-000000000001","start_time":"2026-01-01T00:00:00Z","model_requested":"'
    chunk = b"a" * (1 << 20)
    for _ in range(200):
        yield chunk
    yield b'"}\n'
try:
    conn.request("POST", "/api/ingest", body=body(), headers={"Content-Type": "application/x-ndjson"}, encode_chunked=True)
    print(conn.getresponse().status)
except Exception as e:
    print("connection closed (%s)" % type(e).__name__)
EOF
)
  echo "  ingest 200 MB chunked line: $code"
  # Then normal calls through the gateway: every one must reach the journal and the store.
  sent=200
  for _ in $(seq 1 $sent); do
    curl -s -o /dev/null -H 'x-api-key: sk-ant-faults' -H 'anthropic-version: 2023-06-01' -H 'content-type: application/json' \
      -d '{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$gw_port/v1/messages"
  done
  for api in overview report breakdown; do
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gw_port/api/$api")
    echo "  /api/$api after the hostile records: HTTP $status"
    [ "$status" = 200 ] || failed=1
  done
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gw_port/readyz")" = 200 ] || { echo "  /readyz: $(curl -s "http://127.0.0.1:$gw_port/readyz")"; }
  kill -TERM "$gw_pid"; wait "$gw_pid" 2>/dev/null
  local journal store
  journal=$(journaled "$data"); store=$(stored "$data")
  # Good records: 3 from the mixed batches + the calls. Hostile ones must be neither journaled nor stored.
  row hostile "3 good ingested + $sent calls" $((sent + 3)) "$journal" "$store" $((sent + 3 - store)) "$(ls "$data/dead-letter" 2>/dev/null | tr '\n' ' ')"
  [ "$store" -ge $((sent + 3)) ] || failed=1
}

probe_labels() {
  local data="$work/labels" before after n=2000
  start_gateway "$data"
  for _ in 1 2; do curl -s -o /dev/null -H 'x-api-key: sk-ant-faults' -H 'anthropic-version: 2023-06-01' -H 'content-type: application/json' \
    -d '{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$gw_port/v1/messages"; done
  before=$(curl -s "http://127.0.0.1:$gw_port/metrics" | grep -c '^[a-z]')
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
  python3 - "$now" "$n" > "$work/flood.jsonl" <<'EOF'
import json, sys, uuid
for i in range(int(sys.argv[2])):
    print(json.dumps({"id": str(uuid.uuid4()), "start_time": sys.argv[1], "model_requested": f"made-up-model-{i}", "model_used": f"made-up-model-{i}",
                      "status": "ok", "http_status": 200, "latency_ms": 120, "usage": {"input_tokens": 10, "output_tokens": 10}, "cost": {"priced": True, "total_usd": 0.001}}))
EOF
  post_ingest "$work/flood.jsonl" > /dev/null
  after=$(curl -s "http://127.0.0.1:$gw_port/metrics")
  local series bytes real
  series=$(grep -c '^[a-z]' <<< "$after"); bytes=$(wc -c <<< "$after")
  real=$(grep -c '^claude_requests_total{.*model="claude-haiku-4-5"' <<< "$after")
  kill -TERM "$gw_pid"; wait "$gw_pid" 2>/dev/null
  row labels "$n made-up model names" "$n" "$(journaled "$data")" "$(stored "$data")" - "/metrics series $before -> $series ($bytes bytes); haiku requests series: $real"
  [ "$series" -lt $((before * 3)) ] || failed=1
}

probe_upstream_down() {
  local data="$work/upstream" closed n=100 codes journal
  closed=$(free_port)
  start_gateway "$data" "http://127.0.0.1:$closed"
  codes=$(for _ in $(seq 1 $n); do curl -s -o /dev/null -w '%{http_code}\n' -H 'x-api-key: sk-ant-faults' -H 'anthropic-version: 2023-06-01' \
    -H 'content-type: application/json' -d '{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}' \
    "http://127.0.0.1:$gw_port/v1/messages"; done | sort | uniq -c | tr -s ' ' | tr '\n' ',')
  local ready; ready=$(curl -s -w ' HTTP %{http_code}' "http://127.0.0.1:$gw_port/readyz")
  kill -TERM "$gw_pid"; wait "$gw_pid" 2>/dev/null
  journal=$(journaled "$data")
  row upstream "$n calls, upstream refused" "$n" "$journal" "$(stored "$data")" $((n - journal)) "answers:${codes} /readyz: $ready"
  [ "$journal" -eq "$n" ] || failed=1
}

echo "claudit: $CLAUDIT; load: wrk -t2 -c$conns, ${load_seconds}s per run; fsync: ${FSYNC_MS:-default}"
start_mock
header
for probe in "${probes[@]}"; do
  case $probe in
    kill9) probe_stop_under_load KILL "$kill_runs" 2>/dev/null ;; # (bash would report each killed job on stderr)
    sigterm) probe_stop_under_load TERM 1 2>/dev/null ;;
    hostile) probe_hostile ;;
    labels) probe_labels ;;
    upstream) probe_upstream_down ;;
    *) echo "unknown probe $probe"; exit 2 ;;
  esac
done
exit $failed
