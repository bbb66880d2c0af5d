import ArgumentParser
import Foundation
import BenchReport
import BenchResults
import BenchStats
import BenchStore

#if canImport(Glibc)
import Glibc
#endif

/// Every group's round-level median across the stored runs of a machine, and
/// where each series moved.
struct HistoryBuilder {
    /// Stores to read: one given, or by default both Results (Linux) and Results/l4re.
    var roots: [String]
    var machine: String?
    var filter: String?
    var options: InputOptions

    struct RunInfo { var file: String; var stamp: String; var commit: String; var date: String; var unit: String }
    /// One run's value of a group: the geometric mean of its round medians (rounds are the units).
    struct Point { var runIndex: Int; var value: Double }

    struct Collected {
        var runs: [RunInfo] = []
        var series: [GroupKey: [Point]] = [:]
        /// Stored runs that could not be read, with the reason.
        var skipped: [(file: String, reason: String)] = []
    }

    /// The runs of every machine: from each machine's summaries where they are
    /// (checked against the runs they describe), else from the runs themselves.
    func collect() -> Collected {
        var c = Collected()
        struct Entry { var name: String; var info: RunInfo; var values: [(key: GroupKey, value: Double)] }
        var entries: [Entry] = []
        for root in roots {
            let store = ResultsStore(root: root)
            let machines: [String]
            if let machine { machines = [ResultsStore.slug(machine)] } else {
                machines = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
            }
            for m in machines {
                let runs = store.runFiles(machine: m)
                guard !runs.isEmpty else { continue }
                let (records, problems) = Summaries(store: store).read(machine: m)
                for p in problems { c.skipped.append((p.file, p.reason)) }
                var summarised = Set<String>()
                for r in records {
                    summarised.insert(r.file)
                    let name = (r.file as NSString).lastPathComponent
                    let unit = r.accel == "icount" ? "instructions (icount)" : "TSC ticks"
                    entries.append(Entry(name: name, info: RunInfo(file: r.file, stamp: String(name.prefix(16)), commit: r.commit,
                                                                   date: String((r.date.isEmpty ? name : r.date).prefix(10)), unit: unit),
                                         values: r.groups))
                }
                for file in runs where !summarised.contains(file) {
                    let outcome = ResultsParser.parse(path: file, options: ParseOptions(lenient: true, threads: options.threads))
                    guard outcome.run.sampleCount > 0 else {
                        c.skipped.append((file, outcome.fault.map { "\($0.kind): \($0.detail)" } ?? "no samples"))
                        continue
                    }
                    if let f = outcome.fault { c.skipped.append((file, "read in part (\(f.kind): \(f.detail))")) }
                    let name = (file as NSString).lastPathComponent
                    entries.append(Entry(name: name, info: RunInfo(file: file, stamp: String(name.prefix(16)), commit: outcome.run[meta: "commit"] ?? "unknown",
                                                                   date: String((outcome.run[meta: "date"] ?? name).prefix(10)), unit: Report.unit(of: outcome.run)),
                                         values: Summaries.values(of: outcome.run)))
                }
            }
        }
        entries.sort { $0.name < $1.name }
        for e in entries {
            let idx = c.runs.count
            c.runs.append(e.info)
            for (key, value) in e.values {
                if let filter, !key.description.contains(filter) { continue }
                c.series[key, default: []].append(Point(runIndex: idx, value: value))
            }
        }
        return c
    }

    /// Change points of one series, with the run where each starts.
    static func changes(_ pts: [Point]) -> [(change: ChangePoints.Change, runIndex: Int)] {
        ChangePoints.detect(pts.map(\.value)).map { ($0, pts[$0.index].runIndex) }
    }

    /// x labels: the short commit, with the date under it where the date changes.
    static func xLabels(_ runs: [RunInfo]) -> [Double: String] {
        var out: [Double: String] = [:]
        var lastDate = ""
        for (i, r) in runs.enumerated() {
            let short = String(r.commit.prefix(7))
            out[Double(i)] = r.date != lastDate ? "\(short)\n\(r.date)" : short
            lastDate = r.date
        }
        return out
    }

    /// One chart per benchmark and placement, one line per pair: per run the
    /// geometric mean of the pair's values over the benchmark's parameters (runs
    /// that lack one of them are left out of that line), change points marked.
    func panels(_ c: Collected? = nil) -> [TrendPanel] {
        let c = c ?? collect()
        guard c.runs.count > 1 else { return [] }
        let labels = Self.xLabels(c.runs)
        let byChart = Dictionary(grouping: c.series.keys, by: { "\($0.suite)/\($0.benchmark)/\($0.placement)" })
        return byChart.keys.sorted().map { chart in
            let keys = byChart[chart]!
            let params = Set(keys.map(\.param)).sorted()
            var lines: [(pair: String, points: [Point])] = []
            for pair in Set(keys.map(\.pair)).sorted() {
                let mine = keys.filter { $0.pair == pair }
                guard mine.count == params.count else { continue }
                var byRun: [Int: [Double]] = [:]
                for k in mine { for p in c.series[k]! { byRun[p.runIndex, default: []].append(p.value) } }
                let points = byRun.keys.sorted().compactMap { run -> Point? in
                    let v = byRun[run]!
                    guard v.count == params.count else { return nil }
                    return Point(runIndex: run, value: exp(v.reduce(0) { $0 + log($1) } / Double(v.count)))
                }
                lines.append((pair, points))
            }
            // One mark per change position: the pairs that moved there and by how much.
            var at: [Int: [(String, Double)]] = [:]
            for l in lines {
                for (ch, run) in Self.changes(l.points) { at[run, default: []].append((l.pair, ch.change)) }
            }
            let marks = at.keys.sorted().map { run -> SVGChart.Mark in
                let items = at[run]!
                let lo = items.map(\.1).min()!, hi = items.map(\.1).max()!
                let range = lo == hi ? LanguageVerdict.signedPercent(lo) : "\(LanguageVerdict.signedPercent(lo))…\(LanguageVerdict.signedPercent(hi))"
                let who = items.count == 1 ? items[0].0 : "\(items.count) pairs"
                return SVGChart.Mark(x: Double(run) - 0.5, label: "\(who) \(range)")
            }
            let title = chart + (params.count > 1 ? " (geometric mean over \(params.joined(separator: ", ")))" : params.first.map { $0 == "-" ? "" : " \($0)" } ?? "")
            return TrendPanel(title: title, series: lines.map { l in
                SVGChart.Series(label: l.pair, points: l.points.map { (Double($0.runIndex), $0.value) })
            }, xLabels: labels, marks: marks)
        }
    }
}

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
        let builder = HistoryBuilder(roots: results.map { [$0] } ?? ["Results", "Results/l4re"], machine: machine, filter: bench, options: inputOptions)
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
        if !c.skipped.isEmpty { throw ExitCode.historyIncomplete.withMessage("\(c.skipped.count) stored run(s) could not be read in full (listed above)") }
    }
}
