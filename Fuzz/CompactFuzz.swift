// libFuzzer target for the compact reader (`.l4bc`), structure-aware. Build and
// run with scripts/fuzz-compact.sh.
//
// The custom mutator works on the format's fields: it sets a group's count, a
// round, a value, a difference or a repeat count to a boundary value (0, 1,
// 2^31, 2^32, 2^63, 2^64-1, 10^19, huge runs of digits), cuts the file at any
// field boundary, duplicates, drops and swaps lines, edits the end line's total,
// puts control characters, CR LF and a byte order mark in, and then, most of
// the time, writes the checksums anew, so that the mutation reaches the checks
// behind them. Otherwise libFuzzer's own byte mutations apply.
//
// Any input must end in an outcome, never a trap; the fault must name a line and
// a byte inside the input; the samples read stay within the limits; a run read
// without a fault exports as format v1 that the v1 reader accepts with the same
// samples, and as a compact run that reads back the same.

@_silgen_name("LLVMFuzzerMutate")
func LLVMFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCompact(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let o = CompactFormat.parse(bytes: UnsafeBufferPointer(start: data, count: size), source: "fuzz", threads: 2)
    var lines = 1
    for i in 0..<size where data[i] == 10 { lines += 1 }
    if let f = o.fault {
        precondition(f.line >= 0 && f.line <= lines, "fault line \(f.line) outside the input's \(lines) lines")
        if let off = f.offset { precondition(off >= 0 && off <= size, "fault offset \(off) outside the input's \(size) bytes") }
        _ = f.description
    }
    var counted = 0
    for g in o.run.groups { counted += g.count }
    precondition(counted == o.run.sampleCount)
    precondition(counted <= CompactLimits.sampleBudget(fileBytes: size), "\(counted) samples from \(size) bytes")
    // (The round trips write a line per sample: only for runs small enough to keep the fuzzer fast.)
    if o.fault == nil && counted <= 20_000 {
        let csv = ResultsWriter.text(of: o.run)
        let back = ResultsParser.parse(bytes: Array(csv.utf8), source: "export")
        precondition(back.fault == nil, "export --format csv does not read back: \(String(describing: back.fault))")
        precondition(back.run.sampleCount == counted)
        let compact = CompactFormat.text(of: o.run)
        let again = CompactFormat.parse(compact, source: "again")
        precondition(again.fault == nil && again.run.sampleCount == counted && again.checksummed,
                     "the compact form does not read back: \(String(describing: again.fault))")
    }
    return 0
}

/// A small deterministic generator from libFuzzer's seed.
struct FuzzRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

let boundaryNumbers = ["0", "1", "2", "9", "10", "4294967295", "4294967296", "2147483648", "9223372036854775807",
                       "9223372036854775808", "18446744073709551615", "18446744073709551616", "10000000000000000000",
                       "99999999999999999999999", "-1", "", "+1", "1e9", "0x10", "67108864", "67108865", "1048576"]

func mutateStructure(_ text: String, _ r: inout FuzzRandom) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    guard !lines.isEmpty else { return text }
    let i = r.below(lines.count)
    var f = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    switch r.below(12) {
    case 0, 1:  // a field of the line to a boundary number
        let k = r.below(f.count)
        f[k] = boundaryNumbers[r.below(boundaryNumbers.count)]
        lines[i] = f.joined(separator: ",")
    case 2, 3:  // a token of the values: a value, a difference, a repeat count
        if f.count >= 11, f[1] == "g" {
            var toks = f[10].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let t = r.below(toks.count)
            let n = boundaryNumbers[r.below(boundaryNumbers.count)]
            switch r.below(4) {
            case 0: toks[t] = n
            case 1: toks[t] = "\(toks[t].split(separator: "*").first ?? "")*\(n)"
            case 2: toks.insert("\(r.below(3))*\(n)", at: t)
            default: toks.remove(at: t)
            }
            f[10] = toks.joined(separator: " ")
            lines[i] = f.joined(separator: ",")
        }
    case 4:  // the count of a group line to its values' size +- 1
        if f.count >= 11, f[1] == "g", let n = Int(f[9]) { f[9] = String(n &+ r.below(3) &- 1); lines[i] = f.joined(separator: ",") }
    case 5:  // cut the file at a field boundary or mid-field
        let pos = r.below(lines[i].utf8.count + 1)
        lines[i] = String(decoding: Array(lines[i].utf8.prefix(pos)), as: UTF8.self)
        lines.removeSubrange((i + 1)...)
        return lines.joined(separator: "\n")
    case 6: lines.insert(lines[i], at: i)                  // duplicate a line
    case 7: lines.remove(at: i)                            // drop a line
    case 8: let j = r.below(lines.count); lines.swapAt(i, j)
    case 9:  // control characters, DEL, C1, CR, a BOM
        let bad = ["\u{1b}[31m", "\u{7f}", "\u{85}", "\r", "\u{0}", "\u{feff}", "\t", ",", "\u{9b}"]
        var u = Array(lines[i].utf8)
        u.insert(contentsOf: Array(bad[r.below(bad.count)].utf8), at: r.below(u.count + 1))
        lines[i] = String(decoding: u, as: UTF8.self)
    case 10:  // metadata: contradict, empty, invalid
        let m = ["L4BC1,meta,tsc_hz,0", "L4BC1,meta,target,mars", "L4BC1,meta,date,yesterday", "L4BC1,meta,,x",
                 "L4BC1,meta,Key,x", "L4BC1,meta,accel,icount", "L4BC1,meta,accel,kvm", "L4BC1,meta,samples,"]
        lines.insert(m[r.below(m.count)], at: min(i + 1, lines.count))
    default:  // the end line's total
        if let e = lines.lastIndex(where: { $0.hasPrefix("L4BC1,end,") }) {
            var ef = lines[e].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if ef.count >= 4 { ef[3] = boundaryNumbers[r.below(boundaryNumbers.count)]; lines[e] = ef.joined(separator: ",") }
        }
    }
    if r.below(4) != 0 { lines = CRC32.rewritingChecksums(lines) }
    return lines.joined(separator: "\n") + "\n"
}

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var r = FuzzRandom(state: UInt64(seed) &* 0x2545_F491_4F6C_DD1D)
    if r.below(5) == 0 { return LLVMFuzzerMutate(data, size, maxSize) }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var out = text
    for _ in 0...r.below(3) { out = mutateStructure(out, &r) }
    let bytes = Array(out.utf8.prefix(maxSize))
    // (An empty result has no base address: the mutator itself trapped here once.)
    bytes.withUnsafeBufferPointer { b in
        if let base = b.baseAddress { data.update(from: base, count: b.count) }
    }
    return bytes.count
}
