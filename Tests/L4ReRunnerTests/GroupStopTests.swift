import BenchResults
import Testing
@testable import L4ReRunner

/// The per-group stop's decision after the first boot's 2 rounds, on runs built
/// in memory: which families of which blocks get more rounds, with their references.
@Suite struct GroupStopTests {
    /// The quick plan narrowed to `benchmarks`, without phase blocks unless asked.
    static func plan(_ benchmarks: [String], phases: Bool = false) throws -> L4RePlan {
        var p = L4RePlan.standard(full: false, samples: 5, rounds: 3)
        try p.select(benchmarks: benchmarks, pairs: [], placements: [])
        p.phases = phases
        return p
    }

    /// A run with every group of `plan` over rounds 0 and 1, each round's samples all equal
    /// to `value` (same in both rounds, unless `differs` names the group's pair, family and placement).
    static func run(_ plan: L4RePlan, differs: (String, String, String)? = nil, drop: String? = nil) -> Run {
        var groups: [SampleGroup] = []
        for u in plan.units {
            for fam in plan.families(of: u) {
                let benchmarks = u.phases ? ["\(fam).phase.call", "\(fam).phase.total"] : fam == "ds.share" ? ["ds.share", "ds.share.map"] : [fam]
                for b in benchmarks where "\(u.pair.name) \(u.placement)" != drop {
                    let key = GroupKey(suite: "l4", benchmark: b, client: u.pair.client, server: u.pair.server, placement: u.placement, param: "words=0")
                    let vary = differs.map { $0 == (u.pair.name, fam, u.placement) } ?? false
                    let rounds = (0..<2).map { r -> (round: Int, column: SampleColumn) in
                        let c = SampleColumn()
                        for i in 0..<5 { c.append(UInt64(1000 + (vary ? r * 7 : 0) + (i == 4 ? 50 : 0))) }
                        return (r, c)
                    }
                    groups.append(SampleGroup(key: key, rounds: rounds))
                }
            }
        }
        return Run(id: "r", metadata: [], groups: groups.sorted { $0.key < $1.key }, source: "test")
    }

    static func unit(_ pair: String, _ placement: String, phases: Bool = false) -> L4RePlan.BlockUnit {
        let parts = pair.split(separator: "-", maxSplits: 1).map(String.init)
        return L4RePlan.BlockUnit(pair: L4RePlan.Pair(parts[0], parts[1]), placement: placement, phases: phases)
    }

    @Test func identicalRoundsNeedNoMoreRounds() throws {
        let plan = try Self.plan(["ipc.roundtrip", "ipc.rpc", "ds.share", "ipc.roundtrip.raw"])
        let d = GroupStop.decide(plan: plan, run: Self.run(plan))
        #expect(d.families.isEmpty)
        #expect(d.unsettled.isEmpty)
        #expect(d.groups == d.settledGroups && d.groups > 0)
    }

