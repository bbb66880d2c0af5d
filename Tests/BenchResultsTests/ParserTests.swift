import Foundation
import Testing
@testable import BenchResults

/// A valid run's text with `samples` rows per group for two groups.
func runText(id: String = "r1", extraMeta: [String] = [], rows: [String]? = nil, end: Bool = true) -> String {
    var lines = ["L4B1,begin,\(id)"]
    let meta = ["target,linux", "accel,native", "cpu,Test CPU", "tsc_hz,2600000000", "commit,abc123",
                "date,2026-11-25T06:00:00Z", "toolchain,swift 6.3.1", "samples,3", "warmup,10",
                "overhead_cycles,20", "machine,testbox"] + extraMeta
    lines += meta.map { "L4B1,meta,\($0)" }
    let body = rows ?? [
        "L4B1,s,futex,ipc.roundtrip,swift,swift,same-core,words=0,0,0,100",
        "L4B1,s,futex,ipc.roundtrip,swift,swift,same-core,words=0,0,1,110",
        "L4B1,s,futex,ipc.roundtrip,cpp,cpp,same-core,words=0,0,0,90",
        "L4B1,s,futex,ipc.roundtrip,swift,swift,same-core,words=0,1,0,120",
        "L4B1,s,futex,ipc.roundtrip,cpp,cpp,same-core,words=0,1,0,95",
    ]
    lines += body
    if end { lines.append("L4B1,end,\(id),\(body.filter { $0.contains(",s,") }.count)") }
    return lines.joined(separator: "\n") + "\n"
}

func parse(_ text: String, lenient: Bool = false) -> ParseOutcome {
    ResultsParser.parse(bytes: Array(text.utf8), source: "t.csv", options: ParseOptions(lenient: lenient))
}

@Suite struct ParserTests {
    @Test func parsesAValidRun() throws {
        let o = parse(runText())
        #expect(o.fault == nil)
        #expect(o.run.id == "r1")
        #expect(o.run.sampleCount == 5)
        #expect(o.run.groups.count == 2)
        let swift = try #require(o.run.groups.first { $0.key.client == "swift" })
        #expect(swift.rounds.map(\.round) == [0, 1])
        #expect(swift.values.sorted() == [100, 110, 120])
        #expect(o.run[meta: "tsc_hz"] == "2600000000")
        #expect(o.run.tscHz == 2.6e9)
    }

    @Test func extractsResultsFromANoisyConsoleLog() {
        var log = "Fiasco boot...\n\u{1b}[32mMOE: hello\u{1b}[0m\r\n"
        for l in runText().split(separator: "\n") { log += "bench     | \(l)\r\nnoise line\n" }
        let o = parse("\u{0}\u{FF}\u{1}uart init\n" + log)
        #expect(o.fault == nil)
        #expect(o.run.sampleCount == 5)
        #expect(o.noiseLines > 5)
        #expect(o.garbageLines == 1)  // before the run: tolerated, counted
    }

    @Test func wideValuesAreKept() {
        let rows = ["L4B1,s,a,b,swift,cpp,same-core,-,0,0,5000000000", "L4B1,s,a,b,swift,cpp,same-core,-,0,1,7"]
        let o = parse(runText(rows: rows))
        #expect(o.fault == nil)
        #expect(o.run.groups[0].values.sorted() == [7, 5_000_000_000])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String, text: String, code: Int32, line: Int, kept: Int
        var testDescription: String { name }
    }

    static let faults: [Case] = [
        Case(name: "malformed row", text: runText(rows: ["L4B1,s,futex,ipc.roundtrip,swift,swift,same-core,words=0,0,0,100",
                                                         "L4B1,s,futex,ipc.roundtrip,swift,same-core,0,1,100"]),
             code: 10, line: 14, kept: 1),
        Case(name: "non-numeric cycles", text: runText(rows: ["L4B1,s,f,b,swift,cpp,same-core,-,0,0,100", "L4B1,s,f,b,swift,cpp,same-core,-,0,1,12x4"]),
             code: 11, line: 14, kept: 1),
        Case(name: "negative cycles", text: runText(rows: ["L4B1,s,f,b,swift,cpp,same-core,-,0,0,100", "L4B1,s,f,b,swift,cpp,same-core,-,0,1,-5"]),
             code: 11, line: 14, kept: 1),
        Case(name: "truncated last line", text: String(runText(end: false).dropLast(3)), code: 12, line: 17, kept: 4),
        Case(name: "no end line", text: runText(end: false), code: 12, line: 17, kept: 5),
        Case(name: "missing metadata", text: runText().replacingOccurrences(of: "L4B1,meta,tsc_hz,2600000000\n", with: ""),
             code: 13, line: 0, kept: 5),
        Case(name: "invalid metadata", text: runText(extraMeta: ["samples,many"]).replacingOccurrences(of: "L4B1,meta,samples,3\n", with: ""),
             code: 13, line: 12, kept: 0),
        Case(name: "contradicting metadata", text: runText(extraMeta: ["tsc_hz,1000"]), code: 14, line: 13, kept: 0),
        Case(name: "empty file", text: "", code: 15, line: 0, kept: 0),
        Case(name: "only console noise", text: "booting\nhello\n", code: 15, line: 0, kept: 0),
        Case(name: "two runs mixed", text: runText() + runText(id: "r2"), code: 16, line: 19, kept: 5),
        Case(name: "run begins inside another", text: runText(end: false) + runText(id: "r2"), code: 16, line: 18, kept: 5),
        Case(name: "binary garbage", text: runText(rows: ["L4B1,s,f,b,swift,cpp,same-core,-,0,0,100", "L4B1,s,f,b\u{0}\u{7}x,swift,cpp,same-core,-,0,1,5"]),
             code: 17, line: 14, kept: 1),
        Case(name: "binary garbage line inside the run",
             text: runText(rows: ["L4B1,s,f,b,swift,cpp,same-core,-,0,0,100", "\u{FF}\u{0}\u{3}\u{1}", "L4B1,s,f,b,swift,cpp,same-core,-,0,1,5"]),
             code: 17, line: 14, kept: 1),
        Case(name: "unsupported version", text: runText().replacingOccurrences(of: "L4B1,begin", with: "L4B2,begin"), code: 18, line: 1, kept: 0),
    ]

