import Testing
@testable import BenchStats

/// Every value the format allows (0 to 2^64-1) goes through the statistics
/// without a trap, and order statistics stay exact.
@Suite struct HugeValueTests {
    @Test(arguments: [UInt64(1) << 62, (UInt64(1) << 63) - 1, UInt64(1) << 63, UInt64.max - 1, UInt64.max])
    func summaryOfHugeValues(_ big: UInt64) throws {
        let s = try #require(Summary.of([1, 2, 3, big]))
        #expect(s.max == Double(big))
        #expect(s.min == 1)
        #expect(s.p50 == 2.5)
        let all = try #require(Summary.of([big, big, big - 1]))
        #expect(all.p50 == Double(big))
        #expect(all.mad == 0)
        let spread = try #require(Summary.of([0, big / 2, big]))
        #expect(spread.p50 == Double(big / 2))
        #expect(spread.mean.isFinite && spread.sd.isFinite)
    }

    @Test func countingHistogramNearTheTop() throws {
        let base = UInt64.max - 1000
        let v = (0..<500).map { base + UInt64($0 * 2) }
        let s = try #require(Summary.of(v))
        #expect(s.min == Double(base))
        #expect(s.mad > 0)
    }

    @Test func roundQuantilesOfHugeValues() {
        var a: [UInt64] = [5, UInt64.max, UInt64.max - 3]
        let q = a.withUnsafeMutableBufferPointer { Summary.roundQuantiles($0) }
        #expect(q?.0 == Double(UInt64.max - 3))
    }
}
