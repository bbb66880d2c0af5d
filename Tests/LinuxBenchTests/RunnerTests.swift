import BenchResults
import CBenchSys
import Foundation
import Testing
@testable import LinuxBench

extension ProcessTests {
    @Suite struct RunnerTests {
        @Test func fourPairsWriteResultsFormat() throws {
            var plan = SuitePlan.standard(full: false, samples: 12, warmup: 2, rounds: 2)
            try plan.select(benchmarks: ["ipc.roundtrip", "ipc.roundtrip.raw"], pairs: [], placements: ["same-core", "cross-node"])
            let runner = LinuxRunner(plan: plan, programs: try testPrograms(),
                                     topology: Topology(cpusByNode: [0: [0]]))  // one CPU, one node
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("l4bench-runner-\(getpid()).csv").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let host = HostInfo(cpuModel: "test cpu", tscHz: 1_000_000_000, tscSource: "test", machine: "testbox",
                                overheadCycles: 20, compiler: "cc")
            let meta = runner.metadata(host: host, extra: [("commit", "abc"), ("date", "2026-11-26T00:00:00Z"), ("toolchain", "t")])
            var seen: [RunProgress] = []
            let summary = try runner.run(runID: "test-run", metadata: meta, sink: try ResultsSink(path: path)) { seen.append($0) }
            #expect(summary.failures.isEmpty)

            let outcome = ResultsParser.parse(path: path)
            #expect(outcome.fault == nil, "\(String(describing: outcome.fault))")
            let run = outcome.run
            #expect(run[meta: "target"] == "linux")
            #expect(run[meta: "machine"] == "testbox")
            let pairs = Set(run.groups.map(\.key.pair))
            #expect(pairs == ["swift-swift", "swift-cpp", "cpp-swift", "cpp-cpp", "cpp-cpp.b", "c-c"])
            for g in run.groups {
                #expect(g.rounds.map(\.round) == [0, 1], "\(g.key) has both interleaved rounds")
                #expect(g.count == 24)
            }
            #expect(Set(run.groups.map(\.key.suite)) == ["futex", "seqpacket"])
            // Cross-node on one node is skipped with its reason, not failed.
            let skips = run.notes.filter { $0.kind == .skip }
            #expect(!skips.isEmpty && skips.allSatisfy { $0.key.placement == "cross-node" && $0.reason == "one NUMA node on this machine" })
            #expect(run.notes.allSatisfy { $0.kind == .skip })
            // Progress covers every job of every session, and the raw block, in every round:
            // five pairs (with the A/A control) × four jobs, and raw C, two rounds.
            #expect(seen.last?.blocksDone == (5 * 4 + 1) * 2)
            #expect(summary.rounds == 2)
            // Persistent sessions: each pair's processes were started once for the whole run.
            #expect(run[meta: "restarts"] == "0")
            #expect(run[meta: "round_end_s"]?.split(separator: ",").count == 2)
        }

        @Test func interruptedRunClosesItsFile() throws {
            var plan = SuitePlan.standard(full: false, samples: 10, warmup: 1, rounds: 3)
            try plan.select(benchmarks: ["ipc.roundtrip.raw"], pairs: [], placements: ["same-core"])
            let runner = LinuxRunner(plan: plan, programs: try testPrograms(), topology: Topology(cpusByNode: [0: [0]]))
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("l4bench-int-\(getpid()).csv").path
            defer { try? FileManager.default.removeItem(atPath: path); bench_reset_interrupt() }
            let host = HostInfo(cpuModel: "c", tscHz: 1_000_000_000, tscSource: "t", machine: "m", overheadCycles: 1, compiler: "cc")
            let meta = runner.metadata(host: host, extra: [("commit", "x"), ("date", "2026-11-26T00:00:00Z"), ("toolchain", "t")])
            // The interrupt (what the SIGINT handler records) arrives after the first block.
            let summary = try runner.run(runID: "int", metadata: meta, sink: try ResultsSink(path: path)) { p in
                if p.blocksDone == 1 { bench_request_interrupt(SIGINT) }
            }
            #expect(summary.interrupted)
            let o = ResultsParser.parse(path: path)
            #expect(o.fault == nil, "\(String(describing: o.fault))")
            #expect(o.run[meta: "incomplete"]?.contains("interrupted (signal 2)") == true)
            // The first block's samples, and whatever the second stored before it was stopped; no third block.
            #expect(o.run.sampleCount >= 10 && o.run.sampleCount <= 20)
            #expect(o.run.groups.allSatisfy { !$0.rounds.map(\.round).contains(2) })
        }

        @Test func selectionRejectsUnknownNames() {
            var plan = SuitePlan.standard(full: false)
            #expect(throws: LinuxBenchError.self) { try plan.select(benchmarks: ["ipc.nothing"], pairs: [], placements: []) }
            #expect(throws: LinuxBenchError.self) { try plan.select(benchmarks: [], pairs: ["rust-cpp"], placements: []) }
            #expect(throws: LinuxBenchError.self) { try plan.select(benchmarks: [], pairs: [], placements: ["far"]) }
        }

        @Test func placementsFollowTheTopology() {
            let one = Topology(cpusByNode: [0: [0]])
            #expect((try? one.placement(.crossCore).get()) == nil)
            let two = Topology(cpusByNode: [0: [0, 1], 1: [2, 3]])
            let cc = try! two.placement(.crossCore).get()
            #expect(cc.clientCPU != cc.serverCPU)
            let cn = try! two.placement(.crossNode).get()
            #expect(cn.clientCPU == 1 && cn.serverCPU == 3)
        }
    }
}
