import BenchResults
import BenchStats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pair against the C++ reference of the same benchmark, placement and
/// parameter, within one run, over rounds: each round's median against the
/// reference's median of the same round. The reference is both C++ runs of
/// the round (cpp-cpp and its A/A replica cpp-cpp.b, geometric mean) where the
/// run has both, cpp-cpp alone otherwise. The A/A control itself is compared
/// with cpp-cpp (a check on the run, never a gate).
public struct PairComparison: Sendable {
    public var key: GroupKey
    public var baselineKey: GroupKey
    /// Ratio of the round medians, round by round.
    public var roundRatios: [(round: Int, ratio: Double)]
    /// Geometric mean of the round ratios with its 95% t interval over rounds.
    public var interval: RoundInterval?
    /// Faster, slower, parity or inconclusive (settled at the run's looks).
    public var verdict: LanguageVerdict?
    /// Rounds of the pair or its reference that are not in `roundRatios`, and why.
    public var leftOut: [(round: Int, why: String)] = []

    public static let baselineClient = "cpp"
    public static let baselineServer = "cpp"
    /// The A/A control: the same C++ programs as cpp-cpp, in blocks of their own.
    /// Its `.b` is a replica tag, never a compiler (`cpp.gcc`, `cpp.clang` are compilers).
    public static let controlServer = "cpp.b"
    public static let controlPair = "cpp-cpp.b"

    public var isControl: Bool { key.pair == Self.controlPair }
    /// The estimate: geometric mean of the per-round ratios.
    public var ratio: Double { verdict?.ratio ?? interval?.estimate ?? .nan }

    /// The median of the per-round ratios. Needs 3 rounds.
    public var roundMedianRatio: Double? {
        let r = roundRatios.map(\.ratio).sorted()
        guard r.count >= 3 else { return nil }
        return r.count % 2 == 1 ? r[r.count / 2] : (r[r.count / 2 - 1] + r[r.count / 2]) / 2
    }

    public var roundRatioRange: ClosedRange<Double>? {
        guard let lo = roundRatios.map(\.ratio).min(), let hi = roundRatios.map(\.ratio).max() else { return nil }
        return lo...hi
    }
}

extension GroupKey {
    public var isBaselinePair: Bool { client == PairComparison.baselineClient && server == PairComparison.baselineServer }
    public var isControlPair: Bool { pair == PairComparison.controlPair }
}

/// The parts of a C++ pair's label: `cpp`, `cpp.gcc`, `cpp.clang`; the A/A
/// replica `cpp.b` is the default build again.
public enum CxxLabel {
    /// The compiler tag of a side's label (`cpp.gcc` -> gcc), nil for the default build or a replica.
    public static func compiler(_ side: String) -> String? {
        guard side.hasPrefix("cpp.") else { return nil }
        let tag = String(side.dropFirst(4))
        return tag == "b" ? nil : tag
    }
    /// Both sides C++ of one compiler build: the reference pairs (`cpp-cpp`, `cpp.gcc-cpp.gcc`, `cpp.clang-cpp.clang`).
    public static func isCompilerReference(_ key: GroupKey) -> Bool {
        key.client == key.server && key.client.hasPrefix("cpp.") && compiler(key.client) != nil
    }
}

extension PairComparison {
    /// Per-round ratios of `s` to `b` (of percentile `p`) over the rounds both have.
    static func roundRatios(_ s: GroupStatistics, _ b: GroupStatistics, percentile p: Int = 50) -> [(round: Int, ratio: Double)] {
        let baseRounds = Dictionary(b.rounds.map { ($0.round, $0.percentile(p)) }, uniquingKeysWith: { a, _ in a })
        return s.rounds.compactMap { rm in
            let v = rm.percentile(p)
            guard let bm = baseRounds[rm.round], bm > 0, v > 0 else { return nil }
            return (rm.round, v / bm)
        }
    }

    /// Per-round ratios of `s` to `reference` (round -> value of percentile `p`), with every round left out and why.
    static func ratios(_ s: GroupStatistics, to reference: [Int: Double], referenceName: String,
                       failed: [Int: String], percentile p: Int = 50) -> (ratios: [(round: Int, ratio: Double)], leftOut: [(round: Int, why: String)]) {
        var out: [(Int, Double)] = [], left: [(Int, String)] = []
        var seen = Set<Int>()
        let what = p == 50 ? "median" : "p\(p)"
        for rm in s.rounds {
            seen.insert(rm.round)
            if let f = failed[rm.round] { left.append((rm.round, "failed block: \(f)")); continue }
            let v = rm.percentile(p)
            guard v > 0 else { left.append((rm.round, "\(what) 0")); continue }
            guard let b = reference[rm.round] else { left.append((rm.round, "no \(referenceName) \(what) in this round")); continue }
            out.append((rm.round, v / b))
        }
        for r in reference.keys.sorted() where !seen.contains(r) { left.append((r, "no \(what) of this pair in this round")) }
        return (out, left)
    }

