/// A trivially copyable C++ struct passed by value or pointer in an RPC
/// (`L4Re::Dataspace::Stats`, `L4Re::Rm::Flags`): l4swift-gen writes one per
/// struct a header passes, with the size, alignment and field offsets C++ gives
/// it on amd64. C++ copies such a struct into the message registers aligned to
/// its alignment; so do `MessageWriter.putStruct` and `MessageReader.getStruct`.
public protocol WireStruct {
    static var wireSize: Int { get }
    static var wireAlignment: Int { get }
    /// The struct from its C++ bytes at `p` (any alignment).
    init(loading p: UnsafeRawPointer)
    /// Writes its C++ bytes to `p` (padding is left to the caller).
    func store(_ p: UnsafeMutableRawPointer)
}

extension MessageWriter {
    /// A struct as C++ copies it: aligned to its alignment, its padding zero.
    @inline(__always)
    public mutating func putStruct<T: WireStruct>(_ v: T) throws(L4Error) {
        let o = Self.align(offset, T.wireAlignment)
        guard o &+ T.wireSize <= limit else { throw .code(-L4Err.msgTooLong) }
        (base + o).initializeMemory(as: UInt8.self, repeating: 0, count: T.wireSize)
        v.store(base + o)
        offset = o &+ T.wireSize
    }
}

extension MessageReader {
    @inline(__always)
    public mutating func getStruct<T: WireStruct>(_: T.Type = T.self) throws(L4Error) -> T {
        let o = MessageWriter.align(offset, T.wireAlignment)
        guard o &+ T.wireSize <= limit else { throw .code(-L4Err.msgTooShort) }
        offset = o &+ T.wireSize
        return T(loading: base + o)
    }
}

/// Structs in the message registers, read in place (`L4::Ipc::Array<S>` or
/// `Ret_array<S>` of a struct): each element decoded when it is read.
public struct WireArray<T: WireStruct>: RandomAccessCollection {
    public let base: UnsafeRawPointer?
    public let count: Int
    @inline(__always) public init(base: UnsafeRawPointer?, count: Int) { self.base = base; self.count = count }
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    @inline(__always) public subscript(i: Int) -> T {
        precondition(i >= 0 && i < count, "index out of range")
        return T(loading: base! + i &* T.wireSize)
    }
}

extension MessageWriter {
    /// `L4::Ipc::Array<S, Len>` of a struct: the length as `Len`, then the elements as C++ lays them out.
    @inline(__always)
    public mutating func putStructArray<T: WireStruct, Len: FixedWidthInteger>(_ elements: UnsafeBufferPointer<T>, lengthType: Len.Type) throws(L4Error) {
        guard UInt64(elements.count) <= UInt64(Len.max) else { throw .code(-L4Err.msgTooLong) }
        try put(Len(truncatingIfNeeded: elements.count))
        try putElements(elements)
    }

    /// `Ret_array<T>`: the elements only (their count is the reply's return code).
    @inline(__always)
    public mutating func putRetArray<T: FixedWidthInteger>(_ elements: UnsafeBufferPointer<T>) throws(L4Error) {
        let o = Self.align(offset, MemoryLayout<T>.alignment)
        let bytes = elements.count &* MemoryLayout<T>.stride
        guard elements.count <= UtcbLayout.mrBytes, o &+ bytes <= limit else { throw .code(-L4Err.msgTooLong) }
        if bytes > 0, let src = elements.baseAddress { (base + o).copyMemory(from: src, byteCount: bytes) }
        offset = o &+ bytes
    }

    /// `Ret_array<S>` of a struct.
    @inline(__always)
    public mutating func putRetStructArray<T: WireStruct>(_ elements: UnsafeBufferPointer<T>) throws(L4Error) {
        try putElements(elements)
    }

    @inline(__always)
    mutating func putElements<T: WireStruct>(_ elements: UnsafeBufferPointer<T>) throws(L4Error) {
        let o = Self.align(offset, T.wireAlignment)
        guard elements.count <= UtcbLayout.mrBytes, o &+ elements.count &* T.wireSize <= limit else { throw .code(-L4Err.msgTooLong) }
        let bytes = elements.count &* T.wireSize
        if bytes > 0 { (base + o).initializeMemory(as: UInt8.self, repeating: 0, count: bytes) }
        for k in 0..<elements.count { elements[k].store(base + (o &+ k &* T.wireSize)) }
        offset = o &+ bytes
    }
}

extension MessageReader {
    /// `L4::Ipc::Array<S, Len>` of a struct, in place.
    @inline(__always)
    public mutating func getStructArray<T: WireStruct, Len: FixedWidthInteger>(_: T.Type, lengthType: Len.Type) throws(L4Error) -> WireArray<T> {
        let len: Len = try get()
        guard len >= 0, UInt64(truncatingIfNeeded: len) <= UInt64(UtcbLayout.mrBytes) else { throw .code(-L4Err.msgTooShort) }
        return try elements(T.self, count: Int(truncatingIfNeeded: len))
    }

    /// `Ret_array<T>`: `count` elements (the reply's return code), in place.
    @inline(__always)
    public mutating func getRetArray<T: FixedWidthInteger>(_: T.Type, count: Int) throws(L4Error) -> UnsafeBufferPointer<T> {
        let o = MessageWriter.align(offset, MemoryLayout<T>.alignment)
        guard count >= 0, count <= (limit &- min(o, limit)) / MemoryLayout<T>.stride else { throw .code(-L4Err.msgTooShort) }
        offset = o &+ count &* MemoryLayout<T>.stride
        return UnsafeBufferPointer(start: (base + o).assumingMemoryBound(to: T.self), count: count)
    }

    /// `Ret_array<S>` of a struct: `count` elements, in place.
    @inline(__always)
    public mutating func getRetStructArray<T: WireStruct>(_: T.Type, count: Int) throws(L4Error) -> WireArray<T> {
        try elements(T.self, count: count)
    }

    @inline(__always)
    mutating func elements<T: WireStruct>(_: T.Type, count: Int) throws(L4Error) -> WireArray<T> {
        let o = MessageWriter.align(offset, T.wireAlignment)
        guard count >= 0, count <= (limit &- min(o, limit)) / T.wireSize else { throw .code(-L4Err.msgTooShort) }
        offset = o &+ count &* T.wireSize
        return WireArray(base: base + o, count: count)
    }
}
