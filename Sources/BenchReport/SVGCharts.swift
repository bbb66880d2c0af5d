/// Inline SVG charts drawn by hand: box plots, and line charts for drift and history.
/// Every label passes through `htmlEscape`.
public enum SVGChart {
    public struct Box: Sendable {
        public var label: String
        public var min, p25, p50, p75, p90, p99, max: Double
        public var highlight: Bool
        public init(label: String, min: Double, p25: Double, p50: Double, p75: Double, p90: Double, p99: Double, max: Double, highlight: Bool) {
            self.label = label; self.min = min; self.p25 = p25; self.p50 = p50; self.p75 = p75
            self.p90 = p90; self.p99 = p99; self.max = max; self.highlight = highlight
        }
    }

    public struct Series: Sendable {
        public var label: String
        public var points: [(x: Double, y: Double)]
        public init(label: String, points: [(x: Double, y: Double)]) { self.label = label; self.points = points }
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    static func num(_ v: Double) -> String { Fmt.fixed(v, 1) }

    /// Horizontal box plots sharing one axis: box p25–p75, median line, whiskers
    /// min–p99, a tick at p90 and a dot at the maximum.
    public static func boxPlot(title: String, boxes: [Box], unit: String = "cycles") -> String {
        // Narrow enough that two charts (a benchmark and its phase) sit side by side at 1400px.
        let labelW = 120.0, plotW = 520.0, rowH = 26.0, top = 28.0, axisH = 34.0
        let width = labelW + plotW + 20, height = top + rowH * Double(boxes.count) + axisH
        let lo = boxes.map(\.min).min() ?? 0
        var hi = boxes.map(\.p99).max() ?? 1
        if hi <= lo { hi = lo + 1 }
        let span = hi - lo
        let x0 = lo >= 0 ? Swift.max(0, lo - span * 0.03) : lo - span * 0.03, x1 = hi + span * 0.03  // cycles never go below 0
        func x(_ v: Double) -> Double { labelW + (Swift.min(Swift.max(v, x0), x1) - x0) / (x1 - x0) * plotW }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(num(width))\" height=\"\(num(height))\" viewBox=\"0 0 \(num(width)) \(num(height))\" role=\"img\">"
        s += "<title>\(htmlEscape(title))</title>"
        s += "<text x=\"4\" y=\"16\" class=\"ct\">\(htmlEscape(title))</text>"
        for (i, b) in boxes.enumerated() {
            let cy = top + rowH * Double(i) + rowH / 2
            let color = b.highlight ? "#d62728" : "#1f77b4"
            s += "<g>"
            s += "<text x=\"\(num(labelW - 6))\" y=\"\(num(cy + 4))\" text-anchor=\"end\" class=\"cl\">\(htmlEscape(b.label))</text>"
            s += "<line x1=\"\(num(x(b.min)))\" x2=\"\(num(x(b.p99)))\" y1=\"\(num(cy))\" y2=\"\(num(cy))\" stroke=\"#555\"/>"
            for v in [b.min, b.p99] {
                s += "<line x1=\"\(num(x(v)))\" x2=\"\(num(x(v)))\" y1=\"\(num(cy - 6))\" y2=\"\(num(cy + 6))\" stroke=\"#555\"/>"
            }
            s += "<rect x=\"\(num(x(b.p25)))\" y=\"\(num(cy - 8))\" width=\"\(num(Swift.max(1, x(b.p75) - x(b.p25))))\" height=\"16\" fill=\"\(color)\" fill-opacity=\"0.25\" stroke=\"\(color)\"/>"
            s += "<line x1=\"\(num(x(b.p50)))\" x2=\"\(num(x(b.p50)))\" y1=\"\(num(cy - 8))\" y2=\"\(num(cy + 8))\" stroke=\"\(color)\" stroke-width=\"2.5\"/>"
            s += "<line x1=\"\(num(x(b.p90)))\" x2=\"\(num(x(b.p90)))\" y1=\"\(num(cy - 4))\" y2=\"\(num(cy + 4))\" stroke=\"#555\" stroke-dasharray=\"2,1\"/>"
            if b.max > x1 {
                s += "<text x=\"\(num(labelW + plotW + 2))\" y=\"\(num(cy + 4))\" class=\"cl\">›</text>"
            } else {
                s += "<circle cx=\"\(num(x(b.max)))\" cy=\"\(num(cy))\" r=\"2\" fill=\"#555\"/>"
            }
            s += "<title>\(htmlEscape(b.label)): p50 \(Fmt.cycles(b.p50)), p25–p75 \(Fmt.cycles(b.p25))–\(Fmt.cycles(b.p75)), p99 \(Fmt.cycles(b.p99)), max \(Fmt.cycles(b.max))</title></g>"
        }
        let axisY = top + rowH * Double(boxes.count) + 4
        s += axis(y: axisY, from: labelW, width: plotW, lo: x0, hi: x1, unit: unit)
        return s + "</svg>"
    }

