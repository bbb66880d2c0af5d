#!/usr/bin/env python3
"""Reference values for the statistics, computed independently with numpy and
scipy. Writes Tests/Fixtures/stats/reference.json (round-level t intervals,
Welch) and Tests/Fixtures/stats/sequential.json (Yuen's trimmed interval, the
looks of the alpha spending, and the error rates and power of the sequential
verdict in the audit's scenarios), which Tests/BenchStatsTests check the Swift
code against.

Run: python3 scripts/stats-reference.py        (numpy and scipy: pip install numpy scipy)
"""
import json, math, os
import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "Tests", "Fixtures", "stats")

# ---------------------------------------------------------------- reference.json (unchanged cases)
out = {"t_quantiles": [], "t_cdf": [], "intervals": [], "welch": []}
for df in [1, 2, 3, 4, 5, 9, 19, 29, 100, 1000]:
    for p in [0.9, 0.95, 0.975, 0.995]:
        out["t_quantiles"].append({"df": df, "p": p, "t": float(stats.t.ppf(p, df))})
for df in [1, 3, 9, 50]:
    for t in [-3.0, -0.5, 0.0, 1.2, 2.5, 7.0]:
        out["t_cdf"].append({"df": df, "t": t, "cdf": float(stats.t.cdf(t, df))})

rng = np.random.default_rng(20261127)
for case in range(12):
    n = [2, 3, 5, 10, 10, 20, 40, 7, 10, 3, 15, 10][case]
    level = [0.95, 0.99][case % 2]
    ratios = np.exp(rng.normal(0.02 * (case % 3 - 1), 0.01 + 0.01 * (case % 4), n))
    logs = np.log(ratios)
    m = logs.mean()
    sd = logs.std(ddof=1)
    lo, hi = stats.t.interval(level, n - 1, loc=m, scale=sd / math.sqrt(n))
    out["intervals"].append({"ratios": ratios.tolist(), "level": level,
                             "estimate": float(math.exp(m)), "lo": float(math.exp(lo)), "hi": float(math.exp(hi))})

for case in range(8):
    na, nb = [10, 10, 5, 20, 3, 10, 8, 12][case], [10, 12, 7, 20, 3, 4, 8, 6][case]
    a = np.exp(rng.normal(math.log(1000), 0.01 * (1 + case % 3), na))
    b = np.exp(rng.normal(math.log(1000) + 0.01 * (case - 3), 0.015, nb))
    r = stats.ttest_ind(np.log(b), np.log(a), equal_var=False)
    out["welch"].append({"baseline": a.tolist(), "current": b.tolist(), "p": float(r.pvalue),
                         "estimate": float(math.exp(np.log(b).mean() - np.log(a).mean()))})

with open(os.path.join(FIX, "reference.json"), "w") as f:
    json.dump(out, f, indent=1)

# ---------------------------------------------------------------- sequential.json
TRIM = 0.2
RESOLUTION = 0.02
ALPHA = 0.05
FRACTIONS = [0.25, 0.4, 0.55, 0.7, 0.85, 1.0]
MIN_ROUNDS = 3


def yuen(logs, level):
    """Yuen's trimmed-mean t interval: scipy's trim_mean and winsorize, t.ppf."""
    x = np.sort(np.asarray(logs, dtype=float))
    n = len(x)
    g = int(math.floor(TRIM * n)) if n >= 5 else 0
    h = n - 2 * g
    mean = float(stats.trim_mean(x, g / n)) if g > 0 else float(x.mean())
    w = np.asarray(stats.mstats.winsorize(x, limits=(g / n, g / n))) if g > 0 else x
    sw2 = float(np.var(w, ddof=1))
    se = math.sqrt(sw2 * (n - 1) / (h * (h - 1)))
    half = float(stats.t.ppf(1 - (1 - level) / 2, h - 1)) * se
    return mean, mean - half, mean + half, h - 1


def looks(n_rounds_done, max_rounds, last_is_final=True):
    """Looks by round fraction (no time budget): (rounds, alpha) pairs."""
    res, spent, target, nxt = [], 0.0, 0.0, 0
    for i in range(n_rounds_done):
        r = i + 1
        t = r / max_rounds
        while nxt < len(FRACTIONS) and t >= FRACTIONS[nxt] - 1e-12:
            target = FRACTIONS[nxt]
            nxt += 1
        if last_is_final and i == n_rounds_done - 1:
            target = 1.0
        if target > spent and r >= MIN_ROUNDS:
            res.append((r, ALPHA * (target - spent)))
            spent = target
    return res


def verdict(logs, level):
    if len(logs) >= 2 and all(v == logs[0] for v in logs):
        return "exact"
    if len(logs) < 2:
        return "few"
    _, lo, hi, _ = yuen(logs, level)
    if lo > 0:
        return "slower"
    if hi < 0:
        return "faster"
    if max(abs(lo), abs(hi)) <= RESOLUTION:
        return "parity"
    return "inconclusive"


def settle(logs, lk):
    last = "none"
    for r, a in lk:
        v = verdict(logs[:r], 1 - a)
        if v in ("faster", "slower", "parity"):
            return v
        last = v
    return last


