import BenchResults
import BenchStats

/// Everything a rendered report shows about one run.
public struct Report: Sendable {
    public var run: Run
    public var stats: [GroupStatistics]
    public var comparisons: [PairComparison]
    /// cpp-cpp against the raw reference, where the run has one.
    public var references: [ReferenceComparison]
    /// Problems met while reading, shown at the top of every format.
    public var warnings: [String]

    public init(run: Run, stats: [GroupStatistics], warnings: [String] = []) {
        self.run = run
        self.stats = stats
        self.comparisons = PairComparison.within(stats)
        self.references = ReferenceComparison.within(stats)
        self.warnings = warnings
    }

    public init(outcome: ParseOutcome, threads: Int = 2) {
        var w: [String] = []
        if let f = outcome.fault { w.append("\(f) — the report covers the \(outcome.run.sampleCount) samples read before it") }
        if outcome.skippedCount > 0 {
            w.append("--lenient skipped \(outcome.skippedCount) bad line(s); first: \(outcome.skipped.first.map(String.init(describing:)) ?? "")")
        }
        if outcome.garbageLines > 0 { w.append("\(outcome.garbageLines) console line(s) held binary garbage (ignored, no results in them)") }
        if let incomplete = outcome.run[meta: "incomplete"] { w.append("incomplete run: \(incomplete)") }
        self.init(run: outcome.run, stats: GroupStatistics.of(outcome.run, threads: threads), warnings: w)
    }

    func comparison(for key: GroupKey) -> PairComparison? { comparisons.first { $0.key == key } }

    /// The statistics table every format renders.
    public var table: Table {
        var t = Table(headers: ["suite", "benchmark", "placement", "param", "pair", "n", "min", "p50", "median 95% CI",
                                "p90", "p99", "max", "mean", "sd", "MAD", "vs cpp-cpp", "ratio 95% CI", "round drift"],
                      numeric: [5, 6, 7, 9, 10, 11, 12, 13, 14, 15])
        for s in stats {
            let m = s.summary
            let c = comparison(for: s.key)
            let ci = m.medianCI.map { "\(Fmt.cycles($0.lowerBound))–\(Fmt.cycles($0.upperBound))" } ?? "n<6"
            let ratioCI = c.map { Fmt.interval($0.ratio) } ?? ""
            let drift = c?.roundRatioRange.map { $0.lowerBound == $0.upperBound ? Fmt.ratio($0.lowerBound) : "\(Fmt.ratio($0.lowerBound))–\(Fmt.ratio($0.upperBound))" } ?? ""
            t.rows.append([s.key.suite, s.key.benchmark, s.key.placement, s.key.param, s.key.pair, String(m.n),
                           Fmt.cycles(m.min), Fmt.cycles(m.p50), ci, Fmt.cycles(m.p90), Fmt.cycles(m.p99),
                           Fmt.cycles(m.max), Fmt.cycles(m.mean), Fmt.cycles(m.sd), Fmt.cycles(m.mad),
                           c.map { Fmt.ratio($0.ratio.ratio) } ?? (s.key.pair == "cpp-cpp" ? "baseline" : ""),
                           ratioCI, drift])
        }
        return t
    }

    /// The harness against the raw reference, one row per placement and parameter.
    public var referenceTable: Table {
        var t = Table(headers: ["suite", "benchmark", "placement", "param", "cpp-cpp vs raw", "95% interval"], numeric: [4])
        for c in references {
            t.rows.append([c.key.suite, c.key.benchmark, c.key.placement, c.key.param, Fmt.ratio(c.ratio.ratio),
                           Fmt.interval(c.ratio)])
        }
        return t
    }

    /// The answer in a few rows: swift-swift against cpp-cpp for the empty
    /// round trip and RPC of each suite and placement, and the harness against
    /// the raw reference.
    public var headlineTable: Table {
        var t = Table(headers: ["suite", "what", "placement", "ratio", "95% interval", "median round ratio", "round drift"], numeric: [3, 5])
        let keyBenchmarks = ["ipc.roundtrip", "ipc.rpc"]
        for c in comparisons where c.key.pair == "swift-swift" && c.key.param == "words=0" && keyBenchmarks.contains(c.key.benchmark) {
            t.rows.append([c.key.suite, "\(c.key.benchmark) swift-swift / cpp-cpp", c.key.placement, Fmt.ratio(c.ratio.ratio),
                           Fmt.interval(c.ratio), c.roundMedianRatio.map(Fmt.ratio) ?? "–", Fmt.range(c.roundRatioRange)])
        }
        for r in references {
            t.rows.append([r.key.suite, "\(r.key.benchmark) cpp-cpp / raw C", r.key.placement, Fmt.ratio(r.ratio.ratio),
                           Fmt.interval(r.ratio), "", ""])
        }
        return t
    }

    /// Swift pairs against cpp-cpp, one row per comparison.
    public var ratioTable: Table {
        var t = Table(headers: ["suite", "benchmark", "placement", "param", "pair", "ratio", "95% interval", "median round ratio", "round drift"], numeric: [5, 7])
        for c in comparisons {
            t.rows.append([c.key.suite, c.key.benchmark, c.key.placement, c.key.param, c.key.pair, Fmt.ratio(c.ratio.ratio),
                           Fmt.interval(c.ratio), c.roundMedianRatio.map(Fmt.ratio) ?? "–", Fmt.range(c.roundRatioRange)])
        }
        return t
    }

    /// Failed and skipped pairs, notes with the same kind and reason folded into one row.
    public var notesTable: Table {
        Table(headers: ["status", "placements", "pairs", "benchmarks", "groups", "reason"],
              rows: NoteGroup.of(run.notes).map { [$0.kind.rawValue, $0.placements.joined(separator: ", "), $0.pairs.joined(separator: ", "),
                                                  $0.benchmarks.joined(separator: ", "), String($0.count), $0.reason] })
    }

    /// Run metadata as label/value pairs, in file order.
    public var metadataRows: [(String, String)] {
        [("run", run.id), ("source", run.source), ("samples in file", String(run.sampleCount))] + run.metadata.map { ($0.key, $0.value) }
    }
}

/// A plain table: headers, rows of text, and which columns are numeric.
public struct Table: Sendable {
    public var headers: [String]
    public var rows: [[String]] = []
    public var numeric: Set<Int>

    public init(headers: [String], rows: [[String]] = [], numeric: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.numeric = numeric
    }
}
