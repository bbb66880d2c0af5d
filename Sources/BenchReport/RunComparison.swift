import BenchResults
import BenchStats

/// A run against a baseline run, group by group, over rounds: each round's
/// p50, p90 and p99 are the units, so the drift inside a round is never
/// mistaken for a change. A change where every pair of a benchmark moved
/// together, cpp-cpp included, and the Swift pairs' ratios to cpp-cpp did not,
/// is a shift of the platform, not of Swift.
public struct RunComparison: Sendable {
    public struct GroupResult: Sendable {
        public var key: GroupKey
        public var verdicts: [Verdict]
        /// The pair's per-round ratio to cpp-cpp, current against baseline (nil for cpp-cpp itself).
        public var relative: RoundChange?
        /// The group's changes are explained by a common shift of the platform.
        public var platform: Bool
    }

    public struct PlatformShift: Sendable {
        public var benchKey: String
        /// cpp-cpp's median change (current / baseline - 1).
        public var change: Double
        /// Swift pairs whose ratio to cpp-cpp is unchanged / changed.
        public var swiftUnchanged: Bool
    }

    public var groups: [GroupResult] = []
    /// Groups in the current run that the baseline lacks.
    public var newGroups: [GroupKey] = []
    /// Baseline groups the current run lacks (a pair that crashed, a benchmark dropped).
    public var missingGroups: [GroupKey] = []
    public var platformShifts: [PlatformShift] = []
    /// Provenance keys whose values differ: (key, baseline, current).
    public var environmentDiffs: [(key: String, baseline: String, current: String)] = []

    /// Metadata that describe the environment of a run, compared when a shift needs explaining.
    public static let provenanceKeys = ["target", "accel", "icount_shift", "cpu", "tsc_hz", "machine", "kernel", "toolchain",
                                        "qemu_version", "fiasco_commit", "fiasco_dirty", "l4re_commit", "l4re_dirty",
                                        "fiasco_config_sha256", "l4re_config_sha256", "bid_cc", "bid_cxx", "numa_source", "commit"]

    /// Why two runs cannot be compared at all, or nil.
    public static func incomparable(_ base: Run, _ current: Run) -> String? {
        let ub = Report.unit(of: base), uc = Report.unit(of: current)
        if ub != uc {
            return "the baseline counts \(ub) (accel=\(base[meta: "accel"] ?? "?")) and the run counts \(uc) (accel=\(current[meta: "accel"] ?? "?")): an icount run is never compared with a cycle run"
        }
        return nil
    }

    public var regressions: [(GroupKey, Verdict)] {
        groups.flatMap { g in g.verdicts.filter { $0.status == .regression }.map { (g.key, $0) } }
    }
    public var unexplainedRegressions: [(GroupKey, Verdict)] {
        groups.filter { !$0.platform }.flatMap { g in g.verdicts.filter { $0.status == .regression }.map { (g.key, $0) } }
    }
    /// Groups with a change flagged (regression or improvement) that a platform shift does not explain.
    public var flaggedGroups: Int { groups.filter { !$0.platform && $0.verdicts.contains { $0.status != .unchanged } }.count }
    /// Groups whose flagged change a platform shift explains.
    public var platformGroups: Int { groups.filter { $0.platform && $0.verdicts.contains { $0.status != .unchanged } }.count }

    public init(current: [GroupStatistics], baseline: [GroupStatistics], currentRun: Run, baselineRun: Run, rule: RegressionRule) {
        let baseByKey = Dictionary(baseline.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let curByKey = Dictionary(current.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var baseCpp: [String: GroupStatistics] = [:], curCpp: [String: GroupStatistics] = [:]
        for s in baseline where s.key.isBaselinePair { baseCpp[s.key.benchKey] = s }
        for s in current where s.key.isBaselinePair { curCpp[s.key.benchKey] = s }

        for s in current {
            guard let b = baseByKey[s.key] else { newGroups.append(s.key); continue }
            let verdicts = rule.judge(benchmark: s.key.benchmark,
                                      baseline: Self.perPercentile(b), current: Self.perPercentile(s))
            var relative: RoundChange?
            if !s.key.isBaselinePair, let bc = baseCpp[s.key.benchKey], let cc = curCpp[s.key.benchKey] {
                relative = RoundChange(baseline: PairComparison.roundRatios(b, bc).map(\.ratio),
                                       current: PairComparison.roundRatios(s, cc).map(\.ratio))
            }
            groups.append(GroupResult(key: s.key, verdicts: verdicts, relative: relative, platform: false))
        }
        for b in baseline where curByKey[b.key] == nil { missingGroups.append(b.key) }

        // A platform shift: cpp-cpp's median moved (significant and beyond the threshold); a
        // group moving the same way whose ratio to cpp-cpp did not change is part of it.
        var cppChange: [String: Verdict] = [:]
        for g in groups where g.key.isBaselinePair {
            if let v = g.verdicts.first(where: { $0.percentile == 50 }), v.status != .unchanged { cppChange[g.key.benchKey] = v }
        }
        for (bk, v) in cppChange {
            var swiftUnchanged = true
            for i in groups.indices where groups[i].key.benchKey == bk {
                let sameWay = groups[i].verdicts.allSatisfy { $0.status == .unchanged || $0.status == v.status }
                let relUnchanged = groups[i].relative.map { !rule.relativeChangeMatters($0, benchmark: groups[i].key.benchmark) } ?? true
                if !relUnchanged && !groups[i].key.isBaselinePair && !PairComparison.isControl(groups[i].key) { swiftUnchanged = false }
                if sameWay && relUnchanged { groups[i].platform = true }
            }
            platformShifts.append(PlatformShift(benchKey: bk, change: v.change, swiftUnchanged: swiftUnchanged))
        }
        platformShifts.sort { $0.benchKey < $1.benchKey }
        for k in Self.provenanceKeys {
            let a = baselineRun[meta: k], c = currentRun[meta: k]
            if a == c { continue }
            // A calibrated TSC frequency wobbles a little from run to run: within 0.1% it is the same clock.
            if k == "tsc_hz", let x = a.flatMap(Double.init), let y = c.flatMap(Double.init), x > 0, abs(y / x - 1) < 0.001 { continue }
            environmentDiffs.append((k, a ?? "(not recorded)", c ?? "(not recorded)"))
        }
    }

    static func perPercentile(_ s: GroupStatistics) -> [Int: [Double]] {
        [50: s.rounds.map(\.p50), 90: s.rounds.map(\.p90), 99: s.rounds.map(\.p99)]
    }
}

extension PairComparison {
    public static func isControl(_ key: GroupKey) -> Bool { key.pair == controlPair }
}
