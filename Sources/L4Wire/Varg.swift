/// One value of an `L4::Ipc::Varg` list (`l4/sys/cxx/ipc_varg`), the typed
/// variable arguments of `L4::Factory::create`: on the wire a tag word
/// (`type | length << 16`, `L4_VARG_TYPE_*` of `l4/sys/types.h`), then
/// `length` bytes, the next tag aligned to a word.
///
/// A client sends them as `factory.create(into: slot, Dataspace.proto, .mword(size), .umword(flags))`,
/// the bytes C++'s `L4::Factory::S` (`create(...) << l4_mword_t(size) << ...`) and
/// `L4_INLINE_RPC` with `Varg const *` write. A server gets a `VargList` and reads them as these values.
public enum Varg: Equatable {
    /// `L4_VARG_TYPE_MWORD`: a signed machine word (`l4_mword_t`).
    case mword(Int)
    /// `L4_VARG_TYPE_UMWORD`: an unsigned machine word (`l4_umword_t`).
    case umword(UInt)
    /// `L4_VARG_TYPE_FPAGE`: a flexpage's raw word (`l4_fpage_t`).
    case fpage(UInt)
    /// `L4_VARG_TYPE_STRING` from a C string (`char const *`): these bytes and a zero
    /// terminator, which the length counts (`strlen + 1`, as C++ sends it). Clients only:
    /// a server sees every string as `.lstr`, the terminator included.
    case string(UnsafeBufferPointer<UInt8>)
    /// `L4_VARG_TYPE_STRING` of exactly these bytes (`L4::Factory::Lstr`; what a server gets).
    case lstr(UnsafeBufferPointer<UInt8>)
    /// `L4_VARG_TYPE_NIL` (`L4::Factory::Nil`): a zero tag word. A server's list ends at it.
    case nilValue
    /// Any other type, or a word type whose length is not a word's: the type byte and the bytes.
    case other(type: UInt8, bytes: UnsafeRawBufferPointer)

    /// The type codes of `l4/sys/types.h`.
    public enum TypeCode {
        public static let nilValue: UInt8 = 0x00
        public static let umword: UInt8 = 0x01
        public static let mword: UInt8 = 0x81
        public static let string: UInt8 = 0x02
        public static let fpage: UInt8 = 0x03
    }

    /// The type byte of the tag word.
    @inline(__always)
    public var type: UInt8 {
        switch self {
        case .mword: return TypeCode.mword
        case .umword: return TypeCode.umword
        case .fpage: return TypeCode.fpage
        case .string, .lstr: return TypeCode.string
        case .nilValue: return TypeCode.nilValue
        case .other(let t, _): return t
        }
    }

    /// Bytes after the tag word.
    @inline(__always)
    public var length: Int {
        switch self {
        case .mword, .umword, .fpage: return UtcbLayout.wordBytes
        case .string(let s): return s.count &+ 1
        case .lstr(let s): return s.count
        case .nilValue: return 0
        case .other(_, let b): return b.count
        }
    }

    public static func == (a: Varg, b: Varg) -> Bool {
        switch (a, b) {
        case (.mword(let x), .mword(let y)): return x == y
        case (.umword(let x), .umword(let y)), (.fpage(let x), .fpage(let y)): return x == y
        case (.string(let x), .string(let y)), (.lstr(let x), .lstr(let y)): return x.elementsEqual(y)
        case (.nilValue, .nilValue): return true
        case (.other(let t, let x), .other(let u, let y)): return t == u && x.elementsEqual(y)
        default: return false
        }
    }
}

extension MessageWriter {
    /// One `Varg`: the tag word at the next word, then its bytes (as `Clnt_val_ops<Varg>::to_msg`
    /// and `l4_factory_create_add_*_u` write it). Too long for the registers: `-L4_EMSGTOOLONG`.
    /// A word value (what `Mem_alloc::alloc` sends) is two stores when its case is known where
    /// it is inlined; strings and the rest are copied out of line.
    @inline(__always)
    public mutating func putVarg(_ v: Varg) throws(L4Error) {
        switch v {
        case .mword(let x): try putWordVarg(Varg.TypeCode.mword, UInt(bitPattern: x))
        case .umword(let x): try putWordVarg(Varg.TypeCode.umword, x)
        case .fpage(let x): try putWordVarg(Varg.TypeCode.fpage, x)
        default: try putBytesVarg(v)
        }
    }

