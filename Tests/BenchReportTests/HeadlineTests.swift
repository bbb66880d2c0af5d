import Testing
import BenchReport
import BenchResults
import BenchStats

/// A synthetic run: `rounds` rounds, each with its own level (host drift shared
/// by every block of the round, plus a per-block level), every pair drawing from
/// the same distribution unless `shift` moves one.
func syntheticRun(rounds: Int, samples: Int = 50, pairs: [String] = ["swift-swift", "swift-cpp", "cpp-swift", "cpp-cpp", "cpp-cpp.b"],
                  shift: [String: Double] = [:], blockNoise: Double = 0.01, roundDrift: Double = 0.08,
                  accel: String = "native", sampleNoise: Double = 0.05, seed: UInt64 = 1) -> ParseOutcome {
    var rng = SplitMix64(seed: seed)
    func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
    var lines = ["L4B1,begin,syn", "L4B1,meta,target,linux", "L4B1,meta,accel,\(accel)", "L4B1,meta,cpu,c", "L4B1,meta,tsc_hz,1000",
                 "L4B1,meta,commit,x", "L4B1,meta,date,2026-11-26T00:00:00Z", "L4B1,meta,toolchain,t", "L4B1,meta,samples,\(samples)",
                 "L4B1,meta,warmup,0", "L4B1,meta,overhead_cycles,1"]
    var n = 0
    for placement in ["same-core", "cross-core"] {
        for r in 0..<rounds {
            let level = 1 + roundDrift * (uniform() - 0.5) * 2
            for p in pairs {
                let parts = p.split(separator: "-", maxSplits: 1).map(String.init)
                let block = level * (1 + blockNoise * (uniform() - 0.5) * 2) * (1 + (shift[p] ?? 0))
                for i in 0..<samples {
                    let v = UInt64((10_000 * block * (1 + sampleNoise * uniform())).rounded())
                    lines.append("L4B1,s,futex,ipc.roundtrip,\(parts[0]),\(parts[1]),\(placement),words=0,\(r),\(i),\(v)")
                    n += 1
                }
            }
        }
    }
    lines.append("L4B1,end,syn,\(n)")
    return ResultsParser.parse(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: "syn.csv")
}

@Suite struct VerdictReportTests {
    @Test func driftWithoutADifferenceIsRarelyCalledOne() {
        // Each verdict is judged at 95%: about 5% of null comparisons claim a difference, never much more.
        var claims = 0, verdicts = 0
        for seed in UInt64(1)...30 {
            let o = syntheticRun(rounds: 10, seed: seed)
            #expect(o.fault == nil)
            let r = Report(outcome: o)
            #expect(r.verdictLines.count == 2)
            for c in r.comparisons where !c.isControl {
                verdicts += 1
                if c.verdict?.kind == .faster || c.verdict?.kind == .slower { claims += 1 }
            }
        }
        // 5% of 180, plus 3 binomial standard deviations.
        #expect(verdicts == 180)
        #expect(claims <= 9 + 9, "\(claims) of \(verdicts)")
    }

    @Test func aThreePercentShiftIsNamed() throws {
        let o = syntheticRun(rounds: 10, shift: ["swift-swift": 0.03], blockNoise: 0.004, seed: 5)
        let r = Report(outcome: o)
        let lines = r.verdictLines
        #expect(lines.count == 2)
        for l in lines {
            #expect(l.verdict.kind == .slower, "\(l.verdict.text)")
            #expect(l.verdict.text.hasPrefix("Swift slower by 2.") || l.verdict.text.hasPrefix("Swift slower by 3."))
        }
        let other = r.comparisons.filter { $0.key.pair == "swift-cpp" }
        #expect(other.allSatisfy { $0.verdict?.kind != .slower })
        // First in every format.
        let term = TextRenderer.terminal(r)
        #expect(term.contains("Verdict") && term.range(of: "Verdict")!.lowerBound < term.range(of: "All groups")!.lowerBound)
        let md = TextRenderer.markdown(r)
        #expect(md.range(of: "## Verdict")!.lowerBound < md.range(of: "## Run")!.lowerBound)
        let html = HTMLRenderer.render(r)
        #expect(html.range(of: "<h2>Verdict</h2>")!.lowerBound < html.range(of: "<h2>Run</h2>")!.lowerBound)
        #expect(html.contains("v-slower"))
    }

    @Test func oneRoundGivesNoVerdict() throws {
        let r = Report(outcome: syntheticRun(rounds: 1))
        #expect(r.verdictLines.allSatisfy { $0.verdict.text == "too few rounds for an interval (rounds=1)" })
    }

    @Test func icountRunsAreDeterministicAndCountInstructions() throws {
        let r = Report(outcome: syntheticRun(rounds: 3, blockNoise: 0, roundDrift: 0, accel: "icount", sampleNoise: 0, seed: 9))
        // Same values in every round: the ratios are exact, with no interval to print.
        #expect(r.unit == "instructions (icount)")
        #expect(TextRenderer.terminal(r).contains("values are instructions (icount)"))
        #expect(r.verdictLines.allSatisfy { $0.verdict.text == "parity (deterministic)" })
        #expect(r.ratioTable.rows.allSatisfy { $0[6] == "deterministic" })
    }

    @Test func withoutAControlTheRunSaysSo() {
        let r = Report(outcome: syntheticRun(rounds: 10, pairs: ["swift-swift", "cpp-cpp"], seed: 3))
        #expect(r.controlLines.isEmpty)
        #expect(TextRenderer.terminal(r).contains("no A/A control in this run"))
    }
}

@Suite struct RoundRatioTests {
    @Test func roundRatiosCancelDriftBetweenRounds() {
        var lines = ["L4B1,begin,d", "L4B1,meta,target,linux", "L4B1,meta,accel,native", "L4B1,meta,cpu,c", "L4B1,meta,tsc_hz,1000",
                     "L4B1,meta,commit,x", "L4B1,meta,date,2026-11-26", "L4B1,meta,toolchain,t", "L4B1,meta,samples,9",
                     "L4B1,meta,warmup,0", "L4B1,meta,overhead_cycles,1"]
        // The host is twice as slow in round 2 for both pairs: the pooled medians would
        // mix the rounds; each round's ratio is 1.010 and so is their geometric mean.
        let cpp = [[1000, 1000, 1000], [1000, 1000, 1000], [2000, 2000, 2000]]
        let swift = [[1010, 1010, 1010], [1010, 1010, 1010], [2020, 2020, 2020]]
        var n = 0
        for (r, vs) in cpp.enumerated() { for (i, v) in vs.enumerated() { lines.append("L4B1,s,f,ipc.roundtrip,cpp,cpp,same-core,words=0,\(r),\(i),\(v)"); n += 1 } }
        for (r, vs) in swift.enumerated() { for (i, v) in vs.enumerated() { lines.append("L4B1,s,f,ipc.roundtrip,swift,swift,same-core,words=0,\(r),\(i),\(v)"); n += 1 } }
        lines.append("L4B1,end,d,\(n)")
        let o = ResultsParser.parse(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: "d.csv")
        #expect(o.fault == nil)
        let c = Report(outcome: o).comparisons[0]
        #expect(c.roundRatios.map(\.ratio) == [1.01, 1.01, 1.01])
        #expect(c.interval?.deterministic == true)
        #expect(abs(c.ratio - 1.01) < 1e-12)
        #expect(c.verdict?.text == "Swift slower by 1.0% (deterministic)")
    }
}
