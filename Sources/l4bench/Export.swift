import ArgumentParser
import BenchReport

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a run for other tools (Google Benchmark JSON).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case gbenchJSON = "gbench-json" }

    @Option(help: "Output format: gbench-json.")
    var format: Format = .gbenchJSON

    @Argument(help: "Results file or serial log.")
    var input: String

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output: String?

    @OptionGroup var inputOptions: InputOptions

    func run() throws {
        let outcome = try load(input, inputOptions)
        guard !outcome.run.id.isEmpty else {
            throw ExitCode(outcome.fault?.exitCode ?? 15).withMessage("no run in \(input): nothing exported")
        }
        let json = GBenchJSON.render(Report(outcome: outcome, threads: inputOptions.threads))
        if let output { try writeFile(json, output) } else { Console.out(json) }
        try finish(outcome)
    }
}
