import Foundation
import OwnedProcess
import TestSupport
import Testing
@testable import L4ReRunner

/// The tests that boot a stand-in QEMU, one at a time: they share the
/// process's interruption flag (`Interruption`), which one of them raises.
@Suite(.serialized) enum StandInQemu {}

/// A stand-in QEMU that ignores SIGTERM and keeps its stdout open: the runner
/// still ends it (by its PID and process group) within its limits.
extension StandInQemu {
    @Suite(.serialized) struct StandInQemuTests {
        func standIn(_ dir: String, body: String) throws -> String {
            let path = "\(dir)/qemu-standin"
            try "#!/bin/sh\ntrap '' TERM\necho $$ > \(dir)/pid\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
            return path
        }

        func gone(_ dir: String) -> Bool {
            guard let text = try? String(contentsOfFile: "\(dir)/pid", encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { return false }
            return kill(pid, 0) == -1 && errno == ESRCH
        }

        func boot(_ dir: String, limit: Double) -> QemuBoot {
            var q = QemuBoot(build: L4ReBuild(unchecked: dir, fiascoObj: dir), workDir: dir, accel: .icount, icountShift: 3, timeLimitSeconds: limit)
            q.graceSeconds = 1
            return q
        }

        @Test func aHungQemuIsEndedAtTheTimeLimit() throws {
            let tmp = try TemporaryDirectory("l4b-qemu")
            defer { tmp.remove() }
            let dir = tmp.path
            setenv("L4BENCH_QEMU", try standIn(dir, body: "echo booting\nwhile :; do sleep 0.2; done"), 1)
            defer { unsetenv("L4BENCH_QEMU") }
            let t0 = Date()
            var lines: [String] = []
            let outcome = try boot(dir, limit: 2).run(logPath: "\(dir)/console.log") { lines.append($0) }
            let took = Date().timeIntervalSince(t0)
            #expect(outcome.isTimedOut)
            #expect(took < 2 + 1 + 2, "took \(took) s")
            #expect(lines == ["booting"])
            #expect(gone(dir))
        }

        @Test func theDoneMarkerEndsTheBootAtOnce() throws {
            let tmp = try TemporaryDirectory("l4b-qemu")
            defer { tmp.remove() }
            let dir = tmp.path
            setenv("L4BENCH_QEMU", try standIn(dir, body: "echo '\(NedScript.doneMarker)'\nwhile :; do sleep 0.2; done"), 1)
            defer { unsetenv("L4BENCH_QEMU") }
            let t0 = Date()
            let outcome = try boot(dir, limit: 60).run(logPath: "\(dir)/console.log") { _ in }
            #expect(outcome == .completed)
            #expect(Date().timeIntervalSince(t0) < 5)
            #expect(gone(dir))
        }

        @Test func anInterruptEndsQemu() throws {
            let tmp = try TemporaryDirectory("l4b-qemu")
            defer { tmp.remove() }
            let dir = tmp.path
            setenv("L4BENCH_QEMU", try standIn(dir, body: "while :; do sleep 0.2; done"), 1)
            defer { unsetenv("L4BENCH_QEMU"); Interruption.reset() }
            Interruption.raiseForTests(SIGINT)
            let outcome = try boot(dir, limit: 60).run(logPath: "\(dir)/console.log") { _ in }
            #expect(outcome == .interrupted(SIGINT))
            #expect(gone(dir))
        }
    }
}

extension QemuBoot.Outcome {
    var isTimedOut: Bool { if case .timedOut = self { return true } else { return false } }
}

/// The examples script with a stand-in QEMU: a hung boot is ended by its
/// process group at the time limit and reported failed; a passing one passes.
@Suite(.serialized) struct ExamplesScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func runScript(_ bootCmd: String, dir: String) throws -> (status: Int32, output: String, seconds: Double) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["\(Self.root)/scripts/l4re-examples.sh", "tcg"]
        var env = ProcessInfo.processInfo.environment
        env["L4BENCH_BOOT_CMD"] = bootCmd
        env["EXAMPLE_TIME_LIMIT"] = "2"
        env["EXAMPLE_GRACE"] = "1"
        env["EXAMPLES_OUT"] = "\(dir)/out"
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        let t0 = Date()
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self), Date().timeIntervalSince(t0))
    }

    func allGone(_ pidFile: String) -> Bool {
        let pids = ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
        return !pids.isEmpty && pids.allSatisfy { kill($0, 0) == -1 && errno == ESRCH }
    }

    @Test func aHungBootIsEndedAndReportedFailed() throws {
        let tmp = try TemporaryDirectory("l4b-ex")
        defer { tmp.remove() }
        let dir = tmp.path
        let r = try runScript("trap '' TERM; echo $$ >> \(dir)/pids; echo booting; while :; do sleep 0.2; done", dir: dir)
        #expect(r.status == 1)
        #expect(r.output.components(separatedBy: "FAIL").count - 1 == 9)
        #expect(r.output.contains("time limit of 2 s"))
        #expect(r.seconds < 9 * (2 + 1 + 2) + 5, "took \(r.seconds) s")  // limit, grace, polling and reaping per boot
        #expect(allGone("\(dir)/pids"))
    }

    @Test func aPassingBootPasses() throws {
        let tmp = try TemporaryDirectory("l4b-ex")
        defer { tmp.remove() }
        let dir = tmp.path
        let passes = [
            "DEMO PASS", "BADMSG PASS", "SERVICES PASS", "NAMESPACE PASS", "FIRST-TASK PASS",
            "swift-notes-reader: read \"note\"", "ITAS PASS", "swift-itas-server: ready", "cpp-itas-server: ready", "DEMO-CONFIG DONE",
        ].map { "echo '\($0)'; " }.joined()
        let r = try runScript("trap '' TERM; echo $$ >> \(dir)/pids; \(passes)while :; do sleep 0.2; done", dir: dir)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.components(separatedBy: "ok    ").count - 1 == 9)
        #expect(allGone("\(dir)/pids"))
    }
}
