#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The answer for one benchmark and placement, in words: is the Swift pair
/// faster, slower, at parity, or can this run not tell?
///
/// The rule, over the rounds (the independent units): each round gives the
/// pair's ratio to the C++ reference of the same round (both C++ runs,
/// cpp-cpp and its A/A replica, where the run has them). The interval is
/// Yuen's 20%-trimmed t interval of the log ratios (`TrimmedInterval`), so
/// that one bad round (a bad cpp-cpp block) cannot hide or fake a difference.
/// Faster or slower when the interval excludes 1; parity when it lies within
/// ±`resolution`; otherwise inconclusive, with the rounds that would settle
/// it. A sequential run judges each verdict at its looks (`AlphaSpending`),
/// each look at its own level, and keeps the first conclusive answer.
///
/// The A/A control (cpp-cpp.b against cpp-cpp) is not part of the rule: it is
/// a check on the run (`isControl`), flagged where its interval excludes 1.
public struct LanguageVerdict: Sendable, Equatable {
    public enum Kind: String, Sendable { case faster, slower, parity, inconclusive, tooFewRounds = "too-few-rounds" }
    public var kind: Kind
    public var text: String
    /// The pair's ratio to the reference (exp of the trimmed mean log ratio; exact when deterministic).
    public var ratio: Double
    public var interval: RoundInterval
    /// The level of the interval the verdict rests on.
    public var level: Double
    /// Rounds the verdict was settled after (a sequential run), nil when it is not settled.
    public var settledAfter: Int?
    /// A round far from the others (beyond 5 scaled MADs), named in the report; the trimmed interval discounts it.
    public var outlier: (round: Int, ratio: Double)? {
        get { outlierRound.map { ($0, outlierRatio) } }
    }
    var outlierRound: Int?
    var outlierRatio = Double.nan
    /// About how many rounds would settle an inconclusive verdict (80% power, spread at its 80% upper bound).
    public var roundsNeeded: Int?

    /// Level of a verdict judged once (not sequentially).
    public static let level = 0.95
    /// The difference a verdict of parity guarantees at most, by default.
    public static let defaultResolution = 0.02

    public var isConclusive: Bool { kind == .faster || kind == .slower || kind == .parity }

    /// `ratios`: the pair's per-round ratios to the reference, in round order;
    /// `rounds`: their round numbers (for naming an outlier).
    public init?(ratios: [Double], rounds: [Int]? = nil, level: Double = level, resolution: Double = defaultResolution,
                 subject: String = "Swift", isControl: Bool = false) {
        var r: [Double] = [], ids: [Int] = []
        for (i, x) in ratios.enumerated() where x > 0 && x.isFinite { r.append(x); ids.append(rounds?[i] ?? i) }
        guard !r.isEmpty else { return nil }
        self.level = level
        let logs = r.map { log($0) }
        let deterministic = r.count > 1 && r.allSatisfy { $0 == r[0] }
        let ti = deterministic ? nil : TrimmedInterval(logs: logs)
        let est = deterministic ? r[0] : exp(ti?.meanLog ?? logs[0])
        ratio = est
        var ri = RoundInterval(ratios: r, level: level)!
        ri.estimate = est
        if let ti {
            let b = ti.bounds(level: level)
            ri.lo = exp(b.lo); ri.hi = exp(b.hi); ri.logSD = ti.sd
        }
        interval = ri
        // The outlier round, if any.
        if r.count >= 5 {
            let sorted = logs.sorted()
            let med = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            let mad = 1.4826 * Self.median(logs.map { abs($0 - med) })
            if mad > 0, let (i, d) = logs.enumerated().map({ ($0.offset, abs($0.element - med)) }).max(by: { $0.1 < $1.1 }), d > 5 * mad {
                outlierRound = ids[i]; outlierRatio = r[i]
            }
        }
        let who = isControl ? "the A/A control" : subject
        if deterministic {
            let d = log(est)
            if d > 0 { kind = .slower; text = "\(who) slower by \(Self.percent(est - 1)) (deterministic)" }
            else if d < 0 { kind = .faster; text = "\(who) faster by \(Self.percent(1 - est)) (deterministic)" }
            else { kind = .parity; text = "parity (deterministic)" }
            return
        }
        guard let ti else {
            kind = .tooFewRounds
            text = "too few rounds for an interval (rounds=\(r.count))"
            return
        }
        let (lo, hi) = ti.bounds(level: level)
        let pct = Self.levelText(level)
        if lo > 0 {
            kind = .slower
            text = "\(who) slower by \(Self.percent(est - 1)) (\(Self.percent(exp(lo) - 1)) to \(Self.percent(exp(hi) - 1)), \(pct))"
        } else if hi < 0 {
            kind = .faster
            text = "\(who) faster by \(Self.percent(1 - est)) (\(Self.percent(1 - exp(hi))) to \(Self.percent(1 - exp(lo))), \(pct))"
        } else if max(abs(lo), abs(hi)) <= resolution {
            kind = .parity
            text = "parity (within ±\(Self.percent(exp(max(abs(lo), abs(hi))) - 1)), \(pct))"
        } else {
            kind = .inconclusive
            roundsNeeded = Self.roundsNeeded(sd: ti.sd, units: ti.units, level: level, resolution: resolution)
            let res = Self.percent(resolution)
            let need = roundsNeeded.map { "; about \($0) rounds would settle ±\(res)" } ?? ""
            // The interval itself, so that the reader sees which side reaches past ±resolution
            // (a bound printed as the resolution itself gets another digit).
            text = "inconclusive: \(Self.signedBound(exp(lo) - 1, past: res)) to \(Self.signedBound(exp(hi) - 1, past: res)) "
                + "(\(pct)), not within ±\(res) at this run's noise\(need)"
        }
        if isControl && (kind == .slower || kind == .faster) {
            text = "run check FAILED (the same C++ programs differ between their two blocks): " + text
        }
    }

