import BenchResults
import CBenchSys
import Foundation
import Testing
@testable import LinuxBench

extension ProcessTests {
    /// Sessions: a pair's processes alive across slices; a fault kills them by PID,
    /// fails that slice only, and the next slice starts fresh processes.
    @Suite struct SessionTests {
        @Test func slicesShareProcessesAndAFaultRestartsThem() throws {
            let session = try PeerSession(pair: Pair(.swift, .cpp), placement: samePlacement(), jobs: threeJobs, maxSlice: [10, 10, 10],
                                          programs: try testPrograms(), timeLimitSeconds: 20,
                                          fault: FaultInjection(kind: .serverCrash, job: 1))
            for _ in 0..<3 {
                let r = try session.run(job: 0, count: 10, warmup: 2)
                #expect(r.failure == nil && r.values.count == 10)
            }
            #expect(session.starts == 1)
            let bad = try session.run(job: 1, count: 10, warmup: 2)
            let reason = try #require(bad.failure)
            #expect(reason.contains("server was killed by signal 6"), "\(reason)")
            let after = try session.run(job: 2, count: 10, warmup: 2)
            #expect(after.failure == nil && after.values.count == 10)
            #expect(session.starts == 2 && session.failedStarts == 1)
            session.close()
            #expect(noChildrenLeft())
        }

        @Test func aFailedBlockIsWrittenAsAFailNoteOfItsRound() throws {
            var plan = SuitePlan.standard(full: false, samples: 8, warmup: 1, rounds: 2)
            try plan.select(benchmarks: ["ipc.roundtrip"], pairs: ["swift-swift", "cpp-cpp"], placements: ["same-core"])
            let runner = LinuxRunner(plan: plan, programs: try testPrograms(), topology: Topology(cpusByNode: [0: [0]]),
                                     fault: FaultInjection(kind: .serverCrash, job: 1))
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("l4bench-fail-\(getpid()).csv").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let host = HostInfo(cpuModel: "c", tscHz: 1_000_000_000, tscSource: "t", machine: "m", overheadCycles: 1, compiler: "cc")
            let meta = runner.metadata(host: host, extra: [("commit", "x"), ("date", "2026-12-01T00:00:00Z"), ("toolchain", "t")])
            let summary = try runner.run(runID: "fail", metadata: meta, sink: try ResultsSink(path: path))
            #expect(summary.failures.count == 4)  // two pairs, two rounds
            let run = ResultsParser.parse(path: path).run
            let fails = run.notes.filter { $0.kind == .fail }
            #expect(fails.count == 4)
            #expect(fails.allSatisfy { $0.key.param == "words=8" })
            #expect(Set(fails.map { String($0.reason.prefix(8)) }) == ["round 0:", "round 1:"])
            // The other jobs ran in every round.
            #expect(run.groups.filter { $0.key.param != "words=8" }.allSatisfy { $0.rounds.map(\.round) == [0, 1] })
            #expect(noChildrenLeft())
        }
    }
}
