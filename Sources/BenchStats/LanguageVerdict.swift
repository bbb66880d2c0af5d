#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The answer for one benchmark and placement, in words: is the Swift pair
/// faster, slower, at parity, or can this run not tell?
///
/// The rule: a pair is called faster or slower only where its round-level
/// interval of the ratio to cpp-cpp excludes 1 *and* lies beyond the interval
/// of the run's A/A control (a second cpp-cpp pair, `cpp-cpp.b`, against
/// cpp-cpp), so that whatever the control shows is not claimed as a language
/// difference. Without a control in the run the interval is widened to 99%.
/// Where the interval reaches no further than `resolution` from 1 it is parity;
/// otherwise the run is inconclusive, with the number of rounds that would
/// resolve `resolution`.
public struct LanguageVerdict: Sendable, Equatable {
    public enum Kind: String, Sendable { case faster, slower, parity, inconclusive, tooFewRounds = "too-few-rounds" }
    public var kind: Kind
    public var text: String
    /// The pair's ratio to cpp-cpp (geometric mean over rounds).
    public var ratio: Double
    public var interval: RoundInterval

    /// Level of the interval when the run has an A/A control, and without one.
    public static let level = 0.95
    public static let levelWithoutControl = 0.99
    /// The difference a verdict of parity guarantees at most, by default.
    public static let defaultResolution = 0.02

    /// `ratios`: the pair's per-round ratios to cpp-cpp; `control`: the A/A
    /// pair's per-round ratios to cpp-cpp (nil when the run has none).
    public init?(ratios: [Double], control: [Double]?, resolution: Double = defaultResolution, subject: String = "Swift",
                 isControl: Bool = false) {
        let level = control == nil ? Self.levelWithoutControl : Self.level
        guard let r = RoundInterval(ratios: ratios, level: level) else { return nil }
        let c = control.flatMap { RoundInterval(ratios: $0, level: level) }
        interval = r
        ratio = r.estimate
        let controlNote = isControl ? "; 99% interval" : (control == nil ? "; no A/A control in this run, 99% interval" : "")
        // How far the control's interval (or its exact value) reaches from 1, in logs.
        var cLo = 0.0, cHi = 0.0
        if let c {
            if c.deterministic || c.units == 1 { cLo = min(0, log(c.estimate)); cHi = max(0, log(c.estimate)) }
            else if c.hasInterval { cLo = min(0, log(c.lo)); cHi = max(0, log(c.hi)) }
        }
        if r.deterministic {
            let d = log(r.estimate)
            if d > cHi { kind = .slower; text = "\(subject) slower by \(Self.percent(r.estimate - 1)) (deterministic)" }
            else if d < cLo { kind = .faster; text = "\(subject) faster by \(Self.percent(1 - r.estimate)) (deterministic)" }
            else if d == 0 { kind = .parity; text = "parity (deterministic)" }
            else { kind = .parity; text = "parity (deterministic, within the A/A control's \(Self.percent(exp(max(-cLo, cHi)) - 1)))" }
            return
        }
        guard r.hasInterval else {
            kind = .tooFewRounds
            text = "too few rounds for an interval (rounds=\(r.units))"
            return
        }
        let lo = log(r.lo), hi = log(r.hi)
        if lo > cHi {
            kind = .slower
            text = "\(subject) slower by \(Self.percent(r.estimate - 1)) (\(Self.percent(r.lo - 1)) to \(Self.percent(r.hi - 1)))\(controlNote)"
        } else if hi < cLo {
            kind = .faster
            text = "\(subject) faster by \(Self.percent(1 - r.estimate)) (\(Self.percent(1 - r.hi)) to \(Self.percent(1 - r.lo)))\(controlNote)"
        } else {
            let reach = max(abs(lo), abs(hi))
            if reach <= resolution {
                kind = .parity
                text = "parity (within ±\(Self.percent(exp(reach) - 1)))\(controlNote)"
            } else {
                kind = .inconclusive
                let noise = "±" + Self.percent(exp(r.relativeHalfWidth) - 1)
                let need = r.unitsNeeded(halfWidth: resolution / 2).map { "; about \($0) rounds would resolve \(Self.percent(resolution))" } ?? ""
                text = "inconclusive: this run's noise is \(noise)\(need)\(controlNote)"
            }
        }
    }

    /// 0.031 -> "+3.1%", -0.02 -> "-2.0%".
    public static func signedPercent(_ v: Double) -> String { (v >= 0 ? "+" : "") + percent(v) }

    /// 0.031 -> "3.1%"; below 1% two decimals (0.0034 -> "0.34%"), so that a
    /// small exact difference never reads as 0.0%.
    public static func percent(_ v: Double) -> String {
        guard v.isFinite else { return v > 0 ? "∞%" : "-∞%" }
        let digits = abs(v) < 0.01 ? 2 : 1
        let scale = digits == 2 ? 100.0 : 10.0
        let x = (abs(v) * 100 * scale).rounded()
        let whole = Int(x / scale), frac = Int(x.truncatingRemainder(dividingBy: scale))
        var f = String(frac)
        while f.count < digits { f = "0" + f }
        return (v < 0 && x != 0 ? "-" : "") + "\(whole).\(f)%"
    }
}
