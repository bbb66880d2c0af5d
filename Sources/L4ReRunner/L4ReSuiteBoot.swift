import BenchResults
import BenchStore
import Foundation
import OwnedProcess

/// The boots of `L4ReSuiteRunner.run`: one QEMU, or several at once, each with
/// its share of the blocks, merged into one run.
extension L4ReSuiteRunner {
    /// One attempt in `mode`; throws `kvmUnusable` when KVM cannot boot a guest.
    func boot(_ mode: Accel, log: (String) -> Void, progress: (L4ReProgress) -> Void) throws(L4ReRunError) -> L4ReRun {
        let date = Date()
        let script = script(mode, date: date)
        let work = identity(mode, date: date).workDir
        try prepare(script, in: work, modulesList: true)
        let shards = shardCount(mode)
        let blocks = "\(plan.blockCount) blocks (\(plan.blockPairs.count) pairs × \(plan.placements.count) placements × \(plan.rounds) rounds)"
        let logPath = "\(work)/console.log"
        if mode == .icount && plan.perGroupStop && plan.rounds > 2 {
            return try bootPerGroup(script, shards: shards, mode: mode, work: work, logPath: logPath, log: log, progress: progress)
        }
        if shards == 1 {
            log("booting \(blocks) under QEMU \(mode.rawValue); console: \(logPath)")
            let outcome = try bootOne(script, mode: mode, work: work, logPath: logPath, log: log, progress: progress)
            return try finish(
                runID: script.runID, accel: mode, work: work, logPath: logPath, resultsPath: nil,
                shards: 1, interrupted: outcome.interrupted, log: log)
        }
        log("booting \(blocks) in \(shards) QEMU instances at once under \(mode.rawValue) (--jobs); consoles: \(work)/shard-*/console.log")
        let (resultsPath, interrupted) = try bootShards(
            script, shards: shards, mode: mode, work: work, logPath: logPath,
            log: log, progress: progress)
        return try finish(
            runID: script.runID, accel: mode, work: work, logPath: logPath, resultsPath: resultsPath,
            shards: shards, interrupted: interrupted, log: log)
    }

    /// A single boot; the outcome, with the blocks it left unfinished appended to its log as `fail` records.
    func bootOne(
        _ script: NedScript, mode: Accel, work: String, logPath: String, log: (String) -> Void,
        progress: (L4ReProgress) -> Void
    ) throws(L4ReRunError) -> QemuBoot.Outcome {
        var started = 0
        let outcome = try qemu(mode, workDir: work).run(logPath: logPath) { line in
            if let m = BlockMarker(line: line) {
                started = m.done
                progress(L4ReProgress(blocksDone: m.done, blocks: plan.blockCount, round: m.round, rounds: plan.rounds, label: m.label))
            } else if line.contains(NedScript.doneMarker) {
                progress(L4ReProgress(blocksDone: plan.blockCount, blocks: plan.blockCount, round: plan.rounds, rounds: plan.rounds, label: "done"))
            }
        }
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        try checkKVM(mode, outcome: outcome, log: text)
        if let why = outcome.earlyEnd { Self.append(script.unfinishedBlockRecords(log: text, why: why), to: logPath) }
        switch outcome {
        case .completed, .kvmSilent: break
        case .timedOut(let s):
            log("the boot exceeded its time limit of \(Int(s)) s (--boot-time-limit): keeping the \(started) blocks that finished")
        case .exited(let code):
            log("QEMU exited with status \(code) before the run finished: keeping what the log holds")
        case .interrupted(let sig):
            log("interrupted (signal \(sig)): QEMU was stopped; keeping the \(started) blocks that finished")
        }
        return outcome
    }

    /// A KVM that cannot run guests either fails at once (QEMU exits) or hangs
    /// without a line from the guest's script: both throw `kvmUnusable`, saying which.
    func checkKVM(_ mode: Accel, outcome: QemuBoot.Outcome, log: String) throws(L4ReRunError) {
        guard mode == .kvm && !log.contains(ResultsFormat.prefix) else { return }
        if case .interrupted = outcome { return }
        if case .kvmSilent(let s) = outcome {
            throw .kvmUnusable(
                "under KVM the guest's boot script had not started after \(Int(s)) s: this machine's KVM cannot boot a guest "
                    + "(a nested or paravirtual KVM, such as kvm_pvm, hangs early in the boot).")
        }
        let qemuSays = log.split(separator: "\n").prefix(3).joined(separator: " / ")
        throw .kvmUnusable("QEMU could not run the guest under KVM (\(qemuSays.isEmpty ? "no output" : qemuSays)).")
    }

