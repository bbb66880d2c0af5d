import BenchReport
import BenchResults
import BenchStats
import Testing

/// `compare` names an environment difference of the L4Re or Fiasco sources by
/// their commits, not by the names of the checkouts they were read from.
@Suite struct EnvironmentCommitTests {
    func diffs(_ base: String, _ current: String, key: String = "l4re_commit") -> [String] {
        var b = syntheticRun(rounds: 3, seed: 1).run
        var c = syntheticRun(rounds: 3, seed: 2).run
        b.metadata.removeAll { $0.key == key }
        c.metadata.removeAll { $0.key == key }
        b.metadata.append((key, base))
        c.metadata.append((key, current))
        let cmp = RunComparison(current: GroupStatistics.of(c), baseline: GroupStatistics.of(b), currentRun: c, baselineRun: b,
                                rule: RegressionRule(alpha: 0.05))
        return cmp.environmentDiffs.map(\.key)
    }

    @Test func theSameCommitsInCheckoutsOfAnotherNameAreNoDifference() {
        #expect(diffs("l4 ecd1a350a7c3; bootstrap a0bd2026b0e5", "mk ecd1a350a7c3; bootstrap a0bd2026b0e5").isEmpty)
        #expect(diffs("fiasco 1111aaaa2222", "src 1111aaaa2222", key: "fiasco_commit").isEmpty)
    }

    @Test func anotherCommitIsADifference() {
        #expect(diffs("l4 ecd1a350a7c3; bootstrap a0bd2026b0e5", "l4 ecd1a350a7c3; bootstrap 0000000000ff") == ["l4re_commit"])
        #expect(diffs("l4 ecd1a350a7c3", "l4 ecd1a350a7c3; l4re-core 650293276cb7") == ["l4re_commit"])
        #expect(diffs("fiasco 1111aaaa2222", "fiasco 1111aaaa2223", key: "fiasco_commit") == ["fiasco_commit"])
    }

    @Test func theBenchmarkCommitStillComparesAsText() {
        #expect(diffs("x", "y", key: "commit") == ["commit"])
    }
}
