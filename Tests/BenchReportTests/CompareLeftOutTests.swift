import Testing
import BenchReport
import BenchResults
import BenchStats

/// `compare` leaves out what the report leaves out (a failed block, and a failed
/// cpp-cpp block for every pair judged against it), names it, counts only the
/// runs it used, and shows the values its change is computed from.
@Suite struct CompareLeftOutTests {
    static func parse(_ lines: [String]) -> ParseOutcome {
        ResultsParser.parse(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: "t.csv")
    }

    /// `syntheticRunText(rounds: 6)` with the block of `pair` (client, server) in `round`
    /// cut to 3 samples of `value` and a `fail` note for it.
    static func failedBlock(_ client: String, _ server: String, round: Int, value: Int, id: String = "t") -> ParseOutcome {
        var text = syntheticRunText(rounds: 6).filter { line in
            !(line.contains(",ipc.roundtrip,\(client),\(server),same-core,words=0,\(round),")
              && (Int(line.split(separator: ",")[9]) ?? 0) >= 3)
        }
        text = text.map { line in
            guard line.contains(",ipc.roundtrip,\(client),\(server),same-core,words=0,\(round),") else { return line }
            var f = line.split(separator: ",").map(String.init)
            f[f.count - 1] = String(value)
            return f.joined(separator: ",")
        }
        let n = text.filter { $0.hasPrefix("L4B1,s,") }.count
        text[text.count - 1] = "L4B1,end,\(id),\(n)"
        text[0] = "L4B1,begin,\(id)"
        text.insert("L4B1,fail,futex,ipc.roundtrip,\(client),\(server),same-core,words=0,round \(round): peer crashed (SIGSEGV)",
                    at: text.count - 1)
        return parse(text)
    }

    static func compare(_ cur: ParseOutcome, _ base: ParseOutcome) -> RunComparison {
        RunComparison(current: GroupStatistics.of(cur.run), baseline: GroupStatistics.of(base.run),
                      currentRun: cur.run, baselineRun: base.run, rule: RegressionRule())
    }

