import Foundation
import Testing
import BenchReport
import BenchResults

/// The compact stored form keeps every number the statistics need.
@Suite struct CompactFormatTests {
    func summaries(_ o: ParseOutcome) -> [String] {
        GroupStatistics.of(o.run).map { "\($0.key) \($0.summary) \($0.rounds)" }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func compactGivesTheSameStatistics(_ seed: UInt64) throws {
        let original = syntheticRun(rounds: 6, samples: 40, seed: seed)
        let compact = CompactFormat.text(of: original.run)
        let back = CompactFormat.parse(compact, source: "c")
        #expect(back.fault == nil, "\(String(describing: back.fault))")
        #expect(back.run.sampleCount == original.run.sampleCount)
        #expect(summaries(back) == summaries(original))
        #expect(back.run.metadata.map(\.key) == original.run.metadata.map(\.key))
        // Reports agree to the byte, the source line aside.
        func md(_ o: ParseOutcome) -> String {
            TextRenderer.markdown(Report(outcome: o)).split(separator: "\n").filter { !$0.hasPrefix("| source |") }.joined(separator: "\n")
        }
        #expect(md(original) == md(back))
    }

    @Test func hugeAndRepeatedValuesSurvive() {
        var lines = ["L4B1,begin,h", "L4B1,meta,target,l4re", "L4B1,meta,accel,icount", "L4B1,meta,cpu,c", "L4B1,meta,tsc_hz,1",
                     "L4B1,meta,commit,x", "L4B1,meta,date,2026-11-27", "L4B1,meta,toolchain,t", "L4B1,meta,samples,1",
                     "L4B1,meta,warmup,0", "L4B1,meta,overhead_cycles,1"]
        let values: [UInt64] = [UInt64.max, 0, 5, 5, 5, 5, 7, UInt64.max - 1]
        for (i, v) in values.enumerated() { lines.append("L4B1,s,l4,b,cpp,cpp,same-core,-,0,\(i),\(v)") }
        lines.append("L4B1,fail,l4,b,swift,cpp,same-core,-,crashed")
        lines.append("L4B1,end,h,\(values.count)")
        let o = ResultsParser.parse(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: "h")
        let text = CompactFormat.text(of: o.run)
        #expect(text.contains("L4BC1,g,l4,b,cpp,cpp,same-core,-,0,8,0 5 0*3 2 18446744073709551607 1\n"))
        let back = CompactFormat.parse(text, source: "c")
        #expect(back.fault == nil)
        #expect(back.run.groups[0].values.sorted() == values.sorted())
        #expect(back.run.notes.count == 1)
    }

    @Test func corruptCompactFilesNameTheLine() {
        let o = syntheticRun(rounds: 2, samples: 5, seed: 4)
        let good = CompactFormat.text(of: o.run)
        var lines = good.split(separator: "\n").map(String.init)
        let g = lines.firstIndex { $0.hasPrefix("L4BC1,g,") }!
        // A value list cut short.
        var cut = lines
        cut[g] = String(cut[g].dropLast(4))
        let a = CompactFormat.parse(cut.joined(separator: "\n") + "\n", source: "cut.l4bc")
        // The group's block no longer matches its sum line: exit 19 there.
        let sumLine = lines[g...].firstIndex { $0.hasPrefix("L4BC1,sum,") }! + 1
        #expect(a.fault?.line == sumLine && a.fault?.exitCode == 19, "\(String(describing: a.fault))")
        // Without checksums (a run stored before them), the values themselves are found short.
        let a2 = CompactFormat.parse(withoutChecksums(cut), source: "cut.l4bc")
        #expect(a2.fault?.line == g && a2.fault?.exitCode == 11, "\(String(describing: a2.fault))")
        // A file cut before its end line.
        let b = CompactFormat.parse(lines.dropLast().joined(separator: "\n") + "\n", source: "t.l4bc")
        #expect(b.fault?.exitCode == 12)
        // A difference that overflows.
        lines[g] = lines[g].replacingOccurrences(of: ",5,", with: ",2,").split(separator: ",").dropLast().joined(separator: ",") + ",18446744073709551615 1"
        let c = CompactFormat.parse(lines.joined(separator: "\n") + "\n", source: "o.l4bc")
        #expect(c.fault != nil)
    }
}

/// A compact run as stored before checksums: no sum lines, an end line of three fields.
func withoutChecksums(_ lines: [String]) -> String {
    lines.filter { !$0.hasPrefix("L4BC1,sum,") }.map { line in
        guard line.hasPrefix("L4BC1,end,") else { return line }
        return line.split(separator: ",").prefix(4).joined(separator: ",")
    }.joined(separator: "\n") + "\n"
}
