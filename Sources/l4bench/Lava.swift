import ArgumentParser
import BenchResults
import BenchStore
import Foundation
import LavaRunner
import OwnedProcess

/// `l4bench lava`: the suite's image as LAVA jobs on a lab's boards (or QEMU devices).
struct LavaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lava",
        abstract: "Run the suite's image as LAVA jobs: write the job, submit it, follow it, collect and store the run.",
        discussion: """
        First write the image: l4bench run --target l4re --image-only --image l4bench.elf (docs/hardware.md).
        The server URL and token come from --url / L4BENCH_LAVA_URL and L4BENCH_LAVA_TOKEN, or from a
        config file (L4BENCH_LAVA_CONFIG, default ~/.config/l4bench/lava.conf: `url = ...`, `token = ...`,
        mode 0600). The token is never printed or stored.
        Exit codes: 0 ok, 4 a pair failed, 50 server unreachable, 51 token refused, 52 job rejected,
        53 never booted, 54 LAVA timeout, 55 cancelled, 56 device lost (LAVA infrastructure error),
        57 log cut, 58 job incomplete for another reason, 59 unexpected answer, 64 usage, 130 interrupted;
        10-18 a fault in the results (see `l4bench --help`). With several boots, the first failed boot
        in the scheduler's order gives the code; the blocks every boot finished are kept.
        """,
        subcommands: [LavaJobCommand.self, LavaSubmit.self, LavaCollect.self])
}

extension LavaCommand {
    /// `l4bench lava`'s own exit codes, for the catalogue (ExitCodes.swift): from the errors and faults that throw them.
    static let exitCodes: [(code: Int32, meaning: String)] = [
        (LavaError.unreachable(server: "", why: "").exitCode, "`lava`: the LAVA server is unreachable"),
        (LavaError.tokenRefused(server: "", detail: "").exitCode, "`lava`: the LAVA server refused the token"),
        (LavaError.rejected("").exitCode, "`lava`: the LAVA server rejected the job definition"),
        (LavaBoot.Fault.neverBooted.exitCode, "`lava`: a boot never began the suite"),
        (LavaBoot.Fault.timedOut.exitCode, "`lava`: a boot hit LAVA's timeout"),
        (LavaBoot.Fault.cancelled.exitCode, "`lava`: a job was cancelled"),
        (LavaBoot.Fault.deviceLost.exitCode, "`lava`: a boot lost its device (LAVA infrastructure error)"),
        (LavaBoot.Fault.logCut.exitCode, "`lava`: a job's log ends before the suite's end record"),
        (LavaBoot.Fault.incomplete.exitCode, "`lava`: a job was incomplete for another reason LAVA names"),
        (LavaError.badResponse("").exitCode, "`lava`: an answer from LAVA that is not what LAVA sends"),
    ]
}

/// What the job boots and where: the image, the device type and boot method, the suite plan.
struct LavaJobOptions: ParsableArguments {
    @Option(help: "The image `l4bench run --target l4re --image-only` wrote; its boot script gives the run ID, blocks and time limit.")
    var image: String?

    @Option(help: "URL the dispatcher downloads the image from (default: file://<absolute image path>, for a dispatcher on this machine).")
    var imageURL: String?

    @Option(help: "LAVA device type.")
    var deviceType = "qemu"

    @Option(help: "How the device boots: qemu (device type qemu), ipxe or grub (x86 boards; docs/hardware.md).")
    var bootMethod: String?

    @Option(help: "QEMU devices: icount (deterministic guest clock), tcg or kvm.")
    var accel = "icount"

    @Option(help: "icount shift: the guest clock advances 2^N ns per instruction.")
    var icountShift = 3

    @Option(help: "Host seconds per guest second of the block time limit, for LAVA's timeouts (a slow device may need more).")
    var timeFactor = 1.0

    @Option(help: "Without --image: the run ID the boot script prints.")
    var runID: String?
    @Option(help: "Without --image: the number of blocks of one boot.")
    var blocks: Int?
    @Option(help: "Without --image: the block time limit in seconds.")
    var blockTimeLimit: Int?
    @Option(help: "Without --image: rounds of one boot.")
    var rounds: Int?

    @Option(help: "LAVA device tags the job requires (comma-separated).")
    var tags: String?

