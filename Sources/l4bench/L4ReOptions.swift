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
    var accel: Accel = .icount

    @Option(help: "icount shift: the guest clock advances 2^N ns per instruction.")
    var icountShift = 3

    @Option(help: "Mode to use when KVM prints nothing (a KVM that cannot boot guests): tcg, icount or none.")
    var kvmFallback: KVMFallback = .icount

    @Option(help: "Seconds one boot may take before it is stopped (default: 1800, --full 14400).")
    var bootTimeLimit: Double?

    @Flag(help: "Write a bootable ELF image for hardware instead of booting QEMU; feed its serial log to `l4bench ingest`.")
    var imageOnly = false

    @Flag(help: "Only the plain blocks: no phase blocks (the timestamps at marshalling, call, receive and reply boundaries; --full has them).")
    var noPhases = false

    @Flag(help: "Add the phase blocks to the quick suite (explain-only: no verdict reads them; --full has them).")
    var phases = false

    @Flag(help: "Under icount, run every block every round (default: a group whose 2 round medians are bit-identical gets no more rounds).")
    var everyRound = false

    @Option(help: "Where --image-only writes the image (default: .build-l4re/<run>/l4bench.elf).")
    var image: String?

    @Option(help: "Machine name for baselines (default: <host>-qemu-<accel>, or hardware with --image-only).")
    var machine: String?

    @Option(help: "Project root holding Bench/l4re (default: the current directory).")
    var project: String?

    @Option(
        help: """
            QEMU instances at once, each booting its share of the blocks, merged into one run (default: the host's cores, at most 8, \
            under icount, where instances cannot disturb each other's instruction counts; 1 under tcg and kvm). \
            Each instance has 1 GiB of guest memory.
            """)
    var jobs: Int?

    /// Maps the options to an `L4ReSuiteRunner`, builds the package, runs it (or
    /// writes an image for hardware), prints the report and exits with its code.
    func run(_ command: RunCommand) throws {
        let env = ProcessInfo.processInfo.environment
        guard let l4re = l4reObj ?? env["L4RE_OBJ"], let fiasco = fiascoObj ?? env["FIASCO_OBJ"] else {
            throw ValidationError("--target l4re needs an L4Re and a Fiasco build directory: --l4re-obj DIR --fiasco-obj DIR (or L4RE_OBJ, FIASCO_OBJ)")
        }
        let root = project ?? FileManager.default.currentDirectoryPath
        guard FileManager.default.fileExists(atPath: "\(root)/Bench/l4re/pkg/l4swift/Makefile") else {
            throw ValidationError("\(root) holds no Bench/l4re/pkg/l4swift: run from the project root or give --project")
        }
        // 10 samples a group where icount repeats the same counts; 50 where samples vary (TCG, KVM, hardware).
        var plan = L4RePlan.standard(
            full: command.full, samples: command.samples, warmup: command.warmup, rounds: command.rounds,
            deterministic: accel == .icount && !imageOnly)
        if let t = command.timeLimit { plan.blockTimeLimitSeconds = max(1, Int(t)) }
        if phases && noPhases { throw ValidationError("--phases and --no-phases exclude each other") }
        if phases { plan.phases = true }
        if noPhases { plan.phases = false }
        plan.perGroupStop = !everyRound
        do {
            try plan.select(
                benchmarks: RunCommand.list(command.bench), pairs: RunCommand.list(command.pair),
                placements: RunCommand.list(command.placement))
        } catch {
            throw ValidationError(error.description)
        }
        let fault = try command.injectFault.map(Self.parseFault)

        let build: L4ReBuild
        do { build = try L4ReBuild(l4reObj: l4re, fiascoObj: fiasco) } catch { throw ExitCodes.failure(error) }
        var runner = L4ReSuiteRunner(
            build: build, plan: plan, accel: accel, bootTimeLimitSeconds: bootTimeLimit ?? (command.full ? 14_400 : 1_800),
            workRoot: "\(root)/.build-l4re", storeRoot: command.results ?? "\(root)/Results/l4re",
            commit: SourceInfo.commit(), toolchain: SourceInfo.toolchain(cc: "L4Re BID gcc (see the build directory)"))
        runner.icountShift = icountShift
        runner.kvmFallback = kvmFallback.accel
        runner.jobs = jobs
        runner.machine = machine
        runner.fault = fault
        runner.output = command.output
        Interruption.catchSignals()
        Console.error("building Bench/l4re/pkg/l4swift against \(build.l4reObj)")
        let built = Date()
        do { try build.buildPackage(projectRoot: root) { _ in } } catch { throw ExitCodes.failure(error) }
        Console.error(String(format: "built Bench/l4re/pkg/l4swift in %.1f s", Date().timeIntervalSince(built)))

        if imageOnly { return try writeImage(runner, blocks: plan.blockCount) }
        let bar = ProgressBar()
        let run: L4ReRun
        do {
            run = try runner.run(
                log: { Console.error($0) },
                progress: { p in
                    bar.update(done: p.blocksDone, total: p.blocks, round: p.round, rounds: p.rounds, label: p.label, failures: 0)
                })
        } catch { throw ExitCodes.failure(error) }
        try report(run, command: command)
    }

    /// `--image-only`: the image and what to do with it.
    func writeImage(_ runner: L4ReSuiteRunner, blocks: Int) throws {
        let dest: String
        do { dest = try runner.writeImage(to: image) } catch { throw ExitCodes.failure(error) }
        Console.out(
            """
            wrote \(dest): a multiboot ELF image with Fiasco, L4Re and the benchmark programs (\(blocks) blocks).
            Boot it on the machine (GRUB: `multiboot \(dest)`; name the machine with --machine), capture the serial console (115200 8N1) to a file, then:
              l4bench ingest LOG -o run.csv --store --results Results/l4re && l4bench report run.csv

            """)
    }

    /// Prints the run's report; the exit code says whether it was interrupted, had a fault or a failed pair.
    func report(_ run: L4ReRun, command: RunCommand) throws {
        Console.error("wrote \(run.samples) samples to \(run.path)\(run.stored ? " (console log compressed beside it)" : "")")
        // Reports are derived: for a stored run they go to the work directory, not into Results.
        let html = command.html ?? (run.stored ? "\(run.workDir)/report.html" : nil)
        if let sig = run.interrupted {
            _ = try? printRunReport(run.path, html: html, noReport: command.noReport)
            // A single boot said so as it ended; a sharded run says it once for all its instances.
            guard run.shards > 1 else { throw ExitCode.interrupted }
            throw ExitCode.interrupted.withMessage("interrupted (signal \(sig)): every QEMU was stopped; the blocks that finished are kept")
        }
        let parsed = try printRunReport(run.path, html: html, noReport: command.noReport)
        if let f = parsed.fault { throw ExitCode(f.exitCode) }
        if parsed.run.notes.contains(where: { $0.kind == .fail }) { throw ExitCode.pairFailed }
    }

    /// `--inject-fault server-hang:PAIR` or `server-crash:PAIR` (hidden, for checking the runner).
    static func parseFault(_ f: String) throws -> (pair: L4RePlan.Pair, mode: String) {
        let parts = f.split(separator: ":").map(String.init)
        guard parts.count == 2, ["server-hang", "server-crash"].contains(parts[0]),
            let pair = L4RePlan.Pair.all.first(where: { $0.name == parts[1] })
        else {
            throw ValidationError("--inject-fault server-hang:PAIR or server-crash:PAIR on L4Re")
        }
        return (pair, parts[0] == "server-hang" ? "hang" : "crash")
    }
}

/// `--kvm-fallback`: the mode to boot again in when KVM cannot boot a guest.
enum KVMFallback: String, CaseIterable, ExpressibleByArgument {
    case tcg, icount, none

    var accel: Accel? { Accel(rawValue: rawValue) }
}

extension Accel: ExpressibleByArgument {}
