#!/usr/bin/env bash
# The size of every stored run, with everything kept (the compact run and its
# compressed console log), against the targets: an L4Re quick run under 500 KB,
# a Linux quick run under 2 MB.
#
#   scripts/store-size.sh [RESULTS...]   (default: Results Results/l4re)
set -euo pipefail
cd "$(dirname "$0")/.."
roots=("$@"); [ ${#roots[@]} -gt 0 ] || roots=(Results Results/l4re)
printf "%-62s %9s %9s %9s  %s\n" run "run KB" "log KB" "total KB" "target"
for root in "${roots[@]}"; do
  for run in "$root"/*/runs/*.l4bc; do
    [ -e "$run" ] || continue
    log="${run%.l4bc}.log.gz"
    r=$(( $(stat -c %s "$run") / 1024 )); l=0
    [ -e "$log" ] && l=$(( $(stat -c %s "$log") / 1024 ))
    target=$(grep -q '^L4BC1,meta,target,l4re' "$run" && echo "L4Re, under 500 KB" || echo "Linux, under 2048 KB")
    full=$(grep -q '^L4BC1,meta,samples,1000$' "$run" && echo " (--full)" || echo "")
    printf "%-62s %9d %9d %9d  %s%s\n" "${run#./}" "$r" "$l" "$((r + l))" "$target" "$full"
  done
done
