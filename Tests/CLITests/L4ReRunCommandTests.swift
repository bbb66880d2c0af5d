import Foundation
import L4ReRunner
import TestSupport
import Testing

/// `l4bench run --target l4re` end to end without L4Re: a build directory
/// that has the files a boot needs (empty), a `make` that builds nothing, and
/// the stand-in QEMU that plays the guest. Checks the options' mapping to the
/// runner, that the run goes where `--results` says, and the exit codes.
@Suite struct L4ReRunCommandTests {
    /// The stand-in build, project and tools in `dir`; the environment l4bench needs to use them.
    static func setUp(
        _ dir: TemporaryDirectory, kvm: StandInGuest.KVM = .works, dieInShard: Int? = nil, hangInShard: Int? = nil
    ) throws -> [String: String] {
        let fm = FileManager.default
        let bin = "l4/bin/amd64_gen/l4f"
        for d in ["l4/source/mk", "l4/bin/amd64_gen/plain", bin, "fiasco", "project/Bench/l4re/pkg/l4swift", "tools"] {
            try fm.createDirectory(atPath: dir.file(d), withIntermediateDirectories: true)
        }
        let programs = ["moe", "ned", "l4re", "sigma0"] + NedScript.programs
        for f in ["l4/source/mk/prog.mk", "l4/bin/amd64_gen/plain/bootstrap", "fiasco/fiasco", "project/Bench/l4re/pkg/l4swift/Makefile"]
            + programs.map({ "\(bin)/\($0)" })
        {
            fm.createFile(atPath: dir.file(f), contents: Data())
        }
        try "#!/bin/sh\necho \"make $*\" >> \(dir.file("make.log"))\n".write(toFile: dir.file("tools/make"), atomically: true, encoding: .utf8)
        chmod(dir.file("tools/make"), 0o755)
        let qemu = try StandInGuest.qemu(in: dir, kvm: kvm, dieInShard: dieInShard, hangInShard: hangInShard)
        return ["L4BENCH_QEMU": qemu, "PATH": dir.file("tools") + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    static func args(_ dir: TemporaryDirectory, _ extra: [String]) -> [String] {
        [
            "run", "--target", "l4re", "--l4re-obj", dir.file("l4"), "--fiasco-obj", dir.file("fiasco"),
            "--project", dir.file("project"), "--machine", "standin", "--bench", "ipc.roundtrip", "--pair", "swift-cpp,cpp-cpp",
            "--rounds", "2", "--samples", "3", "--no-report", "--no-phases",
        ] + extra
    }

    @Test func noPhasesGoesWithTheL4ReTargetOnly() throws {
        let dir = try TemporaryDirectory("l4b-cli-l4re")
        defer { dir.remove() }
        let r = try CLITests.l4bench(["run", "--no-phases"], in: dir)
        #expect(r.status == 64)
        #expect(r.err.contains("--phases, --no-phases and --every-round go with --target l4re"), "\(r.err)")
    }

    @Test func underIcountRoundsAfterTheSecondGoOnlyToGroupsThatDiffer() throws {
        let dir = try TemporaryDirectory("l4b-cli-l4re")
        defer { dir.remove() }
        // Every pair's samples change with the round in this stand-in: boot 2 runs round 3 of all 4 blocks.
        let env = try Self.setUp(dir)
        var args = Self.args(dir, ["-o", dir.file("run.csv"), "--jobs", "2"])
        if let i = args.firstIndex(of: "--rounds") { args[i + 1] = "3" }
        let r = try CLITests.l4bench(args, in: dir, env: env)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("boot 1: rounds 1-2 of every block, 8 blocks in 2 QEMU instances"), "\(r.err)")
        #expect(r.err.contains("boot 2: rounds 3-3 of 4 blocks"))
        #expect(r.err.contains("ran 12 blocks in 2 boots (2 QEMU instances at once)"))
        let every = try CLITests.l4bench(args + ["--every-round"], in: dir, env: env)
        #expect(every.status == 0, "\(every.err)")
        #expect(every.err.contains("booting 12 blocks (2 pairs × 2 placements × 3 rounds) in 2 QEMU instances"), "\(every.err)")
        #expect(!every.err.contains("boot 2"))
        let both = try CLITests.l4bench(args + ["--phases", "--no-phases"], in: dir, env: env)
        #expect(both.status == 64)
        #expect(both.err.contains("--phases and --no-phases exclude each other"))
    }

    @Test func theRunIsStoredWhereResultsSays() throws {
        let dir = try TemporaryDirectory("l4b-cli-l4re")
        defer { dir.remove() }
        let env = try Self.setUp(dir)
        let r = try CLITests.l4bench(Self.args(dir, ["--results", dir.file("store"), "--jobs", "2"]), in: dir, env: env)
        #expect(r.status == 0, "\(r.err)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.file("store/standin/runs"))
        #expect(runs.filter { $0.hasSuffix(".l4bc") }.count == 1)
        #expect(runs.filter { $0.hasSuffix(".log.gz") }.count == 1)
        #expect(r.err.contains("wrote 24 samples to \(dir.file("store"))/standin/runs/"))
        #expect(r.err.contains("in 2 QEMU instances at once under icount"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("project/Results")), "nothing goes into the project's Results")
        let make = try String(contentsOfFile: dir.file("make.log"), encoding: .utf8)
        #expect(make.contains("-C \(dir.file("project"))/Bench/l4re/pkg/l4swift O=\(dir.file("l4"))"))
    }

    @Test func withoutResultsTheRunGoesIntoTheProjectsStore() throws {
        let dir = try TemporaryDirectory("l4b-cli-l4re")
        defer { dir.remove() }
        let env = try Self.setUp(dir)
        let r = try CLITests.l4bench(Self.args(dir, ["--jobs", "1"]), in: dir, env: env)
        #expect(r.status == 0, "\(r.err)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.file("project/Results/l4re/standin/runs"))
        #expect(runs.contains { $0.hasSuffix(".l4bc") })
    }

    @Test func aBootThatStopsEarlyIsAFailedPairWith4() throws {
        let dir = try TemporaryDirectory("l4b-cli-l4re")
        defer { dir.remove() }
        let env = try Self.setUp(dir, dieInShard: 1)
        let r = try CLITests.l4bench(Self.args(dir, ["-o", dir.file("run.csv"), "--jobs", "2"]), in: dir, env: env)
        #expect(r.status == 4, "\(r.err)")
        #expect(r.err.contains("shard 1: QEMU exited with status 3"))
        let text = try String(contentsOfFile: dir.file("run.csv"), encoding: .utf8)
        // Shard 1 of 2 has 4 of the 8 blocks and stopped as its second started: 3 are named failed.
        #expect(text.components(separatedBy: "\nL4B1,fail,").count - 1 == 3)
        #expect(text.components(separatedBy: "\nL4B1,s,").count - 1 == 5 * 3)
    }

    @Test func kvmThatCannotBootWithoutAFallbackExits5() throws {
        let dir = try TemporaryDirectory("l4b-cli-l4re")
        defer { dir.remove() }
        let env = try Self.setUp(dir, kvm: .exits)
        let r = try CLITests.l4bench(Self.args(dir, ["--accel", "kvm", "--kvm-fallback", "none", "--results", dir.file("store")]), in: dir, env: env)
        #expect(r.status == 5)
        #expect(r.err.contains("QEMU could not run the guest under KVM"))
        #expect(r.err.contains("--kvm-fallback none"))
        let fallback = try CLITests.l4bench(Self.args(dir, ["--accel", "kvm", "--results", dir.file("store")]), in: dir, env: env)
        #expect(fallback.status == 0, "\(fallback.err)")
        #expect(fallback.err.contains("falling back to --accel icount"))
    }

    @Test func aBadBuildDirectoryExits3AndABadAccel64() throws {
        let dir = try TemporaryDirectory("l4b-cli-l4re")
        defer { dir.remove() }
        let env = try Self.setUp(dir)
        try FileManager.default.removeItem(atPath: dir.file("fiasco/fiasco"))
        let r = try CLITests.l4bench(Self.args(dir, []), in: dir, env: env)
        #expect(r.status == 3)
        #expect(r.err.contains("lacks the kernel image"))
        let bad = try CLITests.l4bench(Self.args(dir, ["--accel", "hvf"]), in: dir, env: env)
        #expect(bad.status == 64)
        #expect(bad.err.contains("'kvm', 'tcg' or 'icount'"))
    }

    @Test func anInterruptEndsQEMUKeepsTheFinishedBlocksAndExits130() throws {
        let dir = try TemporaryDirectory("l4b-cli-l4re")
        defer { dir.remove() }
        let env = try Self.setUp(dir, hangInShard: 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.tool)
        p.arguments = Self.args(dir, ["--jobs", "1", "--results", dir.file("store")])
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        FileManager.default.createFile(atPath: dir.file("err"), contents: nil)
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.file("err")))
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // The guest hangs as its second block starts: wait for that block in l4bench's progress, then Ctrl-C.
        func progress() -> String { (try? String(contentsOfFile: dir.file("err"), encoding: .utf8)) ?? "" }
        let started = Date().addingTimeInterval(60)
        while !progress().contains("(1/8 blocks") && Date() < started && p.isRunning { usleep(50_000) }
        kill(p.processIdentifier, SIGINT)
        let ended = Date().addingTimeInterval(30)
        while p.isRunning && Date() < ended { usleep(50_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        let reaped = Date().addingTimeInterval(10)
        while p.isRunning && Date() < reaped { usleep(50_000) }
        let err = try String(contentsOfFile: dir.file("err"), encoding: .utf8)
        #expect(!p.isRunning && p.terminationStatus == 130, "\(err)")
        #expect(err.contains("interrupted (signal 2): QEMU was stopped; keeping the 1 blocks that finished"))
        // The stand-in is gone: l4bench ended its process group.
        let pids = try String(contentsOfFile: dir.file("qemu.pids"), encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(pids.count == 1)
        let alive = pids.filter { kill($0, 0) == 0 }
        #expect(alive.isEmpty, "the stand-in QEMU \(alive) outlived l4bench")
        for pid in alive { kill(-pid, SIGKILL) }  // not left behind by a failing test
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: dir.file("store/standin/runs"))) ?? []
        #expect(runs.filter { $0.hasSuffix(".l4bc") }.count == 1)
    }
}
