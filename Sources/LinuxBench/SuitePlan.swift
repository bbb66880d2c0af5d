import CBenchSys

/// A language a peer is written in.
public enum Language: String, Sendable, CaseIterable {
    /// `cpp` is the C++ peer SwiftPM builds (clang); `cpp.gcc` the same source
    /// built with g++ at run time (same flags), where g++ exists.
    case swift, cpp, c
    case cppGCC = "cpp.gcc"

    /// The compiler part of a label (`cpp.gcc` -> gcc), nil for the default build.
    public var compilerTag: String? { self == .cppGCC ? "gcc" : nil }
}

/// Client and server language, and a replica tag for a second, independent
/// copy of a pair (the A/A control `cpp-cpp.b`: the same programs in blocks of
/// their own).
public struct Pair: Sendable, Hashable, CustomStringConvertible {
    public var client: Language
    public var server: Language
    public var replica: String?
    public init(_ client: Language, _ server: Language, replica: String? = nil) {
        self.client = client; self.server = server; self.replica = replica
    }
    /// The server field of the results (`cpp`, or `cpp.b` for the control).
    public var serverLabel: String { server.rawValue + (replica.map { ".\($0)" } ?? "") }
    public var description: String { "\(client.rawValue)-\(serverLabel)" }

    /// The four pairs every benchmark runs with.
    public static let all: [Pair] = [Pair(.swift, .swift), Pair(.swift, .cpp), Pair(.cpp, .swift), Pair(.cpp, .cpp)]
    /// The A/A control: cpp-cpp again, its own block in each round. Its label
    /// `cpp.b` is a replica tag (`.b`), never a compiler (`cpp.gcc`, `cpp.clang`).
    public static let control = Pair(.cpp, .cpp, replica: "b")
    /// The C++ peers built with g++ (compiler apart from language).
    public static let gcc = Pair(.cppGCC, .cppGCC)
    /// Every pair `--pair` accepts.
    public static let selectable: [Pair] = all + [control, gcc]
    /// The raw C reference.
    public static let raw = Pair(.c, .c)

    public init?(_ text: String) {
        guard let p = Self.selectable.first(where: { $0.description == text }) ?? Self.raw.matching(text) else { return nil }
        self = p
    }

    private func matching(_ text: String) -> Pair? { description == text ? self : nil }
}

/// One job of a block: a benchmark with one parameter, run by the client.
public struct Job: Sendable, Equatable {
    public enum Kind: UInt32, Sendable {
        case futex = 1, seqpacket = 2, scm = 3, memfd = 4, raw = 5
    }
    public var kind: Kind
    public var words: UInt32 = 0
    public var bytes: UInt64 = 0
    public var samples: UInt32
    public var warmup: UInt32

    public var suite: String {
        switch kind {
        case .futex, .raw: return "futex"
        case .seqpacket: return "seqpacket"
        case .scm: return "scm"
        case .memfd: return "memfd"
        }
    }

    /// The benchmark name of each value an iteration stores, in order.
    public var benchmarks: [String] {
        switch kind {
        case .futex, .seqpacket: return ["ipc.roundtrip"]
        case .raw: return ["ipc.roundtrip.raw"]
        case .scm: return ["cap.transfer"]
        case .memfd: return ["ds.share.alloc", "ds.share.map", "ds.share.touch", "ds.share.unmap", "ds.share"]
        }
    }
    public var valuesPerIteration: Int { benchmarks.count }

    /// The benchmark family the user selects with `--bench`.
    public var family: String {
        switch kind {
        case .futex, .seqpacket: return "ipc.roundtrip"
        case .raw: return "ipc.roundtrip.raw"
        case .scm: return "cap.transfer"
        case .memfd: return "ds.share"
        }
    }

    public var param: String {
        switch kind {
        case .futex, .seqpacket, .raw: return "words=\(words)"
        case .scm: return "-"
        case .memfd: return "bytes=\(bytes)"
        }
    }

    public var label: String { "\(suite) \(family) \(param)" }
}

/// What a run measures: jobs per pair, pairs, placements, rounds.
public struct SuitePlan: Sendable {
    public var jobs: [Job]
    public var pairs: [Pair]
    public var placements: [Placement.Kind]
    public var rounds: Int
    public var samples: Int
    public var warmup: Int
    /// A job may run at most this long before its pair is killed and reported failed.
    public var timeLimitSeconds: Double
    /// Seeds the order of blocks within each round (recorded in the metadata).
    public var seed: UInt64
    /// Seconds the run may take: rounds are added until the stopping rule says
    /// every headline verdict is settled or the next round would not fit (nil:
    /// exactly `rounds` rounds). `rounds` is then the most rounds it may take.
    public var budgetSeconds: Double?
    /// At most this many samples of one job run back to back before the next
    /// pair's turn (the block length of the fine interleaving).
    public var sliceSamples = 25
    /// Start each session's processes anew every round (see `LinuxRunner.run`).
    public var freshProcessesEachRound = true