    @Test func aGroupWhoseRoundsDifferGetsMoreRoundsWithItsReferences() throws {
        let plan = try Self.plan(["ipc.roundtrip", "ipc.rpc", "ds.share"])
        let d = GroupStop.decide(plan: plan, run: Self.run(plan, differs: ("swift-cpp", "ipc.rpc", "cross-core")))
        #expect(d.settledGroups == d.groups - 1)
        #expect(d.unsettled == ["ipc.rpc swift-cpp cross-core"])
        // swift-cpp's ipc.rpc, with cpp-cpp and the A/A control on the same placement: nothing else.
        #expect(d.families == [
            Self.unit("swift-cpp", "cross-core"): ["ipc.rpc"],
            Self.unit("cpp-cpp", "cross-core"): ["ipc.rpc"],
            Self.unit("cpp-cpp.b", "cross-core"): ["ipc.rpc"],
        ])
    }

    @Test func swiftSwiftTakesTheClangBaselineAlong() throws {
        let plan = try Self.plan(["ds.share"])
        let d = GroupStop.decide(plan: plan, run: Self.run(plan, differs: ("swift-swift", "ds.share", "same-core")))
        #expect(Set(d.families.keys) == Set(["swift-swift", "cpp-cpp", "cpp-cpp.b", "cpp.clang-cpp.clang"].map { Self.unit($0, "same-core") }))
        #expect(d.families.values.allSatisfy { $0 == ["ds.share"] })
    }

    @Test func rawCAndCppRoundtripGoTogether() throws {
        let plan = try Self.plan(["ipc.roundtrip", "ipc.roundtrip.raw"])
        let d = GroupStop.decide(plan: plan, run: Self.run(plan, differs: ("c-c", "ipc.roundtrip.raw", "same-core")))
        #expect(d.families == [
            Self.unit("c-c", "same-core"): ["ipc.roundtrip.raw"],
            Self.unit("cpp-cpp", "same-core"): ["ipc.roundtrip"],
        ])
        let viaCpp = GroupStop.decide(plan: plan, run: Self.run(plan, differs: ("cpp-cpp", "ipc.roundtrip", "cross-core")))
        #expect(viaCpp.families[Self.unit("c-c", "cross-core")] == ["ipc.roundtrip.raw"])
        #expect(viaCpp.families[Self.unit("c-c", "same-core")] == nil)
    }

    @Test func whenAReferenceVariesEveryPairGoesAlong() throws {
        let plan = try Self.plan(["cap.map", "ipc.str"])
        let d = GroupStop.decide(plan: plan, run: Self.run(plan, differs: ("cpp-cpp.b", "cap.map", "cross-core")))
        #expect(d.unsettled == ["cap.map cpp-cpp.b cross-core"])
        #expect(Set(d.families.keys) == Set(L4RePlan.Pair.all.map { L4RePlan.BlockUnit(pair: $0, placement: "cross-core", phases: false) }))
        #expect(d.families.values.allSatisfy { $0 == ["cap.map"] })
    }

    @Test func aMissingBlockIsNotSettled() throws {
        let plan = try Self.plan(["ipc.roundtrip"])
        let d = GroupStop.decide(plan: plan, run: Self.run(plan, drop: "cpp-swift same-core"))
        #expect(d.unsettled == ["ipc.roundtrip cpp-swift same-core"])
        #expect(d.families[Self.unit("cpp-swift", "same-core")] == ["ipc.roundtrip"])
        #expect(d.families[Self.unit("cpp-cpp", "same-core")] == ["ipc.roundtrip"])
        #expect(d.families[Self.unit("swift-swift", "same-core")] == nil)
    }

    /// One parameter of a family missing in both rounds (words=63 failing every time while
    /// words=0 repeats exactly), or a group lacking one of the boot's rounds: not settled.
    @Test func aMissingGroupInsideAFamilyIsNotSettled() throws {
        let plan = try Self.plan(["ipc.roundtrip"])
        var run = Self.run(plan)
        func column(_ v: UInt64) -> SampleColumn {
            let c = SampleColumn()
            for _ in 0..<5 { c.append(v) }
            return c
        }
        for u in plan.units where plan.families(of: u).contains("ipc.roundtrip") && "\(u.pair.name) \(u.placement)" != "swift-cpp cross-core" {
            let key = GroupKey(suite: "l4", benchmark: "ipc.roundtrip", client: u.pair.client, server: u.pair.server, placement: u.placement, param: "words=63")
            run.groups.append(SampleGroup(key: key, rounds: [(0, column(2000)), (1, column(2000))]))
        }
        run.groups.sort { $0.key < $1.key }
        var d = GroupStop.decide(plan: plan, run: run)
        #expect(d.unsettled == ["ipc.roundtrip swift-cpp cross-core"], "\(d.unsettled)")
        #expect(d.families[Self.unit("swift-cpp", "cross-core")] == ["ipc.roundtrip"])
        // A group with only one of the two rounds.
        var one = Self.run(plan)
        let i = try #require(one.groups.firstIndex { $0.key.pair == "cpp-swift" && $0.key.placement == "same-core" })
        one.groups[i].rounds.removeLast()
        d = GroupStop.decide(plan: plan, run: one)
        #expect(d.unsettled == ["ipc.roundtrip cpp-swift same-core"], "\(d.unsettled)")
    }

    @Test func phaseBlocksAreDecidedApartFromPlainOnes() throws {
        let plan = try Self.plan(["ipc.roundtrip", "ipc.rpc"], phases: true)
        let d = GroupStop.decide(plan: plan, run: Self.run(plan, differs: ("cpp-swift", "ipc.rpc", "same-core")))
        // The run's "differs" hits the plain and the phase groups of cpp-swift's ipc.rpc.
        #expect(d.unsettled.sorted() == ["ipc.rpc cpp-swift same-core", "ipc.rpc cpp-swift same-core phases"])
        #expect(d.families[Self.unit("cpp-swift", "same-core", phases: true)] == ["ipc.rpc"])
        #expect(d.families[Self.unit("cpp-cpp", "same-core", phases: true)] == ["ipc.rpc"])
        #expect(d.families[Self.unit("swift-swift", "same-core", phases: true)] == nil)
    }

    @Test func familiesOfBenchmarkNames() {
        #expect(L4RePlan.family(of: "ipc.rpc.phase.call") == "ipc.rpc")
        #expect(L4RePlan.family(of: "ds.share.map") == "ds.share")
        #expect(L4RePlan.family(of: "ipc.roundtrip.raw") == "ipc.roundtrip.raw")
        #expect(L4RePlan.family(of: "ipc.roundtrip") == "ipc.roundtrip")
        #expect(L4RePlan.family(of: "ipc.roundtripx") == nil)
    }
}

