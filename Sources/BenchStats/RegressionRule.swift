#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// The spread of a pair's level from run to run (log scale), which rounds
    /// of one run cannot show: the same binaries, started again, land a little
    /// higher or lower (memory layout, the host's state). With one run per side
    /// it cannot be estimated, so it is an assumption (default 0.5%, checked by
    /// scripts/aa-calibration.sh); it adds `2 * betweenRunSD^2` to the variance
    /// of a difference between two runs. Not applied to deterministic rounds.
    public var betweenRunSD: Double

    public init(alpha: Double = 0.01, defaults: [Int: Double] = [50: 0.02, 90: 0.05, 99: 0.10],
                perBenchmark: [String: [Int: Double]] = [:], betweenRunSD: Double = 0.005) {
        self.alpha = alpha
        self.defaults = defaults
        self.perBenchmark = perBenchmark
        self.betweenRunSD = betweenRunSD
    }

    /// Holm's step-down procedure: which of the p-values are rejected with the
    /// family-wise error rate held at `alpha` (any dependence).
    public static func holm(_ p: [Double], alpha: Double) -> [Bool] {
        let order = p.indices.sorted { p[$0] < p[$1] }
        var out = [Bool](repeating: false, count: p.count)
        for (rank, i) in order.enumerated() {
            guard p[i] <= alpha / Double(p.count - rank) else { break }
            out[i] = true
        }
        return out
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
    /// The baseline's level the change is computed from: the geometric mean of its round
    /// values (with several runs, the mean over runs of each run's geometric mean, on the
    /// log scale); the median of the round values where there is no positive one.
    public var baseline: Double
    /// The run's level, computed like `baseline`.
    public var current: Double
    /// current / baseline - 1: the tested estimate.
    public var change: Double
    public var threshold: Double
    public var significant: Bool
    /// The test's p-value (1 where there is no test).
    public var p: Double = 1
    /// How the significance was decided, for the message.
    public var evidence: String
    public var status: Status
    /// With several runs per side: the between-run standard deviation estimated from them (log scale).
    public var estimatedBetweenRunSD: Double? = nil
}

extension RegressionRule {
    /// Compares one group over rounds: `baseline[p]` and `current[p]` hold each
    /// round's value of percentile p (the round is the independent unit). A change
    /// is significant when Welch's t test on the log round values gives p < alpha
    /// (or, where every round of both runs agrees exactly, when the values differ),
    /// and it counts when it is also larger than the threshold. Higher is worse.
    /// The percentiles of a group share alpha (Bonferroni): a group is flagged
    /// at level alpha, not each of its percentiles.
    public func judge(benchmark: String, baseline: [Int: [Double]], current: [Int: [Double]]) -> [Verdict] {
        var out: [Verdict] = []
        let judged = percentiles(benchmark: benchmark).filter { threshold(benchmark: benchmark, percentile: $0)?.isFinite == true }
        let alpha = self.alpha / Double(max(1, judged.count))
        for p in judged {
            guard let t = threshold(benchmark: benchmark, percentile: p), t.isFinite,
                  let a = baseline[p], let b = current[p], !a.isEmpty, !b.isEmpty else { continue }
            // The values shown are those the change is computed from: the geometric means of the
            // positive round values (the medians only where no round value is positive).
            var base = Self.median(a), cur = Self.median(b)
            var significant = false
            var evidence: String
            var change = base > 0 ? cur / base - 1 : (cur > 0 ? .infinity : 0)
            var pValue = 1.0
            if let rc = RoundChange(baseline: a, current: b, level: 1 - alpha, betweenRunSD: betweenRunSD) {
                pValue = rc.p
                change = rc.estimate - 1
                base = Self.geometricMean(a); cur = Self.geometricMean(b)
                if rc.deterministic {
                    significant = rc.p < alpha
                    evidence = "deterministic (\(a.count) vs \(b.count) rounds)"
                } else if rc.hasInterval {
                    significant = rc.p < alpha
                    evidence = "Welch t over rounds (\(a.count) vs \(b.count)), between runs ±\(betweenRunSD * 100)%: p=\(Self.formatP(rc.p))"
                } else {
                    evidence = "too few rounds for a test (\(a.count) vs \(b.count))"
                }
            } else {
                evidence = "no positive values"
            }
            let status: Verdict.Status
            if significant && change > t { status = .regression }
            else if significant && change < -t { status = .improvement }
            else { status = .unchanged }
            out.append(Verdict(percentile: p, baseline: base, current: cur, change: change, threshold: t,
                               significant: significant, p: pValue, evidence: evidence, status: status))
        }
        return out
    }

