/// Per-group statistics of cycle counts.
public struct Summary: Sendable, Equatable {
    public var n: Int
    public var min: Double
    public var p25: Double
    public var p50: Double
    public var p75: Double
    public var p90: Double
    public var p99: Double
    public var max: Double
    public var mean: Double
    /// Sample standard deviation (n - 1 in the denominator).
    public var sd: Double
    /// Median absolute deviation from the median, unscaled.
    public var mad: Double
    /// Distribution-free 95% confidence interval of the median (order
    /// statistics); nil below n = 6, where no such interval reaches 95%.
    public var medianCI: ClosedRange<Double>?

    public func percentile(_ p: Int) -> Double {
        switch p {
        case 0: return min
        case 25: return p25
        case 50: return p50
        case 75: return p75
        case 90: return p90
        case 99: return p99
        case 100: return max
        default: preconditionFailure("percentile \(p) is not summarised")
        }
    }

    public static let percentiles = [50, 90, 99]

    public init(n: Int, min: Double, p25: Double, p50: Double, p75: Double, p90: Double, p99: Double,
                max: Double, mean: Double, sd: Double, mad: Double, medianCI: ClosedRange<Double>?) {
        self.n = n; self.min = min; self.p25 = p25; self.p50 = p50; self.p75 = p75
        self.p90 = p90; self.p99 = p99; self.max = max; self.mean = mean; self.sd = sd
        self.mad = mad; self.medianCI = medianCI
    }
}

extension Summary {
    /// Up to this many values, selection (an insertion sort) beats counting.
    public static let smallGroup = 64