/// What the quick suite holds against `--full`.
@Suite struct QuickPlanTests {
    @Test func quickHasEveryPairButNoPhaseBlocks() {
        let q = L4RePlan.standard(full: false)
        #expect(q.pairs == L4RePlan.Pair.all)
        #expect(q.pairs.contains(L4RePlan.Pair("cpp.clang", "cpp.clang")), "the verdicts' clang comparisons need the clang pairs")
        #expect(q.pairs.contains(.control))
        #expect(q.blockPairs.contains(.raw))
        #expect(q.phasePairs.isEmpty && !q.phases)
        #expect(q.rounds == 3 && q.samples == L4RePlan.quickSamples && q.perGroupStop)
        #expect(q.blockCount == 9 * 2 * 3)
        #expect(q.dsSizes.map(\.bytes) == [4096, 65536, 1 << 20], "the 16 MiB dataspace is --full's")
        #expect(L4RePlan.standard(full: false, deterministic: false).samples == L4RePlan.quickSamplesTimed)
        #expect(L4RePlan.quickSamplesTimed > L4RePlan.quickSamples)
        let f = L4RePlan.standard(full: true)
        #expect(f.phases && f.phasePairs.count == 8)
        #expect(f.rounds == 10 && f.samples == 1000)
        #expect(f.blockCount == (9 + 8) * 2 * 10)
        #expect(f.dsSizes.map(\.bytes) == [4096, 65536, 1 << 20, 16 << 20])
    }

    @Test func aSelectionKeepsTheRunsOrderAndNarrowsTheFamilies() throws {
        var plan = L4RePlan.standard(full: false, samples: 5, rounds: 3)
        try plan.select(benchmarks: ["ipc.roundtrip", "ipc.rpc", "ds.share"], pairs: [], placements: [])
        let all = NedScript(plan: plan, runID: "r", metadata: []).blocks()
        var s = NedScript(plan: plan, runID: "r", metadata: [])
        let u = GroupStopTests.unit("swift-cpp", "cross-core")
        s.selection = .init(rounds: 2..<3, families: [u: ["ipc.rpc"], GroupStopTests.unit("cpp-cpp", "cross-core"): ["ipc.roundtrip", "ipc.rpc", "ds.share"]])
        let later = s.blocks()
        #expect(later.map(\.unit) == all.filter { $0.round == 2 && [u, GroupStopTests.unit("cpp-cpp", "cross-core")].contains($0.unit) }.map(\.unit))
        #expect(later.first { $0.unit == u }?.families == ["ipc.rpc"])
        #expect(later.first { $0.unit != u }?.families == nil, "a unit with every family runs as a plain block")
        let lua = s.lua()
        #expect(lua.contains("rom/swift-bench-client 1 cross-core 2 cpp 5 20 rpc - 120"), "\(lua)")
        #expect(lua.contains("rom/cpp-bench-client 1 cross-core 2 cpp 5 20 rt,rpc,ds 4096:5,65536:5,1048576:3 120"))
        var first = NedScript(plan: plan, runID: "r", metadata: [])
        first.selection = .init(rounds: 0..<2)
        #expect(first.blocks() == all.filter { $0.round < 2 })
    }
}
