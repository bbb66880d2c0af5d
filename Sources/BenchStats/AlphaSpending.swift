/// When a sequential run looks at its verdicts, and how much of the error
/// rate each look may spend, so that the chance of any false claim over all
/// looks stays at most `alpha` (the union bound: the looks' alphas sum to at
/// most `alpha`, whatever the correlation between looks).
///
/// The looks are fixed in advance as fractions of the run's information
/// (its time budget, or its most rounds when it has no budget): a look happens
/// at the first round that ends at or beyond the next fraction, and the last
/// round of a run is always a look that spends what is left. Looks with fewer
/// than `minRounds` rounds are skipped and their share carried to the next.
public struct AlphaSpending: Sendable, Equatable {
    public var alpha: Double
    public var fractions: [Double]
    public var minRounds: Int

    public static let standard = AlphaSpending(alpha: 0.05, fractions: [0.25, 0.4, 0.55, 0.7, 0.85, 1.0], minRounds: 3)

    public init(alpha: Double, fractions: [Double], minRounds: Int) {
        self.alpha = alpha; self.fractions = fractions; self.minRounds = minRounds
    }

    public struct Look: Sendable, Equatable {
        /// Rounds the look sees (the first `rounds` of the run).
        public var rounds: Int
        /// The error rate it spends: its intervals are at level 1 - alpha.
        public var alpha: Double
        public var level: Double { 1 - alpha }
        public init(rounds: Int, alpha: Double) { self.rounds = rounds; self.alpha = alpha }
    }

    /// The looks of a run whose rounds ended at `roundEnds` seconds, against
    /// `budget` seconds (or, without a budget, `maxRounds` rounds).
    /// `lastIsFinal`: the run ends after its last round (the final look spends
    /// what is left); false while the run goes on.
    public func looks(roundEnds: [Double], budget: Double?, maxRounds: Int, lastIsFinal: Bool) -> [Look] {
        var out: [Look] = []
        var spent = 0.0, target = 0.0
        var next = 0
        for (i, end) in roundEnds.enumerated() {
            let rounds = i + 1
            let t = budget.map { $0 > 0 ? end / $0 : 1 } ?? Double(rounds) / Double(max(1, maxRounds))
            let isLast = lastIsFinal && i == roundEnds.count - 1
            while next < fractions.count && t >= fractions[next] { target = fractions[next]; next += 1 }
            if isLast { target = 1 }
            guard target > spent, rounds >= minRounds else { continue }
            out.append(Look(rounds: rounds, alpha: alpha * (target - spent)))
            spent = target
        }
        return out
    }
}
