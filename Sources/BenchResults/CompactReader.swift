#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Reads a compact run (`.l4bc`, see `CompactFormat`) from bytes in memory or a
/// mapped file, validating before use: every count, length, repeat count and
/// difference is checked against what the bytes can encode and against the
/// totals the run declares (and `CompactLimits`) before anything is allocated;
/// arithmetic is overflow-checked; every check of the v1 reader applies
/// (`FieldChecks`); checksums are verified where the run has them. A fault names
/// the file, the line, the byte offset, the group and the reason.
///
/// Two passes: the lines in order (structure, keys, metadata, checksums, the
/// declared counts), then the values of every group line, in parallel. Strict:
/// the run keeps what came before the first fault.
struct CompactReader {
    let base: UnsafePointer<UInt8>
    let size: Int
    let source: String
    let threads: Int

    private var pfx: [UInt8] { Array(CompactFormat.prefix.utf8) }

    /// A group line whose values are decoded in the second pass.
    struct Pending {
        var key: Int
        var round: UInt32
        var count: Int
        var values: Int        // offset of the values field
        var valuesLength: Int
        var line: Int
        var offset: Int        // offset of the line
    }

    struct Fault {
        var error: ResultsError
        /// Lines from this one on are not kept (a checksum fault drops its whole block).
        var keepBefore: Int
    }

    // MARK: state of the first pass

    private var fault: Fault?
    private var id = ""
    private var metadata: [(key: String, value: String, line: Int)] = []
    private var metaIndex: [String: Int] = [:]
    private var notes: [PairNote] = []
    private var keys: [GroupKey] = []
    private var keyIndex: [ByteKey: Int] = [:]
    private var seenRound: [UInt64: Int] = [:]
    private var pending: [Pending] = []
    private var samples = 0
    private var ended = false
    private var lineNo = 0
    private var declaredByEnd: Int?

    // Checksums: of the block of lines since the previous `sum` record, and of the run.
    private var blockCRC = CRC32()
    private var blockStartLine = 1
    private var blockFirstGroup: Int?
    private var blockLines = 0
    private var runCRC = CRC32()
    private var sums = 0
    private var checksummed = false

    init(base: UnsafePointer<UInt8>, size: Int, source: String, threads: Int) {
        self.base = base
        self.size = size
        self.source = source
        self.threads = max(1, threads)
    }

    // MARK: faults

    private mutating func fail(_ reason: ResultsError.Reason, at offset: Int, line: Int? = nil, keepBefore: Int? = nil) {
        guard fault == nil else { return }
        let l = line ?? lineNo
        fault = Fault(error: ResultsError(file: source, line: l, reason: reason, offset: offset), keepBefore: keepBefore ?? l)
    }