def simulate(rng, reps, rounds, shift, noise, drift_sd=0.03, phi=0.8, bad_block=None, tails=None,
             platform=0.0, within=0.0):
    """Per-round log values of swift-swift and both C++ runs (cpp-cpp, cpp-cpp.b), the ratio
    to their geometric mean, settled at the looks of a run of `rounds` rounds."""
    lk = looks(rounds, rounds)
    counts = {"faster": 0, "slower": 0, "parity": 0, "inconclusive": 0, "none": 0, "few": 0, "exact": 0}
    for _ in range(reps):
        d = np.empty(rounds)
        d[0] = rng.normal(0, drift_sd)
        for r in range(1, rounds):
            d[r] = phi * d[r - 1] + rng.normal(0, drift_sd * math.sqrt(1 - phi * phi))
        def eps():
            if tails:
                return rng.standard_t(tails, rounds) * noise / math.sqrt(tails / (tails - 2))
            return rng.normal(0, noise, rounds)
        plat = np.where(np.arange(rounds) >= rounds // 2, platform, 0.0)
        s = d + plat + shift + eps() + within * rng.uniform(0, 1, rounds)
        c1 = d + plat + eps() + within * rng.uniform(0, 1, rounds)
        c2 = d + plat + eps() + within * rng.uniform(0, 1, rounds)
        if bad_block is not None:
            c1[bad_block] += math.log(1.3)
        logs = list(s - (c1 + c2) / 2)
        counts[settle(logs, lk)] += 1
    return {k: v / reps for k, v in counts.items()}


seq = {"trimmed": [], "looks": [], "scenarios": []}
rng = np.random.default_rng(20261201)
for case in range(10):
    n = [2, 3, 4, 5, 6, 10, 11, 20, 37, 60][case]
    level = [0.95, 0.99, 0.9875][case % 3]
    logs = rng.normal(0.01 * (case % 3 - 1), 0.01 + 0.005 * (case % 4), n)
    if case % 2 == 1:
        logs[0] += 0.3  # one bad unit
    mean, lo, hi, df = yuen(logs, level)
    seq["trimmed"].append({"logs": logs.tolist(), "level": level, "mean": mean, "lo": lo, "hi": hi, "df": df})
for n, mx in [(2, 40), (3, 40), (10, 40), (16, 40), (40, 40), (5, 5), (3, 3), (7, 20), (12, 12)]:
    seq["looks"].append({"rounds": n, "maxRounds": mx, "looks": [{"rounds": r, "alpha": a} for r, a in looks(n, mx)]})

REPS = 2000
NOISE = 0.015
scenarios = [
    ("drift, no difference", dict(rounds=40, shift=0.0, noise=NOISE)),
    ("shift 1%", dict(rounds=40, shift=math.log(1.01), noise=NOISE)),
    ("shift 2%", dict(rounds=40, shift=math.log(1.02), noise=NOISE)),
    ("shift 3%", dict(rounds=40, shift=math.log(1.03), noise=NOISE)),
    ("shift 5%", dict(rounds=40, shift=math.log(1.05), noise=NOISE)),
    ("shift 10%", dict(rounds=40, shift=math.log(1.10), noise=NOISE)),
    ("one bad cpp-cpp block, no difference", dict(rounds=40, shift=0.0, noise=NOISE, bad_block=1)),
    ("one bad cpp-cpp block, 5% difference", dict(rounds=40, shift=math.log(1.05), noise=NOISE, bad_block=1)),
    ("2 rounds", dict(rounds=2, shift=0.0, noise=NOISE)),
    ("3 rounds", dict(rounds=3, shift=0.0, noise=NOISE)),
    ("4 rounds", dict(rounds=4, shift=0.0, noise=NOISE)),
    ("5 rounds", dict(rounds=5, shift=0.0, noise=NOISE)),
    ("5 rounds, 10% difference", dict(rounds=5, shift=math.log(1.10), noise=NOISE)),
    ("heavy tails (t3), no difference", dict(rounds=40, shift=0.0, noise=NOISE, tails=3)),
    ("heavy tails (t3), 2% difference", dict(rounds=40, shift=math.log(1.02), noise=NOISE, tails=3)),
    ("platform shift of all pairs", dict(rounds=40, shift=0.0, noise=NOISE, platform=math.log(1.05))),
    ("drift within a round", dict(rounds=40, shift=0.0, noise=NOISE, within=0.05)),
]
for name, kw in scenarios:
    rates = simulate(rng, REPS, **kw)
    row = {"name": name, "reps": REPS, "rates": rates}
    row.update({k: (v if not isinstance(v, float) else v) for k, v in kw.items()})
    seq["scenarios"].append(row)
    claim = rates["faster"] + rates["slower"]
    print(f"{name:40s} claim {claim:.3f}  parity {rates['parity']:.3f}  inconclusive {rates['inconclusive'] + rates['none'] + rates['few']:.3f}")

with open(os.path.join(FIX, "sequential.json"), "w") as f:
    json.dump(seq, f, indent=1)
print("wrote", os.path.normpath(FIX))
