import BenchResults
import Foundation
import OwnedProcess
import TestSupport
import Testing
@testable import L4ReRunner

/// `L4ReSuiteRunner.run` end to end with a stand-in QEMU that plays the guest:
/// it reads the boot script it is given (the `-initrd` module l4bench.cfg),
/// prints what ned's `print` lines print and, for each block, its marker and
/// three samples. `die` makes one shard's guest stop after its first block;
/// under `-accel kvm` the stand-in fails as a KVM that cannot boot a guest does.
extension StandInQemu {
    @Suite(.serialized) struct SuiteRunnerTests {
        typealias KVM = StandInGuest.KVM

        static func standIn(_ dir: TemporaryDirectory, kvm: KVM = .works, dieInShard: Int? = nil) throws -> String {
            try StandInGuest.qemu(in: dir, kvm: kvm, dieInShard: dieInShard)
        }

        /// 2 pairs × 2 placements × 2 rounds = 8 blocks of ipc.roundtrip.
        static func runner(_ dir: TemporaryDirectory, accel: Accel = .icount, jobs: Int) throws -> L4ReSuiteRunner {
            var plan = L4RePlan.standard(full: false, samples: 3, warmup: 0, rounds: 2)
            try plan.select(benchmarks: ["ipc.roundtrip"], pairs: ["swift-cpp", "cpp-cpp"], placements: [])
            plan.phases = false  // plain blocks only
            var r = L4ReSuiteRunner(
                build: L4ReBuild(unchecked: dir.file("l4"), fiascoObj: dir.file("fiasco")), plan: plan, accel: accel,
                bootTimeLimitSeconds: 20, workRoot: dir.file("work"), storeRoot: dir.file("store"),
                commit: "abc123", toolchain: "test")
            r.jobs = jobs
            r.machine = "standin"
            r.graceSeconds = 1
            return r
        }

        func withStandIn<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
            setenv("L4BENCH_QEMU", path, 1)
            defer { unsetenv("L4BENCH_QEMU") }
            return try body()
        }

        @Test func aShardedRunIsOneRunWithEveryShardsBlocks() throws {
            let dir = try TemporaryDirectory("l4b-suite")
            defer { dir.remove() }
            let runner = try Self.runner(dir, jobs: 3)
            var seen: [L4ReProgress] = []
            let run = try withStandIn(try Self.standIn(dir)) { try runner.run { seen.append($0) } }
            #expect(run.shards == 3)
            #expect(run.stored)
            #expect(run.path.hasPrefix(dir.file("store") + "/standin/runs/"), "the run goes into the store given, not the checkout's")
            #expect(run.samples == 8 * 3)
            let parsed = ResultsParser.parse(path: run.path)
            #expect(parsed.fault == nil)
            #expect(parsed.run.id == run.runID)
            #expect(parsed.run[meta: "shards"] == "3")
            #expect(parsed.run[meta: "accel"] == "icount")
            #expect(parsed.run.notes.isEmpty)
            #expect(Set(parsed.run.groups.map { "\($0.key.pair) \($0.key.placement)" }).count == 4)
            #expect(seen.last?.blocksDone == 8 && seen.last?.label == "done")
            #expect(seen.contains { $0.label.hasPrefix("shard 3: round ") })
            for k in 1...3 { #expect(FileManager.default.fileExists(atPath: "\(run.workDir)/shard-\(k)/console.log")) }
            #expect(FileManager.default.fileExists(atPath: (run.path as NSString).deletingPathExtension + ".log.gz"))
        }

        @Test func aShardThatStopsEarlyLeavesItsUnfinishedBlocksNamed() throws {
            let dir = try TemporaryDirectory("l4b-suite")
            defer { dir.remove() }
            var runner = try Self.runner(dir, jobs: 3)
            runner.output = dir.file("run.csv")
            var notes: [String] = []
            let run = try withStandIn(try Self.standIn(dir, dieInShard: 2)) { try runner.run(log: { notes.append($0) }) }
            #expect(!run.stored && run.path == dir.file("run.csv"))
            // Shard 2 has blocks 1, 4 and 7 of the run's 8; it stopped as its second block started.
            #expect(run.samples == 6 * 3)
            let parsed = ResultsParser.parse(path: run.path)
            let fails = parsed.run.notes.filter { $0.kind == .fail }
            #expect(fails.count == 2)
            #expect(fails.allSatisfy { $0.reason.contains("QEMU exited with status 3") })
            #expect(notes.contains { $0.hasPrefix("shard 2: QEMU exited with status 3") })
        }

        @Test func kvmThatCannotBootFallsBackAndRecordsTheFallback() throws {
            let dir = try TemporaryDirectory("l4b-suite")
            defer { dir.remove() }
            let runner = try Self.runner(dir, accel: .kvm, jobs: 1)
            var notes: [String] = []
            let run = try withStandIn(try Self.standIn(dir, kvm: .exits)) { try runner.run(log: { notes.append($0) }) }
            #expect(run.accel == .icount)
            #expect(run.shards == 1)
            let parsed = ResultsParser.parse(path: run.path)
            #expect(parsed.run[meta: "accel"] == "icount")
            #expect(parsed.run.sampleCount == 8 * 3)
            #expect(notes.contains { $0.contains("QEMU could not run the guest under KVM (qemu-system-x86_64: failed to initialize kvm") })
            #expect(notes.contains { $0.contains("falling back to --accel icount") })
        }

        @Test func aSilentKVMIsStoppedAndFallsBack() throws {
            let dir = try TemporaryDirectory("l4b-suite")
            defer { dir.remove() }
            var runner = try Self.runner(dir, accel: .kvm, jobs: 1)
            runner.kvmSilenceSeconds = 1
            runner.kvmFallback = .tcg
            var notes: [String] = []
            let run = try withStandIn(try Self.standIn(dir, kvm: .silent)) { try runner.run(log: { notes.append($0) }) }
            #expect(run.accel == .tcg)
            #expect(ResultsParser.parse(path: run.path).run[meta: "accel"] == "tcg")
            #expect(notes.contains { $0.contains("boot script had not started after 1 s") })
        }

        @Test func withoutAFallbackKVMFailureIsAnError() throws {
            let dir = try TemporaryDirectory("l4b-suite")
            defer { dir.remove() }
            var runner = try Self.runner(dir, accel: .kvm, jobs: 1)
            runner.kvmFallback = nil
            #expect {
                try withStandIn(try Self.standIn(dir, kvm: .exits)) { _ = try runner.run() }
            } throws: { e in
                guard case .kvmUnusable(let why) = e as? L4ReRunError else { return false }
                return why.contains("--kvm-fallback none")
            }
            #expect(!FileManager.default.fileExists(atPath: dir.file("store")))
        }

