/// The client side of an L4Re RPC interface (what `L4_INLINE_RPC` generates
/// in C++): the protocol as label, the opcode and the in-arguments in the
/// message registers, the items after them; the return code from the reply's
/// label and the out-arguments from offset 0.
public struct RpcClient<Kind> {
    public let cap: Cap<Kind>
    public let proto: Int

    @inline(__always) public init(cap: Cap<Kind>, proto: Int) { self.cap = cap; self.proto = proto }

    /// Calls `opcode`. `write` adds the in-data after the opcode, `items` the
    /// in-items, `read` takes the out-data and the (non-negative) return code.
    @inline(__always)
    public func call<R>(_ opcode: Int32, utcb: UTCB = .current, timeout: Timeout = .never,
                        write: (inout MessageWriter) throws(L4Error) -> Void,
                        items: (inout MessageWriter) throws(L4Error) -> Void = { (_: inout MessageWriter) throws(L4Error) in },
                        read: (inout MessageReader, Int) throws(L4Error) -> R) throws(L4Error) -> R {
        var w = utcb.writer()
        try w.put(opcode)
        try write(&w)
        let words = w.words
        var iw = MessageWriter(utcb.mrBytes + words * UtcbLayout.wordBytes, limit: UtcbLayout.mrBytes - words * UtcbLayout.wordBytes)
        try items(&iw)
        let tag = MsgTag(label: proto, words: words, items: iw.offset / UtcbLayout.itemBytes)
        let reply = try IPC.call(cap, tag, utcb: utcb, timeout: timeout)
        let ret = try Rpc.checkReply(reply)
        var r = utcb.reader(reply)
        return try read(&r, ret)
    }
}

/// A server of one L4Re RPC interface: `dispatch` handles a request whose
/// protocol matched and returns the reply tag (out-data written with
/// `utcb.writer()`); throwing replies with the error's code, as L4Re's C++
/// servers do. An unknown opcode must throw `.code(-L4Err.nosys)`.
///
/// Every kernel or L4Re call reuses the message registers: read the request
/// first, do the work, and write the reply data last.
public protocol RpcServer {
    static var proto: Int { get }
    mutating func dispatch(opcode: Int32, request: inout MessageReader, tag: MsgTag, utcb: UTCB) throws(L4Error) -> MsgTag
    /// Called before each wait: (re)open receive windows for capabilities.
    mutating func prepareReceive(_ utcb: UTCB)
}

extension RpcServer {
    public mutating func prepareReceive(_ utcb: UTCB) { utcb.clearBuffers() }

    /// Answers one received message: decode, dispatch, and the reply tag (errors included).
    @inline(__always)
    public mutating func answer(_ tag: MsgTag, utcb: UTCB) -> MsgTag {
        do {
            var (op, reader) = try Rpc.decodeRequest(tag: tag, proto: Self.proto, mr: UnsafeRawPointer(utcb.mrBytes))
            return try dispatch(opcode: op, request: &reader, tag: tag, utcb: utcb)
        } catch {
            return Rpc.replyTag(error.code)
        }
    }

    /// Serves requests that arrive through gates bound with `label` forever.
    /// A message through another gate is answered `-L4_EBADPROTO`; a reply that
    /// cannot be delivered (the caller is gone) is dropped and the loop waits again.
    public mutating func serve(label: UInt, utcb: UTCB = .current) -> Never {
        while true {
            prepareReceive(utcb)
            var next = try? IPC.wait(utcb: utcb)
            while let (tag, lbl) = next {
                let reply = lbl & ~3 == label & ~3 ? answer(tag, utcb: utcb) : Rpc.replyTag(-L4Err.badproto)
                prepareReceive(utcb)
                next = try? IPC.replyAndWait(reply, utcb: utcb)
            }
        }
    }
}
