#!/usr/bin/env python3
"""Mutants of real stored runs through the CLI: report, compare (both ways),
export (csv, read back by report), history over a store holding the mutant.
Every command must end with a documented exit code (never a signal: 132 SIGILL,
134 SIGABRT, 139 SIGSEGV) and stay below 1 GB of RSS.

Usage: scripts/store-mutants.py L4BENCH COUNT [SEED]   (prints a tally; exit 1 on a finding)
"""
import os, random, re, shutil, subprocess, sys, tempfile, zlib

L4BENCH, COUNT = os.path.abspath(sys.argv[1]), int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 18)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = [os.path.join(d, f) for d in [os.path.join(ROOT, "Results/vm/runs")] +
        [os.path.join(ROOT, "Results/l4re", m, "runs") for m in sorted(os.listdir(os.path.join(ROOT, "Results/l4re")))]
        if os.path.isdir(d) for f in sorted(os.listdir(d)) if f.endswith(".l4bc")]
RUNS = [r for r in RUNS if os.path.getsize(r) < 200_000]  # the small ones: fast enough for thousands
DOCUMENTED = {0, 1, 2, 3, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
BOUNDARY = [b"0", b"1", b"4294967296", b"9223372036854775807", b"9223372036854775808", b"18446744073709551615",
            b"18446744073709551616", b"99999999999999999999", b"-1", b"", b"67108865", b"1000000000"]

def resum(data):
    lines = data.split(b"\n")
    out, block, sums = [], b"", b""
    for l in lines:
        if l.startswith(b"L4BC1,sum,"):
            h = b"%08x" % zlib.crc32(block); out.append(b"L4BC1,sum," + h); sums += h; block = b""
        elif l.startswith(b"L4BC1,end,"):
            f = l.split(b",")
            if len(f) == 5: f[4] = b"%08x" % zlib.crc32(sums)
            out.append(b",".join(f))
        else:
            out.append(l)
            if l or out: block += l + b"\n"
    return b"\n".join(out)

def mutate(data):
    kind = rng.randrange(7)
    b = bytearray(data)
    if kind == 0:                       # flip bytes
        for _ in range(rng.randrange(1, 4)):
            i = rng.randrange(len(b)); b[i] ^= 1 << rng.randrange(8)
        return bytes(b), "flip"
    if kind == 1:                       # cut
        return bytes(b[:rng.randrange(len(b))]), "cut"
    lines = bytes(b).split(b"\n")
    i = rng.randrange(len(lines))
    f = lines[i].split(b",")
    if kind == 2:                       # a field to a boundary number
        f[rng.randrange(len(f))] = rng.choice(BOUNDARY); lines[i] = b",".join(f); what = "field"
    elif kind == 3 and len(f) >= 11:    # a values token
        t = f[10].split(b" "); j = rng.randrange(len(t)); n = rng.choice(BOUNDARY)
        t[j] = rng.choice([n, t[j].split(b"*")[0] + b"*" + n, b"0*" + n])
        f[10] = b" ".join(t); lines[i] = b",".join(f); what = "token"
    elif kind == 4:                     # duplicate / drop a line
        if rng.random() < .5: lines.insert(i, lines[i])
        else: del lines[i]
        what = "line"
    elif kind == 5:                     # control characters in a key or value
        lines[i] = lines[i].replace(b",", b",\x1b[31m", 1) if rng.random() < .5 else lines[i].replace(b",", b",\xc2\x85", 1); what = "control"
    else:                               # contradicting metadata
        lines.insert(2, b"L4BC1,meta,accel," + rng.choice([b"kvm", b"tcg", b"", b"mars"])); what = "meta"
    out = b"\n".join(lines)
    return (resum(out), what + "+resum") if rng.random() < .7 else (out, what)

def run(args, cwd):
    p = subprocess.run(["/usr/bin/time", "-f", "RSS %M"] + args, cwd=cwd, capture_output=True, timeout=120)
    m = re.findall(rb"RSS (\d+)", p.stderr)
    return p.returncode, int(m[-1]) if m else 0, p.stderr

findings, tally = [], {}
work = tempfile.mkdtemp(prefix="store-mutants-")
# Each run also as stored now (with checksums): the mutants then reach the checks behind them after a resum.
for r in list(RUNS):
    dest = os.path.join(work, "sums-" + os.path.basename(r))
    subprocess.run([L4BENCH, "export", "--format", "compact", r, "-o", dest], check=True, capture_output=True)
    RUNS.append(dest)
try:
    for k in range(COUNT):
        src = rng.choice(RUNS)
        data, what = mutate(open(src, "rb").read())
        d = os.path.join(work, "m")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, "Results/m/runs"))
        good = os.path.join(d, "Results/m/runs/20260101T000000Z_good.l4bc")
        bad = os.path.join(d, "Results/m/runs/20260102T000000Z_bad.l4bc")
        shutil.copy(src, good)
        open(bad, "wb").write(data)
        cmds = [["report", bad, "--no-html", "--quiet"],
                ["compare", good, bad], ["compare", bad, good],
                ["export", "--format", "csv", bad, "-o", os.path.join(d, "x.csv")],
                ["history", "--results", os.path.join(d, "Results")]]
        for c in cmds:
            rc, rss, err = run([L4BENCH] + c, d)
            tally[(c[0], rc)] = tally.get((c[0], rc), 0) + 1
            if rc not in DOCUMENTED or rc < 0 or rss > 1_000_000:
                findings.append((src, what, c[0], rc, rss, err[-300:]))
                open(os.path.join(work, "finding-%d.l4bc" % len(findings)), "wb").write(data)
            if c[0] == "export" and rc == 0:
                rc2, _, err2 = run([L4BENCH, "report", os.path.join(d, "x.csv"), "--no-html", "--quiet"], d)
                if rc2 != 0: findings.append((src, what, "export csv read back", rc2, 0, err2[-300:]))
            if c[0] == "history" and rc not in (0, 8):
                findings.append((src, what, "history (expected 0 or 8)", rc, rss, err[-300:]))
finally:
    for key in sorted(tally): print("%-8s exit %3d: %d" % (key[0], key[1], tally[key]))
    for f in findings[:20]: print("FINDING", f)
    print("%d mutants, %d findings%s" % (COUNT, len(findings), (", kept in " + work) if findings else ""))
    if not findings: shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if findings else 0)
