import BenchReport
import BenchResults

/// The results lines of a file or console log, as a clean results file: the
/// lines from their prefix on, and a partial run closed with an `incomplete`
/// note (and an end line when it had none), so that the file stays readable
/// and says why it is partial.
func cleanResults(path: String, lenient: Bool) -> (outcome: ParseOutcome, text: String) {
    var lines: [String] = []
    let outcome = ResultsParser.parse(path: path, options: ParseOptions(lenient: lenient, threads: 1)) { p, n in
        lines.append(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
    }
    var text = lines.joined(separator: "\n")
    if !text.isEmpty { text += "\n" }
    let run = outcome.run
    if let f = outcome.fault, !run.id.isEmpty {
        let hasEnd = lines.last?.hasPrefix(ResultsFormat.prefix + "end,") ?? false
        var closing = ResultsWriter.metaLine("incomplete", f.description) + "\n"
        if hasEnd {
            text = lines.dropLast().joined(separator: "\n") + "\n" + closing + lines.last! + "\n"
        } else {
            closing += ResultsWriter.endLine(runID: run.id, samples: run.sampleCount) + "\n"
            text += closing
        }
    }
    return (outcome, text)
}

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
