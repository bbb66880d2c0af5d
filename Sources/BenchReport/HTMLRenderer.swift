import BenchResults
import BenchStats

/// One history chart: a benchmark's median over stored runs.
public struct TrendPanel: Sendable {
    public var title: String
    public var series: [SVGChart.Series]
    public var xLabels: [Double: String]
    /// Change points: an x position and what moved there.
    public var marks: [SVGChart.Mark]
    public init(title: String, series: [SVGChart.Series], xLabels: [Double: String], marks: [SVGChart.Mark] = []) {
        self.title = title; self.series = series; self.xLabels = xLabels; self.marks = marks
    }
}

/// A self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched.
public enum HTMLRenderer {
    static let style = """
    body{font:14px/1.4 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1400px}
    h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}
    table{border-collapse:collapse;font-size:12.5px}td,th{padding:3px 8px;border-bottom:1px solid #eee;white-space:nowrap}
    th{background:#f5f5f5;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
    .warn{background:#fff3cd;border:1px solid #e0c36a;padding:8px 12px;margin:8px 0}
    .meta td:first-child{color:#666}.charts{display:flex;flex-wrap:wrap;gap:12px}
    .chart{border:1px solid #eee;background:#fff}.ct{font-weight:600;font-size:13px}.cl{font-size:12px}.ca{font-size:10.5px;fill:#555}
    .v-slower{background:#fde8ea;color:#9b0018;font-weight:600}.v-faster{background:#e6f4ea;color:#17672f;font-weight:600}
    .v-parity{color:#333}.v-inconclusive,.v-too-few-rounds{background:#fff6dd;color:#6b5200}
    .verdicts li{margin:3px 0}.note{color:#555;font-size:13px}
    table.verdicts td{vertical-align:top}td.vt{white-space:normal;min-width:420px;max-width:640px}td.vt div{padding:1px 4px;margin:1px 0}
    .vtail{color:#666;font-size:11.5px}.meta td:last-child{white-space:normal;overflow-wrap:anywhere;max-width:1100px}.wide{overflow-x:auto;max-width:100%}
    """

    /// A page in the report's look around `body` (already HTML).
    public static func page(title: String, body: String) -> String {
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(htmlEscape(title))</title><style>\(style)</style></head><body>"
            + body + "</body></html>\n"
    }

    public static func render(_ report: Report, trends: [TrendPanel] = []) -> String {
        let r = report.run
        var h = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        h += "<title>l4bench run \(htmlEscape(r.id))</title><style>\(style)</style></head><body>"
        h += "<h1>l4bench run <code>\(htmlEscape(r.id))</code></h1>"
        for w in report.warnings { h += "<div class=\"warn\">\(htmlEscape(w))</div>" }

        if !report.verdictLines.isEmpty {
            h += "<h2>Verdict</h2><p class=\"note\">swift-swift against the C++ reference for each benchmark and placement, over rounds "
            h += "(each round's median against the C++ medians of the same round, combined over the parameters); "
            h += "\(htmlEscape(TextRenderer.ruleSummary(report))); \(htmlEscape(TextRenderer.controlSummary(report))). "
            h += "Faster or slower where the interval at its look excludes 1, parity where it lies within ±2%. Values are \(htmlEscape(report.unit)).</p>"
            for f in report.runCheckFailures { h += "<div class=\"warn\">Run check: \(htmlEscape(f))</div>" }
            if let legend = compilerLegend(report.verdictLines) { h += "<p class=\"note\">\(htmlEscape(legend))</p>" }
            h += verdictTable(report)
        }

        h += "<h2>Run</h2><table class=\"meta\">"
        for (k, v) in report.metadataRows { h += "<tr><td>\(htmlEscape(k))</td><td>\(htmlEscape(v))</td></tr>" }
        h += "</table>"

        if !report.references.isEmpty {
            h += "<h2>Harness against the raw reference</h2>"
            h += "<p>Median of the cpp-cpp pair divided by the median of the bare C loop (<code>.raw</code>) of the same suite, placement and parameter: what the harness itself adds.</p>"
            h += table(report.referenceTable)
        }

        h += "<h2>Distributions</h2><p>Box p25–p75, thick line the median, whiskers min to p99, dashed tick p90, dot the maximum. Values are \(htmlEscape(report.unit)).</p><div class=\"charts\">"
        var byBench: [String: [GroupStatistics]] = [:]
        var order: [String] = []
        for s in report.stats {
            if byBench[s.key.benchKey] == nil { order.append(s.key.benchKey) }
            byBench[s.key.benchKey, default: []].append(s)
        }
        for k in order {
            let boxes = byBench[k]!.map { s in
                SVGChart.Box(label: s.key.pair, min: s.summary.min, p25: s.summary.p25, p50: s.summary.p50, p75: s.summary.p75,
                             p90: s.summary.p90, p99: s.summary.p99, max: s.summary.max,
                             highlight: s.key.pair == "cpp-cpp")
            }
            h += SVGChart.boxPlot(title: chartTitle(k), boxes: boxes, unit: report.unit)
        }
        h += "</div>"

        let drifting = Dictionary(grouping: report.comparisons.filter { $0.roundRatios.count > 1 }, by: { $0.key.benchKey })
        if !drifting.isEmpty {
            h += "<h2>Drift across rounds</h2><p>Ratio to cpp-cpp per round. Pairs run interleaved, so host drift moves all pairs together and the ratio stays flat.</p><div class=\"charts\">"
            for k in drifting.keys.sorted() {
                let series = drifting[k]!.map { c in SVGChart.Series(label: c.key.pair, points: c.roundRatios.map { (Double($0.round), $0.ratio) }) }
                h += SVGChart.lines(title: chartTitle(k), series: series, yLabel: "ratio to cpp-cpp by round", reference: 1)
            }
            h += "</div>"
        }

        if !report.comparisons.isEmpty {
            h += "<h2>Swift against the C++ baseline</h2>"
            h += "<p>Each round's median of a pair divided by the cpp-cpp median of the same round, benchmark, placement and parameter; the ratio is their geometric mean, the interval Student's t interval over rounds (the independent units); the round range is the smallest and largest round ratio.</p>"
            h += "<div class=\"wide\">" + table(report.ratioTable, verdictColumn: 9, kinds: report.comparisons.map { $0.verdict?.kind }) + "</div>"
        }

        if !trends.isEmpty {
            h += "<h2>History</h2><div class=\"charts\">"
            for t in trends { h += SVGChart.lines(title: t.title, series: t.series, xLabels: t.xLabels, yLabel: "median \(report.unit) per run", marks: t.marks) }
            h += "</div>"
        }

        h += "<h2>All statistics</h2><p class=\"note\">Samples pooled over rounds (the spread within rounds); the ratio to cpp-cpp and its interval are over rounds.</p>" + "<div class=\"wide\">" + table(report.table) + "</div>"
        if !r.notes.isEmpty {
            h += "<h2>Failed or skipped pairs</h2>"
            h += "<div class=\"wide\">" + table(report.notesTable) + "</div>"
        }
        h += "</body></html>\n"
        return h
    }

