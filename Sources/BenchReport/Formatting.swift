import BenchResults
import BenchStats

/// Number formatting shared by the renderers.
public enum Fmt {
    /// Cycle counts: integers with thin grouping, one decimal below 100.
    static func cycles(_ v: Double) -> String {
        if v.isNaN { return "–" }
        if v.isInfinite { return v > 0 ? "∞" : "-∞" }
        if abs(v) < 100 { return fixed(v, 1) }
        // Up to 2^64 and beyond, without trapping: integers as text from the rounded value.
        let s = integerText(abs(v).rounded())
        let neg = v < 0
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (neg ? "-" : "") + out
    }

    /// A count as a plain integer (no grouping), of any size, without trapping.
    public static func count(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let r = v.rounded()
        return (r < 0 ? "-" : "") + integerText(abs(r))
    }

    /// The decimal digits of a non-negative integral Double, also above Int.max.
    static func integerText(_ v: Double) -> String {
        if v < 9.2e18 { return String(Int(v)) }
        if v < 18446744073709551616.0 { return String(UInt64(v)) }
        if v == 18446744073709551616.0 { return "18446744073709551616" }  // 2^64-1 as the nearest double
        return String(describing: v)
    }

    static func fixed(_ v: Double, _ digits: Int) -> String {
        if v.isNaN { return "–" }
        if v.isInfinite { return v > 0 ? "∞" : "-∞" }
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (abs(v) * p).rounded()
        if r / p >= 9.2e18 { return (v < 0 ? "-" : "") + integerText((abs(v)).rounded()) }
        let ip = Int(r / p)
        var frac = String(Int(r.truncatingRemainder(dividingBy: p)))
        while frac.count < digits { frac = "0" + frac }
        return (v < 0 && r != 0 ? "-" : "") + String(ip) + (digits > 0 ? "." + frac : "")
    }

    /// A ratio with three decimals (`0.947`).
    public static func ratio(_ v: Double) -> String { fixed(v, 3) }

    /// A round-level interval, `lo–hi`; `deterministic` where every round agrees
    /// exactly; `too few rounds` without one.
    public static func interval(_ r: RoundInterval?) -> String {
        guard let r else { return "–" }
        if r.deterministic { return "deterministic" }
        return r.hasInterval ? "\(ratio(r.lo))–\(ratio(r.hi))" : "too few rounds (\(r.units))"
    }

    /// The range of per-round ratios, `lo–hi`, or `–` without rounds.
    static func range(_ r: ClosedRange<Double>?) -> String {
        r.map { "\(ratio($0.lowerBound))–\(ratio($0.upperBound))" } ?? "–"
    }

    /// Nanoseconds from cycles, when the TSC frequency is known.
    static func nanos(_ cycles: Double, tscHz: Double?) -> String {
        guard let hz = tscHz else { return "" }
        let ns = cycles / hz * 1e9
        if ns >= 1e6 { return fixed(ns / 1e6, 2) + " ms" }
        if ns >= 1e3 { return fixed(ns / 1e3, 2) + " µs" }
        return fixed(ns, 0) + " ns"
    }
}
