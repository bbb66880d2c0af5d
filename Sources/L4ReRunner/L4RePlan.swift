/// What an L4Re run measures: pairs, placements, rounds, and per block the
/// benchmarks with their samples. Every block of a round runs in one boot, in
/// an order shuffled per round (the seed is recorded).
public struct L4RePlan: Sendable {
    public struct Pair: Sendable, Hashable {
        public var client: String
        /// The server's label in the results: its language, with `.b` for the A/A control.
        public var server: String
        public init(_ c: String, _ s: String) { client = c; server = s }
        public var name: String { "\(client)-\(server)" }
        /// The server program's language (`cpp` for the control `cpp.b`).
        public var serverLanguage: String { String(server.prefix { $0 != "." }) }
        public static let languagePairs = [Pair("swift", "swift"), Pair("swift", "cpp"), Pair("cpp", "swift"), Pair("cpp", "cpp")]
        /// The A/A control: cpp-cpp again, its own block in each round.
        public static let control = Pair("cpp", "cpp.b")
        public static let all = languagePairs + [control]
        public static let raw = Pair("c", "c")
    }

    public var pairs: [Pair]
    public var placements: [String]
    /// Benchmark families: ipc.roundtrip, ipc.rpc, cap.map, ds.share, ipc.roundtrip.raw.
    public var benchmarks: [String]
    public var rounds: Int
    public var samples: Int
    public var warmup: Int
    /// Dataspace sizes and the samples each gets (large ones cost milliseconds).
    public var dsSizes: [(bytes: Int, samples: Int)]
    /// A block (one pair, placement and round) may take this long in guest time.
    public var blockTimeLimitSeconds: Int
    public var seed: UInt64

    public static let families = ["ipc.roundtrip", "ipc.rpc", "cap.map", "ds.share", "ipc.roundtrip.raw"]
    public static let allPlacements = ["same-core", "cross-core"]

    public static func standard(full: Bool, samples: Int? = nil, warmup: Int? = nil, rounds: Int? = nil) -> L4RePlan {
        let n = samples ?? (full ? 1000 : 200)
        let sizes = [4 << 10, 64 << 10, 1 << 20, 16 << 20]
        return L4RePlan(pairs: Pair.all, placements: allPlacements, benchmarks: families,
                        rounds: rounds ?? (full ? 10 : 3), samples: n, warmup: warmup ?? (full ? 100 : 20),
                        dsSizes: sizes.map { ($0, max(3, min(n, n * (64 << 10) / max(64 << 10, $0)))) },
                        blockTimeLimitSeconds: full ? 600 : 120, seed: 0x4c34_5245)
    }

    public mutating func select(benchmarks b: [String], pairs p: [String], placements pl: [String]) throws(L4ReRunError) {
        for x in b where !Self.families.contains(x) {
            throw .badSelection("unknown benchmark '\(x)'; choose from \(Self.families.joined(separator: ", "))")
        }
        if !b.isEmpty { benchmarks = Self.families.filter { b.contains($0) } }
        if !p.isEmpty {
            var chosen: [Pair] = []
            for name in p {
                guard let pair = Pair.all.first(where: { $0.name == name }) else {
                    throw .badSelection("unknown pair '\(name)'; choose from \(Pair.all.map(\.name).joined(separator: ", "))")
                }
                chosen.append(pair)
            }
            pairs = chosen
        }
        if !pl.isEmpty {
            for x in pl where !Self.allPlacements.contains(x) {
                throw .badSelection("unknown placement '\(x)' on L4Re; choose from same-core, cross-core")
            }
            placements = Self.allPlacements.filter { pl.contains($0) }
        }
        if benchmarks.isEmpty { throw .badSelection("the selection leaves no benchmark to run") }
    }

    /// The client's benchmark list argument (`rt,rpc,cap,ds`).
    public var clientBenchmarks: String {
        var parts: [String] = []
        if benchmarks.contains("ipc.roundtrip") { parts.append("rt") }
        if benchmarks.contains("ipc.rpc") { parts.append("rpc") }
        if benchmarks.contains("cap.map") { parts.append("cap") }
        if benchmarks.contains("ds.share") { parts.append("ds") }
        return parts.joined(separator: ",")
    }

    /// The pairs that get blocks: the language pairs (when any of their
    /// benchmarks is selected) and the raw C reference.
    public var blockPairs: [Pair] {
        var out = clientBenchmarks.isEmpty ? [] : pairs
        if benchmarks.contains("ipc.roundtrip.raw") { out.append(.raw) }
        return out
    }

    /// CPUs of a placement: (client, server). CPU 0 also runs ned and moe.
    public static func cpus(_ placement: String) -> (client: Int, server: Int) {
        placement == "same-core" ? (1, 1) : (1, 0)
    }

    public var blockCount: Int { blockPairs.count * placements.count * rounds }
}
