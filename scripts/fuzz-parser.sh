#!/usr/bin/env bash
# Builds the results parser with libFuzzer and fuzzes it from the seed corpus.
# Usage: scripts/fuzz-parser.sh [SECONDS]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
out=.build-fuzz
mkdir -p "$out" "$out/corpus"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name BenchResults \
  Sources/BenchResults/*.swift Fuzz/ParserFuzz.swift -o "$out/fuzz-parser"
cp Fuzz/corpus/* "$out/corpus/"
"$out/fuzz-parser" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 "$out/corpus" 2>&1 | tail -n 12