    @Test func aFailedBlockNeverMakesThePairLookFaster() throws {
        let base = Self.parse(syntheticRunText(rounds: 6))
        // swift-swift's round 2 crashed after 3 fast samples (a third of the usual time).
        let cur = Self.failedBlock("swift", "swift", round: 2, value: 330)
        #expect(cur.fault == nil && base.fault == nil)
        let c = Self.compare(cur, base)
        let g = try #require(c.groups.first { $0.key.pair == "swift-swift" })
        // Every other round's ratio is exactly that of the baseline: no change at all.
        for v in g.verdicts { #expect(v.change == 0, "p\(v.percentile): \(v.change) \(v.evidence)") }
        // Its own values: the five good rounds (values 1000 to 1010), not the crashed one's 330.
        for v in g.absolute { #expect(abs(v.change) < 0.01, "absolute p\(v.percentile): \(v.change)") }
        #expect(g.verdicts.allSatisfy { $0.evidence.contains("(6 vs 5") }, "\(g.verdicts.map(\.evidence))")
        // Named, with the group it affects and the run it is in.
        let l = try #require(c.leftOut.first)
        #expect(c.leftOut.count == 1, "\(c.leftOut)")
        #expect(!l.baselineSide && l.run == 0 && l.round == 2 && l.key.pair == "swift-swift")
        #expect(l.why == "failed block: peer crashed (SIGSEGV)")
    }

    @Test func aFailedCppBlockRemovesTheRoundForEveryPairJudgedAgainstIt() throws {
        let cur = Self.parse(syntheticRunText(rounds: 6))
        // The baseline's cpp-cpp block of round 3 crashed after 3 slow samples: judged against
        // it, swift-swift would look twice as fast in that round.
        let base = Self.failedBlock("cpp", "cpp", round: 3, value: 2000)
        let c = Self.compare(cur, base)
        let g = try #require(c.groups.first { $0.key.pair == "swift-swift" })
        for v in g.verdicts { #expect(v.change == 0, "p\(v.percentile): \(v.change) \(v.evidence)") }
        let cpp = try #require(c.groups.first { $0.key.pair == "cpp-cpp" })
        for v in cpp.verdicts { #expect(abs(v.change) < 0.01, "cpp-cpp p\(v.percentile): \(v.change)") }
        // The same rule and words as the report's within-run comparison.
        let report = Report(outcome: base)
        let within = try #require(report.comparisons.first { $0.key.pair == "swift-swift" })
        let reportWhy = try #require(within.leftOut.first { $0.round == 3 }?.why)
        #expect(c.leftOut.contains { $0.baselineSide && $0.key.pair == "swift-swift" && $0.round == 3 && $0.why == reportWhy })
        #expect(reportWhy == "failed block: cpp-cpp: peer crashed (SIGSEGV)")
        #expect(c.leftOut.contains { $0.baselineSide && $0.key.pair == "cpp-cpp" && $0.round == 3 })
    }

    /// The baseline and current columns reproduce the change: they are the levels the
    /// estimate is computed from (geometric means), not medians of the rounds.
    @Test func theShownValuesReproduceTheChange() {
        var checked = 0
        for seed in UInt64(1)...4 {
            let c = Self.compare(syntheticRun(rounds: 7, shift: ["swift-swift": 0.03], roundDrift: 0.2, seed: seed * 2),
                                 syntheticRun(rounds: 7, roundDrift: 0.2, seed: seed * 2 + 1))
            for g in c.groups {
                for v in g.verdicts + g.absolute where v.evidence.contains("p=") {
                    #expect(abs((v.current / v.baseline - 1) - v.change) < 1e-12, "\(g.key) p\(v.percentile): \(v.baseline) → \(v.current), \(v.change)")
                    checked += 1
                }
            }
        }
        #expect(checked > 50)
        // With several runs per side: the mean over runs of each run's geometric mean (log scale).
        let runs = (1...4).map { syntheticRun(rounds: 5, roundDrift: 0.2, seed: 100 + $0) }
        let stats = runs.map { GroupStatistics.of($0.run) }
        let c = RunComparison(currentRuns: [stats[0], stats[1]], baselineRuns: [stats[2], stats[3]],
                              currentRun: runs[0].run, baselineRun: runs[2].run, rule: RegressionRule())
        for g in c.groups {
            for v in g.verdicts where v.evidence.contains("p=") {
                #expect(abs((v.current / v.baseline - 1) - v.change) < 1e-12, "\(g.key) p\(v.percentile)")
            }
        }
    }

    @Test func onlyTheRunsThatGaveValuesAreCounted() {
        let a = syntheticRun(rounds: 5, seed: 1), b = syntheticRun(rounds: 5, seed: 2)
        // A replicate of another benchmark: it gives nothing to any compared group.
        let other = syntheticRun(rounds: 5, seed: 3)
        var moved = other.run
        moved.groups = moved.groups.map { var g = $0; g.key.benchmark = "cap.transfer"; return g }
        let c = RunComparison(currentRuns: [GroupStatistics.of(a.run), GroupStatistics.of(moved)], baselineRuns: [GroupStatistics.of(b.run)],
                              currentRun: a.run, baselineRun: b.run, rule: RegressionRule())
        #expect(c.usedRuns.current == [0] && c.usedRuns.baseline == [0])
        #expect(c.runsPerSide.baseline == 1 && c.runsPerSide.current == 1)
        #expect(c.estimatedBetweenRunSD.isEmpty)
        // A replicate that lacks one pair gives values to the others and names the gap.
        var fewer = other.run
        fewer.groups = fewer.groups.filter { $0.key.pair != "swift-cpp" }
        let d = RunComparison(currentRuns: [GroupStatistics.of(a.run), GroupStatistics.of(fewer)], baselineRuns: [GroupStatistics.of(b.run)],
                              currentRun: a.run, baselineRun: b.run, rule: RegressionRule())
        #expect(d.usedRuns.current == [0, 1])
        #expect(Set((d.replicateGaps.current[1] ?? []).map(\.pair)) == ["swift-cpp"])
    }
}