    /// The rounds of `key` left out as failed when it is judged against `reference`: its own
    /// failed blocks, and the reference's (a failed reference block removes the round for every
    /// pair judged against it). The one rule of the report and of `compare`.
    static func failedRounds(of key: GroupKey, against reference: GroupKey,
                             in failedRounds: [GroupKey: [Int: String]]) -> [Int: String] {
        var failed = failedRounds[key] ?? [:]
        for (r, f) in failedRounds[reference] ?? [:] where failed[r] == nil { failed[r] = "\(reference.pair): \(f)" }
        return failed
    }

    /// A reference group's values of percentile `p` by round: positive, in rounds whose block did not fail.
    static func referenceValues(_ b: GroupStatistics, percentile p: Int = 50, failed: [Int: String]) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for rm in b.rounds where rm.percentile(p) > 0 && failed[rm.round] == nil { out[rm.round] = rm.percentile(p) }
        return out
    }

    /// Every pair against the C++ reference in the same run. `failedRounds`:
    /// rounds of a group whose block failed (left out, listed); `looks`: the
    /// run's sequential looks (nil: one look at all rounds, 95%).
    public static func within(_ stats: [GroupStatistics], failedRounds: [GroupKey: [Int: String]] = [:],
                              looks: [AlphaSpending.Look]? = nil) -> [PairComparison] {
        var baselines: [String: GroupStatistics] = [:], controls: [String: GroupStatistics] = [:]
        for s in stats where s.key.isBaselinePair { baselines[s.key.benchKey] = s }
        for s in stats where s.key.isControlPair { controls[s.key.benchKey] = s }
        var out: [PairComparison] = []
        for s in stats where !s.key.isBaselinePair && !s.key.benchmark.hasSuffix(ReferenceComparison.suffix) {
            guard let b = baselines[s.key.benchKey] else { continue }
            let bFailed = failedRounds[b.key] ?? [:]
            let failed = Self.failedRounds(of: s.key, against: b.key, in: failedRounds)
            var reference: [Int: Double] = [:]
            var name = "cpp-cpp"
            let c = controls[s.key.benchKey]
            if s.key.isControlPair || c == nil {
                reference = referenceValues(b, failed: bFailed)
            } else if let c {
                name = "C++ reference (cpp-cpp, cpp-cpp.b)"
                let cFailed = failedRounds[c.key] ?? [:]
                let cr = Dictionary(c.rounds.map { ($0.round, $0.p50) }, uniquingKeysWith: { a, _ in a })
                for rm in b.rounds where rm.p50 > 0 && bFailed[rm.round] == nil {
                    if let x = cr[rm.round], x > 0, cFailed[rm.round] == nil { reference[rm.round] = (rm.p50 * x).squareRoot() }
                    else { reference[rm.round] = rm.p50 }
                }
            }
            let (rr, left) = ratios(s, to: reference, referenceName: name, failed: failed)
            let lk = looks ?? [AlphaSpending.Look(rounds: rr.count, alpha: 1 - LanguageVerdict.level)]
            let v = StoppingRule.settle(ratios: rr.map(\.ratio), rounds: rr.map(\.round), looks: lk,
                                        subject: s.key.isControlPair ? "the A/A control" : (s.key.pair.contains("swift") ? "Swift" : s.key.pair),
                                        isControl: s.key.isControlPair)
            out.append(PairComparison(key: s.key, baselineKey: b.key, roundRatios: rr,
                                      interval: v?.interval ?? RoundInterval(ratios: rr.map(\.ratio)), verdict: v, leftOut: left))
        }
        return out
    }
}

/// The verdict for one benchmark and placement: swift-swift's per-round ratios
/// to the C++ reference, combined over the parameters (geometric mean per
/// round), settled at the run's looks; beside it, where the run has the
/// g++-built pair, Swift against C++ (GCC) and the compiler's part (C++
/// (GCC) against the default C++ build).
public struct VerdictLine: Sendable {
    public var suite: String
    public var benchmark: String
    public var placement: String
    public var pair: String
    public var params: [String]
    /// Swift against the default C++ build (the reference).
    public var verdict: LanguageVerdict
    /// The A/A control's ratio over the same rounds and parameters, when the run has one.
    public var control: RoundInterval?
    /// Swift against the other compiler's C++ build, and that build against the reference.
    public var other: (name: String, verdict: LanguageVerdict)?
    public var compilerPart: LanguageVerdict?
    /// The reference's name (`C++ (clang)`) and the other build's.
    public var referenceName: String
    /// Seconds from the start of the run to the end of the round the verdict settled in.
    public var seconds: Double?
    /// Rounds left out of any of the combined series, and why.
    public var leftOut: [String]