    /// Samples per slice of `job`: at most `sliceSamples`, and every job in at
    /// least 4 slices a round when it has the samples (16 MiB dataspaces: 1).
    public func sliceSize(_ job: Job) -> Int {
        max(1, min(sliceSamples, Int(job.samples) / 4))
    }
    /// Untimed iterations before each later slice (the first gets the job's warm-up).
    public func sliceWarmup(_ job: Job) -> Int { min(2, sliceSize(job) / 4) }

    /// The benchmark families `--bench` accepts.
    public static let families = ["ipc.roundtrip", "ipc.roundtrip.raw", "cap.transfer", "ds.share"]

    /// The default suite (`--full` for more samples, rounds, payloads and sizes).
    public static func standard(full: Bool, samples: Int? = nil, warmup: Int? = nil, rounds: Int? = nil) -> SuitePlan {
        // Quick: short rounds (50 samples of each job), so that a minute holds
        // dozens of them: the round is the unit, and more units beat longer ones.
        let n = samples ?? (full ? 1000 : 50)
        let w = warmup ?? (full ? 100 : 20)
        let words: [UInt32] = full ? [0, 1, 8, 16, 32, 63] : [0, 8, 63]
        // Quick: dataspaces of 4 and 64 KiB; --full adds 256 KiB to 16 MiB. A pair's
        // per-round ratio to cpp-cpp cancels the drift both share; what is left is noise
        // of the pair's own. Measured on this VM (quick runs of 45 and 84 rounds, load 7
        // and 19): at 1 MiB that noise was 15-27% a round for alloc and map (3.3-6.6% at
        // 4 and 64 KiB), and 32 samples of it instead of 8 did not help (the part within
        // a round fell from 21-26% to 5-7%; the rest is between rounds). With 1 MiB in the
        // headline's geometric mean over sizes, its per-round spread was 6-9% instead of
        // 3-4%: a minute could not settle it. 16 MiB: one sample a round is bimodal (3 to 30 ms).
        let sizes: [UInt64] = full ? [4 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20] : [4 << 10, 64 << 10]
        var jobs: [Job] = []
        for wd in words { jobs.append(Job(kind: .futex, words: wd, samples: UInt32(n), warmup: UInt32(w))) }
        for wd in full ? words : [0] { jobs.append(Job(kind: .seqpacket, words: wd, samples: UInt32(n), warmup: UInt32(w))) }
        jobs.append(Job(kind: .scm, samples: UInt32(n), warmup: UInt32(w)))
        for s in sizes {
            // Large dataspaces cost milliseconds an iteration: fewer of them, never under 5.
            let scaled = max(5, n * Int(64 << 10) / Int(max(64 << 10, s)))
            jobs.append(Job(kind: .memfd, bytes: s, samples: UInt32(scaled), warmup: UInt32(max(1, min(w, scaled / 4)))))
        }
        jobs.append(Job(kind: .raw, words: 0, samples: UInt32(n), warmup: UInt32(w)))
        return SuitePlan(jobs: jobs, pairs: Pair.all + [Pair.control], placements: [.sameCore, .crossCore, .crossNode],
                         rounds: rounds ?? (full ? 20 : 10), samples: n, warmup: w,
                         timeLimitSeconds: full ? 60 : 10, seed: 0x4c34_4231)
    }

    /// Keeps the benchmark families, pairs and placements named (empty: keep all).
    public mutating func select(benchmarks: [String], pairs: [String], placements: [String]) throws(LinuxBenchError) {
        for b in benchmarks where !Self.families.contains(b) {
            throw .badSelection("unknown benchmark '\(b)'; choose from \(Self.families.joined(separator: ", "))")
        }
        if !benchmarks.isEmpty { jobs = jobs.filter { benchmarks.contains($0.family) } }
        if !pairs.isEmpty {
            var chosen: [Pair] = []
            for p in pairs {
                guard let pair = Pair(p), Pair.selectable.contains(pair) else {
                    throw .badSelection("unknown pair '\(p)'; choose from \(Pair.selectable.map(\.description).joined(separator: ", "))")
                }
                chosen.append(pair)
            }
            self.pairs = chosen
        }
        if !placements.isEmpty {
            var chosen: [Placement.Kind] = []
            for p in placements {
                guard let k = Placement.Kind(rawValue: p) else {
                    throw .badSelection("unknown placement '\(p)'; choose from same-core, cross-core, cross-node")
                }
                chosen.append(k)
            }
            self.placements = chosen
        }
        if jobs.isEmpty { throw .badSelection("the selection leaves no benchmark to run") }
    }

    /// Jobs the peers of `pair` run (the raw job belongs to the C pair only).
    public func jobs(for pair: Pair) -> [Job] {
        pair == .raw ? jobs.filter { $0.kind == .raw } : jobs.filter { $0.kind != .raw }
    }

    /// The pairs that get blocks: the selected ones that have jobs, and the raw reference if selected.
    public var blockPairs: [Pair] {
        var out = pairs.filter { !jobs(for: $0).isEmpty }
        if jobs.contains(where: { $0.kind == .raw }) { out.append(.raw) }
        return out
    }
}
