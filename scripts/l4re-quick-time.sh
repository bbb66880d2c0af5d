#!/usr/bin/env bash
# Times the quick L4Re suite (`l4bench run --target l4re`, icount) against the
# issue's goal of at most 60 s of wall time on a 2-core machine, and prints the
# wall seconds (with the package build apart), the blocks and boots it took and
# the load average before and after (other work on the host slows QEMU down).
#
#   scripts/l4re-quick-time.sh L4RE_OBJ FIASCO_OBJ [extra `l4bench run` options]
#
# Environment: L4BENCH (the l4bench binary; default: built with `swift build -c
# release`, not timed), LIMIT (seconds, default 60), OUT (results file; default:
# a temporary file, removed), STORE=1 (store the run under Results/l4re instead, with
# its console log), KEEP_LOG (keep l4bench's stderr there).
# Exit codes: 0 within the limit, 1 over the limit, 2 usage, 3 the run failed
# (l4bench's own exit code is printed), 130 interrupted.
set -u
if [ $# -lt 2 ] || [ ! -d "$1" ] || [ ! -d "$2" ]; then
  echo "usage: $0 L4RE_OBJ FIASCO_OBJ [l4bench run options]  (both build directories must exist)" >&2
  exit 2
fi
l4re=$1 fiasco=$2
shift 2
limit=${LIMIT:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
if [ -z "${L4BENCH:-}" ]; then
  swift build -c release --product l4bench >/dev/null 2>&1 || { echo "building l4bench failed (swift build -c release --product l4bench)" >&2; exit 3; }
  L4BENCH=$root/.build/release/l4bench
fi
tmp=$(mktemp -d)
out=${OUT:-$tmp/quick.csv}
log=${KEEP_LOG:-$tmp/stderr.log}
pid=
stop() {
  # l4bench ends its QEMU instances itself on SIGTERM; we end only l4bench, by its PID.
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"
  rm -rf "$tmp"
  exit 130
}
trap stop INT TERM
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s.%N)
where=(-o "$out")
[ -n "${STORE:-}" ] && where=()
"$L4BENCH" run --target l4re --l4re-obj "$l4re" --fiasco-obj "$fiasco" "${where[@]}" --no-report "$@" 2>"$log" &
pid=$!
wait "$pid"
status=$?
pid=
end=$(date +%s.%N)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
build=$(sed -n 's/^\(l4bench: \)\{0,1\}built Bench\/l4re\/pkg\/l4swift in \([0-9.]*\) s.*/\2/p' "$log" | tail -n 1)
ran=$(grep -o 'ran [0-9]* blocks in [0-9]* boots\? ([0-9]* QEMU instances\? at once) in [0-9]* s' "$log" | tail -n 1)
blocks=$(echo "$ran" | sed -n 's/^ran \([0-9]*\) blocks.*/\1/p')
boots=$(echo "$ran" | sed -n 's/.* in \([0-9]*\) boots\? .*/\1/p')
boot_s=$(echo "$ran" | sed -n 's/.* in \([0-9]*\) s$/\1/p')
samples=$(sed -n 's/^\(l4bench: \)\{0,1\}wrote \([0-9]*\) samples.*/\2/p' "$log" | tail -n 1)
cores=$(nproc)
echo "quick L4Re suite: ${wall} s wall (package build ${build:-?} s, boots ${boot_s:-?} s), ${blocks:-?} blocks, ${boots:-?} boots, ${samples:-?} samples, ${cores} cores"
echo "load average before: ${load_before}; after: ${load_after}"
if [ -n "$build" ]; then
  # The limit is judged on the whole wall time; a package that had to be rebuilt (changed sources) is named.
  echo "without the package build: $(awk -v w="$wall" -v b="$build" 'BEGIN { printf "%.1f", w - b }') s$(awk -v b="$build" 'BEGIN { if (b > 10) printf " (the package was rebuilt: sources changed since its last build)" }')"
fi
if [ "$status" -ne 0 ]; then
  echo "l4bench exited with status $status; its last lines:" >&2
  tail -n 15 "$log" | tr '\r' '\n' | tail -n 15 >&2
  rm -rf "$tmp"
  exit 3
fi
rm -rf "$tmp"  # OUT and KEEP_LOG, when given, are outside it
if awk -v w="$wall" -v l="$limit" 'BEGIN { exit !(w > l) }'; then
  echo "OVER the limit of ${limit} s"
  exit 1
fi
echo "within the limit of ${limit} s"
