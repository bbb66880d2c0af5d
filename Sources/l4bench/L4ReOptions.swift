import ArgumentParser
import BenchReport
import BenchResults
import BenchStore
import Foundation
import L4ReRunner
import OwnedProcess

/// Options of `run --target l4re`, and the run itself.
struct L4ReOptions: ParsableArguments {
    @Option(help: "L4Re build directory for --target l4re (default: $L4RE_OBJ). Built beforehand, by hand; l4bench never builds L4Re.")
    var l4reObj: String?

    @Option(help: "Fiasco build directory for --target l4re (default: $FIASCO_OBJ).")
    var fiascoObj: String?

    @Option(help: "QEMU mode for --target l4re: kvm (real hosts), tcg, or icount (deterministic guest clock).")
    var accel: String = "icount"

    @Option(help: "icount shift: the guest clock advances 2^N ns per instruction.")
    var icountShift = 3

    @Option(help: "Mode to use when KVM prints nothing (a KVM that cannot boot guests): tcg, icount or none.")
    var kvmFallback = "icount"

    @Option(help: "Seconds one boot may take before it is stopped (default: 1800, --full 14400).")
    var bootTimeLimit: Double?

    @Flag(help: "Write a bootable ELF image for hardware instead of booting QEMU; feed its serial log to `l4bench ingest`.")
    var imageOnly = false

    @Option(help: "Where --image-only writes the image (default: .build-l4re/<run>/l4bench.elf).")
    var image: String?

    @Option(help: "Machine name for baselines (default: <host>-qemu-<accel>, or hardware with --image-only).")
    var machine: String?

    @Option(help: "Project root holding Bench/l4re (default: the current directory).")
    var project: String?

    @Option(help: "QEMU instances at once, each booting its share of the blocks, merged into one run (default: the host's cores, at most 8, under icount, where instances cannot disturb each other's instruction counts; 1 under tcg and kvm). Each instance has 1 GiB of guest memory.")
    var jobs: Int?

    func run(_ command: RunCommand) throws {
        let env = ProcessInfo.processInfo.environment
        guard let l4re = l4reObj ?? env["L4RE_OBJ"], let fiasco = fiascoObj ?? env["FIASCO_OBJ"] else {
            throw ValidationError("--target l4re needs an L4Re and a Fiasco build directory: --l4re-obj DIR --fiasco-obj DIR (or L4RE_OBJ, FIASCO_OBJ)")
        }
        guard let mode = Accel(rawValue: accel) else { throw ValidationError("--accel must be kvm, tcg or icount") }
        guard ["tcg", "icount", "none"].contains(kvmFallback) else { throw ValidationError("--kvm-fallback must be tcg, icount or none") }
        let root = project ?? FileManager.default.currentDirectoryPath
        guard FileManager.default.fileExists(atPath: "\(root)/Bench/l4re/pkg/l4swift/Makefile") else {
            throw ValidationError("\(root) holds no Bench/l4re/pkg/l4swift: run from the project root or give --project")
        }
        var plan = L4RePlan.standard(full: command.full, samples: command.samples, warmup: command.warmup, rounds: command.rounds)
        if let t = command.timeLimit { plan.blockTimeLimitSeconds = max(1, Int(t)) }
        do {
            try plan.select(benchmarks: RunCommand.list(command.bench), pairs: RunCommand.list(command.pair),
                            placements: RunCommand.list(command.placement))
        } catch {
            throw ValidationError(error.description)
        }

        let build: L4ReBuild
        do { build = try L4ReBuild(l4reObj: l4re, fiascoObj: fiasco) } catch { throw ExitCode(3).withMessage(error.description) }
        Console.error("building Bench/l4re/pkg/l4swift against \(build.l4reObj)")
        do { try build.buildPackage(projectRoot: root) { _ in } } catch { throw ExitCode(3).withMessage(error.description) }

        var current = imageOnly ? nil : mode
        while true {
            let outcome = try boot(build: build, plan: plan, accel: current, command: command, root: root)
            guard case .retry(let next) = outcome else { return }
            current = next
        }
    }

    enum BootResult { case done, retry(Accel) }

