import Foundation
import Testing
import BenchReport
import BenchResults
import BenchStore

/// Paths stay in the store: references, summary lines, links among the runs;
/// outputs never replace what they must not; one damaged run never takes the
/// others with it.
@Suite struct StorePathTests {
    final class Dir {
        let path: String
        init() throws {
            var t = Array((FileManager.default.temporaryDirectory.path + "/l4b-paths-XXXXXX").utf8CString)
            path = String(cString: t.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!)! })
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A store with two runs of machine `unknown`, their summaries, and the first as baseline.
    func store(_ d: Dir) throws -> (ResultsStore, [String]) {
        let store = ResultsStore(root: "\(d.path)/Results")
        var paths: [String] = []
        for (i, seed) in [UInt64(1), 2].enumerated() {
            var o = syntheticRun(rounds: 3, samples: 8, pairs: ["swift-cpp", "cpp-cpp"], seed: seed)
            o.run.metadata = o.run.metadata.map { $0.key == "date" ? ($0.key, "2026-11-2\(i + 1)T00:00:00Z") : $0 }
            paths.append(try store.store(o.run))
        }
        let first = ResultsParser.parse(path: paths[0])
        try store.accept(runFile: paths[0], run: first.run)
        return (store, paths)
    }

    @Test func aBaselineRefThatIsALinkIsNeverRead() throws {
        let d = try Dir()
        let (store, _) = try store(d)
        let secret = "\(d.path)/secret.txt"
        try "CI_TOKEN=hunter2\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let ref = store.baselineRefPath(machine: "unknown")
        try FileManager.default.removeItem(atPath: ref)
        try FileManager.default.createSymbolicLink(atPath: ref, withDestinationPath: secret)
        do {
            _ = try store.baselinePath(machine: "unknown")
            Issue.record("a linked baseline.ref was read")
        } catch {
            guard case ResultsStore.StoreError.outside(let why) = error else { Issue.record("\(error)"); return }
            #expect(!why.contains("hunter2"))
        }
    }

    @Test(arguments: ["../../outside.l4bc", "/etc/passwd", "runs/../../x.l4bc", ".", "", "runs//a.l4bc", "runs/link.l4bc"])
    func aBaselineRefMayNameOnlyARunInsideTheStore(_ rel: String) throws {
        let d = try Dir()
        let (store, paths) = try store(d)
        let dir = store.machineDir("unknown")
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/runs/link.l4bc", withDestinationPath: paths[1])
        try "outside".write(toFile: "\(d.path)/outside.l4bc", atomically: true, encoding: .utf8)
        try (rel + "\n").write(toFile: store.baselineRefPath(machine: "unknown"), atomically: true, encoding: .utf8)
        #expect(throws: ResultsStore.StoreError.self) { try store.baselinePath(machine: "unknown") }
    }