    /// A chart's title from a group's bench key, without the "/-" of a benchmark that has no parameter.
    static func chartTitle(_ benchKey: String) -> String {
        benchKey.hasSuffix("/-") ? String(benchKey.dropLast(2)) : benchKey
    }

    /// What "the compiler's part" means, named after the run's two C++ builds;
    /// nil when no verdict has one.
    static func compilerLegend(_ lines: [VerdictLine]) -> String? {
        guard let v = lines.first(where: { $0.other != nil && $0.compilerPart != nil }), let o = v.other else { return nil }
        return "Where the run has both C++ builds, each verdict has three lines: Swift against \(v.referenceName) (the reference), "
            + "Swift against \(o.name), and the compiler's part: \(o.name) against \(v.referenceName), "
            + "the share of a difference that comes from the C++ compiler rather than the language."
    }

    /// A verdict's parts, each with its own kind (so that a line is coloured by
    /// its own verdict), and what follows them (settling round, outliers).
    static func verdictParts(_ v: VerdictLine) -> (parts: [(text: String, kind: LanguageVerdict.Kind)], tail: String) {
        guard let o = v.other else { return ([(v.text, v.verdict.kind)], "") }
        var parts = [("against \(v.referenceName): " + v.verdict.text, v.verdict.kind), ("against \(o.name): " + o.verdict.text, o.verdict.kind)]
        if let c = v.compilerPart { parts.append(("the compiler's part: " + c.text, c.kind)) }
        let joined = parts.map(\.0).joined(separator: "; ")
        // The tail is whatever the full text adds after the parts; if the text
        // is ever built differently, show it whole rather than lose a word.
        guard v.text.hasPrefix(joined) else { return ([(v.text, v.verdict.kind)], "") }
        return (parts, String(v.text.dropFirst(joined.count).drop(while: { $0 == " " })))
    }

    /// The verdict table: the verdict cell wraps, one line per comparison.
    static func verdictTable(_ report: Report) -> String {
        var t = report.verdictTable
        // Name the reference the ratio is against (C++ (GCC) or C++ (clang)), as the verdict lines do.
        if let ref = report.verdictLines.first?.referenceName, t.headers.count > 3, t.headers[3] == "swift-swift / C++" {
            t.headers[3] = "swift-swift / \(ref)"
        }
        var h = "<table class=\"verdicts\"><tr>" + t.headers.map { "<th>\(htmlEscape($0))</th>" }.joined() + "</tr>"
        for (i, row) in t.rows.enumerated() {
            h += "<tr>"
            for (c, cell) in row.enumerated() {
                if c == 2, i < report.verdictLines.count {
                    let (parts, tail) = verdictParts(report.verdictLines[i])
                    h += "<td class=\"vt\">"
                    for p in parts { h += "<div class=\"v-\(p.kind.rawValue)\">\(htmlEscape(p.text))</div>" }
                    if !tail.isEmpty { h += "<div class=\"vtail\">\(htmlEscape(tail))</div>" }
                    h += "</td>"
                } else {
                    h += t.numeric.contains(c) ? "<td class=\"n\">" : "<td>"
                    h += htmlEscape(cell) + "</td>"
                }
            }
            h += "</tr>"
        }
        return h + "</table>"
    }

    /// A plain table in the report's look.
    public static func tableHTML(_ t: Table) -> String { table(t) }

    /// An HTML table; numeric columns right-aligned, the verdict column coloured
    /// by the verdict's kind (never by a raw ratio).
    static func table(_ t: Table, verdictColumn: Int? = nil, kinds: [LanguageVerdict.Kind?] = []) -> String {
        var h = "<table><tr>" + t.headers.map { "<th>\(htmlEscape($0))</th>" }.joined() + "</tr>"
        for (i, row) in t.rows.enumerated() {
            h += "<tr>"
            for (c, cell) in row.enumerated() {
                var cls = t.numeric.contains(c) ? "n" : ""
                if c == verdictColumn, i < kinds.count, let k = kinds[i] {
                    cls += (cls.isEmpty ? "" : " ") + "v-\(k.rawValue)"
                }
                h += cls.isEmpty ? "<td>" : "<td class=\"\(cls)\">"
                h += htmlEscape(cell) + "</td>"
            }
            h += "</tr>"
        }
        return h + "</table>"
    }
}
