/// Writes the data part of an L4Re RPC message into message registers, laid
/// out as L4Re's C++ marshalling does (`L4::Ipc::Msg`): each value at the next
/// offset aligned to its own alignment, arrays as a length followed by the
/// elements aligned to theirs. A value that does not fit fails with
/// `-L4_EMSGTOOLONG`, as in C++.
public struct MessageWriter {
    public let base: UnsafeMutableRawPointer
    public let limit: Int
    public internal(set) var offset: Int

    @inline(__always)
    public init(_ base: UnsafeMutableRawPointer, limit: Int = UtcbLayout.mrBytes, offset: Int = 0) {
        self.base = base
        self.limit = limit
        self.offset = offset
    }

    /// Offsets stay within the 504 bytes of message registers: wrapping
    /// arithmetic, no overflow traps in the hot path.
    @inline(__always)
    static func align(_ o: Int, _ a: Int) -> Int { (o &+ a &- 1) & ~(a &- 1) }

    @inline(__always)
    public mutating func put<T: FixedWidthInteger>(_ v: T) throws(L4Error) {
        let o = Self.align(offset, MemoryLayout<T>.alignment)
        guard o &+ MemoryLayout<T>.size <= limit else { throw .code(-L4Err.msgTooLong) }
        base.storeBytes(of: v, toByteOffset: o, as: T.self)
        offset = o &+ MemoryLayout<T>.size
    }

    /// `L4::Ipc::Array<T, Len>`: the length as `Len`, then the elements.
    @inline(__always)
    public mutating func putArray<T: FixedWidthInteger, Len: FixedWidthInteger>(_ elements: UnsafeBufferPointer<T>, lengthType: Len.Type) throws(L4Error) {
        try put(Len(truncatingIfNeeded: elements.count))
        let o = Self.align(offset, MemoryLayout<T>.alignment)
        let bytes = elements.count &* MemoryLayout<T>.stride
        guard UInt64(elements.count) <= UInt64(Len.max), o + bytes <= limit else { throw .code(-L4Err.msgTooLong) }
        // An empty array costs no copy call (the common `words=0` case).
        if bytes > 0, let src = elements.baseAddress { (base + o).copyMemory(from: src, byteCount: bytes) }
        offset = o &+ bytes
    }

    /// `L4::Ipc::String<>`: an `unsigned long` length that counts the zero
    /// terminator, then the bytes and the terminator.
    @inline(__always)
    public mutating func putString(_ bytes: UnsafeBufferPointer<UInt8>) throws(L4Error) {
        try putString(bytes, lengthType: UInt64.self)
    }

    /// `L4::Ipc::String<char, Len>`: the length as `Len`, counting the terminator, then the bytes and a zero.
    @inline(__always)
    public mutating func putString<Len: FixedWidthInteger>(_ bytes: UnsafeBufferPointer<UInt8>, lengthType: Len.Type) throws(L4Error) {
        guard UInt64(bytes.count) < UInt64(Len.max) else { throw .code(-L4Err.msgTooLong) }
        try put(Len(truncatingIfNeeded: bytes.count &+ 1))
        let bytesNeeded = bytes.count + 1
        guard offset + bytesNeeded <= limit else { throw .code(-L4Err.msgTooLong) }
        // An empty string costs no copy call (ipc.str bytes=0: the call to libc's memmove with a
        // count of 0 was 34 of the client's instructions more than GCC's stub under icount).
        if bytes.count > 0, let src = bytes.baseAddress { (base + offset).copyMemory(from: src, byteCount: bytes.count) }
        base.storeBytes(of: 0 as UInt8, toByteOffset: offset + bytes.count, as: UInt8.self)
        offset += bytesNeeded
    }

    /// A typed item (two words), for the item part after the data words.
    @inline(__always)
    public mutating func putItem(_ item: SndFpage) throws(L4Error) {
        try put(UInt64(item.base))
        try put(UInt64(item.data))
    }

    /// Words the data part takes (the tag's word count).
    @inline(__always)
    public var words: Int { (offset + UtcbLayout.wordBytes - 1) / UtcbLayout.wordBytes }
}

