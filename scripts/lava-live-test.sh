#!/usr/bin/env bash
# The live test of `l4bench lava`: real jobs on a real LAVA server and dispatcher
# (scripts/lava-setup.sh sets one up on this machine, with QEMU devices).
#
#   1. the stand-in image (Tests/Fixtures/lava/standin: a multiboot kernel, not L4Re, that
#      prints a recorded console) as two boots: one run of 2 rounds, 40 samples, exit 0;
#   2. with an L4Re build (L4RE_OBJ, FIASCO_OBJ: your own copy, see docs/l4re.md): the image of
#      `l4bench run --target l4re --image-only`, booted by LAVA on a qemu device under icount,
#      and the same selection booted by `l4bench run --target l4re --accel icount`: the same-core
#      medians of ipc.roundtrip and ipc.rpc must be equal to the instruction.
#
# Skips with a message (exit 0) when no LAVA server answers, and part 2 when there is no L4Re build.
# Environment: L4BENCH_LAVA_URL/L4BENCH_LAVA_TOKEN or the config file (as `l4bench lava`),
# L4BENCH_LIVE_BENCH (default ipc.roundtrip,ipc.rpc), L4BENCH_LIVE_ROUNDS (default 1),
# L4BENCH_LIVE_PROJECT (a checkout whose Bench/l4re builds against that L4Re; default this one),
# L4BENCH_LIVE_KEEP=1 keeps the work directory, L4BENCH_LIVE_STORE=DIR stores the LAVA run there.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

say() { printf 'lava-live-test: %s\n' "$*" >&2; }
skip() { say "SKIP: $*"; exit 0; }
fail() { say "FAIL: $*"; exit 1; }

CONF=${L4BENCH_LAVA_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/l4bench/lava.conf}
URL=${L4BENCH_LAVA_URL:-}
if [[ -z $URL && -r $CONF ]]; then URL=$(awk -F' *= *' '$1=="url"{print $2}' "$CONF"); fi
[[ -n $URL ]] || skip "no LAVA server configured (L4BENCH_LAVA_URL or $CONF; scripts/lava-setup.sh makes one)"
command -v curl >/dev/null || skip "no curl to see whether $URL answers"
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$URL/api/v0.2/" || true)
[[ $code =~ ^[23] ]] || skip "the LAVA server $URL does not answer (HTTP '$code'): run scripts/lava-setup.sh"

swift build --product l4bench >&2
BIN=$(swift build --show-bin-path)/l4bench
WORK=$(mktemp -d /tmp/l4bench-lava-live.XXXXXX)
cleanup() { if [[ ${L4BENCH_LIVE_KEEP:-0} == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
# The dispatcher (another user) reads the image from a file:// URL.
chmod 755 "$WORK"

# 1. The stand-in image through LAVA: two boots, one run.
if command -v gcc >/dev/null && gcc -m32 -nostdlib -static -Wl,-Ttext=0x100000 -Wl,--build-id=none \
        -o "$WORK/standin.elf" -I Tests/Fixtures/lava/standin -Wa,-I,Tests/Fixtures/lava/standin \
        Tests/Fixtures/lava/standin/standin.S 2>"$WORK/gcc.err"; then
    chmod 644 "$WORK/standin.elf"
    say "part 1: the stand-in image as 2 LAVA boots"
    set +e
    "$BIN" lava submit --image "$WORK/standin.elf" --blocks 2 --block-time-limit 30 --boots 2 --poll 2 \
        --work "$WORK/work" -o "$WORK/standin.csv" --no-report
    rc=$?
    set -e
    [[ $rc -eq 0 ]] || fail "lava submit of the stand-in exited $rc"
    n=$(grep -c '^L4B1,s,' "$WORK/standin.csv")
    r=$(awk -F, '$2=="s"{print $9}' "$WORK/standin.csv" | sort -u | tr '\n' ' ')
    [[ $n -eq 40 && $r == "0 1 " ]] || fail "stand-in run: $n samples in rounds '$r' (want 40 in rounds 0 1)"
    grep -q '^L4B1,meta,lava_jobs,' "$WORK/standin.csv" || fail "stand-in run has no lava_jobs metadata"
    say "part 1 passed: 40 samples, rounds 0 and 1, jobs $(awk -F, '$3=="lava_jobs"{print $4}' "$WORK/standin.csv")"
else
    say "part 1 skipped: no 32-bit gcc to build the stand-in ($(head -1 "$WORK/gcc.err"))"
fi

# 2. L4Re through LAVA against L4Re under QEMU directly.
L4RE_OBJ=${L4RE_OBJ:-}
FIASCO_OBJ=${FIASCO_OBJ:-}
if [[ -z $L4RE_OBJ || -z $FIASCO_OBJ || ! -d $L4RE_OBJ || ! -d $FIASCO_OBJ ]]; then
    say "part 2 skipped: no L4Re build (set L4RE_OBJ and FIASCO_OBJ to your own copy of the build directories)"
    exit 0
fi
BENCH=${L4BENCH_LIVE_BENCH:-ipc.roundtrip,ipc.rpc}
ROUNDS=${L4BENCH_LIVE_ROUNDS:-1}
SEL=(--bench "$BENCH" --rounds "$ROUNDS" --pair swift-cpp,cpp-cpp --no-phases --project "${L4BENCH_LIVE_PROJECT:-$ROOT}")
say "part 2: image of $BENCH ($ROUNDS round(s)) from $L4RE_OBJ"
"$BIN" run --target l4re --image-only --image "$WORK/l4bench.elf" --l4re-obj "$L4RE_OBJ" --fiasco-obj "$FIASCO_OBJ" \
    "${SEL[@]}" >&2
chmod 644 "$WORK/l4bench.elf"
set +e
"$BIN" lava submit --image "$WORK/l4bench.elf" --accel icount --poll 5 --work "$WORK/work" -o "$WORK/lava.csv" --no-report
rc=$?
set -e
[[ $rc -eq 0 ]] || fail "lava submit of the L4Re image exited $rc"
"$BIN" run --target l4re --accel icount --jobs 1 --l4re-obj "$L4RE_OBJ" --fiasco-obj "$FIASCO_OBJ" "${SEL[@]}" \
    -o "$WORK/direct.csv" --no-report >&2 || fail "run --target l4re failed"

# Same-core medians of the IPC groups (icount: instructions), per group, from both runs.
medians() {
    awk -F, '$2=="s" && $7=="same-core" && ($4=="ipc.roundtrip" || $4=="ipc.rpc") {print $4","$5","$6","$8"\t"$11}' "$1" |
        sort -t$'\t' -k1,1 -k2,2n |
        awk -F'\t' '{v[$1]=v[$1] " " $2; n[$1]++} END {for (k in v) {split(substr(v[k],2), a, " "); print k, a[int((n[k]+1)/2)]}}' | sort
}
medians "$WORK/lava.csv" >"$WORK/lava.med"
medians "$WORK/direct.csv" >"$WORK/direct.med"
groups=$(wc -l <"$WORK/lava.med")
[[ $groups -gt 0 ]] || fail "no same-core IPC groups in the LAVA run"
if ! diff "$WORK/direct.med" "$WORK/lava.med" >"$WORK/med.diff"; then
    cat "$WORK/med.diff" >&2
    fail "same-core medians differ between LAVA and run --target l4re"
fi
say "part 2 passed: $groups same-core IPC groups, medians equal to the instruction"
if [[ -n ${L4BENCH_LIVE_STORE:-} ]]; then
    "$BIN" ingest "$WORK/lava.csv" --store --results "$L4BENCH_LIVE_STORE" >&2
fi
