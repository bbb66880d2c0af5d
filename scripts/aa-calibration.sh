#!/usr/bin/env bash
# A/A calibration: runs the Linux quick suite N times (default 10) with the same
# binaries, compares every run with the first (round-level method, alpha 0.05),
# and prints the share of groups flagged and the share of Swift verdicts that
# claim a difference, beside the A/A control's own verdicts.
#
#   scripts/aa-calibration.sh [N] [--out FILE] [-- extra `l4bench run` options]
#
# Goal: at most 5% of groups flagged at the 95% level, and no Swift verdict of
# "faster" or "slower" where the A/A pair shows no such thing.
set -euo pipefail
cd "$(dirname "$0")/.."
n=10; out=""; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) n="$1"; shift ;;
  esac
done
swift build -c release --product l4bench >/dev/null
bin=.build/release/l4bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=()
for i in $(seq 1 "$n"); do
  "$bin" run --results "$work/res" ${extra[@]+"${extra[@]}"} >/dev/null 2>"$work/run$i.err" || true
  f=$(ls -t "$work"/res/*/runs/*.l4bc | head -1)
  runs+=("$f")
  echo "run $i/$n: $f" >&2
done

flagged=0; groups=0; platform=0
for i in $(seq 2 "$n"); do
  "$bin" compare "${runs[$((i-1))]}" "${runs[0]}" --alpha 0.05 --allow-missing >"$work/cmp$i.txt" 2>/dev/null || true
  line=$(grep '^flagged:' "$work/cmp$i.txt")
  f=$(echo "$line" | awk '{print $2}'); g=$(echo "$line" | awk '{print $4}')
  pl=$(echo "$line" | awk -F'; ' '{print $2}' | awk '{print $1}')
  flagged=$((flagged + f)); groups=$((groups + g)); platform=$((platform + pl))
done

claims=0; verdicts=0; control_claims=0; controls=0; unresolved=0; line_claims=0; lines=0
for i in $(seq 1 "$n"); do
  "$bin" report "${runs[$((i-1))]}" --no-html --stats-csv "$work/stats$i.csv" >"$work/report$i.txt" 2>/dev/null || true
  # The verdict lines (one per benchmark and placement) come first in the report.
  v=$(awk '/^Verdict/ { on = 1; next } on && /^  / { print; next } on { exit }' "$work/report$i.txt")
  lines=$((lines + $(printf '%s\n' "$v" | grep -c . || true)))
  line_claims=$((line_claims + $(printf '%s\n' "$v" | grep -cE 'Swift (faster|slower) by' || true)))
  # Columns: ... client(3) server(4) ... verdict (last).
  read -r c v cc ct u < <(awk -F, 'NR > 1 && $NF != "" {
      if ($4 == "cpp.b") { ct++; if ($NF == "faster" || $NF == "slower") cc++ }
      else { v++; if ($NF == "faster" || $NF == "slower") c++; if ($NF == "inconclusive") u++ } }
      END { print c+0, v+0, cc+0, ct+0, u+0 }' "$work/stats$i.csv")
  claims=$((claims + c)); verdicts=$((verdicts + v)); control_claims=$((control_claims + cc)); controls=$((controls + ct))
  unresolved=$((unresolved + u))
done

summary=$(cat <<TXT
A/A calibration: $n Linux quick runs of the same binaries on $(hostname) ($(nproc) CPUs), $(date -u +%Y-%m-%dT%H:%MZ)
compare (round-level, alpha 0.05, default thresholds), every run against the first:
  groups flagged: $flagged of $groups ($(awk -v a=$flagged -v b=$groups 'BEGIN { printf "%.1f", b ? 100*a/b : 0 }')%)   goal: at most 5%
  groups that moved with the platform (cpp-cpp and the raw reference, or a pair whose ratio to cpp-cpp held; not flagged): $platform
within-run verdicts, one per benchmark and placement (swift-swift against cpp-cpp):
  faster or slower: $line_claims of $lines
within-run verdicts of every Swift pair against cpp-cpp (per group):
  faster or slower: $claims of $verdicts ($(awk -v a=$claims -v b=$verdicts 'BEGIN { printf "%.1f", b ? 100*a/b : 0 }')%), inconclusive: $unresolved
  A/A control cpp-cpp.b called faster or slower (by itself, 99% interval): $control_claims of $controls
TXT
)
echo "$summary"
if [ -n "$out" ]; then echo "$summary" > "$out"; fi
