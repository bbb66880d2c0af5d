import BenchResults
import BenchStats

/// Exports for CI benchmark trackers, with round-level values: each group's
/// geometric mean of its round medians and the 95% t interval over rounds
/// (none where every round agrees), and each pair's ratio to cpp-cpp likewise.
/// Series names are stable: `suite/benchmark/pair/placement/param`, and the
/// same with `/ratio-to-cpp-cpp` for ratios.
public enum CIExports {
    public struct Point {
        public var name: String
        public var unit: String
        public var value: Double
        public var lower: Double
        public var upper: Double
        public var extra: String
    }

    public static func points(_ report: Report) -> [Point] {
        var out: [Point] = []
        for g in report.stats {
            guard let r = RoundInterval(ratios: g.rounds.map(\.p50)) else { continue }
            let (lo, hi) = r.hasInterval ? (r.lo, r.hi) : (r.estimate, r.estimate)
            out.append(Point(name: g.key.description, unit: report.unit, value: r.estimate, lower: lo, upper: hi,
                             extra: "rounds: \(r.units); samples: \(g.summary.n); p50 of all samples: \(Fmt.fixed(g.summary.p50, 1))"
                                + (r.deterministic ? "; deterministic" : "")))
            if let c = report.comparison(for: g.key), let ci = c.interval {
                let (clo, chi) = ci.hasInterval ? (ci.lo, ci.hi) : (ci.estimate, ci.estimate)
                out.append(Point(name: g.key.description + "/ratio-to-cpp-cpp", unit: "ratio to cpp-cpp", value: ci.estimate,
                                 lower: clo, upper: chi, extra: "rounds: \(ci.units); verdict: \(c.verdict?.text ?? "–")"))
            }
        }
        return out
    }

    /// github-action-benchmark's `customSmallerIsBetter`: a JSON array of
    /// `{"name", "unit", "value", "range", "extra"}`.
    public static func githubActionBenchmark(_ report: Report) -> String {
        let items = points(report).map { p in
            let half = max(p.upper - p.value, p.value - p.lower)
            return "  {\"name\": \(jsonQuote(p.name)), \"unit\": \(jsonQuote(p.unit)), \"value\": \(number(p.value)), "
                + "\"range\": \(jsonQuote("±" + number(half))), \"extra\": \(jsonQuote(p.extra))}"
        }
        return "[\n" + items.joined(separator: ",\n") + "\n]\n"
    }

    /// Bencher Metric Format: `{"<benchmark>": {"<measure>": {"value", "lower_value", "upper_value"}}}`.
    public static func bencher(_ report: Report) -> String {
        let measure = report.unit.hasPrefix("instructions") ? "instructions" : "tsc-ticks"
        var byName: [(String, [(String, Point)])] = []
        var index: [String: Int] = [:]
        for p in points(report) {
            let isRatio = p.name.hasSuffix("/ratio-to-cpp-cpp")
            let bench = isRatio ? String(p.name.dropLast("/ratio-to-cpp-cpp".count)) : p.name
            if index[bench] == nil { index[bench] = byName.count; byName.append((bench, [])) }
            byName[index[bench]!].1.append((isRatio ? "ratio-to-cpp-cpp" : measure, p))
        }
        let items = byName.map { bench, measures in
            "  \(jsonQuote(bench)): {" + measures.map { m, p in
                "\(jsonQuote(m)): {\"value\": \(number(p.value)), \"lower_value\": \(number(p.lower)), \"upper_value\": \(number(p.upper))}"
            }.joined(separator: ", ") + "}"
        }
        return "{\n" + items.joined(separator: ",\n") + "\n}\n"
    }

    /// A JSON number: finite, plain decimal.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        if v == v.rounded() && abs(v) < 9e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