    func plan() throws -> ImagePlan {
        if let image {
            do {
                return try ImagePlan.read(imagePath: image, runID: runID, blocks: blocks, blockTimeLimitSeconds: blockTimeLimit, rounds: rounds)
            } catch { throw ExitCode(error.exitCode).withMessage(error.description) }
        }
        guard let runID, let blocks, let blockTimeLimit else {
            throw ValidationError("give --image (an image from `run --target l4re --image-only`), or --run-id, --blocks and --block-time-limit")
        }
        return ImagePlan(runID: runID, blocks: blocks, blockTimeLimitSeconds: blockTimeLimit, rounds: rounds ?? 1)
    }

    func validate() throws {
        guard ["icount", "tcg", "kvm"].contains(accel) else { throw ValidationError("--accel must be icount, tcg or kvm") }
        if let m = bootMethod, !["qemu", "ipxe", "grub"].contains(m) { throw ValidationError("--boot-method must be qemu, ipxe or grub") }
        if let runID, !ImagePlan.validRunID(runID) { throw ValidationError("--run-id: letters, digits and -_.:+ only") }
        if let b = blocks, b < 1 { throw ValidationError("--blocks must be at least 1") }
        if let t = blockTimeLimit, t < 1 { throw ValidationError("--block-time-limit must be at least 1") }
        guard timeFactor > 0 && timeFactor <= 1000 else { throw ValidationError("--time-factor must be in (0, 1000]") }
        guard (0...10).contains(icountShift) else { throw ValidationError("--icount-shift must be 0...10") }
        if imageURL == nil && image == nil { throw ValidationError("give --image, or --image-url with --run-id, --blocks, --block-time-limit") }
    }

    var isQemu: Bool { (bootMethod ?? (deviceType == "qemu" ? "qemu" : "ipxe")) == "qemu" }

    func definition(_ plan: ImagePlan, boot k: Int, of n: Int) -> LavaJobDefinition {
        let url = imageURL ?? "file://" + URL(fileURLWithPath: image!).standardizedFileURL.path
        let method = bootMethod ?? (deviceType == "qemu" ? "qemu" : "ipxe")
        let boot: LavaJobDefinition.Boot = method == "qemu" ? .qemu(accel: accel, icountShift: icountShift) : (method == "grub" ? .grub : .ipxe)
        var d = LavaJobDefinition(plan: plan, imageURL: url, deviceType: deviceType, boot: boot)
        d.timeFactor = timeFactor
        d.bootIndex = k
        d.boots = n
        d.tags = (tags ?? "").split(separator: ",").map { String($0) }
        return d
    }
}

/// Where the server is.
struct LavaServerOptions: ParsableArguments {
    @Option(help: "LAVA server URL (default: L4BENCH_LAVA_URL or the config file).")
    var url: String?

    @Option(help: "Config file with url and token (default: L4BENCH_LAVA_CONFIG or ~/.config/l4bench/lava.conf; mode 0600).")
    var config: String?

    @Option(help: "Seconds between polls of a job's state.")
    var poll = 5.0

    func client() throws -> LavaClient {
        do {
            let c = try LavaConfig.load(url: url, file: config, environment: ProcessInfo.processInfo.environment)
            return LavaClient(config: c)
        } catch { throw ExitCode(error.exitCode).withMessage(error.description) }
    }
}

/// Where the run goes.
struct LavaOutputOptions: ParsableArguments {
    @Option(help: "Machine name of the run (default: lava-<device type>, with -<accel> for QEMU devices). The LAVA devices are in the metadata.")
    var machine: String?

    @Option(help: "Results directory the run is stored in.")
    var results = "Results/l4re"

    @Option(name: .shortAndLong, help: "Write the clean results here instead of storing the run.")
    var output: String?

    @Option(help: "HTML report path (default: beside the work files).")
    var html: String?

    @Flag(help: "Do not print the report.")
    var noReport = false

    @Option(help: "Work directory for logs and job definitions (default: .build-lava).")
    var work = ".build-lava"
}

struct LavaJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "job", abstract: "Write the LAVA job definition for an image (nothing is submitted).")
    @OptionGroup var job: LavaJobOptions
    @Option(name: .shortAndLong, help: "Write it here (default: standard output).")
    var output: String?

    func run() throws {
        let plan = try job.plan()
        let yaml = job.definition(plan, boot: 1, of: 1).yaml
        if let output { try writeFile(yaml, output) } else { Console.out(yaml) }
    }
}

