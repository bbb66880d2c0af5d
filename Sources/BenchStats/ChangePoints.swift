#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a series of runs moved: binary segmentation with Student's t test
/// (pooled variance: without a change both sides share one noise level) on
/// the log values of whole segments (every run before a split against every run
/// after it), never a comparison of a point with the one before it alone.
///
/// Each value is one run's round-level statistic (the geometric mean of its
/// round medians), so a run is the unit here. A split is accepted when the
/// segments differ significantly (p below alpha divided by the number of
/// splits tried in that segment) and by more than `minChange`; segments where
/// every run agrees exactly (icount) differ exactly or not at all. Slow drift
/// of the platform (autocorrelated runs) widens the test instead of passing
/// for a change; `series` spreads alpha over the groups of a history.
public enum ChangePoints {
    /// Lag-1 autocorrelation of the log values' residuals about the means of
    /// [lo, k) and [k, hi), bias-corrected (+ 2 (1 + 4 rho) / n: the split itself absorbs some drift), in [0, 0.9].
    static func autocorrelation(_ v: [Double], _ lo: Int, _ k: Int, _ hi: Int, _ ma: Double, _ mb: Double) -> Double {
        let n = hi - lo
        guard n >= 4 else { return 0 }
        var num = 0.0, den = 0.0
        var prev = 0.0
        for i in lo..<hi {
            let r = log(v[i]) - (i < k ? ma : mb)
            den += r * r
            if i > lo { num += r * prev }
            prev = r
        }
        guard den > 0 else { return 0 }
        let rho = num / den
        return min(0.9, max(0, rho + 2 * (1 + 4 * rho) / Double(n)))
    }

    public struct Change: Sendable, Equatable {
        /// Index of the first value after the change.
        public var index: Int
        /// Geometric means of the segments before and after.
        public var before: Double
        public var after: Double
        public var p: Double
        public var change: Double { after / before - 1 }
    }

    /// `series`: how many series the caller searches with the same alpha (every
    /// group of a history): alpha is divided among them (Bonferroni), so that
    /// the chance of any spurious change point over all groups stays at alpha.
    public static func detect(_ values: [Double], minSegment: Int = 2, alpha: Double = 0.01, minChange: Double = 0.02,
                              series: Int = 1) -> [Change] {
        let alpha = alpha / Double(max(1, series))
        guard values.allSatisfy({ $0 > 0 && $0.isFinite }), values.count >= 2 * minSegment else { return [] }
        var out: [Change] = []
        // Prefix sums of the logs and their squares: every split of a segment in O(1).
        var s1 = [0.0], s2 = [0.0]
        s1.reserveCapacity(values.count + 1); s2.reserveCapacity(values.count + 1)
        for v in values { let l = log(v); s1.append(s1.last! + l); s2.append(s2.last! + l * l) }
        // runStart[i]: where the run of values equal to values[i] that ends at i starts.
        var runStart = [Int](repeating: 0, count: values.count)
        for i in values.indices.dropFirst() { runStart[i] = values[i] == values[i - 1] ? runStart[i - 1] : i }
        // repeats[i]: how many j in 1...i have values[j] == values[j - 1].
        var repeats = [Int](repeating: 0, count: values.count)
        for i in values.indices.dropFirst() { repeats[i] = repeats[i - 1] + (values[i] == values[i - 1] ? 1 : 0) }
        segment(values, 0, values.count, minSegment, alpha, minChange, s1, s2, runStart, repeats, &out)
        return out.sorted { $0.index < $1.index }
    }

    static func segment(_ v: [Double], _ lo: Int, _ hi: Int, _ m: Int, _ alpha: Double, _ minChange: Double,
                        _ s1: [Double], _ s2: [Double], _ runStart: [Int], _ repeats: [Int], _ out: inout [Change]) {
        guard hi - lo >= 2 * m else { return }
        var best: Change?
        var bestScore = -1.0
        let candidates = (hi - lo) - 2 * m + 1
        for k in (lo + m)...(hi - m) {
            let na = Double(k - lo), nb = Double(hi - k)
            let sa = s1[k] - s1[lo], sb = s1[hi] - s1[k]
            let ma = sa / na, mb = sb / nb
            guard abs(exp(mb - ma) - 1) > minChange else { continue }
            // Sums of squared deviations from the prefix sums; exact zero when every value on a side is equal.
            let equalA = runStart[k - 1] <= lo, equalB = runStart[hi - 1] <= k
            let ssa = equalA ? 0 : max(0, (s2[k] - s2[lo]) - sa * ma)
            let ssb = equalB ? 0 : max(0, (s2[hi] - s2[k]) - sb * mb)
            let ss = ssa + ssb
            var df = na + nb - 2
            let p: Double
            if ss == 0 {
                p = 0  // every run on each side agrees exactly, and the sides differ
            } else {
                // Runs in a row are not independent when the platform drifts slowly
                // (AR(1)): the lag-1 autocorrelation of the residuals about the two
                // segment means, corrected for its small-sample bias, inflates the
                // variance by (1 + rho) / (1 - rho) and shrinks the degrees of freedom.
                // (Not for series of exact repeats: under icount there is no drift.)
                let exactRepeats = repeats[hi - 1] - repeats[lo]
                let rho = 2 * exactRepeats >= hi - lo - 1 ? 0 : autocorrelation(v, lo, k, hi, ma, mb)
                let inflate = (1 + rho) / (1 - rho)
                df = max(1, df / inflate)
                let se = (ss / (na + nb - 2) * (1 / na + 1 / nb) * inflate).squareRoot()
                p = StudentT.twoSidedP((mb - ma) / se, df: df)
            }
            // Prefer the most significant split; among exact ones, the largest step.
            let score = p == 0 ? 1e12 + abs(mb - ma) : -log(max(p, 1e-300))
            if score > bestScore {
                bestScore = score
                best = Change(index: k, before: exp(ma), after: exp(mb), p: p)
            }
        }
        guard let b = best, b.p < alpha / Double(candidates) else { return }
        _ = v
        out.append(b)
        segment(v, lo, b.index, m, alpha, minChange, s1, s2, runStart, repeats, &out)
        segment(v, b.index, hi, m, alpha, minChange, s1, s2, runStart, repeats, &out)
    }
}
