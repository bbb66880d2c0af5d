#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A location interval that one bad unit cannot move: Yuen's trimmed-mean t
/// interval (Tukey and McLaughlin 1963; Yuen 1974) of the log ratios of the
/// units (rounds). The lowest and highest `g = floor(trim * n)` units are
/// trimmed from the mean; the standard error comes from the winsorized
/// variance, `se = s_w * sqrt(n - 1) / sqrt(h * (h - 1))` with `h = n - 2g`,
/// and Student's t with `h - 1` degrees of freedom. With fewer than 5 units
/// nothing is trimmed (it is then the ordinary t interval, and not robust).
public struct TrimmedInterval: Sendable, Equatable {
    public var units: Int
    /// Units trimmed at each end.
    public var trimmed: Int
    /// Trimmed mean of the logs, its standard error and degrees of freedom.
    public var meanLog: Double
    public var se: Double
    public var df: Double
    /// Winsorized standard deviation of the logs.
    public var sd: Double

    public static let defaultTrim = 0.2

    /// `logs`: one value per unit (any order). Nil with fewer than 2.
    public init?(logs: [Double], trim: Double = defaultTrim) {
        let x = logs.filter(\.isFinite).sorted()
        let n = x.count
        guard n >= 2 else { return nil }
        let g = n >= 5 ? Int((trim * Double(n)).rounded(.down)) : 0
        let h = n - 2 * g
        units = n; trimmed = g
        meanLog = x[g..<(n - g)].reduce(0, +) / Double(h)
        var w = x
        for i in 0..<g { w[i] = x[g]; w[n - 1 - i] = x[n - 1 - g] }
        let wm = w.reduce(0, +) / Double(n)
        let ss = w.reduce(0) { $0 + ($1 - wm) * ($1 - wm) }
        let sw2 = ss / Double(n - 1)
        sd = sw2.squareRoot()
        se = (sw2 * Double(n - 1) / (Double(h) * Double(h - 1))).squareRoot()
        df = Double(h - 1)
    }

    /// Half-width of the two-sided interval at `level`, in logs.
    public func halfWidth(level: Double) -> Double {
        se == 0 ? 0 : StudentT.quantile(1 - (1 - level) / 2, df: df) * se
    }

    public func bounds(level: Double) -> (lo: Double, hi: Double) {
        let h = halfWidth(level: level)
        return (meanLog - h, meanLog + h)
    }
}
