import BenchResults
import BenchStore
import Foundation
import OwnedProcess

/// The L4Re backend's entry, the counterpart of LinuxBench's `LinuxRunner.run`:
/// a plan in, progress out, a run back. It writes ned's script and the modules
/// list, boots QEMU (`qemu-system-x86_64`, or `L4BENCH_QEMU`) once or as several
/// instances at once (shards, merged into one run), falls back from a KVM that
/// cannot boot a guest, names the blocks a boot left unfinished, and stores the
/// run (or writes it to `output`). Building the package is the caller's step
/// (`L4ReBuild.buildPackage`), as is the report.
public struct L4ReSuiteRunner {
    /// The L4Re and Fiasco builds the package is built against and booted from.
    public var build: L4ReBuild
    /// What the run measures.
    public var plan: L4RePlan
    /// The QEMU mode to boot in first.
    public var accel: Accel
    /// `-icount shift=N`: the guest clock advances 2^N ns per instruction.
    public var icountShift = 3
    /// The mode to boot again in when KVM cannot boot a guest; nil: stop with `kvmUnusable`.
    public var kvmFallback: Accel? = .icount
    /// Seconds one boot may take before QEMU is ended.
    public var bootTimeLimitSeconds: Double
    /// QEMU instances at once; nil: the host's cores, at most 8, under icount, 1 otherwise.
    public var jobs: Int?
    /// Where each run gets its work directory (`<project>/.build-l4re`).
    public var workRoot: String
    /// The machine name for baselines; nil: `<host>-qemu-<accel>`.
    public var machine: String?
    /// The benchmark sources' commit, recorded as metadata `commit`.
    public var commit: String
    /// The toolchain, recorded as metadata `toolchain`.
    public var toolchain: String
    /// Fault injection for the runner's own checks (see `NedScript.fault`).
    public var fault: (pair: L4RePlan.Pair, mode: String)?
    /// The results file to write; nil: store the run under `storeRoot`.
    public var output: String?
    /// The store (`Results/l4re`) for a run without `output`.
    public var storeRoot: String
    /// Seconds without the boot script's first line under KVM before KVM is taken as unable to boot a guest.
    public var kvmSilenceSeconds: Double = 30
    /// Seconds QEMU gets after SIGTERM before SIGKILL.
    public var graceSeconds: Double = 3
    /// The host's name, as the default machine name starts.
    public var hostName = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"

    /// A runner with the defaults: icount shift 3, fallback to icount, shards by the host's cores.
    public init(
        build: L4ReBuild, plan: L4RePlan, accel: Accel, bootTimeLimitSeconds: Double, workRoot: String,
        storeRoot: String, commit: String, toolchain: String
    ) {
        self.build = build
        self.plan = plan
        self.accel = accel
        self.bootTimeLimitSeconds = bootTimeLimitSeconds
        self.workRoot = workRoot
        self.storeRoot = storeRoot
        self.commit = commit
        self.toolchain = toolchain
    }

    /// Runs the plan: boots, falls back from a KVM that cannot boot a guest (once,
    /// to `kvmFallback`), and stores or writes the run. `log` gets what a user
    /// should read (one line each); `progress` the blocks as they start, from one
    /// thread at a time. Ends every QEMU on SIGINT/SIGTERM (`Interruption`) and
    /// returns what finished, marked `interrupted`.
    public func run(log: (String) -> Void = { _ in }, progress: (L4ReProgress) -> Void = { _ in }) throws(L4ReRunError) -> L4ReRun {
        Interruption.catchSignals()
        do {
            return try boot(accel, log: log, progress: progress)
        } catch .kvmUnusable(let why) {
            guard let next = kvmFallback else {
                throw .kvmUnusable("\(why); no fallback (--kvm-fallback none): run with --accel icount or --accel tcg")
            }
            log(why)
            log("falling back to --accel \(next.rawValue) (--kvm-fallback); the results record accel=\(next.rawValue)")
            return try boot(next, log: log, progress: progress)
        }
    }

    /// The run's ID, machine and work directory for a boot in `mode` (nil: an image for hardware) at `date`.
    public func identity(_ mode: Accel?, date: Date) -> (runID: String, machine: String, workDir: String) {
        let machineName = machine ?? (mode.map { "\(hostName)-qemu-\($0.rawValue)" } ?? "hardware")
        let runID = "l4re-\(ResultsStore.dateStamp(Self.isoDate(date)))-\(ResultsStore.slug(machineName))"
        return (runID, machineName, "\(workRoot)/\(runID)")
    }

