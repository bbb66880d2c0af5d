import Foundation
import Testing
@testable import BenchReport
import BenchResults
@testable import BenchStats

/// The compare gate's family-wise false-alarm rate, simulated with the real
/// gate (`RunComparison`, Holm over every tested percentile of every gateable
/// pair at alpha 0.01, the thresholds): pairs of runs of identical binaries in
/// a suite of 256 gateable groups, each run with its own level per pair (the
/// variation between runs), AR(1) drift between rounds, heavy-tailed noise,
/// p50/p90/p99 per round. The same model as `scripts/stats-reference.py`
/// (gate.json), whose numpy rates these must agree with.
@Suite struct GateSimulationTests {
    static let benchmarks = 64
    static let pairs = ["cpp-cpp", "cpp-cpp.b", "swift-swift", "swift-cpp", "cpp-swift", "cpp.gcc-cpp.gcc"]
    static let noise: [Int: Double] = [50: 0.015, 90: 0.02, 99: 0.05]
    static let rounds = 20
    static let run = Run(id: "sim", metadata: [("target", "linux"), ("accel", "native")], groups: [], source: "sim")

    struct Gen {
        var rng: SplitMix64
        init(seed: UInt64) { rng = SplitMix64(seed: seed) }
        mutating func uniform() -> Double { (Double(rng.next() >> 11) + 0.5) / Double(1 << 53) }
        mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
        /// Student's t with 3 df, scaled to standard deviation `sd`.
        mutating func t3(_ sd: Double) -> Double {
            let z = normal(), c = (0..<3).reduce(0.0) { s, _ in let x = normal(); return s + x * x }
            return z / (c / 3).squareRoot() * sd / 3.0.squareRoot()
        }
    }

    /// One run: every group's rounds. `between`: the between-run sd of a pair's ratio to cpp-cpp
    /// (every pair, cpp-cpp included, draws a level with sd between/sqrt(2)); `regress`: swift-swift
    /// of the first benchmark is that much slower (log).
    static func simulatedRun(_ g: inout Gen, between: Double, regress: Double = 0) -> [GroupStatistics] {
        var drift = [Double](repeating: 0, count: rounds)
        drift[0] = 0.03 * g.normal()
        for r in 1..<rounds { drift[r] = 0.8 * drift[r - 1] + 0.03 * (1 - 0.64).squareRoot() * g.normal() }
        var out: [GroupStatistics] = []
        let summary = Summary(n: 1, min: 1, p25: 1, p50: 1, p75: 1, p90: 1, p99: 1, max: 1, mean: 1, sd: 0, mad: 0, medianCI: nil)
        for b in 0..<benchmarks {
            for (pi, pair) in pairs.enumerated() {
                let sides = pair.split(separator: "-", maxSplits: 1).map(String.init)
                let key = GroupKey(suite: "sim", benchmark: "b\(b / 2)", client: sides[0], server: sides[1],
                                   placement: b % 2 == 0 ? "same-core" : "cross-core", param: "-")
                let level = between / 2.0.squareRoot() * g.normal() + (b == 0 && pi == 2 ? regress : 0)
                var rq: [RoundQuantiles] = []
                for r in 0..<rounds {
                    let v50 = 10 + drift[r] + level + g.t3(noise[50]!)
                    let v90 = v50 + log(1.09) + g.t3(noise[90]!)
                    let v99 = v50 + log(1.099) + g.t3(noise[99]!)
                    rq.append(RoundQuantiles(round: r, p50: exp(v50), p90: exp(v90), p99: exp(v99)))
                }
                out.append(GroupStatistics(key: key, summary: summary, rounds: rq))
            }
        }
        return out
    }

    struct Rates { var compares = 0; var failed = 0; var found = 0; var gateGroups = 0; var between: [Double] = [] }

