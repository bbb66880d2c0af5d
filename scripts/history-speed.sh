#!/usr/bin/env bash
# History over a generated store of N runs (default 1000), each with G groups
# (default 250) and its summary line: prints the wall time of `l4bench history`
# reading the summaries, and of the same history with the summaries removed
# (every run parsed), side by side.
#
#   scripts/history-speed.sh [N] [G]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}; g=${2:-250}
swift build -c release --product l4bench >/dev/null
bin=$PWD/.build/release/l4bench
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$work" "$n" "$g" <<'PY'
import json, os, random, sys
root, n, g = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runs = os.path.join(root, "gen", "runs"); os.makedirs(runs)
rng = random.Random(7)
pairs = ["swift-swift", "swift-cpp", "cpp-swift", "cpp-cpp", "cpp-cpp.b"]
keys = []
for i in range(g):
    c, s = pairs[i % 5].split("-", 1)
    keys.append(("futex", f"b{i // 10}", c, s, "same-core", f"words={i % 2}"))
summaries = []
for r in range(n):
    day, sec = 1 + r // 100, r % 100
    name = f"202611{day:02d}T00{sec // 60:02d}{sec % 60:02d}Z_{r:012x}.l4bc"
    meta = [("target","linux"),("accel","native"),("cpu","c"),("tsc_hz","1000"),("commit",f"{r:012x}"),
            ("date",f"2026-11-{day:02d}T00:{sec // 60:02d}:{sec % 60:02d}Z"),("toolchain","t"),("samples","3"),
            ("warmup","0"),("overhead_cycles","1"),("machine","gen")]
    lines = [f"L4BC1,begin,r{r}"] + [f"L4BC1,meta,{k},{v}" for k, v in meta]
    groups = []
    for k in keys:
        v = 10000 + rng.randint(0, 200) + (300 if r > n // 2 and k[2] == "swift" else 0)
        lines.append("L4BC1,g," + ",".join(k) + f",0,3,{v} 1*2")
        groups.append(",".join(k) + "\t" + repr(v + 1.0))
    lines.append(f"L4BC1,end,r{r},{3 * g}")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(runs, name), "w") as f: f.write(text)
    summaries.append(json.dumps({"file": name, "bytes": len(text.encode()), "id": f"r{r}", "commit": f"{r:012x}",
                                 "date": meta[5][1], "machine": "gen", "accel": "native", "groups": "\n".join(groups)}, separators=(",", ":")))
with open(os.path.join(root, "gen", "summaries.jsonl"), "w") as f: f.write("\n".join(summaries) + "\n")
PY
t() { python3 -c 'import subprocess, sys, time
s = time.time(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(f"{time.time() - s:.3f}")' "$@"; }
with=$(t "$bin" history --results "$work" --machine gen)
mv "$work/gen/summaries.jsonl" "$work/summaries.off"
without=$(t "$bin" history --results "$work" --machine gen)
printf "history over %d runs of %d groups: %.2f s from the summaries, %.2f s parsing every run\n" "$n" "$g" "$with" "$without"
