import BenchResults
import BenchStats

/// A run against a baseline run, group by group, over rounds: each round's
/// p50, p90 and p99 are the units, so the drift inside a round is never
/// mistaken for a change.
///
/// A pair is judged by its per-round ratio to cpp-cpp of the same round (what
/// the harness exists to measure: Swift against C++), so that whatever moves a
/// whole round or a whole run (a new kernel build, another QEMU, a host that
/// got slower) cancels. cpp-cpp itself, and the raw C reference, measure the
/// platform: their absolute change is reported as a shift of the platform. A
/// pair whose absolute value moved while its ratio to cpp-cpp did not moved
/// with the platform.
public struct RunComparison: Sendable {
    public struct GroupResult: Sendable {
        public var key: GroupKey
        /// The judged verdicts: of the ratio to cpp-cpp for a pair, absolute for cpp-cpp and the reference.
        public var verdicts: [Verdict]
        /// Absolute verdicts of the group's own values (for a pair, shown beside the judged ones).
        public var absolute: [Verdict]
        /// The verdicts are of the ratio to cpp-cpp.
        public var relative: Bool
        /// The group measures the platform (cpp-cpp, the raw reference), or its absolute
        /// change is explained by the platform: not a regression of Swift against C++.
        public var platform: Bool
        /// The A/A control (cpp-cpp.b): reported, never failing the gate.
        public var control = false
    }

    /// Tests in the gate's family (Holm).
    public var gateFamily = 0
    /// Percentiles not compared (90, 99) because some round of the group (or of its cpp-cpp) had too few samples
    /// for them (RoundQuantiles.supports): the groups, and the fewest samples such a round had.
    public var tailsNotJudged: [Int: (groups: Int, fewestSamples: Int)] = [:]

    public struct PlatformShift: Sendable {
        public var benchKey: String
        /// cpp-cpp's median change (current / baseline - 1).
        public var change: Double
        /// Whether every Swift pair's ratio to cpp-cpp is unchanged.
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

    /// Metadata that a run of the same binaries on the same machine shares with its side's
    /// first run (`compare --new/--base`): the machine, the commit and the compilers (for
    /// L4Re also the kernel's and L4Re's sources and their compilers); `compiler.*` and
    /// `flags.*` keys are compared wherever either run records them.
    public static let replicateKeys = ["machine", "target", "commit", "toolchain", "bid_cc", "bid_cxx", "fiasco_commit", "l4re_commit"]

    /// Why `other` is not another run of `first`'s binaries on its machine, naming the field
    /// and both values, or nil.
    public static func notReplicate(of first: Run, _ other: Run) -> String? {
        var keys = replicateKeys
        let extra = Set((first.metadata + other.metadata).map(\.key).filter { $0.hasPrefix("compiler.") || $0.hasPrefix("flags.") })
        keys += extra.sorted()
        for k in keys {
            let a = first[meta: k], b = other[meta: k]
            if a == b || sameCommits(k, a, b) { continue }
            func q(_ v: String?) -> String { v.map { "'\($0)'" } ?? "(not recorded)" }
            return "\(k) is \(q(b)) there but \(q(a)) in the side's first run: not another run of the same binaries on the same machine"
        }
        return nil
    }

    /// Regressions of the judged values, platform groups included.
    public var regressions: [(GroupKey, Verdict)] {
        groups.flatMap { g in g.verdicts.filter { $0.status == .regression }.map { (g.key, $0) } }
    }
    /// Regressions of a pair against C++: what fails the gate.
    public var unexplainedRegressions: [(GroupKey, Verdict)] {
        groups.filter { !$0.platform }.flatMap { g in g.verdicts.filter { $0.status == .regression }.map { (g.key, $0) } }
    }
    /// Groups with a judged change flagged (regression or improvement) that the platform does not explain.
    public var flaggedGroups: Int { groups.filter { !$0.platform && $0.verdicts.contains { $0.status != .unchanged } }.count }
    /// Groups that can fail the gate: a pair against C++ with a test (a p-value) or exact rounds
    /// in at least one percentile. A group with too few rounds or runs for a test cannot be
    /// flagged and is not counted (it would dilute a false-alarm rate).
    public var gateGroups: Int {
        groups.filter { g in
            g.relative && !g.control && g.verdicts.contains { $0.evidence.contains("p=") || $0.evidence.contains("deterministic") }
        }.count
    }
    /// Groups whose flagged change is the platform's (cpp-cpp, the reference, or a pair that moved with them).
    public var platformGroups: Int {
        groups.filter { $0.platform && ($0.verdicts + $0.absolute).contains { $0.status != .unchanged } }.count
    }

    /// Runs on each side: 1 and 1 with the stated between-run spread, more where the user gave replicates.
    public var runsPerSide = (baseline: 1, current: 1)

