import Foundation
import Testing
@testable import BenchProfile

@Suite struct BlockTraceTests {
    @Test func readsTheRecordedTrace() throws {
        let t = try BlockTrace.read(path: Fixture.trace)
        #expect(t.complete && t.dropped == 0 && t.vcpus == 1)
        #expect(t.blocks.count == 13)
        // Six windows: rdtsc, rdtscp, alternating.
        #expect(t.markers.count == 12)
        #expect(t.markers.map { Character(UnicodeScalar($0.kind)) } == Array(String(repeating: "be", count: 6)))
        #expect(t.segmentCount == 13)
        // Segment 2 is the first window: 2n + 9 = 29 instructions for n = 10.
        #expect(t.segment(1).reduce(0) { $0 + $1.instructions } == 29)
        #expect(t.segment(7).reduce(0) { $0 + $1.instructions } == 209)
    }

    @Test func gzipAndPlainReadAlike() throws {
        let gz = Fixture.temp("tiny.trace.gz")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c '\(Fixture.trace)' > '\(gz)'"]
        try p.run()
        p.waitUntilExit()
        let a = try BlockTrace.read(path: Fixture.trace), b = try BlockTrace.read(path: gz)
        #expect(a.blocks == b.blocks && a.markers == b.markers && a.counts == b.counts)
    }

    @Test func aTraceCutShortKeepsItsFullSegments() throws {
        let lines = try String(contentsOfFile: Fixture.trace, encoding: .utf8).split(separator: "\n")
        // QEMU killed in the third window: no end record, counts after the last marker cut.
        let lastMarker = lines.indices.filter { lines[$0].hasPrefix("E ") }[4]
        let cut = Fixture.write(lines[...(lastMarker + 3)].joined(separator: "\n") + "\n", "cut.trace")
        let t = try BlockTrace.read(path: cut)
        #expect(!t.complete)
        #expect(t.markers.count == 5)
        #expect(t.segmentCount == 6)
        #expect(t.segment(5).isEmpty)
    }

    @Test func faultsNameTheLine() throws {
        let cases: [(String, Int, String)] = [
            ("L4PT1 1 1\nC 0 0 3\n", 2, "count of block 0 before its definition"),
            ("L4PT1 1 1\nT 0 0x10 1 1 0x1 0x10\nT 0 0x20 1 1 0x2 0x20\n", 3, "block 0 defined twice"),
            ("L4PT1 1 1\nT 0 0x10 1 1 zz 0x10\n", 2, "a block record is T ID 0xVADDR INSNS BYTES 0xHASH 0xHADDR"),
            ("L4PT1 1 1\nT 0 0x10 1 1 0x1\n", 2, "a block record is T ID 0xVADDR INSNS BYTES 0xHASH 0xHADDR"),
            ("L4PT1 1 1\nE x 0 0\n", 2, "a marker record is E b|e VCPU ID"),
            ("L4PT1 1 1\nX 3 0 0\n", 2, "the end record counts 3 markers, the trace has 0"),
            ("L4PT1 1 1\nX 0 0 0\nC 0 0 1\n", 3, "a record after the end record"),
            ("L4PT1 1 1\nQ\n", 2, "unknown record kind 'Q'"),
            ("L4PT2 1 1\n", 1, "trace format L4PT2 is not L4PT1"),
            ("L4PT1 1 1\nC 0 0 99999999999999999999999\n", 2, "a count record is C ID VCPU INSNS"),
        ]
        for (text, line, why) in cases {
            let p = Fixture.write(text, "bad.trace")
            #expect(throws: ProfileError.malformed(file: p, line: line, why: why)) { try BlockTrace.read(path: p) }
        }
        let empty = Fixture.write("", "empty.trace")
        #expect((try? BlockTrace.read(path: empty)) == nil)
        #expect(ProfileError.malformed(file: "a", line: 1, why: "b").exitCode == 42)
    }

    @Test func aLineWithoutEndIsBounded() throws {
        let p = Fixture.write("L4PT1 1 1\n" + String(repeating: "C", count: LineSource.maxLine * 2), "long.trace")
        #expect(throws: ProfileError.malformed(file: p, line: 2, why: "a line longer than \(LineSource.maxLine) bytes")) { try BlockTrace.read(path: p) }
    }
}