    func boot(build: L4ReBuild, plan: L4RePlan, accel mode: Accel?, command: RunCommand, root: String) throws -> BootResult {
        let date = RunCommand.isoDate(Date())
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let accelName = mode?.rawValue ?? "hardware"
        let machineName = machine ?? (mode == nil ? "hardware" : "\(host)-qemu-\(accelName)")
        let runID = "l4re-\(ResultsStore.dateStamp(date))-\(ResultsStore.slug(machineName))"
        var meta: [(String, String)] = [
            ("target", "l4re"), ("accel", accelName), ("machine", machineName), ("commit", SourceInfo.commit()), ("date", date),
            ("toolchain", SourceInfo.toolchain(cc: "L4Re BID gcc (see the build directory)")),
            ("samples", String(plan.samples)), ("warmup", String(plan.warmup)), ("rounds", String(plan.rounds)),
            ("seed", String(plan.seed)), ("block_time_limit_s", String(plan.blockTimeLimitSeconds)),
            ("placement_same-core", "client CPU 1, server CPU 1"), ("placement_cross-core", "client CPU 1, server CPU 0"),
            ("ds_sizes", plan.dsSizes.map { "\($0.bytes):\($0.samples)" }.joined(separator: " ")),
        ]
        if mode == .icount { meta.append(("icount_shift", String(icountShift))) }
        if let mode { meta.append(("qemu", "\(QemuBoot.qemuBinary) -accel \(mode == .kvm ? "kvm" : "tcg") -smp 2 -m 1024")) }
        meta += L4ReProvenance(build: build).metadata(qemu: mode != nil)
        var script = NedScript(plan: plan, runID: runID, metadata: meta)
        if let f = command.injectFault {
            // Hidden, for checking the runner: server-hang:PAIR or server-crash:PAIR.
            let parts = f.split(separator: ":").map(String.init)
            guard parts.count == 2, ["server-hang", "server-crash"].contains(parts[0]),
                  let pair = L4RePlan.Pair.all.first(where: { $0.name == parts[1] }) else {
                throw ValidationError("--inject-fault server-hang:PAIR or server-crash:PAIR on L4Re")
            }
            script.fault = (pair, parts[0] == "server-hang" ? "hang" : "crash")
        }
        let work = "\(root)/.build-l4re/\(runID)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try writeFile(script.lua(), "\(work)/\(NedScript.configName)")
        try writeFile(script.modulesList(), "\(work)/modules.list")
        let limit = bootTimeLimit ?? (command.full ? 14_400 : 1_800)
        let qemu = QemuBoot(build: build, workDir: work, accel: mode ?? .tcg, icountShift: icountShift, timeLimitSeconds: limit)

        guard let mode else {
            let dest = image ?? "\(work)/l4bench.elf"
            do { _ = try qemu.writeImage(modulesList: "\(work)/modules.list", to: dest) } catch { throw ExitCode(3).withMessage(error.description) }
            Console.out("""
            wrote \(dest): a multiboot ELF image with Fiasco, L4Re and the benchmark programs (\(plan.blockCount) blocks).
            Boot it on the machine (GRUB: `multiboot \(dest)`; name the machine with --machine), capture the serial console (115200 8N1) to a file, then:
              l4bench ingest LOG -o run.csv --store --results Results/l4re && l4bench report run.csv

            """)
            return .done
        }

        // Each instance takes a core and 1 GiB of guest memory: by default at most 8.
        let shards = max(1, min(jobs ?? (mode == .icount ? min(8, ProcessInfo.processInfo.activeProcessorCount) : 1), plan.blockCount))
        if shards > 1 {
            return try bootSharded(script: script, shards: shards, build: build, plan: plan, mode: mode, limit: limit,
                                   work: work, runID: runID, command: command, root: root)
        }

        let logPath = "\(work)/console.log"
        Console.error("booting \(plan.blockCount) blocks (\(plan.blockPairs.count) pairs × \(plan.placements.count) placements × \(plan.rounds) rounds) under QEMU \(mode.rawValue); console: \(logPath)")
        Interruption.catchSignals()
        let bar = ProgressBar()
        var blocksDone = 0
        let outcome: QemuBoot.Outcome
        do {
            outcome = try qemu.run(logPath: logPath) { line in
                if let r = line.range(of: NedScript.blockMarker) {
                    let rest = line[r.upperBound...]
                    blocksDone = Int(rest.prefix { $0.isNumber }) ?? blocksDone
                    let label = rest.split(separator: " ").dropFirst().joined(separator: " ")
                    let round = Int(rest.split(separator: " ").dropFirst(2).first ?? "") ?? 0
                    bar.update(done: blocksDone, total: plan.blockCount, round: round, rounds: plan.rounds, label: label, failures: 0)
                } else if line.contains(NedScript.doneMarker) {
                    bar.update(done: plan.blockCount, total: plan.blockCount, round: plan.rounds, rounds: plan.rounds, label: "done", failures: 0)
                }
            }
        } catch { throw ExitCode(3).withMessage(error.description) }

        // A KVM that cannot run guests either fails at once (QEMU exits) or
        // hangs without a line from the guest: both end here, with the fallback named.
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        if mode == .kvm && !log.contains(ResultsFormat.prefix) {
            switch outcome {
            case .kvmSilent(let s):
                Console.error("under KVM the guest's boot script had not started after \(Int(s)) s: this machine's KVM cannot boot a guest (a nested or paravirtual KVM, such as kvm_pvm, hangs early in the boot).")
            default:
                let qemuSays = log.split(separator: "\n").prefix(3).joined(separator: " / ")
                Console.error("QEMU could not run the guest under KVM (\(qemuSays.isEmpty ? "no output" : qemuSays)).")
            }
            if kvmFallback == "none" { throw ExitCode(5).withMessage("no fallback (--kvm-fallback none): run with --accel icount or --accel tcg") }
            Console.error("falling back to --accel \(kvmFallback) (--kvm-fallback); the results record accel=\(kvmFallback)")
            return .retry(Accel(rawValue: kvmFallback)!)
        }
        // Blocks the boot did not finish are failed blocks, each named, so the run says what is missing.
        if let why = outcome.earlyEnd { appendFails(script.unfinishedBlockRecords(log: log, why: why), to: logPath) }
        switch outcome {
        case .completed, .kvmSilent: break
        case .timedOut(let s):
            Console.error("the boot exceeded its time limit of \(Int(s)) s (--boot-time-limit): keeping the \(blocksDone) blocks that finished")
        case .exited(let code):
            Console.error("QEMU exited with status \(code) before the run finished: keeping what the log holds")
        case .interrupted(let sig):
            Console.error("interrupted (signal \(sig)): QEMU was stopped; keeping the \(blocksDone) blocks that finished")
            _ = try? finish(logPath: logPath, command: command, storeRoot: command.output == nil ? "\(root)/Results/l4re" : nil)
            throw ExitCode(130)
        }
        return try finish(logPath: logPath, command: command, storeRoot: command.output == nil ? "\(root)/Results/l4re" : nil)
    }

