#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ratio estimated over independent units (the rounds of a run, or its
/// boots), never over the samples inside them: samples of one round share that
/// round's drift, rounds do not.
///
/// Each unit gives one ratio (for a pair against cpp-cpp: the round's median
/// over the cpp-cpp round's median, so drift between rounds cancels). The
/// estimate is the geometric mean of the unit ratios; the interval is Student's
/// t interval of their mean logarithm (n - 1 degrees of freedom). Units that
/// all agree exactly (instruction counts under icount) are *deterministic*: the
/// estimate is exact and there is no interval to give.
public struct RoundInterval: Sendable, Equatable {
    /// Number of units (rounds) the estimate rests on.
    public var units: Int
    public var estimate: Double
    /// Bounds of the interval; NaN without one (fewer than 2 units, or deterministic).
    public var lo: Double
    public var hi: Double
    public var level: Double
    /// Every unit gave the same ratio.
    public var deterministic: Bool
    /// Standard deviation of the unit log ratios.
    public var logSD: Double

    /// `ratios` must be positive and finite; nil without any.
    public init?(ratios: [Double], level: Double = 0.95) {
        let r = ratios.filter { $0 > 0 && $0.isFinite }
        guard !r.isEmpty else { return nil }
        units = r.count
        self.level = level
        deterministic = r.count > 1 && r.allSatisfy { $0 == r[0] }
        let logs = r.map { log($0) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        estimate = deterministic ? r[0] : exp(mean)
        if r.count > 1 {
            let ss = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            logSD = (ss / Double(r.count - 1)).squareRoot()
        } else {
            logSD = .nan
        }
        if r.count < 2 || deterministic {
            lo = .nan; hi = .nan
        } else {
            let t = StudentT.quantile(1 - (1 - level) / 2, df: Double(r.count - 1))
            let half = t * logSD / Double(r.count).squareRoot()
            lo = exp(mean - half); hi = exp(mean + half)
        }
    }

    public var hasInterval: Bool { !lo.isNaN }

    /// The interval's half-width as a relative change (log half-width), 0 when deterministic.
    public var relativeHalfWidth: Double {
        deterministic ? 0 : (hasInterval ? (log(hi) - log(lo)) / 2 : .infinity)
    }

    /// About how many units an interval of half-width `target` would need, at
    /// the spread seen here (normal approximation).
    public func unitsNeeded(halfWidth target: Double) -> Int? {
        guard hasInterval, logSD > 0, target > 0 else { return nil }
        let z = Quantile.normalQuantile(1 - (1 - level) / 2)
        let n = (z * logSD / target) * (z * logSD / target)
        return max(units + 1, Int(n.rounded(.up)))
    }
}

/// A change between two runs, over their units: the ratio of the geometric
/// means of the per-round values (current over baseline), with Welch's t
/// interval and test on the log values. Rounds are the independent units; the
/// samples inside a round are summarised first (by the caller: a round's
/// median, p90 or p99).
public struct RoundChange: Sendable, Equatable {
    public var estimate: Double
    /// Two-sided p-value of the difference; 0 or 1 when both sides are deterministic.
    public var p: Double
    public var deterministic: Bool
    public var baselineUnits: Int
    public var currentUnits: Int
    public var level: Double
    /// Difference of the mean logs, its standard error and Welch's degrees of freedom
    /// (NaN without an interval); the interval is computed only when asked for.
    var meanDiff: Double
    var se: Double
    var df: Double

    /// `betweenRunSD`: the assumed spread of a run's level (log scale); adds
    /// 2 * sd^2 to the variance of the difference (see `RegressionRule.betweenRunSD`).
    public init?(baseline: [Double], current: [Double], level: Double = 0.95, betweenRunSD: Double = 0) {
        let a = baseline.filter { $0 > 0 && $0.isFinite }.map { log($0) }
        let b = current.filter { $0 > 0 && $0.isFinite }.map { log($0) }
        guard !a.isEmpty, !b.isEmpty else { return nil }
        baselineUnits = a.count; currentUnits = b.count
        self.level = level
        func meanVar(_ x: [Double]) -> (Double, Double) {
            let m = x.reduce(0, +) / Double(x.count)
            let v = x.count > 1 ? x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1) : .nan
            return (m, v)
        }
        let (ma, va) = meanVar(a), (mb, vb) = meanVar(b)
        estimate = exp(mb - ma)
        meanDiff = mb - ma
        deterministic = a.allSatisfy { $0 == a[0] } && b.allSatisfy { $0 == b[0] } && (a.count > 1 || b.count > 1)
        if deterministic {
            se = 0; df = .nan
            p = ma == mb ? 1 : 0
            return
        }
        guard a.count > 1, b.count > 1 else { se = .nan; df = .nan; p = 1; return }
        let sa = va / Double(a.count), sb = vb / Double(b.count)
        se = (sa + sb + 2 * betweenRunSD * betweenRunSD).squareRoot()
        guard se > 0 else { df = .nan; p = ma == mb ? 1 : 0; return }
        // Welch-Satterthwaite degrees of freedom.
        df = (sa + sb) * (sa + sb) / (sa * sa / Double(a.count - 1) + sb * sb / Double(b.count - 1))
        p = StudentT.twoSidedP((mb - ma) / se, df: df)
    }

    public var hasInterval: Bool { !se.isNaN }

    /// Bounds of the interval of the ratio (the estimate itself where the change is exact).
    public var lo: Double { bound(-1) }
    public var hi: Double { bound(1) }

    func bound(_ sign: Double) -> Double {
        if se.isNaN { return .nan }
        if se == 0 || df.isNaN { return estimate }
        let t = StudentT.quantile(1 - (1 - level) / 2, df: df)
        return exp(meanDiff + sign * t * se)
    }
}
