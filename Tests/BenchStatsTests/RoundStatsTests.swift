import Foundation
import Testing
@testable import BenchStats

/// The round-level methods against values computed independently with numpy
/// and scipy (scripts/stats-reference.py writes the fixture).
@Suite struct RoundStatsReferenceTests {
    struct Reference: Decodable {
        struct TQ: Decodable { var df: Double; var p: Double; var t: Double }
        struct TC: Decodable { var df: Double; var t: Double; var cdf: Double }
        struct Interval: Decodable { var ratios: [Double]; var level: Double; var estimate: Double; var lo: Double; var hi: Double }
        struct Welch: Decodable { var baseline: [Double]; var current: [Double]; var p: Double; var estimate: Double }
        var t_quantiles: [TQ]
        var t_cdf: [TC]
        var intervals: [Interval]
        var welch: [Welch]
    }

    static let reference: Reference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stats/reference.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    @Test func studentTQuantilesMatchScipy() {
        for q in Self.reference.t_quantiles {
            let t = StudentT.quantile(q.p, df: q.df)
            #expect(abs(t - q.t) < 1e-6 * max(1, abs(q.t)), "df \(q.df) p \(q.p): \(t) vs \(q.t)")
        }
    }

    @Test func studentTCDFMatchesScipy() {
        for c in Self.reference.t_cdf {
            #expect(abs(StudentT.cdf(c.t, df: c.df) - c.cdf) < 1e-9, "df \(c.df) t \(c.t)")
        }
    }

    @Test func roundIntervalsMatchScipy() throws {
        for c in Self.reference.intervals {
            let r = try #require(RoundInterval(ratios: c.ratios, level: c.level))
            #expect(abs(r.estimate - c.estimate) < 1e-12)
            #expect(abs(r.lo - c.lo) < 1e-9 && abs(r.hi - c.hi) < 1e-9, "n=\(c.ratios.count): \(r.lo)–\(r.hi) vs \(c.lo)–\(c.hi)")
            #expect(!r.deterministic)
        }
    }

    @Test func welchOverRoundsMatchesScipy() throws {
        for c in Self.reference.welch {
            let r = try #require(RoundChange(baseline: c.baseline, current: c.current))
            #expect(abs(r.estimate - c.estimate) < 1e-12)
            #expect(abs(r.p - c.p) < 1e-7, "\(r.p) vs \(c.p)")
        }
    }
}

@Suite struct RoundIntervalTests {
    @Test func deterministicRoundsHaveNoInterval() throws {
        let r = try #require(RoundInterval(ratios: [1.0125, 1.0125, 1.0125]))
        #expect(r.deterministic && !r.hasInterval && r.estimate == 1.0125)
        #expect(r.relativeHalfWidth == 0)
    }

    @Test func oneRoundIsTooFew() throws {
        let r = try #require(RoundInterval(ratios: [1.05]))
        #expect(!r.hasInterval && !r.deterministic)
        let v = try #require(LanguageVerdict(ratios: [1.05]))
        #expect(v.kind == .tooFewRounds)
        #expect(v.text == "too few rounds for an interval (rounds=1)")
    }
}