    /// The between-run variation estimated from the replicate runs: per percentile, the
    /// median over the gate's groups of each group's estimated between-run sd (log scale).
    /// Empty with one run per side (the stated assumption is used then).
    public var estimatedBetweenRunSD: [Int: Double] = [:]
    /// Every gate group's estimated between-run sd, per percentile, sorted (the spread of the estimates).
    public var estimatedBetweenRunSDs: [Int: [Double]] = [:]

    public init(current: [GroupStatistics], baseline: [GroupStatistics], currentRun: Run, baselineRun: Run, rule: RegressionRule) {
        self.init(currentRuns: [current], baselineRuns: [baseline], currentRun: currentRun, baselineRun: baselineRun, rule: rule)
    }

    /// A round of one run left out of the comparison, and why (a failed block, its
    /// reference's failed block, a zero value, no reference in that round).
    public struct LeftOutRound: Sendable, Hashable {
        /// On the baseline's side (else the run's).
        public var baselineSide: Bool
        /// Which run of its side: 0 the first (RUN or BASELINE), 1... the replicates in order.
        public var run: Int
        public var key: GroupKey
        public var round: Int
        public var why: String
    }
    /// Every round left out, in the order found.
    public var leftOut: [LeftOutRound] = []
    /// Per side, the runs that gave values to at least one compared group (indices as in `LeftOutRound.run`).
    public var usedRuns: (baseline: [Int], current: [Int]) = ([], [])
    /// Per side, for each replicate (index 1...), the compared groups it gives no values to.
    public var replicateGaps: (baseline: [Int: [GroupKey]], current: [Int: [GroupKey]]) = ([:], [:])

    /// The failed blocks (`fail` notes) of each run of each side, by group and round: `Report.failedRounds(of:)`.
    public static func failedRounds(of run: Run) -> [GroupKey: [Int: String]] { Report.failedRounds(of: run) }

