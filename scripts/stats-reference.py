#!/usr/bin/env python3
"""Reference values for the round-level statistics, computed independently
with numpy and scipy. Writes Tests/Fixtures/stats/reference.json, which
Tests/BenchStatsTests/RoundStatsTests.swift checks the Swift code against.

Run: python3 scripts/stats-reference.py
"""
import json, math, os
import numpy as np
from scipy import stats

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

path = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "stats", "reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
