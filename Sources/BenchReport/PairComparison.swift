import BenchResults
import BenchStats

/// A pair's median against the C++ baseline pair (cpp-cpp) of the same
/// benchmark, placement and parameter, within one run.
public struct PairComparison: Sendable {
    public var key: GroupKey
    public var baselineKey: GroupKey
    public var ratio: RatioInterval
    /// Ratio of the round medians, round by round (drift shows here).
    public var roundRatios: [(round: Int, ratio: Double)]

    public static let baselineClient = "cpp"
    public static let baselineServer = "cpp"

    /// The median of the per-round ratios: each round compares blocks that ran
    /// close together in time, so host drift between rounds cancels. Needs 3 rounds.
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

extension PairComparison {
    /// Every non-baseline pair against its baseline in the same run.
    public static func within(_ stats: [GroupStatistics]) -> [PairComparison] {
        var baselines: [String: GroupStatistics] = [:]
        for s in stats where s.key.client == baselineClient && s.key.server == baselineServer {
            baselines[s.key.benchKey] = s
        }
        var out: [PairComparison] = []
        for s in stats where !(s.key.client == baselineClient && s.key.server == baselineServer) {
            guard let b = baselines[s.key.benchKey], let r = RatioInterval(numerator: s.summary, denominator: b.summary) else { continue }
            let baseRounds = Dictionary(b.roundMedians.map { ($0.round, $0.median) }, uniquingKeysWith: { a, _ in a })
            let rr: [(round: Int, ratio: Double)] = s.roundMedians.compactMap { rm in
                guard let bm = baseRounds[rm.round], bm > 0 else { return nil }
                return (rm.round, rm.median / bm)
            }
            out.append(PairComparison(key: s.key, baselineKey: b.key, ratio: r, roundRatios: rr))
        }
        return out
    }
}