    public var title: String { "\(suite) \(benchmark) \(placement)" }

    /// The verdict in words, with the compiler apart from the language where the run can tell.
    public var text: String {
        var t = verdict.text
        if let o = other {
            t = "against \(referenceName): " + t + "; against \(o.name): " + o.verdict.text
            if let c = compilerPart { t += "; the compiler's part: " + c.text }
        }
        // The stopping rule settles the verdict against the reference; with other comparisons beside it, say which.
        if let n = verdict.settledAfter {
            let whose = other == nil ? "" : "against \(referenceName): "
            t += " [\(whose)settled after \(n) rounds" + (seconds.map { ", \(Fmt.seconds($0))" } ?? "") + "]"
        }
        if let o = verdict.outlier { t += " (round \(o.round) is an outlier at \(Fmt.ratio(o.ratio)); trimmed)" }
        if !leftOut.isEmpty { t += " (left out: \(leftOut.prefix(3).joined(separator: "; "))\(leftOut.count > 3 ? "; …" : ""))" }
        return t
    }

    /// Lines for `pair` (swift-swift by default), in the order of `comparisons`.
    public static func of(_ comparisons: [PairComparison], pair: String = "swift-swift", looks: [AlphaSpending.Look]? = nil,
                          roundEnds: [Double] = [], names: (reference: String, other: String?) = ("C++", nil)) -> [VerdictLine] {
        var order: [String] = []
        var byKey: [String: [PairComparison]] = [:]
        for c in comparisons {
            let k = "\(c.key.suite)\u{1}\(c.key.benchmark)\u{1}\(c.key.placement)"
            if byKey[k] == nil { order.append(k) }
            byKey[k, default: []].append(c)
        }
        var out: [VerdictLine] = []
        for k in order {
            let cs = byKey[k]!
            let subject = cs.filter { $0.key.pair == pair }
            guard let first = subject.first else { continue }
            let controls = cs.filter(\.isControl)
            let gcc = cs.filter { CxxLabel.isCompilerReference($0.key) }
            let (rounds, ratios) = combine(subject.map(\.roundRatios))
            let lk = looks ?? [AlphaSpending.Look(rounds: ratios.count, alpha: 1 - LanguageVerdict.level)]
            let subjectName = pair == "swift-swift" ? "Swift" : pair
            guard let v = StoppingRule.settle(ratios: ratios, rounds: rounds, looks: lk, subject: subjectName) else { continue }
            let control = controls.isEmpty ? nil : combine(controls.map(\.roundRatios)).1
            var line = VerdictLine(suite: first.key.suite, benchmark: first.key.benchmark, placement: first.key.placement,
                                   pair: pair, params: subject.map(\.key.param), verdict: v,
                                   control: control.flatMap { RoundInterval(ratios: $0) }, other: nil, compilerPart: nil,
                                   referenceName: names.reference, seconds: nil,
                                   leftOut: subject.flatMap { c in c.leftOut.map { "\(c.key.param) round \($0.round): \($0.why)" } })
            if let n = v.settledAfter, n >= 1, n <= roundEnds.count { line.seconds = roundEnds[n - 1] }
            if !gcc.isEmpty, let otherName = names.other {
                let (gr, g) = combine(gcc.map(\.roundRatios))
                let gmap = Dictionary(zip(gr, g), uniquingKeysWith: { a, _ in a })
                var sr: [Int] = [], sx: [Double] = []
                for (r, x) in zip(rounds, ratios) { if let y = gmap[r] { sr.append(r); sx.append(x / y) } }
                if let o = StoppingRule.settle(ratios: sx, rounds: sr, looks: lk, subject: subjectName) { line.other = (otherName, o) }
                line.compilerPart = StoppingRule.settle(ratios: g, rounds: gr, looks: lk, subject: otherName)
            }
            out.append(line)
        }
        return out
    }

    /// Per round, the geometric mean over the series (rounds present in all of them), in round order.
    static func combine(_ series: [[(round: Int, ratio: Double)]]) -> ([Int], [Double]) {
        guard let first = series.first else { return ([], []) }
        var common = Set(first.map(\.round))
        for s in series.dropFirst() { common.formIntersection(s.map(\.round)) }
        let maps = series.map { Dictionary($0.map { ($0.round, $0.ratio) }, uniquingKeysWith: { a, _ in a }) }
        let rounds = common.sorted()
        return (rounds, rounds.map { r in exp(maps.reduce(0) { $0 + log($1[r]!) } / Double(maps.count)) })
    }
}
