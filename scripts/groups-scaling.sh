#!/usr/bin/env bash
# Scaling in the number of groups: generates runs of 10k, 100k and 1M groups
# (4 samples each, 2 rounds) and prints the wall time and peak memory of
# `report` (with --stats-csv) and `compare` for each, side by side. Time and
# memory should grow about linearly with the groups.
#
#   scripts/groups-scaling.sh [SIZES...]     (default: 10000 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
swift build -c release --product l4bench >/dev/null
bin=$PWD/.build/release/l4bench
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
printf "%10s  %14s  %14s  %14s  %14s\n" groups "report s" "report MB" "compare s" "compare MB"
for n in "${sizes[@]}"; do
  f="$work/g$n.csv"
  python3 - "$n" "$f" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as out:
    out.write("L4B1,begin,scale\n")
    for k, v in [("target","linux"),("accel","native"),("cpu","c"),("tsc_hz","1000"),("commit","x"),
                 ("date","2026-11-27"),("toolchain","t"),("samples","2"),("warmup","0"),("overhead_cycles","1")]:
        out.write(f"L4B1,meta,{k},{v}\n")
    rows = []
    for g in range(n):
        for r in range(2):
            for i in range(2):
                rows.append(f"L4B1,s,s{g % 97},b{g},swift,cpp,same-core,p{g // 97},{r},{i},{1000 + (g * 7 + r * 3 + i) % 50}\n")
        if len(rows) > 100000:
            out.write("".join(rows)); rows = []
    out.write("".join(rows))
    out.write(f"L4B1,end,scale,{n * 4}\n")
PY
  measure() { /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$work/time" || true; tail -1 "$work/time"; }
  read -r rs rm < <(measure "$bin" report "$f" --quiet --no-html --stats-csv "$work/stats.csv")
  read -r cs cm < <(measure "$bin" compare "$f" "$f")
  printf "%10s  %14s  %14s  %14s  %14s\n" "$n" "$rs" "$((rm / 1024))" "$cs" "$((cm / 1024))"
done
