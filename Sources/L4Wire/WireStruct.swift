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
