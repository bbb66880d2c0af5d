import Foundation
import TestSupport
import Testing

/// The store through the built `l4bench`: verify finds a flipped byte, repair
/// restores the run from its console log, a damaged baseline fails the gate with
/// its code, and nothing outside the store is read through a ref or a link.
@Suite struct StoreCLITests {
    static let stored = "\(CLITests.root)/Results/l4re/vm-qemu-icount/runs/20261126T112623Z_1f5052ec3ed9"

    /// A store of one machine with one stored run (checksums added) and its console log,
    /// the run's summary and the run as baseline.
    func makeStore(_ dir: TemporaryDirectory) throws -> String {
        let runs = dir.file("Results/vm-qemu-icount/runs")
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
        let run = "\(runs)/20261126T112623Z_1f5052ec3ed9.l4bc"
        try FileManager.default.copyItem(atPath: Self.stored + ".l4bc", toPath: run)
        try FileManager.default.copyItem(atPath: Self.stored + ".log.gz", toPath: "\(runs)/20261126T112623Z_1f5052ec3ed9.log.gz")
        let m = try CLITests.l4bench(["store", "migrate", "--results", "Results"], in: dir)
        #expect(m.status == 0, "\(m.err)")
        try "runs/20261126T112623Z_1f5052ec3ed9.l4bc\n".write(toFile: dir.file("Results/vm-qemu-icount/baseline.ref"), atomically: true, encoding: .utf8)
        return run
    }

    func flipByte(_ path: String, at fraction: Double) throws {
        var b = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var i = Int(Double(b.count) * fraction)
        while b[i] < 48 || b[i] > 57 { i += 1 }   // a digit of a value
        b[i] = b[i] == 57 ? 48 : b[i] + 1
        try Data(b).write(to: URL(fileURLWithPath: path))
    }

    @Test func verifyFindsAFlippedByteAndRepairRestoresTheRun() throws {
        let dir = try TemporaryDirectory("l4b-store")
        let run = try makeStore(dir)
        let good = try Data(contentsOf: URL(fileURLWithPath: run))
        let clean = try CLITests.l4bench(["store", "verify", "--results", "Results"], in: dir)
        #expect(clean.status == 0, "\(clean.out)\(clean.err)")

        try flipByte(run, at: 0.5)
        let verify = try CLITests.l4bench(["store", "verify", "--results", "Results"], in: dir)
        #expect(verify.status == 9)
        #expect(verify.err.contains("checksum mismatch") && verify.err.contains("(byte "), "\(verify.err)")
        // history lists it (summary checksum and run) and exits 8.
        let history = try CLITests.l4bench(["history", "--results", "Results"], in: dir)
        #expect(history.status == 8 || history.status == 1, "\(history.err)")
        #expect(history.err.contains("20261126T112623Z_1f5052ec3ed9"))
        // The gate fails closed on the damaged baseline, with the fault's code.
        let other = dir.file("other.l4bc")
        try FileManager.default.copyItem(atPath: Self.stored + ".l4bc", toPath: other)
        let gate = try CLITests.l4bench(["compare", other, "--stored", "--results", "Results"], in: dir)
        #expect(gate.status == 19, "\(gate.err)")

        let repair = try CLITests.l4bench(["store", "repair", "--results", "Results"], in: dir)
        #expect(repair.status == 0, "\(repair.out)\(repair.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: run)) == good)
        #expect(try CLITests.l4bench(["store", "verify", "--results", "Results"], in: dir).status == 0)
    }

    @Test func repairWithoutALogSaysItCannot() throws {
        let dir = try TemporaryDirectory("l4b-store")
        let run = try makeStore(dir)
        try FileManager.default.removeItem(atPath: (run as NSString).deletingPathExtension + ".log.gz")
        try flipByte(run, at: 0.3)
        let repair = try CLITests.l4bench(["store", "repair", "--results", "Results"], in: dir)
        #expect(repair.status == 9)
        #expect(repair.err.contains("no console log"))
    }

