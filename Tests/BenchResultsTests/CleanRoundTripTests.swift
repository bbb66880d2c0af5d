import Foundation
import Testing
@testable import BenchResults

/// What `ingest` writes (ResultsCleaner), `report` reads: every cleaned file,
/// lenient or not, reads back without a fault and with the same samples.
@Suite struct CleanRoundTripTests {
    struct Rng { var s: UInt64; mutating func next(_ n: Int) -> Int { s = s &* 6364136223846793005 &+ 1442695040888963407; return Int((s >> 33) % UInt64(n)) } }

    func header(_ id: String) -> [String] {
        ["L4B1,begin,\(id)", "L4B1,meta,target,linux", "L4B1,meta,accel,native", "L4B1,meta,cpu,c", "L4B1,meta,tsc_hz,1000",
         "L4B1,meta,commit,x", "L4B1,meta,date,2026-11-26", "L4B1,meta,toolchain,t", "L4B1,meta,samples,5",
         "L4B1,meta,warmup,0", "L4B1,meta,overhead_cycles,1"]
    }

    /// A run with random damage: bad rows, a cut, garbage, an earlier incomplete note, a `*` end.
    func damagedRun(seed: UInt64) -> (text: String, duplicates: Bool) {
        var r = Rng(s: seed)
        var lines = ["boot noise"] + header("r\(seed)")
        if r.next(3) == 0 { lines.append("L4B1,meta,incomplete,interrupted earlier") }
        var n = 0
        var dup = false
        for g in 0..<(1 + r.next(4)) {
            for round in 0..<(1 + r.next(3)) {
                for i in 0..<(1 + r.next(6)) {
                    switch r.next(12) {
                    case 0: lines.append("L4B1,s,f,b,swift,cpp,same-core,p\(g),\(round),\(i),12x")          // bad count
                    case 1: lines.append("L4B1,s,f,b,swift,cpp,same-core,p\(g),\(round)")                    // too few fields
                    case 2: lines.append("L4B1,s,f,b,swift,cpp,same-core,p\(g),\(round),\(i),-5")            // negative
                    case 3: lines.append("L4B1,s,f,b\u{1b}[2J,swift,cpp,same-core,p\(g),\(round),\(i),5")    // control char in key
                    case 4 where i > 0 && r.next(2) == 0:                                                      // the same sample twice
                        lines.append("L4B1,s,f,b,swift,cpp,same-core,p\(g),\(round),\(i - 1),77"); n += 1; dup = true
                    case 5 where i > 0:                                                                        // again, spelt with zeros
                        lines.append("L4B1,s,f,b,swift,cpp,same-core,p\(g),0\(round),00\(i - 1),78"); n += 1; dup = true
                    default:
                        lines.append("L4B1,s,f,b,swift,cpp,same-core,p\(g),\(round),\(i),\(100 + r.next(50))"); n += 1
                    }
                }
            }
        }
        switch r.next(4) {
        case 0: break                                                      // cut: no end line
        case 1: lines.append("L4B1,end,r\(seed),*")
        case 2: lines.append("L4B1,end,r\(seed),\(n + r.next(3))")           // a count that may be off
        default: lines.append("L4B1,end,r\(seed),\(n)")
        }
        var text = lines.joined(separator: r.next(2) == 0 ? "\n" : "\r\r\n") + "\n"
        if r.next(5) == 0 { text.removeLast() }                           // last line without newline
        return (text, dup)
    }

    @Test func everyCleanedFileReadsBackWithTheSameSamples() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("l4b-clean-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var cleaned = 0
        var sawDuplicates = 0
        for seed in UInt64(1)...150 {
            let src = dir.appendingPathComponent("in\(seed).log").path
            let (input, duplicates) = damagedRun(seed: seed)
            try input.write(toFile: src, atomically: true, encoding: .utf8)
            for lenient in [false, true] {
                let (outcome, text) = ResultsCleaner.clean(path: src, lenient: lenient)
                guard !outcome.run.id.isEmpty else { continue }
                if text.isEmpty {
                    #expect(!ResultsCleaner.missingMetadata(outcome.run).isEmpty)
                    continue
                }
                let out = dir.appendingPathComponent("out\(seed)-\(lenient).csv").path
                try text.write(toFile: out, atomically: true, encoding: .utf8)
                let back = ResultsParser.parse(path: out)
                #expect(back.fault == nil, "seed \(seed) lenient \(lenient): \(String(describing: back.fault))")
                #expect(back.run.groups.map(\.key) == outcome.run.groups.map(\.key))
                if duplicates && text.contains("duplicated sample(s) kept once") {
                    // Each duplicated sample is kept once.
                    #expect(back.run.sampleCount < outcome.run.sampleCount)
                    sawDuplicates += 1
                } else {
                    #expect(back.run.sampleCount == outcome.run.sampleCount)
                    #expect(back.run.groups.map { $0.values.sorted() } == outcome.run.groups.map { $0.values.sorted() })
                }
                // At most one incomplete note, and it says why when the input had a fault.
                #expect(text.components(separatedBy: "L4B1,meta,incomplete,").count <= 2)
                if outcome.fault != nil || outcome.skippedCount > 0 { #expect(back.run[meta: "incomplete"] != nil) }
                cleaned += 1
            }
        }
        #expect(cleaned > 200)
        #expect(sawDuplicates > 5)
    }
}
