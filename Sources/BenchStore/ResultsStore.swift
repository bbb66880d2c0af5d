import BenchResults
import Foundation

/// The `Results/` layout:
///
///     Results/<machine>/runs/<date>_<commit>.csv   every stored run
///     Results/<machine>/baseline.csv               the accepted baseline
///
/// Runs are named by date (UTC, from the run's `date` metadata), commit and
/// machine (the `machine` metadata, else "unknown"). Baselines are per machine
/// because cycle counts are only comparable on the same hardware.
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
    public func baselinePath(machine: String) -> String { "\(machineDir(machine))/baseline.csv" }

    /// Where a run is stored.
    public func runPath(for run: Run) -> String {
        let commit = Self.slug(String((run[meta: "commit"] ?? "nocommit").prefix(12)))
        return "\(machineDir(run.machine))/runs/\(Self.dateStamp(run[meta: "date"]))_\(commit).csv"
    }

    /// Writes `text` (a clean results file) for `run`; returns the path.
    @discardableResult
    public func store(_ run: Run, text: String) throws -> String {
        let path = runPath(for: run)
        try write(text, to: path)
        return path
    }

    /// Makes the results file at `path` the baseline of its machine.
    @discardableResult
    public func accept(runFile path: String, machine: String) throws -> String {
        let dest = baselinePath(machine: machine)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw StoreError.io("cannot read \(path): \(error.localizedDescription)") }
        try write(String(decoding: data, as: UTF8.self), to: dest)
        return dest
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
        name.hasSuffix(".csv") && !name.hasSuffix(".stats.csv") && name.first?.isNumber == true
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
