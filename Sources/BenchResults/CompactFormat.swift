import Dispatch
import Foundation

/// The compact stored form of a run (`.l4bc`): every number the statistics
/// need (each sample's value and round) without a line per sample.
///
///     L4BC1,begin,RUN_ID
///     L4BC1,meta,KEY,VALUE
///     L4BC1,g,SUITE,BENCHMARK,CLIENT,SERVER,PLACEMENT,PARAM,ROUND,N,VALUES
///     L4BC1,fail,…  L4BC1,skip,…            (as in format v1)
///     L4BC1,end,RUN_ID,SAMPLES
///
/// VALUES holds the N values of one group and round, sorted: the first in
/// decimal, then each difference to the one before, `D` or `D*K` for K equal
/// differences in a row, separated by spaces. Iteration numbers are not kept
/// (no statistic uses them). The plain format v1 stays the interchange format
/// every backend writes and `ingest` reads; this is what the store keeps.
public enum CompactFormat {
    public static let prefix = "L4BC1,"
    public static let fileExtension = "l4bc"

    /// Whether `bytes` start like a compact file.
    public static func isCompact(_ head: [UInt8]) -> Bool {
        head.starts(with: Array(prefix.utf8))
    }

    /// The run in compact form.
    public static func text(of run: Run) -> String {
        var out = "\(prefix)begin,\(run.id)\n"
        for (k, v) in run.metadata { out += "\(prefix)meta,\(k),\(ResultsWriter.sanitized(v))\n" }
        var n = 0
        for g in run.groups {
            for (round, column) in g.rounds {
                var values = column.values
                values.sort()
                n += values.count
                out += "\(prefix)g,\(g.key.csvFields),\(round),\(values.count),"
                out += encode(values)
                out += "\n"
            }
        }
        for note in run.notes {
            out += "\(prefix)\(note.kind.rawValue),\(note.key.csvFields),\(ResultsWriter.sanitized(note.reason))\n"
        }
        out += "\(prefix)end,\(run.id),\(n)\n"
        return out
    }

    /// Sorted values as a first value and run-length coded differences.
    static func encode(_ sorted: [UInt64]) -> String {
        guard let first = sorted.first else { return "" }
        var parts: [String] = [String(first)]
        var i = 1
        while i < sorted.count {
            let d = sorted[i] - sorted[i - 1]
            var k = 1
            while i + k < sorted.count && sorted[i + k] - sorted[i + k - 1] == d { k += 1 }
            parts.append(k == 1 ? String(d) : "\(d)*\(k)")
            i += k
        }
        return parts.joined(separator: " ")
    }

    /// Decodes VALUES into `column`; nil when the text is valid and holds
    /// `count` values, else why not. Works on the bytes: `D` or `D*K` tokens.
    static func decode(_ text: Substring, count: Int, into column: SampleColumn) -> String? {
        var text = text
        return text.withUTF8 { b in decodeBytes(b, count: count, into: column) }
    }

