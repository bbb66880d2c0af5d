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
    /// Benchmarks whose A/A control differs from cpp-cpp (the run check; never a gate).
    public private(set) var runCheckFailures: [String] = []
    /// The looks of the run's stopping rule (one look at 95% for a run without one).
    public private(set) var looks: [AlphaSpending.Look] = []

    /// The looks a run took: from `round_end_s` and `budget_s` (a sequential
    /// Linux run), else one look at all its rounds at 95%.
    public static func looks(of run: Run, stats: [GroupStatistics]) -> [AlphaSpending.Look] {
        let maxRounds = stats.map(\.rounds.count).max() ?? 0
        guard let ends = roundEnds(of: run), !ends.isEmpty else {
            return [AlphaSpending.Look(rounds: maxRounds, alpha: 1 - LanguageVerdict.level)]
        }
        let budget = run[meta: "budget_s"].flatMap(Double.init)
        let most = run[meta: "rounds"].flatMap(Int.init) ?? ends.count
        return AlphaSpending.standard.looks(roundEnds: ends, budget: budget, maxRounds: most, lastIsFinal: true)
    }

    static func roundEnds(of run: Run) -> [Double]? {
        guard let s = run[meta: "round_end_s"], !s.isEmpty else { return nil }
        let v = s.split(separator: ",").compactMap { Double($0) }
        return v.isEmpty ? nil : v
    }

    /// Rounds of each group whose block failed (`fail` notes "round N: …"): left out of its ratios, and listed.
    static func failedRounds(of run: Run) -> [GroupKey: [Int: String]] {
        var out: [GroupKey: [Int: String]] = [:]
        for n in run.notes where n.kind == .fail && n.reason.hasPrefix("round ") {
            let rest = n.reason.dropFirst(6)
            guard let colon = rest.firstIndex(of: ":"), let r = Int(rest[..<colon]) else { continue }
            out[n.key, default: [:]][r] = String(rest[rest.index(after: colon)...]).trimmingCharacters(in: " ")
        }
        return out
    }

    /// How the verdicts name the C++ builds: the default `cpp` by its compiler
    /// (`compiler.cpp` in the metadata, else the toolchain), the other by its tag.
    static func cxxNames(of run: Run, stats: [GroupStatistics]) -> (reference: String, other: String?) {
        func name(_ tag: String) -> String { tag == "gcc" ? "C++ (GCC)" : tag == "clang" ? "C++ (clang)" : "C++ (\(tag))" }
        let otherTag = stats.lazy.compactMap { CxxLabel.isCompilerReference($0.key) ? CxxLabel.compiler($0.key.client) : nil }.first
        let cc = (run[meta: "compiler.cpp"] ?? run[meta: "toolchain"] ?? "").lowercased()
        var ref = "C++"
        if cc.contains("clang") { ref = "C++ (clang)" } else if cc.contains("gcc") || cc.contains("g++") { ref = "C++ (GCC)" }
        else if otherTag == "clang" { ref = "C++ (GCC)" } else if otherTag == "gcc" { ref = "C++ (clang)" }
        return (ref, otherTag.map(name))
    }

    public init(run: Run, stats: [GroupStatistics], warnings: [String] = []) {
        self.run = run
        self.stats = stats
        let looks = Self.looks(of: run, stats: stats)
        let ends = Self.roundEnds(of: run) ?? []
        self.looks = looks
        self.comparisons = PairComparison.within(stats, failedRounds: Self.failedRounds(of: run), looks: looks)
        self.comparisonIndex = Dictionary(comparisons.enumerated().map { ($0.element.key, $0.offset) }, uniquingKeysWith: { a, _ in a })
        self.verdictLines = VerdictLine.of(comparisons, looks: looks, roundEnds: ends, names: Self.cxxNames(of: run, stats: stats))
        let controlVerdicts = VerdictLine.of(comparisons, pair: PairComparison.controlPair, looks: looks, roundEnds: ends)
        self.controlLines = controlVerdicts.map { ($0.title, $0.verdict.interval) }
        self.runCheckFailures = controlVerdicts.filter { $0.verdict.kind == .faster || $0.verdict.kind == .slower }.map { "\($0.title): \($0.verdict.text)" }
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
        var t = Table(headers: ["benchmark", "placement", "verdict", "swift-swift / C++", "interval (rounds, at its look)", "rounds", "A/A control"],
                      numeric: [3, 5])
        for v in verdictLines {
            t.rows.append(["\(v.suite) \(v.benchmark)", v.placement, v.text, Fmt.ratio(v.verdict.ratio),
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

extension Fmt {
    static func seconds(_ s: Double) -> String { fixed(s, 1) + " s" }
}

extension String {
    func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
