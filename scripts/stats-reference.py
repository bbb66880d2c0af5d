#!/usr/bin/env python3
"""Reference values for the statistics, computed independently with numpy and
scipy. Writes Tests/Fixtures/stats/reference.json (round-level t intervals,
Welch) and Tests/Fixtures/stats/sequential.json (Yuen's trimmed interval, the
looks of the alpha spending, and the error rates and power of the sequential
verdict in the audit's scenarios), which Tests/BenchStatsTests check the Swift
code against.

Also Tests/Fixtures/stats/gate.json: the compare gate's family-wise false-alarm rate
and power over pairs of simulated runs (one or several runs per side), and the
random-effects test of several runs per side against scipy.

Run: python3 scripts/stats-reference.py        (numpy and scipy: pip install numpy scipy)
     GATE_ONLY=1 python3 scripts/stats-reference.py    (only gate.json; GATE_REPS=N compares each,
                                                        GATE_ROUNDS=N rounds a run; the tests expect 20)
"""
import json, math, os
import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "Tests", "Fixtures", "stats")

def binom_ci(k, n, level=0.95):
    lo = stats.beta.ppf((1 - level) / 2, k, n - k + 1) if k > 0 else 0.0
    hi = stats.beta.ppf(1 - (1 - level) / 2, k + 1, n - k) if k < n else 1.0
    return float(lo), float(hi)


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
SMALL_REPS = 20000
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
for name, kw in (scenarios if os.environ.get("GATE_ONLY") != "1" else []):
    # Few rounds are cheap, and their rate sits at the nominal 5% (the exact t interval):
    # 20,000 replicates put it within +-0.3% (95%), where 2,000 left +-1%.
    reps = SMALL_REPS if kw["rounds"] <= 5 else REPS
    rates = simulate(rng, reps, **kw)
    row = {"name": name, "reps": reps, "rates": rates}
    row.update({k: (v if not isinstance(v, float) else v) for k, v in kw.items()})
    seq["scenarios"].append(row)
    claim = rates["faster"] + rates["slower"]
    lo, hi = binom_ci(round(claim * reps), reps)
    print(f"{name:40s} claim {claim:.4f} [{lo:.4f}, {hi:.4f}]  parity {rates['parity']:.3f}  inconclusive {rates['inconclusive'] + rates['none'] + rates['few']:.3f}")

if os.environ.get("GATE_ONLY") != "1":
    with open(os.path.join(FIX, "sequential.json"), "w") as f:
        json.dump(seq, f, indent=1)
    print("wrote", os.path.normpath(FIX))

# ---------------------------------------------------------------- gate.json: the compare gate, family-wise
# Pairs of runs of identical binaries (and one pair regressing 5%), judged by the gate's rule
# re-implemented here: per group and percentile, the pair's per-round ratio to cpp-cpp;
# one run per side: Welch's t on the log ratios over rounds with 2 * sd^2 (the stated
# between-run sd) added to the variance; several runs per side: the random-effects test
# (each run's mean log ratio is one unit, pooled two-sample t with ka + kb - 2 df).
# Holm over every tested percentile of every gateable pair (not cpp-cpp, not the A/A
# control) at family-wise alpha 0.01; a regression also needs its threshold
# (p50 2%, p90 5%, p99 10%). A compare fails the gate when any pair regresses.
GATE_ALPHA = 0.01
GATE_THRESH = {50: 0.02, 90: 0.05, 99: 0.10}
GATE_BENCH = 64          # benchmarks x placements x parameters
GATE_ROUNDS = int(os.environ.get("GATE_ROUNDS", "20"))  # rounds per run (a quick run on a busy machine has 20 to 70)
GATE_PAIRS = ["cpp-cpp", "cpp-cpp.b", "swift-swift", "swift-cpp", "cpp-swift", "cpp.gcc-cpp.gcc"]
GATEABLE = [2, 3, 4, 5]  # 64 x 4 = 256 groups that can fail the gate
# Per-round model of one run: log p50 = common AR(1) drift of the round (phi 0.8, 3%) + the
# pair's level in this run + noise (t with 3 df, sd 1.5%); p90 and p99 add their own noise
# (t3, sd 2% and 5%). The pair's level: every pair, cpp-cpp included, draws its own level per
# run with sd `between` / sqrt(2), so that a pair's ratio to cpp-cpp moves by sd `between`
# from run to run (the quantity --between-run-sd states).
PCT_NOISE = {50: 0.015, 90: 0.02, 99: 0.05}