        /// Rounds of each pair and placement in a run.
        static func rounds(_ run: Run) -> [String: [Int]] {
            var out: [String: [Int]] = [:]
            for g in run.groups { out["\(g.key.pair) \(g.key.placement)"] = g.rounds.map(\.round) }
            return out
        }

        @Test func bitIdenticalRoundsStopAfterTwoInOneBoot() throws {
            let dir = try TemporaryDirectory("l4b-suite")
            defer { dir.remove() }
            var runner = try Self.runner(dir, jobs: 2)
            runner.plan.rounds = 3
            var notes: [String] = []
            let run = try withStandIn(try StandInGuest.qemu(in: dir, varying: [])) { try runner.run(log: { notes.append($0) }) }
            #expect(run.boots == 1 && run.blocks == 8)
            let parsed = ResultsParser.parse(path: run.path).run
            #expect(Self.rounds(parsed).values.allSatisfy { $0 == [0, 1] })
            #expect(parsed[meta: "boots"] == "1")
            #expect(parsed[meta: "group_stop"] == "after 2 rounds 4 of 4 groups were bit-identical; no further rounds")
            #expect(parsed[meta: "round_end_s"]?.split(separator: ",").count == 2)
            #expect(notes.contains { $0.hasPrefix("ran 8 blocks in 1 boot (2 QEMU instances at once) in ") }, "\(notes)")
            let pids = try String(contentsOfFile: dir.file("qemu.pids"), encoding: .utf8).split(separator: "\n")
            #expect(pids.count == 2)
        }

        @Test func aGroupWhoseRoundsDifferGetsMoreRoundsInASecondBoot() throws {
            let dir = try TemporaryDirectory("l4b-suite")
            defer { dir.remove() }
            var runner = try Self.runner(dir, jobs: 2)
            runner.plan.rounds = 4
            var notes: [String] = []
            let run = try withStandIn(try StandInGuest.qemu(in: dir, varying: ["swift-cpp"])) { try runner.run(log: { notes.append($0) }) }
            // Boot 1: 8 blocks; boot 2: rounds 3 and 4 of swift-cpp and its reference cpp-cpp on both placements.
            #expect(run.boots == 2 && run.blocks == 8 + 2 * 4)
            let parsed = ResultsParser.parse(path: run.path).run
            #expect(parsed.sampleCount == 16 * 3)
            #expect(Self.rounds(parsed).values.allSatisfy { $0 == [0, 1, 2, 3] })
            #expect(parsed[meta: "boots"] == "2" && parsed[meta: "shards"] == "2")
            #expect(parsed[meta: "group_stop"]?.hasPrefix("after 2 rounds 2 of 4 groups were bit-identical") == true)
            let ends = parsed[meta: "round_end_s"]?.split(separator: ",").compactMap { Double($0) } ?? []
            #expect(ends.count == 4 && ends == ends.sorted())
            #expect(notes.contains { $0.contains("not settled: ipc.roundtrip swift-cpp same-core; ipc.roundtrip swift-cpp cross-core") }, "\(notes)")
            #expect(FileManager.default.fileExists(atPath: "\(run.workDir)/boot-2/shard-2/console.log"))
            // Only the blocks still needed: cpp-cpp stays bit-identical, swift-cpp does not.
            let pids = try String(contentsOfFile: dir.file("qemu.pids"), encoding: .utf8).split(separator: "\n")
            #expect(pids.count == 4)
        }

        @Test func underTCGEveryBlockRunsEveryRound() throws {
            let dir = try TemporaryDirectory("l4b-suite")
            defer { dir.remove() }
            var runner = try Self.runner(dir, accel: .tcg, jobs: 1)
            runner.plan.rounds = 3
            let run = try withStandIn(try StandInGuest.qemu(in: dir, varying: [])) { try runner.run() }
            let parsed = ResultsParser.parse(path: run.path).run
            #expect(Self.rounds(parsed).values.allSatisfy { $0 == [0, 1, 2] })
            #expect(parsed[meta: "boots"] == nil)
        }

        @Test func blockMarkersAreReadAfterAConsoleTag() {
            let m = BlockMarker(line: "ned     | \(NedScript.blockMarker)5/48 round 2 swift-cpp same-core")
            #expect(m == BlockMarker(done: 5, round: 2, label: "round 2 swift-cpp same-core"))
            #expect(BlockMarker(line: "L4B1,s,l4,...") == nil)
        }
    }
}

extension BlockMarker {
    init(done: Int, round: Int, label: String) {
        self.init(line: "\(NedScript.blockMarker)\(done)/0 round \(round) x")!
        self.label = label
    }
}
