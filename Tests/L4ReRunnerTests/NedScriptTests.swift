import Foundation
import Testing
import BenchResults
@testable import L4ReRunner
import CL4BenchProto

@Suite struct NedScriptTests {
    func script(rounds: Int = 3) -> NedScript {
        var plan = L4RePlan.standard(full: false, samples: 50, rounds: rounds)
        plan.seed = 42
        plan.phases = true  // as --phases: the quick suite with the phase blocks
        return NedScript(plan: plan, runID: "l4re-test", metadata: [("accel", "icount"), ("toolchain", "swift \"6.3\"\nnext")])
    }

    @Test func everyRoundRunsEveryBlockOnce() {
        let s = script()
        let blocks = s.blocks()
        // Plain: four pairs, three clang pairs, the A/A control, raw C; phases: the eight pairs again.
        #expect(blocks.count == (4 + 3 + 1 + 1 + 8) * 2 * 3)
        for r in 0..<3 {
            let names = blocks.filter { $0.round == r }.map { "\($0.pair.name)/\($0.placement)/\($0.phases)" }
            #expect(Set(names).count == 34 && names.count == 34)
        }
        #expect(blocks.filter(\.phases).count == 8 * 2 * 3)
        #expect(!blocks.contains { $0.phases && $0.pair == .raw })
        // Interleaved: the order differs between rounds, and is the same for the same seed.
        let orders = (0..<3).map { r in blocks.filter { $0.round == r }.map { "\($0.pair.name)/\($0.placement)" } }
        #expect(Set(orders.map { $0.joined(separator: " ") }).count > 1)
        #expect(script().blocks().map(\.pair.name) == blocks.map(\.pair.name))
    }

    @Test func luaPrintsTheRunAndStartsEachBlock() {
        let lua = script().lua()
        #expect(lua.contains("print(\"L4B1,begin,l4re-test\");"))
        #expect(lua.contains("print(\"L4B1,end,l4re-test,*\");"))
        #expect(lua.contains(NedScript.doneMarker))
        // Values are escaped for Lua and kept on one line for the results format.
        #expect(lua.contains("print(\"L4B1,meta,toolchain,swift \\\"6.3\\\" next\");"))
        #expect(lua.components(separatedBy: "\nblock(").count - 1 == 102)
        // The A/A control runs the C++ server program; its client labels the samples cpp.b.
        #expect(lua.contains("\"rom/cpp-bench-server 1\""))
        #expect(lua.contains("\"rom/cpp-bench-client 1 same-core 0 cpp.b 50 20 rt,rpc,cap,str,ds"))
        #expect(lua.contains("\"rom/swift-bench-client 1 cross-core 0 cpp 50 20 rt,rpc,cap,str,ds 4096:50,65536:50,1048576:3 120\""))
        #expect(lua.contains("\"rom/c-bench-raw client 1 same-core 0 50 20 120\""))
        // The clang-built C++: its own programs, the label cpp.clang in the samples.
        #expect(lua.contains("\"rom/cppclang-bench-server 0\""))
        #expect(lua.contains("\"rom/cppclang-bench-client 1 cross-core 0 cpp.clang 50 20 rt,rpc,cap,str,ds"))
        #expect(lua.contains("\"rom/swift-bench-client 1 same-core 0 cpp.clang 50 20 rt,rpc,cap,str,ds"))
        // Phase blocks: the IPC benchmarks only, and the phase log for both peers.
        #expect(lua.contains(", true, \"rom/swift-bench-server 1\", \"rom/cpp-bench-client 1 same-core 0 swift 50 20 rt,rpc,cap,str - 120\");"))
        #expect(lua.contains("scaps.phaselog = log:m(\"rw\");") && lua.contains("ccaps.phaselog = log:m(\"rw\");"))
    }

    @Test func labelsNameTheirPrograms() {
        #expect(L4RePlan.Pair.program("cpp") == "cpp")
        #expect(L4RePlan.Pair.program("cpp.b") == "cpp")
        #expect(L4RePlan.Pair.program("cpp.clang") == "cppclang")
        #expect(L4RePlan.Pair.program("swift") == "swift")
        for p in L4RePlan.Pair.all {
            #expect(NedScript.programs.contains("\(p.clientProgram)-bench-client"))
            #expect(NedScript.programs.contains("\(p.serverProgram)-bench-server"))
        }
        // Pair names stay unambiguous with a dot in a label.
        #expect(Set(L4RePlan.Pair.all.map(\.name)).count == L4RePlan.Pair.all.count)
        #expect(L4RePlan.Pair.all.allSatisfy { !$0.client.contains("-") && !$0.server.contains("-") })
    }