def t3(rng, shape, sd):
    return rng.standard_t(3, shape) * sd / math.sqrt(3.0)


def gate_run(rng, rounds, between, regress=0.0):
    """Log ratios to cpp-cpp of one run: {pct: array (bench, pair, round)} for the gateable pairs."""
    npairs = len(GATE_PAIRS)
    d = np.empty(rounds)
    d[0] = rng.normal(0, 0.03)
    for r in range(1, rounds):
        d[r] = 0.8 * d[r - 1] + rng.normal(0, 0.03 * math.sqrt(1 - 0.64))
    level = rng.normal(0, between / math.sqrt(2), (GATE_BENCH, npairs, 1))
    base = d[None, None, :] + level + t3(rng, (GATE_BENCH, npairs, rounds), PCT_NOISE[50])
    base[0, 2, :] += regress  # swift-swift of the first benchmark
    out = {}
    for p in (50, 90, 99):
        v = base if p == 50 else base + math.log(1 + p / 1000) + t3(rng, (GATE_BENCH, npairs, rounds), PCT_NOISE[p])
        out[p] = v[:, GATEABLE, :] - v[:, 0:1, :]
    return out


def holm(p, alpha):
    order = np.argsort(p, kind="stable")
    rej = np.zeros(len(p), dtype=bool)
    for rank, i in enumerate(order):
        if p[i] > alpha / (len(p) - rank):
            break
        rej[i] = True
    return rej


def gate_compare(base_runs, cur_runs, stated_sd):
    """One compare: (failed the gate, the regressing group 0's p50 flagged)."""
    pvals, changes, thresh, first = [], [], [], []
    for p in (50, 90, 99):
        if len(base_runs) == 1 and len(cur_runs) == 1:
            a, b = base_runs[0][p], cur_runs[0][p]
            na, nb = a.shape[-1], b.shape[-1]
            ma, mb = a.mean(-1), b.mean(-1)
            sa, sb = a.var(-1, ddof=1) / na, b.var(-1, ddof=1) / nb
            se = np.sqrt(sa + sb + 2 * stated_sd ** 2)
            df = (sa + sb) ** 2 / (sa ** 2 / (na - 1) + sb ** 2 / (nb - 1))
            diff = mb - ma
            pv = 2 * stats.t.sf(np.abs(diff) / se, df)
        else:
            ma = np.stack([r[p].mean(-1) for r in base_runs])   # (runs, bench, pair)
            mb = np.stack([r[p].mean(-1) for r in cur_runs])
            ka, kb = len(base_runs), len(cur_runs)
            ss = ((ma - ma.mean(0)) ** 2).sum(0) + ((mb - mb.mean(0)) ** 2).sum(0)
            df = ka + kb - 2
            se = np.sqrt(ss / df * (1 / ka + 1 / kb))
            diff = mb.mean(0) - ma.mean(0)
            pv = 2 * stats.t.sf(np.abs(diff) / se, df)
        pvals.append(pv.ravel()); changes.append(np.expm1(diff).ravel())
        thresh.append(np.full(pv.size, GATE_THRESH[p])); first.append(np.arange(pv.size) == 0 if p == 50 else np.zeros(pv.size, bool))
    pv, ch, th, fi = map(np.concatenate, (pvals, changes, thresh, first))
    rej = holm(pv, GATE_ALPHA)
    reg = rej & (ch > th)
    return bool(reg.any()), bool((reg & fi).any())


def gate_rate(rng, reps, runs=1, between=0.005, stated=0.005, rounds=GATE_ROUNDS, regress=0.0):
    fails = hits = 0
    for _ in range(reps):
        base = [gate_run(rng, rounds, between) for _ in range(runs)]
        cur = [gate_run(rng, rounds, between, regress) for _ in range(runs)]
        f, h = gate_compare(base, cur, stated)
        fails += f; hits += h
    return fails / reps, hits / reps


