import Foundation
import Testing
import BenchReport
import BenchResults
import BenchStats
import BenchStore

/// The compact reader on damaged and hostile runs: validated before use, the
/// checks of format v1, checksums, and the stored runs of `Results/` mutated.
@Suite struct CompactReaderSafetyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let documented: Set<Int32> = [3, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]

    /// A small valid run in compact form (with checksums), as lines.
    func goodLines() -> [String] {
        let o = syntheticRun(rounds: 3, samples: 6, pairs: ["swift-cpp", "cpp-cpp"], seed: 7)
        return CompactFormat.text(of: o.run).split(separator: "\n").map(String.init)
    }

    func read(_ lines: [String], resum: Bool = true) -> ParseOutcome {
        CompactFormat.parse((resum ? CRC32.rewritingChecksums(lines) : lines).joined(separator: "\n") + "\n", source: "t.l4bc")
    }

    @Test func aValidRunReadsWithItsChecksums() {
        let o = read(goodLines(), resum: false)
        #expect(o.fault == nil)
        #expect(o.checksummed)
        // What export --format csv writes, the v1 reader accepts with the same samples.
        let back = ResultsParser.parse(bytes: Array(ResultsWriter.text(of: o.run).utf8), source: "csv")
        #expect(back.fault == nil && back.run.sampleCount == o.run.sampleCount)
    }

    @Test func aBombIsRefusedBeforeAnythingIsAllocated() {
        // Under 1 KB declaring 2^40 equal values: the count is refused against the file's size.
        var lines = goodLines().filter { !$0.hasPrefix("L4BC1,g,") && !$0.hasPrefix("L4BC1,fail") }
        let n = 1 << 40
        lines.insert("L4BC1,g,l4,b,cpp,cpp,same-core,-,0,\(n),5 0*\(n - 1)", at: lines.count - 1)
        lines[lines.count - 1] = lines[lines.count - 1].replacingOccurrences(of: #",\d+,"#, with: ",\(n),", options: .regularExpression)
        let o = read(lines)
        #expect(o.fault?.exitCode == 20, "\(String(describing: o.fault))")
        #expect(o.run.sampleCount == 0)
        // The same count without an end line that declares it: still refused.
        let cut = read(Array(lines.dropLast()))
        #expect(cut.fault?.exitCode == 20)
        // A count past Int.max is not a number, not a trap.
        var good = goodLines()
        let g = good.firstIndex { $0.hasPrefix("L4BC1,g,") }!
        var f = good[g].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        f[9] = "99999999999999999999999"
        good[g] = f.joined(separator: ",")
        #expect(read(good).fault?.exitCode == 10)
    }

    @Test func groupCountsMustAddUpToTheEndLine() {
        var lines = goodLines()
        let g = lines.firstIndex { $0.hasPrefix("L4BC1,g,") }!
        var f = lines[g].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        f[9] = "1000"   // more than the end line declares for the whole run
        lines[g] = f.joined(separator: ",")
        let o = read(lines)
        #expect(o.fault?.exitCode == 10 && o.fault?.line == g + 1, "\(String(describing: o.fault))")
        #expect(o.fault?.offset != nil)
        #expect(o.fault!.description.contains("group "), "the fault names the group: \(o.fault!)")
    }

    @Test(arguments: [
        ("L4BC1,g,l4,b\u{1b}[31m,cpp,cpp,same-core,-,0,1,5", Int32(10)),      // ESC in a key
        ("L4BC1,g,l4,b\u{85},cpp,cpp,same-core,-,0,1,5", Int32(10)),          // C1 in a key
        ("L4BC1,g,l4,,cpp,cpp,same-core,-,0,1,5", Int32(10)),                  // an empty key field
        ("L4BC1,g,l4,b,cpp,cpp,same-core,-,4294967296,1,5", Int32(10)),        // a round past 2^32-1
        ("L4BC1,g,l4,b,cpp,cpp,same-core,-,0,2,5 18446744073709551615", Int32(11)),  // a value past 2^64-1
        ("L4BC1,g,l4,b,cpp,cpp,same-core,-,0,3,5 1*99999999999999999999", Int32(11)), // a repeat count past any count
        ("L4BC1,g,l4,b,cpp,cpp,same-core,-,0,2,5  1", Int32(11)),             // two spaces
        ("L4BC1,meta,accel,kvm", Int32(14)),                                   // contradicts accel
        ("L4BC1,meta,tsc_hz,fast", Int32(13)),                                 // not an integer
        ("L4BC1,meta,Bad Key,x", Int32(10)),
        ("L4BC1,fail,l4,b,cpp\u{7f},cpp,same-core,-,why", Int32(17)),        // DEL: binary, as in v1
        ("L4B2,s,x", Int32(18)),
        ("L4BC2,g,x", Int32(18)),
        ("L4BC1,what,x", Int32(10)),
    ])
    func theChecksOfFormatV1Apply(_ bad: String, _ code: Int32) {
        var lines = goodLines()
        let at = lines.firstIndex { $0.hasPrefix("L4BC1,sum,") }!
        // A group line goes into a group block of its own, anything else among the metadata.
        if bad.hasPrefix("L4BC1,g,") {
            lines.insert(contentsOf: [bad, "L4BC1,sum,00000000"], at: at + 1)
            let n = bad.split(separator: ",", omittingEmptySubsequences: false)[9]
            let e = lines.count - 1
            var f = lines[e].split(separator: ",").map(String.init)
            f[3] = String((Int(f[3]) ?? 0) + (Int(n) ?? 0))
            lines[e] = f.joined(separator: ",")
        } else {
            lines.insert(bad, at: at)
        }
        let o = read(lines)
        #expect(o.fault?.exitCode == code, "\(bad.debugDescription): \(String(describing: o.fault))")
        // Nothing the reader prints holds a raw control character.
        #expect(!(o.fault?.description ?? "").unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x85 })
    }

    @Test func crlfAndAByteOrderMarkRead() {
        let lines = goodLines()
        let crlf = "\u{feff}" + lines.joined(separator: "\r\n") + "\r\n"
        let o = CompactFormat.parse(crlf, source: "crlf.l4bc")
        #expect(o.fault == nil && o.checksummed, "\(String(describing: o.fault))")
    }

    @Test func checksumsFindAChangedByteAndAMovedBlock() {
        let lines = goodLines()
        // A value digit changed: the group's block fails, the groups before it are kept.
        var flipped = lines
        let g = lines.lastIndex { $0.hasPrefix("L4BC1,g,") }!
        flipped[g] = String(flipped[g].dropLast()) + (flipped[g].hasSuffix("1") ? "2" : "1")
        let a = read(flipped, resum: false)
        #expect(a.fault?.exitCode == 19)
        #expect(a.run.groups.count < read(lines, resum: false).run.groups.count && !a.run.groups.isEmpty)
        // A whole block removed (with its sum line): the run's checksum over the sum lines fails.
        let sums = lines.indices.filter { lines[$0].hasPrefix("L4BC1,sum,") }
        var dropped = lines
        dropped.removeSubrange((sums[1] + 1)...sums[2])
        let b = read(dropped, resum: false)
        #expect(b.fault?.exitCode == 19 || b.fault?.exitCode == 12, "\(String(describing: b.fault))")
        // Lines added after the last sum line.
        var added = lines
        added.insert("L4BC1,meta,extra,1", at: added.count - 1)
        #expect(read(added, resum: false).fault?.exitCode == 19)
        // A run stored before checksums still reads.
        let old = CompactFormat.parse(withoutChecksums(lines), source: "old.l4bc")
        #expect(old.fault == nil && !old.checksummed)
    }

    /// A stored run whose values were mutated to 2^64-1 and 0 reads, and its report does not
    /// trap on a ratio beyond Int's range (found by scripts/store-mutants.py).
    @Test func extremeValuesGiveAReportNotATrap() {
        var lines = ["L4BC1,begin,x", "L4BC1,meta,target,linux", "L4BC1,meta,accel,native", "L4BC1,meta,cpu,c", "L4BC1,meta,tsc_hz,1000",
                     "L4BC1,meta,commit,x", "L4BC1,meta,date,2026-11-26", "L4BC1,meta,toolchain,t", "L4BC1,meta,samples,3",
                     "L4BC1,meta,warmup,0", "L4BC1,meta,overhead_cycles,1", "L4BC1,sum,0"]
        var n = 0
        for r in 0..<4 {
            lines.append("L4BC1,g,futex,b,swift,cpp,same-core,-,\(r),3,0 1*2")
            lines.append("L4BC1,g,futex,b,cpp,cpp,same-core,-,\(r),3,18446744073709551613 1*2")
            n += 6
        }
        lines.append("L4BC1,sum,0")
        lines.append("L4BC1,end,x,\(n),0")
        let o = read(lines)
        #expect(o.fault == nil, "\(String(describing: o.fault))")
        let report = Report(outcome: o)
        #expect(!TextRenderer.terminal(report).isEmpty)
    }

    /// Every stored run of Results/ (a small one per store), as stored and with checksums, mutated
    /// at many places: never a trap, a documented code, samples within the limits.
    @Test func mutatedStoredRunsEndInADocumentedCode() throws {
        let fm = FileManager.default
        var runs: [String] = []
        for dir in ["Results/vm/runs", "Results/l4re/vm-qemu-icount/runs", "Results/l4re/vm-qemu-tcg/runs"] {
            let names = ((try? fm.contentsOfDirectory(atPath: "\(Self.root)/\(dir)")) ?? []).filter { $0.hasSuffix(".l4bc") }.sorted()
            if let n = names.first { runs.append("\(Self.root)/\(dir)/\(n)") }
        }
        #expect(!runs.isEmpty)
        var rng = SplitMix64(seed: 18)
        var codes: [Int32: Int] = [:]
        for path in runs {
            let stored = try Data(contentsOf: URL(fileURLWithPath: path))
            let original = ResultsParser.parse(path: path)
            #expect(original.fault == nil)
            let forms = [Array(stored), Array(CompactFormat.text(of: original.run).utf8)]
            for bytes in forms {
                for _ in 0..<60 {
                    var m = bytes
                    switch rng.next() % 4 {
                    case 0: let i = Int(rng.next() % UInt64(m.count)); m[i] ^= UInt8(1 << (rng.next() % 8))
                    case 1: m = Array(m.prefix(Int(rng.next() % UInt64(m.count))))
                    case 2:  // a digit run turned into a huge number
                        let i = Int(rng.next() % UInt64(m.count))
                        if m[i] >= 48 && m[i] <= 57 { m.insert(contentsOf: Array("99999999999999999999".utf8), at: i) }
                    default:  // a line doubled
                        let i = Int(rng.next() % UInt64(m.count))
                        if let s = m[..<i].lastIndex(of: 10), let e = m[i...].firstIndex(of: 10) { m.insert(contentsOf: m[(s + 1)...e], at: e + 1) }
                    }
                    let o = m.withUnsafeBufferPointer { CompactFormat.parse(bytes: $0, source: "m.l4bc") }
                    if let f = o.fault {
                        #expect(Self.documented.contains(f.exitCode), "\(f)")
                        codes[f.exitCode, default: 0] += 1
                    } else {
                        codes[0, default: 0] += 1
                    }
                    #expect(o.run.sampleCount <= CompactLimits.sampleBudget(fileBytes: m.count))
                }
            }
        }
        // Most mutants are caught (a flip inside a metadata value of an old run may be harmless).
        #expect((codes[19] ?? 0) > 0)
    }
}

@Suite struct ChecksumTests {
    @Test func crc32IsGzips() {
        #expect(CRC32.of("123456789") == 0xCBF4_3926)
        #expect(CRC32.of("") == 0)
        var c = CRC32()
        c.update("1234")
        c.update("56789")
        #expect(c.value == 0xCBF4_3926)
    }
}
