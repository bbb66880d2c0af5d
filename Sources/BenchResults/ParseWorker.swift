#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let C_L: UInt8 = 76, C_4: UInt8 = 52, C_B: UInt8 = 66, C_1: UInt8 = 49
private let COMMA: UInt8 = 44, NL: UInt8 = 10, CR: UInt8 = 13, MINUS: UInt8 = 45
private let ZERO: UInt8 = 48

/// Parses result lines of one byte range. The first range of a file checks the
/// whole run structure; a later range (parallel parsing) starts inside the run
/// and flags anything structural, so that the caller re-parses sequentially.
final class ParseWorker {
    let source: String
    let lenient: Bool
    let isFirstChunk: Bool
    var echo: ((UnsafePointer<UInt8>, Int) -> Void)?

    /// Line number of the line being parsed, relative to the range start.
    var line = 0
    private(set) var stop = false
    /// A later range met a structural record (begin, or anything after an end).
    private(set) var needsSequential = false

    // Run structure.
    var runID: String?
    var beginLine = 0
    var endLine = 0
    var endDeclared: Int?
    var resultLines = 0

    var meta: [(key: String, value: String, line: Int)] = []
    private var metaIndex: [String: Int] = [:]
    var notes: [PairNote] = []

    // Samples by (group key, round) bytes.
    var subIndex: [ByteKey: Int] = [:]
    var subs: [(key: [UInt8], column: SampleColumn)] = []
    private let lastKey: UnsafeMutablePointer<UInt8>
    private var lastKeyLen = -1
    private var lastColumn: SampleColumn?
    var samples = 0
    var sampleRowsSkipped = 0

    var fault: ResultsError?
    var skippedCount = 0
    var skipped: [ResultsError] = []
    var noiseLines = 0
    var garbageLines = 0
    /// Lines of binary data tolerated before a run begins (boot noise) before the input is given up.
    static let garbageLineLimit = 10_000

    init(source: String, lenient: Bool, isFirstChunk: Bool) {
        self.source = source
        self.lenient = lenient
        self.isFirstChunk = isFirstChunk
        lastKey = .allocate(capacity: ResultsFormat.maxLineLength)
    }

    deinit { lastKey.deallocate() }

    // MARK: faults

    private func fail(_ reason: ResultsError.Reason, isSample: Bool = false) {
        let e = ResultsError(file: source, line: line, reason: reason)
        if lenient && e.isSkippable {
            skippedCount += 1
            if isSample { sampleRowsSkipped += 1 }
            if skipped.count < 20 { skipped.append(e) }
        } else {
            fault = e
            stop = true
        }
    }

    /// A fault that no mode can skip.
    func fatal(_ reason: ResultsError.Reason, line: Int? = nil) {
        fault = ResultsError(file: source, line: line ?? self.line, reason: reason)
        stop = true
    }

    private func structural() {
        needsSequential = true
        stop = true
    }

    // MARK: buffers

    /// Feeds `count` bytes. Complete lines are parsed; the unterminated tail is
    /// left for the next call and its length returned. With `final`, the tail is
    /// parsed as a last line without newline.
    func feed(_ base: UnsafePointer<UInt8>, count: Int, final: Bool) -> Int {
        var s = base
        let limit = base + count
        while !stop, s < limit {
            guard let nlRaw = memchr(s, Int32(NL), limit - s) else { break }
            let nl = UnsafePointer<UInt8>(nlRaw.assumingMemoryBound(to: UInt8.self))
            parseLine(s, nl - s, terminated: true)
            s = nl + 1
        }
        if stop { return 0 }
        let tail = limit - s
        if final {
            if tail > 0 { parseLine(s, tail, terminated: false) }
            return 0
        }
        if tail >= ResultsFormat.maxLineLength {
            line += 1
            if ParseWorker.hasGarbage(s, min(tail, 4096)) {
                fatal(.binaryGarbage("\(tail) bytes of binary data without a line end (\(shown(s, tail))): not a results file or console log"))
            } else {
                fatal(.malformedRow("line longer than \(ResultsFormat.maxLineLength) bytes"))
            }
            return 0
        }
        return tail
    }

