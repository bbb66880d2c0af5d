import BenchResults
import BenchStats

/// Number formatting shared by the renderers.
enum Fmt {
    /// Cycle counts: integers with thin grouping, one decimal below 100.
    static func cycles(_ v: Double) -> String {
        if v.isNaN { return "–" }
        if abs(v) < 100 { return fixed(v, 1) }
        let r = Int(v.rounded())
        let s = String(abs(r))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (r < 0 ? "-" : "") + out
    }

    static func fixed(_ v: Double, _ digits: Int) -> String {
        if v.isNaN { return "–" }
        if v.isInfinite { return v > 0 ? "∞" : "-∞" }
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (abs(v) * p).rounded()
        let ip = Int(r / p)
        var frac = String(Int(r.truncatingRemainder(dividingBy: p)))
        while frac.count < digits { frac = "0" + frac }
        return (v < 0 && r != 0 ? "-" : "") + String(ip) + (digits > 0 ? "." + frac : "")
    }

    static func ratio(_ v: Double) -> String { fixed(v, 3) }

    /// A ratio's 95% interval, `lo–hi`, or `–` without one.
    static func interval(_ r: RatioInterval) -> String {
        r.hasInterval ? "\(ratio(r.lo))–\(ratio(r.hi))" : "–"
    }

    /// The range of per-round ratios, `lo–hi`, or `–` without rounds.
    static func range(_ r: ClosedRange<Double>?) -> String {
        r.map { "\(ratio($0.lowerBound))–\(ratio($0.upperBound))" } ?? "–"
    }

    static func percent(_ v: Double) -> String { (v >= 0 ? "+" : "") + fixed(v * 100, 2) + "%" }

    /// Nanoseconds from cycles, when the TSC frequency is known.
    static func nanos(_ cycles: Double, tscHz: Double?) -> String {
        guard let hz = tscHz else { return "" }
        let ns = cycles / hz * 1e9
        if ns >= 1e6 { return fixed(ns / 1e6, 2) + " ms" }
        if ns >= 1e3 { return fixed(ns / 1e3, 2) + " µs" }
        return fixed(ns, 0) + " ns"
    }
}