    /// `reps` compares of `runs` runs per side with the stated between-run sd 0.5%.
    static func simulate(reps: Int, runs: Int = 1, between: Double, regress: Double = 0, seed: UInt64) -> Rates {
        var g = Gen(seed: seed)
        var rates = Rates()
        for _ in 0..<reps {
            let base = (0..<runs).map { _ in simulatedRun(&g, between: between) }
            let cur = (0..<runs).map { _ in simulatedRun(&g, between: between, regress: regress) }
            let c = RunComparison(currentRuns: cur, baselineRuns: base, currentRun: run, baselineRun: run, rule: RegressionRule())
            rates.compares += 1
            rates.gateGroups = c.gateGroups
            if !c.unexplainedRegressions.isEmpty { rates.failed += 1 }
            let regressing = c.unexplainedRegressions.contains { key, v in
                key.pair == "swift-swift" && key.benchmark == "b0" && key.placement == "same-core" && v.percentile == 50
            }
            if regressing {
                rates.found += 1
            }
            if let e = c.estimatedBetweenRunSD[50] { rates.between.append(e) }
        }
        return rates
    }

    /// Upper 95% bound of a binomial rate (Wilson score).
    static func upper(_ k: Int, _ n: Int) -> Double {
        let z = 1.96, p = Double(k) / Double(n), nn = Double(n)
        return (p + z * z / (2 * nn) + z * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()) / (1 + z * z / nn)
    }

    struct GateFixture: Decodable {
        struct Scenario: Decodable {
            var name: String; var reps: Int; var fail: Double; var found: Double
            var between: Double; var runs: Int?; var regress: Double?
        }
        struct Replicate: Decodable { var baseline: [[Double]]; var current: [[Double]]; var p: Double; var estimate: Double; var df: Double }
        var groups: Int
        var scenarios: [Scenario]
        var replicate: [Replicate]
    }

