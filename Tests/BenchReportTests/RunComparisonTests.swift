import Testing
import BenchReport
import BenchResults
import BenchStats

/// `compare`'s round-level method on synthetic runs.
@Suite struct RunComparisonTests {
    func compare(_ base: ParseOutcome, _ cur: ParseOutcome) -> RunComparison {
        RunComparison(current: GroupStatistics.of(cur.run), baseline: GroupStatistics.of(base.run),
                      currentRun: cur.run, baselineRun: base.run, rule: RegressionRule(alpha: 0.05))
    }

    @Test func twoRunsOfTheSameBinariesAreRarelyFlagged() {
        var flagged = 0, groups = 0
        for seed in UInt64(1)...20 {
            let c = compare(syntheticRun(rounds: 10, seed: seed * 2), syntheticRun(rounds: 10, seed: seed * 2 + 1))
            flagged += c.flaggedGroups
            groups += c.groups.count
        }
        #expect(groups == 20 * 10)
        #expect(Double(flagged) / Double(groups) <= 0.05, "\(flagged) of \(groups)")
    }

    @Test func aShiftOfEveryPairIsThePlatform() {
        let all = ["swift-swift": 0.06, "swift-cpp": 0.06, "cpp-swift": 0.06, "cpp-cpp": 0.06, "cpp-cpp.b": 0.06]
        let c = compare(syntheticRun(rounds: 10, blockNoise: 0.004, roundDrift: 0.01, seed: 3),
                        syntheticRun(rounds: 10, shift: all, blockNoise: 0.004, roundDrift: 0.01, seed: 4))
        #expect(!c.regressions.isEmpty)
        #expect(c.unexplainedRegressions.isEmpty)
        #expect(c.platformShifts.count == 2 && c.platformShifts.allSatisfy { $0.swiftUnchanged && abs($0.change - 0.06) < 0.02 })
    }

    @Test func aSwiftRegressionIsNotThePlatform() {
        let c = compare(syntheticRun(rounds: 10, blockNoise: 0.004, roundDrift: 0.01, seed: 5),
                        syntheticRun(rounds: 10, shift: ["swift-swift": 0.06], blockNoise: 0.004, roundDrift: 0.01, seed: 6))
        let keys = Set(c.unexplainedRegressions.map { $0.0.pair })
        #expect(keys == ["swift-swift"])
    }

    @Test func missingGroupsAndUnitsAreNamed() {
        let base = syntheticRun(rounds: 5, seed: 7)
        let cur = syntheticRun(rounds: 5, pairs: ["swift-swift", "cpp-cpp"], seed: 8)
        let c = compare(base, cur)
        #expect(Set(c.missingGroups.map(\.pair)) == ["swift-cpp", "cpp-swift", "cpp-cpp.b"])
        let icount = syntheticRun(rounds: 5, accel: "icount", seed: 9)
        #expect(RunComparison.incomparable(base.run, icount.run)?.contains("icount run is never compared with a cycle run") == true)
        #expect(RunComparison.incomparable(base.run, cur.run) == nil)
    }
}
