#!/usr/bin/env bash
# The hand-off to the background writer under CPU contention, in one run: `Claudit.Benchmarks handoff-bench`
# (a call through ClauditHandler with a sink, so with the writer, against one without, alternated) pinned to
# core 1, first alone on it, then with BURNERS spinning processes on the same core (a load of ~BURNERS).
# Each line gives the wall and CPU µs a call, without and with the writer, and their ratio.
#   bench/handoff.sh [SECONDS] [BURNERS]   (env BENCH=path to another build's Claudit.Benchmarks.dll)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
burners=${2:-12}
if [ -z "${BENCH:-}" ]; then
  dotnet build bench/Claudit.Benchmarks -c Release -v q -nologo > /dev/null
  BENCH=$PWD/bench/Claudit.Benchmarks/bin/Release/net10.0/Claudit.Benchmarks.dll
fi
cd /tmp
taskset -c 1 dotnet "$BENCH" handoff-bench "$seconds" "uncontended"
pids=()
for _ in $(seq 1 "$burners"); do taskset -c 1 sh -c 'while :; do :; done' & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
taskset -c 1 dotnet "$BENCH" handoff-bench "$seconds" "$burners spinning processes on the core"
