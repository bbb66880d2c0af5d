#!/usr/bin/env bash
# Builds the results parser with libFuzzer and fuzzes it from the seed corpus.
# Usage: scripts/fuzz-parser.sh [SECONDS] [MAX_LEN]   (default 30 s, inputs up to 200,000 bytes)
# The dictionary (Fuzz/results.dict) holds the format's keywords, control
# characters and boundary values; the long maximum length lets mutations grow
# fields and lines past the 64 KiB line limit.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
maxlen=${2:-200000}
out=.build-fuzz
mkdir -p "$out" "$out/corpus"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name BenchResults \
  Sources/BenchResults/*.swift Fuzz/ParserFuzz.swift -o "$out/fuzz-parser"
cp Fuzz/corpus/* Tests/Fixtures/hostile/*.csv "$out/corpus/"
# Swift's backtracer would hold the output open after a crash: libFuzzer prints the trace itself.
set +e
SWIFT_BACKTRACE=enable=no "$out/fuzz-parser" -max_total_time="$secs" -max_len="$maxlen" -dict=Fuzz/results.dict \
  -print_final_stats=1 -artifact_prefix="$out/" "$out/corpus" >"$out/fuzz.log" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ]; then
  grep -v "ld.gold" "$out/fuzz.log" | grep -E "Fatal error|ERROR|BenchResults|Test unit written|SUMMARY" | head -30
  echo "fuzzing found a crash (exit $rc): the input is in $out/crash-*"
  exit 1
fi
tail -n 8 "$out/fuzz.log"
