import Testing
@testable import BenchStats

/// Deterministic pseudo-random values around `center` with relative spread.
func noisy(_ n: Int, center: Double, spread: Double = 0.04, seed: UInt64) -> [UInt64] {
    var s = seed | 1
    return (0..<n).map { _ in
        var u = 0.0
        for _ in 0..<4 {  // roughly normal: sum of uniforms
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            u += Double(s % 1_000_000) / 1_000_000
        }
        return UInt64((center * (1 + spread * (u - 2))).rounded())
    }
}

@Suite struct SummaryTests {
    @Test func handComputedValuesForOneToTen() throws {
        let s = try #require(Summary.of([7, 3, 10, 1, 5, 2, 9, 4, 8, 6]))
        #expect(s.n == 10)
        #expect(s.min == 1 && s.max == 10)
        #expect(s.p50 == 5.5)
        #expect(abs(s.p25 - 3.25) < 1e-12)
        #expect(abs(s.p75 - 7.75) < 1e-12)
        #expect(abs(s.p90 - 9.1) < 1e-12)
        #expect(abs(s.p99 - 9.91) < 1e-12)
        #expect(s.mean == 5.5)
        #expect(abs(s.sd - 3.0276503540974917) < 1e-12)
        // |x - 5.5| = 4.5 3.5 2.5 1.5 0.5 0.5 1.5 2.5 3.5 4.5 -> median 2.5
        #expect(s.mad == 2.5)
        // n = 10: the 2nd and 9th order statistics bound the median with 97.9% coverage.
        #expect(s.medianCI == 2...9)
    }

    @Test func integerMedianMAD() throws {
        let s = try #require(Summary.of([1, 2, 3, 4, 100]))
        #expect(s.p50 == 3)
        #expect(s.mad == 1)  // deviations 2 1 0 1 97
        #expect(s.medianCI == nil)  // n = 5 cannot reach 95%
    }

    @Test func selectionAgreesWithSorting() {
        for seed in 1...20 as ClosedRange<UInt64> {
            let n = Int(seed) * 37 + 5
            var v = noisy(n, center: 50, spread: 0.5, seed: seed)  // many duplicates
            let sorted = v.sorted()
            let ranks = [0, n / 4, n / 2, n - 1, (n * 99) / 100]
            v.withUnsafeMutableBufferPointer { Selection.select($0, ranks: ranks) }
            for r in ranks { #expect(v[r] == sorted[r], "seed \(seed) rank \(r)") }
        }
    }

    @Test func largeSampleMedianCIUsesNormalRanks() throws {
        let ci = try #require(Quantile.confidenceRanks(0.5, n: 10_000))
        // 5000 -/+ 1.96 * 50 = 4902 .. 5098 (1-based), 0-based 4901 .. 5098
        #expect(ci.lo == 4901)
        #expect(ci.hi == 5098)
    }
}

@Suite struct TestsAndRules {
    @Test func mannWhitneyMatchesHandComputation() throws {
        let mw = try #require(MannWhitney(sortedA: [1, 2, 3, 4, 5], sortedB: [6, 7, 8, 9, 10]))
        #expect(mw.u == 0)
        // z = (0 - 12.5 + 0.5) / sqrt(25 * 11 / 12)
        #expect(abs(mw.z - (-2.5067)) < 1e-3)
        #expect(abs(mw.p - 0.01219) < 1e-4)
        let same = try #require(MannWhitney(sortedA: [5, 5, 5], sortedB: [5, 5, 5]))
        #expect(same.p == 1)
    }

    /// Per-round medians of `rounds` rounds: each round has its own level (drift
    /// shared by every group in it) plus a little noise.
    func roundValues(_ rounds: Int, center: Double, drift: Double = 0.03, seed: UInt64) -> [Int: [Double]] {
        let levels = noisy(rounds, center: 1000, spread: drift, seed: seed ^ 0xabc).map { Double($0) / 1000 }
        let noise = noisy(rounds, center: 1000, spread: 0.004, seed: seed).map { Double($0) / 1000 }
        let v = (0..<rounds).map { center * levels[$0] * noise[$0] }
        return [50: v, 90: v.map { $0 * 1.1 }, 99: v.map { $0 * 1.3 }]
    }

