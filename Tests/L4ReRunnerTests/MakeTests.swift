import Foundation
import OwnedProcess
import TestSupport
import Testing

@testable import L4ReRunner

extension StandInQemu {
    /// `make` runs as an owned child: its output and status come back, and a
    /// make that hangs (ignoring SIGTERM) is ended by its process group at the limit.
    @Suite(.serialized) struct MakeTests {
        func script(_ dir: TemporaryDirectory, _ body: String) throws -> String {
            let path = dir.file("make-standin")
            try "#!/bin/sh\necho $$ > \(dir.file("pid"))\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
            return path
        }

        @Test func statusAndOutputComeBack() throws {
            let dir = try TemporaryDirectory("l4b-make")
            defer { dir.remove() }
            let make = try script(dir, "echo \"building $1\"; echo oops >&2; exit 2")
            let (status, out) = try runMake(["pkg"], program: make, timeLimitSeconds: 30)
            #expect(status == 2)
            #expect(out == "building pkg\noops\n")
        }

        @Test func aHungMakeIsEndedAtTheTimeLimit() throws {
            let dir = try TemporaryDirectory("l4b-make")
            defer { dir.remove() }
            let make = try script(dir, "trap '' TERM\necho started\nwhile :; do sleep 0.2; done")
            let t0 = Date()
            #expect(throws: L4ReRunError.packageBuild("make exceeded its time limit of 1 s and was stopped")) {
                _ = try runMake([], program: make, timeLimitSeconds: 1)
            }
            #expect(Date().timeIntervalSince(t0) < 1 + 2 + 2)
            let pid = Int32(try String(contentsOfFile: dir.file("pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
            #expect(kill(pid, 0) == -1 && errno == ESRCH)
        }

        @Test func anInterruptEndsMake() throws {
            let dir = try TemporaryDirectory("l4b-make")
            defer { dir.remove() }
            let make = try script(dir, "while :; do sleep 0.2; done")
            Interruption.raiseForTests(SIGTERM)
            defer { Interruption.reset() }
            #expect(throws: L4ReRunError.interrupted(SIGTERM)) { _ = try runMake([], program: make, timeLimitSeconds: 30) }
        }
    }
}

/// A failed package build names its first errors, not only the tail of a parallel make.
@Suite struct PackageBuildFailureTests {
    @Test func theFirstErrorsComeFirst() {
        let out = ["cc a.c", "a.c:3:1: error: expected ';'", "make[1]: *** [a.o] Error 1"] + (1...30).map { "  ==> Installing p\($0)" }
        let text = L4ReBuild.failureSummary(out.map { Substring($0) })
        #expect(text.hasPrefix("a.c:3:1: error: expected ';'\nmake[1]: *** [a.o] Error 1\n...\n"))
        #expect(text.hasSuffix("  ==> Installing p30"))
        #expect(!text.contains("Installing p20\n"))
    }
}