@Suite struct LanguageVerdictTests {
    /// Per-round ratios of a pair that shares the reference's distribution.
    func nullRatios(_ n: Int, noise: Double, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            var u = 0.0
            for _ in 0..<12 { u += Double(rng.next() >> 11) / Double(1 << 53) }
            return exp(noise * (u - 6))
        }
    }

    @Test func noiseIsRarelyCalledADifference() {
        var claims = 0
        for seed in UInt64(1)...400 {
            let v = LanguageVerdict(ratios: nullRatios(10, noise: 0.02, seed: seed))!
            if v.kind == .faster || v.kind == .slower { claims += 1 }
        }
        // At the 95% level: about 5% of null series (binomial: at most 34 of 400 at 3 sd).
        #expect(claims <= 34, "\(claims) of 400")
        #expect(claims >= 4, "\(claims) of 400: the interval is far too wide for its level")
    }

    @Test func aRealThreePercentShiftIsNamed() throws {
        let v = try #require(LanguageVerdict(ratios: nullRatios(10, noise: 0.005, seed: 7).map { $0 * 1.03 }))
        #expect(v.kind == .slower)
        #expect(v.text.hasPrefix("Swift slower by 3."))
    }

    @Test func oneBadRoundIsNamedAndTrimmed() throws {
        // A 5% difference, and one round whose cpp-cpp block was 30% slow (the pair looks 23% faster there).
        var r = nullRatios(12, noise: 0.005, seed: 11).map { $0 * 1.05 }
        r[4] /= 1.3
        let v = try #require(LanguageVerdict(ratios: r, rounds: Array(100..<112)))
        #expect(v.kind == .slower, "\(v.text)")
        #expect(v.outlier?.round == 104)
        // The plain mean of the logs would have been pulled 2% towards 1, the trimmed mean is not.
        #expect(abs(v.ratio - 1.05) < 0.006, "\(v.ratio)")
    }

    @Test func parityAndInconclusive() throws {
        let tight = try #require(LanguageVerdict(ratios: nullRatios(20, noise: 0.002, seed: 3)))
        #expect(tight.kind == .parity && tight.text.hasPrefix("parity (within ±"))
        let wide = try #require(LanguageVerdict(ratios: nullRatios(5, noise: 0.08, seed: 5)))
        #expect(wide.kind == .inconclusive)
        #expect(wide.text.contains("rounds would settle ±2.0%"))
        #expect(wide.text.contains("not within ±2.0%"), "\(wide.text)")
        #expect((wide.roundsNeeded ?? 0) > 5)
        // The interval is printed, and a bound just past the resolution is not printed as the resolution.
        #expect(wide.text.hasPrefix("inconclusive: -"), "\(wide.text)")
        #expect(LanguageVerdict.signedBound(0.0203, past: "2.0%") == "+2.03%")
        #expect(LanguageVerdict.signedBound(-0.013, past: "2.0%") == "-1.3%")
        #expect(LanguageVerdict.signedBound(0.025, past: "2.0%") == "+2.5%")
    }

    @Test func deterministicVerdicts() throws {
        let same = try #require(LanguageVerdict(ratios: [1, 1, 1]))
        #expect(same.text == "parity (deterministic)")
        let slower = try #require(LanguageVerdict(ratios: [1.021, 1.021, 1.021]))
        #expect(slower.kind == .slower && slower.text == "Swift slower by 2.1% (deterministic)")
    }

    @Test func theControlIsARunCheck() throws {
        let off = try #require(LanguageVerdict(ratios: nullRatios(10, noise: 0.003, seed: 13).map { $0 * 1.04 }, isControl: true))
        #expect(off.text.hasPrefix("run check FAILED"), "\(off.text)")
        let fine = try #require(LanguageVerdict(ratios: nullRatios(10, noise: 0.003, seed: 14), isControl: true))
        #expect(!fine.text.contains("FAILED"))
    }
}

@Suite struct ChangePointTests {
    func noisySeries(_ levels: [Double], noise: Double, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return levels.map { l in
            var u = 0.0
            for _ in 0..<12 { u += Double(rng.next() >> 11) / Double(1 << 53) }
            return l * exp(noise * (u - 6))
        }
    }

    @Test func aStepIsFoundWhereItIs() {
        let levels = Array(repeating: 1000.0, count: 8) + Array(repeating: 1023.0, count: 7)
        let cps = ChangePoints.detect(noisySeries(levels, noise: 0.003, seed: 1))
        #expect(cps.count == 1)
        #expect(cps.first?.index == 8)
        #expect(abs((cps.first?.change ?? 0) - 0.023) < 0.005)
    }

    @Test func noiseAloneHasNoChangePoint() {
        var found = 0
        for seed in UInt64(1)...50 {
            found += ChangePoints.detect(noisySeries(Array(repeating: 1000, count: 20), noise: 0.02, seed: seed)).count
        }
        #expect(found <= 2)
    }

    @Test func oneOutlierIsNotAChange() {
        var v = Array(repeating: 1000.0, count: 12)
        v[6] = 1200
        #expect(ChangePoints.detect(noisySeries(v, noise: 0.002, seed: 3)).isEmpty)
    }

    @Test func deterministicSeriesChangeExactly() {
        let v: [Double] = [500, 500, 500, 530, 530, 530, 530, 515, 515]
        let cps = ChangePoints.detect(v)
        #expect(cps.map(\.index) == [3, 7])
    }
}
