import BenchResults
import BenchStats
import CBenchSys

#if canImport(Glibc)
import Glibc
#endif

/// Where a run is in its blocks, for a progress bar.
public struct RunProgress: Sendable {
    public var blocksDone: Int
    public var blocks: Int
    public var round: Int
    public var rounds: Int
    /// What runs next (or just finished).
    public var label: String
    public var failures: Int
}

/// What a finished run did.
public struct RunSummary: Sendable {
    public var runID: String
    public var samples: Int
    /// One line per failed job of a block.
    public var failures: [String]
    public var skipped: [String]
    /// The user interrupted the run (SIGINT, SIGTERM): the file holds every block that ran.
    public var interrupted = false
}

/// Writes results lines as they come, flushed after every block, so that a run
/// that is killed keeps what it measured.
public final class ResultsSink {
    private let file: UnsafeMutablePointer<FILE>
    public let path: String

    public init(path: String) throws(LinuxBenchError) {
        guard let f = fopen(path, "w") else { throw .system("open \(path)", errno) }
        file = f
        self.path = path
    }

    public func write(_ line: String) {
        fputs(line, file)
        fputc(10, file)
    }

    public func flush() { fflush(file) }

    deinit { fclose(file) }
}

/// The Linux backend: runs a suite plan in interleaved rounds (every round runs
/// each pair's block, in a shuffled order) and writes results format v1.
public struct LinuxRunner {
    public var plan: SuitePlan
    public var programs: PeerPrograms
    public var topology: Topology
    public var fault: FaultInjection?

    public init(plan: SuitePlan, programs: PeerPrograms, topology: Topology = .current(), fault: FaultInjection? = nil) {
        self.plan = plan
        self.programs = programs
        self.topology = topology
        self.fault = fault
    }

    /// Metadata every run carries; `extra` adds or overrides keys (commit, toolchain, date…).
    public func metadata(host: HostInfo, extra: [(String, String)]) -> [(String, String)] {
        var m: [(String, String)] = [
            ("target", "linux"), ("accel", "native"), ("cpu", host.cpuModel), ("tsc_hz", String(host.tscHz)),
            ("tsc_source", host.tscSource), ("machine", host.machine), ("kernel", host.kernel),
            ("samples", String(plan.samples)), ("warmup", String(plan.warmup)), ("rounds", String(plan.rounds)),
            ("overhead_cycles", String(host.overheadCycles)), ("seed", String(plan.seed)),
            ("time_limit_s", String(plan.timeLimitSeconds)), ("numa_nodes", String(topology.nodeCount)),
            ("numa_source", topology.source.rawValue),
            ("cpus", String(topology.cpuCount)),
        ]
        for (k, v) in extra {
            if let i = m.firstIndex(where: { $0.0 == k }) { m[i].1 = v } else { m.append((k, v)) }
        }
        return m
    }

    /// Runs the plan. Failed pairs become `fail` records and the run goes on;
    /// only an error of the runner itself (no memory, no processes) throws.
    public func run(runID: String, metadata: [(String, String)], sink: ResultsSink,
                    progress: (RunProgress) -> Void = { _ in }) throws(LinuxBenchError) -> RunSummary {
        sink.write(ResultsWriter.beginLine(runID: runID))
        for (k, v) in metadata { sink.write(ResultsWriter.metaLine(k, v)) }

        var placements: [Placement] = []
        var skipped: [String] = []
        for kind in plan.placements {
            switch topology.placement(kind) {
            case .success(let p):
                placements.append(p)
                sink.write(ResultsWriter.metaLine("placement_\(kind.rawValue)", "client CPU \(p.clientCPU), server CPU \(p.serverCPU), memory node \(p.memoryNode)"))
            case .failure(let why):
                skipped.append("\(kind.rawValue): \(why.reason)")
                for pair in plan.blockPairs {
                    for job in plan.jobs(for: pair) {
                        for key in keys(job, pair, kind.rawValue) { sink.write(ResultsWriter.noteLine(.skip, key, reason: why.reason)) }
                    }
                }
            }
        }
        sink.flush()

        var blocks: [(Pair, Placement)] = []
        for pair in plan.blockPairs { for p in placements { blocks.append((pair, p)) } }
        var rng = SplitMix64(seed: plan.seed)
        let runner = BlockRunner(programs: programs, timeLimitSeconds: plan.timeLimitSeconds, fault: fault)
        var total = 0
        var failures: [String] = []
        var done = 0
        bench_catch_interrupt()
        var interrupted = false
        rounds: for round in 0..<plan.rounds {
            var order = blocks
            order.shuffle(using: &rng)
            for (pair, placement) in order {
                if bench_interrupted() != 0 { interrupted = true; break rounds }
                let label = "\(pair) \(placement.kind.rawValue)"
                progress(RunProgress(blocksDone: done, blocks: blocks.count * plan.rounds, round: round, rounds: plan.rounds,
                                     label: label, failures: failures.count))
                let outcome = try runner.run(pair: pair, placement: placement, jobs: plan.jobs(for: pair), round: round)
                total += emit(outcome, to: sink)
                for r in outcome.results {
                    if let f = r.failure { failures.append("\(pair) \(placement.kind.rawValue) \(r.job.label) round \(round): \(f)") }
                }
                sink.flush()
                done += 1
                if outcome.interrupted { interrupted = true; break rounds }
            }
        }
        if interrupted {
            sink.write(ResultsWriter.metaLine("incomplete", "interrupted (signal \(bench_interrupted())) after \(done) of \(blocks.count * plan.rounds) blocks"))
        }
        progress(RunProgress(blocksDone: done, blocks: blocks.count * plan.rounds, round: plan.rounds, rounds: plan.rounds,
                             label: "done", failures: failures.count))
        sink.write(ResultsWriter.endLine(runID: runID, samples: total))
        sink.flush()
        return RunSummary(runID: runID, samples: total, failures: failures, skipped: skipped, interrupted: interrupted)
    }

    func keys(_ job: Job, _ pair: Pair, _ placement: String) -> [GroupKey] {
        job.benchmarks.map {
            GroupKey(suite: job.suite, benchmark: $0, client: pair.client.rawValue, server: pair.serverLabel,
                     placement: placement, param: job.param)
        }
    }

    /// Writes a block's samples and failures; returns the number of sample lines.
    func emit(_ outcome: BlockOutcome, to sink: ResultsSink) -> Int {
        var n = 0
        for r in outcome.results {
            let ks = keys(r.job, outcome.pair, outcome.placement.kind.rawValue)
            let per = r.job.valuesPerIteration
            for (v, key) in ks.enumerated() {
                for i in 0..<r.iterations {
                    sink.write(ResultsWriter.sampleLine(key, round: outcome.round, iteration: i, cycles: r.values[i * per + v]))
                    n += 1
                }
                if let f = r.failure {
                    sink.write(ResultsWriter.noteLine(.fail, key, reason: "round \(outcome.round): \(f)"))
                }
            }
        }
        return n
    }
}
