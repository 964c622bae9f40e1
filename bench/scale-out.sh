#!/usr/bin/env bash
# Scale-out load (issue 14, docs/scale-out.md), two parts:
#  1. records/s into ClickHouse, reports and dashboard query times: `clickhouse-bench RECORDS` against a
#     ClickHouse this script starts (Debian's clickhouse-server, temp dir, free port), appended in the applier's
#     batches of 10,000; then every dashboard view's one request through a real gateway on that store
#     (`dashboard-views --store`); with COPIES > 1 the calls are then repeated COPIES x inside ClickHouse
#     (`clickhouse-bench 0 URL --copies COPIES`: shifted back to back in time, ids rebuilt) and timed again,
#     e.g. `bench/scale-out.sh 1000000 0 10` for 10,000,000 calls in minutes instead of ~45 min of appends;
#  2. the fleet at full size: FleetTests (three `claudit serve` on ClickHouse + Redis, kill -9 and restart
#     midway, stored == answered, report == one DuckDB gateway's, shared budget, one alert) with FLEET_CALLS mixed calls.
# Usage: bench/scale-out.sh [RECORDS=1000000] [FLEET_CALLS=30000] [COPIES=1]   (FLEET_CALLS=0 skips part 2)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
fleet_calls=${2:-30000}
copies=${3:-1}

dir=$(mktemp -d /tmp/claudit-scale-out-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tcp=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$dir/data" "$dir/tmp" "$dir/log" "$dir/gateway"
cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog><console>0</console></logger>
  <http_port>$port</http_port><tcp_port>$tcp</tcp_port><listen_host>127.0.0.1</listen_host>
  <path>$dir/data/</path><tmp_path>$dir/tmp/</tmp_path><users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
</yandex>
XML
cat > "$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
XML
/usr/sbin/clickhouse-server --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
ch=$!
trap 'kill $ch 2>/dev/null; wait $ch 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/ping" >/dev/null; do sleep 0.2; done
echo "clickhouse-server $(curl -s "http://127.0.0.1:$port/?query=SELECT+version()") on $port"

url="clickhouse://default:@127.0.0.1:$port/bench"
on_disk() { echo "on disk: $(curl -s "http://127.0.0.1:$port/" --data-binary "SELECT formatReadableSize(sum(bytes_on_disk)), count() FROM system.parts WHERE database = 'bench' AND table = 'calls' AND active" | sed 's/\t/ in /') parts"; }
ch_cpu() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / t }' /proc/$ch/stat; }
bench() {
  echo "== $1 (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  local before; before=$(ch_cpu)
  /usr/bin/time -f "wall %e s; the bench's process (client and gateway) user %U s, sys %S s" dotnet bench/Claudit.Benchmarks/bin/Release/net10.0/Claudit.Benchmarks.dll "$@"
  echo "clickhouse-server CPU: $(awk -v a="$before" -v b="$(ch_cpu)" 'BEGIN { printf "%.1f", b - a }') s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
dotnet build -c Release bench/Claudit.Benchmarks -v q -nologo
bench clickhouse-bench "$records" "$url"
on_disk
bench dashboard-views "$dir/gateway" --store "$url"
if [ "$copies" -gt 1 ]; then
  bench clickhouse-bench 0 "$url" --copies "$copies"
  on_disk
  bench dashboard-views "$dir/gateway" --store "$url"
fi

if [ "$fleet_calls" -gt 0 ]; then
  dotnet build test/Claudit.Cli.Tests -v q -nologo
  CLAUDIT_FLEET_CALLS=$fleet_calls dotnet test test/Claudit.Cli.Tests --no-build --filter "FullyQualifiedName~FleetTests" --logger "console;verbosity=detailed"
fi
