#!/usr/bin/env python3
"""Generate a synthetic results file (format v1) for tests and the speed benchmark.

Groups: suites x benchmarks x 4 pairs x placements x params, samples spread
over rounds. Cycle counts are drawn around a per-group base with a right tail.
--shift scales one pair's values (to fake a regression).
"""
import argparse, random, sys

PAIRS = [("swift", "swift"), ("swift", "cpp"), ("cpp", "swift"), ("cpp", "cpp")]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=10_000_000, help="total samples")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shift", type=float, default=0.0, help="relative shift applied to --shift-pair")
    ap.add_argument("--shift-pair", default="swift-swift")
    ap.add_argument("--run-id", default="synthetic-1")
    ap.add_argument("--machine", default="synthetic")
    ap.add_argument("--date", default="2026-11-25T06:00:00Z")
    ap.add_argument("--commit", default="0000000")
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    benches = [("futex", "ipc.roundtrip", ["words=0", "words=8", "words=63"], 9500),
               ("seqpacket", "ipc.roundtrip", ["words=0"], 14000),
               ("scm", "cap.transfer", ["-"], 21000),
               ("memfd", "ds.share.touch", ["bytes=4096", "bytes=65536"], 30000)]
    groups = []
    for suite, bench, params, base in benches:
        for placement in ("same-core", "cross-core"):
            for param in params:
                for c, s in PAIRS:
                    g = base * (6 if placement == "cross-core" else 1) * (1 + 0.03 * rnd.random())
                    if f"{c}-{s}" == a.shift_pair:
                        g *= 1 + a.shift
                    groups.append((f"{suite},{bench},{c},{s},{placement},{param}", g))
    per_block = max(1, a.samples // (len(groups) * a.rounds))
    out = sys.stdout if a.output == "-" else open(a.output, "w")
    w = out.write
    w(f"L4B1,begin,{a.run_id}\n")
    for k, v in [("target", "linux"), ("accel", "native"), ("cpu", "Synthetic CPU @ 2.60GHz"),
                 ("tsc_hz", "2600000000"), ("commit", a.commit), ("date", a.date),
                 ("toolchain", "swift 6.3.1; g++ 12.2.0"), ("samples", str(per_block * a.rounds)),
                 ("warmup", "100"), ("overhead_cycles", "24"), ("machine", a.machine),
                 ("rounds", str(a.rounds))]:
        w(f"L4B1,meta,{k},{v}\n")
    n = 0
    total = per_block * len(groups) * a.rounds
    remaining = a.samples - total
    # Pre-draw a pool of noise multipliers for speed.
    pool = [1 + abs(rnd.gauss(0, 0.04)) + (rnd.expovariate(1) * 0.3 if rnd.random() < 0.02 else 0) for _ in range(65536)]
    for r in range(a.rounds):
        order = list(range(len(groups)))
        rnd.shuffle(order)
        for gi in order:
            key, base = groups[gi]
            count = per_block + (1 if gi < remaining and r == 0 else 0)
            lines = []
            off = rnd.randrange(65536)
            for i in range(count):
                lines.append(f"L4B1,s,{key},{r},{i},{int(base * pool[(off + i * 7919) & 65535])}\n")
            w("".join(lines))
            n += count
    w(f"L4B1,end,{a.run_id},{n}\n")
    if out is not sys.stdout:
        out.close()

if __name__ == "__main__":
    main()
