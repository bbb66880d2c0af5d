import BenchResults
import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
        /// A store's file names something outside the store, or a link, a FIFO, a device (exit 21).
        case outside(String)
        public var description: String {
            switch self {
            case .noBaseline(let m, let p): return "no baseline for machine '\(m)' at \(p); accept one with `l4bench baseline accept RUN.csv`"
            case .io(let s), .outside(let s): return s
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
        let dir = machineDir(machine)
        let ref = baselineRefPath(machine: machine)
        let text: String
        do {
            text = try StorePaths.readSmallFile(ref, limit: 4096)
        } catch {
            guard case .missing = error else { throw StoreError.outside("\(error.description)") }
            let legacy = "\(dir)/baseline.csv"
            var st = stat()
            guard lstat(legacy, &st) == 0 else { throw StoreError.noBaseline(machine: machine, path: ref) }
            guard StorePaths.isRegularFile(legacy) else {
                throw StoreError.outside("\(legacy) is not a regular file (a symbolic link?): refused as a baseline")
            }
            return legacy
        }
        let rel = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if rel.contains("\n") { throw StoreError.outside("\(ref) holds more than one line: it must name one stored run (runs/<file>.l4bc)") }
        do {
            return try StorePaths.resolve(rel, in: dir)
        } catch let p {
            switch p {
            case .missing:
                throw StoreError.io("\(ref) names the run '\(rel)', which is not in \(dir): store it again or accept another baseline")
            case .outside(let why), .notRegular(let why):
                // The reference's text is shown only when it is a plain relative path (the reason says why not).
                throw StoreError.outside("\(ref) does not name a run inside the store: \(why)")
            }
        }
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

    /// Compresses `source` with gzip into `dest` (gzip is on every machine that has a shell), through
    /// a temporary file renamed over `dest`; `dest` is never written through a link. `source` must be
    /// a regular file (a link is not followed out of the store).
    static func gzip(_ source: String, to dest: String) throws {
        guard StorePaths.isRegularFile(source) else { throw StoreError.outside("\(source) is not a regular file (a symbolic link?): not compressed") }
        var st = stat()
        if lstat(dest, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            throw StoreError.outside("\(dest) is not a regular file (a symbolic link?): not replaced")
        }
        let dir = (dest as NSString).deletingLastPathComponent
        var template = Array(((dir.isEmpty ? "." : dir) + "/.gzip.XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw StoreError.io("cannot write \(dest): \(String(cString: strerror(errno)))") }
        let tmp = String(cString: template)
        _ = fchmod(fd, 0o644)
        let out = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gzip", "-9", "-n", "-c", source]
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { unlink(tmp); throw StoreError.io("cannot run gzip: \(error)") }
        p.waitUntilExit()
        try? out.close()
        guard p.terminationStatus == 0 else { unlink(tmp); throw StoreError.io("gzip \(source) failed (exit \(p.terminationStatus))") }
        guard rename(tmp, dest) == 0 else { unlink(tmp); throw StoreError.io("cannot write \(dest): \(String(cString: strerror(errno)))") }
    }

    func write(_ text: String, to path: String) throws {
        do { try OutputFile.replace(text, at: path) } catch {
            throw StoreError.io(error.description)
        }
    }

    /// A stored run's file name: `<date>_<commit>.csv`; statistics (`.stats.csv`) and
    /// other files beside the runs are not runs.
    public static func isRunFileName(_ name: String) -> Bool {
        guard name.first?.isNumber == true else { return false }
        return name.hasSuffix(".\(CompactFormat.fileExtension)") || (name.hasSuffix(".csv") && !name.hasSuffix(".stats.csv"))
    }

    /// Stored run files, oldest first (names sort by date), for one machine or all.
    public func runFiles(machine: String? = nil) -> [String] { listRuns(machine: machine).runs }

    /// Machine folders of the store: real folders only (a symbolic link is refused).
    public func machineFolders() -> (names: [String], refused: [(file: String, reason: String)]) {
        var names: [String] = []
        var refused: [(String, String)] = []
        for m in ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted() {
            let path = "\(root)/\(m)"
            if StorePaths.isRealFolder(path) { names.append(m); continue }
            var st = stat()
            if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK {
                refused.append((path, "a symbolic link where a machine folder belongs: not read (a store keeps its runs inside it)"))
            }
        }
        return (names, refused)
    }

    /// Stored run files, oldest first, and the entries refused: a symbolic link, a FIFO or a
    /// device named like a run, or a `runs` folder that is a link.
    public func listRuns(machine: String? = nil) -> (runs: [String], refused: [(file: String, reason: String)]) {
        var refused: [(String, String)] = []
        let machines: [String]
        if let machine { machines = [Self.slug(machine)] } else {
            let f = machineFolders()
            machines = f.names
            refused += f.refused
        }
        var files: [(String, String)] = []
        for m in machines {
            let dir = "\(root)/\(m)/runs"
            var st = stat()
            guard lstat(dir, &st) == 0 else { continue }
            guard StorePaths.isRealFolder(dir) && StorePaths.isRealFolder("\(root)/\(m)") else {
                refused.append((dir, "not a real folder (a symbolic link?): its runs are not read"))
                continue
            }
            for f in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where Self.isRunFileName(f) {
                let path = "\(dir)/\(f)"
                if StorePaths.isRegularFile(path) { files.append((f, path)) } else {
                    refused.append((path, "not a regular file (a symbolic link, a FIFO or a device): not read"))
                }
            }
        }
        return (files.sorted { $0.0 < $1.0 }.map(\.1), refused)
    }
}
