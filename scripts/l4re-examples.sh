#!/usr/bin/env bash
# Builds the L4Re package against an existing L4Re build and boots each example
# pair under QEMU (L4Re's own `make qemu`), checking that the pair and the
# bad-message client pass, the Swift client of L4Re's own services and the
# Swift server of L4Re::Namespace asked through L4Re's C++ library.
# Console logs go to Results/l4re/examples/ (gzipped).
#
#   L4RE_OBJ=~/l4re/build-l4 FIASCO_OBJ=~/l4re/build-fiasco scripts/l4re-examples.sh [tcg|icount] [ENTRY...]
#
# ENTRY names boot entries of Bench/l4re/conf/modules.list to run (default: all
# of them); first-task is the docs' first task (a dataspace written by one Swift
# program and read by another, every L4Re request through generated clients);
# swift-itas a Swift server of L4Re::Itas (libc's structs as C lays them out)
# called by a C++ client through L4Re's own class, cpp-itas the other way round.
#
# It never fetches or builds L4Re or Fiasco: both build directories must exist.
# Every boot runs in a process group of its own, known by its PID; it is ended
# by that PID (TERM, then KILL after a grace period) when the console says the
# pair is done, at the time limit (EXAMPLE_TIME_LIMIT, default 180 s), and when
# this script is interrupted. No pattern kills.
#
# For tests: L4BENCH_BOOT_CMD replaces the boot command (and the package build is
# skipped), so that a stand-in can play QEMU.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-tcg}
shift || true
all=(demo-swift-cpp demo-cpp-swift demo-swift-swift demo-cpp-cpp swift-l4re-services swift-namespace first-task swift-itas cpp-itas)
entries=("${@:-${all[@]}}")
for e in "${entries[@]}"; do
  case " ${all[*]} " in *" $e "*) ;; *) echo "unknown entry '$e' (one of: ${all[*]})"; exit 64 ;; esac
done
limit=${EXAMPLE_TIME_LIMIT:-180}
grace=${EXAMPLE_GRACE:-3}
out=${EXAMPLES_OUT:-Results/l4re/examples}
case "$mode" in
  tcg) accel="-accel tcg" ;;
  icount) accel="-accel tcg -icount shift=3,sleep=off" ;;
  *) echo "mode must be tcg or icount"; exit 64 ;;
esac
if [ -z "${L4BENCH_BOOT_CMD:-}" ]; then
  : "${L4RE_OBJ:?set L4RE_OBJ to an L4Re build directory (amd64)}"
  : "${FIASCO_OBJ:?set FIASCO_OBJ to a Fiasco build directory (amd64)}"
  [ -e "$L4RE_OBJ/source/mk/prog.mk" ] || { echo "$L4RE_OBJ is not an L4Re build directory"; exit 3; }
  [ -e "$FIASCO_OBJ/fiasco" ] || { echo "$FIASCO_OBJ holds no fiasco kernel image"; exit 3; }
  make -C Bench/l4re/pkg/l4swift O="$L4RE_OBJ" -j2 >/dev/null
fi
mkdir -p "$out"

. "$root/scripts/lib/l4re-boot.sh"
trap 'stop_boot; echo "interrupted"; exit 130' INT TERM

status=0
for entry in "${entries[@]}"; do
  log="$out/$entry.$mode.log"
  raw=$(mktemp)
  boot_entry "$entry" "$root/Bench/l4re/conf/modules.list" "${FIASCO_OBJ:-}:$root/Bench/l4re/conf" "$accel" "$raw"
  wait_for "DEMO-CONFIG DONE" "$raw" "$limit"
  stop_boot
  sed 's/\x1b\[[0-9;]*m//g' "$raw" | sed '/DEMO-CONFIG DONE/q' > "$log"
  rm -f "$raw"
  case "$entry" in               # what the console must say for the entry to pass
    swift-l4re-services) markers=("SERVICES PASS") ;;
    swift-namespace) markers=("NAMESPACE PASS") ;;
    first-task) markers=("FIRST-TASK PASS" "swift-notes-reader: read") ;;
    swift-itas) markers=("ITAS PASS" "swift-itas-server: ready") ;;
    cpp-itas) markers=("ITAS PASS" "cpp-itas-server: ready") ;;
    *) markers=("DEMO PASS" "BADMSG PASS") ;;
  esac
  ok=1
  [ -z "$why" ] || ok=0
  for m in "${markers[@]}"; do grep -q "$m" "$log" || ok=0; done
  [ "$ok" = 1 ] || status=1
  gzip -9nf "$log"          # console logs are kept compressed
  if [ "$ok" = 1 ]; then echo "ok    $entry ($log.gz)"; else echo "FAIL  $entry ($log.gz)${why:+: $why}"; fi
done
exit $status