    @Test func clientCommandFollowsTheProtocolHeader() {
        let c = NedScript.clientCommand(program: "swift", cpu: 1, placement: "same-core", round: 2, server: "cpp", samples: 5,
                                        warmup: 3, benchmarks: "rt", ds: "-", limit: 9).split(separator: " ")
        #expect(c.count == Int(L4B_CLIENT_ARGS.rawValue) + 1)
        #expect(c[Int(L4B_ARG_SERVER.rawValue)] == "cpp" && c[Int(L4B_ARG_LIMIT.rawValue)] == "9" && c[Int(L4B_ARG_ROUND.rawValue)] == "2")
        // The usage text names the arguments in the same order.
        #expect(String(L4B_CLIENT_USAGE).split(separator: " ").count == Int(L4B_CLIENT_ARGS.rawValue))
        #expect(String(L4B_CLIENT_USAGE).split(separator: " ")[Int(L4B_ARG_BENCHES.rawValue) - 1] == "BENCHES")
        #expect(L4B_RECORD_PREFIX == ResultsFormat.prefix)
    }

    /// The protocol's constants are spelled once (l4bench_proto.h): no benchmark
    /// program, header or the runner writes the raw label, the record prefix or
    /// a word list itself.
    @Test func peersSpellNoProtocolConstantThemselves() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dirs = ["Bench/l4re/pkg/l4swift/bench", "Bench/l4re/pkg/l4swift/bench/clang", "Bench/l4re/pkg/l4swift/include"]
        var checked = 0
        for d in dirs {
            let dir = root.appendingPathComponent(d)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path)
            where [".c", ".cc", ".h", ".swift"].contains(where: { name.hasSuffix($0) }) && name != "demo.h" {
                let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                for literal in ["0x5311", "\"L4B1,", "L4B1,s", "L4B1,meta", "{ 0, 8, 63 }", "[0, 8, 63]", "[0, 8, 61]", "\"phaselog\""] {
                    #expect(!text.contains(literal), "\(d)/\(name) spells \(literal): take it from l4bench_proto.h")
                }
                checked += 1
            }
        }
        #expect(checked >= 10)
        let ned = try String(contentsOf: root.appendingPathComponent("Sources/L4ReRunner/NedScript.swift"), encoding: .utf8)
        #expect(!ned.contains("\"L4B1,") && !ned.contains("phaselog"))
    }

    @Test func phaseArithmetic() {
        var o = [UInt64](repeating: 9, count: Int(L4B_PHASES))
        // t0 100, call 130, server receive 400, reply 700, return 1000, t1 1020
        l4b_phase_durations(&o, 100, 130, 400, 700, 1000, 1020)
        #expect(o == [30, 270, 300, 300, 20, 920])
        // The phases add up to the total.
        #expect(o[0..<5].reduce(0, +) == o[5])
        // A clock that went backwards between CPUs gives 0, never a wrapped count.
        l4b_phase_durations(&o, 100, 130, 120, 700, 1000, 1020)
        #expect(o[1] == 0 && o[2] == 580)
    }

    @Test func selectionNarrowsBlocks() throws {
        var plan = L4RePlan.standard(full: false, rounds: 2)
        try plan.select(benchmarks: ["ipc.roundtrip"], pairs: ["swift-cpp"], placements: ["same-core"])
        #expect(plan.blockPairs == [L4RePlan.Pair("swift", "cpp")])
        #expect(plan.clientBenchmarks == "rt")
        #expect(plan.blockCount == 2)  // the quick suite has no phase blocks
        plan.phases = true
        #expect(plan.blockCount == 4)  // a plain block and a phase block per round
        plan.phases = false
        #expect(plan.blockCount == 2)
        #expect(throws: L4ReRunError.self) { try plan.select(benchmarks: [], pairs: [], placements: ["cross-node"]) }
        #expect(throws: L4ReRunError.self) { try plan.select(benchmarks: ["ipc.nothing"], pairs: [], placements: []) }
    }

    @Test func injectedFaultHitsOnlyTheFirstBlockOfItsPair() {
        var s = script()
        s.fault = (L4RePlan.Pair("swift", "cpp"), "hang")
        let lua = s.lua()
        #expect(lua.components(separatedBy: "-bench-server 1 hang\"").count + lua.components(separatedBy: "-bench-server 0 hang\"").count - 2 == 1)
        #expect(lua.contains("\"rom/cpp-bench-server 1 hang\"") || lua.contains("\"rom/cpp-bench-server 0 hang\""))
    }

    @Test func modulesListHasEveryProgram() {
        let m = script().modulesList()
        #expect(m.contains("entry l4bench"))
        #expect(m.contains("roottask moe rom/l4bench.cfg"))
        for p in NedScript.programs { #expect(m.contains("module \(p)\n")) }
    }

    @Test func missingBuildDirectoriesAreNamed() {
        #expect(throws: L4ReRunError.self) { _ = try L4ReBuild(l4reObj: "/nonexistent/l4re", fiascoObj: "/tmp") }
        let tmp = FileManager.default.temporaryDirectory.path
        do {
            _ = try L4ReBuild(l4reObj: tmp, fiascoObj: tmp)
            Issue.record("a directory without an L4Re build must be refused")
        } catch {
            #expect(error.description.contains("is not an L4Re build directory"))
        }
    }
}

