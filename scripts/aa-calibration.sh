#!/usr/bin/env bash
# A/A calibration: measures the false-alarm rates of the statistics with the
# same binaries, on this machine, as it is (busy or quiet).
#
#   scripts/aa-calibration.sh [N] [--out FILE] [--keep DIR | --runs DIR] [-- extra `l4bench run` options]
#
# --keep DIR keeps the runs (DIR/run1.csv ...); --runs DIR takes the runs of an
# earlier --keep instead of running (to recompute the compares with a new build).
#
# Runs the Linux quick suite N times (default 8, even), then compares
# INDEPENDENT pairs of runs (2 with 1, 4 with 3, ...; no run is used twice), so
# that the compares are independent of each other. Reports:
#   - the test's false-alarm rate: groups flagged among the groups that can be
#     flagged (a pair against C++ with a test; the platform groups and the A/A
#     control cannot fail the gate and are not counted);
#   - the gate's false-alarm rate: compares that exit 2 (any regression), the
#     family-wise rate Holm holds at --alpha (goal: at most 5% per compare);
#   - with several runs per side (the first half of the runs against the second,
#     `compare --new/--base`): the gate with the between-run variation estimated
#     from the runs (random effects) instead of the stated --between-run-sd;
#   - within each run, the A/A control's verdict (cpp-cpp.b against cpp-cpp, the
#     same programs): the share of benchmarks where it claims a difference is the
#     within-run false-claim rate (goal: at most 5% per verdict), and how many
#     headline verdicts were conclusive in the run's budget.
# Every exit code of every run, compare and report is kept and listed.
set -uo pipefail
cd "$(dirname "$0")/.."
n=8; out=""; extra=(); keep=""; reuse=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --runs) reuse="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) n="$1"; shift ;;
  esac
done
if [ $((n % 2)) -ne 0 ] || [ "$n" -lt 2 ]; then echo "aa-calibration: N must be even and at least 2 (independent pairs of runs)" >&2; exit 64; fi
swift build -c release --product l4bench >/dev/null || { echo "aa-calibration: build failed" >&2; exit 3; }
bin=.build/release/l4bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs="$work"
[ -n "$keep" ] && { mkdir -p "$keep" || exit 3; runs="$keep"; }
[ -n "$reuse" ] && runs="$reuse"
loadstart=$(cut -d' ' -f1-3 /proc/loadavg)
codes=""; loads=""
for i in $(seq 1 "$n"); do
  if [ -n "$reuse" ]; then
    [ -f "$runs/run$i.csv" ] || { echo "aa-calibration: $runs/run$i.csv does not exist" >&2; exit 3; }
    codes="$codes run$i=$(cat "$runs/run$i.rc" 2>/dev/null || echo '?')"
    loads="$loads $(cat "$runs/run$i.load" 2>/dev/null || echo '?')"
    continue
  fi
  start=$(date +%s)
  cut -d' ' -f1 /proc/loadavg >"$runs/run$i.load"
  "$bin" run -o "$runs/run$i.csv" --no-report ${extra[@]+"${extra[@]}"} >/dev/null 2>"$runs/run$i.err"
  rc=$?
  echo "$rc" >"$runs/run$i.rc"
  codes="$codes run$i=$rc"
  loads="$loads $(cat "$runs/run$i.load")"
  echo "run $i/$n: exit $rc, $(( $(date +%s) - start )) s, load $(cut -d' ' -f1 /proc/loadavg), $(grep -o 'stopped: .*' "$runs/run$i.err" | head -1)" >&2
done

flagged=0; gate=0; compares=0; alarms=0; ccodes=""
for i in $(seq 2 2 "$n"); do
  "$bin" compare "$runs/run$i.csv" "$runs/run$((i-1)).csv" --allow-missing >"$work/cmp$i.txt" 2>"$work/cmp$i.err"
  rc=$?
  ccodes="$ccodes $i-vs-$((i-1))=$rc"
  compares=$((compares + 1))
  [ "$rc" -eq 2 ] && alarms=$((alarms + 1))
  g=$(awk '/^gate groups:/ { print $3 }' "$work/cmp$i.txt"); g=${g:-0}
  f=$(awk '/^flagged:/ { print $2 }' "$work/cmp$i.txt"); f=${f:-0}
  gate=$((gate + g)); flagged=$((flagged + f))
