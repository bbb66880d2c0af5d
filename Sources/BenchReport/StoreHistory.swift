import BenchResults
import BenchStats
import BenchStore
import Foundation

/// Every group's round-level median across the stored runs of a machine, and
/// where each series moved.
public struct HistoryBuilder {
    /// Stores to read: one given, or by default both Results (Linux) and Results/l4re.
    public var roots: [String]
    public var machine: String?
    public var filter: String?
    /// Parser threads for runs read in full.
    public var threads: Int

    public init(roots: [String], machine: String? = nil, filter: String? = nil, threads: Int = 2) {
        self.roots = roots
        self.machine = machine
        self.filter = filter
        self.threads = threads
    }

    public struct RunInfo: Sendable { public var file: String; public var stamp: String; public var commit: String; public var date: String; public var unit: String }
    /// One run's value of a group: the geometric mean of its round medians (rounds are the units).
    public struct Point: Sendable { public var runIndex: Int; public var value: Double }

    public struct Collected: Sendable {
        public var runs: [RunInfo] = []
        public var series: [GroupKey: [Point]] = [:]
        /// Stored runs that could not be read (damaged, a summary that disagrees, a link
        /// refused), with the reason: listed, never taking the other runs with them.
        public var skipped: [(file: String, reason: String)] = []
    }

    /// The runs of every machine: from each machine's summaries where they are
    /// (checked against the runs they describe), else from the runs themselves.
    public func collect() -> Collected {
        var c = Collected()
        struct Entry { var name: String; var info: RunInfo; var values: [(key: GroupKey, value: Double)] }
        var entries: [Entry] = []
        for root in roots {
            let store = ResultsStore(root: root)
            let machines: [String]
            if let machine { machines = [ResultsStore.slug(machine)] } else {
                let folders = store.machineFolders()
                machines = folders.names
                c.skipped += folders.refused
            }
            for m in machines {
                let (runs, refused) = store.listRuns(machine: m)
                c.skipped += refused
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
                    let outcome = ResultsParser.parse(path: file, options: ParseOptions(lenient: true, threads: threads))
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
    public static func changes(_ pts: [Point]) -> [(change: ChangePoints.Change, runIndex: Int)] {
        ChangePoints.detect(pts.map(\.value)).map { ($0, pts[$0.index].runIndex) }
    }

    /// x labels: the short commit, with the date under it where the date changes.
    public static func xLabels(_ runs: [RunInfo]) -> [Double: String] {
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
    public func panels(_ c: Collected? = nil) -> [TrendPanel] {
        let c = c ?? collect()
        guard c.runs.count > 1 else { return [] }
        let labels = Self.xLabels(c.runs)
        let byChart = Dictionary(grouping: c.series.keys, by: { "\($0.suite)/\($0.benchmark)/\($0.placement)" })
        // By suite, benchmark, placement: a benchmark's chart before its phases' (`cap.map` before `cap.map.phase.call`).
        let order = byChart.keys.sorted { $0.split(separator: "/").lexicographicallyPrecedes($1.split(separator: "/")) }
        return order.map { chart in
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