    /// Several runs per side (the same binaries run again): `currentRuns[0]` and
    /// `baselineRuns[0]` decide which groups are compared and which are new or
    /// missing; the replicates add their rounds run by run, and with three runs or
    /// more in all the between-run variation is estimated from them (random effects,
    /// `RegressionRule.judge(benchmark:baselineRuns:currentRuns:)`) instead of assumed.
    ///
    /// `failedRounds`: per side and run (aligned with the runs), the rounds whose block
    /// failed (`failedRounds(of:)`); nil takes the first runs' from `currentRun` and
    /// `baselineRun`. They are left out by the report's rule (a failed cpp-cpp block
    /// removes the round for every pair judged against it) and listed in `leftOut`.
    public init(currentRuns: [[GroupStatistics]], baselineRuns: [[GroupStatistics]], currentRun: Run, baselineRun: Run, rule: RegressionRule,
                failedRounds: (baseline: [[GroupKey: [Int: String]]], current: [[GroupKey: [Int: String]]])? = nil) {
        let current = currentRuns.first ?? [], baseline = baselineRuns.first ?? []
        let failed = failedRounds ?? ([Report.failedRounds(of: baselineRun)], [Report.failedRounds(of: currentRun)])
        func failedOf(_ base: Bool, _ j: Int) -> [GroupKey: [Int: String]] {
            let f = base ? failed.baseline : failed.current
            return j < f.count ? f[j] : [:]
        }
        func index(_ runs: [[GroupStatistics]]) -> [[GroupKey: GroupStatistics]] {
            runs.map { Dictionary($0.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a }) }
        }
        func cppIndex(_ runs: [[GroupStatistics]]) -> [[String: GroupStatistics]] {
            runs.map { run in
                var m: [String: GroupStatistics] = [:]
                for s in run where s.key.isBaselinePair { m[s.key.benchKey] = s }
                return m
            }
        }
        let baseIdx = index(baselineRuns), curIdx = index(currentRuns)
        let baseCppIdx = cppIndex(baselineRuns), curCppIdx = cppIndex(currentRuns)
        let baseByKey = baseIdx.first ?? [:], curByKey = curIdx.first ?? [:]
        let baseCpp = baseCppIdx.first ?? [:], curCpp = curCppIdx.first ?? [:]
        var seenLeftOut = Set<LeftOutRound>()
        var used: (baseline: Set<Int>, current: Set<Int>) = ([], [])
        var gaps: (baseline: [Int: [GroupKey]], current: [Int: [GroupKey]]) = ([:], [:])
        func note(_ base: Bool, _ j: Int, _ key: GroupKey, _ left: [(round: Int, why: String)]) {
            for l in left {
                let x = LeftOutRound(baselineSide: base, run: j, key: key, round: l.round, why: l.why)
                if seenLeftOut.insert(x).inserted { leftOut.append(x) }
            }
        }
        func contributed(_ base: Bool, _ j: Int, _ key: GroupKey, _ values: [Int: [Double]]?) {
            if let v = values, v.values.contains(where: { !$0.isEmpty }) {
                if base { used.baseline.insert(j) } else { used.current.insert(j) }
            } else if j > 0 {
                if base { gaps.baseline[j, default: []].append(key) } else { gaps.current[j, default: []].append(key) }
            }
        }
        /// Tail percentiles the rounds are too short for (RoundQuantiles.supports): left out, counted once per group.
        var shortTails: [Int: (groups: Set<GroupKey>, fewest: Int)] = [:]
        func tails(_ key: GroupKey, _ rounds: [RoundQuantiles]) -> Set<Int> {
            var out: Set<Int> = []
            for p in [90, 99] {
                guard let fewest = rounds.map(\.n).min(), !RoundQuantiles.supports(percentile: p, samples: fewest) else { out.insert(p); continue }
                shortTails[p, default: ([], Int.max)].groups.insert(key)
                shortTails[p]!.fewest = min(shortTails[p]!.fewest, fewest)
            }
            return out
        }
        /// One group's own round values per percentile, its failed blocks left out (and noted).
        func ownValues(_ base: Bool, _ j: Int, _ g: GroupStatistics) -> [Int: [Double]] {
            let f = failedOf(base, j)[g.key] ?? [:]
            note(base, j, g.key, g.rounds.compactMap { rm in f[rm.round].map { (rm.round, "failed block: \($0)") } })
            let kept = g.rounds.filter { f[$0.round] == nil }
            let judged = tails(g.key, kept)
            var out: [Int: [Double]] = [50: kept.map(\.p50)]
            for p in judged { out[p] = kept.map { $0.percentile(p) } }
            return out
        }
        /// A pair's per-round ratios to cpp-cpp per percentile, by the report's rule (PairComparison.ratios), left-out rounds noted.
        func ratioValues(_ base: Bool, _ j: Int, _ g: GroupStatistics, _ cpp: GroupStatistics) -> [Int: [Double]] {
            let fr = failedOf(base, j)
            let merged = PairComparison.failedRounds(of: g.key, against: cpp.key, in: fr)
            let cppFailed = fr[cpp.key] ?? [:]
            var out: [Int: [Double]] = [:]
            let judged = tails(g.key, g.rounds + cpp.rounds)
            for p in [50, 90, 99] where p == 50 || judged.contains(p) {
                let reference = PairComparison.referenceValues(cpp, percentile: p, failed: cppFailed)
                let (rr, left) = PairComparison.ratios(g, to: reference, referenceName: "cpp-cpp", failed: merged, percentile: p)
                note(base, j, g.key, left)
                out[p] = rr.map(\.ratio)
            }
            return out
        }
        for s in current {
            guard baseByKey[s.key] != nil else { newGroups.append(s.key); continue }
            func sideValues(_ base: Bool, _ idx: [[GroupKey: GroupStatistics]]) -> [[Int: [Double]]] {
                idx.enumerated().compactMap { j, run in
                    let v = run[s.key].map { ownValues(base, j, $0) }
                    return v
                }
            }
            let absolute = rule.judge(benchmark: s.key.benchmark, baselineRuns: sideValues(true, baseIdx), currentRuns: sideValues(false, curIdx))
            if !s.key.isBaselinePair, baseCpp[s.key.benchKey] != nil, curCpp[s.key.benchKey] != nil {
                func sideRatios(_ base: Bool, _ idx: [[GroupKey: GroupStatistics]], _ cpp: [[String: GroupStatistics]]) -> [[Int: [Double]]] {
                    zip(idx, cpp).enumerated().compactMap { j, rc in
                        let (run, c) = rc
                        guard let g = run[s.key], let ref = c[s.key.benchKey] else { contributed(base, j, s.key, nil); return nil }
                        let v = ratioValues(base, j, g, ref)
                        contributed(base, j, s.key, v)
                        return v
                    }
                }
                var judged = rule.judge(benchmark: s.key.benchmark, baselineRuns: sideRatios(true, baseIdx, baseCppIdx),
                                        currentRuns: sideRatios(false, curIdx, curCppIdx))
                for i in judged.indices { judged[i].evidence = "ratio to cpp-cpp: " + judged[i].evidence }
                let movedAlone = judged.contains { $0.status != .unchanged }
                let movedAbsolute = absolute.contains { $0.status != .unchanged }
                groups.append(GroupResult(key: s.key, verdicts: judged, absolute: absolute, relative: true,
                                          platform: movedAbsolute && !movedAlone))
            } else {
                // cpp-cpp, or a group without a cpp-cpp counterpart (the raw reference): the platform.
                for (base, idx) in [(true, baseIdx), (false, curIdx)] {
                    for (j, run) in idx.enumerated() { contributed(base, j, s.key, run[s.key].map { ownValues(base, j, $0) }) }
                }
                groups.append(GroupResult(key: s.key, verdicts: absolute, absolute: absolute, relative: false,
                                          platform: s.key.isBaselinePair || s.key.benchmark.hasSuffix(ReferenceComparison.suffix)))
            }
        }
        for (p, t) in shortTails { tailsNotJudged[p] = (t.groups.count, t.fewest) }
        usedRuns = (used.baseline.sorted(), used.current.sorted())
        replicateGaps = gaps
        runsPerSide = (used.baseline.count, used.current.count)
        for b in baseline where curByKey[b.key] == nil { missingGroups.append(b.key) }

