import Foundation
import Testing
import BenchResults
@testable import LavaRunner

@Suite struct LavaLogTests {
    @Test func aCompleteJobsConsole() throws {
        let log = LavaLog.read(Recorded.bytes("recorded/job-5-logs-4.yaml"))
        let text = String(decoding: log.console, as: UTF8.self)
        #expect(log.entries == 110 && log.skipped == 0 && !log.cut)
        #expect(log.jobResult == "pass" && log.errorType == nil && log.monitorStatus == "passed")
        #expect(log.imageSHA256 == "425dd0ea56845eebcbc8448b4f9771460eacaf4fa4c0b471cb719927bb3bc0a0")
        #expect(text.contains("L4B1,begin,l4re-20261201T000000Z-lava-standin\n"))
        // LAVA drops ESC: the colour code left at the line's end is removed, so the value reads.
        #expect(text.contains("probe   | L4B1,meta,tsc_hz,999978000\n"))
        let (outcome, clean) = ResultsCleaner.clean(bytes: log.console, source: "job 5", lenient: false)
        #expect(outcome.fault == nil && outcome.run.sampleCount == 20 && !clean.isEmpty)
    }

    @Test func LAVAsReasonForEachFailedJob() {
        let never = LavaLog.read(Recorded.bytes("recorded/job-2-logs.yaml"))
        #expect(never.errorType == "Infrastructure" && never.errorMessage == "Connection closed")
        let hang = LavaLog.read(Recorded.bytes("recorded/job-3-logs.yaml"))
        #expect(hang.errorType == "Test" && hang.errorMessage == "lava-test-monitor timed out after 60 seconds")
        let cancelled = LavaLog.read(Recorded.bytes("recorded/job-4-logs.yaml"))
        #expect(cancelled.errorType == "Canceled" && cancelled.errorMessage == "The job was canceled")
    }

    @Test func aCutDownloadIsNoticed() {
        let log = LavaLog.read(Recorded.bytes("derived/job-5-logs-cut.yaml"))
        #expect(log.cut)
        #expect(log.entries == 55)
        #expect(log.jobResult == nil)
    }

    /// YAML double-quoted escapes as LAVA's dumper writes them, and tags (`! "11532"`).
    @Test func escapesAndTags() throws {
        let line = #"- {"dt": "x", "lvl": "target", "msg": "a\"b\\c\ttab\e[1m\x07\u00e9\U0001F600 \/ \N\_end"}"# + "\n"
            + #"- {"dt": "y", "lvl": "results", "msg": {"case": "file-download", "definition": "lava", "extra": {"sha256sum": "\#(String(repeating: "ab", count: 32))", "size": ! "11532"}, "result": "pass"}}"# + "\n"
        let log = LavaLog.read(Array(line.utf8))
        #expect(log.entries == 2 && log.skipped == 0)
        #expect(String(decoding: log.console, as: UTF8.self) == "a\"b\\c\ttab\u{1b}[1m\u{07}é😀 / \u{85}\u{a0}end\n")
        #expect(log.imageSHA256 == String(repeating: "ab", count: 32))
    }

    /// A hostile log: lines that are no LAVA entry, a line over the limit, unbalanced and deep nesting,
    /// bad escapes; none of it stops the reader, each is counted.
    @Test func hostileLinesAreCountedAndSkipped() {
        var b = Array(#"- {"lvl": "target", "msg": "L4B1,begin,r"}"#.utf8) + [10]
        b += Array("not yaml at all\n".utf8)
        b += Array(#"- {"lvl": "target", "msg": "unterminated}"#.utf8) + [10]
        b += Array(#"- {"lvl": "target", "msg": "bad \q escape"}"#.utf8) + [10]
        b += Array(("- " + String(repeating: "{\"a\": ", count: 50) + "\"x\"" + String(repeating: "}", count: 50)).utf8) + [10]
        b += Array(#"- {"lvl": "target", "msg": ""#.utf8) + [UInt8](repeating: 65, count: LavaLog.maxLine + 10) + Array("\"}\n".utf8)
        b += Array(#"- {"lvl": "target", "msg": "after"}"#.utf8) + [10]
        let log = LavaLog.read(b)
        #expect(log.skipped == 5)
        #expect(String(decoding: log.console, as: UTF8.self) == "L4B1,begin,r\nafter\n")
        #expect(!log.cut)
    }

    @Test func lineByLineEqualsWhole() {
        let whole = Recorded.bytes("recorded/job-1-logs.yaml")
        var parts = LavaLog()
        var start = 0
        for cut in [1000, 5000, whole.count] {
            // As the follower does: whole lines only, the rest asked for again.
            let chunk = Array(whole[start..<cut])
            guard let nl = chunk.lastIndex(of: 10) else { continue }
            parts.read(Array(chunk[...nl]))
            start += nl + 1
        }
        let once = LavaLog.read(whole)
        #expect(parts.console == once.console && parts.entries == once.entries)
    }
}
