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
        /// Reads a decimal number at i; nil when there is none or it overflows.
        func number() -> UInt64? {
            var v: UInt64 = 0
            let start = i
            while i < n, b[i] &- 48 <= 9 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(b[i] &- 48))
                if o1 || o2 { return nil }
                v = a
                i += 1
            }
            return i > start ? v : nil
        }
        while i < n {
            if b[i] == 32 { i += 1; continue }
            guard let d = number() else { return "'\(String(decoding: UnsafeBufferPointer(rebasing: b[i..<min(n, i + 20)]), as: UTF8.self))' is not a count or difference" }
            var k = 1
            if i < n && b[i] == 42 /* * */ {
                i += 1
                guard let kk = number(), kk >= 1, kk <= UInt64(Int.max) else { return "a repeat count that is not a positive number" }
                k = Int(kk)
            }
            if i < n && b[i] != 32 { return "a token that is not D or D*K" }
            if got == 0 {
                guard k == 1 else { return "the first value cannot repeat" }
                column.append(d)
                last = d
                got = 1
                continue
            }
            guard got + k <= count else { return "more values than the \(count) declared" }
            for _ in 0..<k {
                let (next, overflow) = last.addingReportingOverflow(d)
                guard !overflow else { return "a value beyond 2^64-1" }
                column.append(next)
                last = next
            }
            got += k
        }
        return got == count ? nil : "\(got) values where \(count) are declared"
    }

    /// Reads a compact file's text. Faults name the line and say why; rows
    /// before a fault are kept.
    public static func parse(_ text: String, source: String) -> ParseOutcome {
        var id = ""
        var metadata: [(key: String, value: String)] = []
        var columns: [GroupKey: [(Int, SampleColumn)]] = [:]
        var notes: [PairNote] = []
        var fault: ResultsError?
        var samples = 0
        var ended = false
        var lineNo = 0
        func fail(_ r: ResultsError.Reason) { if fault == nil { fault = ResultsError(file: source, line: lineNo, reason: r) } }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
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
                let column = SampleColumn()
                if let why = decode(f[8], count: n, into: column) { fail(.badCycles("group \(key) round \(round): \(why)")); break }
                columns[key, default: []].append((round, column))
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
        if fault == nil && id.isEmpty { fault = ResultsError(file: source, line: 0, reason: .empty) }
        if fault == nil && !ended { fault = ResultsError(file: source, line: lineNo, reason: .truncated("the compact file has no end line: cut short")) }
        if fault == nil {
            let missing = ResultsFormat.requiredMetadata.filter { k in !metadata.contains { $0.key == k } }
            if !missing.isEmpty { fault = ResultsError(file: source, line: 0, reason: .missingMetadata("run '\(id)' lacks metadata: \(missing.joined(separator: ", "))")) }
        }
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
