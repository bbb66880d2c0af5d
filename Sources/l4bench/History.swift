import ArgumentParser
import BenchReport
import BenchResults
import BenchStore

/// Median of every group across the stored runs of a machine.
struct HistoryBuilder {
    var root: String
    var machine: String?
    var filter: String?
    var options: InputOptions

    struct Point { var runIndex: Int; var stamp: String; var median: Double }

    /// Run stamps in order, and per group key its points.
    func collect() -> (stamps: [String], series: [GroupKey: [Point]]) {
        var stamps: [String] = []
        var series: [GroupKey: [Point]] = [:]
        for file in ResultsStore(root: root).runFiles(machine: machine) {
            let outcome = ResultsParser.parse(path: file, options: ParseOptions(lenient: true, threads: options.threads))
            if let f = outcome.fault { Console.error("history: \(f)") }
            guard outcome.run.sampleCount > 0 else { continue }
            let stamp = String(file.split(separator: "/").last!.prefix(16))
            let idx = stamps.count
            stamps.append(stamp)
            for s in GroupStatistics.of(outcome.run, threads: options.threads) {
                if let filter, !s.key.description.contains(filter) { continue }
                series[s.key, default: []].append(Point(runIndex: idx, stamp: stamp, median: s.summary.p50))
            }
        }
        return (stamps, series)
    }

    func panels() -> [TrendPanel] {
        let (stamps, series) = collect()
        guard stamps.count > 1 else { return [] }
        let labels = Dictionary(uniqueKeysWithValues: stamps.enumerated().map { (Double($0.offset), String($0.element.prefix(8))) })
        let byBench = Dictionary(grouping: series.keys, by: \.benchKey)
        return byBench.keys.sorted().map { bk in
            TrendPanel(title: bk, series: byBench[bk]!.sorted().map { k in
                SVGChart.Series(label: k.pair, points: series[k]!.map { (Double($0.runIndex), $0.median) })
            }, xLabels: labels)
        }
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how each benchmark's median moved over the runs stored under Results/.")

    @Option(help: "Results directory.")
    var results = "Results"

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
        let builder = HistoryBuilder(root: results, machine: machine, filter: bench, options: inputOptions)
        let (stamps, series) = builder.collect()
        guard !stamps.isEmpty else {
            throw ExitCode(1).withMessage("no stored runs under \(results)\(machine.map { "/" + $0 } ?? "")/*/runs; store one with `l4bench ingest LOG --store`")
        }
        let shown = Array(stamps.suffix(last))
        let firstShown = stamps.count - shown.count
        var t = Table(headers: ["group"] + shown.map { String($0.prefix(15)) } + ["change"],
                      numeric: Set(1...(shown.count + 1)))
        for key in series.keys.sorted() {
            let pts = series[key]!
            var row = [key.description]
            for i in firstShown..<stamps.count {
                row.append(pts.first { $0.runIndex == i }.map { String(Int($0.median.rounded())) } ?? "–")
            }
            if let a = pts.first?.median, let b = pts.last?.median, a > 0, pts.count > 1 {
                let c = (b / a - 1) * 100
                row.append((c >= 0 ? "+" : "") + String((c * 100).rounded() / 100) + "%")
            } else { row.append("") }
            t.rows.append(row)
        }
        Console.out("\(stamps.count) stored run(s); median cycles per run, change from the first to the last\n")
        Console.out(TextRenderer.terminal(t))
        if let html {
            let panels = builder.panels()
            var page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>l4bench history</title></head><body style=\"font-family:sans-serif\"><h1>History</h1>"
            for p in panels { page += SVGChart.lines(title: p.title, series: p.series, xLabels: p.xLabels, yLabel: "median cycles per run") }
            page += "</body></html>\n"
            try writeFile(page, html)
            Console.error("wrote \(html)")
        }
    }
}
