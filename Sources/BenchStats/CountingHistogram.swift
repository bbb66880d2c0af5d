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

    /// Median absolute deviation from `median`: walks outwards from the median,
    /// merging the two sides by distance.
    public func mad(median m: Double) -> Double {
        let r = Quantile.ranks(0.5, n: n)
        let m2 = Int64((m * 2).rounded())            // twice the median, an integer
        let base = Int64(minValue)
        var left = Int((m.rounded(.down))) - Int(base)  // index of the largest value <= m
        var right = left + 1
        var cum = 0
        var devLo = -1.0, devHi = -1.0
        counts.withUnsafeBufferPointer { cb in
            while devHi < 0 {
                let dl: Int64 = left >= 0 ? m2 - 2 * (base + Int64(left)) : .max
                let dr: Int64 = right < cb.count ? 2 * (base + Int64(right)) - m2 : .max
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
}
