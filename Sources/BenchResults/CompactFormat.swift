#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The compact stored form of a run (`.l4bc`): every number the statistics
/// need (each sample's value and round) without a line per sample.
///
///     L4BC1,begin,RUN_ID
///     L4BC1,meta,KEY,VALUE
///     L4BC1,sum,CRC32                        (of the lines since the previous sum line)
///     L4BC1,g,SUITE,BENCHMARK,CLIENT,SERVER,PLACEMENT,PARAM,ROUND,N,VALUES
///     L4BC1,sum,CRC32                        (after each group's lines)
///     L4BC1,fail,…  L4BC1,skip,…            (as in format v1)
///     L4BC1,sum,CRC32
///     L4BC1,end,RUN_ID,SAMPLES,RUNCRC32
///
/// VALUES holds the N values of one group and round, sorted: the first in
/// decimal, then each difference to the one before, `D` or `D*K` for K equal
/// differences in a row, separated by single spaces. Iteration numbers are not
/// kept (no statistic uses them). A sum line holds the CRC-32 (gzip's) of the
/// lines since the previous sum line, each with its newline (carriage returns
/// before it not counted); the end line's RUNCRC32 is the CRC-32 of the sum
/// lines' hex digits in order. Runs stored before checksums (no sum lines, an
/// end line of three fields) are still read. The plain format v1 stays the
/// interchange format every backend writes and `ingest` reads; this is what
/// the store keeps. `CompactReader` reads it, `CompactLimits` bounds it.
public enum CompactFormat {
    public static let prefix = "L4BC1,"
    public static let fileExtension = "l4bc"

    /// Whether `bytes` start like a compact file (a UTF-8 byte order mark before it allowed).
    public static func isCompact(_ head: [UInt8]) -> Bool {
        let p = Array(prefix.utf8)
        return head.starts(with: p) || head.starts(with: [0xEF, 0xBB, 0xBF] + p)
    }

    /// The run in compact form, with its checksums.
    public static func text(of run: Run) -> String {
        var out = ""
        var block = CRC32()
        var sums = CRC32()
        func emit(_ line: String) {
            out += line
            out += "\n"
            block.update(line)
            block.update(byte: 10)
        }
        func closeBlock() {
            let h = CRC32.hex(block.value)
            out += "\(prefix)sum,\(h)\n"
            sums.update(h)
            block = CRC32()
        }
        emit("\(prefix)begin,\(run.id)")
        for (k, v) in run.metadata { emit("\(prefix)meta,\(k),\(ResultsWriter.sanitized(v))") }
        closeBlock()
        var n = 0
        for g in run.groups {
            for (round, column) in g.rounds {
                var values = column.values
                values.sort()
                n += values.count
                emit("\(prefix)g,\(g.key.csvFields),\(round),\(values.count),\(encode(values))")
            }
            closeBlock()
        }
        if !run.notes.isEmpty {
            for note in run.notes {
                emit("\(prefix)\(note.kind.rawValue),\(note.key.csvFields),\(ResultsWriter.sanitized(note.reason))")
            }
            closeBlock()
        }
        out += "\(prefix)end,\(run.id),\(n),\(CRC32.hex(sums.value))\n"
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

    /// Decodes VALUES (`n` bytes at `b`) into `column`: nil when they are valid
    /// and hold exactly `count` values, else why not and the byte offset (in
    /// VALUES) where. The column never receives more than `count` values: every
    /// repeat count is checked against what is left before a value is appended.
    static func decodeValues(_ b: UnsafePointer<UInt8>, _ n: Int, count: Int, into column: SampleColumn) -> (String, Int)? {
        var i = 0
        var got = 0
        var last: UInt64 = 0
        func token(_ s: Int) -> String {
            var e = s
            while e < n && e - s < 24 && b[e] != 32 { e += 1 }
            var t = ""
            for j in s..<e {
                let c = b[j]
                if c >= 0x20 && c < 0x7F { t.append(Character(Unicode.Scalar(c))) } else { t += "\\x" + String(c, radix: 16, uppercase: true).leftPadded(2) }
            }
            return t
        }
        while i < n {
            let start = i
            // D: decimal digits, overflow-checked.
            var d: UInt64 = 0
            while i < n, b[i] &- 48 <= 9 {
                let (m, o1) = d.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(b[i] &- 48))
                if o1 || o2 { return ("'\(token(start))' does not fit in 64 bits", start) }
                d = a
                i += 1
            }
            if i == start { return ("'\(token(start))' is not a value or difference (D or D*K)", start) }
            var k = 1
            if i < n && b[i] == 42 /* * */ {
                i += 1
                let ks = i
                var kk = 0
                while i < n, b[i] &- 48 <= 9 {
                    let (m, o1) = kk.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(Int(b[i] &- 48))
                    if o1 || o2 { return ("repeat count '\(token(ks))' is beyond any count", ks) }
                    kk = a
                    i += 1
                }
                guard i > ks, kk >= 1 else { return ("'\(token(start))': a repeat count must be a positive number", ks) }
                k = kk
            }
            if i < n {
                guard b[i] == 32, i + 1 < n, b[i + 1] != 32 else {
                    return ("'\(token(start))' is not D or D*K followed by a single space and another token", i)
                }
                i += 1
            }
            if got == 0 {
                guard k == 1 else { return ("the first value cannot repeat", start) }
                column.append(d)
                last = d
                got = 1
                continue
            }
            guard k <= count - got else { return ("more values than the \(count) declared", start) }
            if d == 0 {
                for _ in 0..<k { column.append(last) }
            } else {
                guard d <= (UInt64.max - last) / UInt64(k) else { return ("a value beyond 2^64-1", start) }
                for _ in 0..<k { last &+= d; column.append(last) }
            }
            got += k
        }
        return got == count ? nil : ("\(got) values where \(count) are declared", n)
    }