    static func axis(y: Double, from left: Double, width: Double, lo: Double, hi: Double, unit: String) -> String {
        var s = "<line x1=\"\(num(left))\" x2=\"\(num(left + width))\" y1=\"\(num(y))\" y2=\"\(num(y))\" stroke=\"#999\"/>"
        for k in 0...4 {
            let v = lo + (hi - lo) * Double(k) / 4
            let px = left + width * Double(k) / 4
            s += "<line x1=\"\(num(px))\" x2=\"\(num(px))\" y1=\"\(num(y))\" y2=\"\(num(y + 4))\" stroke=\"#999\"/>"
            // The last label ends at the axis end, so that long numbers stay inside the chart.
            let anchor = k == 4 ? "end" : "middle"
            s += "<text x=\"\(num(px))\" y=\"\(num(y + 16))\" text-anchor=\"\(anchor)\" class=\"ca\">\(htmlEscape(Fmt.cycles(v)))</text>"
        }
        s += "<text x=\"\(num(left + width))\" y=\"\(num(y + 28))\" text-anchor=\"end\" class=\"ca\">\(htmlEscape(unit))</text>"
        return s
    }

    /// A title in one line when it has at most `fits` characters, else split
    /// before its parenthesis (or at the last space that fits) into a head and a second line.
    static func splitTitle(_ title: String, fits: Int) -> (head: String, sub: String?) {
        guard title.count > fits else { return (title, nil) }
        if let r = title.range(of: " (") { return (String(title[..<r.lowerBound]), String(title[title.index(after: r.lowerBound)...])) }
        let cut = title.prefix(fits).lastIndex(of: " ") ?? title.index(title.startIndex, offsetBy: fits)
        return (String(title[..<cut]), String(title[cut...].drop(while: { $0 == " " })))
    }

    /// A vertical marker on a line chart (a change point).
    public struct Mark: Sendable {
        public var x: Double
        public var label: String
        public init(x: Double, label: String) { self.x = x; self.label = label }
    }

