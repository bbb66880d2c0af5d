import ArgumentParser
import BenchResults
import BenchStore

struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage per-machine baselines under Results/.",
        subcommands: [Accept.self, Show.self])

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a run the baseline of its machine.")
        @Argument(help: "A clean results file (for example one stored by ingest --store).") var runFile: String
        @Option(help: "Results directory (default: found from the run: the store that holds it, else Results/l4re for an L4Re run and Results for a Linux run).") var results: String?
        @OptionGroup var inputOptions: InputOptions

        func run() throws {
            let outcome = try load(runFile, inputOptions)
            if let f = outcome.fault { throw ExitCode(f.exitCode).withMessage("refusing a faulty run as baseline") }
            let store = results.map { ResultsStore(root: $0) } ?? ResultsStore.forRun(file: runFile, run: outcome.run)
            do {
                let dest = try store.accept(runFile: runFile, run: outcome.run)
                Console.out("baseline for machine '\(outcome.run.machine)' is now \(dest) (run \(outcome.run.id)), referenced by \(store.baselineRefPath(machine: outcome.run.machine))\n")
            } catch { throw storeFailure(error) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print where a machine's baseline is and which run it holds.")
        @Option(help: "Machine name.") var machine: String
        @Option(help: "Results directory.") var results = "Results"

        func run() throws {
            let path: String
            do { path = try ResultsStore(root: results).baselinePath(machine: machine) } catch { throw storeFailure(error) }
            let outcome = ResultsParser.parse(path: path)
            if let f = outcome.fault { throw ExitCode(f.exitCode).withMessage("\(f)") }
            Console.out("\(path): run \(outcome.run.id), \(outcome.run.sampleCount) samples, date \(outcome.run[meta: "date"] ?? "?")\n")
        }
    }
}

/// The exit code of a store error: 21 when a store's file leads outside the store, else 3.
func storeFailure(_ error: Error) -> ExitCode {
    if case ResultsStore.StoreError.outside(let why) = error { return ExitCode.outsideStore.withMessage(why) }
    return ExitCode.fileOrTool.withMessage("\(error)")
}
