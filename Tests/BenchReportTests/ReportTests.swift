import Foundation
import Testing
import BenchReport
import BenchResults
import BenchStore

let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/sample-run.csv").path

@Suite struct ReportTests {
    @Test func fixtureReportHasStatisticsAndRatios() throws {
        let o = ResultsParser.parse(path: fixture)
        #expect(o.fault == nil)
        let r = Report(outcome: o)
        #expect(r.stats.count == 56)
        #expect(r.comparisons.count == 42)  // three non-baseline pairs per 14 benchmark keys
        let text = TextRenderer.terminal(r)
        #expect(text.contains("cpp-cpp"))
        #expect(text.contains("baseline"))
        let md = TextRenderer.markdown(r)
        #expect(md.contains("| suite | benchmark |"))
        for c in r.comparisons { #expect(c.roundRatios.count == 4) }
    }

    @Test func htmlEscapesEveryLabelFromInput() {
        let evil = "<script>alert(1)</script>"
        let text = """
        L4B1,begin,run"&<b>
        L4B1,meta,target,linux
        L4B1,meta,accel,native
        L4B1,meta,cpu,\(evil)
        L4B1,meta,tsc_hz,1000
        L4B1,meta,commit,'onmouseover='x
        L4B1,meta,date,2026-11-25
        L4B1,meta,toolchain,t
        L4B1,meta,samples,1
        L4B1,meta,warmup,0
        L4B1,meta,overhead_cycles,0
        L4B1,s,\(evil),b<i>,swift,cpp,same-core,x&y,0,0,10
        L4B1,s,\(evil),b<i>,swift,cpp,same-core,x&y,1,0,12
        L4B1,s,\(evil),b<i>,cpp,cpp,same-core,x&y,0,0,10
        L4B1,s,\(evil),b<i>,cpp,cpp,same-core,x&y,1,0,11
        L4B1,fail,\(evil),b<i>,cpp,swift,same-core,x&y,<img src=x onerror=alert(2)>
        L4B1,end,run"&<b>,4

        """
        let o = ResultsParser.parse(bytes: Array(text.utf8), source: "evil.csv")
        #expect(o.fault == nil, "\(String(describing: o.fault))")
        let html = HTMLRenderer.render(Report(outcome: o))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>") && !html.contains("<i>"))
        #expect(!html.contains("'onmouseover"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("x&amp;y"))
        #expect(htmlEscape("a\"b'c") == "a&quot;b&#39;c")
    }

    @Test func htmlIsSelfContained() throws {
        let html = HTMLRenderer.render(Report(outcome: ResultsParser.parse(path: fixture)))
        #expect(html.contains("<svg"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http"))
        #expect(!html.contains("href=\"http"))
    }

    @Test func googleBenchmarkJSONIsValid() throws {
        let json = GBenchJSON.render(Report(outcome: ResultsParser.parse(path: fixture)))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let benches = try #require(obj["benchmarks"] as? [[String: Any]])
        #expect(benches.count == 56 * 3)
        let first = benches[0]
        #expect(first["run_type"] as? String == "aggregate")
        #expect(first["time_unit"] as? String == "ns")
        #expect((first["real_time"] as? Double ?? 0) > 0)
    }

    @Test func storeNamesRunsByDateCommitAndMachine() throws {
        let o = ResultsParser.parse(path: fixture)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultsStore(root: root)
        let path = try store.store(o.run)
        #expect(path == "\(root)/synthetic/runs/20261125T060000Z_0000000.l4bc")
        #expect(store.runFiles() == [path])
        let base = try store.accept(runFile: path, run: o.run)
        #expect(base == path)
        #expect(try store.baselinePath(machine: o.run.machine) == path)
        #expect(ResultsParser.parse(path: base).run.sampleCount == o.run.sampleCount)
        #expect(ResultsStore.slug("my host/../x") == "my-host-..-x")
    }
}