/// Reads the data part of an L4Re RPC message: the mirror of `MessageWriter`.
/// Reading past the words the tag announced fails with `-L4_EMSGTOOSHORT`, as
/// L4Re's C++ servers answer a short message.
public struct MessageReader {
    public let base: UnsafeRawPointer
    public let limit: Int
    public internal(set) var offset: Int

    @inline(__always)
    public init(_ base: UnsafeRawPointer, limit: Int, offset: Int = 0) {
        self.base = base
        self.limit = min(limit, UtcbLayout.mrBytes)
        self.offset = offset
    }

    @inline(__always)
    public mutating func get<T: FixedWidthInteger>(_: T.Type = T.self) throws(L4Error) -> T {
        let o = MessageWriter.align(offset, MemoryLayout<T>.alignment)
        guard o &+ MemoryLayout<T>.size <= limit else { throw .code(-L4Err.msgTooShort) }
        offset = o &+ MemoryLayout<T>.size
        return base.loadUnaligned(fromByteOffset: o, as: T.self)
    }

    /// `L4::Ipc::Array<T, Len>` in place: a pointer into the registers and the count.
    @inline(__always)
    public mutating func getArray<T: FixedWidthInteger, Len: FixedWidthInteger>(_: T.Type, lengthType: Len.Type) throws(L4Error) -> UnsafeBufferPointer<T> {
        let len: Len = try get()
        // Any length beyond the registers is too short a message (and negative ones too).
        guard len >= 0, UInt64(truncatingIfNeeded: len) <= UInt64(UtcbLayout.mrBytes) else { throw .code(-L4Err.msgTooShort) }
        let n = Int(truncatingIfNeeded: len)
        let o = MessageWriter.align(offset, MemoryLayout<T>.alignment)
        guard n <= (limit &- min(o, limit)) / MemoryLayout<T>.stride else { throw .code(-L4Err.msgTooShort) }
        offset = o &+ n &* MemoryLayout<T>.stride
        return UnsafeBufferPointer(start: (base + o).assumingMemoryBound(to: T.self), count: n)
    }

    /// `L4::Ipc::String<char, Len>` as L4Re's C++ side reads it: the length
    /// counts a terminator (zero is too short), and the bytes are the ones
    /// before the last, whatever the last holds.
    @inline(__always)
    public mutating func getTerminated<Len: FixedWidthInteger>(lengthType: Len.Type) throws(L4Error) -> UnsafeBufferPointer<UInt8> {
        let all = try getArray(UInt8.self, lengthType: Len.self)
        guard all.count >= 1 else { throw .code(-L4Err.msgTooShort) }
        return UnsafeBufferPointer(start: all.baseAddress, count: all.count &- 1)
    }

    /// A typed item (two words) from the item part.
    @inline(__always)
    public mutating func getItem() throws(L4Error) -> SndFpage {
        // Items are word-aligned pairs: one bound check for both words.
        let o = MessageWriter.align(offset, UtcbLayout.wordBytes)
        guard o &+ UtcbLayout.itemBytes <= limit else { throw .code(-L4Err.msgTooShort) }
        offset = o &+ UtcbLayout.itemBytes
        return SndFpage(base: base.loadUnaligned(fromByteOffset: o, as: UInt.self),
                        data: base.loadUnaligned(fromByteOffset: o &+ UtcbLayout.wordBytes, as: UInt.self))
    }

    /// `L4::Ipc::String<>`: the bytes without the terminator. As L4Re's server
    /// side does, a zero length is too short and the last byte is taken as the
    /// terminator whatever it holds.
    public mutating func getString() throws(L4Error) -> UnsafeBufferPointer<UInt8> {
        let all = try getArray(UInt8.self, lengthType: UInt64.self)
        guard all.count >= 1 else { throw .code(-L4Err.msgTooShort) }
        var n = 0
        while n < all.count - 1 && all[n] != 0 { n += 1 }
        return UnsafeBufferPointer(rebasing: all[0..<n])
    }
}