    /// Boots `shards` QEMU instances at once, block i of the run's order in shard
    /// i mod shards, and merges their results into one run with one ID; returns
    /// the merged results' path and the signal that interrupted them, if any.
    func bootShards(
        _ script: NedScript, shards: Int, mode: Accel, work: String, logPath: String, log: (String) -> Void,
        progress: (L4ReProgress) -> Void
    ) throws(L4ReRunError) -> (String, Int32?) {
        let stage = try bootStage(script, shards: shards, mode: mode, dir: work, start: OwnedProcess.monotonic(), log: log, progress: progress)
        log(String(format: "all %d shards done in %.0f s of wall time", shards, stage.seconds))
        let resultsPath = "\(work)/merged.csv"
        try Self.write(stage.console, to: logPath)
        try Self.write(ShardMerge.merge(stage.texts, runID: script.runID), to: resultsPath)
        return (resultsPath, stage.interrupted)
    }

    /// What one boot (of one or several instances) left: each instance's clean results,
    /// the consoles one after the other, and when each round's last block ended.
    struct Stage {
        var texts: [String]
        var console: String
        var interrupted: Int32?
        /// Round -> seconds since `start` when its last block ended (over every instance).
        var roundEnds: [Int: Double]
        var seconds: Double
        var blocks: Int
    }

    /// Boots `shards` instances of `script` at once in `dir/shard-K`, each with its share of
    /// the script's blocks; names the blocks an instance left unfinished.
    func bootStage(
        _ script: NedScript, shards: Int, mode: Accel, dir: String, start: Double, label: String = "",
        log: (String) -> Void, progress: (L4ReProgress) -> Void
    ) throws(L4ReRunError) -> Stage {
        var scripts: [NedScript] = []
        for k in 0..<shards {
            var s = script
            s.shard = k
            s.shards = shards
            try prepare(s, in: "\(dir)/shard-\(k + 1)", modulesList: false)
            scripts.append(s)
        }
        let total = script.blocks().count
        let rounds = script.selection?.rounds.upperBound ?? plan.rounds
        let began = OwnedProcess.monotonic()
        let outcomes = Self.concurrently(shards) { k, report in
            var doneBy = 0
            var marks: [(Double, Int)] = []
            let result = Result { () throws(L4ReRunError) -> QemuBoot.Outcome in
                try qemu(mode, workDir: "\(dir)/shard-\(k + 1)").run(logPath: "\(dir)/shard-\(k + 1)/console.log") { line in
                    guard let m = BlockMarker(line: line) else { return }
                    marks.append((OwnedProcess.monotonic() - start, m.round))
                    doneBy = m.done
                    report(m, doneBy)
                }
            }
            return (result, marks, OwnedProcess.monotonic() - start)
        } progress: { k, m, done in
            progress(L4ReProgress(blocksDone: done, blocks: total, round: m.round, rounds: rounds, label: "\(label)shard \(k + 1): \(m.label)"))
        }
        progress(L4ReProgress(blocksDone: total, blocks: total, round: rounds, rounds: rounds, label: "done"))
        var texts: [String] = []
        var merged = ""
        var interrupted: Int32?
        var ends: [Int: Double] = [:]
        for (k, (result, marks, end)) in outcomes.enumerated() {
            let outcome = try result.get()
            let shardLog = "\(dir)/shard-\(k + 1)/console.log"
            try checkKVM(mode, outcome: outcome, log: (try? String(contentsOfFile: shardLog, encoding: .utf8)) ?? "")
            if case .interrupted(let sig) = outcome { interrupted = sig }
            if let why = outcome.earlyEnd {
                log("\(label)shard \(k + 1): \(why) before it finished: keeping the blocks that finished")
                let text = (try? String(contentsOfFile: shardLog, encoding: .utf8)) ?? ""
                Self.append(scripts[k].unfinishedBlockRecords(log: text, why: why), to: shardLog)
            }
            texts.append(ResultsCleaner.clean(path: shardLog, lenient: true).text)
            merged += "==== \(label)shard \(k + 1)/\(shards) ====\n" + ((try? String(contentsOfFile: shardLog, encoding: .utf8)) ?? "")
            // A round ends in this instance when a block of a later round starts, or the boot ends.
            for (i, (_, r)) in marks.enumerated() {
                let until = marks[(i + 1)...].first { $0.1 > r }?.0 ?? end
                ends[r] = max(ends[r] ?? 0, until)
            }
        }
        return Stage(
            texts: texts, console: merged, interrupted: interrupted, roundEnds: ends,
            seconds: OwnedProcess.monotonic() - began, blocks: total)
    }