done

# Several runs per side: the first half against the second (one compare, runs used once).
h=$((n / 2)); rep_args=("$runs/run$((h + 1)).csv" "$runs/run1.csv")
for i in $(seq 2 "$h"); do rep_args+=(--base "$runs/run$i.csv"); done
for i in $(seq $((h + 2)) "$n"); do rep_args+=(--new "$runs/run$i.csv"); done
rep_rc=""; rep_gate=0; rep_flag=0; rep_between=""
if [ "$n" -ge 4 ]; then
  "$bin" compare "${rep_args[@]}" --allow-missing >"$work/cmp-rep.txt" 2>"$work/cmp-rep.err"
  rep_rc=$?
  rep_gate=$(awk '/^gate groups:/ { print $3 }' "$work/cmp-rep.txt"); rep_gate=${rep_gate:-0}
  rep_flag=$(awk '/^flagged:/ { print $2 }' "$work/cmp-rep.txt"); rep_flag=${rep_flag:-0}
  rep_between=$(grep -o 'median estimated between-run sd.*' "$work/cmp-rep.txt" | head -1)
fi

lines=0; checks=0; conclusive=0; rcodes=""
for i in $(seq 1 "$n"); do
  "$bin" report "$runs/run$i.csv" --no-html >"$work/report$i.txt" 2>/dev/null
  rcodes="$rcodes report$i=$?"
  c=$(grep -Eo '^  [0-9]+ of [0-9]+ conclusive' "$work/report$i.txt" | head -1)
  conclusive=$((conclusive + $(echo "$c" | awk '{print $1+0}')))
  lines=$((lines + $(echo "$c" | awk '{print $3+0}')))
  checks=$((checks + $(grep -c '^  RUN CHECK:' "$work/report$i.txt")))
done

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b ? 100*a/b : 0 }'; }
when="load average $loadstart at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
[ -n "$reuse" ] && when="recomputed from the runs in $reuse"
rep_text="  (needs N >= 4)"
[ -n "$rep_rc" ] && rep_text="  runs 1-$h against $((h + 1))-$n: exit $rep_rc ($([ "$rep_rc" -eq 2 ] && echo 'failed the gate' || echo 'passed')); groups flagged: $rep_flag of $rep_gate
  ${rep_between:-no between-run estimate printed}"
summary=$(cat <<TXT
A/A calibration: $n Linux quick runs of the same binaries on $(hostname) ($(nproc) CPUs, $when), $(date -u +%Y-%m-%dT%H:%MZ)
load average (1 min) at the start of each run:$loads
extra run options: ${extra[*]:-none}
gate (l4bench compare, default rule: Holm over all tests at family-wise alpha 0.01, thresholds p50 2% p90 5% p99 10%, between-run sd 0.5%),
$compares independent compares (run 2 with 1, 4 with 3, ...):
  compares that failed the gate (exit 2): $alarms of $compares ($(pct $alarms $compares)%)   goal: at most 5% per compare
  groups flagged among the groups that can be flagged: $flagged of $gate ($(pct $flagged $gate)%)
gate with several runs per side ($h against $h, between-run variation estimated from the runs: random effects):
$rep_text
within-run, per run (sequential verdicts in the run's budget):
  A/A control claims a difference (run check failed): $checks of $lines benchmark verdicts ($(pct $checks $lines)%)   goal: at most 5%
  headline verdicts (swift-swift against C++) conclusive: $conclusive of $lines ($(pct $conclusive $lines)%)
exit codes: runs:$codes; compares:$ccodes; several runs per side: ${rep_rc:-none}; reports:$rcodes
TXT
)
echo "$summary"
if [ -n "$out" ]; then echo "$summary" > "$out"; fi
