import Foundation
import TestSupport
import Testing

/// What a Linux `l4bench run` without `-o` leaves behind: the run in the store,
/// the HTML report in `.build-runs/`, and no working CSV once the stored run reads
/// back whole (a quick run's CSV is tens of MB; repeated runs filled the disk).
/// And `report` of a stored run writes nothing into the store.
@Suite struct RunWorkFilesTests {
    @Test func reportOfAStoredRunWritesItsHTMLIntoTheWorkDirectory() throws {
        let dir = try TemporaryDirectory("l4b-cli-report")
        defer { dir.remove() }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir.file("store/m/runs"), withIntermediateDirectories: true)
        let stored = dir.file("store/m/runs/20261201T000000Z_abc.l4bc")
        let e = try CLITests.l4bench(["export", "--format", "compact", CLITests.sample, "-o", stored], in: dir)
        #expect(e.status == 0, "\(e.err)")
        let r = try CLITests.l4bench(["report", stored], in: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(try fm.contentsOfDirectory(atPath: dir.file("store/m/runs")) == ["20261201T000000Z_abc.l4bc"], "the store holds data only")
        #expect(fm.fileExists(atPath: dir.file(".build-runs/20261201T000000Z_abc.html")))
        // A results file outside a store keeps its report beside it.
        let r2 = try CLITests.l4bench(["report", CLITests.sample, "--html", dir.file("beside.html")], in: dir)
        #expect(r2.status == 0 && fm.fileExists(atPath: dir.file("beside.html")))
        let csv = dir.file("plain.csv")
        try fm.copyItem(atPath: CLITests.sample, toPath: csv)
        let r3 = try CLITests.l4bench(["report", csv], in: dir)
        #expect(r3.status == 0 && fm.fileExists(atPath: dir.file("plain.html")))
    }

    #if os(Linux)
    @Test func theWorkingCSVGoesOnceTheRunIsStored() throws {
        let dir = try TemporaryDirectory("l4b-cli-run")
        defer { dir.remove() }
        let r = try CLITests.l4bench(
            ["run", "--bench", "ipc.roundtrip", "--pair", "cpp-cpp", "--placement", "same-core", "--no-gcc",
             "--rounds", "2", "--samples", "5", "--warmup", "2", "--results", dir.file("store")], in: dir)
        #expect(r.status == 0, "\(r.err)")
        let fm = FileManager.default
        let work = (try? fm.contentsOfDirectory(atPath: dir.file(".build-runs"))) ?? []
        #expect(work.filter { $0.hasSuffix(".csv") }.isEmpty, "left behind: \(work)")
        #expect(work.filter { $0.hasSuffix(".html") }.count == 1, "the report stays in the work directory: \(work)")
        let machines = try fm.contentsOfDirectory(atPath: dir.file("store")).filter { !$0.hasPrefix(".") && $0 != "summaries.jsonl" }
        #expect(machines.count == 1)
        let runs = try fm.contentsOfDirectory(atPath: dir.file("store/\(machines[0])/runs")).filter { $0.hasSuffix(".l4bc") }
        #expect(runs.count == 1)
        #expect(r.err.contains("removed the working CSV"), "\(r.err)")
        #expect(r.out.contains("cpp-cpp"), "the report is printed from the stored run")
        // The CSV comes back from the stored run with every sample.
        let stored = dir.file("store/\(machines[0])/runs/\(runs[0])")
        let e = try CLITests.l4bench(["export", "--format", "csv", stored, "-o", dir.file("again.csv")], in: dir)
        #expect(e.status == 0, "\(e.err)")
        let text = try String(contentsOfFile: dir.file("again.csv"), encoding: .utf8)
        #expect(text.contains("ipc.roundtrip"))
    }

    @Test func anOutputFileIsKept() throws {
        let dir = try TemporaryDirectory("l4b-cli-run")
        defer { dir.remove() }
        let r = try CLITests.l4bench(
            ["run", "--bench", "ipc.roundtrip", "--pair", "cpp-cpp", "--placement", "same-core", "--no-gcc",
             "--rounds", "2", "--samples", "5", "--warmup", "2", "--no-report", "-o", dir.file("mine.csv")], in: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: dir.file("mine.csv")))
        #expect(!r.err.contains("removed the working CSV"))
    }
    #endif
}