    // MARK: lines

    @inline(__always)
    private func parseLine(_ p: UnsafePointer<UInt8>, _ length: Int, terminated: Bool) {
        line += 1
        // One limit on every path (file, pipe, stdin, parallel ranges, bytes in memory).
        if length > ResultsFormat.maxLineLength {
            fatal(.malformedRow("line longer than \(ResultsFormat.maxLineLength) bytes (\(length) bytes): not a results line"))
            return
        }
        var n = length
        // `\r\n` and `\r\r\n` (serial captures) end a line alike; consoles colour tagged
        // output (L4Re's log: ESC[36m ... ESC[0m): colour codes at the line's end, before or
        // after carriage returns, would otherwise stick to the last field.
        var stripped = true
        while stripped {
            stripped = false
            while n > 0 && p[n - 1] == CR { n -= 1; stripped = true }
            while n >= 3 && p[n - 1] == 109 /* m */ {
                var j = n - 2
                while j > 0 && (p[j] == 59 /* ; */ || (p[j] >= ZERO && p[j] <= ZERO + 9)) { j -= 1 }
                guard j >= 1 && p[j] == 91 /* [ */ && p[j - 1] == 27 /* ESC */ else { break }
                n = j - 1
                stripped = true
            }
        }
        var start = -1
        if n >= 5 && p[0] == C_L && p[1] == C_4 && p[2] == C_B && p[3] == C_1 && p[4] == COMMA {
            start = 0
        } else {
            start = findPrefix(p, n)
            if start == -2 { return }
            if start < 0 {
                noiseLines += 1
                if ParseWorker.hasGarbage(p, n) {
                    garbageLines += 1
                    if garbageLines > ParseWorker.garbageLineLimit && runID == nil && isFirstChunk {
                        fatal(.binaryGarbage("\(garbageLines) lines of binary data and no run begun: not a results file or console log"))
                        return
                    }
                    // Boot noise is tolerated; binary bytes inside a run mean corrupted output.
                    if (runID != nil || !isFirstChunk) && endLine == 0 {
                        fail(.binaryGarbage("binary bytes in the console output inside the run: \(shown(p, n))"))
                    }
                }
                return
            }
        }
        let rec = p + start + 5
        let len = n - start - 5
        resultLines += 1
        if len >= 2 && rec[0] == 115 /* s */ && rec[1] == COMMA {
            if !terminated {
                fail(.truncated("last line has no newline: the run was cut mid-line"), isSample: true)
                return
            }
            if sample(rec, len) { echo?(p + start, n - start) }
        } else if record(rec, len, terminated: terminated) {
            echo?(p + start, n - start)
        }
    }

