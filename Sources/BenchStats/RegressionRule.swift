/// When a change between a baseline and a new run counts as a regression: it
/// must be both statistically significant and larger than a relative threshold.
/// Thresholds can be set per percentile and per benchmark.
public struct RegressionRule: Sendable {
    /// Significance level of the tests.
    public var alpha: Double
    /// Percentile -> relative threshold, for every benchmark.
    public var defaults: [Int: Double]
    /// Benchmark name -> percentile -> relative threshold.
    public var perBenchmark: [String: [Int: Double]]

    public init(alpha: Double = 0.01, defaults: [Int: Double] = [50: 0.02, 90: 0.05, 99: 0.10],
                perBenchmark: [String: [Int: Double]] = [:]) {
        self.alpha = alpha
        self.defaults = defaults
        self.perBenchmark = perBenchmark
    }

    public func threshold(benchmark: String, percentile: Int) -> Double? {
        perBenchmark[benchmark]?[percentile] ?? defaults[percentile]
    }

    public func percentiles(benchmark: String) -> [Int] {
        Set(defaults.keys).union(perBenchmark[benchmark]?.keys ?? [:].keys).sorted()
    }

    public enum SpecError: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            if case .invalid(let s) = self {
                return "invalid threshold '\(s)': expected [BENCHMARK:]pNN=X% (for example p50=2% or ipc.roundtrip:p99=15%)"
            }
            return ""
        }
    }

    /// Applies a spec `[benchmark:]pNN=X%` (also `benchmark=X%` for p50, and
    /// `pNN=off` to disable a percentile).
    public mutating func apply(spec: String) throws {
        guard let eq = spec.lastIndex(of: "=") else { throw SpecError.invalid(spec) }
        let lhs = spec[..<eq], rhs = spec[spec.index(after: eq)...]
        var bench: String?
        var pText = Substring("p50")
        if let colon = lhs.lastIndex(of: ":") {
            bench = String(lhs[..<colon]); pText = lhs[lhs.index(after: colon)...]
        } else if lhs.first == "p", Int(lhs.dropFirst()) != nil {
            pText = lhs
        } else {
            bench = String(lhs)
        }
        guard pText.first == "p", let p = Int(pText.dropFirst()), Summary.percentiles.contains(p) else {
            throw SpecError.invalid(spec)
        }
        var value: Double?
        if rhs != "off" {
            let num = rhs.hasSuffix("%") ? rhs.dropLast() : rhs
            guard let v = Double(num), v >= 0 else { throw SpecError.invalid(spec) }
            value = rhs.hasSuffix("%") ? v / 100 : v
        }
        if let bench, !bench.isEmpty {
            perBenchmark[bench, default: [:]][p] = value ?? .infinity
        } else if let value {
            defaults[p] = value
        } else {
            defaults[p] = nil
        }
    }
}

/// The outcome of comparing one percentile of one group.
public struct Verdict: Sendable {
    public enum Status: String, Sendable { case regression, improvement, unchanged }
    public var percentile: Int
    public var baseline: Double
    public var current: Double
    /// current / baseline - 1.
    public var change: Double
    public var threshold: Double
    public var significant: Bool
    /// How the significance was decided, for the message.
    public var evidence: String
    public var status: Status
}

extension RegressionRule {
    /// Compares sorted samples of one group. Higher cycle counts are worse.
    /// The median is tested with Mann-Whitney U; a tail percentile counts as
    /// significant when its distribution-free 95% intervals do not overlap.
    public func judge(benchmark: String, baseline a: [UInt64], current b: [UInt64]) -> [Verdict] {
        guard !a.isEmpty, !b.isEmpty else { return [] }
        var out: [Verdict] = []
        let mw = MannWhitney(sortedA: b, sortedB: a)
        for p in percentiles(benchmark: benchmark) {
            guard let t = threshold(benchmark: benchmark, percentile: p), t.isFinite else { continue }
            let q = Double(p) / 100
            let base = Self.quantile(q, sorted: a), cur = Self.quantile(q, sorted: b)
            let change = base > 0 ? cur / base - 1 : (cur > 0 ? .infinity : 0)
            var significant: Bool
            var evidence: String
            if p == 50, let mw {
                significant = mw.p < alpha
                evidence = "Mann-Whitney p=\(Self.formatP(mw.p))"
            } else if let ca = Quantile.confidenceRanks(q, n: a.count), let cb = Quantile.confidenceRanks(q, n: b.count) {
                let la = a[ca.lo], ha = a[ca.hi], lb = b[cb.lo], hb = b[cb.hi]
                significant = lb > ha || hb < la
                evidence = significant ? "95% intervals disjoint" : "95% intervals overlap"
            } else {
                significant = false
                evidence = "too few samples for a 95% interval"
            }
            let status: Verdict.Status
            if significant && change > t { status = .regression }
            else if significant && change < -t { status = .improvement }
            else { status = .unchanged }
            out.append(Verdict(percentile: p, baseline: base, current: cur, change: change, threshold: t,
                               significant: significant, evidence: evidence, status: status))
        }
        return out
    }

    static func quantile(_ p: Double, sorted a: [UInt64]) -> Double {
        let r = Quantile.ranks(p, n: a.count)
        let x = Double(a[r.lo])
        return x + r.frac * (Double(a[r.hi]) - x)
    }

    static func formatP(_ p: Double) -> String {
        if p < 1e-4 { return "<1e-4" }
        let v = (p * 10_000).rounded() / 10_000
        return "\(v)"
    }
}
