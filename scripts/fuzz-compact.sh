#!/usr/bin/env bash
# Builds the compact reader (.l4bc) with libFuzzer and AddressSanitizer and fuzzes it
# with a structure-aware mutator (Fuzz/CompactFuzz.swift) from stored runs.
# Usage: scripts/fuzz-compact.sh [SECONDS] [MAX_LEN]   (default 600 s, inputs up to 400,000 bytes)
# Seeds: small stored runs (with and without checksums) and every kept crash
# (Fuzz/compact-corpus). A crash is kept in .build-fuzz/compact-crash-*: copy it into
# Fuzz/compact-corpus/ as a regression seed once fixed. RSS is capped at 1 GiB.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
maxlen=${2:-400000}
out=.build-fuzz
mkdir -p "$out" "$out/compact-corpus"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name BenchResults \
  Sources/BenchResults/*.swift Fuzz/CompactFuzz.swift -o "$out/fuzz-compact" 2>&1 | { grep -v "ld.gold" || true; }
cp Fuzz/compact-corpus/* "$out/compact-corpus/"
set +e
SWIFT_BACKTRACE=enable=no "$out/fuzz-compact" -max_total_time="$secs" -max_len="$maxlen" \
  -rss_limit_mb=1024 -malloc_limit_mb=1024 -timeout=20 \
  -print_final_stats=1 -artifact_prefix="$out/compact-" "$out/compact-corpus" >"$out/fuzz-compact.log" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ]; then
  grep -v "ld.gold" "$out/fuzz-compact.log" | grep -E "Fatal error|ERROR|BenchResults|Test unit written|SUMMARY|out-of-memory|timeout" | head -30
  echo "fuzzing the compact reader found a crash (exit $rc): the input is in $out/compact-*"
  exit 1
fi
grep -E "stat::number_executed_units|stat::peak_rss_mb|cov:" "$out/fuzz-compact.log" | tail -n 4
