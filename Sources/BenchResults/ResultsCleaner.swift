/// The results lines of a file or console log, as a clean results file: the
/// lines from their prefix on, and a partial run closed with an `incomplete`
/// note (and an end line when it had none), so that the file stays readable
/// and says why it is partial.
public enum ResultsCleaner {
    public static func clean(path: String, lenient: Bool) -> (outcome: ParseOutcome, text: String) {
        var lines: [String] = []
        let outcome = ResultsParser.parse(path: path, options: ParseOptions(lenient: lenient, threads: 1)) { p, n in
            lines.append(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
        }
        let run = outcome.run
        var reasons: [String] = []
        if let f = outcome.fault { reasons.append(f.description) }
        if outcome.skippedCount > 0 {
            reasons.append("--lenient skipped \(outcome.skippedCount) bad line(s)"
                           + (outcome.skipped.first.map { "; first: \($0)" } ?? ""))
        }
        guard !reasons.isEmpty, !run.id.isEmpty else {
            return (outcome, lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n")
        }
        // A partial or cleaned run: one `incomplete` note (an earlier one is folded into it, so
        // that the file never contradicts itself) and an end line that counts what the file holds.
        let incompletePrefix = ResultsFormat.prefix + "meta,incomplete,"
        let endPrefix = ResultsFormat.prefix + "end,"
        if let earlier = run[meta: "incomplete"] { reasons.insert(earlier, at: 0) }
        let uncounted = lines.last { $0.hasPrefix(endPrefix) }?.hasSuffix(",*") ?? false
        lines.removeAll { $0.hasPrefix(incompletePrefix) || $0.hasPrefix(endPrefix) }
        lines.append(ResultsWriter.metaLine("incomplete", reasons.joined(separator: "; then: ")))
        lines.append(uncounted ? "\(endPrefix)\(run.id),*" : ResultsWriter.endLine(runID: run.id, samples: run.sampleCount))
        return (outcome, lines.joined(separator: "\n") + "\n")
    }
}
