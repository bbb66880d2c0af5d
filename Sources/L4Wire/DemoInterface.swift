/// The Demo interface of the example pairs (`Bench/l4re/pkg/l4swift/include/demo.h`):
/// both sides of its marshalling, the same bytes as `L4_INLINE_RPC` and
/// `L4::Epiface` produce. Pure Swift, so the host tests check it.
public enum DemoInterface {
    public static let proto = 0x5301

    public enum Op: Int32 {
        case mix = 0, measure = 1, trigger = 2, sumDS = 3
    }

    /// What `mix` computes (wrapping, as C++ on amd64 does).
    public static func mix(_ a: Int32, _ b: UInt64, _ c: Int8) -> Int64 {
        Int64(a) &* Int64(bitPattern: b) &+ Int64(c)
    }

    /// 32-bit FNV-1a, what `measure` returns with the length.
    public static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }

    // MARK: requests (after the opcode)

    public static func writeMix(_ w: inout MessageWriter, a: Int32, b: UInt64, c: Int8) throws(L4Error) {
        try w.put(a); try w.put(b); try w.put(c)
    }
    public static func readMix(_ r: inout MessageReader) throws(L4Error) -> (a: Int32, b: UInt64, c: Int8) {
        let a: Int32 = try r.get()
        let b: UInt64 = try r.get()
        let c: Int8 = try r.get()
        return (a, b, c)
    }

    public static func writeMeasure(_ w: inout MessageWriter, _ s: UnsafeBufferPointer<UInt8>) throws(L4Error) {
        try w.putString(s)
    }
    public static func readMeasure(_ r: inout MessageReader) throws(L4Error) -> UnsafeBufferPointer<UInt8> {
        try r.getString()
    }

    /// `sum_ds` carries the size as data; the dataspace goes as an item.
    public static func writeSumDS(_ w: inout MessageWriter, size: UInt64) throws(L4Error) { try w.put(size) }
    public static func readSumDS(_ r: inout MessageReader) throws(L4Error) -> UInt64 { try r.get() }

    /// A capability argument on the server side: the item must be there and
    /// must have delivered a capability (else `-L4_EINVAL`, as the C++ server answers).
    public static func readCapItem(_ items: inout MessageReader) throws(L4Error) {
        let item = try items.getItem()
        guard item.capReceived else { throw .code(-L4Err.inval) }
    }

    // MARK: replies

    public static func writeMixReply(_ w: inout MessageWriter, _ v: Int64) throws(L4Error) { try w.put(v) }
    public static func readMixReply(_ r: inout MessageReader) throws(L4Error) -> Int64 { try r.get() }

    public static func writeMeasureReply(_ w: inout MessageWriter, length: UInt32, hash: UInt32) throws(L4Error) {
        try w.put(length); try w.put(hash)
    }
    public static func readMeasureReply(_ r: inout MessageReader) throws(L4Error) -> (length: UInt32, hash: UInt32) {
        let l: UInt32 = try r.get()
        let h: UInt32 = try r.get()
        return (l, h)
    }

    public static func writeSumReply(_ w: inout MessageWriter, _ v: UInt64) throws(L4Error) { try w.put(v) }
    public static func readSumReply(_ r: inout MessageReader) throws(L4Error) -> UInt64 { try r.get() }
}
