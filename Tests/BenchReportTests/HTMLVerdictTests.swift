import Testing
import Foundation
@testable import BenchReport
@testable import BenchResults

@Suite struct HTMLVerdictTests {
    /// A run with the other compiler's C++ build: Swift as fast as the reference,
    /// the other build 30% slower, so Swift is faster than it.
    func twoCompilerRun() -> Report {
        Report(outcome: syntheticRun(rounds: 8, pairs: ["swift-swift", "cpp-cpp", "cpp-cpp.b", "cpp.gcc-cpp.gcc"],
                                     shift: ["cpp.gcc-cpp.gcc": 0.3], roundDrift: 0.02, sampleNoise: 0.01, seed: 4))
    }

    @Test func eachComparisonIsItsOwnColouredLine() throws {
        let r = twoCompilerRun()
        let line = try #require(r.verdictLines.first)
        let o = try #require(line.other)
        let (parts, _) = HTMLRenderer.verdictParts(line)
        #expect(parts.count == 3)
        #expect(parts[0].text.hasPrefix("against \(line.referenceName): "))
        #expect(parts[1].text.hasPrefix("against \(o.name): ") && parts[1].kind == .faster)
        #expect(parts[2].text.hasPrefix("the compiler's part: ") && parts[2].kind == .slower)
        let html = HTMLRenderer.render(r)
        // The faster line and the slower line each carry their own colour, and the text wraps.
        #expect(html.contains("<div class=\"v-faster\">" + htmlEscape("against \(o.name): Swift faster")))
        #expect(html.contains("<div class=\"v-slower\">" + htmlEscape("the compiler's part: ")))
        #expect(html.contains("td.vt{white-space:normal"))
        // The legend says what the compiler's part compares, and the ratio column names its reference.
        #expect(html.contains(htmlEscape("the compiler's part: \(o.name) against \(line.referenceName)")))
        #expect(html.contains("<th>swift-swift / \(htmlEscape(line.referenceName))</th>"))
    }

    @Test func noLegendWithOneCompiler() throws {
        let r = Report(outcome: syntheticRun(rounds: 4))
        #expect(HTMLRenderer.compilerLegend(r.verdictLines) == nil)
        let line = try #require(r.verdictLines.first)
        let (parts, tail) = HTMLRenderer.verdictParts(line)
        #expect(parts.count == 1 && parts[0].text == line.text && tail.isEmpty)
        #expect(!HTMLRenderer.render(r).contains(htmlEscape("compiler's part")))
    }

    @Test func chartTitlesDropAnEmptyParameter() {
        #expect(HTMLRenderer.chartTitle("l4/cap.map/cross-core/-") == "l4/cap.map/cross-core")
        #expect(HTMLRenderer.chartTitle("futex/ipc.roundtrip/same-core/words=0") == "futex/ipc.roundtrip/same-core/words=0")
    }

    @Test func lineChartsKeepCountsAboveZeroAndCentreASingleRun() {
        let svg = SVGChart.lines(title: "t", series: [.init(label: "a", points: [(5, 1)]), .init(label: "b", points: [(5, 300)])],
                                 yLabel: "y")
        #expect(!svg.contains(">-"))  // no negative axis label
        // The single x sits in the middle of the plot (left 80 + 440 / 2).
        #expect(svg.contains("cx=\"300.0\""))
    }
}

@Suite struct ChartTitleTests {
    @Test func longTitlesBreakBeforeTheirParenthesis() {
        #expect(SVGChart.splitTitle("l4/ds.share/cross-core", fits: 88) == ("l4/ds.share/cross-core", nil))
        let long = "l4/ds.share.alloc/cross-core (geometric mean over bytes=1048576, bytes=16777216, bytes=4096, bytes=65536)"
        let (head, sub) = SVGChart.splitTitle(long, fits: 88)
        #expect(head == "l4/ds.share.alloc/cross-core")
        #expect(sub == "(geometric mean over bytes=1048576, bytes=16777216, bytes=4096, bytes=65536)")
        // No parenthesis: cut at a space, losing no word.
        let words = String(repeating: "word ", count: 30).trimmingCharacters(in: .whitespaces)
        let (h2, s2) = SVGChart.splitTitle(words, fits: 40)
        #expect(h2.count <= 40 && h2 + " " + (s2 ?? "") == words)
        let svg = SVGChart.lines(title: long, series: [.init(label: "a", points: [(0, 1), (1, 2)])], yLabel: "y")
        #expect(svg.contains(">l4/ds.share.alloc/cross-core</text>") && svg.contains(">(geometric mean over"))
    }
}
