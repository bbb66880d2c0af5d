import Foundation
import Testing
@testable import BenchStats

/// The sequential verdict (trimmed interval, looks, alpha spending) against
/// scripts/stats-reference.py: exact values for the interval and the looks,
/// and, for the audit's scenarios, error rates and power simulated here with
/// an RNG of our own and there with numpy, which must agree within sampling
/// error and meet the goals (at most 5% false claims; 80% power at 2%).
@Suite struct SequentialReferenceTests {
    struct Fixture: Decodable {
        struct Trimmed: Decodable { var logs: [Double]; var level: Double; var mean: Double; var lo: Double; var hi: Double; var df: Double }
        struct LookRow: Decodable { var rounds: Int; var alpha: Double }
        struct Looks: Decodable { var rounds: Int; var maxRounds: Int; var looks: [LookRow] }
        struct Scenario: Decodable {
            var name: String; var reps: Int; var rates: [String: Double]
            var rounds: Int; var shift: Double; var noise: Double
            var bad_block: Int?; var tails: Int?; var platform: Double?; var within: Double?
        }
        var trimmed: [Trimmed]
        var looks: [Looks]
        var scenarios: [Scenario]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stats/sequential.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    @Test func trimmedIntervalMatchesScipy() throws {
        for c in Self.fixture.trimmed {
            let t = try #require(TrimmedInterval(logs: c.logs))
            let (lo, hi) = t.bounds(level: c.level)
            #expect(abs(t.meanLog - c.mean) < 1e-12, "n=\(c.logs.count)")
            #expect(abs(lo - c.lo) < 1e-9 && abs(hi - c.hi) < 1e-9, "n=\(c.logs.count): \(lo)…\(hi) vs \(c.lo)…\(c.hi)")
            #expect(t.df == c.df)
        }
    }

    @Test func looksMatchTheScript() {
        for c in Self.fixture.looks {
            let ends = (1...c.rounds).map(Double.init)
            let got = AlphaSpending.standard.looks(roundEnds: ends, budget: nil, maxRounds: c.maxRounds, lastIsFinal: true)
            #expect(got.map(\.rounds) == c.looks.map(\.rounds), "\(c.rounds)/\(c.maxRounds)")
            #expect(zip(got, c.looks).allSatisfy { abs($0.alpha - $1.alpha) < 1e-12 })
            #expect(got.reduce(0) { $0 + $1.alpha } <= 0.05 + 1e-12)
        }
    }

    @Test func aBudgetSpendsByTimeAndNeverMoreThanAlpha() {
        // Rounds of 2 s against 60 s: looks where 25%, 40%, … of the budget is reached; the last round spends the rest.
        let ends = (1...20).map { Double($0) * 2 }
        let lk = AlphaSpending.standard.looks(roundEnds: ends, budget: 60, maxRounds: 1000, lastIsFinal: true)
        #expect(lk.map(\.rounds) == [8, 12, 17, 20])
        #expect(abs(lk.reduce(0) { $0 + $1.alpha } - 0.05) < 1e-12)
        let goingOn = AlphaSpending.standard.looks(roundEnds: ends, budget: 60, maxRounds: 1000, lastIsFinal: false)
        #expect(goingOn.map(\.rounds) == [8, 12, 17])
        #expect(goingOn.reduce(0) { $0 + $1.alpha } < 0.05)
    }

    // MARK: scenarios

    struct Gen {
        var rng: SplitMix64
        mutating func uniform() -> Double { (Double(rng.next() >> 11) + 0.5) / Double(1 << 53) }
        mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
        mutating func studentT(_ k: Int) -> Double {
            var chi = 0.0
            for _ in 0..<k { let z = normal(); chi += z * z }
            return normal() / (chi / Double(k)).squareRoot()
        }
    }

