import BenchResults
import BenchStats
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One line per stored run (`<machine>/summaries.jsonl`): the run's file, its
/// size, commit, date, mode and unit, and per group the round-level value that
/// `history` plots (the geometric mean of the group's round medians), so that
/// a history of a thousand runs reads one small file instead of a thousand runs.
public struct Summaries: Sendable {
    public var store: ResultsStore

    public init(store: ResultsStore) { self.store = store }

    public struct Record: Sendable {
        /// The run's path.
        public var file: String
        public var bytes: Int
        public var id: String
        public var commit: String
        public var date: String
        public var machine: String
        public var accel: String
        /// Per group (key fields as in format v1) its value.
        public var groups: [(key: GroupKey, value: Double)]
    }

    public func path(machine: String) -> String { "\(store.machineDir(machine))/summaries.jsonl" }

    /// The geometric mean of each group's round medians.
    public static func values(of run: Run) -> [(key: GroupKey, value: Double)] {
        run.groups.compactMap { g in
            var logs = 0.0
            var n = 0
            for (_, column) in g.rounds {
                var v = column.values
                guard let m = v.withUnsafeMutableBufferPointer({ Summary.median($0) }), m > 0 else { continue }
                logs += log(m)
                n += 1
            }
            return n > 0 ? (g.key, exp(logs / Double(n))) : nil
        }
    }

    /// The JSON line of a run stored at `file`.
    public static func line(run: Run, file: String, bytes: Int) -> String {
        let q = jsonQuote
        // Groups as one string of `KEY<TAB>VALUE` lines (key fields as in format v1): one
        // JSON string to read instead of thousands of nested arrays.
        let groups = q(values(of: run).map { "\($0.key.csvFields)\t\($0.value)" }.joined(separator: "\n"))
        let crc = fileCRC(file).map { ",\"crc32\":\(q(CRC32.hex($0)))" } ?? ""
        return "{\"file\":\(q((file as NSString).lastPathComponent)),\"bytes\":\(bytes)\(crc),\"id\":\(q(run.id)),"
            + "\"commit\":\(q(run[meta: "commit"] ?? "unknown")),\"date\":\(q(run[meta: "date"] ?? "")),"
            + "\"machine\":\(q(run.machine)),\"accel\":\(q(run[meta: "accel"] ?? "")),\"groups\":\(groups)}"
    }

    /// The summaries file beside the `runs` folder that holds `file`.
    public static func path(besideRun file: String) -> String {
        let runs = (file as NSString).deletingLastPathComponent
        let machineDir = (runs as NSString).deletingLastPathComponent
        return (machineDir.isEmpty ? "." : machineDir) + "/summaries.jsonl"
    }

    /// Adds the summary of a run just stored at `file` (replacing an older line for the same
    /// file), in the summaries of the folder the run is in.
    public func append(run: Run, file: String) throws {
        let dest = Self.path(besideRun: file)
        let bytes = Self.size(file) ?? 0
        let name = (file as NSString).lastPathComponent
        var lines: [String] = []
        if let text = try? StorePaths.readSmallFile(dest, limit: Self.maxFileBytes) {
            lines = text.split(separator: "\n").map(String.init).filter { Self.fileName(ofLine: Substring($0)) != name }
        }
        lines.append(Self.line(run: run, file: file, bytes: bytes))
        try Self.write(lines, to: dest)
    }

    /// Writes summary lines (replacing the file; never through a link).
    public static func write(_ lines: [String], to dest: String) throws {
        do { try OutputFile.replace(lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n", at: dest) } catch {
            throw ResultsStore.StoreError.io("cannot write \(dest): \(error.description)")
        }
    }

    /// The `file` of a summary line, or nil.
    static func fileName(ofLine line: Substring) -> String? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return obj["file"] as? String
    }

