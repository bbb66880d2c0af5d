import BenchResults
import BenchStats

/// The headline verdicts of a run in progress, from each group's median per
/// round: what a sequential runner asks after every round (through
/// `StoppingRule`), computed exactly as the report computes them afterwards.
public enum SequentialVerdicts {
    /// The swift-swift verdict lines at the looks of a run whose rounds ended
    /// at `roundEnds` (`final`: no further round will run).
    public static func lines(medians: [GroupKey: [Int: Double]], roundEnds: [Double], budget: Double?, maxRounds: Int,
                             final: Bool) -> (lines: [VerdictLine], looks: [AlphaSpending.Look]) {
        let looks = AlphaSpending.standard.looks(roundEnds: roundEnds, budget: budget, maxRounds: maxRounds, lastIsFinal: final)
        let empty = Summary(n: 0, min: 0, p25: 0, p50: 0, p75: 0, p90: 0, p99: 0, max: 0, mean: 0, sd: 0, mad: 0, medianCI: nil)
        // Only what the headline needs: swift-swift and the C++ pairs it is judged against.
        let needed = medians.filter { k, _ in
            k.pair == "swift-swift" || k.isBaselinePair || k.isControlPair || CxxLabel.isCompilerReference(k)
        }
        let stats = needed.map { key, rounds in
            GroupStatistics(key: key, summary: empty,
                            rounds: rounds.keys.sorted().map { RoundQuantiles(round: $0, p50: rounds[$0]!, p90: rounds[$0]!, p99: rounds[$0]!) })
        }.sorted { $0.key.description < $1.key.description }
        let comparisons = PairComparison.within(stats, looks: looks)
        return (VerdictLine.of(comparisons, looks: looks, roundEnds: roundEnds), looks)
    }

    /// One line for the terminal after a look: how many verdicts are settled.
    public static func progressLine(_ lines: [VerdictLine], rounds: Int, seconds: Double) -> String {
        let settled = lines.filter { $0.verdict.settledAfter != nil }.count
        return "after \(rounds) rounds (\(Fmt.seconds(seconds))): \(settled) of \(lines.count) headline verdicts settled"
    }

    /// The plan from the pilot (the first look): how long a round takes, how
    /// many fit the budget, and for each unsettled verdict the rounds it needs.
    public static func plan(_ lines: [VerdictLine], roundEnds: [Double], budget: Double?) -> String {
        guard let last = roundEnds.last, !roundEnds.isEmpty else { return "" }
        let perRound = last / Double(roundEnds.count)
        var s = "plan from the pilot (\(roundEnds.count) rounds): a round takes about \(Fmt.seconds(perRound))"
        if let budget { s += "; about \(Int(budget / perRound)) rounds fit the budget of \(Fmt.seconds(budget))" }
        let needs = lines.compactMap { l in l.verdict.roundsNeeded.map { (l.title, $0) } }.sorted { $0.1 > $1.1 }
        if !needs.isEmpty {
            s += "; unsettled verdicts need about " + needs.prefix(4).map { "\($0.1) rounds (\($0.0))" }.joined(separator: ", ")
                + (needs.count > 4 ? ", …" : "")
        }
        return s
    }
}