    /// Index of `L4B1,` in the line, -1 if there is none; flags another version.
    private func findPrefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var from = 0
        while n - from >= 5 {
            guard let hit = memchr(p + from, Int32(C_L), n - from) else { return -1 }
            let i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p
            if i + 5 > n { return -1 }
            if p[i + 1] != C_4 || p[i + 2] != C_B { from = i + 1; continue }
            var j = i + 3
            while j < n && p[j] >= ZERO && p[j] <= ZERO + 9 { j += 1 }
            if j > i + 3 && j < n && p[j] == COMMA {
                if j == i + 4 && p[i + 3] == C_1 { return i }
                let v = String(decoding: UnsafeBufferPointer(start: p + i, count: j - i), as: UTF8.self)
                fail(.unsupportedVersion("record prefix \(v), but this reader knows version \(ResultsFormat.version) (\(ResultsFormat.prefix))"))
                return -2
            }
            from = i + 3
        }
        return -1
    }

    /// The first control character (C0, DEL or a C1 in UTF-8) as `\xNN`, or nil.
    static func controlCharacter(_ p: UnsafePointer<UInt8>, _ n: Int) -> String? {
        for i in 0..<n {
            let c = p[i]
            if c < 0x20 || c == 0x7F { return "\\x" + String(c, radix: 16, uppercase: true).leftPadded(2) }
            if c == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F {
                return "U+00" + String(p[i + 1], radix: 16, uppercase: true)
            }
        }
        return nil
    }

    static func hasGarbage(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for i in 0..<n {
            let c = p[i]
            if c < 0x20 {
                if c != 9 && c != 27 && c != 13 && c != 8 { return true }
            } else if c == 0x7F || c == 0xC0 || c == 0xC1 || c >= 0xF5 {
                return true
            }
        }
        return false
    }

    private func text(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// A printable rendering of a field for error messages.
    private func shown(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        var s = ""
        for i in 0..<min(n, 40) {
            let c = p[i]
            if c >= 0x20 && c < 0x7F { s.append(Character(Unicode.Scalar(c))) }
            else { s += "\\x" + String(c, radix: 16, uppercase: true).leftPadded(2) }
        }
        return n > 40 ? s + "…" : s
    }

    // MARK: samples (the hot path)

    /// `s,suite,benchmark,client,server,placement,param,round,iteration,cycles`
    @inline(__always)
    private func sample(_ rec: UnsafePointer<UInt8>, _ len: Int) -> Bool {
        // Find the last two commas: iteration and cycles fields.
        var c3 = len - 1
        while c3 > 1 && rec[c3] != COMMA { c3 -= 1 }
        var c2 = c3 - 1
        while c2 > 1 && rec[c2] != COMMA { c2 -= 1 }
        if c2 <= 1 {
            fail(.malformedRow("sample row has too few fields (expected 10 after the prefix)"), isSample: true)
            return false
        }
        guard let cycles = cyclesValue(rec + c3 + 1, len - c3 - 1) else { return false }
        // Iteration: digits only.
        let itLen = c3 - c2 - 1
        if !ParseWorker.isDigits(rec + c2 + 1, itLen) {
            if ParseWorker.hasGarbage(rec + c2 + 1, itLen) {
                fail(.binaryGarbage("binary bytes in the iteration field: \(shown(rec + c2 + 1, itLen))"), isSample: true)
            } else {
                fail(.malformedRow("iteration '\(shown(rec + c2 + 1, itLen))' is not a non-negative integer"), isSample: true)
            }
            return false
        }
        // Key: suite..param,round, compared with the previous row's key first.
        let key = rec + 2
        let keyLen = c2 - 2
        let column: SampleColumn
        if keyLen == lastKeyLen && memcmp(key, lastKey, keyLen) == 0, let c = lastColumn {
            column = c
        } else {
            guard let c = lookupColumn(key, keyLen) else { return false }
            column = c
        }
        if (runID == nil && isFirstChunk) || endLine > 0 {
            _ = inRun()
            return false
        }
        column.append(cycles)
        var it: UInt64 = 0
        for i in 0..<itLen { it = it &* 10 &+ UInt64(rec[c2 + 1 + i] &- ZERO) }
        column.noteIteration(it)
        samples += 1
        return true
    }

    @inline(__always)
    static func isDigits(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n == 0 || n > 19 { return false }
        for i in 0..<n where p[i] &- ZERO > 9 { return false }
        return true
    }

    @inline(__always)
    private func cyclesValue(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64? {
        if n > 0 && n <= 19 {
            var v: UInt64 = 0
            var ok = true
            for i in 0..<n {
                let d = p[i] &- ZERO
                if d > 9 { ok = false; break }
                v = v &* 10 &+ UInt64(d)
            }
            if ok { return v }
        }
        // Slow path: say what is wrong.
        if n == 0 {
            fail(.badCycles("empty cycle count"), isSample: true)
        } else if ParseWorker.hasGarbage(p, n) {
            fail(.binaryGarbage("binary bytes in the cycle count: \(shown(p, n))"), isSample: true)
        } else if p[0] == MINUS {
            fail(.badCycles("negative cycle count \(shown(p, n))"), isSample: true)
        } else if ParseWorker.isDigitsAny(p, n) {
            if let v = UInt64(text(p, n)) { return v }
            fail(.badCycles("cycle count \(shown(p, n)) does not fit in 64 bits"), isSample: true)
        } else if ParseWorker.gluedText(p, n) {
            // Digits, then a space or a bracket and more text: console output glued to the row.
            fail(.malformedRow("text glued after the cycle count: '\(shown(p, n))' (console output without a newline before it?)"), isSample: true)
        } else {
            fail(.badCycles("non-numeric cycle count '\(shown(p, n))'"), isSample: true)
        }
        return nil
    }

    /// Leading digits followed by a space, tab or an opening bracket: another line's text.
    static func gluedText(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i < n && p[i] &- ZERO <= 9 { i += 1 }
        guard i > 0, i < n else { return false }
        return [32, 9, 91, 60, 40].contains(p[i])  // ' ' '\t' '[' '<' '('
    }

    private static func isDigitsAny(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for i in 0..<n where p[i] &- ZERO > 9 { return false }
        return n > 0
    }

    private func lookupColumn(_ key: UnsafePointer<UInt8>, _ keyLen: Int) -> SampleColumn? {
        let bytes = Array(UnsafeBufferPointer(start: key, count: keyLen))
        let column: SampleColumn
        if let i = subIndex[ByteKey(bytes)] {
            column = subs[i].column
        } else {
            guard validateKey(key, keyLen) else { return nil }
            column = SampleColumn()
            subIndex[ByteKey(bytes)] = subs.count
            subs.append((bytes, column))
        }
        if keyLen <= ResultsFormat.maxLineLength {
            lastKey.update(from: key, count: keyLen)
            lastKeyLen = keyLen
            lastColumn = column
        } else {
            lastKeyLen = -1
            lastColumn = nil
        }
        return column
    }

    /// Checks a new `suite,benchmark,client,server,placement,param,round` key:
    /// on the bytes when it is plain ASCII and well formed (the common case), else
    /// through the checks that say what is wrong.
    private func validateKey(_ key: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var commas = 0, fieldStart = 0, ok = n > 0
        var i = 0
        while ok && i < n {
            let c = key[i]
            if c == COMMA {
                if i == fieldStart { ok = false }   // an empty field
                commas += 1
                fieldStart = i + 1
            } else if c < 0x20 || c >= 0x7F {
                ok = false                          // control or non-ASCII: the slow path decides
            } else if commas == 6 && c &- ZERO > 9 {
                ok = false                          // the round must be digits
            }
            i += 1
        }
        if ok && commas == 6 && n - fieldStart >= 1 && n - fieldStart <= 9 { return true }
        return validateKeySlowly(key, n)
    }

    private func validateKeySlowly(_ key: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if ParseWorker.hasGarbage(key, n) || String(validating: UnsafeBufferPointer(start: key, count: n), as: UTF8.self) == nil {
            fail(.binaryGarbage("binary bytes in the sample's key fields: \(shown(key, n))"), isSample: true)
            return false
        }
        if let bad = ParseWorker.controlCharacter(key, n) {
            fail(.malformedRow("control character \(bad) in the sample's key fields (\(shown(key, n))): key fields are text without control characters"), isSample: true)
            return false
        }
        let fields = text(key, n).split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 7 else {
            fail(.malformedRow("sample row has \(fields.count + 3) fields after the prefix, expected 10 (s,suite,benchmark,client,server,placement,param,round,iteration,cycles)"), isSample: true)
            return false
        }
        if let why = FieldChecks.keyFieldsProblem(Array(fields.prefix(6))) {
            fail(.malformedRow(why), isSample: true)
            return false
        }
        guard let _ = FieldChecks.round(fields[6]) else {
            fail(.malformedRow("round '\(fields[6])' is not a non-negative integer"), isSample: true)
            return false
        }
        return true
    }

    // MARK: other records

    private func record(_ rec: UnsafePointer<UInt8>, _ len: Int, terminated: Bool) -> Bool {
        if ParseWorker.hasGarbage(rec, len) || String(validating: UnsafeBufferPointer(start: rec, count: len), as: UTF8.self) == nil {
            fail(.binaryGarbage("binary bytes in a results line: \(shown(rec, len))"))
            return false
        }
        let s = text(rec, len)
        let comma = s.firstIndex(of: ",") ?? s.endIndex
        let kindText = s[..<comma]
        let rest = comma < s.endIndex ? s[s.index(after: comma)...] : ""
        guard let kind = ResultsFormat.Kind(rawValue: String(kindText)) else {
            fail(.malformedRow("unknown record kind '\(kindText)' (expected begin, meta, s, fail, skip, end)"))
            return false
        }
        if !terminated && kind != .end {
            fail(.truncated("last line has no newline: the run was cut mid-line"))
            return false
        }
        switch kind {
        case .begin: return begin(rest)
        case .meta: return metaRecord(rest)
        case .fail, .skip: return note(kind == .fail ? .fail : .skip, rest)
        case .end: return end(rest)
        case .sample:
            // `s` with fewer than two characters after it never reaches the fast path.
            fail(.malformedRow("sample row has too few fields (expected 10 after the prefix)"), isSample: true)
            return false
        }
    }

    private func begin(_ rest: Substring) -> Bool {
        let id = String(rest)
        if let why = FieldChecks.runIDProblem(id) {
            fail(.malformedRow("begin record needs one run id (begin,<run-id>): \(why)"))
            return false
        }
        guard isFirstChunk else { structural(); return false }
        if let current = runID {
            if endLine > 0 {
                fatal(.mixedRuns("a second run '\(id)' begins after run '\(current)' ended at line \(endLine); split the file"))
            } else if id == current {
                fatal(.mixedRuns("run '\(id)' begins again (first begin at line \(beginLine)): two outputs of one run are mixed"))
            } else {
                fatal(.mixedRuns("run '\(id)' begins inside run '\(current)' (begun at line \(beginLine))"))
            }
            return false
        }
        runID = id
        beginLine = line
        return true
    }

    private func inRun() -> Bool {
        if isFirstChunk && runID == nil {
            fatal(.malformedRow("record before the run's begin line"))
            return false
        }
        if endLine > 0 {
            if isFirstChunk {
                fatal(.mixedRuns("record after the run's end line (line \(endLine)): output of another run follows"))
            } else { structural() }
            return false
        }
        return true
    }

    private func metaRecord(_ rest: Substring) -> Bool {
        guard let comma = rest.firstIndex(of: ",") else {
            fail(.malformedRow("metadata record needs a key and a value: meta,<key>,<value>"))
            return false
        }
        let key = String(rest[..<comma])
        let value = String(rest[rest.index(after: comma)...])
        if let why = FieldChecks.metaKeyProblem(key) {
            fail(.malformedRow(why))
            return false
        }
        if let problem = FieldChecks.metaValueProblem(key: key, value: value) {
            fail(.missingMetadata(problem))
            return false
        }
        guard inRun() else { return false }
        if let i = metaIndex[key] {
            if meta[i].value != value {
                fail(.contradictingMetadata("\(key)=\(value) contradicts \(key)=\(meta[i].value) at line \(meta[i].line)"))
                return false
            }
            return true
        }
        metaIndex[key] = meta.count
        meta.append((key, value, line))
        return true
    }

    private func note(_ kind: PairNote.Kind, _ rest: Substring) -> Bool {
        let parts = rest.split(separator: ",", maxSplits: 6, omittingEmptySubsequences: false)
        guard parts.count == 7, let key = GroupKey(fields: Array(parts.prefix(6))) else {
            fail(.malformedRow("\(kind.rawValue) record needs suite,benchmark,client,server,placement,param,reason"))
            return false
        }
        if let why = FieldChecks.keyFieldsProblem(Array(parts.prefix(6))) {
            fail(.malformedRow("\(kind.rawValue) record: \(why)"))
            return false
        }
        guard inRun() else { return false }
        notes.append(PairNote(kind: kind, key: key, reason: String(parts[6]), line: line))
        return true
    }

    private func end(_ rest: Substring) -> Bool {
        let parts = rest.split(separator: ",", omittingEmptySubsequences: false)
        // `*`: the producer could not count its samples (several guest programs
        // printing into one console); only the end line's presence is checked.
        let uncounted = parts.count == 2 && parts[1] == "*"
        guard parts.count == 2, !parts[0].isEmpty, uncounted || (Int(parts[1]).map { $0 >= 0 } ?? false) else {
            fail(.malformedRow("end record needs the run id and the sample count (or *): end,<run-id>,<samples>"))
            return false
        }
        let n = uncounted ? nil : Int(parts[1])
        guard inRun() else { return false }
        if let id = runID, id != String(parts[0]) {
            fatal(.mixedRuns("end of run '\(parts[0])' inside run '\(id)' (begun at line \(beginLine))"))
            return false
        }
        endLine = line
        endDeclared = n
        return true
    }
}

extension ResultsFormat {
    /// Why a metadata value is invalid, or nil.
    static func problem(metaKey key: String, value: String) -> String? {
        if value.isEmpty { return "metadata \(key) has an empty value" }
        if integerMetadata.contains(key) {
            guard let v = UInt64(value) else { return "metadata \(key)=\(value) is not a non-negative integer" }
            if key == "tsc_hz" && v == 0 { return "metadata tsc_hz must be positive" }
        }
        if key == "target" && !targets.contains(value) {
            return "metadata target=\(value) is not one of \(targets.sorted().joined(separator: ", "))"
        }
        if key == "date" && !isISODate(value) {
            return "metadata date=\(value) is not an ISO 8601 date (2026-11-25 or 2026-11-25T06:15:00Z)"
        }
        if key == "accel" && !accels.contains(value) {
            return "metadata accel=\(value) is not one of \(accels.sorted().joined(separator: ", "))"
        }
        return nil
    }
}

/// `YYYY-MM-DD`, optionally followed by `T` and a time: digits where digits belong,
/// a month 01-12 and a day 01-31.
func isISODate(_ s: String) -> Bool {
    let u = Array(s.utf8)
    guard u.count >= 10, u[4] == 45, u[7] == 45 else { return false }
    for i in [0, 1, 2, 3, 5, 6, 8, 9] where u[i] < 48 || u[i] > 57 { return false }
    let month = Int(u[5] - 48) * 10 + Int(u[6] - 48), day = Int(u[8] - 48) * 10 + Int(u[9] - 48)
    guard (1...12).contains(month), (1...31).contains(day) else { return false }
    return u.count == 10 || u[10] == 84 /* T */ || u[10] == 32
}

extension String {
    func leftPadded(_ width: Int, with c: Character = "0") -> String {
        count >= width ? self : String(repeating: c, count: width - count) + self
    }
}

/// A (group, round) key's bytes, hashed in one call (an array of bytes hashes
/// element by element).
struct ByteKey: Hashable {
    var bytes: [UInt8]
    init(_ b: [UInt8]) { bytes = b }
    func hash(into h: inout Hasher) { bytes.withUnsafeBytes { h.combine(bytes: $0) } }
}
