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
        return "{\"file\":\(q((file as NSString).lastPathComponent)),\"bytes\":\(bytes),\"id\":\(q(run.id)),"
            + "\"commit\":\(q(run[meta: "commit"] ?? "unknown")),\"date\":\(q(run[meta: "date"] ?? "")),"
            + "\"machine\":\(q(run.machine)),\"accel\":\(q(run[meta: "accel"] ?? "")),\"groups\":\(groups)}"
    }

    /// Adds the summary of a run just stored at `file` (replacing an older line for the same file).
    public func append(run: Run, file: String) throws {
        let dest = path(machine: run.machine)
        let bytes = Self.size(file) ?? 0
        let name = (file as NSString).lastPathComponent
        var lines = ((try? String(contentsOfFile: dest, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        lines.removeAll { $0.contains("\"file\":\"\(name)\"") }
        lines.append(Self.line(run: run, file: file, bytes: bytes))
        do { try (lines.joined(separator: "\n") + "\n").write(toFile: dest, atomically: true, encoding: .utf8) } catch {
            throw ResultsStore.StoreError.io("cannot write \(dest): \(error.localizedDescription)")
        }
    }

    static func size(_ path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    /// The summaries of one machine, checked against the runs they describe: a
    /// line that does not parse, names a run that is not there, or disagrees with
    /// the run's size is a problem (file and reason), never a silent point.
    public func read(machine: String) -> (records: [Record], problems: [(file: String, reason: String)]) {
        let src = path(machine: machine)
        guard let text = try? String(contentsOfFile: src, encoding: .utf8) else { return ([], []) }
        var records: [Record] = []
        var problems: [(String, String)] = []
        let runsDir = "\(store.machineDir(machine))/runs"
        var keyCache: [Substring: GroupKey] = [:]   // the same groups recur in every run
        for (i, line) in text.split(separator: "\n").enumerated() {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = obj["file"] as? String, let bytes = obj["bytes"] as? Int, let id = obj["id"] as? String,
                  let groups = obj["groups"] as? String else {
                problems.append(("\(src):\(i + 1)", "not a summary line"))
                continue
            }
            let runPath = "\(runsDir)/\(file)"
            guard let actual = Self.size(runPath) else {
                problems.append(("\(src):\(i + 1)", "summarises \(file), which is not in \(runsDir)"))
                continue
            }
            guard actual == bytes else {
                problems.append(("\(src):\(i + 1)", "summary of \(file) disagrees with the run (\(bytes) bytes recorded, \(actual) on disk)"))
                continue
            }
            var gs: [(GroupKey, Double)] = []
            var bad = false
            for entry in groups.utf8.split(separator: 10) {
                guard let tab = entry.firstIndex(of: 9), let v = Double(Substring(entry[entry.index(after: tab)...])) else { bad = true; break }
                let text = Substring(entry[..<tab])
                let key: GroupKey
                if let k = keyCache[text] { key = k } else {
                    guard let k = GroupKey(csv: String(text)) else { bad = true; break }
                    keyCache[text] = k
                    key = k
                }
                gs.append((key, v))
            }
            if bad { problems.append(("\(src):\(i + 1)", "a group entry of \(file) is not KEY<TAB>VALUE")); continue }
            records.append(Record(file: runPath, bytes: bytes, id: id, commit: obj["commit"] as? String ?? "unknown",
                                  date: obj["date"] as? String ?? "", machine: obj["machine"] as? String ?? machine,
                                  accel: obj["accel"] as? String ?? "", groups: gs))
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
