import Testing
import BenchReport
import BenchResults

/// The headline rows and the harness-against-raw comparison, from a run built by hand.
@Suite struct HeadlineTests {
    func run() -> ParseOutcome {
        var lines = ["L4B1,begin,h", "L4B1,meta,target,l4re", "L4B1,meta,accel,icount", "L4B1,meta,cpu,c", "L4B1,meta,tsc_hz,1000",
                     "L4B1,meta,commit,x", "L4B1,meta,date,2026-11-26", "L4B1,meta,toolchain,t", "L4B1,meta,samples,20",
                     "L4B1,meta,warmup,0", "L4B1,meta,overhead_cycles,1"]
        // cpp-cpp 1000, swift-swift 1030, raw 980 (medians), 20 samples each
        for i in 0..<20 {
            lines.append("L4B1,s,l4,ipc.roundtrip,cpp,cpp,same-core,words=0,0,\(i),\(990 + i)")
            lines.append("L4B1,s,l4,ipc.roundtrip,swift,swift,same-core,words=0,0,\(i),\(1020 + i)")
            lines.append("L4B1,s,l4,ipc.roundtrip.raw,c,c,same-core,words=0,0,\(i),\(970 + i)")
            lines.append("L4B1,s,l4,ipc.roundtrip,swift,swift,same-core,words=8,0,\(i),\(5000 + i)")
        }
        lines.append("L4B1,end,h,80")
        return ResultsParser.parse(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: "h.csv")
    }

    @Test func headlineHoldsTheEmptyRoundTripAndTheHarness() {
        let o = run()
        #expect(o.fault == nil)
        let r = Report(outcome: o)
        let rows = r.headlineTable.rows
        #expect(rows.count == 2)
        #expect(rows[0][1] == "ipc.roundtrip swift-swift / cpp-cpp" && rows[0][3] == "1.030")
        #expect(rows[1][1] == "ipc.roundtrip cpp-cpp / raw C" && rows[1][3] == "1.020")
        #expect(r.references.count == 1)
        #expect(TextRenderer.terminal(r).contains("Headline"))
        #expect(HTMLRenderer.render(r).contains("<h2>Headline</h2>"))
    }
}

@Suite struct RoundRatioTests {
    @Test func medianOfRoundRatiosCancelsDriftBetweenRounds() {
        var lines = ["L4B1,begin,d", "L4B1,meta,target,linux", "L4B1,meta,accel,native", "L4B1,meta,cpu,c", "L4B1,meta,tsc_hz,1000",
                     "L4B1,meta,commit,x", "L4B1,meta,date,2026-11-26", "L4B1,meta,toolchain,t", "L4B1,meta,samples,9",
                     "L4B1,meta,warmup,0", "L4B1,meta,overhead_cycles,1"]
        // The host is twice as slow in round 2 for the swift pair's block only: pooled
        // medians call Swift slower, the rounds where both ran alike say 1.010.
        let cpp = [[1000, 1000, 1000], [1000, 1000, 1000], [1000, 1000, 1000]]
        let swift = [[1010, 1010, 1010], [1010, 1010, 1010], [2020, 2020, 2020]]
        var n = 0
        for (r, vs) in cpp.enumerated() { for (i, v) in vs.enumerated() { lines.append("L4B1,s,f,ipc.roundtrip,cpp,cpp,same-core,words=0,\(r),\(i),\(v)"); n += 1 } }
        for (r, vs) in swift.enumerated() { for (i, v) in vs.enumerated() { lines.append("L4B1,s,f,ipc.roundtrip,swift,swift,same-core,words=0,\(r),\(i),\(v)"); n += 1 } }
        lines.append("L4B1,end,d,\(n)")
        let o = ResultsParser.parse(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: "d.csv")
        #expect(o.fault == nil)
        let c = Report(outcome: o).comparisons[0]
        #expect(c.roundRatios.map(\.ratio) == [1.01, 1.01, 2.02])
        #expect(c.roundMedianRatio == 1.01)
        #expect(Report(outcome: o).headlineTable.rows[0][5] == "1.010")
    }
}