    /// Compares one group over several runs per side: `baselineRuns[j][p]` holds
    /// run j's round values of percentile p. With one run on each side this is
    /// `judge(benchmark:baseline:current:)` (the between-run spread the stated
    /// `betweenRunSD`); with three runs or more in all, the between-run variation
    /// is estimated from the runs (`ReplicateChange`: each run's mean log is one
    /// unit, t with the runs' degrees of freedom) and `betweenRunSD` is not used.
    public func judge(benchmark: String, baselineRuns: [[Int: [Double]]], currentRuns: [[Int: [Double]]]) -> [Verdict] {
        if baselineRuns.count <= 1 && currentRuns.count <= 1 {
            return judge(benchmark: benchmark, baseline: baselineRuns.first ?? [:], current: currentRuns.first ?? [:])
        }
        var out: [Verdict] = []
        let judged = percentiles(benchmark: benchmark).filter { threshold(benchmark: benchmark, percentile: $0)?.isFinite == true }
        let alpha = self.alpha / Double(max(1, judged.count))
        for p in judged {
            guard let t = threshold(benchmark: benchmark, percentile: p) else { continue }
            let a = baselineRuns.compactMap { $0[p] }.filter { !$0.isEmpty }
            let b = currentRuns.compactMap { $0[p] }.filter { !$0.isEmpty }
            guard !a.isEmpty, !b.isEmpty else { continue }
            var base = Self.median(a.flatMap { $0 }), cur = Self.median(b.flatMap { $0 })
            var change = base > 0 ? cur / base - 1 : (cur > 0 ? .infinity : 0)
            var significant = false, pValue = 1.0, evidence: String
            var between: Double?
            if let rc = ReplicateChange(baseline: a, current: b) {
                pValue = rc.p
                change = rc.estimate - 1
                // The levels the change is computed from: the mean over runs of each run's geometric mean.
                base = rc.baselineLevel; cur = rc.currentLevel
                significant = rc.p < alpha
                between = rc.deterministic ? nil : rc.betweenRunSD
                evidence = rc.deterministic
                    ? "deterministic (\(rc.baselineRuns) vs \(rc.currentRuns) runs)"
                    : "random effects over runs (\(rc.baselineRuns) vs \(rc.currentRuns) runs, t with \(Int(rc.df)) df), "
                        + "between runs ±\(Self.formatPercent(rc.betweenRunSD)) estimated: p=\(Self.formatP(rc.p))"
            } else {
                evidence = "too few runs for a test (\(a.count) vs \(b.count))"
            }
            let status: Verdict.Status = significant && change > t ? .regression : (significant && change < -t ? .improvement : .unchanged)
            out.append(Verdict(percentile: p, baseline: base, current: cur, change: change, threshold: t, significant: significant,
                               p: pValue, evidence: evidence, status: status, estimatedBetweenRunSD: between))
        }
        return out
    }

    static func formatPercent(_ x: Double) -> String {
        "\((x * 10_000).rounded() / 100)%"
    }

    /// The geometric mean of the positive, finite values (NaN without one): what `RoundChange` compares.
    public static func geometricMean(_ v: [Double]) -> Double {
        let logs = v.filter { $0 > 0 && $0.isFinite }.map { log($0) }
        return logs.isEmpty ? .nan : exp(logs.reduce(0, +) / Double(logs.count))
    }

    public static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func formatP(_ p: Double) -> String {
        if p < 1e-4 { return "<1e-4" }
        let v = (p * 10_000).rounded() / 10_000
        return "\(v)"
    }
}