    /// A line chart: one polyline per series, x labels given per x value (a
    /// label may hold two lines, separated by a newline), change points marked.
    public static func lines(title: String, series: [Series], xLabels: [Double: String] = [:],
                             yLabel: String, reference: Double? = nil, marks: [Mark] = []) -> String {
        // 660 wide: two charts sit side by side in a 1400px page.
        let left = 80.0, plotW = 440.0, plotH = 180.0, legendW = 140.0
        let width = left + plotW + legendW
        // A title too long for the chart (about 7.5px a character) puts its
        // parenthesis ("geometric mean over …") on a second, smaller line.
        let (head, sub) = splitTitle(title, fits: Int(width / 7.5))
        let top = sub == nil ? 28.0 : 42.0, height = top + plotH + 46
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) } + (reference.map { [$0] } ?? [])
        // A single x (one run, one round) sits in the middle, not on the left edge.
        var xLo = xs.min() ?? 0, xHi = xs.max() ?? 1
        if xHi - xLo < 1e-9 { xLo -= 1; xHi += 1 }
        var yLo = ys.min() ?? 0, yHi = ys.max() ?? 1
        if yHi - yLo < 1e-9 { yLo -= 0.5; yHi += 0.5 }
        let pad = (yHi - yLo) * 0.08
        // Counts and ratios never go below 0: the padding must not invent a negative axis label.
        yLo = (ys.min() ?? 0) >= 0 ? Swift.max(0, yLo - pad) : yLo - pad
        yHi += pad
        func px(_ v: Double) -> Double { left + (v - xLo) / (xHi - xLo) * plotW }
        func py(_ v: Double) -> Double { top + plotH - (v - yLo) / (yHi - yLo) * plotH }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(num(width))\" height=\"\(num(height))\" viewBox=\"0 0 \(num(width)) \(num(height))\" role=\"img\">"
        s += "<title>\(htmlEscape(title))</title><text x=\"4\" y=\"16\" class=\"ct\">\(htmlEscape(head))</text>"
        if let sub { s += "<text x=\"4\" y=\"30\" class=\"ca\">\(htmlEscape(sub))</text>" }
        s += "<rect x=\"\(num(left))\" y=\"\(num(top))\" width=\"\(num(plotW))\" height=\"\(num(plotH))\" fill=\"none\" stroke=\"#ccc\"/>"
        for k in 0...4 {
            let v = yLo + (yHi - yLo) * Double(k) / 4
            s += "<text x=\"\(num(left - 4))\" y=\"\(num(py(v) + 4))\" text-anchor=\"end\" class=\"ca\">\(htmlEscape(yHi - yLo < 5 ? Fmt.fixed(v, 3) : Fmt.cycles(v)))</text>"
            s += "<line x1=\"\(num(left))\" x2=\"\(num(left + plotW))\" y1=\"\(num(py(v)))\" y2=\"\(num(py(v)))\" stroke=\"#eee\"/>"
        }
        if let r = reference {
            s += "<line x1=\"\(num(left))\" x2=\"\(num(left + plotW))\" y1=\"\(num(py(r)))\" y2=\"\(num(py(r)))\" stroke=\"#888\" stroke-dasharray=\"4,3\"/>"
        }
        let shownX = Array(Set(xs)).sorted()
        let step = Swift.max(1, shownX.count / 8)
        for (i, xv) in shownX.enumerated() where i % step == 0 {
            let lines = (xLabels[xv] ?? Fmt.fixed(xv, 0)).split(separator: "\n", omittingEmptySubsequences: false)
            for (j, l) in lines.enumerated() {
                s += "<text x=\"\(num(px(xv)))\" y=\"\(num(top + plotH + 14 + Double(j) * 12))\" text-anchor=\"middle\" class=\"ca\">\(htmlEscape(String(l)))</text>"
            }
        }
        for m in marks {
            s += "<line x1=\"\(num(px(m.x)))\" x2=\"\(num(px(m.x)))\" y1=\"\(num(top))\" y2=\"\(num(top + plotH))\" stroke=\"#b00020\" stroke-dasharray=\"5,3\"><title>\(htmlEscape(m.label))</title></line>"
            s += "<text x=\"\(num(px(m.x) + 3))\" y=\"\(num(top + 11))\" class=\"ca\" fill=\"#b00020\">\(htmlEscape(m.label))</text>"
        }
        s += "<text x=\"\(num(left + plotW / 2))\" y=\"\(num(top + plotH + 38))\" text-anchor=\"middle\" class=\"ca\">\(htmlEscape(yLabel))</text>"
        for (i, ser) in series.enumerated() {
            let color = palette[i % palette.count]
            let pts = ser.points.sorted { $0.x < $1.x }.map { "\(num(px($0.x))),\(num(py($0.y)))" }.joined(separator: " ")
            s += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\"/>"
            for p in ser.points {
                s += "<circle cx=\"\(num(px(p.x)))\" cy=\"\(num(py(p.y)))\" r=\"2.5\" fill=\"\(color)\"><title>\(htmlEscape(ser.label)): \(htmlEscape(Fmt.fixed(p.y, 3)))</title></circle>"
            }
            let ly = top + 10 + Double(i) * 16
            s += "<rect x=\"\(num(left + plotW + 10))\" y=\"\(num(ly - 8))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            s += "<text x=\"\(num(left + plotW + 24))\" y=\"\(num(ly + 1))\" class=\"cl\">\(htmlEscape(ser.label))</text>"
        }
        return s + "</svg>"
    }
}