    @Test func summaryLinesNameOnlyRunsOfTheStore() throws {
        let d = try Dir()
        let (store, paths) = try store(d)
        let sum = Summaries(store: store).path(machine: "unknown")
        let good = try String(contentsOfFile: sum, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(good.count == 2)
        let victim = "\(d.path)/outside/victim.txt"
        try FileManager.default.createDirectory(atPath: "\(d.path)/outside", withIntermediateDirectories: true)
        try String(repeating: "x", count: 12345).write(toFile: victim, atomically: true, encoding: .utf8)
        func line(_ file: String, bytes: Int, value: String = "100") -> String {
            "{\"file\":\"\(file)\",\"bytes\":\(bytes),\"id\":\"x\",\"groups\":\"l4,b,cpp,cpp,same-core,-\\t\(value)\"}"
        }
        let hostile = [line("../../../outside/victim.txt", bytes: 12345), line(".", bytes: 0), line("", bytes: 0),
                       line((paths[0] as NSString).lastPathComponent, bytes: 1),   // a size that disagrees
                       line((paths[1] as NSString).lastPathComponent, bytes: Summaries.fileSizeForTests(paths[1]), value: "inf")]
        // The good lines twice: one run each.
        try ((good + good + hostile).joined(separator: "\n") + "\n").write(toFile: sum, atomically: true, encoding: .utf8)
        let (records, problems) = Summaries(store: store).read(machine: "unknown")
        #expect(records.count == 2)
        #expect(problems.count == hostile.count)
        for p in problems { #expect(!p.reason.contains("12345"), "\(p.reason)") }
        // A run named by a link among the runs is not read, and history lists it.
        try FileManager.default.createSymbolicLink(atPath: "\(store.machineDir("unknown"))/runs/20990101T000000Z_link.l4bc", withDestinationPath: victim)
        let (runs, refused) = store.listRuns(machine: "unknown")
        #expect(runs.count == 2 && refused.count == 1)
    }

    @Test func historyListsADamagedRunAndReadsTheRest() throws {
        let d = try Dir()
        let (store, paths) = try store(d)
        // A third run without a summary line, damaged: one byte of a value changed.
        var o = syntheticRun(rounds: 3, samples: 8, pairs: ["swift-cpp", "cpp-cpp"], seed: 3)
        o.run.metadata = o.run.metadata.map { $0.key == "date" ? ($0.key, "2026-11-23T00:00:00Z") : $0 }
        let third = try store.store(o.run)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: third)))
        let g = bytes.indices.first { bytes[$0...].starts(with: Array("L4BC1,g,".utf8)) }!
        let digit = bytes[g...].firstIndex { $0 == 32 }! + 1
        bytes[digit] = bytes[digit] == 57 ? 56 : bytes[digit] + 1
        try Data(bytes).write(to: URL(fileURLWithPath: third))
        let c = HistoryBuilder(roots: [store.root]).collect()
        #expect(c.runs.count >= 2)
        #expect(c.skipped.contains { $0.file.hasSuffix((third as NSString).lastPathComponent) || $0.reason.contains((third as NSString).lastPathComponent) })
        // The summary line of the changed run no longer matches its checksum: listed too.
        #expect(c.skipped.contains { $0.reason.contains("checksum") })
        _ = paths
    }

    @Test func outputsAreNeverReplacedWhereTheyMustNotBe() throws {
        let d = try Dir()
        // A read-only file is refused, its mode and content kept.
        let ro = "\(d.path)/ro.html"
        try "old\n".write(toFile: ro, atomically: true, encoding: .utf8)
        chmod(ro, 0o444)
        #expect(throws: OutputFile.WriteError.self) { try OutputFile.write("new\n", to: ro) }
        #expect(try String(contentsOfFile: ro, encoding: .utf8) == "old\n")
        var st = stat()
        stat(ro, &st)
        #expect(st.st_mode & 0o777 == 0o444)
        // A writable file keeps its mode.
        let rw = "\(d.path)/rw.html"
        try "old\n".write(toFile: rw, atomically: true, encoding: .utf8)
        chmod(rw, 0o600)
        try OutputFile.write("new\n", to: rw)
        stat(rw, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        // A link at a path the program chose itself is refused; the file it points to is untouched.
        let target = "\(d.path)/target.txt"
        try "keep\n".write(toFile: target, atomically: true, encoding: .utf8)
        let link = "\(d.path)/run.html"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(throws: OutputFile.WriteError.self) { try OutputFile.write("report", to: link, followLinks: false) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        // A FIFO without a reader: given up after the wait, with a message.
        let fifo = "\(d.path)/fifo"
        mkfifo(fifo, 0o644)
        OutputFile.fifoWaitSeconds = 0.3
        defer { OutputFile.fifoWaitSeconds = 10 }
        let start = Date()
        do {
            try OutputFile.write("x", to: fifo)
            Issue.record("a FIFO without a reader was written")
        } catch {
            #expect(error.description.contains("no reader"))
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }
}

extension Summaries {
    static func fileSizeForTests(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}