struct LavaSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit the image as LAVA jobs, follow them, collect the serial logs into one run and store it.",
        discussion: "--boots N submits N jobs of the same image: the scheduler spreads them over the device type's devices; their rounds become rounds of one run in the order LAVA started them.")
    @OptionGroup var job: LavaJobOptions
    @OptionGroup var server: LavaServerOptions
    @OptionGroup var out: LavaOutputOptions
    @Option(help: "Boots of the image (jobs), each running every round of the suite.")
    var boots = 1

    func validate() throws {
        guard (1...1000).contains(boots) else { throw ValidationError("--boots must be 1...1000") }
        guard server.poll >= 0.1 else { throw ValidationError("--poll must be at least 0.1 s") }
    }

    func run() throws {
        let plan = try job.plan()
        let client = try server.client()
        let defs = (1...boots).map { job.definition(plan, boot: $0, of: boots) }
        var ids: [Int] = []
        Interruption.catchSignals()
        for d in defs {
            do {
                let got = try client.submit(definition: d.yaml)
                ids += got
                for id in got { Console.error("job \(id) submitted (boot \(d.bootIndex)/\(boots)): \(client.jobURL(id))") }
            } catch {
                if !ids.isEmpty { Console.error("jobs submitted before the error: \(ids.map(String.init).joined(separator: " ")) (l4bench lava collect can fetch them)") }
                throw ExitCode(error.exitCode).withMessage(error.description)
            }
            if Interruption.received != 0 { break }
        }
        try LavaCollection(plan: plan, job: job, out: out, client: client, poll: server.poll, definition: defs[0].yaml).collect(ids)
    }
}

struct LavaCollect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Follow LAVA jobs submitted before (by `lava submit` or by hand) and collect them into one run.")
    @Argument(help: "Job IDs: the boots of one image.")
    var jobs: [Int]
    @OptionGroup var job: LavaJobOptions
    @OptionGroup var server: LavaServerOptions
    @OptionGroup var out: LavaOutputOptions

    func validate() throws {
        guard !jobs.isEmpty, jobs.allSatisfy({ $0 > 0 }) else { throw ValidationError("give the job IDs (positive numbers)") }
        guard Set(jobs).count == jobs.count else { throw ValidationError("a job ID is given twice") }
    }

    func run() throws {
        let plan = try job.plan()
        let client = try server.client()
        Interruption.catchSignals()
        try LavaCollection(plan: plan, job: job, out: out, client: client, poll: server.poll, definition: nil).collect(jobs)
    }
}

/// Following jobs to their end, one run out of their logs, stored.
struct LavaCollection {
    var plan: ImagePlan
    var job: LavaJobOptions
    var out: LavaOutputOptions
    var client: LavaClient
    var poll: Double
    var definition: String?

