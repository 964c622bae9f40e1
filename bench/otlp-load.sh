#!/usr/bin/env bash
# OTLP ingest throughput: `claudit serve --otlp-port` sent OTLP/HTTP protobuf requests of GenAI spans by
# wrk at fixed concurrency, for a bounded time; spans/s = requests/s x spans per request. Every span is a
# Claude call (the current GenAI conventions) and goes through the finisher to the journal and the store.
# The payload repeats, so the store keeps each span once (same ids) while the journal gets every copy.
#   bench/otlp-load.sh [SECONDS] [CONNECTIONS] [SPANS_PER_REQUEST]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
conns=${2:-8}
spans=${3:-100}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
out=.bench-data/claudit
data=$(mktemp -d)
payload="$data.payload"
dotnet publish src/Claudit.Cli -c Release -o "$out" -v q -nologo > /dev/null
python3 bench/load/otlp-payload.py "$spans" "$payload"
"$out/claudit" serve --port 4621 --otlp-port 4622 --upstream http://127.0.0.1:9 --data-dir "$data" 2> "$data.serve.log" &
gw=$!
trap 'kill $gw 2>/dev/null; rm -rf "$data" "$data.serve.log" "$payload"' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:4621/healthz >/dev/null && break; sleep 0.2; done
PAYLOAD="$payload" wrk -t2 -c"$conns" -d3s -s bench/load/otlp.lua http://127.0.0.1:4622/v1/traces > /dev/null # warm-up (JIT tiers)
echo "== OTLP protobuf, $spans GenAI spans per request ($(stat -c %s "$payload") bytes), $conns connections, ${seconds}s"
result=$(PAYLOAD="$payload" wrk -t2 -c"$conns" -d"${seconds}s" --latency -s bench/load/otlp.lua http://127.0.0.1:4622/v1/traces)
echo "$result" | grep -E 'Requests/sec|  50%|  99%|Non-2xx|Socket errors'
rps=$(echo "$result" | awk '/Requests\/sec/ {print $2}')
echo "spans/s: $(python3 -c "print(round($rps * $spans))")"
sleep 2
echo "readyz: $(curl -s http://127.0.0.1:4621/readyz)"
echo "RSS: $(ps -o rss= -p $gw | tr -d ' ') KB"
