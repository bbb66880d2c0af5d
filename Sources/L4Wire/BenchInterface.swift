/// The interface of the L4Re benchmark suite (`Bench/l4re/pkg/l4swift/include/bench.h`):
/// labels, opcodes and both sides of the marshalling, the same bytes as
/// `L4_INLINE_RPC` and `L4::Epiface` produce.
public enum BenchInterface {
    public static let proto = 0x5310
    /// Raw `ipc.roundtrip`: N words in, their sum back (one word when N > 0).
    public static let rawLabel = 0x5311

    public enum Op: Int32 {
        case ping = 0, mapCap = 1, share = 2
    }

    /// Words an `ipc.rpc` request takes for `n` payload words: opcode, array length, the words.
    public static func pingRequestWords(_ n: Int) -> Int { n + 2 }
    /// The most payload words a ping carries.
    public static let maxPingWords = UtcbLayout.mrWords - 2

    // MARK: ping

    @inline(__always)
    public static func writePing(_ w: inout MessageWriter, _ words: UnsafeBufferPointer<UInt64>) throws(L4Error) {
        try w.putArray(words, lengthType: UInt.self)
    }
    @inline(__always)
    public static func readPing(_ r: inout MessageReader) throws(L4Error) -> UnsafeBufferPointer<UInt64> {
        try r.getArray(UInt64.self, lengthType: UInt.self)
    }
    @inline(__always)
    public static func writeSum(_ w: inout MessageWriter, _ sum: UInt64) throws(L4Error) { try w.put(sum) }
    @inline(__always)
    public static func readSum(_ r: inout MessageReader) throws(L4Error) -> UInt64 { try r.get() }

    // MARK: share

    public struct ShareReply: Equatable {
        public var sum: UInt64
        public var attach: UInt64
        public var touch: UInt64
        public var detach: UInt64
        public init(sum: UInt64, attach: UInt64, touch: UInt64, detach: UInt64) {
            self.sum = sum; self.attach = attach; self.touch = touch; self.detach = detach
        }
    }

    public static func writeShare(_ w: inout MessageWriter, size: UInt64) throws(L4Error) { try w.put(size) }
    public static func readShare(_ r: inout MessageReader) throws(L4Error) -> UInt64 { try r.get() }
    public static func writeShareReply(_ w: inout MessageWriter, _ v: ShareReply) throws(L4Error) {
        try w.put(v.sum); try w.put(v.attach); try w.put(v.touch); try w.put(v.detach)
    }
    public static func readShareReply(_ r: inout MessageReader) throws(L4Error) -> ShareReply {
        let s: UInt64 = try r.get(), a: UInt64 = try r.get(), t: UInt64 = try r.get(), d: UInt64 = try r.get()
        return ShareReply(sum: s, attach: a, touch: t, detach: d)
    }

    /// The word the client writes at the start of page `page` in iteration `it`,
    /// which the server's touch sums.
    @inline(__always)
    public static func pageWord(iteration it: Int, page: Int) -> UInt64 { (UInt64(it) << 32) &+ UInt64(page) &+ 1 }
}