    /// Reads a compact run from text in memory.
    public static func parse(_ text: String, source: String, threads: Int = 2) -> ParseOutcome {
        var t = text
        return t.withUTF8 { parse(bytes: $0, source: source, threads: threads) }
    }

    /// Reads a compact run from bytes in memory.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, source: String, threads: Int = 2) -> ParseOutcome {
        if bytes.count > CompactLimits.maxFileBytes { return tooLarge(bytes.count, source) }
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            return ParseOutcome(run: Run(id: "", metadata: [], groups: [], source: source),
                                fault: ResultsError(file: source, line: 0, reason: .empty), skippedCount: 0, skipped: [],
                                noiseLines: 0, garbageLines: 0)
        }
        var r = CompactReader(base: base, size: bytes.count, source: source, threads: threads)
        return r.read()
    }

    /// Reads the compact run of an open regular file of `size` bytes by mapping it
    /// (read only, never copied whole).
    public static func parse(fd: Int32, size: Int, source: String, threads: Int = 2) -> ParseOutcome {
        if size > CompactLimits.maxFileBytes { return tooLarge(size, source) }
        if size == 0 { return parse(bytes: UnsafeBufferPointer(start: nil, count: 0), source: source) }
        guard let m = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            return ParseOutcome(run: Run(id: "", metadata: [], groups: [], source: source),
                                fault: ResultsError(file: source, line: 0, reason: .unreadable("cannot map the file: \(String(cString: strerror(errno)))")),
                                skippedCount: 0, skipped: [], noiseLines: 0, garbageLines: 0)
        }
        defer { munmap(m, size) }
        _ = madvise(m, size, MADV_SEQUENTIAL)
        return parse(bytes: UnsafeBufferPointer(start: m.assumingMemoryBound(to: UInt8.self), count: size), source: source, threads: threads)
    }

    static func tooLarge(_ size: Int, _ source: String) -> ParseOutcome {
        ParseOutcome(run: Run(id: "", metadata: [], groups: [], source: source),
                     fault: ResultsError(file: source, line: 0, reason: .limitExceeded(
                        "a compact run of \(size) bytes: larger than the \(CompactLimits.maxFileBytes) bytes the reader admits"), offset: 0),
                     skippedCount: 0, skipped: [], noiseLines: 0, garbageLines: 0)
    }
}