    @Test(arguments: faults)
    func faultsNameFileLineAndExitCode(_ c: Case) throws {
        let o = parse(c.text)
        let f = try #require(o.fault, "expected a fault")
        #expect(f.exitCode == c.code, "\(f)")
        #expect(f.line == c.line, "\(f)")
        #expect(o.run.sampleCount == c.kept, "\(f)")
        #expect(f.description.hasPrefix(c.line > 0 ? "t.csv:\(c.line): " : "t.csv: "))
    }

    @Test func lenientSkipsBadRowsAndCountsThem() {
        let rows = ["L4B1,s,f,b,swift,cpp,same-core,-,0,0,100", "L4B1,s,f,b,swift,cpp,same-core,-,0,1,abc",
                    "L4B1,s,f,b,swift,cpp,same-core,-,0,2,-1", "L4B1,s,f,b,swift,cpp,same-core,-,0,3,104",
                    "L4B1,s,f,b,swift,cpp,same-core,0,4,104"]
        let o = parse(runText(rows: rows), lenient: true)
        #expect(o.fault == nil)
        #expect(o.skippedCount == 3)
        #expect(o.run.sampleCount == 2)
        let strict = parse(runText(rows: rows))
        #expect(strict.run.sampleCount == 1)
        #expect(strict.fault?.exitCode == 11)
    }

    @Test func parallelParseMatchesSequential() throws {
        var rows: [String] = []
        for i in 0..<20_000 { rows.append("L4B1,s,futex,ipc.roundtrip,\(i % 3 == 0 ? "cpp" : "swift"),cpp,same-core,words=0,\(i / 5000),\(i),\(1000 + (i * 7919) % 500)") }
        let text = runText(rows: rows)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("par-\(UUID()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let seq = ResultsParser.parse(path: path, options: ParseOptions(threads: 1))
        let par = ResultsParser.parse(path: path, options: ParseOptions(threads: 2, parallelThreshold: 1024))
        #expect(seq.fault == nil && par.fault == nil)
        #expect(par.run.sampleCount == 20_000)
        #expect(seq.run.groups.map(\.key) == par.run.groups.map(\.key))
        for (a, b) in zip(seq.run.groups, par.run.groups) {
            #expect(a.values.sorted() == b.values.sorted())
            #expect(a.rounds.map(\.round) == b.rounds.map(\.round))
        }
        // A fault in the second half is found at its exact line by the fallback.
        var bad = rows
        bad[15_000] = "L4B1,s,futex,ipc.roundtrip,swift,cpp,same-core,words=0,3,15000,oops"
        try runText(rows: bad).write(toFile: path, atomically: true, encoding: .utf8)
        let f = ResultsParser.parse(path: path, options: ParseOptions(threads: 2, parallelThreshold: 1024))
        #expect(f.fault?.line == 12 + 15_001)
        #expect(f.run.sampleCount == 15_000)
    }

    @Test func writerOutputParsesBack() {
        let o = parse(runText())
        let again = parse(ResultsWriter.text(of: o.run))
        #expect(again.fault == nil)
        #expect(again.run.sampleCount == o.run.sampleCount)
        #expect(again.run.groups.map { $0.values.sorted() } == o.run.groups.map { $0.values.sorted() })
        #expect(again.run.metadata.map(\.key) == o.run.metadata.map(\.key))
    }

    @Test func failAndSkipRecordsBecomeNotes() {
        let rows = ["L4B1,s,f,b,swift,cpp,same-core,-,0,0,100",
                    "L4B1,fail,f,b,cpp,swift,cross-core,-,server killed after 10 s time limit",
                    "L4B1,skip,f,b,cpp,cpp,cross-node,-,one NUMA node"]
        let o = parse(runText(rows: rows))
        #expect(o.fault == nil)
        #expect(o.run.notes.map(\.kind) == [.fail, .skip])
        #expect(o.run.notes[0].reason == "server killed after 10 s time limit")
    }
}
