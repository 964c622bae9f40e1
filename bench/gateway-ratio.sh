#!/usr/bin/env bash
# The gateway against its baseline, in one run: the same wrk load on a bare YARP forwarder
# (`Claudit.Benchmarks bare-proxy`: MapForwarder, empty transformer, no capture) and on `claudit serve`
# (capture, journal, store and Prometheus metrics on), alternated ROUNDS times so both see the same
# machine. Both proxies are pinned to core 1 (`taskset -c 1`); the mock (`--profile fast`) and wrk to
# core 0. Prints each round's req/s and the ratio, the median ratio, then the gateway's /readyz and the
# journal's line count against the requests wrk completed through it (nothing may be dropped).
#   bench/gateway-ratio.sh [ROUNDS] [SECONDS] [CONNECTIONS] [STREAM]   (env CLAUDIT=path: a claudit already built;
#   CLAUDIT_B=path: a second build, e.g. the base commit's, run as a third proxy in the same rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-8}
conns=${3:-50}
stream=${4:-0}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
data=$(mktemp -d)
if [ -z "${CLAUDIT:-}" ]; then
  dotnet publish src/Claudit.Cli -c Release -o .bench-data/claudit -v q -nologo > /dev/null
  CLAUDIT=.bench-data/claudit/claudit
fi
dotnet build bench/Claudit.Benchmarks -c Release -v q -nologo > /dev/null
taskset -c 0 "$CLAUDIT" mock --port 4620 --profile fast --rpm 0 2> /dev/null &
mock=$!
taskset -c 1 dotnet bench/Claudit.Benchmarks/bin/Release/net10.0/Claudit.Benchmarks.dll bare-proxy 4621 http://127.0.0.1:4620 > /dev/null 2>&1 &
bare=$!
taskset -c 1 "$CLAUDIT" serve --port 4622 --upstream http://127.0.0.1:4620 --data-dir "$data" 2> "$data.serve.log" &
gw=$!
ports="4621 4622"
gwb=
if [ -n "${CLAUDIT_B:-}" ]; then
  datab=$(mktemp -d)
  taskset -c 1 "$CLAUDIT_B" serve --port 4623 --upstream http://127.0.0.1:4620 --data-dir "$datab" 2> /dev/null &
  gwb=$!
  ports="4621 4622 4623"
fi
trap 'kill $mock $bare $gw $gwb 2>/dev/null; rm -rf "$data" "$data.serve.log" ${datab:-}' EXIT
for port in 4620 $ports; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
done
run() { STREAM=$stream taskset -c 0 wrk -t1 -c"$conns" -d"${2}s" -s bench/load/messages.lua "http://127.0.0.1:$1/v1/messages"; }
rps() { grep 'Requests/sec' | awk '{print $2}'; }
sent() { grep 'requests in' | awk '{print $1}'; }
for port in $ports $ports; do run "$port" 3 > /dev/null; done # warm-up (JIT tiers)
before=$(curl -s http://127.0.0.1:4622/readyz | sed -E 's/.*"journaled":([0-9]+).*/\1/')
through=0
ratios=()
ratiosb=()
echo "stream=$stream, $conns connections, ${seconds}s a run, $rounds rounds (order alternates)"
for r in $(seq 1 "$rounds"); do
  if (( r % 2 )); then order="$ports"; else order=$(echo "$ports" | tr ' ' '\n' | tac | tr '\n' ' '); fi
  for port in $order; do
    result=$(run "$port" "$seconds")
    case $port in
      4621) b=$(echo "$result" | rps) ;;
      4622) g=$(echo "$result" | rps); through=$((through + $(echo "$result" | sent))) ;;
      4623) gb=$(echo "$result" | rps) ;;
    esac
    echo "$result" | grep -E 'Non-2xx|Socket errors' | sed "s/^/  port $port: /" || true
  done
  ratio=$(awk -v g="$g" -v b="$b" 'BEGIN { printf "%.1f", 100 * g / b }')
  ratios+=("$ratio")
  line="round $r: bare YARP $b req/s, claudit $g req/s, ratio $ratio%"
  if [ -n "$gwb" ]; then
    ratiob=$(awk -v g="$gb" -v b="$b" 'BEGIN { printf "%.1f", 100 * g / b }')
    ratiosb+=("$ratiob")
    line="$line; CLAUDIT_B $gb req/s, ratio $ratiob%"
  fi
  echo "$line"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median ratio: $(median "${ratios[@]}")%"
[ -z "$gwb" ] || echo "median ratio of CLAUDIT_B: $(median "${ratiosb[@]}")%"
sleep 3
ready=$(curl -s http://127.0.0.1:4622/readyz)
journaled=$(echo "$ready" | sed -E 's/.*"journaled":([0-9]+).*/\1/')
echo "readyz: $ready"
echo "requests wrk completed through claudit (measured rounds): $through; journaled in those rounds: $((journaled - before)) (in-flight requests at each run's end may add up to $conns a run)"
kill -TERM $gw; wait $gw 2>/dev/null || true
echo "records in the journal after stop: $(cat "$data"/journal/*.jsonl | wc -l) (including warm-up)"