    /// The CRC-32 of a whole regular file (read in chunks, never through a link), or nil.
    public static func fileCRC(_ path: String) -> UInt32? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let cap = 1 << 16
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        defer { buf.deallocate() }
        var crc = CRC32()
        while true {
            let n = StorePaths.readFD(fd, buf, cap)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            crc.update(buf, n)
        }
        return crc.value
    }

    static func size(_ path: String) -> Int? {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
    }

    /// The largest summaries file read (1,000 runs of 250 groups take 17 MB).
    public static let maxFileBytes = 256 << 20

    /// The summaries of one machine, checked against the runs they describe: a
    /// line that does not parse, names anything but a run file in the machine's
    /// `runs` folder (a path, `..`, a link), disagrees with the run's size or holds
    /// a value that is not a finite positive number is a problem (file and
    /// reason), never a silent point; the reason never shows another file's size
    /// or content. A run summarised twice is one run (the last line counts).
    public func read(machine: String) -> (records: [Record], problems: [(file: String, reason: String)]) {
        let src = path(machine: machine)
        let text: String
        do { text = try StorePaths.readSmallFile(src, limit: Self.maxFileBytes) } catch {
            if case .missing = error { return ([], []) }
            return ([], [(src, "\(error.description): no summary read")])
        }
        var records: [Record] = []
        var byFile: [String: Int] = [:]
        var problems: [(String, String)] = []
        let dir = store.machineDir(machine)
        var keyCache: [Substring: GroupKey] = [:]   // the same groups recur in every run
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let at = "\(src):\(i + 1)"
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = obj["file"] as? String, let bytes = obj["bytes"] as? Int, bytes >= 0, let id = obj["id"] as? String,
                  let groups = obj["groups"] as? String else {
                problems.append((at, "not a summary line"))
                continue
            }
            guard !file.contains("/"), StorePaths.shapeProblem(file) == nil, ResultsStore.isRunFileName(file) else {
                problems.append((at, "names '\(FieldChecks.display(file))', which is not the name of a run file in \(dir)/runs: not read"))
                continue
            }
            let runPath: String
            do { runPath = try StorePaths.resolve("runs/\(file)", in: dir) } catch {
                switch error {
                case .missing: problems.append((at, "summarises \(file), which is not in \(dir)/runs"))
                case .outside(let why), .notRegular(let why): problems.append((at, "summarises \(file): \(why)"))
                }
                continue
            }
            guard Self.size(runPath) == bytes else {
                problems.append((at, "the summary of \(file) disagrees with the run's size: the run changed after it was summarised (`l4bench store summarize`)"))
                continue
            }
            // The whole file's checksum where the line records it (lines written before checksums record only the size).
            if let recorded = obj["crc32"] as? String {
                guard let crc = Self.fileCRC(runPath), CRC32.hex(crc) == recorded.lowercased() else {
                    problems.append((at, "\(file) changed after it was summarised (its checksum differs): damaged? (`l4bench store verify`, `store repair`)"))
                    continue
                }
            }
            var gs: [(GroupKey, Double)] = []
            var bad: String?
            for entry in groups.utf8.split(separator: 10) {
                guard let tab = entry.firstIndex(of: 9), let v = Double(Substring(entry[entry.index(after: tab)...])) else {
                    bad = "a group entry of \(file) is not KEY<TAB>VALUE"; break
                }
                guard v.isFinite, v > 0 else { bad = "a group value of \(file) is not a finite positive number"; break }
                let text = Substring(entry[..<tab])
                let key: GroupKey
                if let k = keyCache[text] { key = k } else {
                    guard let k = GroupKey(csv: String(text)), FieldChecks.keyFieldsProblem([k.suite, k.benchmark, k.client, k.server, k.placement, k.param]) == nil else {
                        bad = "a group key of \(file) is not six key fields without control characters"; break
                    }
                    keyCache[text] = k
                    key = k
                }
                gs.append((key, v))
            }
            if let bad { problems.append((at, bad)); continue }
            let r = Record(file: runPath, bytes: bytes, id: id, commit: obj["commit"] as? String ?? "unknown",
                           date: obj["date"] as? String ?? "", machine: obj["machine"] as? String ?? machine,
                           accel: obj["accel"] as? String ?? "", groups: gs)
            if let j = byFile[file] { records[j] = r } else {
                byFile[file] = records.count
                records.append(r)
            }
        }
        return (records, problems)
    }
}

extension GroupKey {
    /// From the six comma-separated key fields of format v1.
    public init?(csv: String) {
        self.init(fields: csv.split(separator: ",", omittingEmptySubsequences: false))
    }
}