@Suite struct QemuBootTests {
    func boot(_ accel: Accel) -> QemuBoot {
        // The paths only shape the command line: no build directory needed.
        let build = L4ReBuild(unchecked: "/obj", fiascoObj: "/fiasco")
        return QemuBoot(build: build, workDir: "/work", accel: accel, icountShift: 4, timeLimitSeconds: 60)
    }

    @Test func icountMakesTheGuestClockCountInstructions() {
        let a = boot(.icount).arguments()
        #expect(a.contains("-icount") && a.contains("shift=4,sleep=off,align=off"))
        #expect(a.contains("tcg"))
        let k = boot(.kvm).arguments()
        #expect(k.contains("kvm") && k.contains("host") && !k.contains("-icount"))
    }

    @Test func modulesStartWithTheKernelAndTheScript() {
        let m = boot(.tcg).modules()
        #expect(m[0] == "/fiasco/fiasco -serial_esc")
        #expect(m[2] == "/obj/bin/amd64_gen/l4f/moe rom/l4bench.cfg")
        #expect(m.contains("/work/l4bench.cfg"))
        for p in NedScript.programs { #expect(m.contains("/obj/bin/amd64_gen/l4f/\(p)")) }
    }
}

@Suite struct ShardTests {
    @Test func shardsSplitTheBlocksWithoutOverlap() {
        var plan = L4RePlan.standard(full: false, samples: 20, rounds: 3)
        plan.seed = 7
        let all = NedScript(plan: plan, runID: "r", metadata: []).blocks()
        var union: [String] = []
        for k in 0..<3 {
            var s = NedScript(plan: plan, runID: "r", metadata: [])
            s.shard = k
            s.shards = 3
            let mine = s.blocks()
            #expect(abs(mine.count - all.count / 3) <= 1)
            union += mine.map { "\($0.round)/\($0.pair.name)/\($0.placement)" }
            #expect(s.lua().contains("meta,shard,\(k + 1)/3"))
        }
        #expect(union.sorted() == all.map { "\($0.round)/\($0.pair.name)/\($0.placement)" }.sorted())
    }

    @Test func mergedShardsAreOneRun() {
        let head = "L4B1,begin,r\nL4B1,meta,target,l4re\nL4B1,meta,accel,icount\nL4B1,meta,cpu,c\nL4B1,meta,tsc_hz,1000\nL4B1,meta,commit,x\nL4B1,meta,date,2026-11-27\nL4B1,meta,toolchain,t\nL4B1,meta,samples,1\nL4B1,meta,warmup,0\n"
        let a = head + "L4B1,meta,overhead_cycles,24\nL4B1,meta,shard,1/2\nL4B1,s,l4,ipc.rpc,swift,cpp,same-core,words=0,0,0,100\nL4B1,end,r,*\n"
        let b = head + "L4B1,meta,overhead_cycles,25\nL4B1,meta,shard,2/2\nL4B1,s,l4,ipc.rpc,cpp,cpp,same-core,words=0,0,0,90\n"
            + "L4B1,fail,l4,block,cpp,swift,same-core,round=0,client exited with code 1\nL4B1,meta,incomplete,no end line\nL4B1,end,r,*\n"
        let merged = ShardMerge.merge([a, b], runID: "r")
        let o = ResultsParser.parse(bytes: Array(merged.utf8), source: "merged")
        #expect(o.fault == nil, "\(String(describing: o.fault))")
        #expect(o.run.sampleCount == 2)
        #expect(o.run.notes.count == 1)
        #expect(o.run[meta: "shards"] == "2")
        #expect(o.run[meta: "shard_differences"]?.contains("overhead_cycles=25") == true)
        #expect(o.run[meta: "incomplete"] == "shard 2: no end line")
    }
}

@Suite struct UnfinishedBlockTests {
    @Test func aBootThatStopsFailsTheBlocksItDidNotFinish() {
        var plan = L4RePlan.standard(full: false, samples: 10, rounds: 2)
        plan.seed = 3
        let s = NedScript(plan: plan, runID: "r", metadata: [])
        let all = s.blocks()
        // Three blocks started; the third never finished.
        let log = (0..<3).map { "ned | \(NedScript.blockMarker)\($0)/\(all.count) round 0 x y same-core" }.joined(separator: "\n")
        let fails = s.unfinishedBlockRecords(log: log, why: "the boot hit its time limit of 5 s")
        #expect(fails.count == all.count - 2)
        let b = all[2]
        #expect(fails[0] == "L4B1,fail,l4,\(b.phases ? "block.phase" : "block"),\(b.pair.client),\(b.pair.server),\(b.placement),round=\(b.round),the boot hit its time limit of 5 s before this block finished")
        // A boot that printed its done marker failed nothing.
        #expect(s.unfinishedBlockRecords(log: log + "\n" + NedScript.doneMarker, why: "x").isEmpty)
        // The records are valid format v1 fail records.
        let text = "L4B1,begin,r\n" + fails.joined(separator: "\n") + "\nL4B1,end,r,*\n"
        let o = ResultsParser.parse(bytes: Array(text.utf8), source: "t")
        #expect(o.run.notes.count == fails.count && o.run.notes.allSatisfy { $0.kind == .fail })
    }
}
