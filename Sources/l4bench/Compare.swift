import ArgumentParser
import Foundation
import BenchReport
import BenchResults
import BenchStats
import BenchStore

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a run with a baseline, and Swift pairs with cpp-cpp within the run.",
        discussion: """
        Everything is judged over rounds, the run's independent units. A pair is judged by its ratio to \
        cpp-cpp in the same round (p50, p90 and p99 of each round), compared between the runs with \
        Welch's t test on the logarithms, with an assumed spread between runs (--between-run-sd) added; \
        with several runs per side (--new, --base: three runs or more in all) the spread between runs is \
        estimated instead (random effects: each run's mean over its rounds is one unit, pooled t with the \
        runs' degrees of freedom), and the output says which was used; \
        cpp-cpp itself and the raw reference measure the platform and are judged by their own values; the \
        A/A control cpp-cpp.b is reported and never fails the gate. A change is a regression when it is \
        significant after Holm's correction over every judged percentile of every pair (family-wise \
        --alpha) and larger than the relative threshold: by \
        default p50 2%, p90 5%, p99 10%. Set thresholds with --threshold p50=3%, per benchmark with \
        --threshold ipc.roundtrip:p99=15%, or switch a percentile off with --threshold p99=off. \
        A change of cpp-cpp, of the reference, or of a pair whose ratio to cpp-cpp did not change is \
        reported as a shift of the platform and does not fail the gate (unless --fail-on-platform). \
        Rounds whose block failed are left out and listed, by the report's rule (a failed cpp-cpp block \
        removes the round for every pair judged against it); the baseline and current columns are the \
        geometric means the change is computed from. A --new/--base run must be another file and another \
        run (64 otherwise) of its side's machine, commit and compilers (6 otherwise); one that gives \
        values to no compared group is named and not counted. \
        Exits 2 on a regression, 6 when the runs count different units (icount against cycles), 7 when \
        a baseline group is missing from the run (unless --allow-missing), and with the input's fault \
        code (10-20) when either file has a fault, 21 when --stored finds a baseline.ref that leads outside the store: the gate never passes on a broken file.
        """)

    @Argument(help: "The run to judge.")
    var runFile: String

    @Argument(help: "Baseline results file. Without it, --stored uses the machine's stored baseline; otherwise only the within-run comparison is printed.")
    var baseline: String?

    @Flag(help: "Compare against the stored baseline of the run's machine: found from the run (the store that holds it, else Results/l4re for an L4Re run and Results for a Linux run).")
    var stored = false

    @Option(help: "Results directory for --stored (default: found from the run).")
    var results: String?

    @Option(name: .customLong("new"), help: ArgumentHelp("Another run of the same binaries as RUN (repeatable): with three runs or more in all, the variation between runs is estimated from them instead of assumed.", valueName: "FILE"))
    var newRuns: [String] = []

    @Option(name: .customLong("base"), help: ArgumentHelp("Another run of the baseline's binaries (repeatable; see --new).", valueName: "FILE"))
    var baseRuns: [String] = []

    @Option(name: .customLong("threshold"), help: "[BENCHMARK:]pNN=X% (repeatable).")
    var thresholds: [String] = []

    @Option(help: "Family-wise significance level of the gate: Holm over every judged percentile of every pair against C++ (0 < alpha < 1).")
    var alpha = 0.01

    @Option(help: "Assumed spread of a pair's level between runs of the same binaries, in percent (added to the variance of the difference; default 0.5, measured by scripts/aa-calibration.sh).")
    var betweenRunSd = 0.5

    @Flag(help: "A baseline group that the run lacks is listed but does not fail the comparison.")
    var allowMissing = false

    @Flag(help: "A shift common to every pair of a benchmark, cpp-cpp included, fails the gate like a regression.")
    var failOnPlatform = false

    @Flag(help: "List every group and percentile, not only those that changed.")
    var all = false

    @OptionGroup var inputOptions: InputOptions

    func validate() throws {
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1 (exclusive), not \(alpha)") }
        guard betweenRunSd >= 0 && betweenRunSd < 100 else { throw ValidationError("--between-run-sd must be a percentage in [0, 100), not \(betweenRunSd)") }
        if !baseRuns.isEmpty && baseline == nil && !stored {
            throw ValidationError("--base needs a baseline (a second argument or --stored): it adds runs to the baseline's side")
        }
        if !newRuns.isEmpty && baseline == nil && !stored {
            throw ValidationError("--new needs a baseline (a second argument or --stored): replicate runs serve the comparison between runs")
        }
    }

    func run() throws {
        var rule = RegressionRule(alpha: alpha, betweenRunSD: betweenRunSd / 100)
        for t in thresholds {
            do { try rule.apply(spec: t) } catch { throw ValidationError("\(error)") }
        }
        let current = try load(runFile, inputOptions)
        let report = Report(outcome: current, threads: inputOptions.threads)
        printWithin(report)

        var basePath = baseline
        if basePath == nil && stored {
            let store = results.map { ResultsStore(root: $0) } ?? ResultsStore.forRun(file: runFile, run: current.run)
            do { basePath = try store.baselinePath(machine: current.run.machine) } catch {
                throw storeFailure(error)
            }
        }
        guard let basePath else { try finish(current); return }
        let base = try load(basePath, inputOptions)
        if let why = RunComparison.incomparable(base.run, current.run) {
            // A damaged file loses its metadata: its fault, not the units, is what fails the gate.
            if let f = base.fault { throw ExitCode(f.exitCode).withMessage("the baseline \(basePath) has a fault (\(f.kind)): the comparison is not a pass") }
            if let f = current.fault { throw ExitCode(f.exitCode).withMessage("the run \(runFile) has a fault (\(f.kind)): the comparison is not a pass") }
            throw ExitCode.incomparable.withMessage("cannot compare \(runFile) with \(basePath): \(why)")
        }
        let baseStats = GroupStatistics.of(base.run, threads: inputOptions.threads)
        // Replicate runs: each must be another file and another run (a run given twice is not a
        // second run: it would shrink the spread between runs), count the same units, and be a run
        // of the same binaries on the same machine as its side's first run; a fault fails the gate like the first's.
        var inputs: [(what: String, path: String, file: FileIdentity?, id: String)] = [
            ("the run", runFile, FileIdentity(runFile), current.run.id), ("the baseline", basePath, FileIdentity(basePath), base.run.id),
        ]
        var replicates: [(path: String, outcome: ParseOutcome, baseline: Bool)] = []
        for (paths, isBase) in [(baseRuns, true), (newRuns, false)] {
            for p in paths {
                let option = isBase ? "--base" : "--new"
                let file = FileIdentity(p)
                if let f = file, let same = inputs.first(where: { $0.file == f }) {
                    throw ExitCode.usage.withMessage("\(option) \(p) is the same file as \(same.what) \(same.path) (device \(f.device), inode \(f.inode)): a run given twice is not another run; give each run once")
                }
                let o = try load(p, inputOptions)
                if let why = RunComparison.incomparable(isBase ? base.run : current.run, o.run) {
                    if let f = o.fault { throw ExitCode(f.exitCode).withMessage("the run \(p) has a fault (\(f.kind)): the comparison is not a pass") }
                    throw ExitCode.incomparable.withMessage("cannot use \(p) as another run of \(isBase ? basePath : runFile): \(why)")
                }
                if let same = inputs.first(where: { $0.id == o.run.id }) {
                    throw ExitCode.usage.withMessage("\(option) \(p) is run \(Console.clean(o.run.id)), the same run as \(same.what) \(same.path): a run given twice (or an export of it) is not another run; give each run once")
                }
                if o.fault == nil, let why = RunComparison.notReplicate(of: isBase ? base.run : current.run, o.run) {
                    throw ExitCode.incomparable.withMessage("cannot use \(option) \(p) as another run of \(isBase ? basePath : runFile): \(Console.clean(why))")
                }
                inputs.append(("\(option)", p, file, o.run.id))
                replicates.append((p, o, isBase))
            }
        }
        let baseReps = replicates.filter(\.baseline), curReps = replicates.filter { !$0.baseline }
        let baseSide = [baseStats] + baseReps.map { GroupStatistics.of($0.outcome.run, threads: inputOptions.threads) }
        let curSide = [report.stats] + curReps.map { GroupStatistics.of($0.outcome.run, threads: inputOptions.threads) }
        let failed = (baseline: ([base.run] + baseReps.map(\.outcome.run)).map(RunComparison.failedRounds(of:)),
                      current: ([current.run] + curReps.map(\.outcome.run)).map(RunComparison.failedRounds(of:)))
        let cmp = RunComparison(currentRuns: curSide, baselineRuns: baseSide, currentRun: current.run, baselineRun: base.run, rule: rule,
                                failedRounds: failed)
        let names = (baseline: [basePath] + baseReps.map { "--base \($0.path)" }, current: [runFile] + curReps.map { "--new \($0.path)" })
        printComparison(cmp, basePath: basePath, base: base.run, current: current.run, names: names)

        // A broken input never lets the gate pass: the fault's own code, the baseline's first.
        if let f = base.fault { throw ExitCode(f.exitCode).withMessage("the baseline \(basePath) has a fault (\(f.kind)): the comparison is not a pass") }
        if base.run.sampleCount == 0 { throw ExitCode.emptyInput.withMessage("the baseline \(basePath) holds no samples: the comparison is not a pass") }
        if let f = current.fault { throw ExitCode(f.exitCode).withMessage("the run \(runFile) has a fault (\(f.kind)): the comparison is not a pass") }
        for r in replicates {
            if let f = r.outcome.fault { throw ExitCode(f.exitCode).withMessage("the run \(r.path) has a fault (\(f.kind)): the comparison is not a pass") }
            if r.outcome.run.sampleCount == 0 { throw ExitCode.emptyInput.withMessage("the run \(r.path) holds no samples: the comparison is not a pass") }
        }
        let failing = failOnPlatform ? cmp.regressions.count : cmp.unexplainedRegressions.count
        if failing > 0 { throw ExitCode.regression }
        if !cmp.missingGroups.isEmpty && !allowMissing {
            throw ExitCode.missingGroups.withMessage("\(cmp.missingGroups.count) baseline group(s) missing from the run (pass --allow-missing to accept)")
        }
    }

    func printWithin(_ report: Report) {
        guard !report.comparisons.isEmpty else {
            Console.out("within run: no pair has a cpp-cpp baseline to compare with\n\n")
            return
        }
        Console.out("Within run \(Console.clean(report.run.id)) (\(report.unit)):\n" + TextRenderer.verdictText(report) + "\n")
        var t = Table(headers: ["suite", "benchmark", "placement", "param", "pair", "ratio", "95% interval (rounds)", "rounds", "verdict"],
                      numeric: [5, 7])
        for c in report.comparisons {
            t.rows.append([c.key.suite, c.key.benchmark, c.key.placement, c.key.param, c.key.pair, Fmt.ratio(c.ratio),
                           Fmt.interval(c.interval), String(c.roundRatios.count), c.verdict?.text ?? "–"])
        }
        Console.out(TextRenderer.terminal(t) + "\n")
    }

    func printComparison(_ cmp: RunComparison, basePath: String, base: Run, current: Run, names: (baseline: [String], current: [String])) {
        // baseline and current are the levels the change is computed from (geometric means over rounds), not medians.
        var t = Table(headers: ["group", "pct", "judged", "baseline (gm)", "current (gm)", "change", "threshold", "evidence", "verdict", "absolute change"],
                      numeric: [3, 4, 5, 6, 9])
        var findings: [String] = []
        var quiet = 0
        for g in cmp.groups {
            for (i, v) in g.verdicts.enumerated() {
                let abs = g.relative && i < g.absolute.count ? g.absolute[i] : nil
                let moved = v.status != .unchanged || (abs.map { $0.status != .unchanged } ?? false)
                if !moved && !all { quiet += 1; continue }
                let status = g.platform && moved ? "platform" : v.status.rawValue
                let value = { (x: Double) in g.relative ? Fmt.ratio(x) : Fmt.count(x) }
                t.rows.append([g.key.description, "p\(v.percentile)", g.relative ? "vs cpp-cpp" : "value", value(v.baseline), value(v.current),
                               pct(v.change), pct(v.threshold).replacingPlus(), v.evidence, status, abs.map { pct($0.change) } ?? ""])
                if v.status == .regression && !g.platform {
                    findings.append("REGRESSION \(g.key) p\(v.percentile): \(value(v.baseline)) → \(value(v.current)) (\(pct(v.change)), threshold \(pct(v.threshold).replacingPlus()), \(v.evidence))")
                } else if v.status == .improvement && !g.platform {
                    findings.append("improved  \(g.key) p\(v.percentile): \(pct(v.change)) (\(v.evidence))")
                }
            }
        }
        findings += Self.folded(cmp.newGroups, tag: "new     ", why: "not in baseline")
        findings += Self.folded(cmp.missingGroups, tag: "MISSING ", why: "in baseline, not in run")
        Console.out("Against baseline \(Console.clean(basePath)) (run \(Console.clean(base.id))), over rounds, \(Report.unit(of: current))\n"
                    + (t.rows.isEmpty ? "" : TextRenderer.terminal(t))
                    + (t.rows.isEmpty ? "" : "baseline (gm), current (gm): geometric means of the rounds' values (with several runs, over each run's geometric mean); change = current / baseline - 1, the estimate the test judges\n")
                    + (quiet > 0 ? "\(quiet) more group percentiles unchanged (--all lists them)\n" : "") + "\n")
        for f in findings { Console.out(Console.clean(f) + "\n") }
        for line in Self.leftOutLines(cmp, names: names) { Console.out(Console.clean(line) + "\n") }
        for line in Self.replicateLines(cmp, names: names) { Console.out(Console.clean(line) + "\n") }
        if !cmp.platformShifts.isEmpty {
            let changes = cmp.platformShifts.map(\.change)
            let lo = changes.min()!, hi = changes.max()!
            let allSwiftSame = cmp.platformShifts.allSatisfy(\.swiftUnchanged)
            let range = lo == hi ? pct(lo) : "\(pct(lo)) to \(pct(hi))"
            Console.out("the platform moved by \(range) in \(cmp.platformShifts.count) benchmark(s), cpp-cpp included; "
                        + (allSwiftSame ? "Swift against C++ unchanged\n" : "Swift against C++ changed too where listed above\n"))
            for s in cmp.platformShifts {
                Console.out("  platform \(s.benchKey): cpp-cpp \(pct(s.change))\(s.swiftUnchanged ? "" : "; a Swift pair's ratio moved as well")\n")
            }
        }
        if !cmp.environmentDiffs.isEmpty {
            Console.out("the environment differs from the baseline's:\n")
            for d in cmp.environmentDiffs { Console.out(Console.clean("  \(d.key): \(d.baseline) → \(d.current)") + "\n") }
        }
        let unexplained = cmp.unexplainedRegressions.count
        let platform = cmp.regressions.count - unexplained
        var summary = unexplained == 0 ? "no regression" : "\(unexplained) regression(s)"
        if platform > 0 { summary += "; \(platform) change(s) beyond the threshold explained by the platform shift\(failOnPlatform ? " (failing: --fail-on-platform)" : "")" }
        if !cmp.missingGroups.isEmpty { summary += "; \(cmp.missingGroups.count) group(s) missing" }
        Console.out(summary + "\n")
        Console.out(Self.betweenRunsLine(cmp, stated: betweenRunSd) + "\n")
        Console.out("gate groups: \(cmp.gateGroups)\n")
        for (p, t) in cmp.tailsNotJudged.sorted(by: { $0.key < $1.key }) {
            Console.out("p\(p) not compared in \(t.groups) group(s): their rounds have as few as \(t.fewestSamples) samples, and p\(p) needs "
                        + "\(RoundQuantiles.samplesNeeded(percentile: p)) (two samples above it; below, it is the round's maximum)\n")
        }
        Console.out("flagged: \(cmp.flaggedGroups) of \(cmp.groups.count) groups (a pair's ratio to cpp-cpp changed significantly and beyond the threshold); "
                    + "\(cmp.platformGroups) groups moved with the platform; gate: Holm over \(cmp.gateFamily) tests at family-wise alpha \(alpha)\n")
    }

    /// The rounds left out of the comparison, with the group (the verdict) each affects: the report's rule.
    static func leftOutLines(_ cmp: RunComparison, names: (baseline: [String], current: [String]), limit: Int = 40) -> [String] {
        guard !cmp.leftOut.isEmpty else { return [] }
        let failedCount = cmp.leftOut.filter { $0.why.hasPrefix("failed block") }.count
        var out = ["left out of the comparison: \(cmp.leftOut.count) round(s) of a group"
                   + (failedCount > 0 ? ", \(failedCount) of them for a failed block (the report's rule: a failed cpp-cpp block removes the round for every pair judged against it)" : "")
                   + ":"]
        for l in cmp.leftOut.prefix(limit) {
            let side = l.baselineSide ? names.baseline : names.current
            let file = l.run < side.count ? side[l.run] : "run \(l.run + 1)"
            out.append("  \(l.baselineSide ? "baseline" : "run") \(file): \(l.key) round \(l.round): \(l.why)")
        }
        if cmp.leftOut.count > limit { out.append("  … and \(cmp.leftOut.count - limit) more") }
        return out
    }

    /// Replicates (--new, --base) that give nothing to a compared group, or only to some.
    static func replicateLines(_ cmp: RunComparison, names: (baseline: [String], current: [String])) -> [String] {
        var out: [String] = []
        for (side, gaps, used, base) in [(names.baseline, cmp.replicateGaps.baseline, cmp.usedRuns.baseline, true),
                                         (names.current, cmp.replicateGaps.current, cmp.usedRuns.current, false)] {
            for j in 1..<max(1, side.count) {
                if !used.contains(j) {
                    out.append("NOT USED \(side[j]): gives values to none of the compared groups of the \(base ? "baseline" : "run"); it adds nothing and is not counted")
                } else if let g = gaps[j], !g.isEmpty {
                    let e = g.prefix(3).map(\.description).joined(separator: ", ")
                    out.append("partial  \(side[j]): gives no values to \(g.count) compared group(s) (\(e)\(g.count > 3 ? ", …" : "")), judged on fewer runs (their evidence says how many)")
                }
            }
        }
        return out
    }

    /// Which model of the variation between runs the comparison used.
    static func betweenRunsLine(_ cmp: RunComparison, stated: Double) -> String {
        let (b, c) = cmp.runsPerSide
        if b + c <= 2 {
            return "between runs: the stated assumption ±\(stated)% (--between-run-sd; one run per side, so it cannot be estimated)"
        }
        func pc(_ x: Double) -> String { "\((x * 10_000).rounded() / 100)%" }
        let est = [50, 90, 99].compactMap { p -> String? in
            guard let m = cmp.estimatedBetweenRunSD[p], let xs = cmp.estimatedBetweenRunSDs[p], !xs.isEmpty else { return nil }
            let q90 = xs[min(xs.count - 1, Int((0.9 * Double(xs.count)).rounded(.down)))]
            return "p\(p) \(pc(m)) (90th percentile of the groups \(pc(q90)))"
        }
        return "between runs: estimated from \(b) baseline and \(c) current runs that gave values (random effects: each run's mean over its rounds is one unit, "
            + "t with \(b + c - 2) degrees of freedom); --between-run-sd not used (but for a group only one run per side has); "
            + (est.isEmpty ? "no estimate (no group with a test)" : "median estimated between-run sd of the pairs' ratios to cpp-cpp: " + est.joined(separator: ", "))
    }

    /// One line per group, or one per pair when a pair has more than five.
    static func folded(_ keys: [GroupKey], tag: String, why: String) -> [String] {
        var out: [String] = []
        let byPair = Dictionary(grouping: keys, by: \.pair)
        for pair in byPair.keys.sorted() {
            let ks = byPair[pair]!
            if ks.count > 5 {
                out.append("\(tag) \(ks.count) groups of pair \(pair) (\(why)), e.g. \(ks[0])")
            } else {
                out += ks.map { "\(tag) \($0) (\(why))" }
            }
        }
        return out
    }

    func pct(_ v: Double) -> String {
        if !v.isFinite { return v > 0 ? "+∞" : "-∞" }
        // + 0.0 turns a change that rounds to -0.0 into 0.0 (it printed "+-0.0%").
        let x = (v * 10000).rounded() / 100 + 0.0
        return (x >= 0 ? "+" : "") + "\(x)%"
    }
}

extension String {
    func replacingPlus() -> String { hasPrefix("+") ? String(dropFirst()) : self }
}

/// A file's device and inode: the same file under two names (a link, `./x` and `x`) is one file.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64

    /// Nil where the path cannot be stat'ed (loading it then reports why).
    init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}
