#!/usr/bin/env bash
# What enforcing budgets costs a call end to end: `claudit mock --profile fast` behind two gateways, one
# without policies and one with three (a per-user budget, a tenant budget, a per-user requests-per-minute
# limit, none ever reached), the same non-streaming load through each with wrk, alternated RUNS times.
#   bench/policy-load.sh [SECONDS] [CONNECTIONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
conns=${2:-16}
runs=${3:-3}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
out=.bench-data/claudit
data=$(mktemp -d)
dotnet publish src/Claudit.Cli -c Release -o "$out" -v q -nologo > /dev/null
cat > "$data/policies.json" <<'JSON'
{"budgets": [{"name": "user-daily", "scope": "user", "limit_usd": 1000000, "window": "1d", "action": "block"},
             {"name": "team-monthly", "scope": "tenant", "match": {"tenant": "acme"}, "limit_usd": 1000000, "window": "1mo", "action": "warn"}],
 "rate_limits": [{"name": "user-rpm", "scope": "user", "requests": 1000000000, "window": "1m"}]}
JSON
"$out/claudit" mock --port 4620 --profile fast --rpm 0 2> /dev/null &
mock=$!
"$out/claudit" serve --port 4621 --upstream http://127.0.0.1:4620 --data-dir "$data/plain" 2> "$data/plain.log" &
plain=$!
"$out/claudit" serve --port 4622 --upstream http://127.0.0.1:4620 --data-dir "$data/policies" --policies "$data/policies.json" 2> "$data/policies.log" &
policies=$!
trap 'kill $mock $plain $policies 2>/dev/null; rm -rf "$data"' EXIT
for port in 4620 4621 4622; do
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
done
run() { wrk -t2 -c"$conns" -d"${2}s" --latency -s bench/load/policy-messages.lua "http://127.0.0.1:$1/v1/messages"; }
run 4621 3 > /dev/null; run 4622 3 > /dev/null # warm-up (JIT tiers)
for i in $(seq 1 "$runs"); do
  for target in "none 4621" "three 4622"; do
    set -- $target
    echo "== run $i, policies: $1, $conns connections, ${seconds}s"
    run "$2" "$seconds" | grep -E 'Requests/sec|  50%|  99%|Non-2xx|Socket errors' || true
  done
done
echo "== /api/budgets of the gateway with policies (nothing refused, counters live)"
curl -s http://127.0.0.1:4622/api/budgets | head -c 600; echo
curl -s http://127.0.0.1:4622/metrics | grep -E '^claude_requests_blocked_total|^claude_budget_used_ratio' || echo "(no call was refused)"