    /// The boot script of a run in `mode` (nil: an image for hardware) with the host's metadata.
    public func script(_ mode: Accel?, date: Date) -> NedScript {
        let (runID, machineName, _) = identity(mode, date: date)
        var meta: [(String, String)] = [
            ("target", "l4re"), ("accel", mode?.rawValue ?? "hardware"), ("machine", machineName), ("commit", commit),
            ("date", Self.isoDate(date)), ("toolchain", toolchain),
            ("samples", String(plan.samples)), ("warmup", String(plan.warmup)), ("rounds", String(plan.rounds)),
            ("seed", String(plan.seed)), ("block_time_limit_s", String(plan.blockTimeLimitSeconds)),
            ("placement_same-core", "client CPU 1, server CPU 1"), ("placement_cross-core", "client CPU 1, server CPU 0"),
            ("ds_sizes", plan.dsSizes.map { "\($0.bytes):\($0.samples)" }.joined(separator: " ")),
        ]
        if mode == .icount { meta.append(("icount_shift", String(icountShift))) }
        if let mode { meta.append(("qemu", "\(QemuBoot.qemuBinary) -accel \(mode == .kvm ? "kvm" : "tcg") -smp 2 -m 1024 -nic none")) }
        meta += L4ReProvenance(build: build).metadata(qemu: mode != nil)
        var s = NedScript(plan: plan, runID: runID, metadata: meta)
        if let fault { s.fault = fault }
        return s
    }

    /// Writes a bootable multiboot ELF image of the run for hardware (L4Re's
    /// `make elfimage`) to `dest` (default: the run's work directory); returns its path.
    public func writeImage(to dest: String?) throws(L4ReRunError) -> String {
        let date = Date()
        let work = identity(nil, date: date).workDir
        try prepare(script(nil, date: date), in: work, modulesList: true)
        let qemu = QemuBoot(build: build, workDir: work, accel: .tcg, icountShift: icountShift, timeLimitSeconds: bootTimeLimitSeconds)
        return try qemu.writeImage(modulesList: "\(work)/modules.list", to: dest ?? "\(work)/l4bench.elf")
    }

    /// Instances for a boot in `mode`: each takes a core and 1 GiB of guest memory, by default at most 8.
    public func shardCount(_ mode: Accel) -> Int {
        max(1, min(jobs ?? (mode == .icount ? min(8, ProcessInfo.processInfo.activeProcessorCount) : 1), plan.blockCount))
    }

    func qemu(_ mode: Accel, workDir: String) -> QemuBoot {
        var q = QemuBoot(build: build, workDir: workDir, accel: mode, icountShift: icountShift, timeLimitSeconds: bootTimeLimitSeconds)
        q.kvmSilenceSeconds = kvmSilenceSeconds
        q.graceSeconds = graceSeconds
        return q
    }

    func prepare(_ script: NedScript, in dir: String, modulesList: Bool) throws(L4ReRunError) {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try script.lua().write(toFile: "\(dir)/\(NedScript.configName)", atomically: true, encoding: .utf8)
            if modulesList { try script.modulesList().write(toFile: "\(dir)/modules.list", atomically: true, encoding: .utf8) }
        } catch {
            throw .output("cannot write the boot files in \(dir): \(error.localizedDescription)")
        }
    }

    static func isoDate(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d)
    }
}

/// What an L4Re run did.
public struct L4ReRun: Sendable {
    /// The run's ID (`l4re-DATE-MACHINE`).
    public var runID: String
    /// The mode the results were measured in (the fallback's, when KVM could not boot).
    public var accel: Accel
    /// The run's work directory (boot files, consoles, the clean results, the report).
    public var workDir: String
    /// The console log (several shards' consoles, one after the other, in a sharded run).
    public var logPath: String
    /// The results: `output`, or the stored run.
    public var path: String
    /// Whether the run went into the store (its console log compressed beside it).
    public var stored: Bool
    /// Samples the run holds.
    public var samples: Int
    /// QEMU instances the run was booted in.
    public var shards: Int
    /// A fault the console's results had (the run is kept, closed with an `incomplete` note).
    public var fault: ResultsError?
    /// The signal that interrupted the run, or nil.
    public var interrupted: Int32?
    /// Blocks booted (nil when not counted: a run without the per-group stop).
    public var blocks: Int?
    /// Boots: 2 when a per-group stop needed more rounds (nil when not counted).
    public var boots: Int?
    /// Wall seconds of the boots (nil when not counted).
    public var seconds: Double?
}
