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
        func esc(_ s: String) -> String { s.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
        var out = "| " + t.headers.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + t.headers.indices.map { t.numeric.contains($0) ? "---:" : ":---" }.joined(separator: "|") + "|\n"
        for r in t.rows { out += "| " + r.map(esc).joined(separator: " | ") + " |\n" }
        return out
    }

    public static func terminal(_ report: Report) -> String {
        var out = header(report)
        out += terminal(report.table)
        if !report.comparisons.isEmpty {
            out += "\nSwift against C++ (median ratio to cpp-cpp; round drift = range of the per-round ratio):\n" + terminal(report.ratioTable)
        }
        if !report.references.isEmpty {
            out += "\nHarness against the raw C reference (cpp-cpp median / .raw median):\n" + terminal(report.referenceTable)
        }
        if !report.headlineTable.rows.isEmpty {
            out += "\nHeadline (swift-swift / cpp-cpp for the empty round trip and RPC; cpp-cpp / raw C):\n" + terminal(report.headlineTable)
        }
        out += footer(report)
        return out
    }

    public static func markdown(_ report: Report) -> String {
        var out = "# Benchmark run \(report.run.id)\n\n"
        for w in report.warnings { out += "> **Warning:** \(w)\n\n" }
        out += markdown(Table(headers: ["key", "value"], rows: report.metadataRows.map { [$0.0, $0.1] }))
        out += "\nCycle counts are TSC ticks; ratios are medians against the cpp-cpp pair of the same benchmark, placement and parameter.\n\n"
        if !report.headlineTable.rows.isEmpty {
            out += "\n## Headline\n\n" + markdown(report.headlineTable) + "\n## All statistics\n\n"
        }
        out += markdown(report.table)
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
        var out = "suite,benchmark,client,server,placement,param,n,min,p25,p50,p75,p90,p99,max,mean,sd,mad,median_ci_lo,median_ci_hi,ratio_to_cpp,ratio_lo,ratio_hi\n"
        for s in report.stats {
            let m = s.summary
            let c = report.comparison(for: s.key)
            let fields: [String] = [s.key.csvFields, String(m.n)] + [m.min, m.p25, m.p50, m.p75, m.p90, m.p99, m.max, m.mean, m.sd, m.mad].map { "\($0)" }
                + [m.medianCI.map { "\($0.lowerBound)" } ?? "", m.medianCI.map { "\($0.upperBound)" } ?? "",
                   c.map { "\($0.ratio.ratio)" } ?? "", c.map { "\($0.ratio.lo)" } ?? "", c.map { "\($0.ratio.hi)" } ?? ""]
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
        out += "\(r.sampleCount) samples in \(report.stats.count) groups; cycles are TSC ticks\n\n"
        return out
    }

    static func footer(_ report: Report) -> String {
        var out = ""
        if !report.run.notes.isEmpty { out += "\n" }
        for g in NoteGroup.of(report.run.notes) { out += g.summary + "\n" }
        return out
    }
}
