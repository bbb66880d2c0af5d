import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `l4bench lava` as users run it, against a server that answers with the recordings:
/// the run it stores, its exit codes, and the token nowhere in its output or files.
@Suite(.serialized) struct LavaCommandTests {
    static let tool: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest/Contents/MacOS") {
            dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        return dir.appendingPathComponent("l4bench").path
    }()
    static let token = "recorded-test-token-4711"

    struct Result { var status: Int32; var out: String; var err: String }

    static func l4bench(_ args: [String], in dir: TemporaryDirectory, env: [String: String]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        var e = ProcessInfo.processInfo.environment
        e["L4BENCH_LAVA_CONFIG"] = dir.file("no-config")
        e.removeValue(forKey: "L4BENCH_LAVA_URL")
        e.removeValue(forKey: "L4BENCH_LAVA_TOKEN")
        for (k, v) in env { e[k] = v }
        p.environment = e
        let outPath = dir.file(".stdout"), errPath = dir.file(".stderr")
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return Result(status: p.terminationStatus, out: try String(contentsOfFile: outPath, encoding: .utf8),
                      err: try String(contentsOfFile: errPath, encoding: .utf8))
    }

    static func rec(_ name: String) -> (Int, [UInt8]) { let r = Recorded.response(name); return (r.status, r.body) }

    /// An image holding the stand-in's boot script text, as `run --image-only` packs it.
    static func image(in dir: TemporaryDirectory) throws -> String {
        let path = dir.file("l4bench.elf")
        let script = "\u{7f}ELF\0\0print(\"L4B1,begin,\(LavaBootTests.runID)\");\nlocal LIMIT_S = 30;\nlocal TOTAL = 2;\n\0"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Everything a run of the command wrote, to look for the token in.
    static func allText(_ dir: TemporaryDirectory) -> String {
        var s = ""
        let e = FileManager.default.enumerator(atPath: dir.path)
        while let f = e?.nextObject() as? String {
            if let d = FileManager.default.contents(atPath: dir.file(f)) { s += String(decoding: d, as: UTF8.self) }
        }
        return s
    }

    @Test func twoBootsStoredAsOneRun() throws {
        let server = try ReplayServer([
            "POST /api/v0.2/jobs/": [(201, Array(#"{"job_ids": [1]}"#.utf8)), Self.rec("submit.json")],
            "GET /api/v0.2/jobs/1/": [Self.rec("job-1.json")],
            "GET /api/v0.2/jobs/1/logs/": [Self.rec("job-1-logs.yaml")],
            "GET /api/v0.2/jobs/5/": [Self.rec("job-5-status-3.json"), Self.rec("job-5-status-4.json")],
            "GET /api/v0.2/jobs/5/logs/": [Self.rec("job-5-logs-4.yaml")],
        ])
        defer { server.stop() }
        try withTemporaryDirectory("l4b-lava-cli") { dir in
            let img = try Self.image(in: dir)
            let r = try Self.l4bench(["lava", "submit", "--image", img, "--boots", "2", "--poll", "0.1", "--results", "store", "--no-report"],
                                     in: dir, env: ["L4BENCH_LAVA_URL": server.url, "L4BENCH_LAVA_TOKEN": Self.token])
            #expect(r.status == 0, "\(r.err)")
            #expect(r.err.contains("job 1 submitted (boot 1/2)") && r.err.contains("job 5 submitted (boot 2/2)"))
            #expect(r.err.contains("job 5: Running on qemu-01"))
            #expect(r.err.contains("stored 40 samples of 2 boot(s)"))
            let runs = try FileManager.default.contentsOfDirectory(atPath: dir.file("store/lava-qemu-icount/runs"))
            #expect(runs.contains { $0.hasSuffix(".l4bc") } && runs.contains { $0.hasSuffix(".log.gz") } && runs.contains { $0.hasSuffix(".lava-job.yaml") })
            let stored = try String(contentsOfFile: dir.file("store/lava-qemu-icount/runs/" + runs.first { $0.hasSuffix(".l4bc") }!), encoding: .utf8)
            #expect(stored.contains("meta,lava_jobs,1 5") && stored.contains("meta,lava_devices,qemu-01 qemu-01"))
            #expect(stored.contains("meta,date,2026-12-01T02:46:26Z"))
            // The token went to the server in the header, and nowhere else.
            #expect(server.requests.allSatisfy { $0.auth == "Token \(Self.token)" })
            #expect(!r.out.contains(Self.token) && !r.err.contains(Self.token) && !Self.allText(dir).contains(Self.token))
        }
    }

    @Test(arguments: [(2, Int32(53), "never booted: Infrastructure: Connection closed"),
                      (3, 54, "timed out: Test: lava-test-monitor timed out after 60 seconds"),
                      (4, 55, "cancelled: Canceled: The job was canceled"),
                      (9, 56, "device lost: Infrastructure: Connection closed")])
    func aFailedJobExitsWithItsCode(job: Int, code: Int32, says: String) throws {
        let server = try ReplayServer([
            "GET /api/v0.2/jobs/\(job)/": [Self.rec("job-\(job).json")],
            "GET /api/v0.2/jobs/\(job)/logs/": [Self.rec("job-\(job)-logs.yaml")],
        ])
        defer { server.stop() }
        try withTemporaryDirectory("l4b-lava-cli") { dir in
            let r = try Self.l4bench(["lava", "collect", String(job), "--image", try Self.image(in: dir), "--poll", "0.1",
                                      "--results", "store", "--no-report"],
                                     in: dir, env: ["L4BENCH_LAVA_URL": server.url, "L4BENCH_LAVA_TOKEN": Self.token])
            #expect(r.status == code, "\(r.err)")
            #expect(r.err.contains("LAVA job \(job) on qemu-0") && r.err.contains(says))
            #expect(r.err.contains("\(server.url)/scheduler/job/\(job)"))
        }
    }

    @Test func aRefusedTokenIsReportedOnce() throws {
        let server = try ReplayServer(["POST /api/v0.2/jobs/": [Self.rec("refused-token.json")]])
        defer { server.stop() }
        try withTemporaryDirectory("l4b-lava-cli") { dir in
            let r = try Self.l4bench(["lava", "submit", "--image", try Self.image(in: dir), "--boots", "3"],
                                     in: dir, env: ["L4BENCH_LAVA_URL": server.url, "L4BENCH_LAVA_TOKEN": Self.token])
            #expect(r.status == 51)
            #expect(r.err.contains("refused the token") && !r.err.contains(Self.token))
            #expect(server.requests.count == 1)
        }
    }

    @Test func anUnreachableServer() throws {
        let server = try ReplayServer([:])
        let url = server.url
        server.stop()
        try withTemporaryDirectory("l4b-lava-cli") { dir in
            let r = try Self.l4bench(["lava", "submit", "--image", try Self.image(in: dir)],
                                     in: dir, env: ["L4BENCH_LAVA_URL": url, "L4BENCH_LAVA_TOKEN": Self.token])
            #expect(r.status == 50 && r.err.contains("unreachable"))
        }
    }

    @Test func aTokenFileOthersMayRead() throws {
        try withTemporaryDirectory("l4b-lava-cli") { dir in
            let conf = dir.file("lava.conf")
            try "url = http://127.0.0.1:1\ntoken = \(Self.token)\n".write(toFile: conf, atomically: true, encoding: .utf8)
            chmod(conf, 0o644)
            let r = try Self.l4bench(["lava", "submit", "--image", try Self.image(in: dir), "--config", conf], in: dir, env: [:])
            #expect(r.status == 64 && r.err.contains("chmod 600") && !r.err.contains(Self.token))
        }
    }

    @Test func theJobDefinitionFromAnImage() throws {
        try withTemporaryDirectory("l4b-lava-cli") { dir in
            let r = try Self.l4bench(["lava", "job", "--image", try Self.image(in: dir)], in: dir, env: [:])
            #expect(r.status == 0)
            #expect(r.out.contains("l4re\\-20261201T000000Z\\-lava\\-standin") && r.out.contains("url: 'file://\(dir.path)/l4bench.elf'"))
            let none = try Self.l4bench(["lava", "job", "--image", dir.file(".stdout")], in: dir, env: [:])
            #expect(none.status == 64 && none.err.contains("no boot script of l4bench"))
        }
    }
}
