#!/usr/bin/env bash
# Speed benchmark: `l4bench report` (ingest + exact per-group statistics) on
# 10 million samples, side by side with pandas, polars and DuckDB computing the
# same statistics. Prints medians of repeated runs, ratios, and whether the
# numbers agree. Usage: scripts/bench-report-speed.sh [SAMPLES] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-10000000}
repeats=${2:-3}
work=${BENCH_DIR:-/tmp/l4bench-speed}
mkdir -p "$work"
data="$work/results-$samples.csv"

python3 -c "import pandas, polars, duckdb" 2>/dev/null || pip install --quiet pandas polars duckdb
[ -f "$data" ] || { echo "generating $samples samples into $data"; python3 scripts/gen-results.py --samples "$samples" -o "$data"; }
echo "file: $data ($(du -h "$data" | cut -f1))"
swift build -c release --product l4bench >/dev/null
bin=.build/release/l4bench
cat "$data" > /dev/null  # page cache warm for every tool alike

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

l4t=(); l4m=()
for _ in $(seq "$repeats"); do
  out=$( { /usr/bin/time -f "%e %M" "$bin" report "$data" --quiet --no-html --stats-csv "$work/l4bench-stats.csv"; } 2>&1 | tail -1)
  l4t+=("${out% *}"); l4m+=("${out#* }")
done
l4_time=$(printf '%s\n' "${l4t[@]}" | median)
l4_mem=$(printf '%s\n' "${l4m[@]}" | median)
printf '%-8s %8.3f s %8.0f MB  (wall, whole process, median of %d)\n' l4bench "$l4_time" "$(echo "$l4_mem/1024" | bc -l)" "$repeats"

status=0
for tool in duckdb polars pandas; do
  ts=(); ms=(); agree=""
  for _ in $(seq "$repeats"); do
    read -r _ t m groups diff < <(python3 scripts/compare_tools.py "$tool" "$data" "$work/l4bench-stats.csv")
    ts+=("$t"); ms+=("$m"); agree="$diff"
  done
  t=$(printf '%s\n' "${ts[@]}" | median); m=$(printf '%s\n' "${ms[@]}" | median)
  ratio=$(echo "$t / $l4_time" | bc -l)
  ok=$(python3 -c "print('agree' if float('$agree') <= 1e-9 else 'DIFFER (max relative difference $agree)')")
  [ "$ok" = agree ] || status=1
  printf '%-8s %8.3f s %8.0f MB  l4bench is %5.1fx faster; %s groups, numbers %s\n' "$tool" "$t" "$m" "$ratio" "$groups" "$ok"
done
echo "(tools timed in-process around read + group statistics, without interpreter start-up; l4bench includes process start-up)"
exit $status