    /// Rounds for an interval of half-width `resolution / 2` plus 0.84 standard
    /// errors (80% power to settle a true difference of up to half the
    /// resolution), with the spread at its upper 80% confidence bound
    /// (chi-square, Wilson–Hilferty) and the t quantile of the level.
    public static func roundsNeeded(sd: Double, units n: Int, level: Double, resolution: Double) -> Int? {
        guard sd > 0, n >= 2, resolution > 0 else { return nil }
        let k = Double(n - 1)
        let chi = k * pow(1 - 2 / (9 * k) + Quantile.normalQuantile(0.2) * (2 / (9 * k)).squareRoot(), 3)
        let upper = sd * (k / max(chi, 1e-9)).squareRoot()
        var m = n + 1
        while m < 100_000 {
            let t = StudentT.quantile(1 - (1 - level) / 2, df: Double(m - 1))
            if (t + 0.84) * upper / Double(m).squareRoot() <= resolution / 2 { return m }
            m = m < 64 ? m + 1 : Int(Double(m) * 1.1)
        }
        return nil
    }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// 0.95 -> "95%", 0.9925 -> "99.25%".
    public static func levelText(_ level: Double) -> String {
        let p = (level * 10000).rounded() / 100
        return (p == p.rounded() ? String(Int(p)) : String(p)) + "%"
    }

    /// 0.031 -> "+3.1%", -0.02 -> "-2.0%".
    public static func signedPercent(_ v: Double) -> String { (v >= 0 ? "+" : "") + percent(v) }

    /// 0.031 -> "3.1%"; below 1% two decimals (0.0034 -> "0.34%"), so that a
    /// small exact difference never reads as 0.0%.
    /// A bound of an interval as a signed percent ("-1.3%", "+2.3%"), with two
    /// decimals where one would print it as the resolution `past` it lies beyond.
    static func signedBound(_ v: Double, past res: String) -> String {
        var p = percent(abs(v))
        if p == res && abs(v) < 10 {
            let x = (abs(v) * 10_000).rounded()
            let frac = String(Int(x.truncatingRemainder(dividingBy: 100)))
            p = "\(Int(x / 100)).\(frac.count < 2 ? "0" + frac : frac)%"
        }
        return (v < 0 ? "-" : "+") + p
    }

    public static func percent(_ v: Double) -> String {
        guard v.isFinite else { return v > 0 ? "∞%" : "-∞%" }
        // Beyond Int's range (a ratio of 2^64-1 to 1 in a damaged or hostile run): no integer digits.
        if abs(v) >= 1e15 { return "\(v < 0 ? "-" : "")\(abs(v) * 100)%" }
        let digits = abs(v) < 0.01 ? 2 : 1
        let scale = digits == 2 ? 100.0 : 10.0
        let x = (abs(v) * 100 * scale).rounded()
        let whole = Int(x / scale), frac = Int(x.truncatingRemainder(dividingBy: scale))
        var f = String(frac)
        while f.count < digits { f = "0" + f }
        return (v < 0 && x != 0 ? "-" : "") + "\(whole).\(f)%"
    }

    public static func == (a: LanguageVerdict, b: LanguageVerdict) -> Bool {
        a.kind == b.kind && a.text == b.text && a.ratio == b.ratio && a.interval == b.interval && a.settledAfter == b.settledAfter
    }
}

