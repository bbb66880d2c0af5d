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
        /// The benchmark families this block runs; nil: all of the plan's for its kind (a later
        /// boot of a per-group stop runs only the families whose groups still need rounds).
        public var families: [String]? = nil

        /// The block without its round: what a per-group stop selects.
        public var unit: BlockUnit { BlockUnit(pair: pair, placement: placement, phases: phases) }
    }

    /// A block without its round: a pair on a placement, plain or with phases.
    public struct BlockUnit: Sendable, Hashable {
        public var pair: Pair
        public var placement: String
        public var phases: Bool
        public init(pair: Pair, placement: String, phases: Bool) {
            self.pair = pair
            self.placement = placement
            self.phases = phases
        }
    }

    /// Which blocks a boot runs: the rounds, and (nil: every unit, every family) the
    /// families each unit still needs. Rounds keep the shuffled order of the whole run.
    public struct Selection: Sendable, Equatable {
        public var rounds: Range<Int>
        public var families: [BlockUnit: [String]]?
        public init(rounds: Range<Int>, families: [BlockUnit: [String]]? = nil) {
            self.rounds = rounds
            self.families = families
        }
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
    /// Explain-only (no verdict reads them): in `--full`, or the quick suite with `--phases`.
    public var phases = true
    /// Under icount, stop per group: a first boot runs 2 rounds of every block; a group
    /// whose 2 round medians are bit-identical needs no more (`StoppingRule.groupSettled`),
    /// and a second boot runs the remaining rounds of only the families still needed.
    /// Under TCG and KVM every block runs every round.
    public var perGroupStop = true

    public static let families = ["ipc.roundtrip", "ipc.rpc", "cap.map", "ipc.str", "ds.share", "ipc.roundtrip.raw"]
    public static let allPlacements = ["same-core", "cross-core"]

    /// The quick suite (`full: false`): every pair (the four language pairs, the clang pairs that
    /// the verdicts' "against C++ (clang)" and "the compiler's part" read, the A/A control, raw C)
    /// on both placements, `quickSamples` samples (`quickSamplesTimed` where the clock is not
    /// deterministic: TCG, KVM, hardware), at most 3 rounds, dataspaces of 4 KiB to 1 MiB, no phase
    /// blocks. `--full`: 1000 samples, 10 rounds, the 16 MiB dataspace, phase blocks.
    public static func standard(full: Bool, samples: Int? = nil, warmup: Int? = nil, rounds: Int? = nil,
                                deterministic: Bool = true) -> L4RePlan {
        let n = samples ?? (full ? 1000 : deterministic ? quickSamples : quickSamplesTimed)
        // The 16 MiB dataspace (a quarter of a second of guest time a sample, 4 a block) is --full's, as on Linux.
        let sizes = [4 << 10, 64 << 10, 1 << 20] + (full ? [16 << 20] : [])
        var plan = L4RePlan(pairs: Pair.all, placements: allPlacements, benchmarks: families,
                            rounds: rounds ?? (full ? 10 : 3), samples: n, warmup: warmup ?? (full ? 100 : 20),
                            dsSizes: sizes.map { ($0, max(3, min(n, n * (64 << 10) / max(64 << 10, $0)))) },
                            blockTimeLimitSeconds: full ? 600 : 120, seed: 0x4c34_5245)
        plan.phases = full
        return plan
    }

    /// Samples per benchmark and block in the quick suite.
    /// Under icount most groups repeat the same median at any count, and the console's lines (one
    /// a sample, written to the emulated UART a byte at a time) cost more host time than the benchmarks.
    public static let quickSamples = 10
    /// Samples per benchmark and block in the quick suite where samples vary (TCG, KVM, an image for hardware).
    public static let quickSamplesTimed = 50

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

    /// Every block unit of the plan: the plain ones, then the phase ones.
    public var units: [BlockUnit] {
        var out: [BlockUnit] = []
        for p in blockPairs { for pl in placements { out.append(BlockUnit(pair: p, placement: pl, phases: false)) } }
        for p in phasePairs { for pl in placements { out.append(BlockUnit(pair: p, placement: pl, phases: true)) } }
        return out
    }

    /// The families a unit runs: raw C its own; a phase block the IPC families; a plain one the selected language families.
    public func families(of unit: BlockUnit) -> [String] {
        if unit.pair == .raw { return ["ipc.roundtrip.raw"] }
        let language = benchmarks.filter { $0 != "ipc.roundtrip.raw" }
        return unit.phases ? language.filter { $0 != "ds.share" } : language
    }

    /// The family a benchmark's results belong to (`ipc.rpc.phase.call` → `ipc.rpc`,
    /// `ds.share.map` → `ds.share`, `ipc.roundtrip.raw` its own); nil for none of the plan's.
    public static func family(of benchmark: String) -> String? {
        families.filter { benchmark == $0 || benchmark.hasPrefix($0 + ".") }.max { $0.count < $1.count }
    }

    /// The client's benchmark list argument for some families (`rt,rpc`).
    public static func clientKeys(_ fams: [String]) -> String {
        let keys: [(String, String)] = [
            ("ipc.roundtrip", L4B_KEY_RT), ("ipc.rpc", L4B_KEY_RPC), ("cap.map", L4B_KEY_CAP), ("ipc.str", L4B_KEY_STR), ("ds.share", L4B_KEY_DS),
        ]
        return keys.filter { fams.contains($0.0) }.map(\.1).joined(separator: ",")
    }
}
