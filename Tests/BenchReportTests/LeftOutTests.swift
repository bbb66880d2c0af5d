import Testing
import BenchReport
import BenchResults
import BenchStats

/// Nothing is dropped silently: a round whose block failed, or that lacks its
/// reference, is left out of the ratio and named with the verdict it affects.
@Suite struct LeftOutTests {
    @Test func aFailedRoundIsLeftOutAndNamed() throws {
        var text = syntheticRunText(rounds: 6)
        // swift-swift's block failed in round 2 (its samples before the fault were fast).
        text.insert("L4B1,fail,futex,ipc.roundtrip,swift,swift,same-core,words=0,round 2: swift server was killed by signal 6", at: text.count - 1)
        let o = ResultsParser.parse(bytes: Array((text.joined(separator: "\n") + "\n").utf8), source: "t.csv")
        #expect(o.fault == nil, "\(String(describing: o.fault))")
        let r = Report(outcome: o)
        let c = try #require(r.comparisons.first { $0.key.pair == "swift-swift" && $0.key.placement == "same-core" })
        #expect(!c.roundRatios.map(\.round).contains(2))
        #expect(c.roundRatios.count == 5)
        #expect(c.leftOut.contains { $0.round == 2 && $0.why.contains("failed block") })
        let line = try #require(r.verdictLines.first { $0.placement == "same-core" })
        #expect(line.text.contains("left out: words=0 round 2: failed block"), "\(line.text)")
    }
}

/// The lines of a small run: 6 rounds, cpp-cpp, cpp-cpp.b and swift-swift, same-core.
func syntheticRunText(rounds: Int) -> [String] {
    var lines = ["L4B1,begin,t", "L4B1,meta,target,linux", "L4B1,meta,accel,native", "L4B1,meta,cpu,c", "L4B1,meta,tsc_hz,1000",
                 "L4B1,meta,commit,x", "L4B1,meta,date,2026-12-01T00:00:00Z", "L4B1,meta,toolchain,t", "L4B1,meta,samples,5",
                 "L4B1,meta,warmup,0", "L4B1,meta,overhead_cycles,1"]
    var n = 0
    for r in 0..<rounds {
        for (c, s) in [("cpp", "cpp"), ("cpp", "cpp.b"), ("swift", "swift")] {
            for i in 0..<5 {
                lines.append("L4B1,s,futex,ipc.roundtrip,\(c),\(s),same-core,words=0,\(r),\(i),\(1000 + (r * 7 + i * 3) % 11)")
                n += 1
            }
        }
    }
    lines.append("L4B1,end,t,\(n)")
    return lines
}