    @inline(never)
    mutating func putBytesVarg(_ v: Varg) throws(L4Error) {
        let len = v.length
        guard len <= UtcbLayout.mrBytes else { throw .code(-L4Err.msgTooLong) }
        try put(UInt(v.type) | UInt(len) << 16)
        guard offset &+ len <= limit else { throw .code(-L4Err.msgTooLong) }
        switch v {
        case .mword(let x): base.storeBytes(of: x, toByteOffset: offset, as: Int.self)
        case .umword(let x), .fpage(let x): base.storeBytes(of: x, toByteOffset: offset, as: UInt.self)
        case .string(let s):
            if let p = s.baseAddress, s.count > 0 { (base + offset).copyMemory(from: p, byteCount: s.count) }
            base.storeBytes(of: 0 as UInt8, toByteOffset: offset &+ s.count, as: UInt8.self)
        case .lstr(let s):
            if let p = s.baseAddress, s.count > 0 { (base + offset).copyMemory(from: p, byteCount: s.count) }
        case .other(_, let b):
            if let p = b.baseAddress, b.count > 0 { (base + offset).copyMemory(from: p, byteCount: b.count) }
        case .nilValue: break
        }
        offset = offset &+ len
    }

    /// An `L4::Ipc::Varg` list: each value in turn (nothing ends it; the message does).
    @inline(__always)
    public mutating func putVargs(_ args: some Sequence<Varg>) throws(L4Error) {
        for a in args { try putVarg(a) }
    }

    /// A word value: its tag and the word, at the next two words.
    @inline(__always)
    mutating func putWordVarg(_ type: UInt8, _ word: UInt) throws(L4Error) {
        let o = Self.align(offset, UtcbLayout.wordBytes)
        guard o &+ 2 &* UtcbLayout.wordBytes <= limit else { throw .code(-L4Err.msgTooLong) }
        base.storeBytes(of: UInt(type) | UInt(UtcbLayout.wordBytes) << 16, toByteOffset: o, as: UInt.self)
        base.storeBytes(of: word, toByteOffset: o &+ UtcbLayout.wordBytes, as: UInt.self)
        offset = o &+ 2 &* UtcbLayout.wordBytes
    }
}

/// The `Varg` values of a request, read in place from the message registers
/// (`L4::Ipc::Varg_list_ref` of a C++ server): valid until the server replies.
/// Iterating stops at a nil tag, at the end of the message, or at a value
/// that runs past it, as C++'s iterator does.
public struct VargList: Sequence {
    /// The first tag word and the end of the list (the word after it).
    public let start: UnsafeRawPointer?
    public let end: UnsafeRawPointer?

    @inline(__always)
    public init(start: UnsafeRawPointer?, end: UnsafeRawPointer?) { self.start = start; self.end = end }

    public struct Iterator: IteratorProtocol {
        var at: UnsafeRawPointer?
        let end: UnsafeRawPointer?

        @inline(__always)
        public mutating func next() -> Varg? {
            guard let p = at, let e = end, p < e else { return nil }
            let tag = p.loadUnaligned(as: UInt.self)
            let type = UInt8(truncatingIfNeeded: tag)
            let len = Int(UInt32(truncatingIfNeeded: tag >> 16))   // `unsigned length()`
            let data = p + UtcbLayout.wordBytes
            // the next tag: behind the bytes, aligned to a word; a value past the end ends the list
            let words = (len &+ UtcbLayout.wordBytes &- 1) / UtcbLayout.wordBytes
            guard type != Varg.TypeCode.nilValue, words <= (e - data) / UtcbLayout.wordBytes else { at = nil; return nil }
            at = data + words &* UtcbLayout.wordBytes
            switch type {
            case Varg.TypeCode.mword where len == UtcbLayout.wordBytes: return .mword(data.loadUnaligned(as: Int.self))
            case Varg.TypeCode.umword where len == UtcbLayout.wordBytes: return .umword(data.loadUnaligned(as: UInt.self))
            case Varg.TypeCode.fpage where len == UtcbLayout.wordBytes: return .fpage(data.loadUnaligned(as: UInt.self))
            case Varg.TypeCode.string: return .lstr(UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: len))
            default: return .other(type: type, bytes: UnsafeRawBufferPointer(start: data, count: len))
            }
        }
    }

    @inline(__always)
    public func makeIterator() -> Iterator { Iterator(at: start, end: end) }
}

extension MessageReader {
    /// The rest of the request as a `Varg` list (`Svr_val_ops<Varg_list_ref>::to_svr`): from the next word,
    /// tags and their bytes up to a zero tag or the end of the message; a value whose bytes run
    /// past the message makes the request too short.
    @inline(__always)
    public mutating func getVargList() throws(L4Error) -> VargList {
        let start = MessageWriter.align(offset, UtcbLayout.wordBytes)
        var o = start
        while o &+ UtcbLayout.wordBytes <= limit {
            let tag = base.loadUnaligned(fromByteOffset: o, as: UInt.self)
            if tag == 0 { break }
            let len = Int(UInt32(truncatingIfNeeded: tag >> 16))   // C++'s `unsigned length()`
            guard len <= limit &- (o &+ UtcbLayout.wordBytes) else { throw .code(-L4Err.msgTooShort) }
            o = MessageWriter.align(o &+ UtcbLayout.wordBytes &+ len, UtcbLayout.wordBytes)
        }
        let end = min(o, MessageWriter.align(limit, UtcbLayout.wordBytes))
        offset = o
        return VargList(start: base + start, end: base + max(end, start))
    }
}
