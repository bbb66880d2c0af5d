import BenchResults
import BenchStats

/// How much the harness adds: the cpp-cpp median of a benchmark against the
/// raw C reference of the same suite, placement and parameter (a benchmark
/// named `X.raw` is the reference of `X`).
public struct ReferenceComparison: Sendable {
    public var key: GroupKey
    public var referenceKey: GroupKey
    /// cpp-cpp median divided by the reference median, round by round, over rounds.
    public var ratio: RoundInterval

    public static let suffix = ".raw"

    public static func within(_ stats: [GroupStatistics]) -> [ReferenceComparison] {
        var out: [ReferenceComparison] = []
        for ref in stats where ref.key.benchmark.hasSuffix(suffix) {
            let target = String(ref.key.benchmark.dropLast(suffix.count))
            guard let s = stats.first(where: {
                $0.key.benchmark == target && $0.key.suite == ref.key.suite && $0.key.placement == ref.key.placement
                    && $0.key.param == ref.key.param && $0.key.client == PairComparison.baselineClient
                    && $0.key.server == PairComparison.baselineServer
            }), let r = RoundInterval(ratios: PairComparison.roundRatios(s, ref).map(\.ratio)) else { continue }
            out.append(ReferenceComparison(key: s.key, referenceKey: ref.key, ratio: r))
        }
        return out
    }
}

/// Notes with the same kind, placement and reason, folded into one line.
public struct NoteGroup: Sendable {
    public var kind: PairNote.Kind
    public var reason: String
    public var placements: [String]
    public var pairs: [String]
    public var benchmarks: [String]
    public var count: Int

    public static func of(_ notes: [PairNote]) -> [NoteGroup] {
        var out: [NoteGroup] = []
        var index: [String: Int] = [:]
        for n in notes {
            let k = "\(n.kind.rawValue)\u{1}\(n.reason)"
            if let i = index[k] {
                out[i].count += 1
                if !out[i].placements.contains(n.key.placement) { out[i].placements.append(n.key.placement) }
                if !out[i].pairs.contains(n.key.pair) { out[i].pairs.append(n.key.pair) }
                if !out[i].benchmarks.contains(n.key.benchmark) { out[i].benchmarks.append(n.key.benchmark) }
            } else {
                index[k] = out.count
                out.append(NoteGroup(kind: n.kind, reason: n.reason, placements: [n.key.placement], pairs: [n.key.pair],
                                     benchmarks: [n.key.benchmark], count: 1))
            }
        }
        return out
    }

    public var summary: String {
        "\(kind.rawValue): \(placements.joined(separator: ", ")) · \(pairs.joined(separator: ", ")) · "
            + "\(benchmarks.count == 1 ? benchmarks[0] : "\(benchmarks.count) benchmarks") (\(count) group\(count == 1 ? "" : "s")) — \(reason)"
    }
}
