import Foundation
import Testing
@testable import BenchProfile

@Suite struct ProfileBuilderTests {
    func build(console: String? = nil, tolerance: Double = 0.10) throws -> (Profile, ProfileBuilder) {
        let c = try ConsoleGroups.read(path: console ?? Fixture.console)
        var b = try ProfileBuilder(trace: try BlockTrace.read(path: Fixture.trace), images: [try ELFImage(path: Fixture.elf)], console: c)
        b.tolerance = tolerance
        return (try b.build(), b)
    }

    @Test func consoleGroupsInOrder() throws {
        let c = try ConsoleGroups.read(path: Fixture.console)
        #expect(c.groups.map(\.key.pair) == ["cpp-cpp", "swift-cpp"])
        #expect(c.groups.map(\.values) == [[232, 232], [1672, 1672]])
        #expect(c.meta["tsc_hz"] == "1000000000")  // behind a console prefix and colour escapes
        #expect(c.meta["begin"] == "tiny-profile-fixture")
    }

    @Test func consoleNamesTheBootedFiles() throws {
        let log = """
              Scanning /root/l4re/build-fiasco/fiasco -serial_esc
              Scanning /root/l4re/build-l4/bin/amd64_gen/l4f/sigma0\r
              Scanning /root/l4re/build-l4/bin/amd64_gen/l4f/moe rom/l4bench.cfg
            MOE: rom name space cap -> [C:104000]
              ROMFS: [711000-73c998] [C:108000] l4re\r
              ROMFS: [7da000-7db82c] [C:10c000] l4bench.cfg
              ROMFS: [7dc000-8089e8] [C:10e000] swift-bench-client

            """
        let c = try ConsoleGroups.read(path: Fixture.write(log, "boot.log"))
        #expect(c.modules == ["fiasco", "sigma0", "moe", "l4re", "l4bench.cfg", "swift-bench-client"])
    }

    @Test func windowsHoldTheHandCountedInstructions() throws {
        let (p, _) = try build()
        #expect(p.groups.count == 2)
        let (a, b) = (p.groups[0], p.groups[1])
        // 1 warm-up window, then the 2 samples; each 2n + 9 instructions.
        #expect(a.warmup == 1 && a.samples == 2 && b.warmup == 1 && b.samples == 2)
        #expect(a.medianInstructions == 29 && b.medianInstructions == 209)
        #expect(a.alignmentPPM == 0 && b.alignmentPPM == 0)
        #expect(a.measuredBy == "tiny.elf")
        func place(_ f: String) -> Attribution.Place { .init(program: "tiny.elf", function: f) }
        #expect(a.mean(place("work")) == 21 && a.mean(place("other")) == 4 && a.mean(place("window")) == 4)
        #expect(b.mean(place("work")) == 201 && b.mean(place("other")) == 4 && b.mean(place("window")) == 4)
        #expect(a.meanTotal == 29 && b.meanTotal == 209)
        // The loop of _start between windows is in no window.
        #expect(a.functions[place("_start")] == nil)
    }

    @Test func samplesThatMatchNoWindowAreLeftOut() throws {
        var text = try String(contentsOfFile: Fixture.console, encoding: .utf8)
        text = text.replacingOccurrences(of: ",1672", with: ",3344")  // twice the instructions: another program
        let (p, b) = try build(console: Fixture.write(text, "c.log"))
        #expect(p.groups.count == 1)
        #expect(b.unmatched.map(\.pair) == ["swift-cpp"])
    }

    @Test func aCycleCountedRunIsNotProfiled() throws {
        let text = try String(contentsOfFile: Fixture.console, encoding: .utf8).replacingOccurrences(of: "accel,icount", with: "accel,tcg")
        #expect(throws: ProfileError.missing("the console log is of a run with accel tcg: instruction profiles need an icount run (--accel icount)")) {
            try build(console: Fixture.write(text, "tcg.log"))
        }
        #expect(ProfileError.missing("").exitCode == 40)
    }

    @Test func aConsoleOfAnotherBootMatchesNothing() throws {
        let text = try String(contentsOfFile: Fixture.console, encoding: .utf8)
            .replacingOccurrences(of: ",232", with: ",9000").replacingOccurrences(of: ",1672", with: ",9000")
        #expect(throws: ProfileError.self) { try build(console: Fixture.write(text, "other.log")) }
    }

    @Test func severalShardsNeedTheShard() throws {
        let one = try String(contentsOfFile: Fixture.console, encoding: .utf8)
        let two = one.replacingOccurrences(of: ",232", with: ",111")
        let p = Fixture.write("==== shard 1/2 ====\n" + two + "==== shard 2/2 ====\n" + one, "shards.log")
        #expect(throws: ProfileError.self) { try ConsoleGroups.read(path: p) }
        #expect(try ConsoleGroups.read(path: p, shard: 2).groups.map(\.values) == [[232, 232], [1672, 1672]])
        #expect(try ConsoleGroups.read(path: p, shard: 1).groups.first?.values == [111, 111])
        #expect(throws: ProfileError.self) { try ConsoleGroups.read(path: p, shard: 3) }
    }
}