    /// An icount run that stops per group (`L4RePlan.perGroupStop`): boot 1 runs rounds
    /// 1 and 2 of every block; `GroupStop` finds the families whose groups are not
    /// bit-identical; boot 2 runs the remaining rounds of those only. One run, one ID.
    func bootPerGroup(
        _ script: NedScript, shards: Int, mode: Accel, work: String, logPath: String,
        log: (String) -> Void, progress: (L4ReProgress) -> Void
    ) throws(L4ReRunError) -> L4ReRun {
        let start = OwnedProcess.monotonic()
        var first = script
        first.selection = L4RePlan.Selection(rounds: 0..<2)
        let n1 = first.blocks().count
        let s1 = min(shards, max(1, n1))
        log(
            "boot 1: rounds 1-2 of every block, \(n1) blocks in \(s1) QEMU instance\(s1 == 1 ? "" : "s") at once under \(mode.rawValue) "
                + "(per-group stop: bit-identical groups need no round 3; up to \(plan.rounds) rounds for the others); consoles: \(work)/shard-*/console.log")
        let b1 = try bootStage(first, shards: s1, mode: mode, dir: work, start: start, label: "boot 1: ", log: log, progress: progress)
        log(String(format: "boot 1 done in %.0f s", b1.seconds))
        var texts = b1.texts, console = b1.console, ends = b1.roundEnds
        var interrupted = b1.interrupted
        var blocks = n1, boots = 1
        let partial = "\(work)/boot-1.csv"
        try Self.write(ShardMerge.merge(b1.texts, runID: script.runID), to: partial)
        let decision = GroupStop.decide(plan: plan, run: ResultsParser.parse(path: partial).run)
        var stopNote = "after 2 rounds \(decision.settledGroups) of \(decision.groups) groups were bit-identical"
        if interrupted == nil && decision.families.isEmpty {
            log("per-group stop: \(stopNote): no further rounds")
            stopNote += "; no further rounds"
        } else if interrupted == nil {
            var second = script
            second.selection = L4RePlan.Selection(rounds: 2..<plan.rounds, families: decision.families)
            second.fault = nil  // an injected fault hits the run's first block of its pair, in boot 1
            let n2 = second.blocks().count
            let s2 = min(shards, max(1, n2))
            let shown = decision.unsettled.prefix(6).joined(separator: "; ") + (decision.unsettled.count > 6 ? "; …" : "")
            log("per-group stop: \(stopNote); not settled: \(shown)")
            log(
                "boot 2: rounds 3-\(plan.rounds) of \(decision.unitsNeeded) blocks with the families still needed (and their references), "
                    + "\(n2) blocks in \(s2) QEMU instance\(s2 == 1 ? "" : "s"); consoles: \(work)/boot-2/shard-*/console.log")
            let b2 = try bootStage(second, shards: s2, mode: mode, dir: "\(work)/boot-2", start: start, label: "boot 2: ", log: log, progress: progress)
            log(String(format: "boot 2 done in %.0f s", b2.seconds))
            texts += b2.texts
            console += b2.console
            ends.merge(b2.roundEnds) { max($0, $1) }
            interrupted = b2.interrupted
            blocks += n2
            boots = 2
            stopNote += "; rounds 3-\(plan.rounds) ran \(decision.unitsNeeded) of \(plan.units.count) blocks per round, for the families not settled"
        }
        let seconds = OwnedProcess.monotonic() - start
        let roundEnds = (0..<(ends.keys.max().map { $0 + 1 } ?? 0)).map { ends[$0] ?? seconds }
        log(
            String(
                format: "ran %d blocks in %d boot%@ (%d QEMU instance%@ at once) in %.0f s of wall time", blocks, boots, boots == 1 ? "" : "s",
                shards, shards == 1 ? "" : "s", seconds))
        let extra: [(String, String)] = [
            (
                "stop_rule",
                "per group (icount): a group whose round medians are bit-identical over 2 rounds gets no more rounds; the others up to \(plan.rounds)"
            ),
            ("group_stop", stopNote),
            ("boots", String(boots)), ("blocks_run", String(blocks)),
            ("round_end_s", roundEnds.map { String(format: "%.3f", $0) }.joined(separator: ",")),
        ]
        let resultsPath = "\(work)/merged.csv"
        try Self.write(console, to: logPath)
        try Self.write(ShardMerge.merge(texts, runID: script.runID, shards: shards, extra: extra), to: resultsPath)
        var run = try finish(
            runID: script.runID, accel: mode, work: work, logPath: logPath, resultsPath: resultsPath,
            shards: shards, interrupted: interrupted, log: log)
        run.blocks = blocks
        run.boots = boots
        run.seconds = seconds
        return run
    }

