/// A C type passed as C lays it out (`l4swift-gen --c-type`): libc's
/// `struct sigaction`, `sigset_t`, `struct itimerval` of `L4Re::Itas`. Swift
/// imports the type from its C module with the C compiler's own size,
/// alignment and padding, so nothing here knows its layout: C++ copies such
/// a value into the message registers aligned to its alignment, and so do
/// these, with `MemoryLayout` (its bytes as they are, padding included).
/// `T` must be a C type (trivially copyable): the generator passes no other.
/// `getCStruct` takes its type from the context (`try r.getCStruct() as
/// sigset_t`: after `as` a name is a type's, where in an expression the C
/// type's name may be a method's, as Itas's `sigaction`).
extension MessageWriter {
    @inline(__always)
    public mutating func putCStruct<T>(_ v: T) throws(L4Error) {
        let o = Self.align(offset, MemoryLayout<T>.alignment)
        guard o &+ MemoryLayout<T>.size <= limit else { throw .code(-L4Err.msgTooLong) }
        withUnsafeBytes(of: v) { (base + o).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        offset = o &+ MemoryLayout<T>.size
    }
}

extension MessageReader {
    @inline(__always)
    public mutating func getCStruct<T>() throws(L4Error) -> T {
        let o = MessageWriter.align(offset, MemoryLayout<T>.alignment)
        guard o &+ MemoryLayout<T>.size <= limit else { throw .code(-L4Err.msgTooShort) }
        offset = o &+ MemoryLayout<T>.size
        return (base + o).loadUnaligned(as: T.self)
    }
}
