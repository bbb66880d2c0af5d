import Foundation
import TestSupport
import Testing

/// `l4bench explain` as users run it: making a profile from the recorded
/// fixture trace, explaining a block, and the exit codes of what it refuses.
@Suite struct ExplainCLITests {
    static let fixtures = "\(CLITests.root)/Tests/Fixtures/profile"

    func make(_ dir: TemporaryDirectory, _ extra: [String] = [], elf: String = "\(fixtures)/tiny.elf") throws -> CLITests.Result {
        try CLITests.l4bench(["explain", "make-profile", "--trace", "\(Self.fixtures)/tiny.trace", "--log", "\(Self.fixtures)/tiny.console.log",
                              "--elf", "tiny=\(elf)", "--output", dir.file("tiny.l4bp")] + extra, in: dir)
    }

    @Test func makesAProfileAndExplainsABlock() throws {
        let dir = try TemporaryDirectory("l4b-explain")
        let m = try make(dir)
        #expect(m.status == 0, "\(m.err)")
        #expect(m.out.contains("2 group(s), 13 blocks, 12 TSC reads"))
        let e = try CLITests.l4bench(["explain", dir.file("tiny.l4bp"), "--block", "tiny.loop same-core"], in: dir)
        #expect(e.status == 0, "\(e.err)")
        #expect(e.out.contains("tiny.loop same-core swift-cpp against cpp-cpp: +180 instructions a window (29 -> 209"))
        #expect(e.out.contains("+180  tiny  work  (21 -> 201)"))
        // The profile is never written over.
        #expect(try make(dir).status == 3)
    }

    @Test func refusesWhatItCannotExplain() throws {
        let dir = try TemporaryDirectory("l4b-explain")
        #expect(try make(dir).status == 0)
        let block = try CLITests.l4bench(["explain", dir.file("tiny.l4bp"), "--block", "cap.map"], in: dir)
        #expect(block.status == 43 && block.err.contains("no block 'cap.map' in the profile"))
        let against = try CLITests.l4bench(["explain", dir.file("tiny.l4bp"), "--block", "tiny.loop", "--against", "swift-swift"], in: dir)
        #expect(against.status == 43)
        // A run with no profile beside it, and a cycle-counted run, say what is missing and how to get it.
        let runs = dir.file("Results/runs")
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
        try "L4BC1,begin,x\nL4BC1,meta,accel,icount\n".write(toFile: "\(runs)/a.l4bc", atomically: true, encoding: .utf8)
        try "L4BC1,begin,y\nL4BC1,meta,accel,tcg\n".write(toFile: "\(runs)/b.l4bc", atomically: true, encoding: .utf8)
        let none = try CLITests.l4bench(["explain", "\(runs)/a.l4bc", "--block", "cap.map"], in: dir)
        #expect(none.status == 40 && none.err.contains("has no profile") && none.err.contains("explain-record.sh"))
        let tcg = try CLITests.l4bench(["explain", "\(runs)/b.l4bc", "--block", "cap.map"], in: dir)
        #expect(tcg.status == 40 && tcg.err.contains("cycle-counted run (accel tcg)"))
        // ... and a run whose profile is stored beside it is explained from it.
        try FileManager.default.createDirectory(atPath: dir.file("Results/profiles"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir.file("tiny.l4bp"), toPath: dir.file("Results/profiles/a.l4bp"))
        #expect(try CLITests.l4bench(["explain", "\(runs)/a.l4bc", "--block", "tiny.loop"], in: dir).status == 0)
    }

    @Test func refusesAnotherBuildAndMalformedInput() throws {
        let dir = try TemporaryDirectory("l4b-explain")
        // tiny.elf with the loop of `work` changed: not the booted binary.
        var bytes = [UInt8](FileManager.default.contents(atPath: "\(Self.fixtures)/tiny.elf")!)
        let code = try #require(bytes.firstRange(of: [0xFF, 0xC9, 0x75, 0xFC]))  // dec %ecx; jnz
        bytes[code.lowerBound] = 0x90
        let other = dir.file("other.elf")
        FileManager.default.createFile(atPath: other, contents: Data(bytes))
        let r = try make(dir, elf: other)
        #expect(r.status == 41 && r.err.contains("tiny: the ELF file is not the booted binary"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("tiny.l4bp")))
        let bad = dir.file("bad.l4bp")
        try "L4BP1,begin\nL4BP1,g,x\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let m = try CLITests.l4bench(["explain", bad, "--block", "x"], in: dir)
        #expect(m.status == 42 && m.err.contains("bad.l4bp:2:"))
    }
}
