import BenchStats
import BenchResults

/// Terminal and Markdown renderings of a report.
public enum TextRenderer {
    public static func terminal(_ t: Table) -> String {
        let widths = t.headers.indices.map { c in
            ([t.headers[c]] + t.rows.map { $0[c] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { c in
                let pad = String(repeating: " ", count: widths[c] - cells[c].count)
                return t.numeric.contains(c) ? pad + cells[c] : cells[c] + pad
            }.joined(separator: "  ")
        }
        var out = line(t.headers) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for r in t.rows { out += line(r) + "\n" }
        return out
    }

    public static func markdown(_ t: Table) -> String {
        func esc(_ s: String) -> String { markdownEscape(s) }
        var out = "| " + t.headers.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + t.headers.indices.map { t.numeric.contains($0) ? "---:" : ":---" }.joined(separator: "|") + "|\n"
        for r in t.rows { out += "| " + r.map(esc).joined(separator: " | ") + " |\n" }
        return out
    }

    public static func terminal(_ report: Report) -> String {
        var out = header(report)
        out += verdictText(report)
        out += "\nAll groups (samples pooled over rounds: the spread within rounds; the ratio and its interval are over rounds):\n"
        out += terminal(report.table)
        if !report.comparisons.isEmpty {
            out += "\nEvery pair against cpp-cpp (geometric mean of the per-round median ratios, 95% t interval over rounds):\n" + terminal(report.ratioTable)
        }
        if !report.references.isEmpty {
            out += "\nHarness against the raw C reference (cpp-cpp / .raw, over rounds):\n" + terminal(report.referenceTable)
        }
        out += footer(report)
        return out
    }

    /// The verdict lines and the noise floor, as plain text.
    public static func verdictText(_ report: Report) -> String {
        let lines = report.verdictLines
        guard !lines.isEmpty else { return "" }
        let w = lines.map(\.title.count).max() ?? 0
        var out = "Verdict (swift-swift against the C++ reference, over rounds; \(ruleSummary(report)); \(controlSummary(report))):\n"
        for l in lines { out += "  " + l.title + String(repeating: " ", count: w - l.title.count) + "  " + l.text + "\n" }
        let settled = lines.filter(\.verdict.isConclusive).count
        out += "  \(settled) of \(lines.count) conclusive" + (report.run[meta: "stopped"].map { "; the run stopped: \($0)" } ?? "") + "\n"
        for f in report.runCheckFailures { out += "  RUN CHECK: \(f)\n" }
        return out
    }

    /// One sentence on the decision rule and its looks.
    static func ruleSummary(_ report: Report) -> String {
        let looks = report.looks
        let reference = report.run.groups.contains { $0.key.isControlPair } ? "reference: cpp-cpp and cpp-cpp.b" : "reference: cpp-cpp"
        let rule = "20%-trimmed t interval of per-round log ratios; \(reference)"
        if looks.count <= 1 { return rule + "; one look at \(LanguageVerdict.levelText(looks.first?.level ?? LanguageVerdict.level))" }
        return rule + "; \(looks.count) looks (rounds \(looks.map { String($0.rounds) }.joined(separator: ", "))) spending 5% in all"
    }

    /// One sentence on the run's A/A control.
    static func controlSummary(_ report: Report) -> String {
        let c = report.controlLines
        guard !c.isEmpty else { return "no A/A control in this run" }
        let det = c.filter { $0.interval.deterministic }
        let worstDet = det.map { abs($0.interval.estimate - 1) }.max() ?? 0
        let reaches = c.compactMap { $0.interval.hasInterval ? max(1 - $0.interval.lo, $0.interval.hi - 1) : nil }.sorted()
        var parts: [String] = []
        if !det.isEmpty {
            parts.append("deterministic in \(det.count) of \(c.count) benchmarks" + (worstDet > 0 ? " (off 1 by at most \(LanguageVerdict.percent(worstDet)))" : " (exactly 1)"))
        }
        if !reaches.isEmpty {
            let median = reaches[reaches.count / 2]
            parts.append("its interval reaches ±\(LanguageVerdict.percent(median)) from 1 in the median benchmark, ±\(LanguageVerdict.percent(reaches.last!)) at the widest")
        }
        if parts.isEmpty { return "A/A control cpp-cpp.b: too few rounds for an interval" }
        return "run check, the A/A control cpp-cpp.b against cpp-cpp: " + parts.joined(separator: "; ")
    }

    public static func markdown(_ report: Report) -> String {
        var out = "# Benchmark run \(markdownEscape(report.run.id))\n\n"
        for w in report.warnings { out += "> **Warning:** \(markdownEscape(w))\n\n" }
        if !report.verdictLines.isEmpty {
            out += "## Verdict\n\nswift-swift against the C++ reference, over rounds; \(ruleSummary(report)); \(controlSummary(report)).\n\n" + markdown(report.verdictTable) + "\n"
            for f in report.runCheckFailures { out += "> **Run check:** \(markdownEscape(f))\n\n" }
        }
        out += "## Run\n\n" + markdown(Table(headers: ["key", "value"], rows: report.metadataRows.map { [$0.0, $0.1] }))
        out += "\nValues are \(report.unit); ratios are per-round medians against the cpp-cpp pair of the same benchmark, "
            + "placement and parameter, combined over rounds (geometric mean, 95% t interval over rounds).\n\n"
        out += "## All statistics\n\n" + markdown(report.table)
        if !report.comparisons.isEmpty {
            out += "\n## Swift against the C++ baseline\n\n" + markdown(report.ratioTable)
        }
        if !report.references.isEmpty {
            out += "\n## Harness against the raw reference\n\n" + markdown(report.referenceTable)
        }
        if !report.run.notes.isEmpty {
            out += "\n## Failed or skipped pairs\n\n"
            out += markdown(report.notesTable)
        }
        return out
    }

    /// One line per group with full-precision statistics, for scripts.
    public static func statisticsCSV(_ report: Report) -> String {
        // median_ci_*: the distribution-free interval of the pooled samples (within-round spread only);
        // ratio_*: the geometric mean of per-round ratios to cpp-cpp and its 95% t interval over rounds.
        var out = "suite,benchmark,client,server,placement,param,n,min,p25,p50,p75,p90,p99,max,mean,sd,mad,median_ci_lo,median_ci_hi,ratio_to_cpp,ratio_lo,ratio_hi,rounds,verdict\n"
        for s in report.stats {
            let m = s.summary
            let c = report.comparison(for: s.key)
            let fields: [String] = [s.key.csvFields, String(m.n)] + [m.min, m.p25, m.p50, m.p75, m.p90, m.p99, m.max, m.mean, m.sd, m.mad].map { "\($0)" }
                + [m.medianCI.map { "\($0.lowerBound)" } ?? "", m.medianCI.map { "\($0.upperBound)" } ?? "",
                   c.map { "\($0.ratio)" } ?? "", c.flatMap { $0.interval.map { "\($0.deterministic ? $0.estimate : $0.lo)" } } ?? "",
                   c.flatMap { $0.interval.map { "\($0.deterministic ? $0.estimate : $0.hi)" } } ?? "",
                   String(s.rounds.count), c?.verdict?.kind.rawValue ?? ""]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    static func header(_ report: Report) -> String {
        let r = report.run
        var out = ""
        for w in report.warnings { out += "warning: \(w)\n" }
        let parts = ["target", "accel", "cpu", "tsc_hz", "commit", "date"].compactMap { k in r[meta: k].map { "\(k)=\($0)" } }
        out += "run \(r.id)  \(parts.joined(separator: "  "))\n"
        out += "\(r.sampleCount) samples in \(report.stats.count) groups; values are \(report.unit)\n\n"
        return out
    }

    static func footer(_ report: Report) -> String {
        var out = ""
        if !report.run.notes.isEmpty { out += "\n" }
        for g in NoteGroup.of(report.run.notes) { out += g.summary + "\n" }
        return out
    }
}

/// Text for a Markdown table cell or line: HTML is escaped (a Markdown viewer
/// would render it), pipes are escaped, control characters are shown as escapes.
public func markdownEscape(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
        switch u {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "|": out += "\\|"
        case "`": out += "\\`"
        default:
            if u.isControlCharacter { out += u.escapedForDisplay } else { out.unicodeScalars.append(u) }
        }
    }
    return out
}

/// Text for a terminal: C0 and C1 control characters other than newline and
/// tab are shown as `\u{..}` escapes, so nothing read from a file can move
/// the cursor, clear the screen or set a window title.
public func terminalSafe(_ s: String) -> String {
    func unsafe(_ u: Unicode.Scalar) -> Bool { u.isControlCharacter && u != "\n" && u != "\t" }
    guard s.unicodeScalars.contains(where: unsafe) else { return s }
    var out = ""
    for u in s.unicodeScalars {
        if unsafe(u) { out += u.escapedForDisplay } else { out.unicodeScalars.append(u) }
    }
    return out
}
