import Foundation
import Testing
import BenchReport
import BenchResults

/// The CI exports have the shapes their tools document.
@Suite struct CIExportTests {
    @Test func githubActionBenchmarkIsAnArrayOfNamedValues() throws {
        let r = Report(outcome: syntheticRun(rounds: 5, seed: 2))
        let any = try JSONSerialization.jsonObject(with: Data(CIExports.githubActionBenchmark(r).utf8))
        let items = try #require(any as? [[String: Any]])
        #expect(items.count == r.stats.count + r.comparisons.count)
        for i in items {
            #expect(Set(i.keys) == ["name", "unit", "value", "range", "extra"])
            #expect(i["name"] is String && i["unit"] is String && i["range"] is String)
            #expect((i["value"] as? NSNumber)?.doubleValue ?? 0 > 0)
        }
        #expect(Set(items.compactMap { $0["name"] as? String }).count == items.count)  // one stable name per series
    }

    @Test func bencherMetricFormatHasValueAndBounds() throws {
        let r = Report(outcome: syntheticRun(rounds: 5, seed: 3))
        let any = try JSONSerialization.jsonObject(with: Data(CIExports.bencher(r).utf8))
        let benches = try #require(any as? [String: [String: [String: Double]]])
        #expect(benches.count == r.stats.count)
        for (_, measures) in benches {
            #expect(measures["tsc-ticks"] != nil)
            for (_, m) in measures {
                #expect(Set(m.keys) == ["value", "lower_value", "upper_value"])
                #expect(m["lower_value"]! <= m["value"]! && m["value"]! <= m["upper_value"]!)
            }
        }
    }
}
