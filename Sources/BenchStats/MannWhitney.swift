/// The Mann-Whitney U test (Wilcoxon rank-sum), normal approximation with
/// tie correction. Suited to the sample sizes benchmarks have (n >= 20 each).
public struct MannWhitney: Sendable {
    public var u: Double
    public var z: Double
    /// Two-sided p-value.
    public var p: Double
    /// Probability that a value of `a` exceeds one of `b` (ties count half).
    public var probabilityAGreater: Double

    /// `a` and `b` must be sorted ascending.
    public init?(sortedA a: [UInt64], sortedB b: [UInt64]) {
        let n1 = a.count, n2 = b.count
        guard n1 > 0, n2 > 0 else { return nil }
        // Walk both sorted arrays, ranking tied blocks together.
        var i = 0, j = 0
        var rank = 0.0          // ranks used so far
        var rankSumA = 0.0
        var tieTerm = 0.0       // sum of t^3 - t over tie blocks
        while i < n1 || j < n2 {
            let v: UInt64
            if j >= n2 || (i < n1 && a[i] <= b[j]) { v = a[i] } else { v = b[j] }
            var ca = 0, cb = 0
            while i < n1 && a[i] == v { ca += 1; i += 1 }
            while j < n2 && b[j] == v { cb += 1; j += 1 }
            let t = Double(ca + cb)
            let avgRank = rank + (t + 1) / 2
            rankSumA += Double(ca) * avgRank
            rank += t
            if t > 1 { tieTerm += t * t * t - t }
        }
        let dn1 = Double(n1), dn2 = Double(n2), n = dn1 + dn2
        u = rankSumA - dn1 * (dn1 + 1) / 2
        let mu = dn1 * dn2 / 2
        let variance = dn1 * dn2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        if variance <= 0 {
            z = 0
            p = 1
        } else {
            // Continuity correction towards the mean.
            let d = u - mu
            let cc = d > 0 ? -0.5 : (d < 0 ? 0.5 : 0)
            z = (d + cc) / variance.squareRoot()
            p = Quantile.twoSidedP(z)
        }
        probabilityAGreater = u / (dn1 * dn2)
    }
}
