import ArgumentParser
import BenchReport
import BenchResults

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a run for other tools: Google Benchmark JSON, github-action-benchmark, Bencher.",
        discussion: """
        gbench-json: Google Benchmark's JSON (median, mean, stddev aggregates per group). \
        github-action-benchmark: its customSmallerIsBetter format, a JSON array of {name, unit, value, range, extra}. \
        bencher: Bencher Metric Format, {benchmark: {measure: {value, lower_value, upper_value}}}. \
        csv: the run as format v1 (also from a compact stored run); compact: the store's compact form. \
        github-action-benchmark and bencher carry round-level values: per group the geometric mean of its round medians with the 95% t \
        interval over rounds as its range or bounds, and per pair the ratio to cpp-cpp likewise. See docs/ci.md.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case gbenchJSON = "gbench-json", githubActionBenchmark = "github-action-benchmark", bencher, csv, compact
    }

    @Option(help: "Output format: gbench-json, github-action-benchmark, bencher, csv (format v1, the interchange format), compact (the store's form).")
    var format: Format = .gbenchJSON

    @Argument(help: "Results file or serial log.")
    var input: String

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output: String?

    @OptionGroup var inputOptions: InputOptions

    func run() throws {
        let outcome = try load(input, inputOptions)
        guard !outcome.run.id.isEmpty else {
            throw ExitCode(outcome.fault?.exitCode ?? ExitCode.emptyInput.rawValue).withMessage("no run in \(input): nothing exported")
        }
        let report = Report(outcome: outcome, threads: inputOptions.threads)
        let json: String
        switch format {
        case .gbenchJSON: json = GBenchJSON.render(report)
        case .githubActionBenchmark: json = CIExports.githubActionBenchmark(report)
        case .bencher: json = CIExports.bencher(report)
        case .csv: json = ResultsWriter.text(of: outcome.run)
        case .compact: json = CompactFormat.text(of: outcome.run)
        }
        if let output { try writeFile(json, output) } else { Console.out(json) }
        try finish(outcome)
    }
}
