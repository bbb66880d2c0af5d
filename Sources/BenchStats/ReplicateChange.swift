#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A change between two sides of several runs each (the same binaries run
/// again), where the variation between runs is estimated rather than assumed.
///
/// Random effects with the run as the unit: a run's level (its memory layout,
/// the host's state) moves every round of it alike, so the rounds of one run
/// cannot show it; the runs can. Each run gives one value, the mean of its log
/// round values; the two sides are compared by the pooled two-sample t test of
/// those run means, with `ka + kb - 2` degrees of freedom (the runs', not the
/// rounds'). The variance of a run mean is the between-run variance plus the
/// within-run variance of the mean, both estimated by the spread of the run
/// means, so nothing about the between-run level is assumed. Needs at least
/// three runs in all (2 + 1).
///
/// `betweenRunSD` is the between-run standard deviation this implies (log
/// scale): the pooled variance of the run means less the mean within-run
/// variance of a run's mean, at least 0. It is reported, not used by the test.
public struct ReplicateChange: Sendable, Equatable {
    /// exp(mean of the current run means - mean of the baseline run means).
    public var estimate: Double
    /// Two-sided p-value; 0 or 1 when every run of both sides is exact and alike within its side.
    public var p: Double
    public var deterministic: Bool
    public var baselineRuns: Int
    public var currentRuns: Int
    /// Degrees of freedom of the test: the runs' (`ka + kb - 2`).
    public var df: Double
    /// Standard error of the difference of the mean logs.
    public var se: Double
    /// Estimated standard deviation of a run's level between runs (log scale).
    public var betweenRunSD: Double
    /// Each side's level: exp(mean of its run means of the logs); `currentLevel / baselineLevel == estimate`.
    public var baselineLevel: Double
    public var currentLevel: Double

    /// `baseline`, `current`: per run, its round values (positive; others are ignored;
    /// a run without a positive value is not a unit). Nil with fewer than one run on a
    /// side or fewer than three runs in all.
    public init?(baseline: [[Double]], current: [[Double]]) {
        func runLogs(_ runs: [[Double]]) -> [[Double]] {
            runs.map { $0.filter { $0 > 0 && $0.isFinite }.map { log($0) } }.filter { !$0.isEmpty }
        }
        let a = runLogs(baseline), b = runLogs(current)
        guard !a.isEmpty, !b.isEmpty, a.count + b.count >= 3 else { return nil }
        baselineRuns = a.count; currentRuns = b.count
        func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
        let ma = a.map(mean), mb = b.map(mean)
        let diff = mean(mb) - mean(ma)
        estimate = exp(diff)
        baselineLevel = exp(mean(ma)); currentLevel = exp(mean(mb))
        df = Double(a.count + b.count - 2)
        // Exact rounds (icount): every round of every run of a side is the same value.
        let exactA = a.allSatisfy { $0.allSatisfy { $0 == a[0][0] } }
        let exactB = b.allSatisfy { $0.allSatisfy { $0 == b[0][0] } }
        deterministic = exactA && exactB
        let ssA = ma.reduce(0) { $0 + ($1 - mean(ma)) * ($1 - mean(ma)) }
        let ssB = mb.reduce(0) { $0 + ($1 - mean(mb)) * ($1 - mean(mb)) }
        let pooled = (ssA + ssB) / df
        // The within-run variance of a run's mean, averaged over the runs that have 2 rounds or more.
        let within = (a + b).compactMap { x -> Double? in
            guard x.count > 1 else { return nil }
            let m = mean(x)
            return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1) / Double(x.count)
        }
        betweenRunSD = max(0, pooled - (within.isEmpty ? 0 : mean(within))).squareRoot()
        se = (pooled * (1 / Double(a.count) + 1 / Double(b.count))).squareRoot()
        if deterministic || se == 0 {
            p = diff == 0 ? 1 : 0
            return
        }
        p = StudentT.twoSidedP(diff / se, df: df)
    }
}
