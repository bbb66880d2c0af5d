#!/usr/bin/env bash
# Checks docs/l4re-interfaces.md as a reader would use it: writes its files
# into a fresh directory outside this repository, builds the package against an
# existing L4Re build, boots it under QEMU and checks both clients pass. The
# console log goes to Results/l4re/examples/docs-walkthrough.tcg.log.gz.
#
#   L4RE_OBJ=~/l4re/build-l4 FIASCO_OBJ=~/l4re/build-fiasco scripts/docs-walkthrough.sh
#
# It never fetches or builds L4Re or Fiasco. The boot is owned like the
# examples' (scripts/lib/l4re-boot.sh): its process group, TERM then KILL.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
: "${L4RE_OBJ:?set L4RE_OBJ to an L4Re build directory (amd64)}"
: "${FIASCO_OBJ:?set FIASCO_OBJ to a Fiasco build directory (amd64)}"
limit=${EXAMPLE_TIME_LIMIT:-180}
grace=${EXAMPLE_GRACE:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/l4bench-walkthrough.XXXXXX")
scripts/lib/extract-doc-files.sh docs/l4re-interfaces.md "$work"
echo "walkthrough: the page's files are in $work"
(cd "$work" && make -C calc O="$L4RE_OBJ" L4SWIFT_DIR="$root" >"$work/build.log" 2>&1) || {
  echo "walkthrough: the package does not build (see $work/build.log)"; tail -20 "$work/build.log"; exit 1; }

. "$root/scripts/lib/l4re-boot.sh"
trap 'stop_boot; echo "interrupted"; exit 130' INT TERM
raw="$work/console.raw"
boot_entry calc "$work/calc/modules.list" "$FIASCO_OBJ:$work/calc" "-accel tcg" "$raw"
wait_for "CALC DONE" "$raw" "$limit"
stop_boot
log=Results/l4re/examples/docs-walkthrough.tcg.log
sed 's/\x1b\[[0-9;]*m//g' "$raw" | sed '/CALC DONE/q' > "$log"
grep -a "calc\|CALC" "$log" | grep -v "ROMFS\|Starting\|loading" || true
status=0
if [ -n "$why" ] || ! grep -q "CALC SWIFT PASS" "$log" || ! grep -q "CALC C++ PASS" "$log"; then status=1; fi
gzip -9nf "$log"
if [ "$status" = 0 ]; then echo "ok    docs walkthrough ($log.gz)"; else echo "FAIL  docs walkthrough ($log.gz)${why:+: $why}"; fi
exit $status
