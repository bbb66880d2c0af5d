#!/usr/bin/env bash
# Builds the L4Re package against an existing L4Re build and boots each example
# pair under QEMU (L4Re's own `make qemu`), checking that the pair and the
# bad-message client pass. Console logs go to Results/l4re/examples/.
#
#   L4RE_OBJ=~/l4re/build-l4 FIASCO_OBJ=~/l4re/build-fiasco scripts/l4re-examples.sh [tcg|icount]
#
# It never fetches or builds L4Re or Fiasco: both build directories must exist.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-tcg}
: "${L4RE_OBJ:?set L4RE_OBJ to an L4Re build directory (amd64)}"
: "${FIASCO_OBJ:?set FIASCO_OBJ to a Fiasco build directory (amd64)}"
[ -e "$L4RE_OBJ/source/mk/prog.mk" ] || { echo "$L4RE_OBJ is not an L4Re build directory"; exit 3; }
[ -e "$FIASCO_OBJ/fiasco" ] || { echo "$FIASCO_OBJ holds no fiasco kernel image"; exit 3; }
case "$mode" in
  tcg) accel="-accel tcg" ;;
  icount) accel="-accel tcg -icount shift=3,sleep=off" ;;
  *) echo "mode must be tcg or icount"; exit 64 ;;
esac

make -C Bench/l4re/pkg/l4swift O="$L4RE_OBJ" -j2 >/dev/null
out=Results/l4re/examples
mkdir -p "$out"
status=0
for entry in demo-swift-cpp demo-cpp-swift demo-swift-swift demo-cpp-cpp; do
  log="$out/$entry.$mode.log"
  set +e
  timeout 180 make -C "$L4RE_OBJ" qemu E="$entry" MODULES_LIST="$root/Bench/l4re/conf/modules.list" \
    MODULE_SEARCH_PATH="$FIASCO_OBJ:$root/Bench/l4re/conf" \
    QEMU_OPTIONS="-nographic -m 512 -smp 2 -cpu max $accel" 2>&1 \
    | sed -u 's/\x1b\[[0-9;]*m//g' | { sed -u '/DEMO-CONFIG DONE/q' > "$log"; pkill -f "rom/$entry.cfg" || true; }
  set -e
  if grep -q "DEMO PASS" "$log" && grep -q "BADMSG PASS" "$log"; then
    echo "ok    $entry ($log)"
  else
    echo "FAIL  $entry ($log)"; status=1
  fi
done
exit $status
