#!/usr/bin/env bash
# Load on `claudit mock --profile fast`, pinned to ONE core (wrk on the other): requests/s and
# latency, non-streaming and streaming, at fixed concurrency; then the mock's memory after the run.
#   bench/mock-load.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
conns=${2:-32}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
out=.bench-data/claudit
dotnet publish src/Claudit.Cli -c Release -o "$out" -v q -nologo > /dev/null
taskset -c 0 "$out/claudit" mock --port 4510 --profile fast --rpm 0 2> /dev/null &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:4510/healthz >/dev/null && break; sleep 0.2; done
url=http://127.0.0.1:4510/v1/messages
taskset -c 1 wrk -t1 -c"$conns" -d2s -s bench/load/messages.lua "$url" > /dev/null # warm-up
for stream in 0 1; do
  echo "== stream=$stream, $conns connections, ${seconds}s, mock on 1 core"
  STREAM=$stream taskset -c 1 wrk -t1 -c"$conns" -d"${seconds}s" --latency -s bench/load/messages.lua "$url" \
    | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx'
done
echo "mock RSS after the runs: $(ps -o rss= -p $pid) KB"
