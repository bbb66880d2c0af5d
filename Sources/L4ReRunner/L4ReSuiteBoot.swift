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
        var scripts: [NedScript] = []
        for k in 0..<shards {
            var s = script
            s.shard = k
            s.shards = shards
            try prepare(s, in: "\(work)/shard-\(k + 1)", modulesList: false)
            scripts.append(s)
        }
        let started = Date()
        let outcomes = Self.concurrently(shards) { k, report in
            var doneBy = 0
            return Result { () throws(L4ReRunError) -> QemuBoot.Outcome in
                try qemu(mode, workDir: "\(work)/shard-\(k + 1)").run(logPath: "\(work)/shard-\(k + 1)/console.log") { line in
                    guard let m = BlockMarker(line: line) else { return }
                    doneBy = m.done
                    report(m, doneBy)
                }
            }
        } progress: { k, m, total in
            progress(L4ReProgress(blocksDone: total, blocks: plan.blockCount, round: m.round, rounds: plan.rounds, label: "shard \(k + 1): \(m.label)"))
        }
        progress(L4ReProgress(blocksDone: plan.blockCount, blocks: plan.blockCount, round: plan.rounds, rounds: plan.rounds, label: "done"))
        var texts: [String] = []
        var merged = ""
        var interrupted: Int32?
        for (k, result) in outcomes.enumerated() {
            let outcome = try result.get()
            let shardLog = "\(work)/shard-\(k + 1)/console.log"
            try checkKVM(mode, outcome: outcome, log: (try? String(contentsOfFile: shardLog, encoding: .utf8)) ?? "")
            if case .interrupted(let sig) = outcome { interrupted = sig }
            if let why = outcome.earlyEnd {
                log("shard \(k + 1): \(why) before it finished: keeping the blocks that finished")
                let text = (try? String(contentsOfFile: shardLog, encoding: .utf8)) ?? ""
                Self.append(scripts[k].unfinishedBlockRecords(log: text, why: why), to: shardLog)
            }
            texts.append(ResultsCleaner.clean(path: shardLog, lenient: true).text)
            merged += "==== shard \(k + 1)/\(shards) ====\n" + ((try? String(contentsOfFile: shardLog, encoding: .utf8)) ?? "")
        }
        log(String(format: "all %d shards done in %.0f s of wall time", shards, Date().timeIntervalSince(started)))
        let resultsPath = "\(work)/merged.csv"
        try Self.write(merged, to: logPath)
        try Self.write(ShardMerge.merge(texts, runID: script.runID), to: resultsPath)
        return (resultsPath, interrupted)
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