    private func text(_ from: Int, _ n: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + from, count: n), as: UTF8.self)
    }

    private func validText(_ from: Int, _ n: Int) -> String? {
        String(validating: UnsafeBufferPointer(start: base + from, count: n), as: UTF8.self)
    }

    /// Bytes shown in a message: printable ASCII as is, anything else as \xNN, at most 40.
    private func shown(_ from: Int, _ n: Int) -> String {
        var s = ""
        for i in 0..<min(n, 40) {
            let c = base[from + i]
            if c >= 0x20 && c < 0x7F { s.append(Character(Unicode.Scalar(c))) } else {
                s += "\\x" + String(c, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return n > 40 ? s + "…" : s
    }

    /// Comma-separated fields of [from, from+n): at most `max` fields (the last takes the rest).
    private func fields(_ from: Int, _ n: Int, max: Int) -> [(start: Int, length: Int)] {
        var out: [(Int, Int)] = []
        var s = from
        let end = from + n
        var i = from
        while i < end && out.count < max - 1 {
            if base[i] == 44 { out.append((s, i - s)); s = i + 1 }
            i += 1
        }
        out.append((s, end - s))
        return out
    }

    /// A non-negative decimal integer without sign or spaces, overflow-checked.
    private func integer(_ f: (start: Int, length: Int)) -> Int? {
        guard f.length > 0, f.length <= 19 else { return nil }
        var v = 0
        for i in 0..<f.length {
            let d = base[f.start + i] &- 48
            guard d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(d))
            if o1 || o2 { return nil }
            v = a
        }
        return v
    }

    // MARK: reading

    mutating func read() -> ParseOutcome {
        var start = 0
        if size >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }   // a UTF-8 byte order mark
        // The end line first (the file's last line): its declared count bounds every allocation.
        var budget = CompactLimits.sampleBudget(fileBytes: size)
        if let (declared, at) = declaredTotal() {
            if declared > budget {
                fail(.limitExceeded("the end line declares \(declared) samples; a run of \(size) bytes may hold at most \(budget) (\(CompactLimits.samplesPerByte) per byte, \(CompactLimits.maxSamples) in all): a damaged or hostile run"), at: at, line: 0)
            } else {
                budget = declared
                declaredByEnd = declared
            }
        }
        var pos = start
        while fault == nil && pos < size {
            let lineStart = pos
            let rest = size - pos
            let nl = memchr(base + pos, 10, rest).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? -1
            let lineEnd = nl >= 0 ? nl : size
            pos = nl >= 0 ? nl + 1 : size
            lineNo += 1
            var n = lineEnd - lineStart
            while n > 0 && base[lineStart + n - 1] == 13 { n -= 1 }   // CR LF line ends (a checkout that converted them)
            if nl < 0 && n > 0 {
                fail(.truncated("the last line has no newline: the file was cut mid-line"), at: lineStart)
                break
            }
            line(lineStart, n, budget: budget)
        }
        var outcomeFault = fault?.error
        var keepBefore = fault?.keepBefore ?? Int.max
        // The values, in parallel; a fault at an earlier line wins.
        let usable = pending.prefix { $0.line < keepBefore }
        let (columns, decodeFault) = decodeAll(Array(usable))
        // A fault in the values of a block whose checksum failed is that checksum's fault.
        let firstFault = fault
        let coveredByChecksum: (ResultsError) -> Bool = { d in
            if let f = firstFault, case .checksumMismatch = f.error.reason { return d.line >= f.keepBefore }
            return false
        }
        if let d = decodeFault, outcomeFault == nil || (d.line < outcomeFault!.line && !coveredByChecksum(d)) {
            outcomeFault = d
            keepBefore = d.line
        }
        if outcomeFault == nil {
            if id.isEmpty {
                outcomeFault = ResultsError(file: source, line: 0, reason: .empty)
            } else if !ended {
                outcomeFault = ResultsError(file: source, line: lineNo, reason: .truncated("the compact run has no end line: cut short"), offset: size)
            } else {
                outcomeFault = ResultsFormat.missingMetadataFault(runID: id, keys: metadata.map(\.key), file: source)
            }
        }
        // Groups by key, rounds ascending, sorted by key.
        var byKey: [Int: [(round: Int, column: SampleColumn)]] = [:]
        for (i, p) in usable.enumerated() where p.line < keepBefore {
            if let c = columns[i] { byKey[p.key, default: []].append((Int(p.round), c)) }
        }
        var groups = byKey.map { SampleGroup(key: keys[$0.key], rounds: $0.value.sorted { $0.round < $1.round }) }
        groups.sort { $0.key < $1.key }
        let run = Run(id: id, metadata: metadata.filter { $0.line < keepBefore }.map { ($0.key, $0.value) }, groups: groups,
                      notes: notes.filter { $0.line < keepBefore }, source: source)
        return ParseOutcome(run: run, fault: outcomeFault, skippedCount: 0, skipped: [], noiseLines: 0, garbageLines: 0,
                            checksummed: checksummed && outcomeFault == nil)
    }

    /// The sample count of the file's last line when it is an end line, and its offset.
    private func declaredTotal() -> (Int, Int)? {
        var e = size
        while e > 0 && (base[e - 1] == 10 || base[e - 1] == 13) { e -= 1 }
        var s = e
        while s > 0 && base[s - 1] != 10 && e - s <= CompactLimits.maxLineBytes { s -= 1 }
        let head = Array(pfx) + Array("end,".utf8)
        guard e - s > head.count, (0..<head.count).allSatisfy({ base[s + $0] == head[$0] }) else { return nil }
        let f = fields(s + head.count, e - s - head.count, max: 3)
        guard f.count >= 2, let n = integer(f[1]) else { return nil }
        return (n, s)
    }

    // MARK: lines

    private mutating func line(_ at: Int, _ n: Int, budget: Int) {
        let isSum = n > pfx.count + 4 && memcmp(base + at + pfx.count, "sum,", 4) == 0
        let isEnd = n > pfx.count + 4 && memcmp(base + at + pfx.count, "end,", 4) == 0
        if !isSum && !isEnd {
            blockCRC.update(base + at, n)
            blockCRC.update(byte: 10)
            blockLines += 1
        }
        if n == 0 { return }
        if ended { fail(.mixedRuns("a record after the end line: another run or garbage follows"), at: at); return }
        guard n >= pfx.count, memcmp(base + at, pfx, pfx.count) == 0 else {
            if n >= 5, base[at] == 76, base[at + 1] == 52, base[at + 2] == 66 {  // L4B…: another format or version
                var j = at + 3
                if j < at + n && base[j] == 67 { j += 1 }   // C
                let d = j
                while j < at + n && base[j] &- 48 <= 9 { j += 1 }
                if j > d && j < at + n && base[j] == 44 {
                    fail(.unsupportedVersion("record prefix \(shown(at, j - at + 1)): a compact run holds only \(CompactFormat.prefix) records"), at: at)
                    return
                }
            }
            if ParseWorker.hasGarbage(base + at, min(n, 4096)) {
                fail(.binaryGarbage("binary bytes where a compact record belongs: \(shown(at, n))"), at: at)
            } else {
                fail(.malformedRow("not a compact record (\(shown(at, n))): every line starts with \(CompactFormat.prefix)"), at: at)
            }
            return
        }
        let r = at + pfx.count
        let rn = n - pfx.count
        var c = r
        while c < r + min(rn, 8) && base[c] != 44 { c += 1 }
        let kind = text(r, c - r)
        let restStart = c < r + rn && base[c] == 44 ? c + 1 : r + rn
        let restLen = r + rn - restStart
        if kind == "g" {
            group(at, restStart, restLen, budget: budget)
            return
        }
        if n > CompactLimits.maxLineBytes {
            fail(.malformedRow("a \(FieldChecks.display(kind)) line of \(n) bytes: longer than \(CompactLimits.maxLineBytes)"), at: at)
            return
        }
        if ParseWorker.hasGarbage(base + at, n) || validText(at, n) == nil {
            fail(.binaryGarbage("binary bytes in a \(FieldChecks.display(kind)) record: \(shown(at, n))"), at: at)
            return
        }
        if id.isEmpty && kind != "begin" {
            fail(.malformedRow("a \(FieldChecks.display(kind)) record before the begin line"), at: at)
            return
        }
        switch kind {
        case "begin":
            guard id.isEmpty else { fail(.mixedRuns("a second begin line (run '\(FieldChecks.display(text(restStart, restLen)))' inside run '\(FieldChecks.display(id))')"), at: at); return }
            let rid = text(restStart, restLen)
            if let why = FieldChecks.runIDProblem(rid) { fail(.malformedRow("begin record: \(why)"), at: at); return }
            id = rid
        case "meta":
            let f = fields(restStart, restLen, max: 2)
            guard f.count == 2 else { fail(.malformedRow("a meta record needs a key and a value: meta,<key>,<value>"), at: at); return }
            let key = text(f[0].start, f[0].length), value = text(f[1].start, f[1].length)
            if let why = FieldChecks.metaKeyProblem(key) { fail(.malformedRow(why), at: at); return }
            if let why = FieldChecks.metaValueProblem(key: key, value: value) { fail(.missingMetadata(why), at: at); return }
            if let i = metaIndex[key] {
                if metadata[i].value != value {
                    fail(.contradictingMetadata("\(key)=\(FieldChecks.display(value)) contradicts \(key)=\(FieldChecks.display(metadata[i].value)) at line \(metadata[i].line)"), at: at)
                }
                return
            }
            guard metadata.count < CompactLimits.maxMetadataKeys else {
                fail(.limitExceeded("more than \(CompactLimits.maxMetadataKeys) metadata keys"), at: at); return
            }
            metaIndex[key] = metadata.count
            metadata.append((key, value, lineNo))
        case "fail", "skip":
            let f = fields(restStart, restLen, max: 7)
            guard f.count == 7 else { fail(.malformedRow("a \(kind) record needs suite,benchmark,client,server,placement,param,reason"), at: at); return }
            let parts = f.prefix(6).map { text($0.start, $0.length) }
            if let why = FieldChecks.keyFieldsProblem(parts) { fail(.malformedRow("\(kind) record: \(why)"), at: at); return }
            guard notes.count < CompactLimits.maxNotes else { fail(.limitExceeded("more than \(CompactLimits.maxNotes) fail and skip records"), at: at); return }
            notes.append(PairNote(kind: kind == "fail" ? .fail : .skip, key: GroupKey(fields: parts.map { Substring($0) })!,
                                  reason: text(f[6].start, f[6].length), line: lineNo))
        case "sum":
            sum(at, restStart, restLen)
        case "end":
            end(at, restStart, restLen)
        default:
            fail(.malformedRow("unknown compact record '\(FieldChecks.display(kind))' (expected begin, meta, g, fail, skip, sum, end)"), at: at)
        }
    }

    /// `g,SUITE,BENCHMARK,CLIENT,SERVER,PLACEMENT,PARAM,ROUND,N,VALUES`
    private mutating func group(_ at: Int, _ restStart: Int, _ restLen: Int, budget: Int) {
        if id.isEmpty { fail(.malformedRow("a group record before the begin line"), at: at); return }
        // The key, round and count: the fields before VALUES, bounded as a v1 line.
        let f = fields(restStart, min(restLen, CompactLimits.maxKeyBytes + 32), max: 9)
        guard f.count == 9 else {
            fail(restLen > CompactLimits.maxKeyBytes
                 ? .malformedRow("a group record whose key fields are longer than \(CompactLimits.maxKeyBytes) bytes")
                 : .malformedRow("a group record needs suite,benchmark,client,server,placement,param,round,count,values"), at: at)
            return
        }
        let keyLen = f[5].start + f[5].length - restStart
        guard keyLen + f[6].length <= CompactLimits.maxKeyBytes else {
            fail(.malformedRow("a group record whose key fields are longer than \(CompactLimits.maxKeyBytes) bytes"), at: at); return
        }
        let valuesStart = f[8].start
        let valuesLen = restStart + restLen - valuesStart
        // The key: once per distinct key, with the checks of the v1 reader.
        let kb = ByteKey(Array(UnsafeBufferPointer(start: base + restStart, count: keyLen)))
        let k: Int
        if let known = keyIndex[kb] { k = known } else {
            if ParseWorker.hasGarbage(base + restStart, keyLen) || validText(restStart, keyLen) == nil {
                fail(.binaryGarbage("binary bytes in a group's key fields: \(shown(restStart, keyLen))"), at: at); return
            }
            let parts = f.prefix(6).map { text($0.start, $0.length) }
            if let why = FieldChecks.keyFieldsProblem(parts) { fail(.malformedRow("group record: \(why)"), at: at); return }
            k = keys.count
            keys.append(GroupKey(fields: parts.map { Substring($0) })!)
            keyIndex[kb] = k
        }
        let key = keys[k]
        guard let round = FieldChecks.round(text(f[6].start, f[6].length)) else {
            fail(.malformedRow("group \(key): round '\(shown(f[6].start, f[6].length))' is not a non-negative integer below 2^32"), at: at); return
        }
        guard let count = integer(f[7]), count >= 1 else {
            fail(.malformedRow("group \(key) round \(round): count '\(shown(f[7].start, f[7].length))' is not a positive integer"), at: at); return
        }
        // Before anything is allocated: the count against the run's budget.
        guard count <= budget - samples else {
            if declaredByEnd != nil {
                fail(.malformedRow("group \(key) round \(round) declares \(count) samples, more than the \(budget) the end line declares for the whole run (\(samples) before this line)"), at: f[7].start)
            } else {
                fail(.limitExceeded("group \(key) round \(round) declares \(count) samples: with the \(samples) before it more than a run of \(size) bytes may hold (\(budget)): a damaged or hostile run"), at: f[7].start)
            }
            return
        }
        // Every value takes at least one digit; a run of K equal differences `D*K` at least three bytes.
        guard valuesLen >= 1 else { fail(.badCycles("group \(key) round \(round): no values"), at: valuesStart); return }
        if let first = seenRound[UInt64(k) << 32 | UInt64(round)] {
            fail(.malformedRow("group \(key) round \(round) is given twice (first at line \(first))"), at: at); return
        }
        guard pending.count < CompactLimits.maxGroupLines else {
            fail(.limitExceeded("more than \(CompactLimits.maxGroupLines) group lines"), at: at); return
        }
        seenRound[UInt64(k) << 32 | UInt64(round)] = lineNo
        if blockFirstGroup == nil { blockFirstGroup = k }
        samples += count
        pending.append(Pending(key: k, round: round, count: count, values: valuesStart, valuesLength: valuesLen, line: lineNo, offset: at))
    }

    /// `sum,XXXXXXXX`: the CRC-32 of every line since the previous sum line (each with its newline).
    private mutating func sum(_ at: Int, _ restStart: Int, _ restLen: Int) {
        guard let stored = CRC32.parseHex(base + restStart, restLen) else {
            fail(.malformedRow("a sum record needs eight hex digits: sum,<crc32>"), at: at); return
        }
        let computed = blockCRC.value
        let what = blockFirstGroup.map { "group \(keys[$0])" } ?? (sums == 0 ? "the begin and metadata lines" : "the fail and skip lines")
        if stored != computed {
            fail(.checksumMismatch("lines \(blockStartLine)-\(lineNo - 1) (\(what)) have checksum \(CRC32.hex(computed)), their sum line says \(CRC32.hex(stored)): a byte was changed"),
                 at: at, keepBefore: blockStartLine)
            return
        }
        runCRC.update(base + restStart, 8)
        sums += 1
        blockCRC = CRC32()
        blockStartLine = lineNo + 1
        blockFirstGroup = nil
        blockLines = 0
    }

    /// `end,RUN_ID,SAMPLES[,RUNCRC]`
    private mutating func end(_ at: Int, _ restStart: Int, _ restLen: Int) {
        let f = fields(restStart, restLen, max: 4)
        guard f.count == 2 || f.count == 3, let declared = integer(f[1]) else {
            fail(.malformedRow("an end record needs the run id and the sample count: end,<run-id>,<samples>[,<crc32>]"), at: at); return
        }
        let rid = text(f[0].start, f[0].length)
        guard rid == id else { fail(.mixedRuns("end of run '\(FieldChecks.display(rid))' inside run '\(FieldChecks.display(id))'"), at: at); return }
        if f.count == 3 {
            guard let stored = CRC32.parseHex(base + f[2].start, f[2].length) else {
                fail(.malformedRow("the end record's run checksum is not eight hex digits"), at: at); return
            }
            if blockLines > 0 {
                fail(.checksumMismatch("lines \(blockStartLine)-\(lineNo - 1) are not covered by a sum line: lines were added"), at: at, keepBefore: blockStartLine)
                return
            }
            if stored != runCRC.value {
                fail(.checksumMismatch("the run's checksum over its \(sums) sum lines is \(CRC32.hex(runCRC.value)), the end line says \(CRC32.hex(stored)): a block was removed, added or moved"),
                     at: at, keepBefore: 0)
                return
            }
            checksummed = true
        } else if sums > 0 {
            fail(.checksumMismatch("the end line lacks the run checksum, though the run's blocks have sum lines: the end line was altered"), at: at, keepBefore: 0)
            return
        }
        if declared != samples {
            fail(declared > samples
                 ? .truncated("the end line declares \(declared) samples, \(samples) are in the file: \(declared - samples) lost")
                 : .malformedRow("the end line declares \(declared) samples, but \(samples) are in the file"), at: at)
            return
        }
        ended = true
    }

    // MARK: values

    /// Decodes every pending line (in parallel); a column per line, nil where it failed, and the first fault.
    private func decodeAll(_ items: [Pending]) -> ([SampleColumn?], ResultsError?) {
        guard !items.isEmpty else { return ([], nil) }
        let columns = UnsafeMutableBufferPointer<SampleColumn?>.allocate(capacity: items.count)
        columns.initialize(repeating: nil)
        let whys = UnsafeMutableBufferPointer<(String, Int)?>.allocate(capacity: items.count)
        whys.initialize(repeating: nil)
        defer {
            _ = columns.deinitialize(); columns.deallocate()
            _ = whys.deinitialize(); whys.deallocate()
        }
        let workers = min(threads, items.count)
        let base = self.base
        // Contiguous shares: a worker stops at its first fault, later lines are not needed.
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = items.count * w / workers, hi = items.count * (w + 1) / workers
            for i in lo..<hi {
                let p = items[i]
                let column = SampleColumn()
                if let (why, at) = CompactFormat.decodeValues(base + p.values, p.valuesLength, count: p.count, into: column) {
                    whys[i] = (why, at)
                    break
                }
                columns[i] = column
            }
        }
        var first: ResultsError?
        for i in 0..<items.count {
            if let (why, at) = whys[i] {
                let p = items[i]
                first = ResultsError(file: source, line: p.line, reason: .badCycles("group \(keys[p.key]) round \(p.round): \(why)"), offset: p.values + at)
                break
            }
        }
        return (Array(columns), first)
    }
}
