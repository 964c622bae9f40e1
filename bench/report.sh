#!/usr/bin/env bash
# Times `claudit report` on a million realistic records: wall time, CPU time and peak memory, over
# RUNS runs, for the full record shape (~1.2 KB a line: rate limits, trace ids, recorded cost) and
# the lean shape (~0.7 KB). Files are generated once into .bench-data/ (deterministic, seed 42).
#   bench/report.sh [COUNT] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
runs=${2:-5}
data=.bench-data
mkdir -p "$data"
dotnet build bench/Claudit.Benchmarks -c Release -v q -nologo > /dev/null
dotnet publish src/Claudit.Cli -c Release -o "$data/claudit" -v q -nologo > /dev/null
gen="dotnet bench/Claudit.Benchmarks/bin/Release/net10.0/Claudit.Benchmarks.dll generate"
[ -f "$data/full-$count.jsonl" ] || $gen "$count" "$data/full-$count.jsonl" 42
[ -f "$data/lean-$count.jsonl" ] || $gen "$count" "$data/lean-$count.jsonl" 42 --lean
for shape in full lean; do
  file="$data/$shape-$count.jsonl"
  size=$(du -m "$file" | cut -f1)
  cat "$file" > /dev/null # warm the page cache: measure parsing, not the disk
  for i in $(seq 1 "$runs"); do
    /usr/bin/time -f "$shape ${size}MB run $i: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
      "$data/claudit/claudit" report "$file" --format json > /dev/null
  done
done 2>&1 | grep -E '^(full|lean)'
