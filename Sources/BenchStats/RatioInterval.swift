/// The ratio of two medians with an approximate 95% interval.
///
/// Each median's standard error is read off its distribution-free 95% interval
/// (half-width / 1.96); the log ratio's error adds both in quadrature
/// (Price and Bonett, 2002).
public struct RatioInterval: Sendable, Equatable {
    public var ratio: Double
    public var lo: Double
    public var hi: Double

    public init?(numerator a: Summary, denominator b: Summary) {
        guard a.p50 > 0, b.p50 > 0 else { return nil }
        ratio = a.p50 / b.p50
        guard let ca = a.medianCI, let cb = b.medianCI else { lo = .nan; hi = .nan; return }
        // Zero-width intervals (all equal values) contribute no error.
        let sa = (ca.upperBound - ca.lowerBound) / (2 * 1.96) / a.p50
        let sb = (cb.upperBound - cb.lowerBound) / (2 * 1.96) / b.p50
        let se = (sa * sa + sb * sb).squareRoot()
        lo = ratio * _exp(-1.96 * se)
        hi = ratio * _exp(1.96 * se)
    }

    public var hasInterval: Bool { !lo.isNaN }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _exp(_ x: Double) -> Double { Glibc.exp(x) }
#elseif canImport(Darwin)
import Darwin
@usableFromInline func _exp(_ x: Double) -> Double { Darwin.exp(x) }
#endif
