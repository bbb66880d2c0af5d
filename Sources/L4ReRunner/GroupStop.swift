import BenchResults
import BenchStats
import CL4BenchProto

/// The per-group stop of an icount run: after the first boot's 2 rounds, which
/// families of which blocks still need rounds.
///
/// A group (benchmark, pair, placement, parameter) is settled when its round
/// medians, over at least 2 rounds, are bit-identical (`StoppingRule.groupSettled`):
/// under icount more rounds would measure the same instruction count again. A
/// family of a block (say `ipc.rpc` of swift-swift same-core) needs more rounds
/// when any of its groups is not settled or is missing (a failed block). Ratios
/// are taken round by round against the C++ reference, so a family that needs
/// more rounds takes its references along on the same placement: cpp-cpp and the
/// A/A control cpp-cpp.b always (and when one of them is not settled, every pair
/// goes along, since every pair's ratios are taken against them), swift-swift with cpp.clang-cpp.clang
/// together (the verdict's "against C++ (clang)" divides one by the other).
/// cpp-cpp's `ipc.roundtrip` and raw C go together (`ipc.roundtrip.raw` is
/// cpp-cpp's reference). A pair that does not go along keeps its 2 bit-identical
/// ratios, which settle its verdict after 2 rounds.
public enum GroupStop {
    /// Each group's median per round.
    public static func roundMedians(_ run: Run) -> [GroupKey: [Int: Double]] {
        var out: [GroupKey: [Int: Double]] = [:]
        for g in run.groups {
            for (round, column) in g.rounds where column.count > 0 {
                var v: [UInt64] = []
                v.reserveCapacity(column.count)
                column.forEach { v.append($0) }
                v.sort()
                let n = v.count
                // The same median as the report's: the middle value, or the mean of the middle two.
                out[g.key, default: [:]][round] = n % 2 == 1 ? Double(v[n / 2]) : (Double(v[n / 2 - 1]) + Double(v[n / 2])) / 2
            }
        }
        return out
    }

    /// What the first boot's rounds leave to do.
    public struct Decision: Sendable, Equatable {
        /// Families each unit still needs (units that need none are absent).
        public var families: [L4RePlan.BlockUnit: [String]]
        /// Groups seen, and how many of them are bit-identical over their rounds.
        public var groups: Int
        public var settledGroups: Int
        /// Units × families that need more rounds by their own groups (before their references join).
        public var unsettled: [String]

        /// Blocks per round the later boot runs.
        public var unitsNeeded: Int { families.count }
    }

    /// The decision after the rounds in `run` (the first boot's), for `plan`.
    public static func decide(plan: L4RePlan, run: Run) -> Decision {
        let medians = roundMedians(run)
        var settled = 0
        // Per unit and family: does any group of it need more rounds (or is it missing)?
        // A group is missing when it lacks a round the boot ran, or when another pair has a
        // group of the family (benchmark and parameter) on the same placement that this pair
        // has not (words=63 failing in both rounds while words=0 and 8 repeat exactly).
        let bootRounds = Set(medians.values.flatMap(\.keys))
        var seen: Set<String> = []
        var varies: Set<String> = []
        var present: [String: Set<String>] = [:]  // unit × family -> benchmark/param of its groups
        var expected: [String: Set<String>] = [:]  // placement × phases × family -> the same, over all pairs
        for (key, rounds) in medians {
            guard key.suite == "l4", let fam = L4RePlan.family(of: key.benchmark) else { continue }
            let phases = key.benchmark.contains(L4B_PHASE_INFIX)
            let id = Self.id(key.pair, key.placement, phases, fam)
            seen.insert(id)
            let group = key.benchmark + "\u{1}" + key.param
            present[id, default: []].insert(group)
            expected[Self.id("", key.placement, phases, fam), default: []].insert(group)
            let values = rounds.keys.sorted().map { rounds[$0]! }
            if rounds.count == bootRounds.count && StoppingRule.groupSettled(roundValues: values) { settled += 1 } else { varies.insert(id) }
        }
        for id in seen {
            let parts = id.split(separator: "\u{1}", omittingEmptySubsequences: false)
            let all = expected[Self.id("", String(parts[1]), parts[2] == "true", String(parts[3]))] ?? []
            if !all.isSubset(of: present[id] ?? []) { varies.insert(id) }
        }
        var unsettled: [String] = []
        for u in plan.units {
            for f in plan.families(of: u) {
                let id = Self.id(u.pair.name, u.placement, u.phases, f)
                if !seen.contains(id) || varies.contains(id) {
                    unsettled.append("\(f) \(u.pair.name) \(u.placement)\(u.phases ? " phases" : "")")
                }
            }
        }
        let need = Set(unsettled)
        func needs(_ p: L4RePlan.Pair, _ pl: String, _ ph: Bool, _ f: String) -> Bool {
            need.contains("\(f) \(p.name) \(pl)\(ph ? " phases" : "")")
        }
        var families: [L4RePlan.BlockUnit: [String]] = [:]
        let pairs = Set(plan.blockPairs)
        for pl in plan.placements {
            for ph in [false, true] {
                let kindPairs = ph ? plan.phasePairs : plan.blockPairs
                for f in L4RePlan.families where f != "ipc.roundtrip.raw" {
                    let own = kindPairs.filter { needs($0, pl, ph, f) && plan.families(of: .init(pair: $0, placement: pl, phases: ph)).contains(f) }
                    var run = Set(own)
                    let references: Set<L4RePlan.Pair> = [L4RePlan.Pair("cpp", "cpp"), L4RePlan.Pair.control]
                    if !own.isEmpty { run.formUnion(references) }
                    // Every pair's ratios are taken against the references: when they vary, every pair goes along.
                    if own.contains(where: references.contains) { run.formUnion(kindPairs) }
                    let clang = L4RePlan.Pair("cpp.clang", "cpp.clang"), swift = L4RePlan.Pair("swift", "swift")
                    if run.contains(clang) || run.contains(swift) { run.formUnion([clang, swift]) }
                    // raw C is cpp-cpp's reference for ipc.roundtrip.
                    if !ph && f == "ipc.roundtrip" && pairs.contains(.raw) && needs(.raw, pl, false, "ipc.roundtrip.raw") {
                        run.insert(L4RePlan.Pair("cpp", "cpp"))
                    }
                    for p in kindPairs where run.contains(p) {
                        let u = L4RePlan.BlockUnit(pair: p, placement: pl, phases: ph)
                        guard plan.families(of: u).contains(f) else { continue }
                        families[u, default: []].append(f)
                    }
                }
                if !ph && pairs.contains(.raw) {
                    let cppRT = families[.init(pair: L4RePlan.Pair("cpp", "cpp"), placement: pl, phases: false)]?.contains("ipc.roundtrip") ?? false
                    if cppRT || needs(.raw, pl, false, "ipc.roundtrip.raw") {
                        families[.init(pair: .raw, placement: pl, phases: false), default: []].append("ipc.roundtrip.raw")
                    }
                }
            }
        }
        // In the plan's family order.
        for (u, f) in families { families[u] = L4RePlan.families.filter { f.contains($0) } }
        return Decision(families: families, groups: medians.count, settledGroups: settled, unsettled: unsettled)
    }

    static func id(_ pair: String, _ placement: String, _ phases: Bool, _ family: String) -> String {
        "\(pair)\u{1}\(placement)\u{1}\(phases)\u{1}\(family)"
    }
}
