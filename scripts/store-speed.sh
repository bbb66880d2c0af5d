#!/usr/bin/env bash
# The stored (compact) form against format v1, side by side: generates a run of
# SAMPLES samples (default 10 million), converts it with `l4bench export --format
# compact`, and prints the size of each and the median wall time of `report` and
# `compare` on each, with the ratio. Goal: the stored form no slower than 10%.
#
#   scripts/store-speed.sh [SAMPLES] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-10000000}; repeats=${2:-3}
work=${BENCH_DIR:-/tmp/l4bench-speed}; mkdir -p "$work"
csv="$work/results-$samples.csv"; compact="$work/results-$samples.l4bc"
[ -f "$csv" ] || python3 scripts/gen-results.py --samples "$samples" -o "$csv"
swift build -c release --product l4bench >/dev/null
bin=.build/release/l4bench
"$bin" export "$csv" --format compact -o "$compact"
cat "$csv" "$compact" > /dev/null
t() { python3 -c 'import subprocess, sys, time
s = time.time(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(f"{time.time() - s:.3f}")' "$@"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() { for _ in $(seq "$repeats"); do t "$@"; done | median; }
printf "%-10s %12s %12s %10s\n" "" "format v1" "compact" "ratio"
printf "%-10s %12s %12s %10s\n" size "$(du -h "$csv" | cut -f1)" "$(du -h "$compact" | cut -f1)" ""
for what in report compare; do
  if [ $what = report ]; then
    a=$(measure "$bin" report "$csv" --quiet --no-html); b=$(measure "$bin" report "$compact" --quiet --no-html)
  else
    a=$(measure "$bin" compare "$csv" "$csv"); b=$(measure "$bin" compare "$compact" "$compact")
  fi
  printf "%-10s %10s s %10s s %10s\n" "$what" "$a" "$b" "$(python3 -c "print(f'{$b / $a:.2f}')")"
done
