# Owned QEMU boots of an L4Re entry, for scripts/l4re-examples.sh and
# scripts/docs-walkthrough.sh (sourced, not run).
#
#   boot_entry ENTRY MODULES_LIST SEARCH_PATH QEMU_ACCEL RAW_LOG   (starts it; sets boot_pid)
#   wait_for MARKER RAW_LOG LIMIT_SECONDS                         (sets why: empty when MARKER came)
#   stop_boot                                                      (TERM, then KILL, the boot's group)
#
# Each boot runs under setsid: a session and process group of its own, whose
# id is its PID. It is ended by that id, never by a pattern. L4BENCH_BOOT_CMD
# replaces the boot command (a stand-in QEMU for tests). Needs L4RE_OBJ and,
# for stop_boot, grace (seconds).

boot_pid=""

boot_entry() {
  local entry=$1 modules=$2 search=$3 accel=$4 raw=$5
  if [ -n "${L4BENCH_BOOT_CMD:-}" ]; then
    setsid bash -c "$L4BENCH_BOOT_CMD" >"$raw" 2>&1 </dev/null &
  else
    setsid make -C "$L4RE_OBJ" qemu E="$entry" MODULES_LIST="$modules" MODULE_SEARCH_PATH="$search" \
      QEMU_OPTIONS="-nographic -m 512 -smp 2 -cpu max $accel" >"$raw" 2>&1 </dev/null &
  fi
  boot_pid=$!
}

wait_for() {
  local marker=$1 raw=$2 limit=$3 start=$SECONDS
  why="time limit of ${limit} s"
  while :; do
    if grep -q "$marker" "$raw" 2>/dev/null; then why=""; break; fi
    if ! kill -0 "$boot_pid" 2>/dev/null; then why="QEMU exited before the example finished"; break; fi
    if [ $((SECONDS - start)) -ge "$limit" ]; then break; fi
    sleep 0.5
  done
}

stop_boot() {
  [ -n "$boot_pid" ] || return 0
  kill -TERM -- "-$boot_pid" 2>/dev/null || true
  local t=0
  while kill -0 "$boot_pid" 2>/dev/null && [ "$t" -lt $((grace * 10)) ]; do sleep 0.1; t=$((t + 1)); done
  kill -KILL -- "-$boot_pid" 2>/dev/null || true
  wait "$boot_pid" 2>/dev/null || true
  # Until nothing of the group is left (QEMU is make's child in the same group).
  t=0
  while kill -0 -- "-$boot_pid" 2>/dev/null && [ "$t" -lt 50 ]; do sleep 0.1; t=$((t + 1)); done
  boot_pid=""
}
