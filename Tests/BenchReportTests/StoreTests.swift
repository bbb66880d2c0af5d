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
