import Foundation
import Testing
@testable import BenchResults

/// The hostile-input corpus (Tests/Fixtures/hostile) and the large inputs
/// generated here: no crash, the documented exit code, bounded memory.
@Suite struct HostileInputTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hostile")

    static var corpus: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
    }

    @Test(arguments: corpus)
    func corpusFileGivesItsExitCode(_ name: String) {
        let expected = Int32(name.prefix(2))!
        for lenient in [false, true] {
            let o = ResultsParser.parse(path: Self.dir.appendingPathComponent(name).path, options: ParseOptions(lenient: lenient))
            var code = o.fault?.exitCode ?? 0
            // Lenient mode skips bad rows it can skip; the whole-file checks still apply.
            if lenient && code == 0 && o.skippedCount > 0 { code = expected }
            #expect(code == expected, "\(name) lenient=\(lenient): \(String(describing: o.fault))")
        }
    }

    func header() -> String {
        ["L4B1,begin,big", "L4B1,meta,target,linux", "L4B1,meta,accel,native", "L4B1,meta,cpu,c", "L4B1,meta,tsc_hz,1000",
         "L4B1,meta,commit,x", "L4B1,meta,date,2026-11-26", "L4B1,meta,toolchain,t", "L4B1,meta,samples,1",
         "L4B1,meta,warmup,0", "L4B1,meta,overhead_cycles,1"].joined(separator: "\n") + "\n"
    }

    /// A key of 100 KB or 1 MB, and a 10 MB line: rejected cleanly on every path.
    @Test(arguments: [100_000, 1_000_000, 10_000_000])
    func longFieldsAreRejectedOnEveryPath(_ size: Int) throws {
        let text = header() + "L4B1,s,f,ipc.roundtrip,swift," + String(repeating: "x", count: size) + ",same-core,-,0,0,5\nL4B1,end,big,1\n"
        let bytes = Array(text.utf8)
        signal(SIGPIPE, SIG_IGN)  // the reader stops early; the writer must see EPIPE, not die
        // In memory.
        let a = ResultsParser.parse(bytes: bytes, source: "mem")
        #expect(a.fault?.exitCode == 10)
        // From a file.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("l4b-long-\(getpid())-\(size).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(ResultsParser.parse(path: path).fault?.exitCode == 10)
        // Through a pipe (standard input's path).
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let wfd = fds[1]
        let writer = Thread {
            bytes.withUnsafeBytes { b in
                var off = 0
                while off < b.count {
                    let n = write(wfd, b.baseAddress! + off, b.count - off)
                    if n <= 0 { break }
                    off += n
                }
            }
            close(wfd)
        }
        writer.start()
        let c = ResultsParser.parseStream(fd: fds[0], source: "<pipe>", options: ParseOptions(), echo: nil)
        close(fds[0])
        #expect(c.fault?.exitCode == 10)
    }

    /// Endless input stops at a fault after a bounded amount.
    @Test func devZeroStopsQuickly() {
        let o = ResultsParser.parse(path: "/dev/zero")
        #expect(o.fault?.exitCode == 17)
    }

    @Test func directoriesAndCompressedFilesAreNamed() throws {
        #expect(ResultsParser.parse(path: Self.dir.path).fault?.description.contains("is a directory") == true)
        let gz = FileManager.default.temporaryDirectory.appendingPathComponent("l4b-\(getpid()).csv.gz").path
        try Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: gz))
        defer { try? FileManager.default.removeItem(atPath: gz) }
        #expect(ResultsParser.parse(path: gz).fault?.description.contains("compressed (gzip): unpack it first") == true)
    }

    /// Many groups: each group costs memory in proportion to its samples.
    @Test func manyGroupsParse() {
        var text = header()
        let n = 100_000
        text.reserveCapacity(n * 60)
        for g in 0..<n { text += "L4B1,s,f,b\(g),swift,cpp,same-core,-,0,0,\(g)\n" }
        text += "L4B1,end,big,\(n)\n"
        let o = ResultsParser.parse(bytes: Array(text.utf8), source: "many")
        #expect(o.fault == nil)
        #expect(o.run.groups.count == n)
        #expect(o.run.group(GroupKey(suite: "f", benchmark: "b777", client: "swift", server: "cpp", placement: "same-core", param: "-"))?.values == [777])
    }
}
