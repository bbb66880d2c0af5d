import ArgumentParser
import L4ReRunner
import BenchReport
import BenchResults
import BenchStore
import BenchStats
import Foundation
#if L4BENCH_LINUX
import LinuxBench
#endif

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the benchmark suite and print its report (default: natively on Linux).",
        discussion: """
        Linux (the default target): each of the four pairs swift-swift, swift-cpp, cpp-swift, cpp-cpp, and the \
        A/A control cpp-cpp.b (the C++ programs again, in blocks of their own: the run's noise floor), runs \
        ipc.roundtrip (futex rendezvous with 0, 8 and 63 words; SOCK_SEQPACKET), cap.transfer (an fd over \
        SCM_RIGHTS) and ds.share (a memfd of 4 KiB to 16 MiB mapped, touched and unmapped by the server), \
        plus ipc.roundtrip.raw, a bare C futex ping-pong, in same-core, cross-core and (with several NUMA \
        nodes) cross-node placement; where g++ exists, also cpp.gcc-cpp.gcc (the C++ peer built with g++ at \
        run time, same flags), so that the verdict separates the compiler from the language. Each pair's \
        processes stay alive for a round (fresh ones each round); pairs alternate in slices of at most 25 samples in random order, so \
        that drift of the host falls on every pair alike; the round is the unit of the statistics. Rounds are \
        added until every headline verdict is settled or --budget (default 60 s) is spent. \
        A pair that crashes or exceeds the time limit is killed and reported; the run goes on. \
        The results file goes under Results/<machine>/runs/ and the report is printed. Exit code 4 when a \
        pair failed.
        """)

    @Option(help: "Where to run: linux (natively, here) or l4re (under QEMU, needs --l4re-obj and --fiasco-obj).")
    var target: Target = .linux

    @Flag(help: "More samples, rounds, payload sizes and dataspace sizes.")
    var full = false

    @Option(parsing: .singleValue, help: "Benchmark to run (repeatable, or comma-separated): ipc.roundtrip, ipc.roundtrip.raw, cap.transfer, ds.share.")
    var bench: [String] = []

    @Option(parsing: .singleValue, help: "Pair to run (repeatable, or comma-separated): swift-swift, swift-cpp, cpp-swift, cpp-cpp, cpp-cpp.b (the A/A control).")
    var pair: [String] = []

    @Option(parsing: .singleValue, help: "Placement (repeatable, or comma-separated): same-core, cross-core, cross-node.")
    var placement: [String] = []

    @Option(help: "Timed samples per pair, benchmark and round (default 50, --full 1000; on L4Re under icount 10).")
    var samples: Int?

    @Option(help: "Untimed warm-up iterations before each block (default 20, --full 100).")
    var warmup: Int?

    @Option(help: "Rounds: alone, exactly this many; with --budget, at most this many (default 1000).")
    var rounds: Int?

    @Option(help: "Seconds the run may take (default 60, --full 600): rounds are added until every headline verdict is settled (a sequential rule whose error rate holds over its looks) or the next round would not fit.")
    var budget: Double?

    @Option(help: "Samples of one job a pair runs before the next pair's turn within a round (default 25).")
    var slice: Int?

    @Flag(help: "Do not build and run the C++ peer with g++ (the cpp.gcc-cpp.gcc pair).")
    var noGcc = false

    @Option(help: "Seconds one benchmark of one pair may take before the pair is killed (default 10, --full 60).")
    var timeLimit: Double?

    @Option(name: .shortAndLong, help: "Results file (default: Results/<machine>/runs/<date>_<commit>.csv).")
    var output: String?

    @Option(help: "Results directory, the store (default: Results; with --target l4re, <project>/Results/l4re).")
    var results: String?

    @Option(help: "HTML report (default: the results file with .html).")
    var html: String?

    @Flag(help: "Write the results file only; print no report.")
    var noReport = false

    @Option(help: .hidden)
    var injectFault: String?

    @OptionGroup var l4re: L4ReOptions

    func validate() throws {
        if let samples, samples < 1 || samples > 1_000_000 { throw ValidationError("--samples must be 1...1000000") }
        if let warmup, warmup < 0 || warmup > 1_000_000 { throw ValidationError("--warmup must be 0...1000000") }
        if let rounds, rounds < 1 || rounds > 1000 { throw ValidationError("--rounds must be 1...1000") }
        if let slice, slice < 1 || slice > 1_000_000 { throw ValidationError("--slice must be 1...1000000") }
        if let budget, !(budget > 0 && budget <= 86_400) { throw ValidationError("--budget must be a number of seconds in (0, 86400]") }
        if let timeLimit, timeLimit <= 0 { throw ValidationError("--time-limit must be positive") }
        if target == .linux && (l4re.l4reObj != nil || l4re.fiascoObj != nil || l4re.imageOnly || l4re.noPhases || l4re.accel != .icount
            || l4re.phases || l4re.everyRound) {
            throw ValidationError("--l4re-obj, --fiasco-obj, --accel, --image-only, --phases, --no-phases and --every-round go with --target l4re")
        }
    }

    func run() throws {
        if target == .l4re { return try l4re.run(self) }
        #if L4BENCH_LINUX
        var plan = SuitePlan.standard(full: full, samples: samples, warmup: warmup, rounds: rounds)
        if let timeLimit { plan.timeLimitSeconds = timeLimit }
        if let slice { plan.sliceSamples = slice }
        // Sequential unless only --rounds is given: rounds until settled or the budget is spent.
        if budget != nil || rounds == nil {
            plan.budgetSeconds = budget ?? (full ? 600 : 60)
            plan.rounds = rounds ?? 1000
        }
        do { try plan.select(benchmarks: Self.list(bench), pairs: Self.list(pair), placements: Self.list(placement)) } catch {
            throw ValidationError(error.description)
        }
        var programs: PeerPrograms
        do { programs = try PeerPrograms.locate() } catch { throw ExitCode.fileOrTool.withMessage(error.description) }
        var compilers: [(String, String)] = []
        let wantsGCC = plan.pairs.contains(.gcc) || (pair.isEmpty && !noGcc)
        if wantsGCC {
            switch GCCPeer.build(peerDirectory: programs.directory, sourceRoot: nil) {
            case .success(let g):
                programs.gccPeer = g.path
                if !plan.pairs.contains(.gcc) { plan.pairs.append(.gcc) }
                compilers += [("compiler.cpp.gcc", g.compiler), ("flags.cpp.gcc", g.flags)]
            case .failure(let why):
                plan.pairs.removeAll { $0 == .gcc }
                Console.error("skipped the C++ peer built with g++ (cpp.gcc-cpp.gcc): \(why.reason)")
            }
        }
        var fault: FaultInjection?
        if let injectFault { fault = try Self.parseFault(injectFault) }

        let host = HostInfo.probe()
        let date = Self.isoDate(Date())
        let commit = SourceInfo.commit()
        let runner = LinuxRunner(plan: plan, programs: programs, fault: fault)
        let swiftc = SourceInfo.capture(["swiftc", "--version"])?.split(separator: "\n").first.map(String.init) ?? "swift (unknown version)"
        let meta = runner.metadata(host: host, extra: [("commit", commit), ("date", date), ("toolchain", SourceInfo.toolchain(cc: host.compiler)),
                                                       ("compiler.swift", swiftc), ("flags.swift", "-O -enforce-exclusivity=unchecked"),
                                                       ("compiler.cpp", host.compiler), ("flags.cpp", GCCPeer.flags.joined(separator: " ") + " (SwiftPM)")] + compilers)
        let runID = "linux-\(ResultsStore.dateStamp(date))-\(ResultsStore.slug(host.machine))"
        // The backend writes format v1 (the interchange format); a run without -o is then
        // stored in compact form under Results, and its report stays in the work directory.
        let path = output ?? FileManager.default.currentDirectoryPath + "/.build-runs/\(runID).csv"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)

        let how = plan.budgetSeconds.map { "rounds until every headline verdict is settled, within \(Int($0)) s" } ?? "\(plan.rounds) rounds"
        Console.error("running \(plan.blockPairs.count) pairs × \(plan.placements.count) placements, \(how), on \(host.cpuModel) (TSC \(host.tscHz) Hz, \(host.tscSource)); results: \(path)")
        let bar = ProgressBar()
        let summary: RunSummary
        var planned = false
        let sequential = plan.budgetSeconds != nil
        do {
            let sink = try ResultsSink(path: path)
            summary = try runner.run(runID: runID, metadata: meta, sink: sink, progress: { p in
                if !sequential { bar.update(done: p.blocksDone, total: p.blocks, round: p.round, rounds: p.rounds, label: p.label, failures: p.failures) }
            }, stop: { snap in
                let looks = AlphaSpending.standard.looks(roundEnds: snap.roundEnds, budget: snap.budgetSeconds, maxRounds: snap.maxRounds,
                                                         lastIsFinal: snap.finalLook)
                guard looks.last?.rounds == snap.rounds else { return .goOn }  // not a look
                let (lines, _) = SequentialVerdicts.lines(medians: snap.medians, roundEnds: snap.roundEnds, budget: snap.budgetSeconds,
                                                          maxRounds: snap.maxRounds, final: snap.finalLook)
                let seconds = snap.roundEnds.last ?? 0
                if !planned {
                    planned = true
                    Console.error(SequentialVerdicts.plan(lines, roundEnds: snap.roundEnds, budget: snap.budgetSeconds))
                }
                Console.error(SequentialVerdicts.progressLine(lines, rounds: snap.rounds, seconds: seconds))
                guard sequential, !lines.isEmpty, lines.allSatisfy({ $0.verdict.settledAfter != nil }) else { return .goOn }
                return .stop("every headline verdict settled after \(snap.rounds) rounds (\(Int(seconds.rounded())) s)")
            })
        } catch { throw ExitCode.fileOrTool.withMessage("\(error)") }
        Console.error("\(summary.rounds) rounds in \(Int(summary.seconds.rounded())) s; stopped: \(summary.stopReason)")

        if summary.interrupted { Console.error("interrupted: the results file holds the \(summary.samples) samples taken and says so") }
        for s in summary.skipped { Console.error("skipped \(s)") }
        for f in summary.failures { Console.error("FAILED \(f)") }
        Console.error("wrote \(summary.samples) samples to \(path)")
        var reportSource = path
        if output == nil {
            let written = ResultsParser.parse(path: path)
            do {
                let stored = try ResultsStore(root: results ?? "Results").store(written.run)
                Console.error("stored as \(stored)")
                reportSource = Self.dropWorkingCSV(path, stored: stored, samples: written.run.sampleCount)
            } catch { throw ExitCode.fileOrTool.withMessage("\(error)") }
        }
        if !noReport { try printRunReport(reportSource, html: html ?? ReportCommand.htmlPath(for: path), noReport: false) }
        if summary.interrupted { throw ExitCode.interrupted }
        if !summary.failures.isEmpty { throw ExitCode.pairFailed }
        #else
        throw ExitCode.fileOrTool.withMessage("run --target linux needs Linux: this l4bench was built without the Linux backend (macOS, or L4BENCH_PORTABLE=1)")
        #endif
    }

    /// The working CSV of a run without `-o` (tens of MB a run) goes once the stored
    /// run reads back whole: same samples, no fault, checksums verified. Returns the
    /// file the report is read from: the stored run, or the CSV when it is kept.
    static func dropWorkingCSV(_ csv: String, stored: String, samples: Int) -> String {
        let back = ResultsParser.parse(path: stored)
        guard back.fault == nil, back.checksummed, back.run.sampleCount == samples else {
            Console.error("kept the working CSV \(csv): the stored run did not read back whole")
            return csv
        }
        do { try FileManager.default.removeItem(atPath: csv) } catch {
            Console.error("could not remove the working CSV \(csv): \(error.localizedDescription)")
            return csv
        }
        Console.error("removed the working CSV (the stored run holds its \(samples) samples; `l4bench export --format csv \(stored)` writes it again)")
        return stored
    }

    /// Values of a repeatable option, each of which may also be a comma-separated list.
    static func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    }

    #if L4BENCH_LINUX
    static func parseFault(_ s: String) throws -> FaultInjection {
        let parts = s.split(separator: ":")
        let kinds: [String: FaultInjection.Kind] = ["server-crash": .serverCrash, "server-hang": .serverHang, "client-crash": .clientCrash, "server-corrupt": .serverCorrupt]
        guard parts.count == 2, let k = kinds[String(parts[0])], let j = Int(parts[1]), j >= 0 else {
            throw ValidationError("--inject-fault KIND:JOB with KIND server-crash, server-hang or client-crash")
        }
        return FaultInjection(kind: k, job: j)
    }
    #endif

    /// `--target`: where the suite runs.
    enum Target: String, CaseIterable, ExpressibleByArgument {
        case linux, l4re
    }

    static func isoDate(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d)
    }
}

/// The commit and toolchain a run records.
enum SourceInfo {
    static func capture(_ args: [String]) -> String? { L4ReProvenance.capture(args) }

    /// The source commit, `-dirty` when the work tree has changes, `unknown` outside git.
    static func commit() -> String {
        guard let c = capture(["git", "rev-parse", "--short=12", "HEAD"]) else { return "unknown" }
        let dirty = capture(["git", "status", "--porcelain", "--untracked-files=no"]).map { !$0.isEmpty } ?? false
        return dirty ? c + "-dirty" : c
    }

    static func toolchain(cc: String) -> String {
        let swift = capture(["swiftc", "--version"])?.split(separator: "\n").first.map(String.init) ?? "swift (unknown version)"
        return "\(swift); C/C++: \(cc)"
    }
}