    @Test func fivePercentMedianShiftOverRoundsIsARegression() {
        let base = roundValues(10, center: 9500, drift: 0.01, seed: 11)
        let cur = roundValues(10, center: 9500 * 1.05, drift: 0.01, seed: 12)
        let v = RegressionRule().judge(benchmark: "ipc.roundtrip", baseline: base, current: cur)
        let p50 = v.first { $0.percentile == 50 }!
        #expect(p50.status == .regression)
        #expect(abs(p50.change - 0.05) < 0.01)
        #expect(p50.evidence.contains("Welch"))
    }

    @Test func halfPercentShiftPasses() {
        let base = roundValues(10, center: 9500, drift: 0.01, seed: 21)
        let cur = roundValues(10, center: 9500 * 1.005, drift: 0.01, seed: 22)
        let v = RegressionRule().judge(benchmark: "ipc.roundtrip", baseline: base, current: cur)
        #expect(v.allSatisfy { $0.status != .regression })
    }

    /// The same population in both runs, with drift between rounds: thousands of
    /// samples per round would make a pooled test flag it; the round-level test does not.
    @Test func driftAloneIsNoRegression() {
        var flagged = 0
        for seed in UInt64(1)...40 {
            let base = roundValues(10, center: 9500, drift: 0.06, seed: seed * 2)
            let cur = roundValues(10, center: 9500, drift: 0.06, seed: seed * 2 + 1)
            let v = RegressionRule(alpha: 0.05).judge(benchmark: "x", baseline: base, current: cur)
            if v.contains(where: { $0.significant }) { flagged += 1 }
        }
        #expect(flagged <= 6)  // about 5% of 40 expected at alpha 0.05
    }

    @Test func deterministicRoundsCompareExactly() {
        let base: [Int: [Double]] = [50: [1000, 1000, 1000], 90: [1000, 1000, 1000], 99: [1000, 1000, 1000]]
        let same = RegressionRule().judge(benchmark: "x", baseline: base, current: base)
        #expect(same.allSatisfy { $0.status == .unchanged && $0.evidence.hasPrefix("deterministic") })
        let up: [Int: [Double]] = [50: [1030, 1030, 1030], 90: [1030, 1030, 1030], 99: [1030, 1030, 1030]]
        let v = RegressionRule().judge(benchmark: "x", baseline: base, current: up)
        #expect(v.first { $0.percentile == 50 }!.status == .regression)
    }

    @Test func improvementsAreNotRegressions() {
        let base = roundValues(10, center: 9500, drift: 0.01, seed: 31)
        let cur = roundValues(10, center: 9000, drift: 0.01, seed: 32)
        let v = RegressionRule().judge(benchmark: "x", baseline: base, current: cur)
        #expect(v.first { $0.percentile == 50 }!.status == .improvement)
    }

    @Test func thresholdSpecs() throws {
        var r = RegressionRule()
        try r.apply(spec: "p50=3%")
        try r.apply(spec: "ipc.roundtrip:p99=15%")
        try r.apply(spec: "cap.map=0.5%")
        try r.apply(spec: "p90=off")
        #expect(r.threshold(benchmark: "x", percentile: 50) == 0.03)
        #expect(r.threshold(benchmark: "ipc.roundtrip", percentile: 99) == 0.15)
        #expect(r.threshold(benchmark: "x", percentile: 99) == 0.10)
        #expect(r.threshold(benchmark: "cap.map", percentile: 50) == 0.005)
        #expect(r.threshold(benchmark: "x", percentile: 90) == nil)
        #expect(throws: RegressionRule.SpecError.self) { try r.apply(spec: "p42=1%") }
        #expect(throws: RegressionRule.SpecError.self) { try r.apply(spec: "p50") }
    }

    @Test func ratioIntervalBracketsTheRatio() throws {
        let a = try #require(Summary.of(noisy(2000, center: 1050, seed: 41)))
        let b = try #require(Summary.of(noisy(2000, center: 1000, seed: 42)))
        let r = try #require(RatioInterval(numerator: a, denominator: b))
        #expect(abs(r.ratio - 1.05) < 0.01)
        #expect(r.lo < r.ratio && r.ratio < r.hi)
        #expect(r.hi - r.lo < 0.02)
    }
}