    func collect(_ ids: [Int]) throws {
        var follower = LavaFollower(client: client)
        follower.pollSeconds = poll
        follower.interrupted = { Interruption.received != 0 }
        var device: [Int: String] = [:]
        let result: LavaFollower.Result
        do {
            result = try follower.follow(ids, runID: plan.runID) { e in
                switch e {
                case .state(let s):
                    if let d = s.device { device[s.id] = d }
                    let on = s.device.map { " on \($0)" } ?? ""
                    Console.error("job \(s.id): \(s.state)\(on)\(s.finished ? " (\(s.health))" : "")")
                case .console(let id, let line):
                    if let r = line.range(of: "L4BENCH-BLOCK ") {
                        Console.error("job \(id) [\(device[id] ?? "?")]: block \(line[r.upperBound...].prefix(120))")
                    } else if let r = line.range(of: "L4B1,fail,") {
                        Console.error("job \(id) [\(device[id] ?? "?")]: fail \(line[r.upperBound...].prefix(200))")
                    }
                case .retry(let why): Console.error(why)
                case .cancelling(let jobs): Console.error("interrupted: cancelling jobs \(jobs.map(String.init).joined(separator: " "))")
                }
            }
        } catch {
            Console.error("the jobs go on on the server: l4bench lava collect \(ids.map(String.init).joined(separator: " ")) fetches them later")
            throw ExitCode(error.exitCode).withMessage(error.description)
        }
        let boots = result.boots
        for b in boots {
            if let f = b.fault {
                Console.error("LAVA job \(b.status.id) on \(b.device): \(f.rawValue): \(b.reason) (\(client.jobURL(b.status.id)))")
            }
            if b.log.skipped > 0 { Console.error("LAVA job \(b.status.id): \(b.log.skipped) log line(s) that are no LAVA log entry skipped") }
        }
        let assembly = LavaRunAssembly(runID: plan.runID, rounds: plan.rounds, metadata: metadata(boots))
        let output = assembly.assemble(boots)
        for f in output.faults { Console.error(f) }
        let firstFault = boots.first { $0.fault != nil }?.fault
        guard !output.text.isEmpty else {
            let code = result.interrupted ? 130 : (firstFault?.exitCode ?? 12)
            throw ExitCode(code).withMessage("no results from LAVA jobs \(ids.map(String.init).joined(separator: " ")): nothing stored")
        }
        let dir = "\(out.work)/\(output.runID)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let logPath = "\(dir)/console.log"
        var console = Data()
        for b in boots {
            console.append(Data("==== LAVA job \(b.status.id) on \(b.device) (\(b.status.health)) ====\n".utf8))
            console.append(Data(b.log.console))
        }
        do { try OutputFile.write(String(decoding: console, as: UTF8.self), to: logPath) } catch {
            throw ExitCode(3).withMessage("\(error)")
        }
        let resultsPath = out.output ?? "\(dir)/results.csv"
        try writeFile(output.text, resultsPath)
        if let definition { try writeFile(definition, "\(dir)/job.yaml") }
        var shown = resultsPath
        if out.output == nil {
            let parsed = ResultsParser.parse(path: resultsPath)
            if let f = parsed.fault { throw ExitCode(f.exitCode).withMessage("the assembled run does not read back: \(f)") }
            let stored: String
            do { stored = try ResultsStore(root: out.results).store(parsed.run, log: logPath) } catch { throw ExitCode(3).withMessage("\(error)") }
            let def = (stored as NSString).deletingPathExtension + ".lava-job.yaml"
            if let definition { try writeFile(definition, def) }
            Console.error("stored \(parsed.run.sampleCount) samples of \(output.bootsWithResults) boot(s) as \(stored) (console log compressed beside it\(definition == nil ? "" : ", job definition in \(def)"))")
            shown = stored
        }
        let html = out.html ?? "\(dir)/report.html"
        let parsed = try printRunReport(shown, html: html, noReport: out.noReport)
        if result.interrupted { throw ExitCode(130) }
        if let f = firstFault { throw ExitCode(f.exitCode) }
        if let f = parsed.fault { throw ExitCode(f.exitCode) }
        if parsed.run.notes.contains(where: { $0.kind == .fail }) { throw ExitCode.pairFailed }
    }

    func metadata(_ boots: [LavaBoot]) -> [(String, String)] {
        let qemu = job.isQemu
        let deviceType = boots.first?.status.deviceType ?? job.deviceType
        var m: [(String, String)] = [
            ("machine", out.machine ?? (qemu ? "lava-\(deviceType)-\(job.accel)" : "lava-\(deviceType)")),
            ("accel", qemu ? job.accel : "hardware"),
        ]
        if qemu && job.accel == "icount" { m.append(("icount_shift", String(job.icountShift))) }
        if let start = boots.compactMap(\.status.startTime).min() {
            // LAVA's start time (microseconds dropped): when the run began on the device.
            let s = start.split(separator: ".").first.map { String($0) + "Z" } ?? start
            m.append(("date", s.hasSuffix("ZZ") ? String(s.dropLast()) : s))
        }
        m.append(("lava_url", client.config.url))
        m.append(("lava_device_type", deviceType))
        m.append(("lava_jobs", boots.map { String($0.status.id) }.joined(separator: " ")))
        m.append(("lava_job_urls", boots.map { client.jobURL($0.status.id) }.joined(separator: " ")))
        m.append(("lava_devices", boots.map(\.device).joined(separator: " ")))
        m.append(("lava_boots", String(boots.count)))
        let failed = boots.filter { $0.fault != nil }
        if !failed.isEmpty {
            m.append(("lava_failed_boots", failed.map { "job \($0.status.id) on \($0.device): \($0.fault!.rawValue): \($0.reason)" }.joined(separator: "; ")))
        }
        let hashes = Set(boots.compactMap(\.log.imageSHA256))
        if hashes.count == 1 { m.append(("lava_image_sha256", hashes.first!)) }
        return m
    }
}