    /// The same model as the script: AR(1) drift common to all pairs, per-pair noise, the ratio
    /// of swift-swift to the geometric mean of both C++ runs, settled at the looks of `rounds`.
    static func simulate(_ s: Fixture.Scenario, reps: Int, seed: UInt64) -> [String: Double] {
        var g = Gen(rng: SplitMix64(seed: seed))
        let n = s.rounds, phi = 0.8, driftSD = 0.03
        let looks = AlphaSpending.standard.looks(roundEnds: (1...n).map(Double.init), budget: nil, maxRounds: n, lastIsFinal: true)
        var counts: [String: Int] = [:]
        for _ in 0..<reps {
            var d = [Double](repeating: 0, count: n)
            d[0] = driftSD * g.normal()
            for r in 1..<max(1, n) where n > 1 { d[r] = phi * d[r - 1] + driftSD * (1 - phi * phi).squareRoot() * g.normal() }
            func eps() -> Double {
                if let k = s.tails { return g.studentT(k) * s.noise / (Double(k) / Double(k - 2)).squareRoot() }
                return s.noise * g.normal()
            }
            var ratios: [Double] = []
            for r in 0..<n {
                let plat = r >= n / 2 ? (s.platform ?? 0) : 0
                let w = s.within ?? 0
                let sw = d[r] + plat + s.shift + eps() + w * g.uniform()
                var c1 = d[r] + plat + eps() + w * g.uniform()
                let c2 = d[r] + plat + eps() + w * g.uniform()
                if s.bad_block == r { c1 += log(1.3) }
                ratios.append(exp(sw - (c1 + c2) / 2))
            }
            let v = StoppingRule.settle(ratios: ratios, looks: looks)
            let key: String
            switch v?.settledAfter == nil ? nil : v?.kind {
            case .faster: key = "faster"
            case .slower: key = "slower"
            case .parity: key = "parity"
            default: key = "inconclusive"
            }
            counts[key, default: 0] += 1
        }
        return counts.mapValues { Double($0) / Double(reps) }
    }

    @Test func scenariosAgreeWithTheScriptAndMeetTheGoals() {
        let reps = 600
        var table = "scenario                                  claim   (numpy)  parity  (numpy)\n"
        for (i, s) in Self.fixture.scenarios.enumerated() {
            let mine = Self.simulate(s, reps: reps, seed: 0x5e9 + UInt64(i))
            let claim = (mine["faster"] ?? 0) + (mine["slower"] ?? 0)
            let theirs = (s.rates["faster"] ?? 0) + (s.rates["slower"] ?? 0)
            let parity = mine["parity"] ?? 0, theirParity = s.rates["parity"] ?? 0
            table += s.name.padding(toLength: 42, withPad: " ", startingAt: 0)
                + String(format: "%.3f   %.3f    %.3f   %.3f\n", claim, theirs, parity, theirParity)
            // Same model, two implementations: the rates agree within sampling error.
            func se(_ p: Double) -> Double { (max(p * (1 - p), 0.002) * (1.0 / Double(reps) + 1.0 / Double(s.reps))).squareRoot() }
            #expect(abs(claim - theirs) <= 4 * se(theirs) + 0.005, "\(s.name): claims \(claim) vs numpy \(theirs)")
            #expect(abs(parity - theirParity) <= 4 * se(theirParity) + 0.005, "\(s.name): parity \(parity) vs numpy \(theirParity)")
            // The goals.
            let null = s.shift == 0
            if null { #expect(claim <= 0.05 + 3 * (0.05 * 0.95 / Double(reps)).squareRoot(), "\(s.name): \(claim) false claims") }
            if s.shift >= log(1.02) - 1e-9 && s.rounds >= 40 { #expect(claim >= 0.8, "\(s.name): power \(claim)") }
            if s.shift > log(1.025) { #expect(parity <= 0.01, "\(s.name): parity claimed for a real difference of more than 2%") }
            if s.rounds == 2 { #expect(claim == 0 && parity == 0, "two rounds are below the first look") }
        }
        print(table)
    }

    @Test func identicalRoundsSettleAfterTwo() throws {
        #expect(StoppingRule.groupSettled(roundValues: [25_344, 25_344]))
        #expect(!StoppingRule.groupSettled(roundValues: [25_344]))
        #expect(!StoppingRule.groupSettled(roundValues: [25_344, 25_345]))
        let v = try #require(StoppingRule.settle(ratios: [0.906, 0.906, 0.906], looks: []))
        #expect(v.settledAfter == 2 && v.kind == .faster)
        #expect(StoppingRule.shouldStop(series: [[1, 1], [0.9, 0.9]], looks: []))
        #expect(!StoppingRule.shouldStop(series: [[1, 1], [0.9, 0.91]], looks: []))
    }
}
