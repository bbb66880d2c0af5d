import ArgumentParser
import Foundation
import BenchReport
import BenchResults
import BenchStats
import BenchStore

#if canImport(Glibc)
import Glibc
#endif

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how each benchmark moved over the runs stored under Results/, and where it changed.",
        discussion: """
        Each run contributes one value per group: the geometric mean of its round medians. Change points \
        are found by binary segmentation with Welch's t test between whole segments of runs (at least two \
        runs each side), never by comparing a run with the one before it alone; a change must be \
        significant and larger than 2%. Exits 8 when a stored run could not be read (it is listed with the reason).
        """)

    @Option(help: "Results directory (default: Results and Results/l4re).")
    var results: String?

    @Option(help: "Only this machine (default: all machines).")
    var machine: String?

    @Option(help: "Only groups whose name (suite/benchmark/pair/placement/param) contains this text.")
    var bench: String?

    @Option(help: "Write an HTML page with trend charts here.")
    var html: String?

    @Option(help: "Show at most this many of the latest runs in the table.")
    var last = 6

    @OptionGroup var inputOptions: InputOptions

    func run() throws {
        let builder = HistoryBuilder(roots: results.map { [$0] } ?? ["Results", "Results/l4re"], machine: machine, filter: bench, threads: inputOptions.threads)
        let c = builder.collect()
        for s in c.skipped { Console.error("history: skipped \(s.file): \(s.reason)") }
        guard !c.runs.isEmpty else {
            throw ExitCode.noStoredRuns.withMessage("no stored runs under \(builder.roots.joined(separator: " or "))\(machine.map { "/" + $0 } ?? "/*")/runs; store one with `l4bench ingest LOG --store`")
        }
        let units = Set(c.runs.map(\.unit))
        let shown = Array(c.runs.suffix(last))
        let firstShown = c.runs.count - shown.count
        var t = Table(headers: ["group"] + shown.map { String($0.commit.prefix(7)) + " " + $0.date } + ["change"],
                      numeric: Set(1...(shown.count + 1)))
        var changeLines: [String] = []
        // Change points by run and benchmark: where cpp-cpp moved too, one line for the platform.
        var byRunBench: [String: [(key: GroupKey, change: Double)]] = [:]
        var order: [String] = []
        for key in c.series.keys.sorted() {
            let pts = c.series[key]!
            var row = [key.description]
            for i in firstShown..<c.runs.count {
                row.append(pts.first { $0.runIndex == i }.map { Fmt.count($0.value) } ?? "–")
            }
            if let a = pts.first?.value, let b = pts.last?.value, a > 0, pts.count > 1 {
                row.append(LanguageVerdict.signedPercent(b / a - 1))
            } else { row.append("") }
            t.rows.append(row)
            for (ch, run) in HistoryBuilder.changes(pts) {
                let id = "\(run)\u{1}\(key.benchKey)"
                if byRunBench[id] == nil { order.append(id) }
                byRunBench[id, default: []].append((key, ch.change))
            }
        }
        for id in order {
            let items = byRunBench[id]!
            let run = Int(id.split(separator: "\u{1}")[0])!
            let r = c.runs[run]
            let k = items[0].key
            let at = "from commit \(r.commit.prefix(12)) (\(r.date))"
            let what = "\(k.benchmark) \(k.placement) \(k.param) (\(k.suite))"
            if items.contains(where: { $0.key.isBaselinePair }) && items.count > 1 {
                let lo = items.map(\.change).min()!, hi = items.map(\.change).max()!
                let range = lo == hi ? LanguageVerdict.signedPercent(lo) : "\(LanguageVerdict.signedPercent(lo)) to \(LanguageVerdict.signedPercent(hi))"
                changeLines.append("\(what): \(items.count) pairs, cpp-cpp included, \(range) \(at): the platform moved")
            } else {
                for (key, change) in items {
                    changeLines.append("\(key.benchmark) \(key.pair) \(key.placement) \(key.param) (\(key.suite)): \(LanguageVerdict.signedPercent(change)) \(at)")
                }
            }
        }
        Console.out("\(c.runs.count) stored run(s); per run the geometric mean of its round medians (\(units.sorted().joined(separator: ", "))); change from the first to the last\n")
        if units.count > 1 { Console.out("warning: these runs count different units; pass --machine to keep icount and cycle runs apart\n") }
        Console.out(TextRenderer.terminal(t))
        Console.out(changeLines.isEmpty ? "\nno change points\n" : "\nchange points:\n" + changeLines.map { "  " + $0 }.joined(separator: "\n") + "\n")
        if let html {
            var body = "<h1>History</h1><p class=\"note\">\(c.runs.count) runs\(machine.map { " of " + htmlEscape($0) } ?? ""); "
            body += "per run the geometric mean of its round medians (\(htmlEscape(units.sorted().joined(separator: ", ")))); "
            body += "commits on the x axis, the date under a commit where it changes; dashed red lines mark change points.</p>"
            body += "<h2>Charts</h2><div class=\"charts\">"
            for p in builder.panels(c) {
                body += SVGChart.lines(title: p.title, series: p.series, xLabels: p.xLabels,
                                       yLabel: "median \(units.count == 1 ? units.first! : "value") per run", marks: p.marks)
            }
            body += "</div>"
            if !changeLines.isEmpty {
                body += "<h2>Change points</h2><ul>" + changeLines.map { "<li>\(htmlEscape($0))</li>" }.joined() + "</ul>"
            }
            body += "<h2>Values</h2>" + HTMLRenderer.tableHTML(t)
            try writeFile(HTMLRenderer.page(title: "l4bench history", body: body), html)
            Console.error("wrote \(html)")
        }
        if !c.skipped.isEmpty { throw ExitCode.historyIncomplete.withMessage("\(c.skipped.count) problem(s) with stored runs or their summaries (listed above)") }
    }
}