    /// Runs `body` for 0..<n on as many threads; `report` passes a shard's block
    /// marker and its blocks done to `progress`, one call at a time, with the total over all shards.
    static func concurrently<T>(
        _ n: Int, _ body: (Int, (BlockMarker, Int) -> Void) -> T,
        progress: (Int, BlockMarker, Int) -> Void
    ) -> [T] {
        let lock = NSLock()
        var doneBy = [Int](repeating: 0, count: n)
        var results = [T?](repeating: nil, count: n)
        withoutActuallyEscaping(body) { body in
            withoutActuallyEscaping(progress) { progress in
                DispatchQueue.concurrentPerform(iterations: n) { k in
                    let r = body(k) { m, done in
                        lock.lock()
                        defer { lock.unlock() }
                        doneBy[k] = done
                        progress(k, m, doneBy.reduce(0, +))
                    }
                    lock.lock()
                    results[k] = r
                    lock.unlock()
                }
            }
        }
        return results.map { $0! }
    }

    /// Cleans the console log (or a sharded run's merged results), then stores
    /// the run or writes it to `output`.
    func finish(
        runID: String, accel: Accel, work: String, logPath: String, resultsPath: String?, shards: Int,
        interrupted: Int32?, log: (String) -> Void
    ) throws(L4ReRunError) -> L4ReRun {
        let (outcome, text) = ResultsCleaner.clean(path: resultsPath ?? logPath, lenient: true)
        if let f = outcome.fault { log("\(f)") }
        if !outcome.run.id.isEmpty && text.isEmpty {
            throw .missingMetadata(
                "the run in \(logPath) lacks metadata (\(ResultsCleaner.missingMetadata(outcome.run).joined(separator: ", "))): "
                    + "the boot script did not finish its header")
        }
        guard !outcome.run.id.isEmpty else { throw .noRun("no results in \(logPath)", outcome.fault) }
        var run = L4ReRun(
            runID: runID, accel: accel, workDir: work, logPath: logPath, path: "", stored: output == nil,
            samples: outcome.run.sampleCount, shards: shards, fault: outcome.fault, interrupted: interrupted)
        if let output {
            try Self.write(text, to: output)
            run.path = output
            return run
        }
        // The clean run as text (the interchange format) in the work directory; the store keeps
        // it in compact form with the console log compressed beside it.
        let cleanPath = "\(work)/results.csv"
        try Self.write(text, to: cleanPath)
        do {
            run.path = try ResultsStore(root: storeRoot).store(ResultsParser.parse(path: cleanPath).run, log: logPath)
        } catch {
            throw .output("\(error)")
        }
        return run
    }

    /// Adds records to the end of a console log (before the cleaner closes the run).
    static func append(_ records: [String], to path: String) {
        guard !records.isEmpty, let h = FileHandle(forWritingAtPath: path) else { return }
        h.seekToEndOfFile()
        h.write(Data(("\n" + records.joined(separator: "\n") + "\n").utf8))
        try? h.close()
    }

    /// Writes a file the way every output of l4bench is written (a device, FIFO or link given is written in place).
    static func write(_ text: String, to path: String) throws(L4ReRunError) {
        do { try OutputFile.write(text, to: path) } catch { throw .output(error.description) }
    }
}

extension QemuBoot.Outcome {
    /// The signal that interrupted the boot, or nil.
    public var interrupted: Int32? {
        if case .interrupted(let sig) = self { return sig }
        return nil
    }
}
