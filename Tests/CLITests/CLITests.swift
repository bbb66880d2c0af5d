import Foundation
import TestSupport
import Testing

/// The built `l4bench` as users and CI run it: what `report`, `compare` and
/// `ingest` print and which exit code each documented case ends with. The
/// catalogue itself is checked against `--help` and the README's table.
@Suite struct CLITests {
    /// The executable SwiftPM built beside the test bundle.
    static let tool: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest/Contents/MacOS") {
            dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        return dir.appendingPathComponent("l4bench").path
    }()
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let sample = "\(root)/Tests/Fixtures/sample-run.csv"
    static let hostile = "\(root)/Tests/Fixtures/hostile"

    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs l4bench in `dir` with its output in files (no pipe to fill up), at most 120 s.
    static func l4bench(_ args: [String], in dir: TemporaryDirectory, stdin: String? = nil, env: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let outPath = dir.file(".stdout"), errPath = dir.file(".stderr")
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        if let stdin {
            let inPath = dir.file(".stdin")
            try stdin.write(toFile: inPath, atomically: true, encoding: .utf8)
            p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, out: try String(contentsOfFile: outPath, encoding: .utf8),
            err: try String(contentsOfFile: errPath, encoding: .utf8))
    }

    /// The hostile fixtures whose name starts with their exit code, 10 to 18.
    static var faultFixtures: [(code: Int32, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: hostile)) ?? []
        return names.sorted().compactMap { n in
            guard n.hasSuffix(".csv"), let c = Int32(n.prefix(2)), c >= 10 else { return nil }
            return (c, "\(hostile)/\(n)")
        }
    }

    /// The sample run with its sample lines changed (nil: dropped) and its end line recounted.
    static func variant(
        _ dir: TemporaryDirectory, _ name: String, meta: [String: String] = [:], id: String = "synthetic-1",
        extra: [String] = [], sample: (String) -> String? = { $0 }
    ) throws -> String {
        var out: [String] = []
        var n = 0
        for line in try String(contentsOfFile: Self.sample, encoding: .utf8).split(separator: "\n").map(String.init) {
            if line.hasPrefix("L4B1,s,") {
                guard let l = sample(line) else { continue }
                out.append(l)
                n += 1
            } else if line.hasPrefix("L4B1,begin,") {
                out.append("L4B1,begin,\(id)")
            } else if line.hasPrefix("L4B1,end,") {
                out += extra
                out.append("L4B1,end,\(id),\(n)")
            } else if line.hasPrefix("L4B1,meta,"), let key = line.split(separator: ",")[2...].first, let v = meta[String(key)] {
                out.append("L4B1,meta,\(key),\(v)")
            } else {
                out.append(line)
            }
        }
        let path = dir.file(name)
        try (out.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Multiplies swift-swift's cycle counts by `factor`.
    static func slowerSwift(_ line: String, _ factor: Double) -> String {
        guard line.contains(",swift,swift,") else { return line }
        var f = line.split(separator: ",").map(String.init)
        f[f.count - 1] = String(Int(Double(f[f.count - 1])! * factor))
        return f.joined(separator: ",")
    }

    // MARK: the catalogue

    /// `(code, meaning)` rows of the exit-code list `l4bench --help` prints.
    static func helpCatalogue(_ help: String) -> [(Int32, String)] {
        guard let start = help.range(of: "Exit codes:\n") else { return [] }
        return help[start.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("  ") && $0.contains("\t") }.map {
            let parts = $0.split(separator: "\t", maxSplits: 1)
            return (Int32(parts[0].trimmingCharacters(in: .whitespaces)) ?? -1, String(parts[1]))
        }
    }

    @Test func helpAndReadmeListTheSameExitCodes() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let help = try Self.l4bench(["--help"], in: dir)
        #expect(help.status == 0)
        let listed = Self.helpCatalogue(help.out)
        #expect(
            listed.map(\.0) == [
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 40, 41, 42, 43, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 64, 130,
            ])
        let readme = try String(contentsOfFile: "\(Self.root)/README.md", encoding: .utf8)
        let section = readme.components(separatedBy: "## Exit codes\n").dropFirst().first ?? ""
        let rows: [(Int32, String)] = section.split(separator: "\n").prefix { !$0.hasPrefix("## ") }.compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, let code = Int32(cells[0]) else { return nil }
            return (code, cells[1])
        }
        #expect(rows.map(\.0) == listed.map(\.0), "the README's table and --help list different codes")
        for (r, l) in zip(rows, listed) { #expect(r.1 == l.1, "code \(r.0): README says '\(r.1)', --help '\(l.1)'") }
    }

    // MARK: report

    @Test func reportOfAGoodRunExitsZero() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let r = try Self.l4bench(["report", Self.sample, "--html", dir.file("r.html")], in: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("ipc.roundtrip"))
        #expect(FileManager.default.fileExists(atPath: dir.file("r.html")))
    }

    @Test func reportExitsWithEachFaultsCode() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        #expect(Set(Self.faultFixtures.map(\.code)) == Set(10...18))
        for (code, path) in Self.faultFixtures {
            let r = try Self.l4bench(["report", path, "--no-html"], in: dir)
            #expect(r.status == code, "\(path): \(r.err)")
            #expect(r.err.contains(URL(fileURLWithPath: path).lastPathComponent), "the message names the file: \(r.err)")
        }
    }

    @Test func reportOfAMissingFileExits3AndABadOption64() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let missing = try Self.l4bench(["report", dir.file("nope.csv")], in: dir)
        #expect(missing.status == 3)
        #expect(missing.err.contains("nope.csv"))
        let bad = try Self.l4bench(["report", Self.sample, "--threads", "many"], in: dir)
        #expect(bad.status == 64)
        #expect(bad.err.contains("--threads"))
    }

    // MARK: compare, the gate

    @Test func compareOfARunWithItselfPasses() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let r = try Self.l4bench(["compare", Self.sample, Self.sample], in: dir)
        #expect(r.status == 0, "\(r.out)\(r.err)")
    }

    @Test func compareFailsOnASwiftRegressionWith2() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let slower = try Self.variant(dir, "slower.csv") { Self.slowerSwift($0, 1.3) }
        let r = try Self.l4bench(["compare", slower, Self.sample], in: dir)
        #expect(r.status == 2, "\(r.out)\(r.err)")
        #expect(r.out.contains("swift-swift"))
        // A shift under the threshold is no regression.
        let barely = try Self.variant(dir, "barely.csv") { Self.slowerSwift($0, 1.001) }
        #expect(try Self.l4bench(["compare", barely, Self.sample], in: dir).status == 0)
    }

    @Test func compareWithSeveralRunsPerSideEstimatesTheSpreadBetweenRuns() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        // Each replicate is another run: another file with its own run id.
        func v(_ name: String, _ f: Double) throws -> String { try Self.variant(dir, name, id: name) { Self.slowerSwift($0, f) } }
        let base = [Self.sample, try v("b2.csv", 1.01), try v("b3.csv", 0.99)]
        // One run per side: the stated assumption, said so.
        let one = try Self.l4bench(["compare", Self.sample, Self.sample], in: dir)
        #expect(one.out.contains("between runs: the stated assumption ±0.5%"), "\(one.out)")
        // Three runs of the same binaries per side: estimated, and no regression.
        let same = try Self.l4bench(
            [
                "compare", try v("n1.csv", 1.005), base[0], "--new", try v("n2.csv", 0.995), "--new", try v("n3.csv", 1.0),
                "--base", base[1], "--base", base[2],
            ], in: dir)
        #expect(same.status == 0, "\(same.out)\(same.err)")
        #expect(same.out.contains("between runs: estimated from 3 baseline and 3 current runs"), "\(same.out)")
        #expect(same.out.contains("t with 4 degrees of freedom") && !same.out.contains("stated assumption"))
        // Swift 30% slower in all three new runs: a regression, found with the runs' degrees of freedom.
        let slower = try Self.l4bench(
            [
                "compare", try v("s1.csv", 1.3), base[0], "--new", try v("s2.csv", 1.31), "--new", try v("s3.csv", 1.29),
                "--base", base[1], "--base", base[2],
            ], in: dir)
        #expect(slower.status == 2, "\(slower.out)\(slower.err)")
        #expect(slower.out.contains("REGRESSION") && slower.out.contains("random effects over runs (3 vs 3 runs, t with 4 df)"))
        // A replicate must count the same units; --new needs a baseline; a broken replicate fails with its fault's code.
        let icount = try Self.variant(dir, "icount.csv", meta: ["accel": "icount"], id: "icount")
        #expect(try Self.l4bench(["compare", Self.sample, Self.sample, "--new", icount], in: dir).status == 6)
        let alone = try Self.l4bench(["compare", Self.sample, "--new", Self.sample], in: dir)
        #expect(alone.status == 64 && alone.err.contains("--new needs a baseline"))
        for (code, path) in Self.faultFixtures.prefix(2) {
            #expect(try Self.l4bench(["compare", Self.sample, Self.sample, "--base", path], in: dir).status == code, "\(path)")
        }
    }

    @Test func compareRefusesARunGivenTwiceAsAReplicateWith64() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let other = try Self.variant(dir, "other.csv", id: "other") { Self.slowerSwift($0, 1.001) }
        // The baseline again as --base, the run again as --new, the same file under another name (a link).
        let link = dir.file("link.csv")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Self.sample)
        for args in [["--base", Self.sample], ["--new", other], ["--base", link], ["--new", Self.sample]] {
            let r = try Self.l4bench(["compare", other, Self.sample] + args, in: dir)
            #expect(r.status == 64, "\(args): \(r.out)\(r.err)")
            #expect(r.err.contains("is the same file as") && r.err.contains("give each run once"), "\(r.err)")
        }
        // A copy or an export of a run has its run id: the same run, refused too.
        let copy = try Self.variant(dir, "copy.csv")
        let r = try Self.l4bench(["compare", other, Self.sample, "--base", copy], in: dir)
        #expect(r.status == 64, "\(r.out)\(r.err)")
        #expect(r.err.contains("is run synthetic-1, the same run as the baseline"), "\(r.err)")
        // Two --new of one file.
        let n2 = try Self.variant(dir, "n2.csv", id: "n2")
        let twice = try Self.l4bench(["compare", other, Self.sample, "--new", n2, "--new", n2], in: dir)
        #expect(twice.status == 64 && twice.err.contains("the same file as --new"), "\(twice.err)")
    }

    @Test func compareRefusesAReplicateOfOtherBinariesOrMachineWith6() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let run = try Self.variant(dir, "run.csv", id: "run")
        for (key, value) in [("machine", "otherbox"), ("commit", "8d8fc1c"), ("toolchain", "swift 6.2; g++ 12.2.0"), ("compiler.swift", "Swift 6.2")] {
            let extra = key.hasPrefix("compiler.") ? ["L4B1,meta,\(key),\(value)"] : []
            let rep = try Self.variant(dir, "\(key).csv", meta: extra.isEmpty ? [key: value] : [:], id: "rep-\(key)")
            let path = extra.isEmpty ? rep : try Self.withMeta(dir, rep, extra)
            let r = try Self.l4bench(["compare", run, Self.sample, "--new", path], in: dir)
            #expect(r.status == 6, "\(key): \(r.out)\(r.err)")
            #expect(r.err.contains("\(key) is '\(value)' there but"), "\(r.err)")
            let b = try Self.l4bench(["compare", run, Self.sample, "--base", path], in: dir)
            #expect(b.status == 6, "\(key) as --base: \(b.err)")
        }
        // A replicate of another benchmark set adds nothing: named, and not counted.
        let capOnly = try Self.variant(dir, "cap.csv", id: "cap") {
            $0.contains(",cap.transfer,") ? $0.replacingOccurrences(of: ",cap.transfer,", with: ",cap.other,") : nil
        }
        let r = try Self.l4bench(["compare", run, Self.sample, "--new", capOnly], in: dir)
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("NOT USED --new \(capOnly): gives values to none of the compared groups"), "\(r.out)")
        #expect(r.out.contains("between runs: the stated assumption") && !r.out.contains("estimated from"), "\(r.out)")
    }

    /// `path` with `lines` added after its first metadata line.
    static func withMeta(_ dir: TemporaryDirectory, _ path: String, _ lines: [String]) throws -> String {
        var all = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        all.insert(contentsOf: lines, at: 2)
        try (all.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func compareLeavesOutAFailedBlockAndNamesIt() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        // swift-swift's cap.transfer block of round 1 crashed after 3 samples a third of the usual time.
        let key = ",cap.transfer,swift,swift,same-core,-,1,"
        let failed = try Self.variant(
            dir, "failed.csv", id: "failed",
            extra: ["L4B1,fail,scm,cap.transfer,swift,swift,same-core,-,round 1: peer crashed (SIGSEGV)"]
        ) { line in
            guard line.contains(key) else { return line }
            let f = line.split(separator: ",").map(String.init)
            guard let i = Int(f[f.count - 2]), i < 3 else { return nil }
            return (f.dropLast() + ["7000"]).joined(separator: ",")
        }
        let r = try Self.l4bench(["compare", failed, Self.sample, "--all"], in: dir)
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("left out of the comparison: "), "\(r.out)")
        #expect(r.out.contains("run \(failed): scm/cap.transfer/swift-swift/same-core/- round 1: failed block: peer crashed (SIGSEGV)"), "\(r.out)")
        // The crashed round's fast samples do not count: swift-swift is judged over the other 3 rounds.
        let rows = r.out.split(separator: "\n").filter { $0.hasPrefix("scm/cap.transfer/swift-swift/same-core/-") }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains("(4 vs 3)") && !$0.contains("improvement") }, "\(rows)")
        #expect(r.out.contains("baseline (gm)") && r.out.contains("change = current / baseline - 1"))
    }

    @Test func compareRefusesDifferentUnitsWith6() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let icount = try Self.variant(dir, "icount.csv", meta: ["accel": "icount"])
        let r = try Self.l4bench(["compare", Self.sample, icount], in: dir)
        #expect(r.status == 6)
        #expect(r.err.contains("icount"))
    }

    @Test func compareFailsOnAMissingGroupWith7UnlessAllowed() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let fewer = try Self.variant(dir, "fewer.csv") { $0.contains(",cap.transfer,swift,swift,same-core,") ? nil : $0 }
        let r = try Self.l4bench(["compare", fewer, Self.sample], in: dir)
        #expect(r.status == 7)
        #expect(r.err.contains("--allow-missing"))
        #expect(try Self.l4bench(["compare", fewer, Self.sample, "--allow-missing"], in: dir).status == 0)
    }

    @Test func compareNeverPassesOnABrokenFile() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        for (code, path) in Self.faultFixtures {
            let asRun = try Self.l4bench(["compare", path, Self.sample], in: dir)
            #expect(asRun.status == code, "run \(path): \(asRun.err)")
            let asBase = try Self.l4bench(["compare", Self.sample, path], in: dir)
            #expect(asBase.status == code, "baseline \(path): \(asBase.err)")
        }
    }

    @Test func compareWithoutAStoredBaselineExits3AndBadUsage64() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let r = try Self.l4bench(["compare", Self.sample, "--stored", "--results", dir.file("Results")], in: dir)
        #expect(r.status == 3)
        #expect(r.err.contains("baseline"))
        let alpha = try Self.l4bench(["compare", Self.sample, Self.sample, "--alpha", "2"], in: dir)
        #expect(alpha.status == 64)
        #expect(alpha.err.contains("--alpha"))
        let missing = try Self.l4bench(["compare", Self.sample, dir.file("gone.csv")], in: dir)
        #expect(missing.status == 3)
    }

    // MARK: ingest

    @Test func ingestKeepsTheResultsOfAConsoleLog() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let text = try String(contentsOfFile: Self.sample, encoding: .utf8).split(separator: "\n").map { "cli     | \($0)\nnoise" }
        let r = try Self.l4bench(["ingest", "-", "-o", dir.file("clean.csv")], in: dir, stdin: text.joined(separator: "\n") + "\n")
        #expect(r.status == 0, "\(r.err)")
        let clean = try String(contentsOfFile: dir.file("clean.csv"), encoding: .utf8)
        #expect(clean == (try String(contentsOfFile: Self.sample, encoding: .utf8)))
        let stored = try Self.l4bench(["ingest", Self.sample, "--store", "--results", dir.file("Results")], in: dir)
        #expect(stored.status == 0)
        #expect(stored.err.contains("stored 3864 samples as \(dir.file("Results"))/synthetic/runs/"))
    }

    @Test func ingestExitsWithEachFaultsCode() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        for (code, path) in Self.faultFixtures {
            let r = try Self.l4bench(["ingest", path, "-o", dir.file("out.csv")], in: dir)
            #expect(r.status == code, "\(path): \(r.err)")
        }
    }

    @Test func ingestWritesNothingForARunWithoutMetadataOrNoRun() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        let bare = "L4B1,begin,x\nL4B1,s,l4,ipc.roundtrip,cpp,cpp,same-core,-,0,0,5\nL4B1,end,x,1\n"
        let r = try Self.l4bench(["ingest", "-", "-o", dir.file("m.csv")], in: dir, stdin: bare)
        #expect(r.status == 13)
        #expect(r.err.contains("lacks metadata"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("m.csv")))
        let none = try Self.l4bench(["ingest", "-", "-o", dir.file("n.csv")], in: dir, stdin: "boot noise only\n")
        #expect(none.status == 15)
        #expect(!FileManager.default.fileExists(atPath: dir.file("n.csv")))
    }

    @Test func ingestOfAMissingFileOrToAnUnwritablePlaceExits3() throws {
        let dir = try TemporaryDirectory("l4b-cli")
        defer { dir.remove() }
        #expect(try Self.l4bench(["ingest", dir.file("nope.log")], in: dir).status == 3)
        let r = try Self.l4bench(["ingest", Self.sample, "-o", dir.file(".stdout/out.csv")], in: dir)
        #expect(r.status == 3)
        #expect(try Self.l4bench(["ingest"], in: dir).status == 64)
    }
}
