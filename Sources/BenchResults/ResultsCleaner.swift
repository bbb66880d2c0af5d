/// The results lines of a file or console log, as a clean results file: the
/// lines from their prefix on; a duplicated sample (same group, round and
/// iteration) kept once; and a partial or cleaned run closed with one
/// `incomplete` note and an end line that counts what the file holds, so that
/// the file reads back without a fault and says why it is partial. A run that
/// lacks required metadata gives no text at all.
public enum ResultsCleaner {
    public static func clean(path: String, lenient: Bool) -> (outcome: ParseOutcome, text: String) {
        var c = Collector()
        let outcome = ResultsParser.parse(path: path, options: ParseOptions(lenient: lenient, threads: 1)) { p, n in c.take(p, n) }
        return finish(outcome, c)
    }

    public static func clean(bytes: [UInt8], source: String, lenient: Bool) -> (outcome: ParseOutcome, text: String) {
        var c = Collector()
        let outcome = ResultsParser.parse(bytes: bytes, source: source, options: ParseOptions(lenient: lenient, threads: 1)) { p, n in c.take(p, n) }
        return finish(outcome, c)
    }

    /// The accepted lines, with samples seen before dropped.
    struct Collector {
        var lines: [String] = []
        var seen: Set<Int> = []
        var samples = 0
        var duplicates = 0

        mutating func take(_ p: UnsafePointer<UInt8>, _ n: Int) {
            let line = UnsafeBufferPointer(start: p, count: n)
            // `L4B1,s,...,ROUND,ITERATION,CYCLES`: written with round and iteration in
            // canonical form (no leading zeros), and identified by everything but the count.
            guard n > 7 && p[5] == 115 && p[6] == 44,
                  let c3 = line.lastIndex(of: 44), let c2 = line[..<c3].lastIndex(of: 44),
                  let c1 = line[..<c2].lastIndex(of: 44) else {
                lines.append(String(decoding: line, as: UTF8.self))
                return
            }
            func canonical(_ r: Range<Int>) -> Substring {
                var t = Substring(String(decoding: UnsafeBufferPointer(rebasing: line[r]), as: UTF8.self))
                while t.count > 1 && t.first == "0" { t = t.dropFirst() }
                return t
            }
            let head = String(decoding: UnsafeBufferPointer(rebasing: line[..<c1]), as: UTF8.self)
            let id = "\(head),\(canonical((c1 + 1)..<c2)),\(canonical((c2 + 1)..<c3))"
            if !seen.insert(id.hashValue).inserted { duplicates += 1; return }
            samples += 1
            lines.append(id + "," + String(decoding: UnsafeBufferPointer(rebasing: line[(c3 + 1)...]), as: UTF8.self))
        }
    }

    /// The required metadata a run lacks; a run without them is not written
    /// (the clean text is empty): nothing could read it back.
    public static func missingMetadata(_ run: Run) -> [String] {
        ResultsFormat.missingMetadata(in: run.metadata.map(\.key))
    }

    static func finish(_ outcome: ParseOutcome, _ c: Collector) -> (outcome: ParseOutcome, text: String) {
        var lines = c.lines
        let run = outcome.run
        if !run.id.isEmpty && !missingMetadata(run).isEmpty { return (outcome, "") }
        var reasons: [String] = []
        if let f = outcome.fault { reasons.append(f.description) }
        if outcome.skippedCount > 0 {
            reasons.append("--lenient skipped \(outcome.skippedCount) bad line(s)"
                           + (outcome.skipped.first.map { "; first: \($0)" } ?? ""))
        }
        if c.duplicates > 0 { reasons.append("\(c.duplicates) duplicated sample(s) kept once") }
        guard !reasons.isEmpty, !run.id.isEmpty else {
            return (outcome, lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n")
        }
        let incompletePrefix = ResultsFormat.prefix + "meta,incomplete,"
        let endPrefix = ResultsFormat.prefix + "end,"
        if let earlier = run[meta: "incomplete"] { reasons.insert(earlier, at: 0) }
        let uncounted = lines.last { $0.hasPrefix(endPrefix) }?.hasSuffix(",*") ?? false
        lines.removeAll { $0.hasPrefix(incompletePrefix) || $0.hasPrefix(endPrefix) }
        lines.append(ResultsWriter.metaLine("incomplete", reasons.joined(separator: "; then: ")))
        lines.append(uncounted ? "\(endPrefix)\(run.id),*" : ResultsWriter.endLine(runID: run.id, samples: c.samples))
        return (outcome, lines.joined(separator: "\n") + "\n")
    }
}
