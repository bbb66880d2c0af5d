#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Quantile definitions shared by every statistic here.
///
/// Quantiles interpolate linearly between order statistics (Hyndman and Fan's
/// type 7, the default of numpy, pandas and DuckDB's `quantile_cont`).
public enum Quantile {
    /// The 0-based ranks whose values quantile `p` of `n` values needs.
    @inlinable
    public static func ranks(_ p: Double, n: Int) -> (lo: Int, hi: Int, frac: Double) {
        precondition(n > 0)
        let h = Double(n - 1) * p
        let lo = Int(h.rounded(.down))
        return (lo, min(lo + 1, n - 1), h - Double(lo))
    }

    /// Quantile `p` of values already placed at their ranks (selected or sorted).
    @inlinable
    public static func value<T: BinaryInteger>(_ p: Double, in a: UnsafeMutableBufferPointer<T>) -> Double {
        let r = ranks(p, n: a.count)
        let x = Double(a[r.lo])
        return r.frac == 0 ? x : x + r.frac * (Double(a[r.hi]) - x)
    }

    /// Distribution-free confidence interval for quantile `p`: 0-based ranks
    /// (lo, hi) of the order statistics that bound it with at least `level`
    /// coverage. Exact binomial for n <= 2000, normal approximation above.
    /// Returns nil when n is too small for the level.
    public static func confidenceRanks(_ p: Double, n: Int, level: Double = 0.95) -> (lo: Int, hi: Int)? {
        guard n >= 1 else { return nil }
        let alpha = (1 - level) / 2
        if n <= 2000 {
            // Number of observations below the quantile is Binomial(n, p).
            // lo: largest j with P(B < j) <= alpha; hi: smallest k with P(B >= k) <= alpha.
            var cdf = [Double](repeating: 0, count: n + 1)
            var acc = 0.0
            let lp = log(p), lq = log1p(-p)
            var logC = 0.0
            for k in 0...n {
                if k > 0 { logC += log(Double(n - k + 1)) - log(Double(k)) }
                acc += exp(logC + Double(k) * lp + Double(n - k) * lq)
                cdf[k] = acc
            }
            // Coverage of [X(j), X(k)] (1-based) is F(k-1) - F(j-1).
            var j = 0
            while j < n && cdf[j] <= alpha { j += 1 }
            var k = n
            while k > 1 && 1 - cdf[k - 2] <= alpha { k -= 1 }
            guard j >= 1, 1 - cdf[k - 1] <= alpha else { return nil }
            return (j - 1, k - 1)
        }
        let z = normalQuantile(1 - alpha)
        let sd = (Double(n) * p * (1 - p)).squareRoot()
        let lo = Int((Double(n) * p - z * sd).rounded(.down))
        let hi = Int((Double(n) * p + z * sd).rounded(.up)) + 1
        guard lo >= 1, hi <= n else { return nil }
        return (lo - 1, hi - 1)
    }

    /// Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9).
    public static func normalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let pl = 0.02425
        if p < pl {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1)
        } else if p <= 1 - pl {
            let q = p - 0.5, r = q * q
            return (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r+a[5])*q / (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r+1)
        } else {
            let q = (-2 * log1p(-p)).squareRoot()
            return -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1)
        }
    }

    /// Two-sided p-value of a standard normal statistic.
    public static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }
}
