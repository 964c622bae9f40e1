#!/usr/bin/env bash
# The gateway's overhead, in one run: `claudit mock --profile fast` hit directly and through
# `claudit serve`, non-streaming and streaming, at fixed concurrency with wrk; then a long run through
# the gateway with its memory sampled every 10 s, and the records that reached the journal and the store.
#   bench/gateway-load.sh [SECONDS] [CONNECTIONS] [SOAK_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
conns=${2:-32}
soak=${3:-60}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
out=.bench-data/claudit
data=$(mktemp -d)
dotnet publish src/Claudit.Cli -c Release -o "$out" -v q -nologo > /dev/null
"$out/claudit" mock --port 4610 --profile fast --rpm 0 2> /dev/null &
mock=$!
"$out/claudit" serve --port 4611 --upstream http://127.0.0.1:4610 --data-dir "$data" 2> "$data.serve.log" &
gw=$!
trap 'kill $mock $gw 2>/dev/null; rm -rf "$data" "$data.serve.log"' EXIT
for port in 4610 4611; do
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
done
run() { STREAM=$2 wrk -t2 -c"$conns" -d"${3}s" --latency -s bench/load/messages.lua "http://127.0.0.1:$1/v1/messages"; }
run 4610 0 3 > /dev/null; run 4611 0 3 > /dev/null; run 4610 1 3 > /dev/null; run 4611 1 3 > /dev/null # warm-up (JIT tiers)
for stream in 0 1; do
  for target in "direct 4610" "gateway 4611"; do
    set -- $target
    echo "== $1, stream=$stream, $conns connections, ${seconds}s"
    run "$2" "$stream" "$seconds" | grep -E 'Requests/sec|  50%|  99%|Non-2xx|Socket errors'
  done
done
echo "== soak: gateway, mixed, $conns connections, ${soak}s; RSS every 10 s"
before=$(curl -s http://127.0.0.1:4611/readyz)
(STREAM=0 wrk -t1 -c$((conns / 2)) -d"${soak}s" -s bench/load/messages.lua http://127.0.0.1:4611/v1/messages > "$data.soak0" &)
(STREAM=1 wrk -t1 -c$((conns / 2)) -d"${soak}s" -s bench/load/messages.lua http://127.0.0.1:4611/v1/messages > "$data.soak1" &)
for i in $(seq 10 10 "$soak"); do sleep 10; echo "  t=${i}s RSS $(ps -o rss= -p $gw | tr -d ' ') KB  $(curl -s http://127.0.0.1:4611/readyz)"; done
sleep 2
grep -h 'Requests/sec' "$data.soak0" "$data.soak1"; rm -f "$data.soak0" "$data.soak1"
sleep 3
echo "after the soak: $(curl -s http://127.0.0.1:4611/readyz)  (before: $before)"
kill -TERM $gw; wait $gw 2>/dev/null || true
echo "records in the journal: $(cat "$data"/journal/*.jsonl | wc -l)"
grep -i "warn\|fail" "$data.serve.log" | head -5 || true
