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
    /// Group key -> index in `comparisons`, so that tables are linear in the groups.
    var comparisonIndex: [GroupKey: Int] = [:]
    /// The verdict of each benchmark and placement (swift-swift against
    /// cpp-cpp, over the parameters), first in every format.
    public private(set) var verdictLines: [VerdictLine] = []
    /// The A/A control's ratio per benchmark and placement: the run's noise floor.
    public private(set) var controlLines: [(title: String, interval: RoundInterval)] = []

    public init(run: Run, stats: [GroupStatistics], warnings: [String] = []) {
        self.run = run
        self.stats = stats
        self.comparisons = PairComparison.within(stats)
        self.comparisonIndex = Dictionary(comparisons.enumerated().map { ($0.element.key, $0.offset) }, uniquingKeysWith: { a, _ in a })
        self.verdictLines = VerdictLine.of(comparisons)
        self.controlLines = VerdictLine.of(comparisons, pair: PairComparison.controlPair).map { ($0.title, $0.verdict.interval) }
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
        let stats = GroupStatistics.of(outcome.run, threads: threads)
        let wrapped = stats.filter { $0.summary.max >= Self.wrappedTSCThreshold }
        if !wrapped.isEmpty {
            w.append("\(wrapped.count) group(s) hold values of 2^63 or more, which look like wrapped TSC deltas (an end timestamp read before the start, or on another CPU): "
                     + "\(wrapped.prefix(3).map(\.key.description).joined(separator: ", "))\(wrapped.count > 3 ? ", …" : ""); they dominate the mean and sd of their group; medians and ratios are unaffected")
        }
        self.init(run: outcome.run, stats: stats, warnings: w)
    }

    /// Values from here up look like a TSC delta that wrapped below zero.
    public static let wrappedTSCThreshold = 9_223_372_036_854_775_808.0

    public func comparison(for key: GroupKey) -> PairComparison? { comparisonIndex[key].map { comparisons[$0] } }

    /// What the numbers count: instructions under icount (the guest TSC counts
    /// executed instructions), TSC ticks everywhere else.
    public var unit: String { Self.unit(of: run) }

    public static func unit(of run: Run) -> String {
        run[meta: "accel"] == "icount" ? "instructions (icount)" : "TSC ticks"
    }

    /// The verdicts as a table: one row per benchmark and placement.
    public var verdictTable: Table {
        var t = Table(headers: ["benchmark", "placement", "verdict", "swift-swift / cpp-cpp", "95% interval (rounds)", "rounds", "A/A control"],
                      numeric: [3, 5])
        for v in verdictLines {
            t.rows.append(["\(v.suite) \(v.benchmark)", v.placement, v.verdict.text, Fmt.ratio(v.verdict.ratio),
                           Fmt.interval(v.verdict.interval.hasInterval || v.verdict.interval.deterministic ? v.verdict.interval : nil),
                           String(v.verdict.interval.units),
                           v.control.map { "\(Fmt.ratio($0.estimate)) (\(Fmt.interval($0)))" } ?? "none"])
        }
        return t
    }

    /// The statistics table every format renders: each group's samples pooled
    /// over its rounds (the spread within rounds), and its round-level ratio.
    public var table: Table {
        var t = Table(headers: ["suite", "benchmark", "placement", "param", "pair", "n", "rounds", "min", "p50",
                                "p90", "p99", "max", "mean", "sd", "MAD", "vs cpp-cpp", "95% interval (rounds)"],
                      numeric: [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
        for s in stats {
            let m = s.summary
            let c = comparison(for: s.key)
            t.rows.append([s.key.suite, s.key.benchmark, s.key.placement, s.key.param, s.key.pair, String(m.n), String(s.rounds.count),
                           Fmt.cycles(m.min), Fmt.cycles(m.p50), Fmt.cycles(m.p90), Fmt.cycles(m.p99),
                           Fmt.cycles(m.max), Fmt.cycles(m.mean), Fmt.cycles(m.sd), Fmt.cycles(m.mad),
                           c.map { Fmt.ratio($0.ratio) } ?? (s.key.isBaselinePair ? "baseline" : ""),
                           c.map { Fmt.interval($0.interval) } ?? ""])
        }
        return t
    }

    /// The harness against the raw reference, one row per placement and parameter.
    public var referenceTable: Table {
        var t = Table(headers: ["suite", "benchmark", "placement", "param", "cpp-cpp vs raw", "95% interval (rounds)"], numeric: [4])
        for c in references {
            t.rows.append([c.key.suite, c.key.benchmark, c.key.placement, c.key.param, Fmt.ratio(c.ratio.estimate),
                           Fmt.interval(c.ratio)])
        }
        return t
    }

    /// Every pair against cpp-cpp, one row per group, with its verdict.
    public var ratioTable: Table {
        var t = Table(headers: ["suite", "benchmark", "placement", "param", "pair", "ratio", "95% interval (rounds)", "rounds",
                                "round range", "verdict"], numeric: [5, 7])
        for c in comparisons {
            t.rows.append([c.key.suite, c.key.benchmark, c.key.placement, c.key.param, c.key.pair, Fmt.ratio(c.ratio),
                           Fmt.interval(c.interval), String(c.roundRatios.count), Fmt.range(c.roundRatioRange),
                           c.verdict?.text ?? "–"])
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
