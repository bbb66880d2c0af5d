#!/usr/bin/env python3
"""Compute the per-group statistics of a results file with pandas, polars or
DuckDB, time the work in-process, and compare the numbers with l4bench's
--stats-csv output. Usage: compare_tools.py TOOL RESULTS.csv L4BENCH_STATS.csv
Prints one line: TOOL seconds peak_rss_mb groups max_rel_diff
"""
import resource, sys, time

KEYS = ["suite", "benchmark", "client", "server", "placement", "param"]
COLS = ["tag", "kind"] + KEYS + ["round", "iteration", "cycles"]
STATS = ["n", "min", "p50", "p90", "p99", "max", "mean", "sd", "mad"]


def header_lines(path):
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"L4B1,s,"):
                return n
            n += 1
    return n


def run_pandas(path, skip):
    import pandas as pd
    df = pd.read_csv(path, header=None, names=COLS, skiprows=skip, engine="c",
                     dtype={"cycles": "float64"}, on_bad_lines="skip")
    df = df[df["kind"] == "s"]
    g = df.groupby(KEYS, sort=False)["cycles"]
    out = g.agg(n="count", min="min", p50="median", max="max", mean="mean", sd="std")
    out["p90"] = g.quantile(0.9)
    out["p99"] = g.quantile(0.99)
    med = g.transform("median")
    out["mad"] = (df["cycles"] - med).abs().groupby([df[k] for k in KEYS], sort=False).median()
    return {tuple(map(str, k)): {s: float(out.loc[k, s]) for s in STATS} for k in out.index}


def run_polars(path, skip):
    import polars as pl
    df = pl.read_csv(path, has_header=False, new_columns=COLS, skip_rows=skip,
                     truncate_ragged_lines=True, schema_overrides={"cycles": pl.Float64, "param": pl.Utf8})
    df = df.filter(pl.col("kind") == "s")
    c = pl.col("cycles")
    out = df.group_by(KEYS).agg(
        c.count().alias("n"), c.min().alias("min"), c.quantile(0.5, "linear").alias("p50"),
        c.quantile(0.9, "linear").alias("p90"), c.quantile(0.99, "linear").alias("p99"),
        c.max().alias("max"), c.mean().alias("mean"), c.std().alias("sd"),
        (c - c.median()).abs().median().alias("mad"))
    return {tuple(str(r[k]) for k in KEYS): {s: float(r[s]) for s in STATS} for r in out.iter_rows(named=True)}


def run_duckdb(path, skip):
    import duckdb
    cols = ", ".join(f"'{c}': 'VARCHAR'" for c in COLS[:-1]) + ", 'cycles': 'DOUBLE'"
    q = f"""
    SELECT {", ".join(KEYS)}, count(*) AS n, min(cycles), quantile_cont(cycles, 0.5),
           quantile_cont(cycles, 0.9), quantile_cont(cycles, 0.99), max(cycles), avg(cycles),
           stddev_samp(cycles), mad(cycles)
    FROM read_csv('{path}', header=false, columns={{{cols}}}, skip={skip}, null_padding=true, ignore_errors=true)
    WHERE kind = 's' GROUP BY ALL"""
    rows = duckdb.sql(q).fetchall()
    return {tuple(map(str, r[:6])): dict(zip(STATS, map(float, r[6:]))) for r in rows}


def load_l4bench(path):
    import csv
    out = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            out[tuple(r[k] for k in KEYS)] = {s: float(r[s]) for s in STATS}
    return out


def main():
    tool, path, ref_path = sys.argv[1:4]
    skip = header_lines(path)
    fn = {"pandas": run_pandas, "polars": run_polars, "duckdb": run_duckdb}[tool]
    t0 = time.perf_counter()
    res = fn(path, skip)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ref = load_l4bench(ref_path)
    worst = 0.0
    if set(ref) != set(res):
        print(f"{tool}: group sets differ: {len(ref)} vs {len(res)}", file=sys.stderr)
        worst = float("inf")
    for k, v in ref.items():
        for s in STATS:
            a, b = v[s], res.get(k, {}).get(s, float("nan"))
            d = abs(a - b) / max(abs(a), 1e-9)
            if not d <= 1e-9:
                worst = max(worst, d)
                if d > 1e-6:
                    print(f"{tool}: {k} {s}: l4bench {a} vs {b}", file=sys.stderr)
    print(f"{tool} {dt:.3f} {rss:.0f} {len(res)} {worst:.2e}")


if __name__ == "__main__":
    main()
