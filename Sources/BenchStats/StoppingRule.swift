/// The stopping rule of a sequential run, a pure function of the rounds so
/// far: the Linux and L4Re runners ask it after every round whether the
/// verdicts are settled, and the report replays it to say after how many
/// rounds and seconds each verdict was settled.
///
/// A verdict is judged at each look of `AlphaSpending` on the rounds it has
/// seen, at that look's level, and settled at its first conclusive answer
/// (faster, slower, parity). Because the looks' error rates sum to at most
/// alpha, the chance that any verdict of a series is wrong at its settling
/// look is at most alpha, however many looks the run takes. A series whose
/// rounds are bit-identical (instruction counts under icount) is settled
/// exactly after 2 rounds: more rounds add nothing.
public enum StoppingRule {
    /// The verdict of one series of per-round ratios (in round order) under the looks.
    public static func settle(ratios: [Double], rounds: [Int]? = nil, looks: [AlphaSpending.Look],
                              resolution: Double = LanguageVerdict.defaultResolution, subject: String = "Swift",
                              isControl: Bool = false) -> LanguageVerdict? {
        if let n = deterministicPrefix(ratios), n >= 2, n == ratios.count {
            var v = LanguageVerdict(ratios: Array(ratios.prefix(2)), rounds: rounds.map { Array($0.prefix(2)) }, subject: subject, isControl: isControl)
            v?.settledAfter = 2
            if var v, ratios.count > 2 { v.interval.units = ratios.count; return v }
            return v
        }
        var last: LanguageVerdict?
        for look in looks where look.rounds <= ratios.count {
            let v = LanguageVerdict(ratios: Array(ratios.prefix(look.rounds)), rounds: rounds.map { Array($0.prefix(look.rounds)) },
                                    level: look.level, resolution: resolution, subject: subject, isControl: isControl)
            guard var v else { continue }
            if v.isConclusive { v.settledAfter = look.rounds; return v }
            last = v
        }
        if let last { return last }
        // No look yet: the plain verdict at the default level, not settled.
        return LanguageVerdict(ratios: ratios, rounds: rounds, resolution: resolution, subject: subject, isControl: isControl)
    }

    /// Is every series settled at the looks so far? (The runner's question after each round.)
    public static func shouldStop(series: [[Double]], looks: [AlphaSpending.Look], resolution: Double = LanguageVerdict.defaultResolution) -> Bool {
        !series.isEmpty && series.allSatisfy { settle(ratios: $0, looks: looks, resolution: resolution)?.settledAfter != nil }
    }

    /// For a runner that stops per group (L4Re under icount): a group whose
    /// values of every round so far are bit-identical, over at least 2 rounds,
    /// needs no more rounds.
    public static func groupSettled(roundValues: [Double]) -> Bool {
        roundValues.count >= 2 && roundValues.allSatisfy { $0 == roundValues[0] }
    }

    /// Rounds of the longest bit-identical prefix (nil when empty).
    static func deterministicPrefix(_ x: [Double]) -> Int? {
        guard let f = x.first else { return nil }
        return x.firstIndex { $0 != f } ?? x.count
    }
}
