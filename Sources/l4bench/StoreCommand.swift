import ArgumentParser
import BenchResults
import BenchStore
import Foundation

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Keep the Results store compact: migrate runs stored as CSV, rebuild summaries.",
        subcommands: [Migrate.self, Summarize.self])

    struct Summarize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every machine's summaries.jsonl anew from its stored runs.")

        @Option(help: "Results directory.") var results = "Results"

        func run() throws {
            let store = ResultsStore(root: results)
            var failures = 0
            for m in ((try? FileManager.default.contentsOfDirectory(atPath: results)) ?? []).sorted() {
                let runs = store.runFiles(machine: m)
                guard !runs.isEmpty else { continue }
                try? FileManager.default.removeItem(atPath: Summaries(store: store).path(machine: m))
                for file in runs {
                    let o = ResultsParser.parse(path: file)
                    guard o.fault == nil else { Console.error("\(file): not summarised (\(o.fault!))"); failures += 1; continue }
                    try Summaries(store: store).append(run: o.run, file: file)
                }
                Console.out("\(Summaries(store: store).path(machine: m)): \(runs.count) run(s)\n")
            }
            if failures > 0 { throw ExitCode.fileOrTool.withMessage("\(failures) run(s) could not be summarised") }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert a store to its compact form, in place.",
            discussion: """
            Every run stored as format v1 (`runs/*.csv`) becomes a compact run (`.l4bc`, every sample's value \
            and round kept) after a check that both give the same statistics; its console log (`.log`) is \
            compressed (`.log.gz`); an HTML report beside a run is removed (`l4bench report` renders it again \
            from the run); a baseline copied as `baseline.csv` becomes `baseline.ref`, a reference to the \
            stored run it copies (stored as a run when it copies none); and every machine gets its \
            summaries.jsonl. Exits 3 when a run cannot be converted (it is left as it was).
            """)

        @Option(help: "Results directory.") var results = "Results"

        func run() throws {
            let store = ResultsStore(root: results)
            let machines = ((try? FileManager.default.contentsOfDirectory(atPath: results)) ?? []).sorted()
            var failures = 0
            for m in machines {
                let runsDir = "\(results)/\(m)/runs"
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: runsDir, isDirectory: &isDir), isDir.boolValue else { continue }
                var converted: [String: String] = [:]   // csv text hash -> compact path
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: runsDir)) ?? []).sorted() {
                    let path = "\(runsDir)/\(name)"
                    if name.hasSuffix(".csv") && ResultsStore.isRunFileName(name) {
                        let o = ResultsParser.parse(path: path)
                        guard !o.run.id.isEmpty, o.run.sampleCount > 0 else {
                            Console.error("\(path): not converted (\(o.fault.map { "\($0)" } ?? "no samples"))"); failures += 1; continue
                        }
                        let compact = CompactFormat.text(of: o.run)
                        let back = CompactFormat.parse(compact, source: path)
                        guard back.run.sampleCount == o.run.sampleCount,
                              back.run.groups.map(\.key) == o.run.groups.map(\.key),
                              zip(back.run.groups, o.run.groups).allSatisfy({ $0.values.sorted() == $1.values.sorted() }) else {
                            Console.error("\(path): the compact form differs; left as it was"); failures += 1; continue
                        }
                        let dest = (path as NSString).deletingPathExtension + "." + CompactFormat.fileExtension
                        try writeFile(compact, dest)
                        try Summaries(store: store).append(run: back.run, file: dest)
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
                if let data = FileManager.default.contents(atPath: legacy) {
                    let o = ResultsParser.parse(path: legacy)
                    if let stored = converted[Self.digest(data)] {
                        try writeFile("runs/\((stored as NSString).lastPathComponent)\n", store.baselineRefPath(machine: m))
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
            if failures > 0 { throw ExitCode.fileOrTool.withMessage("\(failures) file(s) could not be migrated (listed above)") }
        }

        static func digest(_ d: Data) -> String {
            var h = Hasher()
            h.combine(d)
            return "\(d.count)-\(h.finalize())"
        }
    }
}
