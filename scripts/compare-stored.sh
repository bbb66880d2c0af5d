#!/usr/bin/env bash
# Writes what `l4bench compare` prints (stdout, stderr, exit code) for the runs
# stored under Results/: each run against its machine's baseline (--stored) and
# against the run stored before it. Run it with two builds and diff the
# directories to check that a change leaves compare's output byte-identical:
#   scripts/compare-stored.sh OLD/l4bench /tmp/before
#   scripts/compare-stored.sh .build/debug/l4bench /tmp/after
#   diff -r /tmp/before /tmp/after
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: scripts/compare-stored.sh L4BENCH OUTDIR}
out=${2:?usage: scripts/compare-stored.sh L4BENCH OUTDIR}
bin=$(realpath "$bin")
mkdir -p "$out"
n=0
for runs in $(find Results -type d -name runs | sort); do
    machine=${runs%/runs}
    prev=""
    for run in $(find "$runs" -maxdepth 1 \( -name '*.l4bc' -o -name '*.csv' \) | sort); do
        name=$(echo "${run%.*}" | tr '/' '_')
        { "$bin" compare "$run" --stored >"$out/$name.stored.out" 2>"$out/$name.stored.err"; echo $? >"$out/$name.stored.rc"; } || true
        if [ -n "$prev" ]; then
            { "$bin" compare "$run" "$prev" --all >"$out/$name.prev.out" 2>"$out/$name.prev.err"; echo $? >"$out/$name.prev.rc"; } || true
        fi
        prev=$run
        n=$((n + 1))
    done
    [ -n "$machine" ]
done
for f in $(find Results -name '*.csv' -path '*faults*' | sort); do
    name=$(echo "${f%.*}" | tr '/' '_')
    { "$bin" compare "$f" >"$out/$name.out" 2>"$out/$name.err"; echo $? >"$out/$name.rc"; } || true
    n=$((n + 1))
done
echo "compare-stored: $n runs compared; output in $out"