    /// Summarises `a`, exact. Reorders and then overwrites `a` (the MAD is
    /// selected in place from the absolute deviations).
    @inlinable
    public static func destructive<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeMutableBufferPointer<T>) -> Summary? {
        let n = a.count
        guard n > 0 else { return nil }
        // Moments first, exact in integers (so that the same values in any order give
        // the same mean and sd, to the bit), then converted once.
        var lo = T.max, hi = T.min
        var sum: UInt128 = 0
        for v in a {
            sum &+= UInt128(v)
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        let (mean, sd) = moments(a, sum: sum)
        let ps = [0.25, 0.5, 0.75, 0.9, 0.99]
        var ranks = [0, n - 1]
        for p in ps { let r = Quantile.ranks(p, n: n); ranks += [r.lo, r.hi] }
        let ci = Quantile.confidenceRanks(0.5, n: n)
        if let ci { ranks += [ci.lo, ci.hi] }
        if n > Self.smallGroup, let h = CountingHistogram(a, min: lo, max: hi) {
            let v = h.values(atRanks: ranks)
            func q(_ p: Double) -> Double {
                let r = Quantile.ranks(p, n: n)
                let x = Double(v[r.lo]!)
                return x + r.frac * (Double(v[r.hi]!) - x)
            }
            let median = q(0.5)
            return Summary(n: n, min: Double(lo), p25: q(0.25), p50: median, p75: q(0.75), p90: q(0.9), p99: q(0.99),
                           max: Double(hi), mean: mean, sd: sd, mad: h.mad(median: median),
                           medianCI: ci.map { Double(v[$0.lo]!)...Double(v[$0.hi]!) })
        }
        Selection.select(a, ranks: ranks)
        let q = ps.map { Quantile.value($0, in: a) }
        let medianCI = ci.map { Double(a[$0.lo])...Double(a[$0.hi]) }
        var s = Summary(n: n, min: Double(a[0]), p25: q[0], p50: q[1], p75: q[2], p90: q[3], p99: q[4],
                        max: Double(a[n - 1]), mean: mean, sd: sd, mad: 0, medianCI: medianCI)
        let r = Quantile.ranks(0.5, n: n)
        s.mad = madInPlace(a, lo: a[r.lo], hi: a[r.hi], frac: r.frac)
        return s
    }

    /// Mean and sample standard deviation from the exact sum: the squared
    /// deviations from the integer part q of the mean are summed exactly, and
    /// the fraction r/n of the mean is taken off once: sum((x - m)^2) =
    /// sum((x - q)^2) - r^2/n. Falls back to floating point only if that sum
    /// overflows 128 bits (values spread over the whole 64-bit range).
    @inlinable
    static func moments<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeMutableBufferPointer<T>, sum: UInt128) -> (Double, Double) {
        let n = a.count
        let q = sum / UInt128(n), r = sum % UInt128(n)
        let mean = Double(q) + Double(r) / Double(n)
        guard n > 1 else { return (mean, 0) }
        var ss: UInt128 = 0
        var overflow = false
        for v in a {
            let x = UInt128(v)
            let d = x >= q ? x - q : q - x
            let (sq, o1) = d.multipliedReportingOverflow(by: d)
            let (t, o2) = ss.addingReportingOverflow(sq)
            if o1 || o2 { overflow = true; break }
            ss = t
        }
        if overflow {
            var acc = 0.0
            for v in a { let d = Double(v) - mean; acc += d * d }
            return (mean, (acc / Double(n - 1)).squareRoot())
        }
        let centred = Double(ss) - Double(r) * Double(r) / Double(n)
        return (mean, (Swift.max(0, centred) / Double(n - 1)).squareRoot())
    }

    /// Median of |x - median|, computed in place in T without overflow and
    /// without going through Double: the median is `lo` (frac 0) or the mean of
    /// `lo` and `hi`; for a half-integer median m + 0.5 each deviation is stored less 0.5.
    @inlinable
    static func madInPlace<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeMutableBufferPointer<T>, lo: T, hi: T, frac: Double) -> Double {
        let m = frac == 0 ? lo : lo + (hi - lo) / 2
        let half = frac != 0 && (hi - lo) % 2 == 1
        for i in a.indices {
            let x = a[i]
            if half {
                a[i] = x > m ? x - m - 1 : m - x
            } else {
                a[i] = x >= m ? x - m : m - x
            }
        }
        let r = Quantile.ranks(0.5, n: a.count)
        Selection.select(a, ranks: [r.lo, r.hi])
        return Quantile.value(0.5, in: a) + (half ? 0.5 : 0)
    }

    /// Summarises a copy of `values`.
    public static func of(_ values: [UInt64]) -> Summary? {
        var copy = values
        return copy.withUnsafeMutableBufferPointer { destructive($0) }
    }

    /// Median, p90 and p99, exact (reorders `a`): what one round contributes
    /// to round-level methods.
    @inlinable
    public static func roundQuantiles<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeMutableBufferPointer<T>) -> (Double, Double, Double)? {
        guard a.count > 0 else { return nil }
        var lo = T.max, hi = T.min
        for v in a {
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        if a.count > Self.smallGroup, let h = CountingHistogram(a, min: lo, max: hi) { return (h.quantile(0.5), h.quantile(0.9), h.quantile(0.99)) }
        var ranks: [Int] = []
        for p in [0.5, 0.9, 0.99] { let r = Quantile.ranks(p, n: a.count); ranks += [r.lo, r.hi] }
        Selection.select(a, ranks: ranks)
        return (Quantile.value(0.5, in: a), Quantile.value(0.9, in: a), Quantile.value(0.99, in: a))
    }

    /// Median only, exact (reorders `a`).
    @inlinable
    public static func median<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeMutableBufferPointer<T>) -> Double? {
        guard a.count > 0 else { return nil }
        var lo = T.max, hi = T.min
        for v in a {
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        if a.count > Self.smallGroup, let h = CountingHistogram(a, min: lo, max: hi) { return h.quantile(0.5) }
        let r = Quantile.ranks(0.5, n: a.count)
        Selection.select(a, ranks: [r.lo, r.hi])
        return Quantile.value(0.5, in: a)
    }
}
