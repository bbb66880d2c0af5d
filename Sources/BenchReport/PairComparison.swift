import BenchResults
import BenchStats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pair against the C++ baseline pair (cpp-cpp) of the same benchmark,
/// placement and parameter, within one run, over rounds: each round's median
/// against the cpp-cpp median of the same round.
public struct PairComparison: Sendable {
    public var key: GroupKey
    public var baselineKey: GroupKey
    /// Ratio of the round medians, round by round.
    public var roundRatios: [(round: Int, ratio: Double)]
    /// Geometric mean of the round ratios with its 95% t interval over rounds.
    public var interval: RoundInterval?
    /// Faster, slower, parity or inconclusive, judged against the run's A/A control.
    public var verdict: LanguageVerdict?

    public static let baselineClient = "cpp"
    public static let baselineServer = "cpp"
    /// The A/A control: the same C++ programs as cpp-cpp, in blocks of their own.
    public static let controlServer = "cpp.b"
    public static let controlPair = "cpp-cpp.b"

    public var isControl: Bool { key.pair == Self.controlPair }
    /// The estimate: geometric mean of the per-round ratios.
    public var ratio: Double { interval?.estimate ?? .nan }

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

    /// Every non-baseline pair against its baseline in the same run, each
    /// judged against the run's A/A control where it has one.
    public static func within(_ stats: [GroupStatistics]) -> [PairComparison] {
        var baselines: [String: GroupStatistics] = [:]
        for s in stats where s.key.isBaselinePair { baselines[s.key.benchKey] = s }
        var out: [PairComparison] = []
        for s in stats where !s.key.isBaselinePair && !s.key.benchmark.hasSuffix(ReferenceComparison.suffix) {
            guard let b = baselines[s.key.benchKey] else { continue }
            let rr = roundRatios(s, b)
            out.append(PairComparison(key: s.key, baselineKey: b.key, roundRatios: rr,
                                      interval: RoundInterval(ratios: rr.map(\.ratio)), verdict: nil))
        }
        var controls: [String: [Double]] = [:]
        for c in out where c.isControl { controls[c.key.benchKey] = c.roundRatios.map(\.ratio) }
        for i in out.indices where !out[i].isControl {
            out[i].verdict = LanguageVerdict(ratios: out[i].roundRatios.map(\.ratio), control: controls[out[i].key.benchKey])
        }
        for i in out.indices where out[i].isControl {
            out[i].verdict = LanguageVerdict(ratios: out[i].roundRatios.map(\.ratio), control: nil, subject: "the A/A control", isControl: true)
        }
        return out
    }
}

/// The verdict for one benchmark and placement: a pair's per-round ratios to
/// cpp-cpp, combined over the parameters (geometric mean per round), against
/// the A/A control combined the same way.
public struct VerdictLine: Sendable {
    public var suite: String
    public var benchmark: String
    public var placement: String
    public var pair: String
    public var params: [String]
    public var verdict: LanguageVerdict
    /// The A/A control's ratio over the same rounds and parameters, when the run has one.
    public var control: RoundInterval?

    public var title: String { "\(suite) \(benchmark) \(placement)" }

    /// Lines for `pair` (swift-swift by default), in the order of `comparisons`.
    public static func of(_ comparisons: [PairComparison], pair: String = "swift-swift") -> [VerdictLine] {
        var order: [String] = []
        var byKey: [String: [PairComparison]] = [:]
        for c in comparisons where c.key.pair == pair || c.isControl {
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
            let ratios = combine(subject.map(\.roundRatios))
            let control = controls.isEmpty ? nil : combine(controls.map(\.roundRatios))
            guard let v = LanguageVerdict(ratios: ratios, control: control, subject: "Swift") else { continue }
            out.append(VerdictLine(suite: first.key.suite, benchmark: first.key.benchmark, placement: first.key.placement,
                                   pair: pair, params: subject.map(\.key.param), verdict: v,
                                   control: control.flatMap { RoundInterval(ratios: $0) }))
        }
        return out
    }

    /// Per round, the geometric mean over the series (rounds present in all of them).
    static func combine(_ series: [[(round: Int, ratio: Double)]]) -> [Double] {
        guard let first = series.first else { return [] }
        var common = Set(first.map(\.round))
        for s in series.dropFirst() { common.formIntersection(s.map(\.round)) }
        let maps = series.map { Dictionary($0.map { ($0.round, $0.ratio) }, uniquingKeysWith: { a, _ in a }) }
        return common.sorted().map { r in
            exp(maps.reduce(0) { $0 + log($1[r]!) } / Double(maps.count))
        }
    }
}
