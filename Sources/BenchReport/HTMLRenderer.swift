import BenchResults
import BenchStats

/// One history chart: a benchmark's median over stored runs.
public struct TrendPanel: Sendable {
    public var title: String
    public var series: [SVGChart.Series]
    public var xLabels: [Double: String]
    public init(title: String, series: [SVGChart.Series], xLabels: [Double: String]) {
        self.title = title; self.series = series; self.xLabels = xLabels
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
    .slow{color:#b00020;font-weight:600}.fast{color:#1b7f3b;font-weight:600}
    """

    public static func render(_ report: Report, trends: [TrendPanel] = []) -> String {
        let r = report.run
        var h = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        h += "<title>l4bench run \(htmlEscape(r.id))</title><style>\(style)</style></head><body>"
        h += "<h1>l4bench run <code>\(htmlEscape(r.id))</code></h1>"
        for w in report.warnings { h += "<div class=\"warn\">\(htmlEscape(w))</div>" }
        h += "<table class=\"meta\">"
        for (k, v) in report.metadataRows { h += "<tr><td>\(htmlEscape(k))</td><td>\(htmlEscape(v))</td></tr>" }
        h += "</table>"

        if !report.headlineTable.rows.isEmpty {
            h += "<h2>Headline</h2><p>Empty round trip and RPC, swift-swift against cpp-cpp (1.000 is parity, below is faster), and what the harness adds to the bare C loop. The ratio compares the medians over all rounds; the median round ratio compares each round's medians first, so that host drift between rounds cancels.</p>"
            h += table(report.headlineTable, ratioColumn: 3)
        }

        if !report.references.isEmpty {
            h += "<h2>Harness against the raw reference</h2>"
            h += "<p>Median of the cpp-cpp pair divided by the median of the bare C loop (<code>.raw</code>) of the same suite, placement and parameter: what the harness itself adds.</p>"
            h += table(report.referenceTable, ratioColumn: 4)
        }

        h += "<h2>Distributions</h2><p>Box p25–p75, thick line the median, whiskers min to p99, dashed tick p90, dot the maximum. Cycles are TSC ticks.</p><div class=\"charts\">"
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
            h += SVGChart.boxPlot(title: k, boxes: boxes)
        }
        h += "</div>"

        let drifting = Dictionary(grouping: report.comparisons.filter { $0.roundRatios.count > 1 }, by: { $0.key.benchKey })
        if !drifting.isEmpty {
            h += "<h2>Drift across rounds</h2><p>Ratio to cpp-cpp per round. Pairs run interleaved, so host drift moves all pairs together and the ratio stays flat.</p><div class=\"charts\">"
            for k in drifting.keys.sorted() {
                let series = drifting[k]!.map { c in SVGChart.Series(label: c.key.pair, points: c.roundRatios.map { (Double($0.round), $0.ratio) }) }
                h += SVGChart.lines(title: k, series: series, yLabel: "ratio to cpp-cpp by round", reference: 1)
            }
            h += "</div>"
        }

        if !report.comparisons.isEmpty {
            h += "<h2>Swift against the C++ baseline</h2>"
            h += "<p>Median cycles of each pair divided by the cpp-cpp median of the same benchmark, placement and parameter; the interval is an approximate 95% interval; round drift is the range of the same ratio computed round by round.</p>"
            h += table(report.ratioTable, ratioColumn: 5)
        }

        if !trends.isEmpty {
            h += "<h2>History</h2><div class=\"charts\">"
            for t in trends { h += SVGChart.lines(title: t.title, series: t.series, xLabels: t.xLabels, yLabel: "median cycles per run") }
            h += "</div>"
        }

        h += "<h2>All statistics</h2>" + table(report.table, ratioColumn: 15)
        if !r.notes.isEmpty {
            h += "<h2>Failed or skipped pairs</h2>"
            h += table(report.notesTable)
        }
        h += "</body></html>\n"
        return h
    }

    /// An HTML table; numeric columns right-aligned, ratios coloured when clearly off 1.
    static func table(_ t: Table, ratioColumn: Int? = nil) -> String {
        var h = "<table><tr>" + t.headers.map { "<th>\(htmlEscape($0))</th>" }.joined() + "</tr>"
        for row in t.rows {
            h += "<tr>"
            for (c, cell) in row.enumerated() {
                var cls = t.numeric.contains(c) ? "n" : ""
                if c == ratioColumn, let v = Double(cell) {
                    if v > 1.05 { cls += " slow" } else if v < 0.95 { cls += " fast" }
                }
                h += cls.isEmpty ? "<td>" : "<td class=\"\(cls)\">"
                h += htmlEscape(cell) + "</td>"
            }
            h += "</tr>"
        }
        return h + "</table>"
    }
}