    static let fixture: GateFixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stats/gate.json")
        return try! JSONDecoder().decode(GateFixture.self, from: Data(contentsOf: url))
    }()

    static func scripted(_ prefix: String) -> GateFixture.Scenario { fixture.scenarios.first { $0.name.hasPrefix(prefix) }! }

    /// Agreement of two rates within 4 standard errors (plus 1% for the models' small differences).
    static func agree(_ a: Double, _ na: Int, _ b: Double, _ nb: Int) -> Bool {
        let p = (a * Double(na) + b * Double(nb)) / Double(na + nb)
        return abs(a - b) <= 4 * (p * (1 - p) * (1 / Double(na) + 1 / Double(nb))).squareRoot() + 0.01
    }

    @Test func identicalBinariesFailTheGateInAtMost5PercentOfCompares() {
        let r = Self.simulate(reps: 100, between: 0.005, seed: 1)
        #expect(r.gateGroups == 256)
        let rate = Double(r.failed) / Double(r.compares)
        // The goal is a family-wise rate of at most 5% per compare; Holm holds it at 1% when the
        // stated between-run sd is right. The 95% upper bound must be under the goal.
        #expect(Self.upper(r.failed, r.compares) <= 0.05, "\(r.failed) of \(r.compares) compares failed the gate")
        let s = Self.scripted("identical binaries, between-run sd 0.5%")
        #expect(Self.agree(rate, r.compares, s.fail, s.reps), "Swift \(rate), numpy \(s.fail)")
    }

    @Test func aWrongStatedBetweenRunSpreadBreaksTheRate() {
        // The true spread between runs is 1%, the stated 0.5%: the gate fails far more often than 5%
        // (numpy: 26% of compares at 20 rounds a run).
        let r = Self.simulate(reps: 30, between: 0.01, seed: 2)
        let rate = Double(r.failed) / Double(r.compares)
        #expect(rate > 0.1, "\(r.failed) of \(r.compares)")
        let s = Self.scripted("identical binaries, between-run sd 1%")
        #expect(Self.agree(rate, r.compares, s.fail, s.reps), "Swift \(rate), numpy \(s.fail)")
    }

    @Test func aFivePercentRegressionOfOnePairIsFound() {
        let r = Self.simulate(reps: 30, between: 0.005, regress: log(1.05), seed: 3)
        // numpy: 52% at 20 rounds a run (Holm over 768 tests at 0.01 asks |t| of about 4.4).
        let found = Double(r.found) / Double(r.compares)
        #expect(found >= 0.3, "\(r.found) of \(r.compares)")
        let s = Self.scripted("one pair 5% slower, between-run sd 0.5%")
        #expect(Self.agree(found, r.compares, s.found, s.reps), "Swift \(found), numpy \(s.found)")
    }

    @Test func severalRunsPerSideEstimateTheSpreadAndHoldTheRate() {
        // The stated 0.5% is wrong (the truth is 1%), but with 3 runs per side it is not used.
        let r = Self.simulate(reps: 20, runs: 3, between: 0.01, seed: 4)
        #expect(r.failed <= 1, "\(r.failed) of \(r.compares)")
        // The estimate of the spread between runs (median over the groups) is near the truth.
        let e = RegressionRule.median(r.between)
        #expect(e > 0.007 && e < 0.013, "estimated \(e)")
        let s = Self.scripted("identical, 1% between runs, 3 runs per side")
        #expect(Self.agree(Double(r.failed) / Double(r.compares), r.compares, s.fail, s.reps))
    }

    @Test func severalRunsPerSideStillFindALargeRegression() {
        let r = Self.simulate(reps: 12, runs: 5, between: 0.01, regress: log(1.10), seed: 5)
        let found = Double(r.found) / Double(r.compares)
        let s = Self.scripted("one pair 10% slower, 1% between runs, 5 runs per side")
        #expect(found >= 0.5, "\(r.found) of \(r.compares)")
        #expect(Self.agree(found, r.compares, s.found, s.reps), "Swift \(found), numpy \(s.found)")
    }

    @Test func aGroupOnlyOneRunPerSideHasFallsBackToTheStatedSpread() throws {
        var g = Gen(seed: 6)
        let base = Self.simulatedRun(&g, between: 0.005), cur = Self.simulatedRun(&g, between: 0.005)
        // The replicate lacks swift-swift of b0 same-core: that group has one run per side.
        let lacking = Self.simulatedRun(&g, between: 0.005).filter {
            !($0.key.pair == "swift-swift" && $0.key.benchmark == "b0" && $0.key.placement == "same-core")
        }
        let c = RunComparison(currentRuns: [cur, lacking], baselineRuns: [base], currentRun: Self.run, baselineRun: Self.run,
                              rule: RegressionRule())
        #expect(c.runsPerSide.baseline == 1 && c.runsPerSide.current == 2)
        let alone = try #require(c.groups.first { $0.key.pair == "swift-swift" && $0.key.benchmark == "b0" && $0.key.placement == "same-core" })
        #expect(alone.verdicts.allSatisfy { $0.evidence.contains("Welch t over rounds") && $0.estimatedBetweenRunSD == nil })
        let other = try #require(c.groups.first { $0.key.pair == "swift-swift" && $0.key.benchmark == "b1" })
        #expect(other.verdicts.allSatisfy { $0.evidence.contains("random effects over runs (1 vs 2 runs, t with 1 df)") })
        #expect(c.gateGroups == 256 && c.gateFamily == 768)
    }

    @Test func replicateChangeMatchesScipy() throws {
        for c in Self.fixture.replicate {
            let rc = try #require(ReplicateChange(baseline: c.baseline, current: c.current))
            #expect(abs(rc.p - c.p) < 1e-9, "p \(rc.p) vs \(c.p)")
            #expect(abs(rc.estimate - c.estimate) < 1e-12)
            #expect(rc.df == c.df)
        }
    }

    @Test func replicateChangeEdgeCases() throws {
        // One run in all on a side and one on the other: no estimate of the spread between runs.
        #expect(ReplicateChange(baseline: [[1, 2]], current: [[1, 2]]) == nil)
        #expect(ReplicateChange(baseline: [], current: [[1], [2], [3]]) == nil)
        // Exact rounds (icount) alike within each side: the change is exact.
        let exact = try #require(ReplicateChange(baseline: [[100, 100], [100]], current: [[103, 103], [103, 103]]))
        #expect(exact.deterministic && exact.p == 0 && abs(exact.estimate - 1.03) < 1e-12)
        // The rounds of a run move together: many rounds of two runs that differ are not many units.
        func rounds(_ level: Double) -> [Double] { (0..<50).map { (i: Int) -> Double in level + Double(i % 5) } }
        let base: [[Double]] = [rounds(1000), rounds(1010)]
        let cur: [[Double]] = [rounds(1005)]
        let rc = try #require(ReplicateChange(baseline: base, current: cur))
        #expect(rc.df == 1 && rc.p > 0.5)
        #expect(rc.betweenRunSD > 0.005)
    }
}
