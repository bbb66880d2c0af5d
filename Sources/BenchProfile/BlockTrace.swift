/// The plugin's output (Bench/qemu-plugin/l4prof.c, format `L4PT1`): the
/// translated blocks, the markers (TSC reads) in the order they executed, and
/// between two markers the instructions each block executed.
public struct BlockTrace: Sendable {
    public struct Block: Sendable, Equatable {
        public var vaddr: UInt64
        public var instructions: UInt32
        public var bytes: UInt32
        public var hash: UInt64
        /// Where QEMU holds the block's guest page: one value per physical page.
        public var host: UInt64
        public var page: UInt64 { host >> 12 }
    }

    public struct Marker: Sendable, Equatable {
        /// `b` (rdtsc) or `e` (rdtscp).
        public var kind: UInt8
        public var vcpu: UInt16
        public var block: Int32
    }

    public struct Count: Sendable, Equatable {
        public var block: Int32
        public var vcpu: UInt16
        public var instructions: UInt64
    }

    public var blocks: [Block] = []
    public var markers: [Marker] = []
    /// Counts of segment k (before marker k; the last after the last marker) are
    /// `counts[segmentStart[k]..<segmentStart[k + 1]]`.
    public var counts: [Count] = []
    public var segmentStart: [Int] = [0]
    public var vcpus = 0
    /// Whether the trace has its end record (QEMU exited normally).
    public var complete = false
    public var dropped: UInt64 = 0

    public var segmentCount: Int { segmentStart.count - 1 }

    public func segment(_ k: Int) -> ArraySlice<Count> { counts[segmentStart[k]..<segmentStart[k + 1]] }

    public init() {}

    /// Reads a trace (plain or gzip). A trace without its end record (QEMU was
    /// killed) is read up to its last full segment and marked incomplete.
    public static func read(path: String) throws(ProfileError) -> BlockTrace {
        let src = try LineSource(path: path)
        var t = BlockTrace()
        func bad(_ why: String) -> ProfileError { .malformed(file: path, line: src.lineNumber, why: why) }
        guard let head = try src.nextString() else { throw .missing("\(path): empty trace (did QEMU load the plugin?)") }
        let h = head.split(separator: " ")
        guard h.first == "L4PT1", h.count == 3, let v = Int(h[2]) else {
            throw bad(head.hasPrefix("L4PT") ? "trace format \(h.first ?? "") is not L4PT1" : "not an l4prof trace (no L4PT1 header)")
        }
        t.vcpus = v
        var ids: [Int32: Int32] = [:]
        while let line = try src.next() {
            guard let kind = line.first else { throw bad("empty line") }
            if t.complete { throw bad("a record after the end record") }
            let f = line.split(separator: 0x20)
            switch kind {
            case UInt8(ascii: "T"):
                guard f.count == 7, let id = Int32(ascii: f[1]), let va = UInt64(hex: f[2]),
                      let n = UInt32(ascii: f[3]), let b = UInt32(ascii: f[4]), let hash = UInt64(hex: f[5]),
                      let host = UInt64(hex: f[6]) else {
                    throw bad("a block record is T ID 0xVADDR INSNS BYTES 0xHASH 0xHADDR")
                }
                guard ids[id] == nil else { throw bad("block \(id) defined twice") }
                ids[id] = Int32(t.blocks.count)
                t.blocks.append(Block(vaddr: va, instructions: n, bytes: b, hash: hash, host: host))
            case UInt8(ascii: "C"):
                guard f.count == 4, let id = Int32(ascii: f[1]), let vc = UInt16(ascii: f[2]), let n = UInt64(ascii: f[3]) else {
                    throw bad("a count record is C ID VCPU INSNS")
                }
                guard let b = ids[id] else { throw bad("count of block \(id) before its definition") }
                t.counts.append(Count(block: b, vcpu: vc, instructions: n))
            case UInt8(ascii: "E"):
                guard f.count == 4, f[1].count == 1, f[1].first == UInt8(ascii: "b") || f[1].first == UInt8(ascii: "e"),
                      let vc = UInt16(ascii: f[2]), let id = Int32(ascii: f[3]) else {
                    throw bad("a marker record is E b|e VCPU ID")
                }
                guard let b = ids[id] else { throw bad("marker in block \(id) before its definition") }
                t.markers.append(Marker(kind: f[1].first!, vcpu: vc, block: b))
                t.segmentStart.append(t.counts.count)
            case UInt8(ascii: "X"):
                guard f.count == 4, let ev = Int(ascii: f[1]), let d = UInt64(ascii: f[3]) else {
                    throw bad("the end record is X EVENTS BLOCKS DROPPED")
                }
                guard ev == t.markers.count else { throw bad("the end record counts \(ev) markers, the trace has \(t.markers.count)") }
                t.dropped = d
                t.complete = true
            default:
                throw bad("unknown record kind '\(String(decoding: [kind], as: UTF8.self))'")
            }
        }
        if t.complete {
            t.segmentStart.append(t.counts.count)
        } else {
            // Counts after the last marker may be cut anywhere: drop them.
            t.counts.removeSubrange(t.segmentStart.last!...)
            t.segmentStart.append(t.counts.count)
        }
        return t
    }
}

extension FixedWidthInteger {
    init?(ascii s: ArraySlice<UInt8>) {
        guard !s.isEmpty, s.count <= 20 else { return nil }
        var v: Self = 0
        for c in s {
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Self(c - 48))
            guard !o1 && !o2 else { return nil }
            v = a
        }
        self = v
    }

    init?(hex s: ArraySlice<UInt8>) {
        guard s.count > 2, s.count <= 2 + Self.bitWidth / 4, s[s.startIndex] == 48, s[s.startIndex + 1] == 120 else { return nil }
        var v: Self = 0
        for c in s.dropFirst(2) {
            let d: UInt8
            switch c {
            case 48...57: d = c - 48
            case 97...102: d = c - 87
            case 65...70: d = c - 55
            default: return nil
            }
            v = v << 4 | Self(d)
        }
        self = v
    }
}