@Suite struct ProfileFormatTests {
    @Test func writesAndReadsBack() throws {
        var p = try ProfileBuilderTests().build().0
        // Names with the format's separators survive.
        p.groups[0].functions[.init(program: "a,b", function: "f%,\n")] = 7
        let path = Fixture.temp("p.l4bp")
        try p.write(to: path)
        let q = try Profile.read(path: path)
        #expect(q.groups.count == p.groups.count)
        for (x, y) in zip(p.groups, q.groups) {
            #expect(x.key == y.key && x.functions == y.functions && x.samples == y.samples && x.medianTicks == y.medianTicks)
        }
        #expect(q.programs == p.programs)
        #expect(q.metaValue("icount_shift") == "3")
        // A profile is never written over an existing file.
        #expect(throws: ProfileError.self) { try p.write(to: path) }
    }

    @Test func faultsNameTheLine() throws {
        let good = try ProfileBuilderTests().build().0.text()
        let lines = good.split(separator: "\n").map(String.init)
        let cases: [(String, Int, String)] = [
            (lines.dropLast().joined(separator: "\n") + "\n", lines.count - 1, "truncated: no end record"),
            ("L4BP1,begin\nL4BP1,f,a,b,1\n", 2, "a function record before any group"),
            ("L4BP1,begin\nL4BP1,g,x\n", 2, "g has BENCH,CLIENT,SERVER,PLACEMENT,PARAM,ROUND,SAMPLES>0,WARMUP,MEASURED_BY,MEDIAN_INSNS,MEDIAN_TICKS,ALIGN_PPM"),
            ("L4BP1,begin\nL4BP1,meta,a%zz,b\n", 2, "a bad %-escape"),
            ("L4BP1,begin\nL4BP1,end,2\n", 2, "end counts 2 groups, the profile has 0"),
            ("L4BP1,begin\nL4BP1,what\n", 2, "unknown record kind 'what'"),
            ("L4BP2,begin\n", 1, "profile format L4BP2 is not L4BP1"),
        ]
        for (text, line, why) in cases {
            let p = Fixture.write(text, "bad.l4bp")
            #expect(throws: ProfileError.malformed(file: p, line: line, why: why)) { try Profile.read(path: p) }
        }
    }
}

@Suite struct ProfileDiffTests {
    /// One block, two pairs: programs named by language, as on L4Re.
    func profile() -> Profile {
        var p = Profile()
        func g(_ client: String, _ server: String, _ f: [(String, String, UInt64)]) -> Profile.Group {
            Profile.Group(key: .init(bench: "cap.map", client: client, server: server, placement: "same-core", param: "-", round: 0),
                          samples: 10, warmup: 2, measuredBy: "\(client)-bench-client", medianInstructions: 0, medianTicks: 0,
                          alignmentPPM: 0, functions: Dictionary(uniqueKeysWithValues: f.map { (.init(program: $0.0, function: $0.1), $0.2) }))
        }
        p.groups = [
            g("cpp", "cpp", [("fiasco", "Thread::ipc", 10_000), ("cpp-bench-client", "main", 5_000), ("cpp-bench-server", "dispatch", 4_000)]),
            g("swift", "cpp", [("fiasco", "Thread::ipc", 9_940), ("swift-bench-client", "$s4main", 2_000), ("cpp-bench-server", "dispatch", 4_000)]),
        ]
        return p
    }

    @Test func differenceByRoleAndFunction() throws {
        let sides = try ProfileDiff.sides(profile(), block: "cap.map same-core")
        let block = try #require(sides.keys.first)
        let d = ProfileDiff(block: block, side: sides[block]!["swift-cpp"]!, base: sides[block]!["cpp-cpp"]!)
        #expect(d.base.total == 1_900 && d.side.total == 1_594)
        let roles = d.roles()
        #expect(roles.map(\.role) == ["bench-client", "fiasco", "bench-server"])
        #expect(roles[0].base == 500 && roles[0].side == 200 && roles[0].sidePrograms == ["swift-bench-client"])
        let text = d.text(top: 5)
        #expect(text.hasPrefix("cap.map same-core swift-cpp against cpp-cpp: \u{2212}306 instructions a window (1900 -> 1594; 10 and 10 windows)"))
        #expect(text.contains("swift-bench-client for cpp-bench-client \u{2212}300, fiasco \u{2212}6"))
        #expect(!text.contains("bench-server"))  // unchanged roles and functions are not listed
    }

    @Test func roundsAreMergedAndBlocksFiltered() throws {
        var p = profile()
        var again = p.groups[0]
        again.key.round = 1
        again.functions = [.init(program: "fiasco", function: "Thread::ipc"): 20_000]
        p.groups.append(again)
        let sides = try ProfileDiff.sides(p, block: "cap.map")
        let base = try #require(sides.values.first?["cpp-cpp"])
        #expect(base.samples == 20)
        #expect(base.mean(.init(program: "fiasco", function: "Thread::ipc")) == 1_500)
        #expect(throws: ProfileError.self) { try ProfileDiff.sides(p, block: "cap.map cross-core") }
        #expect(throws: ProfileError.self) { try ProfileDiff.sides(p, block: "ds.share") }
        #expect(ProfileError.noSuchBlock("").exitCode == 43)
    }
}
