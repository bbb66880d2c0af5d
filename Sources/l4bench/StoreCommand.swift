import ArgumentParser
import BenchResults
import BenchStore
import Foundation
import L4ReRunner
import OwnedProcess

#if canImport(Glibc)
import Glibc
#endif

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Keep the Results store compact and whole: migrate, summarize, verify, repair.",
        subcommands: [Migrate.self, Summarize.self, Verify.self, Repair.self])

    struct Summarize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every machine's summaries.jsonl anew from its stored runs.",
            discussion: "Each summary goes beside the runs folder that holds its run. A damaged run is listed and left out; exits 9 then.")

        @Option(help: "Results directory.") var results = "Results"

        func run() throws {
            let store = ResultsStore(root: results)
            var damaged = 0
            let folders = store.machineFolders()
            for r in folders.refused { Console.error("\(r.file): \(r.reason)"); damaged += 1 }
            for m in folders.names {
                let (runs, refused) = store.listRuns(machine: m)
                for r in refused { Console.error("\(r.file): \(r.reason)"); damaged += 1 }
                guard !runs.isEmpty else { continue }
                var lines: [String] = []
                for file in runs {
                    let o = ResultsParser.parse(path: file)
                    if let f = o.fault { Console.error("\(file): not summarised (\(f))"); damaged += 1; continue }
                    lines.append(Summaries.line(run: o.run, file: file, bytes: fileSize(file) ?? 0))
                }
                let dest = "\(results)/\(m)/summaries.jsonl"
                do { try Summaries.write(lines, to: dest) } catch { throw storeFailure(error) }
                Console.out("\(dest): \(lines.count) run(s)\n")
            }
            if damaged > 0 { throw ExitCode.storeDamaged.withMessage("\(damaged) run(s) could not be summarised (listed above)") }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a store to its compact form, in place.",
            discussion: """
            Every run stored as format v1 (`runs/*.csv`) becomes a compact run (`.l4bc`, every sample's value \
            and round kept, with checksums) after a check that both give the same statistics; a compact run \
            stored before checksums is written again with them (after the same check); its console log \
            (`.log`) is compressed (`.log.gz`); an HTML report beside a run is removed (`l4bench report` \
            renders it again from the run); a baseline copied as `baseline.csv` becomes `baseline.ref`, a \
            reference to the stored run it copies (stored as a run when it copies none); and every machine \
            gets its summaries.jsonl. A store whose folders are symbolic links (leaving the store) is refused \
            before anything is changed (exit 21); a link, a FIFO or a device among the runs is left alone and \
            listed. Exits 9 when a run cannot be converted (it is left as it was).
            """)

        @Option(help: "Results directory.") var results = "Results"

        func run() throws {
            let store = ResultsStore(root: results)
            // Nothing is changed in a store whose folders lead elsewhere.
            guard StorePaths.isRealFolder(results) else {
                throw ExitCode.outsideStore.withMessage("\(results) is not a real folder (a symbolic link?): not migrated")
            }
            let folders = store.machineFolders()
            var leaving = folders.refused
            for m in folders.names {
                let runs = "\(results)/\(m)/runs"
                var st = stat()
                if lstat(runs, &st) == 0 && !StorePaths.isRealFolder(runs) {
                    leaving.append((runs, "not a real folder (a symbolic link?)"))
                }
            }
            if !leaving.isEmpty {
                for l in leaving { Console.error("\(l.file): \(l.reason)") }
                throw ExitCode.outsideStore.withMessage("the store's folders leave \(results): nothing migrated")
            }
            var failures = 0
            for m in folders.names {
                let runsDir = "\(results)/\(m)/runs"
                guard StorePaths.isRealFolder(runsDir) else { continue }
                var converted: [String: String] = [:]   // csv text hash -> compact path
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: runsDir)) ?? []).sorted() {
                    let path = "\(runsDir)/\(name)"
                    let isRun = ResultsStore.isRunFileName(name)
                    guard isRun || name.hasSuffix(".log") || name.hasSuffix(".html") else { continue }
                    guard StorePaths.isRegularFile(path) else {
                        Console.error("\(path): not a regular file (a symbolic link, a FIFO or a device): left alone")
                        failures += 1
                        continue
                    }
                    if isRun {
                        let o = ResultsParser.parse(path: path)
                        if name.hasSuffix("." + CompactFormat.fileExtension) && (o.checksummed || o.fault != nil) {
                            if let f = o.fault { Console.error("\(path): damaged, left as it is (\(f)); `l4bench store repair` may rebuild it"); failures += 1 }
                            continue
                        }
                        guard o.fault == nil, o.run.sampleCount > 0 else {
                            Console.error("\(path): not converted (\(o.fault.map { "\($0)" } ?? "no samples"))"); failures += 1; continue
                        }
                        let compact = CompactFormat.text(of: o.run)
                        let back = CompactFormat.parse(compact, source: path)
                        guard back.fault == nil, back.checksummed, back.run.sampleCount == o.run.sampleCount,
                              back.run.groups.map(\.key) == o.run.groups.map(\.key),
                              zip(back.run.groups, o.run.groups).allSatisfy({ $0.values.sorted() == $1.values.sorted() }) else {
                            Console.error("\(path): the compact form differs; left as it was"); failures += 1; continue
                        }
                        let dest = (path as NSString).deletingPathExtension + "." + CompactFormat.fileExtension
                        do {
                            try OutputFile.replace(compact, at: dest)
                            try Summaries(store: store).append(run: back.run, file: dest)
                        } catch { Console.error("\(error)"); failures += 1; continue }
                        if dest == path {
                            Console.out("\(path): checksums added\n")
                            continue
                        }
                        if let data = FileManager.default.contents(atPath: path) { converted[Self.digest(data)] = dest }
                        try FileManager.default.removeItem(atPath: path)
                        Console.out("\(path) → \(dest)\n")
                    } else if name.hasSuffix(".log") {
                        do { try ResultsStore.compress(path) } catch { Console.error("\(error)"); failures += 1; continue }
                        Console.out("\(path) → \(path).gz\n")
                    } else if name.hasSuffix(".html") {
                        let base = (path as NSString).deletingPathExtension
                        if FileManager.default.fileExists(atPath: base + "." + CompactFormat.fileExtension) || FileManager.default.fileExists(atPath: base + ".csv") {
                            try FileManager.default.removeItem(atPath: path)
                            Console.out("\(path): removed (rendered again by `l4bench report \(base).\(CompactFormat.fileExtension)`)\n")
                        }
                    }
                }
                let legacy = "\(results)/\(m)/baseline.csv"
                var st = stat()
                guard lstat(legacy, &st) == 0 else { continue }
                guard StorePaths.isRegularFile(legacy) else {
                    Console.error("\(legacy): not a regular file (a symbolic link?): left alone"); failures += 1; continue
                }
                if let data = FileManager.default.contents(atPath: legacy) {
                    let o = ResultsParser.parse(path: legacy)
                    if let stored = converted[Self.digest(data)] {
                        try writeFile("runs/\((stored as NSString).lastPathComponent)\n", store.baselineRefPath(machine: m), followLinks: false)
                        try FileManager.default.removeItem(atPath: legacy)
                        Console.out("\(legacy) → baseline.ref (a copy of \(stored))\n")
                    } else if !o.run.id.isEmpty {
                        do {
                            let dest = try store.accept(runFile: legacy, run: o.run)
                            Console.out("\(legacy) → stored as \(dest), referenced by baseline.ref\n")
                        } catch { Console.error("\(error)"); failures += 1 }
                    }
                }
            }
            if failures > 0 { throw ExitCode.storeDamaged.withMessage("\(failures) file(s) could not be migrated (listed above)") }
        }

        static func digest(_ d: Data) -> String {
            var h = Hasher()
            h.combine(d)
            return "\(d.count)-\(h.finalize())"
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a whole store: every run read and its checksums verified, summaries against their runs, baselines inside the store.",
            discussion: """
            Lists every problem with its file and reason: a damaged run (a checksum that does not match, a \
            count beyond its bytes, any fault of the reader), a link, FIFO or device among the runs, a \
            summary line that names no run of the store or disagrees with its run (size, id, values), a \
            baseline.ref that leads outside the store or names a missing run. Runs stored before checksums \
            and runs without a summary line are mentioned, not counted. Exits 9 when a problem is found, 0 \
            otherwise.
            """)

        @Option(help: "Results directory (default: Results and Results/l4re).") var results: String?

        func run() throws {
            var problems = 0
            var notes = 0
            var runsRead = 0
            func problem(_ s: String) { Console.error("problem: " + s); problems += 1 }
            func note(_ s: String) { Console.out("note: " + Console.clean(s) + "\n"); notes += 1 }
            for root in results.map({ [$0] }) ?? ["Results", "Results/l4re"] where StorePaths.isRealFolder(root) || results != nil {
                let store = ResultsStore(root: root)
                let folders = store.machineFolders()
                for r in folders.refused { problem("\(r.file): \(r.reason)") }
                for m in folders.names {
                    let (runs, refused) = store.listRuns(machine: m)
                    for r in refused { problem("\(r.file): \(r.reason)") }
                    var read: [String: ParseOutcome] = [:]
                    for file in runs {
                        let o = ResultsParser.parse(path: file)
                        runsRead += 1
                        if let f = o.fault { problem("\(file): damaged: \(f)"); continue }
                        read[file] = o
                        if file.hasSuffix("." + CompactFormat.fileExtension) && !o.checksummed {
                            note("\(file): stored before checksums (`l4bench store migrate` adds them)")
                        } else if file.hasSuffix(".csv") {
                            note("\(file): stored as format v1 (`l4bench store migrate` makes it compact)")
                        }
                    }
                    guard !runs.isEmpty else { continue }
                    let (records, bad) = Summaries(store: store).read(machine: m)
                    for b in bad { problem("\(b.file): \(b.reason)") }
                    var summarised = Set<String>()
                    for r in records {
                        summarised.insert(r.file)
                        guard let o = read[r.file] else { continue }
                        if r.id != o.run.id { problem("the summary of \(r.file) names run '\(FieldChecks.display(r.id))', the run is '\(FieldChecks.display(o.run.id))'"); continue }
                        let actual = Dictionary(Summaries.values(of: o.run).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                        let recorded = Dictionary(r.groups.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                        let differ = actual.count != recorded.count || actual.contains { k, v in
                            guard let w = recorded[k] else { return true }
                            return abs(v - w) > 1e-9 * max(abs(v), abs(w))
                        }
                        if differ { problem("the summary of \(r.file) disagrees with the run's values (`l4bench store summarize` writes it anew)") }
                    }
                    for file in runs where !summarised.contains(file) && read[file] != nil {
                        note("\(file): no summary line (`history` reads it in full; `l4bench store summarize` adds one)")
                    }
                    do {
                        let base = try store.baselinePath(machine: m)
                        if !runs.contains(base) && !base.hasSuffix("/baseline.csv") { problem("\(store.baselineRefPath(machine: m)) names \(base), which is not a stored run") }
                    } catch {
                        if case ResultsStore.StoreError.noBaseline = error {} else { problem("\(error)") }
                    }
                }
            }
            Console.out("\(runsRead) run(s) read, \(problems) problem(s), \(notes) note(s)\n")
            if problems > 0 { throw ExitCode.storeDamaged.withMessage("the store has \(problems) problem(s) (listed above)") }
        }
    }

    struct Repair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild damaged stored runs from their console logs (`.log.gz`).",
            discussion: """
            Every run of the store that does not read cleanly is rebuilt from the console log kept beside it \
            (`<run>.log.gz`), when that log holds a whole run with the same run id; the run is replaced \
            (never through a link, never a read-only file) and its summary written anew. A run without a log, \
            or whose log does not hold it, is listed and left as it is: exit 9.
            """)

        @Option(help: "Results directory.") var results = "Results"
        @Argument(help: "Only these stored runs (default: every run of the store).") var runs: [String] = []

        func run() throws {
            let store = ResultsStore(root: results)
            var targets = runs
            if targets.isEmpty {
                let (all, refused) = store.listRuns()
                for r in refused { Console.error("\(r.file): \(r.reason)") }
                targets = all
            }
            var repaired = 0, failed = 0
            for file in targets {
                guard StorePaths.isRegularFile(file) else { Console.error("\(file): not a regular file: not repaired"); failed += 1; continue }
                let damaged = ResultsParser.parse(path: file)
                guard let fault = damaged.fault else { continue }
                Console.error("\(file): damaged (\(fault))")
                let log = (file as NSString).deletingPathExtension + ".log.gz"
                guard StorePaths.isRegularFile(log) else {
                    Console.error("  cannot repair: no console log kept beside it (\((log as NSString).lastPathComponent))"); failed += 1; continue
                }
                let rebuilt: ParseOutcome
                do { rebuilt = try Self.readLog(log) } catch { Console.error("  cannot repair: \(error)"); failed += 1; continue }
                if let f = rebuilt.fault { Console.error("  cannot repair: the console log does not hold a whole run (\(f))"); failed += 1; continue }
                if !damaged.run.id.isEmpty && damaged.run.id != rebuilt.run.id {
                    Console.error("  cannot repair: the log holds run '\(rebuilt.run.id)', the damaged file run '\(damaged.run.id)'"); failed += 1; continue
                }
                let text = CompactFormat.text(of: rebuilt.run)
                let check = CompactFormat.parse(text, source: file)
                guard check.fault == nil, check.run.sampleCount == rebuilt.run.sampleCount else {
                    Console.error("  cannot repair: the rebuilt run does not read back (\(check.fault.map { "\($0)" } ?? "samples differ"))"); failed += 1; continue
                }
                do {
                    try OutputFile.replace(text, at: file)
                    try Summaries(store: store).append(run: check.run, file: file)
                } catch { Console.error("  cannot repair: \(error)"); failed += 1; continue }
                Console.out("\(file): rebuilt from \(log) (run \(Console.clean(rebuilt.run.id)), \(rebuilt.run.sampleCount) samples)\n")
                repaired += 1
            }
            Console.out("\(repaired) run(s) repaired, \(failed) not\n")
            if failed > 0 { throw ExitCode.storeDamaged.withMessage("\(failed) run(s) could not be repaired (listed above)") }
        }

        /// The run in a gzipped console log: `gzip -dc` as an owned child (by PID, ended at the
        /// deadline), its output read as a stream (bounded memory).
        static func readLog(_ log: String, seconds: Double = 600) throws -> ParseOutcome {
            let p = try OwnedProcess(["gzip", "-dc", "--", log])
            defer { p.terminate(grace: 1) }  // its pipe is closed when `p` goes (deinit)
            let start = OwnedProcess.monotonic()
            // The pipe is read through its /dev/fd name: the reader streams it in chunks.
            let outcome = ResultsParser.parse(path: "/dev/fd/\(p.outputFD)")
            // A reader that stopped before the end (at a fault: a log of several shards reads as "two runs
            // mixed") leaves gzip blocked writing to the pipe: it is ended, never waited for without bound.
            if let f = outcome.fault {
                // A run booted in shards keeps one console per shard, each under a "==== shard k/n ====" line:
                // the run is their merge, as the runner made it (ShardMerge over each shard's cleaned results).
                if case .mixedRuns = f.reason { p.terminate(grace: 1); return try readShardedLog(log, seconds: seconds) }
                return outcome
            }
            if OwnedProcess.monotonic() - start > seconds { throw ResultsStore.StoreError.io("gzip -dc \(log) took longer than \(Int(seconds)) s") }
            let until = OwnedProcess.monotonic() + 5
            while p.isRunning && OwnedProcess.monotonic() < until { usleep(20_000) }
            if p.isRunning { return outcome }
            if let code = p.exitCode, code != 0 { throw ResultsStore.StoreError.io("gzip -dc \(log) failed (exit \(code)): the log is damaged too") }
            return outcome
        }

        /// Largest decompressed console log a repair reads whole (the shards are split in memory).
        static let shardedLogLimit = 1 << 30

        /// The run of a sharded console log: `gzip -dc` (owned, bounded output), the text split at its
        /// shard lines, each shard cleaned as the runner cleans it, merged with `ShardMerge`.
        static func readShardedLog(_ log: String, seconds: Double) throws -> ParseOutcome {
            let p = try OwnedProcess(["gzip", "-dc", "--", log])
            defer { p.terminate(grace: 1) }
            let start = OwnedProcess.monotonic()
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(p.outputFD, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                bytes += chunk[0..<n]
                if bytes.count > shardedLogLimit { throw ResultsStore.StoreError.io("\(log): more than \(shardedLogLimit) bytes decompressed: not read") }
                if OwnedProcess.monotonic() - start > seconds { throw ResultsStore.StoreError.io("gzip -dc \(log) took longer than \(Int(seconds)) s") }
            }
            // Split at the shard lines; what stands before the first one belongs to no shard.
            var shards: [[UInt8]] = []
            let marker = Array("==== shard ".utf8)
            var lineStart = 0
            while lineStart < bytes.count {
                var end = lineStart
                while end < bytes.count && bytes[end] != 10 { end += 1 }
                let next = min(end + 1, bytes.count)
                if bytes[lineStart..<end].starts(with: marker) {
                    shards.append([])
                } else if !shards.isEmpty {
                    shards[shards.count - 1] += bytes[lineStart..<next]
                }
                lineStart = next
            }
            guard shards.count > 1 else { return ResultsParser.parse(bytes: bytes, source: log) }
            let cleaned = shards.enumerated().map { ResultsCleaner.clean(bytes: $0.element, source: "\(log) (shard \($0.offset + 1))", lenient: true) }
            guard let runID = cleaned.first(where: { !$0.outcome.run.id.isEmpty })?.outcome.run.id else {
                return ResultsParser.parse(bytes: bytes, source: log)
            }
            return ResultsParser.parse(bytes: Array(ShardMerge.merge(cleaned.map(\.text), runID: runID).utf8), source: log)
        }
    }
}

func fileSize(_ path: String) -> Int? {
    var st = stat()
    return lstat(path, &st) == 0 ? Int(st.st_size) : nil
}
