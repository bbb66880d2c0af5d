import Foundation
import Testing
import BenchResults
import BenchStore

@Suite struct StoreTests {
    func run(target: String, machine: String) -> Run {
        Run(id: "r", metadata: [(key: "target", value: target), (key: "machine", value: machine)], groups: [], source: "x")
    }

    @Test func theStoreIsFoundFromTheRun() {
        // A run inside a store: that store.
        #expect(ResultsStore.forRun(file: "Results/l4re/vm-qemu-icount/runs/20261126T115652Z_1a61db041947.csv",
                                    run: run(target: "l4re", machine: "vm-qemu-icount")).root == "Results/l4re")
        #expect(ResultsStore.forRun(file: "/data/keep/vm/runs/a.csv", run: run(target: "linux", machine: "vm")).root == "/data/keep")
        // Elsewhere: by target.
        #expect(ResultsStore.forRun(file: "/tmp/run.csv", run: run(target: "l4re", machine: "vm-qemu-icount")).root == "Results/l4re")
        #expect(ResultsStore.forRun(file: "run.csv", run: run(target: "linux", machine: "vm")).root == "Results")
        // A runs folder of another machine is not the run's store.
        #expect(ResultsStore.forRun(file: "/x/other/runs/a.csv", run: run(target: "linux", machine: "vm")).root == "Results")
    }

    @Test func onlyRunFilesAreRuns() {
        #expect(ResultsStore.isRunFileName("20261126T113505Z_8d8fc1c2a8b7.csv"))
        #expect(!ResultsStore.isRunFileName("20261126T113505Z_8d8fc1c2a8b7.stats.csv"))
        #expect(!ResultsStore.isRunFileName("20261126T113505Z_8d8fc1c2a8b7.html"))
        #expect(!ResultsStore.isRunFileName("README.md"))
    }
}

/// The compact store: runs, summaries, baseline references, and what happens when they disagree.
@Suite struct CompactStoreTests {
    func tempRoot() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("l4b-store-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func storeAcceptAndFindTheBaseline() throws {
        let root = try tempRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultsStore(root: root)
        let o = syntheticRun(rounds: 3, samples: 10, seed: 11)
        let path = try store.store(o.run)
        #expect(path.hasSuffix(".l4bc"))
        let back = ResultsParser.parse(path: path)
        #expect(back.fault == nil && back.run.sampleCount == o.run.sampleCount)
        // A baseline is a reference to the stored run, not a copy.
        let accepted = try store.accept(runFile: path, run: back.run)
        #expect(accepted == path)
        #expect(try String(contentsOfFile: store.baselineRefPath(machine: "unknown"), encoding: .utf8) == "runs/" + (path as NSString).lastPathComponent + "\n")
        #expect(try store.baselinePath(machine: "unknown") == path)
        // A reference to a missing run is an error naming the file.
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: ResultsStore.StoreError.self) { try store.baselinePath(machine: "unknown") }
    }

    @Test func summariesAreCheckedAgainstTheirRuns() throws {
        let root = try tempRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultsStore(root: root)
        let a = try store.store(syntheticRun(rounds: 3, samples: 10, seed: 12).run)
        let (records, problems) = Summaries(store: store).read(machine: "unknown")
        #expect(problems.isEmpty)
        #expect(records.count == 1 && records[0].file == a && records[0].groups.count == 10)
        // The run changed behind the summary's back: named, not used.
        try (try String(contentsOfFile: a, encoding: .utf8) + "\n").write(toFile: a, atomically: true, encoding: .utf8)
        let (r2, p2) = Summaries(store: store).read(machine: "unknown")
        #expect(r2.isEmpty && p2.count == 1 && p2[0].reason.contains("disagrees with the run"))
        // A truncated compact run is a fault naming the file.
        let text = try String(contentsOfFile: a, encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: a, atomically: true, encoding: .utf8)
        let cut = ResultsParser.parse(path: a)
        #expect(cut.fault != nil && cut.fault!.description.hasPrefix(a))
    }
}
