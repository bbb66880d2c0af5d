import CL4BenchProto

/// What an L4Re run measures: pairs, placements, rounds, and per block the
/// benchmarks with their samples. Every block of a round runs in one boot, in
/// an order shuffled per round (the seed is recorded).
public struct L4RePlan: Sendable {
    public struct Pair: Sendable, Hashable {
        /// The client's label in the results: `swift`, `cpp` (C++ built by the
        /// suite's default compiler, GCC on L4Re) or `cpp.clang` (the same C++
        /// built by clang).
        public var client: String
        /// The server's label in the results, as the client's; `cpp.b` is the A/A control.
        public var server: String
        public init(_ c: String, _ s: String) { client = c; server = s }
        public var name: String { "\(client)-\(server)" }
        /// The server program's prefix (`cpp` for the control `cpp.b`, `cppclang` for `cpp.clang`).
        public var serverProgram: String { Self.program(server) }
        public var clientProgram: String { Self.program(client) }
        /// The program prefix of a label: `<prefix>-bench-client`, `<prefix>-bench-server`.
        public static func program(_ label: String) -> String {
            label == control.server ? "cpp" : label.replacingOccurrences(of: ".", with: "")
        }
        public static let languagePairs = [Pair("swift", "swift"), Pair("swift", "cpp"), Pair("cpp", "swift"), Pair("cpp", "cpp")]
        /// The C++ built by clang: against itself (the compiler's own baseline) and Swift either way.
        public static let clangPairs = [Pair("cpp.clang", "cpp.clang"), Pair("swift", "cpp.clang"), Pair("cpp.clang", "swift")]
        /// The A/A control: cpp-cpp again, its own block in each round.
        public static let control = Pair("cpp", "cpp.b")
        public static let all = languagePairs + clangPairs + [control]
        public static let raw = Pair("c", "c")
    }

    /// One boot block: a pair on a placement in a round, plain or with phases.
    public struct Block: Sendable, Equatable {
        public var round: Int
        public var pair: Pair
        public var placement: String
        /// A phase block: both peers get the phase log and record phase timestamps.
        public var phases: Bool
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
    /// Phase blocks beside the plain ones: each pair's IPC benchmarks again,
    /// with timestamps at the phase boundaries (`<benchmark>.phase.<name>`).
    public var phases = true

    public static let families = ["ipc.roundtrip", "ipc.rpc", "cap.map", "ipc.str", "ds.share", "ipc.roundtrip.raw"]
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

    /// The client's benchmark list argument (`rt,rpc,cap,str,ds`; keys of l4bench_proto.h).
    public var clientBenchmarks: String {
        var parts: [String] = []
        if benchmarks.contains("ipc.roundtrip") { parts.append(L4B_KEY_RT) }
        if benchmarks.contains("ipc.rpc") { parts.append(L4B_KEY_RPC) }
        if benchmarks.contains("cap.map") { parts.append(L4B_KEY_CAP) }
        if benchmarks.contains("ipc.str") { parts.append(L4B_KEY_STR) }
        if benchmarks.contains("ds.share") { parts.append(L4B_KEY_DS) }
        return parts.joined(separator: ",")
    }

    /// The benchmark list of a phase block: the IPC benchmarks (ds.share times its own phases).
    public var phaseBenchmarks: String {
        clientBenchmarks.split(separator: ",").filter { $0 != L4B_KEY_DS }.joined(separator: ",")
    }

    /// The pairs that get blocks: the language pairs (when any of their
    /// benchmarks is selected) and the raw C reference.
    public var blockPairs: [Pair] {
        var out = clientBenchmarks.isEmpty ? [] : pairs
        if benchmarks.contains("ipc.roundtrip.raw") { out.append(.raw) }
        return out
    }

    /// The pairs that get phase blocks too.
    public var phasePairs: [Pair] { phases && !phaseBenchmarks.isEmpty ? pairs : [] }

    /// CPUs of a placement: (client, server). CPU 0 also runs ned and moe.
    public static func cpus(_ placement: String) -> (client: Int, server: Int) {
        placement == "same-core" ? (1, 1) : (1, 0)
    }

    public var blockCount: Int { (blockPairs.count + phasePairs.count) * placements.count * rounds }
}
