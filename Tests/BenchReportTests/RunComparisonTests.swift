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

    /// An icount-like run: every sample of every pair 1,000 but `spikes` samples of each cpp-cpp round, which an
    /// interrupt makes 1,300 (rounds identical, so every verdict is "deterministic").
    static func icountRun(samples: Int, spikes: Int) -> ParseOutcome {
        var lines = ["L4B1,begin,ic", "L4B1,meta,target,l4re", "L4B1,meta,accel,icount", "L4B1,meta,cpu,c", "L4B1,meta,tsc_hz,1000",
                     "L4B1,meta,commit,x", "L4B1,meta,date,2026-12-01T00:00:00Z", "L4B1,meta,toolchain,t", "L4B1,meta,samples,\(samples)",
                     "L4B1,meta,warmup,0", "L4B1,meta,overhead_cycles,1"]
        var n = 0
        for r in 0..<3 {
            for p in ["swift-swift", "swift-cpp", "cpp-swift", "cpp-cpp", "cpp-cpp.b"] {
                let parts = p.split(separator: "-", maxSplits: 1).map(String.init)
                for i in 0..<samples {
                    let v = p == "cpp-cpp" && i < spikes ? 1300 : 1000
                    lines.append("L4B1,s,ipc,ipc.rpc,\(parts[0]),\(parts[1]),same-core,words=0,\(r),\(i),\(v)")
                    n += 1
                }
            }
        }
        lines.append("L4B1,end,ic,\(n)")
        return ResultsParser.parse(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: "ic.csv")
    }

    /// A tail from rounds too short for it is the round's maximum: two runs of the same code under icount, one
    /// with an interrupt in a cpp-cpp sample, have the same medians and maxima 30% apart. With 10 samples a round
    /// p90 and p99 are not compared (and said so), so nothing is flagged; with 200, p99 is compared and its move found.
    @Test func tailsOfShortRoundsAreNotCompared() {
        let short = compare(Self.icountRun(samples: 10, spikes: 1), Self.icountRun(samples: 10, spikes: 0))
        #expect(short.flaggedGroups == 0 && short.regressions.isEmpty)
        #expect(short.tailsNotJudged[99]?.fewestSamples == 10 && short.tailsNotJudged[90]?.fewestSamples == 10)
        #expect(short.groups.allSatisfy { $0.verdicts.allSatisfy { $0.percentile == 50 } })
        let long = compare(Self.icountRun(samples: 200, spikes: 0), Self.icountRun(samples: 200, spikes: 4))
        #expect(long.tailsNotJudged.isEmpty)
        #expect(long.groups.contains { g in g.verdicts.contains { $0.percentile == 99 && $0.status != .unchanged } })
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