    /// Adds records to the end of a console log (before the cleaner closes the run).
    func appendFails(_ records: [String], to path: String) {
        guard !records.isEmpty, let h = FileHandle(forWritingAtPath: path) else { return }
        h.seekToEndOfFile()
        h.write(Data(("\n" + records.joined(separator: "\n") + "\n").utf8))
        try? h.close()
    }

    /// Boots `shards` QEMU instances at once, each with its share of the blocks
    /// (block i of the run's order in shard i mod shards), and merges their
    /// results into one run with one ID.
    func bootSharded(script: NedScript, shards: Int, build: L4ReBuild, plan: L4RePlan, mode: Accel, limit: Double,
                     work: String, runID: String, command: RunCommand, root: String) throws -> BootResult {
        var boots: [(QemuBoot, String, NedScript)] = []
        for k in 0..<shards {
            var s = script
            s.shard = k
            s.shards = shards
            let dir = "\(work)/shard-\(k + 1)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try writeFile(s.lua(), "\(dir)/\(NedScript.configName)")
            boots.append((QemuBoot(build: build, workDir: dir, accel: mode, icountShift: icountShift, timeLimitSeconds: limit), "\(dir)/console.log", s))
        }
        Console.error("booting \(plan.blockCount) blocks (\(plan.blockPairs.count) pairs × \(plan.placements.count) placements × \(plan.rounds) rounds) "
                      + "in \(shards) QEMU instances at once under \(mode.rawValue) (--jobs); consoles: \(work)/shard-*/console.log")
        Interruption.catchSignals()
        let bar = ProgressBar()
        let lock = NSLock()
        var doneBy = [Int](repeating: 0, count: shards)
        var outcomes = [Result<QemuBoot.Outcome, L4ReRunError>?](repeating: nil, count: shards)
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: shards) { k in
            let (qemu, log, _) = boots[k]
            let r = Result { () throws(L4ReRunError) -> QemuBoot.Outcome in
                try qemu.run(logPath: log) { line in
                    guard let m = line.range(of: NedScript.blockMarker) else { return }
                    let rest = line[m.upperBound...]
                    let n = Int(rest.prefix { $0.isNumber }) ?? 0
                    let round = Int(rest.split(separator: " ").dropFirst(2).first ?? "") ?? 0
                    let label = rest.split(separator: " ").dropFirst().joined(separator: " ")
                    lock.lock()
                    doneBy[k] = n
                    let total = doneBy.reduce(0, +)
                    bar.update(done: total, total: plan.blockCount, round: round, rounds: plan.rounds, label: "shard \(k + 1): \(label)", failures: 0)
                    lock.unlock()
                }
            }
            lock.lock(); outcomes[k] = r; lock.unlock()
        }
        let wall = Date().timeIntervalSince(started)
        bar.update(done: plan.blockCount, total: plan.blockCount, round: plan.rounds, rounds: plan.rounds, label: "done", failures: 0)
        var texts: [String] = []
        var merged = ""
        var interrupted: Int32 = 0
        for (k, o) in outcomes.enumerated() {
            let outcome: QemuBoot.Outcome
            switch o {
            case .failure(let e)?: throw ExitCode(3).withMessage(e.description)
            case .success(let x)?: outcome = x
            case nil: outcome = .completed  // every shard reports an outcome
            }
            if case .interrupted(let sig) = outcome { interrupted = sig }
            let (_, log, shardScript) = boots[k]
            if let why = outcome.earlyEnd {
                Console.error("shard \(k + 1): \(why) before it finished: keeping the blocks that finished")
                appendFails(shardScript.unfinishedBlockRecords(log: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "", why: why), to: log)
            }
            texts.append(ResultsCleaner.clean(path: log, lenient: true).text)
            merged += "==== shard \(k + 1)/\(shards) ====\n" + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }
        Console.error(String(format: "all %d shards done in %.0f s of wall time", shards, wall))
        let logPath = "\(work)/console.log"
        try writeFile(merged, logPath)
        let text = ShardMerge.merge(texts, runID: runID)
        let resultsPath = "\(work)/merged.csv"
        try writeFile(text, resultsPath)
        if interrupted != 0 {
            _ = try? finish(logPath: logPath, resultsPath: resultsPath, command: command, storeRoot: command.output == nil ? "\(root)/Results/l4re" : nil)
            throw ExitCode(130).withMessage("interrupted (signal \(interrupted)): every QEMU was stopped; the blocks that finished are kept")
        }
        return try finish(logPath: logPath, resultsPath: resultsPath, command: command, storeRoot: command.output == nil ? "\(root)/Results/l4re" : nil)
    }

    /// Ingests the console log (or the merged results of a sharded run), stores
    /// the run and its report, prints the report.
    func finish(logPath: String, resultsPath: String? = nil, command: RunCommand, storeRoot: String?) throws -> BootResult {
        let (outcome, text) = ResultsCleaner.clean(path: resultsPath ?? logPath, lenient: true)
        if let f = outcome.fault { Console.error("\(f)") }
        if !outcome.run.id.isEmpty && text.isEmpty {
            throw ExitCode(13).withMessage("the run in \(logPath) lacks metadata (\(ResultsCleaner.missingMetadata(outcome.run).joined(separator: ", "))): the boot script did not finish its header")
        }
        guard !outcome.run.id.isEmpty else { throw ExitCode(outcome.fault?.exitCode ?? 12).withMessage("no results in \(logPath)") }
        let path: String
        if let out = command.output {
            try writeFile(text, out)
            path = out
        } else {
            // The clean run as text (the interchange format) in the work directory; the store keeps
            // it in compact form with the console log compressed beside it.
            let cleanPath = (logPath as NSString).deletingLastPathComponent + "/results.csv"
            try writeFile(text, cleanPath)
            let clean = ResultsParser.parse(path: cleanPath)
            do { path = try ResultsStore(root: storeRoot!).store(clean.run, log: logPath) } catch { throw ExitCode(3).withMessage("\(error)") }
        }
        Console.error("wrote \(outcome.run.sampleCount) samples to \(path)\(command.output == nil ? " (console log compressed beside it)" : "")")
        // Reports are derived: for a stored run they go to the work directory, not into Results.
        let html = command.html ?? (command.output == nil ? (logPath as NSString).deletingLastPathComponent + "/report.html" : nil)
        let parsed = try printRunReport(path, html: html, noReport: command.noReport)
        if let f = parsed.fault { throw ExitCode(f.exitCode) }
        if parsed.run.notes.contains(where: { $0.kind == .fail }) { throw ExitCode.pairFailed }
        return .done
    }
}
