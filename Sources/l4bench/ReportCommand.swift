import ArgumentParser
import BenchReport
import BenchResults
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print statistics of a run and write Markdown and a self-contained HTML report.",
        discussion: "Per benchmark and pair: n, min, p50 with its distribution-free 95% interval, p90, p99, max, mean, sd, MAD, and the median ratio to cpp-cpp with its interval.")

    @Argument(help: "Results file or serial log.")
    var input: String

    @Option(help: "Write the HTML report here (default: the input path with .html; for a stored run, .l4bc or in a store's runs folder, .build-runs/<run>.html in the work directory, since the store holds data only).")
    var html: String?

    @Flag(help: "Do not write HTML.")
    var noHTML = false

    @Option(help: "Also write a Markdown report here.")
    var markdown: String?

    @Option(help: "Also write per-group statistics as CSV here (machine-readable, full precision).")
    var statsCSV: String?

    @Flag(help: "Print Markdown instead of the terminal table.")
    var printMarkdown = false

    @Flag(help: "Print nothing (statistics are still computed and files written).")
    var quiet = false

    @Option(help: "Results directory whose stored runs of the same machine add history charts to the HTML.")
    var history: String?

    @OptionGroup var inputOptions: InputOptions

    func run() throws {
        let outcome = try load(input, inputOptions)
        guard !outcome.run.id.isEmpty else {
            // Nothing to report: no run began in the input. No report is written.
            throw ExitCode(outcome.fault?.exitCode ?? ExitCode.emptyInput.rawValue).withMessage("no run in \(input): no report written")
        }
        let report = Report(outcome: outcome, threads: inputOptions.threads)
        if !quiet { Console.out(printMarkdown ? TextRenderer.markdown(report) : TextRenderer.terminal(report)) }
        if let markdown { try writeFile(TextRenderer.markdown(report), markdown) }
        if let statsCSV { try writeFile(TextRenderer.statisticsCSV(report), statsCSV) }
        if !noHTML {
            let path = html ?? Self.htmlPath(for: input)
            var trends: [TrendPanel] = []
            if let history { trends = HistoryBuilder(roots: [history], machine: outcome.run.machine, filter: nil, threads: inputOptions.threads).panels() }
            try writeFile(HTMLRenderer.render(report, trends: trends), path, followLinks: html != nil)
            if !quiet { Console.error("wrote \(path)") }
        }
        try finish(outcome)
    }

    static func htmlPath(for input: String) -> String {
        if input == "-" { return "report.html" }
        let ns = input as NSString
        let name = ns.pathExtension.isEmpty ? input + ".html" : ns.deletingPathExtension + ".html"
        guard isStored(input) else { return name }
        let dir = FileManager.default.currentDirectoryPath + "/.build-runs"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/" + (name as NSString).lastPathComponent
    }

    /// A run in a store (compact form, or any file of a store's `runs` folder):
    /// its derived files go to the work directory, never beside it.
    static func isStored(_ input: String) -> Bool {
        let ns = input as NSString
        if ns.pathExtension == CompactFormat.fileExtension { return true }
        let parent = (ns.deletingLastPathComponent as NSString).lastPathComponent
        return parent == "runs"
    }
}
