import Foundation
import Testing
import BenchResults
@testable import LavaRunner

@Suite struct LavaRunAssemblyTests {
    static let meta: [(String, String)] = [("machine", "lava-qemu-icount"), ("accel", "icount"), ("icount_shift", "3"),
                                           ("date", "2026-12-01T02:46:26Z"), ("lava_jobs", "1 5")]

    static func parse(_ text: String) -> ParseOutcome { ResultsParser.parse(bytes: Array(text.utf8), source: "assembled") }

    /// Two complete boots: one run, the second boot's rounds after the first's, the metadata replaced.
    @Test func twoBootsAreRoundsOfOneRun() throws {
        let boots = [try LavaBootTests.boot(1), try LavaBootTests.boot(5, log: "recorded/job-5-logs-4.yaml", status: "recorded/job-5-status-4.json")]
        let out = LavaRunAssembly(runID: LavaBootTests.runID, rounds: 1, metadata: Self.meta).assemble(boots)
        #expect(out.faults.isEmpty && out.bootsWithResults == 2)
        #expect(out.runID == LavaBootTests.runID + "-lava1")
        let p = Self.parse(out.text)
        #expect(p.fault == nil)
        #expect(p.run.sampleCount == 40)
        #expect(p.run[meta: "machine"] == "lava-qemu-icount" && p.run[meta: "accel"] == "icount")
        #expect(p.run[meta: "lava_jobs"] == "1 5" && p.run[meta: "tsc_hz"] == "999978000")
        #expect(p.run[meta: "incomplete"] == nil)
        // The image said accel=hardware, machine=hardware: replaced, not contradicted.
        #expect(!out.text.contains("meta,machine,hardware") && !out.text.contains("meta,accel,hardware"))
        let rounds = Set(p.run.groups.flatMap { $0.rounds.map(\.round) })
        #expect(rounds == [0, 1])
    }

    /// A boot that timed out inside its second block: the first block is kept, the cut block is
    /// dropped and named by a fail record; the other boot is whole; the run says which job failed and why.
    @Test func aFailedBootKeepsItsCompleteBlocks() throws {
        let ok = try LavaBootTests.boot(1)
        let timedOut = try LavaBootTests.boot(8)
        #expect(timedOut.fault == .timedOut)
        let out = LavaRunAssembly(runID: LavaBootTests.runID, rounds: 1, metadata: Self.meta).assemble([ok, timedOut])
        let p = Self.parse(out.text)
        #expect(p.fault == nil)
        #expect(p.run.sampleCount == 20 + 10)
        let fails = p.run.notes.filter { $0.kind == .fail }
        #expect(fails.count == 1)
        #expect(fails.first?.key.param == "round=1" && fails.first?.key.client == "cpp" && fails.first?.reason.contains("LAVA job 8: timed out") == true)
        let incomplete = try #require(p.run[meta: "incomplete"])
        #expect(incomplete.contains("LAVA job 8 on qemu-01: timed out (monitor: lava test monitoring has timed out)"))
        // swift-cpp's block of boot 2 finished: round 1 is there; cpp-cpp's round 1 is not.
        let swift = try #require(p.run.groups.first { $0.key.client == "swift" })
        let cpp = try #require(p.run.groups.first { $0.key.client == "cpp" })
        #expect(Set(swift.rounds.map(\.round)) == [0, 1] && Set(cpp.rounds.map(\.round)) == [0])
    }

    @Test func aBootThatNeverBootedGivesNothingButIsNamed() throws {
        let out = LavaRunAssembly(runID: LavaBootTests.runID, rounds: 1, metadata: Self.meta)
            .assemble([try LavaBootTests.boot(2), try LavaBootTests.boot(1)])
        let p = Self.parse(out.text)
        #expect(p.fault == nil && p.run.sampleCount == 20 && out.bootsWithResults == 1)
        #expect(p.run[meta: "incomplete"]?.contains("LAVA job 2 on qemu-01: never booted (Infrastructure: Connection closed)") == true)
    }

    /// A board's console that forges another run's records in the middle of this one, with a
    /// control character and a huge line: the results parser stops there, keeps what came before, names the fault.
    @Test func forgedRecordsOfAnotherRun() throws {
        var b = try LavaBootTests.boot(1)
        var console = String(decoding: b.log.console, as: UTF8.self)
        let forged = "L4B1,begin,l4re-forged\nL4B1,s,l4,ipc.roundtrip,swift,cpp,same-core,words=0,0,99,1\nL4B1,end,l4re-forged,1\n"
            + "L4B1,s,l4,ipc.roundtrip,swift\u{07},cpp,same-core,words=0,0,98,1\n" + String(repeating: "x", count: 200_000) + "\n"
        let at = try #require(console.range(of: "L4BENCH-BLOCK 1/2"))
        console.insert(contentsOf: forged, at: at.lowerBound)
        b.log.console = Array(console.utf8)
        let out = LavaRunAssembly(runID: LavaBootTests.runID, rounds: 1, metadata: Self.meta).assemble([b])
        #expect(out.faults.count == 1 && out.faults[0].contains("job 1:"))
        let p = Self.parse(out.text)
        #expect(p.fault == nil)
        // The first block's 10 samples, nothing of the forged run.
        #expect(p.run.sampleCount == 10)
        #expect(!out.text.contains("begin,l4re-forged"))
        #expect(!out.text.contains(",99,1\n"))
    }

    @Test func renumbering() {
        #expect(LavaRunAssembly.renumberSample("L4B1,s,l4,b,c,s,p,w=0,2,7,100", offset: 3) == "L4B1,s,l4,b,c,s,p,w=0,5,7,100")
        #expect(LavaRunAssembly.renumberNote("L4B1,fail,l4,block,c,s,p,round=2,why, with comma", offset: 3) == "L4B1,fail,l4,block,c,s,p,round=5,why, with comma")
        #expect(LavaRunAssembly.renumberNote("L4B1,fail,l4,ipc,c,s,p,words=0,why", offset: 3) == "L4B1,fail,l4,ipc,c,s,p,words=0,why")
    }
}
