import BenchResults

/// Google Benchmark's JSON output format (the `--benchmark_format=json`
/// layout), so that existing regression trackers can read a run. Each group
/// becomes median, mean and stddev aggregates; times are nanoseconds derived
/// from the TSC frequency (cycles when it is unknown, with time_unit "cycles").
public enum GBenchJSON {
    public static func render(_ report: Report) -> String {
        let r = report.run
        let hz = r.tscHz
        func time(_ c: Double) -> String {
            let v = hz.map { c / $0 * 1e9 } ?? c
            return Fmt.fixed(v, 3)
        }
        var s = "{\n  \"context\": {\n"
        var ctx: [(String, String)] = [("date", r[meta: "date"] ?? ""), ("host_name", r.machine),
                                       ("executable", "l4bench:\(r.id)"), ("library_build_type", "release")]
        if let hz { ctx.append(("mhz_per_cpu", Fmt.fixed(hz / 1e6, 0))) }
        for (k, v) in r.metadata where !["date"].contains(k) { ctx.append(("l4bench_" + k, v)) }
        s += ctx.map { k, v in
            k == "mhz_per_cpu" ? "    \(jsonQuote(k)): \(v)" : "    \(jsonQuote(k)): \(jsonQuote(v))"
        }.joined(separator: ",\n")
        s += "\n  },\n  \"benchmarks\": [\n"
        var items: [String] = []
        let unit = hz == nil ? "cycles" : "ns"
        for g in report.stats {
            let name = "\(g.key.suite)/\(g.key.benchmark)/\(g.key.pair)/\(g.key.placement)/\(g.key.param)"
            for (agg, v) in [("median", g.summary.p50), ("mean", g.summary.mean), ("stddev", g.summary.sd)] {
                items.append("""
                    {
                      "name": \(jsonQuote(name + "_" + agg)),
                      "family_index": \(items.count / 3),
                      "run_name": \(jsonQuote(name)),
                      "run_type": "aggregate",
                      "aggregate_name": \(jsonQuote(agg)),
                      "repetitions": 1,
                      "iterations": \(g.summary.n),
                      "real_time": \(time(v)),
                      "cpu_time": \(time(v)),
                      "time_unit": \(jsonQuote(unit)),
                      "cycles": \(Fmt.fixed(v, 1))
                    }
                """)
            }
        }
        s += items.joined(separator: ",\n") + "\n  ]\n}\n"
        return s
    }
}
