#!/usr/bin/env bash
# Checks that l4bench builds without its Linux backend, as on macOS: the C seam
# compiles with __linux__ undefined (its Linux parts are guarded), and
# `swift build --product l4bench` with L4BENCH_PORTABLE=1 leaves LinuxBench, its
# C targets and the peers out. The portable binary reads a run (report,
# compare, ingest) and says that `run --target linux` needs Linux (exit 3).
set -euo pipefail
cd "$(dirname "$0")/.."
cc=$(command -v clang || command -v cc || true)
if [ -n "$cc" ]; then
    for f in Sources/CBenchSys/bench_sys.c Sources/CNuma/numa_seam.c; do
        "$cc" -fsyntax-only -U__linux__ -ISources/CBenchSys/include -ISources/CNuma/include "$f"
    done
    echo "portable-check: the C seam compiles without __linux__"
else
    echo "portable-check: no C compiler found: skipping the check of the C guards"
fi

build=.build-portable
log=$(mktemp)
trap 'rm -f "$log"' EXIT
L4BENCH_PORTABLE=1 swift build --product l4bench --build-path "$build" 2>&1 | tee "$log" | tail -n 3
if grep -E "Compiling (LinuxBench|bench_peer|CBenchSys|CNuma)|Compiling .*(bench_sys|numa_seam)\.c" "$log"; then
    echo "portable-check: the portable build compiled the Linux backend (above)"
    exit 1
fi
bin=$build/debug/l4bench
"$bin" report Tests/Fixtures/sample-run.csv --no-html --quiet
"$bin" compare Tests/Fixtures/sample-run.csv Tests/Fixtures/sample-run.csv >/dev/null
"$bin" ingest Tests/Fixtures/sample-run.csv >/dev/null
set +e
msg=$("$bin" run --samples 1 2>&1)
rc=$?
set -e
if [ $rc -ne 3 ] || ! grep -q "needs Linux" <<<"$msg"; then
    echo "portable-check: run without the Linux backend exited $rc: $msg"
    exit 1
fi
echo "portable-check: l4bench builds and reads runs without the Linux backend; run says it needs Linux"
