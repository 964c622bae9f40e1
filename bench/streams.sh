#!/usr/bin/env bash
# Many concurrent long streams paced like Claude, direct to the mock and through `claudit serve`, in one
# run: `claudit mock --profile realistic` (time to first token and tokens/s by model family, seeded jitter)
# and a client (`Claudit.Benchmarks streams-load`) holding CONCURRENCY streams open for SECONDS, starts
# spread over RAMP seconds; a third phase goes through a bare YARP forwarder (`Claudit.Benchmarks bare-proxy`,
# no capture), the proxy beneath the gateway. The proxies are pinned to core 1, the mock and the client to
# core 0. Prints for each phase calls, failures, time to first token and inter-chunk gap percentiles (the
# gateway's figures minus the direct ones are what it adds; minus the bare proxy's, what capture adds), then the gateway's peak RSS and open file descriptors (sockets)
# while loaded, its peak connections to the upstream, and its /readyz against the calls the client made through it (nothing may be dropped).
# Clients talk HTTP/1.1 to the proxies (as SDKs do); the proxies talk HTTP/2 to the mock's h2c port (`--h2c-port`,
# `claudit serve --upstream-http2`, `bare-proxy … h2c`), multiplexing the streams over a few connections as they do
# over TLS to the real API, so 10,000 streams fit this process's 20,000 file descriptors. UPSTREAM=h1: HTTP/1.1
# upstream instead (a connection per stream; the figures before h2c). Bounded: each phase's calls still open 30 s
# after SECONDS are cut and counted as `cut` (StreamsLoad.Grace), so a run takes about 3 x (SECONDS + 30) s at most
# plus the build and warm-up.
#   bench/streams.sh [CONCURRENCY] [SECONDS] [RAMP] [MODEL]   (env CLAUDIT=path: a claudit already built; UPSTREAM=h2c|h1;
#   PERF=DIR: `perf record` the bare proxy and the gateway over each phase's steady part, after the ramp, and print
#   where their CPU went, by library and by function (JIT'd code named through DOTNET_PerfMapEnabled); the data stays in DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
conc=${1:-2000}
seconds=${2:-30}
ramp=${3:-10}
model=${4:-claude-sonnet-4-5}
upstream_mode=${UPSTREAM:-h2c}
ulimit -n 100000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
data=$(mktemp -d)
if [ -z "${CLAUDIT:-}" ]; then
  dotnet publish src/Claudit.Cli -c Release -o .bench-data/claudit -v q -nologo > /dev/null
  CLAUDIT=.bench-data/claudit/claudit
fi
dotnet build bench/Claudit.Benchmarks -c Release -v q -nologo > /dev/null
load="dotnet bench/Claudit.Benchmarks/bin/Release/net10.0/Claudit.Benchmarks.dll streams-load"
case $upstream_mode in
  h2c) upstream_port=4633; serve_h2=(--upstream-http2); bare_h2=h2c ;;
  h1) upstream_port=4630; serve_h2=(); bare_h2= ;;
  *) echo "UPSTREAM must be h2c or h1, not '$upstream_mode'" >&2; exit 2 ;;
