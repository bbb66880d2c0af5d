import ArgumentParser
import BenchReport
import BenchResults
import BenchStats
import BenchStore

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a run with a baseline, and Swift pairs with cpp-cpp within the run.",
        discussion: """
        A change is a regression when it is significant (Mann-Whitney U for the median, disjoint \
        distribution-free 95% intervals for p90 and p99) and larger than the relative threshold: by \
        default p50 2%, p90 5%, p99 10%. Set thresholds with --threshold p50=3%, per benchmark with \
        --threshold ipc.roundtrip:p99=15%, or switch a percentile off with --threshold p99=off. \
        Exits 2 when a regression is found.
        """)

    @Argument(help: "The run to judge.")
    var runFile: String

    @Argument(help: "Baseline results file. Without it, --stored uses the machine's stored baseline; otherwise only the within-run comparison is printed.")
    var baseline: String?

    @Flag(help: "Compare against Results/<machine>/baseline.csv.")
    var stored = false

    @Option(help: "Results directory for --stored.")
    var results = "Results"

    @Option(name: .customLong("threshold"), help: "[BENCHMARK:]pNN=X% (repeatable).")
    var thresholds: [String] = []

    @Option(help: "Significance level.")
    var alpha = 0.01

    @OptionGroup var inputOptions: InputOptions

    func run() throws {
        var rule = RegressionRule(alpha: alpha)
        for t in thresholds {
            do { try rule.apply(spec: t) } catch { throw ValidationError("\(error)") }
        }
        let current = try load(runFile, inputOptions)
        let report = Report(outcome: current, threads: inputOptions.threads)
        printWithin(report)

        var basePath = baseline
        if basePath == nil && stored { basePath = ResultsStore(root: results).baselinePath(machine: current.run.machine) }
        var regressions = 0
        if let basePath {
            let base = try load(basePath, inputOptions)
            regressions = judge(current.run, against: base.run, basePath: basePath, rule: rule)
        }
        try finish(current)
        if regressions > 0 { throw ExitCode.regression }
    }

    func printWithin(_ report: Report) {
        guard !report.comparisons.isEmpty else {
            Console.out("within run: no pair has a cpp-cpp baseline to compare with\n\n")
            return
        }
        var t = Table(headers: ["suite", "benchmark", "placement", "param", "pair", "median", "cpp-cpp median", "ratio", "95% interval", "round drift"],
                      numeric: [5, 6, 7])
        for c in report.comparisons {
            let s = report.stats.first { $0.key == c.key }!.summary
            let b = report.stats.first { $0.key == c.baselineKey }!.summary
            t.rows.append([c.key.suite, c.key.benchmark, c.key.placement, c.key.param, c.key.pair, String(Int(s.p50.rounded())),
                           String(Int(b.p50.rounded())), ratio(c.ratio.ratio),
                           c.ratio.hasInterval ? "\(ratio(c.ratio.lo))–\(ratio(c.ratio.hi))" : "–",
                           c.roundRatioRange.map { "\(ratio($0.lowerBound))–\(ratio($0.upperBound))" } ?? "–"])
        }
        Console.out("Within run \(report.run.id): medians against cpp-cpp\n" + TextRenderer.terminal(t) + "\n")
    }

    func ratio(_ v: Double) -> String { String(Int((v * 1000).rounded())).withDecimal3() }

    /// Prints verdicts; returns the number of regressions.
    func judge(_ run: Run, against base: Run, basePath: String, rule: RegressionRule) -> Int {
        if run.machine != base.machine {
            Console.error("warning: comparing machine '\(run.machine)' with a baseline from '\(base.machine)'")
        }
        var t = Table(headers: ["group", "pct", "baseline", "current", "change", "threshold", "evidence", "verdict"], numeric: [2, 3, 4, 5])
        var findings: [String] = []
        var regressions = 0
        for g in run.groups {
            guard let bg = base.group(g.key) else {
                findings.append("new      \(g.key) (not in baseline)")
                continue
            }
            let verdicts = rule.judge(benchmark: g.key.benchmark, baseline: bg.values.sorted(), current: g.values.sorted())
            for v in verdicts {
                t.rows.append([g.key.description, "p\(v.percentile)", String(Int(v.baseline.rounded())), String(Int(v.current.rounded())),
                               pct(v.change), pct(v.threshold).replacingPlus(), v.evidence, v.status.rawValue])
                if v.status == .regression {
                    regressions += 1
                    findings.append("REGRESSION \(g.key) p\(v.percentile): \(Int(v.baseline.rounded())) → \(Int(v.current.rounded())) cycles (\(pct(v.change)), threshold \(pct(v.threshold).replacingPlus()), \(v.evidence))")
                } else if v.status == .improvement {
                    findings.append("improved  \(g.key) p\(v.percentile): \(pct(v.change)) (\(v.evidence))")
                }
            }
        }
        for g in base.groups where run.group(g.key) == nil { findings.append("missing  \(g.key) (in baseline, not in run)") }
        Console.out("Against baseline \(basePath) (run \(base.id))\n" + TextRenderer.terminal(t) + "\n")
        for f in findings { Console.out(f + "\n") }
        Console.out(regressions == 0 ? "no regression\n" : "\(regressions) regression(s)\n")
        return regressions
    }

    func pct(_ v: Double) -> String {
        let x = (v * 10000).rounded() / 100
        return (x >= 0 ? "+" : "") + "\(x)%"
    }
}

extension String {
    /// "1234" (thousandths) -> "1.234".
    func withDecimal3() -> String {
        var s = self
        let neg = s.hasPrefix("-")
        if neg { s.removeFirst() }
        while s.count < 4 { s = "0" + s }
        let i = s.index(s.endIndex, offsetBy: -3)
        return (neg ? "-" : "") + s[..<i] + "." + s[i...]
    }

    func replacingPlus() -> String { hasPrefix("+") ? String(dropFirst()) : self }
}
