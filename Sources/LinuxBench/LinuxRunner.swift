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
    /// Rounds completed, seconds taken, and why the run ended.
    public var rounds = 0
    public var seconds = 0.0
    public var stopReason = ""
}

/// What the stopping rule sees after each round: every group's median per
/// round so far and when each round ended.
public struct RoundSnapshot: Sendable {
    public var rounds: Int
    /// Seconds from the start of the run to the end of each round.
    public var roundEnds: [Double]
    public var medians: [GroupKey: [Int: Double]]
    /// No further round will run (the budget or the most rounds is reached).
    public var finalLook: Bool
    public var budgetSeconds: Double?
    public var maxRounds: Int
}

public enum StopAnswer: Sendable, Equatable {
    case goOn
    case stop(String)
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

/// The Linux backend: runs a suite plan in finely interleaved rounds and writes results format v1.
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
    ///
    /// Every pair at every placement is one persistent session (two processes
    /// alive for the whole run). A round runs each job of each session once,
    /// split into slices of at most `plan.sliceSamples` samples; the slices of
    /// all sessions alternate in a random order per job and slice, so that the
    /// machine's drift falls on every pair alike. The round stays the unit of
    /// independence (one median per group and round). After each round `stop`
    /// sees the medians so far; the run ends when it says so, when `plan.rounds`
    /// are done, or when the next round would not fit `plan.budgetSeconds`.
    public func run(runID: String, metadata: [(String, String)], sink: ResultsSink,
                    progress: (RunProgress) -> Void = { _ in },
                    stop: ((RoundSnapshot) -> StopAnswer)? = nil) throws(LinuxBenchError) -> RunSummary {
        let startNs = bench_now_ns()
        func elapsed() -> Double { Double(bench_now_ns() - startNs) / 1e9 }
        sink.write(ResultsWriter.beginLine(runID: runID))
        for (k, v) in metadata { sink.write(ResultsWriter.metaLine(k, v)) }
        sink.write(ResultsWriter.metaLine("interleave", "peers alive for a round (fresh processes each round); slices of at most \(plan.sliceSamples) samples, pairs alternating in random order per job and slice; unit: the round"))
        if let b = plan.budgetSeconds { sink.write(ResultsWriter.metaLine("budget_s", Self.decimal(b))) }

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

        // Sessions for the harness pairs; the raw C reference keeps one-shot blocks.
        var sessions: [PeerSession] = []
        for pair in plan.blockPairs where pair != .raw {
            let jobs = plan.jobs(for: pair)
            for p in placements {
                sessions.append(try PeerSession(pair: pair, placement: p, jobs: jobs, maxSlice: jobs.map(plan.sliceSize),
                                                programs: programs, timeLimitSeconds: plan.timeLimitSeconds, fault: fault))
            }
        }
        defer { for s in sessions { s.close() } }
        let rawBlocks: [Placement] = plan.blockPairs.contains(.raw) ? placements : []
        let jobCount = plan.jobs(for: plan.blockPairs.first { $0 != .raw } ?? .raw).count
        let cellsPerRound = sessions.count * (sessions.isEmpty ? 0 : jobCount) + rawBlocks.count

        var rng = SplitMix64(seed: plan.seed)
        let blockRunner = BlockRunner(programs: programs, timeLimitSeconds: plan.timeLimitSeconds, fault: fault)
        var total = 0
        var failures: [String] = []
        var done = 0
        bench_catch_interrupt()
        var interrupted = false
        var roundEnds: [Double] = []
        var medians: [GroupKey: [Int: Double]] = [:]
        var stopReason = "\(plan.rounds) rounds done"
        var roundCosts: [Double] = []
        var cutShort: String?
        var lastRuleSeconds = 0.0
        rounds: for round in 0..<plan.rounds {
            let roundStart = elapsed()
            // Fresh processes each round: a process has a level of its own (memory
            // layout, cache colouring), which the A/A control shows as a persistent
            // offset between cpp-cpp and cpp-cpp.b when processes live for the
            // whole run. Started anew, that level varies from round to round and
            // is part of the rounds' spread, where the interval accounts for it.
            if round > 0 && plan.freshProcessesEachRound { for s in sessions { s.close() } }
            // (session index, job index) -> values of the round and the failure that ended it
            var cells: [[(values: [UInt64], failure: String?)]] = sessions.map { s in s.jobs.map { _ in ([], nil) } }
            var rawOrder = rawBlocks
            rawOrder.shuffle(using: &rng)
            for placement in rawOrder {
                if bench_interrupted() != 0 { interrupted = true; break rounds }
                progress(RunProgress(blocksDone: done, blocks: cellsPerRound * plan.rounds, round: round, rounds: plan.rounds,
                                     label: "\(Pair.raw) \(placement.kind.rawValue)", failures: failures.count))
                let outcome = try blockRunner.run(pair: .raw, placement: placement, jobs: plan.jobs(for: .raw), round: round)
                total += emit(outcome, to: sink)
                note(outcome, medians: &medians)
                for r in outcome.results {
                    if let f = r.failure { failures.append("\(Pair.raw) \(placement.kind.rawValue) \(r.job.label) round \(round): \(f)") }
                }
                done += 1
                if outcome.interrupted { interrupted = true; break rounds }
            }
            if !sessions.isEmpty {
                var jobOrder = Array(0..<jobCount)
                jobOrder.shuffle(using: &rng)
                for (position, j) in jobOrder.enumerated() {
                    // A round that runs far past the budget (a machine much busier than the
                    // pilot saw) is cut short at a job boundary once the run has rounds enough
                    // for a look; the jobs it ran are kept, the rest are named in the metadata.
                    if let b = plan.budgetSeconds, round >= 3, elapsed() > b * 1.25 {
                        cutShort = "round \(round) cut short at the budget after \(position) of \(jobCount) jobs"
                        break
                    }
                    let job = sessions[0].jobs[j]
                    let slice = plan.sliceSize(job)
                    let slices = (Int(job.samples) + slice - 1) / slice
                    progress(RunProgress(blocksDone: done, blocks: cellsPerRound * plan.rounds, round: round, rounds: plan.rounds,
                                         label: job.label, failures: failures.count))
                    for k in 0..<slices {
                        let count = min(slice, Int(job.samples) - k * slice)
                        var order = Array(sessions.indices)
                        order.shuffle(using: &rng)
                        for i in order where cells[i][j].failure == nil {
                            if bench_interrupted() != 0 { interrupted = true; break }
                            let r = try sessions[i].run(job: j, count: count, warmup: plan.sliceWarmup(job))
                            cells[i][j].values += r.values
                            if r.interrupted { interrupted = true; break }
                            if let f = r.failure {
                                cells[i][j].failure = f
                                failures.append("\(sessions[i].pair) \(sessions[i].placement.kind.rawValue) \(job.label) round \(round): \(f)")
                            }
                        }
                        if interrupted { break }
                    }
                    done += sessions.count
                    if interrupted { break }
                }
                for (i, s) in sessions.enumerated() {
                    let outcome = BlockOutcome(pair: s.pair, placement: s.placement, round: round,
                                               results: s.jobs.indices.map { JobResult(job: s.jobs[$0], values: cells[i][$0].values, failure: cells[i][$0].failure) },
                                               interrupted: interrupted)
                    total += emit(outcome, to: sink)
                    note(outcome, medians: &medians)
                }
            }
            sink.flush()
            if interrupted { break rounds }
            if let c = cutShort {
                roundEnds.append(elapsed())  // its complete jobs count (a verdict uses the rounds all its parameters have)
                sink.write(ResultsWriter.metaLine("cut_short", c))
                stopReason = "budget of \(Self.decimal(plan.budgetSeconds ?? 0)) s overrun: \(c)"
                break rounds
            }
            let now = elapsed()
            roundEnds.append(now)
            // The next round is predicted to take as long as the longest of the last three
            // (with the time the stopping rule took), so that the budget is not overrun.
            roundCosts.append(now - roundStart + lastRuleSeconds)
            let next = roundCosts.suffix(3).max() ?? 0
            var final = round + 1 >= plan.rounds
            if let b = plan.budgetSeconds, now + next > b {
                final = true
                stopReason = "budget of \(Self.decimal(b)) s: round \(round + 2) would not have fitted (a round takes about \(Self.decimal(next)) s)"
            }
            if let stop {
                let answer = stop(RoundSnapshot(rounds: round + 1, roundEnds: roundEnds, medians: medians, finalLook: final,
                                                budgetSeconds: plan.budgetSeconds, maxRounds: plan.rounds))
                lastRuleSeconds = elapsed() - now
                if case .stop(let why) = answer { stopReason = why; break rounds }
            }
            if final { break rounds }
        }
        if interrupted {
            sink.write(ResultsWriter.metaLine("incomplete", "interrupted (signal \(bench_interrupted())) after \(done) of \(cellsPerRound * plan.rounds) blocks"))
            stopReason = "interrupted"
        }
        sink.write(ResultsWriter.metaLine("round_end_s", roundEnds.map(Self.decimal).joined(separator: ",")))
        sink.write(ResultsWriter.metaLine("stopped", stopReason))
        sink.write(ResultsWriter.metaLine("restarts", String(sessions.reduce(0) { $0 + $1.failedStarts })))
        progress(RunProgress(blocksDone: done, blocks: done, round: roundEnds.count, rounds: roundEnds.count,
                             label: "done", failures: failures.count))
        sink.write(ResultsWriter.endLine(runID: runID, samples: total))
        sink.flush()
        return RunSummary(runID: runID, samples: total, failures: failures, skipped: skipped, interrupted: interrupted,
                          rounds: roundEnds.count, seconds: elapsed(), stopReason: stopReason)
    }

    static func decimal(_ x: Double) -> String {
        let v = (x * 1000).rounded() / 1000
        return v == v.rounded() ? String(Int(v)) : String(v)
    }

    /// Each group's median in this block's round.
    func note(_ outcome: BlockOutcome, medians: inout [GroupKey: [Int: Double]]) {
        for r in outcome.results where r.iterations > 0 {
            let ks = keys(r.job, outcome.pair, outcome.placement.kind.rawValue)
            let per = r.job.valuesPerIteration
            for (v, key) in ks.enumerated() {
                var xs = (0..<r.iterations).map { r.values[$0 * per + v] }
                xs.sort()
                let n = xs.count
                let m = n % 2 == 1 ? Double(xs[n / 2]) : (Double(xs[n / 2 - 1]) + Double(xs[n / 2])) / 2
                medians[key, default: [:]][outcome.round] = m
            }
        }
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