    /// A sharded boot's log holds one run segment per shard ("two runs mixed" to the reader, which
    /// stops there): repair says so and ends, instead of waiting forever for the gzip it stopped reading.
    /// A run booted in shards keeps one console per shard in its log: repair merges them as the
    /// runner did, and the rebuilt run is the stored one, byte for byte.
    @Test func repairRebuildsAShardedRunFromItsLog() throws {
        let dir = try TemporaryDirectory("l4b-store")
        let runs = dir.file("Results/vm-qemu-icount/runs")
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
        let name = "20261127T054952Z_dbb753793d9b"   // two shards, 8.9 MB of console log: more than a pipe holds
        let from = "\(CLITests.root)/Results/l4re/vm-qemu-icount/runs/\(name)"
        try FileManager.default.copyItem(atPath: from + ".l4bc", toPath: "\(runs)/\(name).l4bc")
        try FileManager.default.copyItem(atPath: from + ".log.gz", toPath: "\(runs)/\(name).log.gz")
        let original = try Data(contentsOf: URL(fileURLWithPath: "\(runs)/\(name).l4bc"))
        try flipByte("\(runs)/\(name).l4bc", at: 0.5)
        let start = Date()
        let repair = try CLITests.l4bench(["store", "repair", "--results", "Results"], in: dir)
        #expect(Date().timeIntervalSince(start) < 60)
        #expect(repair.status == 0, "\(repair.out)\(repair.err)")
        #expect(repair.out.contains("1 run(s) repaired, 0 not"), "\(repair.out)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(runs)/\(name).l4bc")) == original)
    }

    @Test func aBaselineRefLinkedOutsideIsRefusedWithoutPrintingIt() throws {
        let dir = try TemporaryDirectory("l4b-store")
        _ = try makeStore(dir)
        try "CI_SECRET=hunter2\n".write(toFile: dir.file("secret"), atomically: true, encoding: .utf8)
        let ref = dir.file("Results/vm-qemu-icount/baseline.ref")
        try FileManager.default.removeItem(atPath: ref)
        try FileManager.default.createSymbolicLink(atPath: ref, withDestinationPath: dir.file("secret"))
        for args in [["baseline", "show", "--machine", "vm-qemu-icount", "--results", "Results"],
                     ["compare", "Results/vm-qemu-icount/runs/20261126T112623Z_1f5052ec3ed9.l4bc", "--stored", "--results", "Results"]] {
            let r = try CLITests.l4bench(args, in: dir)
            #expect(r.status == 21, "\(args[0]): \(r.err)")
            #expect(!r.out.contains("hunter2") && !r.err.contains("hunter2"))
        }
        // A ref that climbs out of the store.
        try FileManager.default.removeItem(atPath: ref)
        try FileManager.default.copyItem(atPath: Self.stored + ".l4bc", toPath: dir.file("foreign.l4bc"))
        try "../../foreign.l4bc\n".write(toFile: ref, atomically: true, encoding: .utf8)
        let r = try CLITests.l4bench(["compare", "Results/vm-qemu-icount/runs/20261126T112623Z_1f5052ec3ed9.l4bc", "--stored", "--results", "Results"], in: dir)
        #expect(r.status == 21, "\(r.err)")
    }

    @Test func migrateRefusesAStoreWhoseFoldersLeaveIt() throws {
        let dir = try TemporaryDirectory("l4b-store")
        let outside = dir.file("outside/runs")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "console\n".write(toFile: "\(outside)/x.log", atomically: true, encoding: .utf8)
        try "<html>".write(toFile: "\(outside)/20260101T000000Z_x.html", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.file("Results/m"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.file("Results/m/runs"), withDestinationPath: outside)
        let r = try CLITests.l4bench(["store", "migrate", "--results", "Results"], in: dir)
        #expect(r.status == 21, "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: "\(outside)/x.log"))
        #expect(FileManager.default.fileExists(atPath: "\(outside)/20260101T000000Z_x.html"))
    }

    @Test func theDefaultReportIsNotWrittenThroughALink() throws {
        let dir = try TemporaryDirectory("l4b-store")
        let run = try makeStore(dir)
        try "keep\n".write(toFile: dir.file("victim"), atomically: true, encoding: .utf8)
        // A stored run's report goes to the work directory's .build-runs/ (the store holds data only).
        try FileManager.default.createDirectory(atPath: dir.file(".build-runs"), withIntermediateDirectories: true)
        let name = ((run as NSString).lastPathComponent as NSString).deletingPathExtension + ".html"
        try FileManager.default.createSymbolicLink(atPath: dir.file(".build-runs/" + name), withDestinationPath: dir.file("victim"))
        let r = try CLITests.l4bench(["report", run, "--quiet"], in: dir)
        #expect(r.status == 3, "\(r.err)")
        #expect(try String(contentsOfFile: dir.file("victim"), encoding: .utf8) == "keep\n")
    }
}