    static func decodeBytes(_ b: UnsafeBufferPointer<UInt8>, count: Int, into column: SampleColumn) -> String? {
        var i = 0
        let n = b.count
        var got = 0
        var last: UInt64 = 0
        while i < n {
            if b[i] == 32 { i += 1; continue }
            // D: a decimal number, at most 20 digits, checked for overflow only when long.
            let start = i
            var d: UInt64 = 0
            while i < n, b[i] &- 48 <= 9 { d = d &* 10 &+ UInt64(b[i] &- 48); i += 1 }
            let len = i - start
            if len == 0 || (len >= 20 && UInt64(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)) == nil) {
                return "'\(String(decoding: UnsafeBufferPointer(rebasing: b[start..<min(n, start + 24)]), as: UTF8.self))' is not a count or difference"
            }
            var k = 1
            if i < n && b[i] == 42 /* * */ {
                i += 1
                let ks = i
                var kk = 0
                while i < n, b[i] &- 48 <= 9, i - ks < 18 { kk = kk * 10 + Int(b[i] &- 48); i += 1 }
                guard i > ks, kk >= 1 else { return "a repeat count that is not a positive number" }
                k = kk
            }
            if i < n && b[i] != 32 { return "a token that is not D or D*K" }
            if got == 0 {
                guard k == 1 else { return "the first value cannot repeat" }
                column.append(d)
                last = d
                got = 1
                continue
            }
            guard k <= count - got else { return "more values than the \(count) declared" }
            if d == 0 {
                for _ in 0..<k { column.append(last) }
            } else {
                guard d <= (UInt64.max - last) / UInt64(k) else { return "a value beyond 2^64-1" }
                for _ in 0..<k { last &+= d; column.append(last) }
            }
            got += k
        }
        return got == count ? nil : "\(got) values where \(count) are declared"
    }

    struct Pending {
        var key: GroupKey
        var round: Int
        var count: Int
        var values: Substring
        var line: Int
        var column: SampleColumn
    }

    static func decodeAll(_ items: [Pending], threads: Int) -> [(index: Int, line: Int, why: String)] {
        var problems: [(index: Int, line: Int, why: String)] = []
        let lock = NSLock()
        var next = 0
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, items.count))) { _ in
            while true {
                lock.lock(); let i = next; next += 1; lock.unlock()
                if i >= items.count { return }
                let p = items[i]
                if let why = decode(p.values, count: p.count, into: p.column) {
                    lock.lock(); problems.append((i, p.line, "group \(p.key) round \(p.round): \(why)")); lock.unlock()
                }
            }
        }
        return problems
    }

    public static func parse(_ text: String, source: String, threads: Int = 2) -> ParseOutcome {
        var id = ""
        var metadata: [(key: String, value: String)] = []
        var columns: [GroupKey: [(Int, SampleColumn)]] = [:]
        var notes: [PairNote] = []
        var fault: ResultsError?
        var samples = 0
        var ended = false
        var lineNo = 0
        var pending: [Pending] = []
        func fail(_ r: ResultsError.Reason) { if fault == nil { fault = ResultsError(file: source, line: lineNo, reason: r) } }
        // Lines by bytes (a Character split of a large text walks grapheme clusters).
        for rawUTF8 in text.utf8.split(separator: 10, omittingEmptySubsequences: false) {
            let raw = Substring(rawUTF8)
            lineNo += 1
            if fault != nil { break }
            if raw.isEmpty { continue }
            guard raw.hasPrefix(prefix) else {
                fail(raw.hasPrefix("L4B") ? .unsupportedVersion("a compact file holds only \(prefix) records") : .malformedRow("not a compact record"))
                break
            }
            if ended { fail(.mixedRuns("a record after the end line")); break }
            let rec = raw.dropFirst(prefix.count)
            let kindEnd = rec.firstIndex(of: ",") ?? rec.endIndex
            let kind = rec[..<kindEnd]
            let rest = kindEnd < rec.endIndex ? rec[rec.index(after: kindEnd)...] : ""
            switch kind {
            case "begin":
                guard id.isEmpty, !rest.isEmpty else { fail(.mixedRuns("a second begin line")); break }
                id = String(rest)
            case "meta":
                guard !id.isEmpty, let c = rest.firstIndex(of: ",") else { fail(.malformedRow("meta record needs a key and a value after begin")); break }
                metadata.append((String(rest[..<c]), String(rest[rest.index(after: c)...])))
            case "g":
                let f = rest.split(separator: ",", maxSplits: 8, omittingEmptySubsequences: false)
                guard !id.isEmpty, f.count == 9, let key = GroupKey(fields: Array(f.prefix(6))),
                      let round = Int(f[6]), round >= 0, let n = Int(f[7]), n >= 1 else {
                    fail(.malformedRow("group record needs suite,benchmark,client,server,placement,param,round,count,values"))
                    break
                }
                // Decoded below, in parallel.
                pending.append(Pending(key: key, round: round, count: n, values: f[8], line: lineNo, column: SampleColumn()))
                samples += n
            case "fail", "skip":
                let p = rest.split(separator: ",", maxSplits: 6, omittingEmptySubsequences: false)
                guard !id.isEmpty, p.count == 7, let key = GroupKey(fields: Array(p.prefix(6))) else {
                    fail(.malformedRow("\(kind) record needs suite,benchmark,client,server,placement,param,reason")); break
                }
                notes.append(PairNote(kind: kind == "fail" ? .fail : .skip, key: key, reason: String(p[6]), line: lineNo))
            case "end":
                let p = rest.split(separator: ",", omittingEmptySubsequences: false)
                guard p.count == 2, String(p[0]) == id, let declared = Int(p[1]) else { fail(.malformedRow("end record needs the run id and the sample count")); break }
                if declared != samples { fail(.truncated("end line declares \(declared) samples, \(samples) are in the file")) }
                ended = true
            default:
                fail(.malformedRow("unknown compact record '\(kind.prefix(20))'"))
            }
        }
        // Every group's values, decoded in parallel; the first bad line (in file order) is the fault.
        let problems = decodeAll(pending, threads: threads)
        if let first = problems.min(by: { $0.line < $1.line }) {
            let failAt = ResultsError(file: source, line: first.line, reason: .badCycles(first.why))
            if fault == nil || fault!.line > first.line { fault = failAt }
        }
        for (i, p) in pending.enumerated() where !problems.contains(where: { $0.index == i }) {
            if let f = fault, f.line > 0, p.line >= f.line { continue }
            columns[p.key, default: []].append((p.round, p.column))
        }
        if fault == nil && id.isEmpty { fault = ResultsError(file: source, line: 0, reason: .empty) }
        if fault == nil && !ended { fault = ResultsError(file: source, line: lineNo, reason: .truncated("the compact file has no end line: cut short")) }
        if fault == nil { fault = ResultsFormat.missingMetadataFault(runID: id, keys: metadata.map(\.key), file: source) }
        var groups: [SampleGroup] = []
        for key in columns.keys.sorted() {
            var rounds: [(round: Int, column: SampleColumn)] = []
            for (r, c) in columns[key]!.sorted(by: { $0.0 < $1.0 }) {
                if let last = rounds.last, last.round == r { last.column.absorb(c) } else { rounds.append((r, c)) }
            }
            groups.append(SampleGroup(key: key, rounds: rounds))
        }
        return ParseOutcome(run: Run(id: id, metadata: metadata, groups: groups, notes: notes, source: source), fault: fault,
                            skippedCount: 0, skipped: [], noiseLines: 0, garbageLines: 0)
    }
}