esac
taskset -c 0 "$CLAUDIT" mock --port 4630 --h2c-port 4633 --profile realistic --rpm 0 2> /dev/null &
mock=$!
[ -n "${PERF:-}" ] && { mkdir -p "$PERF"; export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0; }
taskset -c 1 "$CLAUDIT" serve --port 4631 --upstream "http://127.0.0.1:$upstream_port" "${serve_h2[@]}" --data-dir "$data" 2> "$data.serve.log" &
gw=$!
taskset -c 1 dotnet bench/Claudit.Benchmarks/bin/Release/net10.0/Claudit.Benchmarks.dll bare-proxy 4632 "http://127.0.0.1:$upstream_port" $bare_h2 > /dev/null 2>&1 &
bare=$!
unset DOTNET_PerfMapEnabled DOTNET_EnableWriteXorExecute
# perf over the steady part of a phase (after the ramp, until its SECONDS end), in the background.
profile() { [ -n "${PERF:-}" ] && (sleep "$ramp"; perf record -q -F 199 -g -p "$1" -o "$PERF/$2.data" -- sleep $((seconds - ramp)) 2> /dev/null) & }
report() {
  [ -n "${PERF:-}" ] || return 0
  while pgrep -f "perf record .*$PERF/$1.data" > /dev/null; do sleep 1; done
  echo "where $1's CPU went (perf, steady part; $PERF/$1.data):"
  perf report -i "$PERF/$1.data" --no-children --sort dso -g none 2> /dev/null | grep -E '^ +[0-9]' | head -8 || true
  perf report -i "$PERF/$1.data" --no-children --sort sym -g none 2> /dev/null | grep -E '^ +[0-9]' | head -25 || true
}
trap 'kill $mock $gw $bare 2>/dev/null; rm -rf "$data" "$data.serve.log" "$data.peak"' EXIT
for port in 4630 4631 4632; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
done
taskset -c 0 $load http://127.0.0.1:4630/v1/messages 50 5 "$model" 1 > /dev/null # warm-up
taskset -c 0 $load http://127.0.0.1:4631/v1/messages 50 5 "$model" 1 > /dev/null
taskset -c 0 $load http://127.0.0.1:4632/v1/messages 50 5 "$model" 1 > /dev/null
echo "$conc concurrent streams of $model for ${seconds}s (ramp ${ramp}s); proxies to the mock over $upstream_mode; ulimit -n $(ulimit -n); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "direct:    $(taskset -c 0 $load http://127.0.0.1:4630/v1/messages "$conc" "$seconds" "$model" "$ramp" | tr '\n' ' ')"
profile $bare bare
echo "bare YARP: $(taskset -c 0 $load http://127.0.0.1:4632/v1/messages "$conc" "$seconds" "$model" "$ramp" | tr '\n' ' ')"
before=$(curl -s http://127.0.0.1:4631/readyz | sed -E 's/.*"journaled":([0-9]+).*/\1/')
( peak_rss=0; peak_fd=0; peak_up=0
  while kill -0 $gw 2>/dev/null && [ ! -f "$data.stop" ]; do
    rss=$(ps -o rss= -p $gw | tr -d ' '); fd=$(ls /proc/$gw/fd | wc -l)
    up=$(ss -Htnp state established "( dport = :$upstream_port )" | grep -c "pid=$gw," || true)
    (( rss > peak_rss )) && peak_rss=$rss; (( fd > peak_fd )) && peak_fd=$fd; (( up > peak_up )) && peak_up=$up
    echo "$peak_rss $peak_fd $peak_up" > "$data.peak"; sleep 1
  done ) &
sampler=$!
profile $gw gateway
gwline=$(taskset -c 0 $load http://127.0.0.1:4631/v1/messages "$conc" "$seconds" "$model" "$ramp" | tr '\n' ' ')
touch "$data.stop"; wait $sampler 2>/dev/null || true
echo "gateway:   $gwline"
read -r peak_rss peak_fd peak_up < "$data.peak"
echo "gateway peak RSS $((peak_rss / 1024)) MB, peak open fds $peak_fd (sockets to clients and upstream), peak connections to the upstream $peak_up ($upstream_mode)"
sleep 3
ready=$(curl -s http://127.0.0.1:4631/readyz)
journaled=$(echo "$ready" | sed -E 's/.*"journaled":([0-9]+).*/\1/')
echo "records journaled during the gateway phase: $((journaled - before)) (the client's calls: see 'calls' above)"
echo "readyz: $ready"
echo "the gateway's log (warnings and errors; first 5 of $(grep -ciE 'warn|fail|error' "$data.serve.log" || true)):"
grep -iE 'warn|fail|error' "$data.serve.log" | head -5 || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
report bare
report gateway
rm -f "$data.stop"
