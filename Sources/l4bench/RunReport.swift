import BenchReport
import BenchResults

/// What `run` prints at its end: the report of the results file it wrote, on
/// the terminal and as HTML beside it (or at `html`). Returns the parsed file.
@discardableResult
func printRunReport(_ path: String, html: String?, noReport: Bool) throws -> ParseOutcome {
    let outcome = try load(path, InputOptions.parse([]))
    guard !noReport else { return outcome }
    let report = Report(outcome: outcome)
    Console.out(TextRenderer.terminal(report))
    let htmlPath = html ?? ReportCommand.htmlPath(for: path)
    try writeFile(HTMLRenderer.render(report, trends: []), htmlPath)
    Console.error("wrote \(htmlPath)")
    return outcome
}