if __name__ == "__main__" and os.environ.get("GATE_REPS", "1") != "0":
    GATE_REPS = int(os.environ.get("GATE_REPS", "1000"))
    rng = np.random.default_rng(20261202)
    gate = {"groups": GATE_BENCH * len(GATEABLE), "tests": GATE_BENCH * len(GATEABLE) * 3, "alpha": GATE_ALPHA,
            "rounds": GATE_ROUNDS, "scenarios": [], "replicate": []}
    # The random-effects test of several runs per side against scipy's pooled t test of the run means.
    for case in range(8):
        ka, kb = [2, 3, 2, 5, 1, 3, 4, 2][case], [2, 3, 1, 5, 3, 2, 4, 4][case]
        def side(k, shift):
            return [np.exp(rng.normal(math.log(1000) + shift + rng.normal(0, 0.01), 0.02, int(rng.integers(3, 30)))).tolist()
                    for _ in range(k)]
        a, b = side(ka, 0.0), side(kb, 0.01 * (case - 3))
        ma = [float(np.mean(np.log(x))) for x in a]
        mb = [float(np.mean(np.log(x))) for x in b]
        r = stats.ttest_ind(mb, ma, equal_var=True)
        gate["replicate"].append({"baseline": a, "current": b, "p": float(r.pvalue),
                                  "estimate": float(math.exp(np.mean(mb) - np.mean(ma))), "df": ka + kb - 2})
    gate_scenarios = [
        ("identical binaries, between-run sd 0.5% (as stated)", dict(between=0.005)),
        ("identical binaries, between-run sd 0.71% (each pair 0.5%, cpp-cpp too)", dict(between=0.005 * math.sqrt(2))),
        ("identical binaries, between-run sd 1% (stated 0.5%: wrong)", dict(between=0.01)),
        ("one pair 5% slower, between-run sd 0.5%", dict(between=0.005, regress=math.log(1.05))),
        ("identical, 1% between runs, 3 runs per side (estimated)", dict(between=0.01, runs=3)),
        ("identical, 1% between runs, 5 runs per side (estimated)", dict(between=0.01, runs=5)),
        ("one pair 5% slower, 1% between runs, 5 runs per side", dict(between=0.01, runs=5, regress=math.log(1.05))),
        ("one pair 10% slower, 1% between runs, 5 runs per side", dict(between=0.01, runs=5, regress=math.log(1.10))),
    ]
    for name, kw in gate_scenarios:
        reps = GATE_REPS if kw.get("runs", 1) == 1 else max(1, GATE_REPS // 2)
        fail, hit = gate_rate(rng, reps, **kw)
        lo, hi = binom_ci(round(fail * reps), reps)
        gate["scenarios"].append({"name": name, "reps": reps, "fail": fail, "fail_lo": lo, "fail_hi": hi, "found": hit, **kw})
        print(f"gate: {name:70s} fails {fail:.3f} [{lo:.3f}, {hi:.3f}]  finds the regressing pair {hit:.3f}  ({reps} compares)")
    # Runs of unequal length: a run mean's variance is tau^2 + s^2 / n_j with n_j differing from run
    # to run, which the pooled t test of the run means takes as one variance. Its per-test rate at
    # the levels Holm uses (down to 0.01 / 768 = 1.3e-5), relative to nominal, 1,000,000 tests each.
    gate["unequal_rounds"] = []
    for k, (lo, hi), tau in [(4, (10, 70), 0.0), (4, (1, 70), 0.0), (3, (10, 70), 0.0), (4, (10, 70), 0.1)]:
        n = rng.integers(lo, hi + 1, (1_000_000, 2 * k))
        m = rng.normal(0, 1, n.shape) / np.sqrt(n) + rng.normal(0, tau, n.shape)
        a, b = m[:, :k], m[:, k:]
        ss = ((a - a.mean(1, keepdims=True)) ** 2).sum(1) + ((b - b.mean(1, keepdims=True)) ** 2).sum(1)
        t = (b.mean(1) - a.mean(1)) / np.sqrt(ss / (2 * k - 2) * (2 / k))
        pv = 2 * stats.t.sf(np.abs(t), 2 * k - 2)
        rel = {f"{x:g}": float(np.mean(pv < x) / x) for x in (0.05, 0.01, 1e-3, 1e-4, 1.3e-5)}
        gate["unequal_rounds"].append({"runs_per_side": k, "rounds": [lo, hi], "tau_over_round_sd": tau, "rate_over_nominal": rel})
        print(f"gate: unequal rounds {k} runs per side, {lo} to {hi} rounds, tau {tau}: rate / nominal",
              " ".join(f"{x}: {v:.2f}" for x, v in rel.items()))
    with open(os.path.join(FIX, "gate.json"), "w") as f:
        json.dump(gate, f, indent=1)