        // The gate's family: every judged percentile of every group that can fail it (a pair
        // against C++, not the platform groups, not the A/A control). Holm across all of
        // them holds the chance of any false alarm per compare at alpha.
        var family: [(Int, Int)] = []
        for (gi, g) in groups.enumerated() where g.relative && !PairComparison.isControl(g.key) {
            for vi in g.verdicts.indices where g.verdicts[vi].evidence.contains("p=") { family.append((gi, vi)) }
        }
        let rejected = RegressionRule.holm(family.map { groups[$0.0].verdicts[$0.1].p }, alpha: rule.alpha)
        for (k, (gi, vi)) in family.enumerated() {
            var v = groups[gi].verdicts[vi]
            v.significant = rejected[k]
            v.status = v.significant && v.change > v.threshold ? .regression : (v.significant && v.change < -v.threshold ? .improvement : .unchanged)
            v.evidence += rejected[k] ? " (Holm over \(family.count) tests: significant)" : " (Holm over \(family.count) tests: not significant)"
            groups[gi].verdicts[vi] = v
        }
        gateFamily = family.count
        if runsPerSide.baseline + runsPerSide.current > 2 {
            var byP: [Int: [Double]] = [:]
            for g in groups where g.relative && !PairComparison.isControl(g.key) {
                for v in g.verdicts { if let e = v.estimatedBetweenRunSD { byP[v.percentile, default: []].append(e) } }
            }
            for (p, xs) in byP where !xs.isEmpty {
                estimatedBetweenRunSD[p] = RegressionRule.median(xs)
                estimatedBetweenRunSDs[p] = xs.sorted()
            }
        }
        // The A/A control is a check on the run, never a gate.
        for gi in groups.indices where PairComparison.isControl(groups[gi].key) { groups[gi].platform = true; groups[gi].control = true }

        // Platform shifts: cpp-cpp's median moved (significant and beyond the threshold).
        for g in groups where g.key.isBaselinePair {
            guard let v = g.verdicts.first(where: { $0.percentile == 50 }), v.status != .unchanged else { continue }
            let swiftUnchanged = groups.allSatisfy { o in
                o.key.benchKey != g.key.benchKey || !o.relative || !o.verdicts.contains { $0.status != .unchanged }
            }
            platformShifts.append(PlatformShift(benchKey: g.key.benchKey, change: v.change, swiftUnchanged: swiftUnchanged))
        }
        platformShifts.sort { $0.benchKey < $1.benchKey }
        for k in Self.provenanceKeys {
            let a = baselineRun[meta: k], c = currentRun[meta: k]
            if a == c || Self.sameCommits(k, a, c) { continue }
            // A calibrated TSC frequency wobbles a little from run to run: within 0.1% it is the same clock.
            if k == "tsc_hz", let x = a.flatMap(Double.init), let y = c.flatMap(Double.init), x > 0, abs(y / x - 1) < 0.001 { continue }
            environmentDiffs.append((k, a ?? "(not recorded)", c ?? "(not recorded)"))
        }
    }

    /// Whether `l4re_commit` or `fiasco_commit` values (`NAME COMMIT; NAME COMMIT...`,
    /// one per repository) name the same commits: the checkouts' directory names do
    /// not count (`l4 ecd1a350a7c3` and `mk ecd1a350a7c3` are the same source).
    static func sameCommits(_ key: String, _ a: String?, _ b: String?) -> Bool {
        guard key != "commit", key.hasSuffix("_commit"), let a, let b else { return false }
        func commits(_ v: String) -> [Substring] {
            v.split(separator: ";").compactMap { $0.split(separator: " ").last }.sorted()
        }
        return commits(a) == commits(b)
    }

}

extension PairComparison {
    public static func isControl(_ key: GroupKey) -> Bool { key.pair == controlPair }
}
