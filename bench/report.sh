#!/usr/bin/env bash
# Times `claudit report` on a million realistic records: wall time, CPU time and peak memory, over
# RUNS runs, for the full record shape (~1.2 KB a line: rate limits, trace ids, recorded cost), the
# lean shape (~0.7 KB) and tracer.py's shape (~0.4 KB, flat tokens). Files are generated once into
# .bench-data/ (deterministic, seed 42). SHAPES picks some (e.g. SHAPES=tracer); CLAUDIT=path times
# another build (e.g. another commit's) on the same files, so two builds can be run in one go; CLAUDIT_B=path
# alternates that second build with the first, run by run (a same-run baseline on a shared machine), and says
# whether their outputs are byte-identical.
#   bench/report.sh [COUNT] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
runs=${2:-5}
data=.bench-data
mkdir -p "$data"
dotnet build bench/Claudit.Benchmarks -c Release -v q -nologo > /dev/null
if [ -z "${CLAUDIT:-}" ]; then
  dotnet publish src/Claudit.Cli -c Release -o "$data/claudit" -v q -nologo > /dev/null
  CLAUDIT="$data/claudit/claudit"
fi
gen="dotnet bench/Claudit.Benchmarks/bin/Release/net10.0/Claudit.Benchmarks.dll generate"
[ -f "$data/full-$count.jsonl" ] || $gen "$count" "$data/full-$count.jsonl" 42
[ -f "$data/lean-$count.jsonl" ] || $gen "$count" "$data/lean-$count.jsonl" 42 --lean
[ -f "$data/tracer-$count.jsonl" ] || $gen "$count" "$data/tracer-$count.jsonl" 42 --tracer
for shape in ${SHAPES:-full lean tracer}; do
  file="$data/$shape-$count.jsonl"
  size=$(du -m "$file" | cut -f1)
  cat "$file" > /dev/null # warm the page cache: measure parsing, not the disk
  for i in $(seq 1 "$runs"); do
    /usr/bin/time -f "$shape ${size}MB run $i: %e s wall, %U s user, %S s sys, %M KB peak RSS (load $(cut -d' ' -f1 /proc/loadavg))" \
      "$CLAUDIT" report "$file" --format json > "$data/report-a.json"
    if [ -n "${CLAUDIT_B:-}" ]; then
      /usr/bin/time -f "$shape ${size}MB run $i (B): %e s wall, %U s user, %S s sys, %M KB peak RSS (load $(cut -d' ' -f1 /proc/loadavg))" \
        "$CLAUDIT_B" report "$file" --format json > "$data/report-b.json"
      cmp -s "$data/report-a.json" "$data/report-b.json" && echo "$shape run $i: outputs byte-identical" || echo "$shape run $i: OUTPUTS DIFFER"
    fi
  done
done 2>&1 | grep -E '^(full|lean|tracer)'
