#!/usr/bin/env bash
# The reader, the statistics and the reports under AddressSanitizer (with leak
# checks): every test of those targets, in a build folder of its own.
# XCTest's own runner keeps two small objects to the end: suppressed by name.
set -uo pipefail
cd "$(dirname "$0")/.."
supp=$(mktemp)
log=$(mktemp)
trap 'rm -f "$supp" "$log"' EXIT
printf 'leak:XCTest\n' > "$supp"
LSAN_OPTIONS="suppressions=$supp:print_suppressions=0" ASAN_OPTIONS="detect_leaks=1" \
  swift test --sanitize=address --scratch-path .build-asan \
  --filter "BenchResultsTests|BenchStatsTests|BenchReportTests" >"$log" 2>&1
rc=$?
grep -E "Test run|✘|ERROR: (Address|Leak)Sanitizer|SUMMARY" "$log" | head -40
if [ $rc -ne 0 ] || grep -q "ERROR: .*Sanitizer" "$log"; then
  echo "AddressSanitizer run failed (exit $rc)"; exit 1
fi
