import BenchResults
import Foundation

/// The `Results/` layout:
///
///     Results/<machine>/runs/<date>_<commit>.l4bc     every stored run, compact (see CompactFormat)
///     Results/<machine>/runs/<date>_<commit>.log.gz   its console log, compressed (L4Re, serial captures)
///     Results/<machine>/summaries.jsonl               one line per stored run: what `history` reads
///     Results/<machine>/baseline.ref                  the accepted baseline: a stored run's path
///
/// Runs are named by date (UTC, from the run's `date` metadata), commit and
/// machine (the `machine` metadata, else "unknown"). Baselines are per machine
/// because cycle counts are only comparable on the same hardware. Runs stored
/// before the compact form (`.csv`) and a copied `baseline.csv` are still read.
public struct ResultsStore: Sendable {
    public var root: String

    public init(root: String = "Results") { self.root = root }

    public enum StoreError: Error, CustomStringConvertible {
        case noBaseline(machine: String, path: String)
        case io(String)
        public var description: String {
            switch self {
            case .noBaseline(let m, let p): return "no baseline for machine '\(m)' at \(p); accept one with `l4bench baseline accept RUN.csv`"
            case .io(let s): return s
            }
        }
    }

    /// File-name-safe form of a label.
    public static func slug(_ s: String) -> String {
        let out = String(s.unicodeScalars.map { c -> Character in
            let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == "."
            return ok ? Character(c) : "-"
        })
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-."))
        return trimmed.isEmpty ? "unknown" : String(trimmed.prefix(64))
    }

    /// `20261125T061500Z` from an ISO 8601 date, or the raw text made safe.
    public static func dateStamp(_ iso: String?) -> String {
        guard let iso else { return "undated" }
        let digits = iso.filter { $0.isNumber }
        if digits.count >= 14 {
            let d = Array(digits)
            return String(d[0..<8]) + "T" + String(d[8..<14]) + "Z"
        }
        return slug(iso)
    }

    /// The store a run belongs to, found from the run itself: the store that holds
    /// the file (`ROOT/<machine>/runs/<file>`), else `Results/l4re` for an L4Re run
    /// and `Results` for a Linux run, under `base`.
    public static func forRun(file: String, run: Run, base: String = "Results") -> ResultsStore {
        let parts = (file as NSString).standardizingPath.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count >= 3, parts[parts.count - 2] == "runs", parts[parts.count - 3] == Substring(slug(run.machine)) {
            let root = parts.dropLast(3).joined(separator: "/")
            return ResultsStore(root: root.isEmpty ? "." : root)
        }
        return ResultsStore(root: run[meta: "target"] == "l4re" ? "\(base)/l4re" : base)
    }

    public func machineDir(_ machine: String) -> String { "\(root)/\(Self.slug(machine))" }
    public func baselineRefPath(machine: String) -> String { "\(machineDir(machine))/baseline.ref" }

    /// The baseline run of a machine: the stored run `baseline.ref` names, or a
    /// `baseline.csv` kept from before references. Throws when the reference
    /// names a run that is not there.
    public func baselinePath(machine: String) throws -> String {
        let ref = baselineRefPath(machine: machine)
        if let text = try? String(contentsOfFile: ref, encoding: .utf8) {
            let rel = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let path = "\(machineDir(machine))/\(rel)"
            guard !rel.isEmpty, FileManager.default.fileExists(atPath: path) else {
                throw StoreError.io("\(ref) names the run '\(rel)', which is not in \(machineDir(machine)): store it again or accept another baseline")
            }
            return path
        }
        let legacy = "\(machineDir(machine))/baseline.csv"
        guard FileManager.default.fileExists(atPath: legacy) else { throw StoreError.noBaseline(machine: machine, path: ref) }
        return legacy
    }

    /// Where a run is stored (its compact file).
    public func runPath(for run: Run) -> String {
        let commit = Self.slug(String((run[meta: "commit"] ?? "nocommit").prefix(12)))
        return "\(machineDir(run.machine))/runs/\(Self.dateStamp(run[meta: "date"]))_\(commit).\(CompactFormat.fileExtension)"
    }

    /// Stores `run` in compact form, its console log compressed beside it (when
    /// given), and its summary; returns the run's path.
    @discardableResult
    public func store(_ run: Run, log: String? = nil) throws -> String {
        let path = runPath(for: run)
        try write(CompactFormat.text(of: run), to: path)
        if let log {
            let dest = (path as NSString).deletingPathExtension + ".log.gz"
            try Self.gzip(log, to: dest)
        }
        try Summaries(store: self).append(run: run, file: path)
        return path
    }

    /// Makes a run the baseline of its machine: a reference to the stored run
    /// (stored first when it is not in this store yet). Returns the run's path.
    @discardableResult
    public func accept(runFile path: String, run: Run) throws -> String {
        func absolute(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.path }
        let runsDir = absolute(machineDir(run.machine) + "/runs") + "/"
        var stored = path
        if !absolute(path).hasPrefix(runsDir) || !path.hasSuffix(".\(CompactFormat.fileExtension)") {
            stored = try store(run)
        }
        let rel = "runs/" + (stored as NSString).lastPathComponent
        try write(rel + "\n", to: baselineRefPath(machine: run.machine))
        try? FileManager.default.removeItem(atPath: "\(machineDir(run.machine))/baseline.csv")
        return "\(machineDir(run.machine))/\(rel)"
    }

    /// Compresses a file in place (`path` becomes `path.gz`).
    public static func compress(_ path: String) throws {
        try gzip(path, to: path + ".gz")
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Compresses `source` with gzip into `dest` (gzip is on every machine that has a shell).
    static func gzip(_ source: String, to dest: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gzip", "-9", "-n", "-c", source]
        FileManager.default.createFile(atPath: dest, contents: nil)
        guard let out = FileHandle(forWritingAtPath: dest) else { throw StoreError.io("cannot write \(dest)") }
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { throw StoreError.io("cannot run gzip: \(error)") }
        p.waitUntilExit()
        try? out.close()
        guard p.terminationStatus == 0 else { throw StoreError.io("gzip \(source) failed (exit \(p.terminationStatus))") }
    }

    func write(_ text: String, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw StoreError.io("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// A stored run's file name: `<date>_<commit>.csv`; statistics (`.stats.csv`) and
    /// other files beside the runs are not runs.
    public static func isRunFileName(_ name: String) -> Bool {
        guard name.first?.isNumber == true else { return false }
        return name.hasSuffix(".\(CompactFormat.fileExtension)") || (name.hasSuffix(".csv") && !name.hasSuffix(".stats.csv"))
    }

    /// Stored run files, oldest first (names sort by date), for one machine or all.
    public func runFiles(machine: String? = nil) -> [String] {
        let fm = FileManager.default
        let machines: [String]
        if let machine { machines = [Self.slug(machine)] } else {
            machines = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
        }
        var files: [(String, String)] = []
        for m in machines {
            let dir = "\(root)/\(m)/runs"
            for f in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where Self.isRunFileName(f) {
                files.append((f, "\(dir)/\(f)"))
            }
        }
        return files.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
