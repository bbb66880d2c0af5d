/// Exact order statistics by counting, for values packed in a narrow range
/// (cycle counts of one benchmark usually are): one pass to count, then walks
/// over the counts. Linear in n plus the range; the caller falls back to
/// selection when the range is too wide.
public struct CountingHistogram {
    public let minValue: UInt64
    public var counts: [UInt32]
    public let n: Int

    /// Widest range counted (entries of 4 bytes).
    public static let maxRange: UInt64 = 1 << 22

    @inlinable
    public init?<T: FixedWidthInteger & UnsignedInteger>(_ a: UnsafeMutableBufferPointer<T>, min lo: T, max hi: T) {
        let range = UInt64(hi - lo)
        guard a.count > 0, range < Self.maxRange, range <= UInt64(a.count) * 8 + 4096 else { return nil }
        minValue = UInt64(lo)
        n = a.count
        var c = [UInt32](repeating: 0, count: Int(range) + 1)
        c.withUnsafeMutableBufferPointer { cb in
            for v in a { cb[Int(v - lo)] &+= 1 }
        }
        counts = c
    }

    /// Values at the given 0-based ranks (any order).
    public func values(atRanks ranks: [Int]) -> [Int: UInt64] {
        let targets = Array(Set(ranks)).sorted()
        var out: [Int: UInt64] = [:]
        var t = 0
        var cum = 0
        counts.withUnsafeBufferPointer { cb in
            for i in 0..<cb.count where cb[i] != 0 {
                cum += Int(cb[i])
                while t < targets.count && targets[t] < cum {
                    out[targets[t]] = minValue + UInt64(i)
                    t += 1
                }
                if t == targets.count { break }
            }
        }
        return out
    }

    /// Quantile `p` (type 7) from the counts.
    public func quantile(_ p: Double) -> Double {
        let r = Quantile.ranks(p, n: n)
        let v = values(atRanks: [r.lo, r.hi])
        let x = Double(v[r.lo]!)
        return x + r.frac * (Double(v[r.hi]!) - x)
    }

    /// Median absolute deviation from the median, exact, in offsets from
    /// `minValue` (so values near 2^64 neither trap nor lose precision on the way).
    public func mad(median _: Double = 0) -> Double {
        let r = Quantile.ranks(0.5, n: n)
        // Twice the median as an offset: the median is one value or the mean of two.
        let v = offsets(atRanks: [r.lo, r.hi])
        let m2 = r.frac == 0 ? 2 * v[r.lo]! : v[r.lo]! + v[r.hi]!
        var left = m2 / 2                                   // index of the largest value <= median
        var right = left + 1
        var cum = 0
        var devLo = -1.0, devHi = -1.0
        counts.withUnsafeBufferPointer { cb in
            while devHi < 0 {
                let dl: Int = left >= 0 ? m2 - 2 * left : .max
                let dr: Int = right < cb.count ? 2 * right - m2 : .max
                if dl == .max && dr == .max { break }
                let takeLeft = dl <= dr
                let c = Int(takeLeft ? cb[left] : cb[right])
                let d = Double(takeLeft ? dl : dr) / 2
                if takeLeft { left -= 1 } else { right += 1 }
                if c == 0 { continue }
                cum += c
                if devLo < 0 && r.lo < cum { devLo = d }
                if r.hi < cum { devHi = d }
            }
        }
        return devLo + r.frac * (devHi - devLo)
    }

    /// Offsets from `minValue` at the given 0-based ranks.
    func offsets(atRanks ranks: [Int]) -> [Int: Int] {
        values(atRanks: ranks).mapValues { Int($0 - minValue) }
    }
}
