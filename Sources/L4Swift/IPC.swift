import CL4

/// A timeout of an IPC operation (`l4_timeout_t`, raw).
public struct Timeout {
    public var raw: UInt
    @inline(__always) public init(raw: UInt) { self.raw = raw }
    public static var never: Timeout { Timeout(raw: cl4_timeout_never()) }
    public static var zero: Timeout { Timeout(raw: cl4_timeout_zero()) }
    /// Both send and receive time out after `us` microseconds.
    public static func microseconds(_ us: UInt32) -> Timeout { Timeout(raw: cl4_timeout_us(us)) }
    /// Sending waits as long as it takes; receiving at most `us` microseconds.
    public static func receive(microseconds us: UInt32) -> Timeout { Timeout(raw: cl4_timeout_rcv_us(us)) }
}

/// The calling thread's UTCB: message, buffer and thread registers.
public struct UTCB {
    public let raw: UnsafeMutableRawPointer

    @inline(__always) public init(raw: UnsafeMutableRawPointer) { self.raw = raw }
    @inline(__always) public static var current: UTCB { UTCB(raw: cl4_utcb()) }

    /// Message registers, as words.
    @inline(__always) public var mr: UnsafeMutablePointer<UInt> { cl4_mr(raw) }
    /// Message registers, as bytes, for `MessageWriter` and `MessageReader`.
    @inline(__always) public var mrBytes: UnsafeMutableRawPointer { UnsafeMutableRawPointer(cl4_mr(raw)) }
    /// Buffer registers (after the buffer descriptor).
    @inline(__always) public var br: UnsafeMutablePointer<UInt> { cl4_br(raw) }

    /// A writer over the message registers.
    @inline(__always) public func writer() -> MessageWriter { MessageWriter(mrBytes) }
    /// A reader over the `tag.words` data words of a received message.
    @inline(__always) public func reader(_ tag: MsgTag, offset: Int = 0) -> MessageReader {
        MessageReader(UnsafeRawPointer(mrBytes), limit: tag.words * UtcbLayout.wordBytes, offset: offset)
    }
    /// A reader over the items that follow the data words.
    @inline(__always) public func itemReader(_ tag: MsgTag) -> MessageReader {
        MessageReader(UnsafeRawPointer(mrBytes + tag.words * UtcbLayout.wordBytes),
                      limit: tag.items * UtcbLayout.itemBytes)
    }

    /// Sets the buffer descriptor (0: the buffers start at `br[0]`).
    @inline(__always) public func setBufferDescriptor(_ v: UInt) { cl4_set_bdr(raw, v) }

    /// The IPC error of the last failed operation.
    @inline(__always) var ipcError: L4Error { .ipc(Int(cl4_ipc_error(raw))) }
}

/// Synchronous IPC. Every operation throws the kernel's IPC error (timeout,
/// no partner, canceled...) as `L4Error.ipc`.
public enum IPC {
    /// Sends `tag` with the message registers to `dest` and waits for the reply.
    @inline(__always)
    public static func call<Kind>(_ dest: Cap<Kind>, _ tag: MsgTag, utcb: UTCB = .current,
                                  timeout: Timeout = .never) throws(L4Error) -> MsgTag {
        let r = MsgTag(raw: cl4_ipc_call(dest.index, utcb.raw, tag.raw, timeout.raw))
        if r.hasError { throw utcb.ipcError }
        return r
    }

    @inline(__always)
    public static func send<Kind>(_ dest: Cap<Kind>, _ tag: MsgTag, utcb: UTCB = .current,
                                  timeout: Timeout = .never) throws(L4Error) {
        let r = MsgTag(raw: cl4_ipc_send(dest.index, utcb.raw, tag.raw, timeout.raw))
        if r.hasError { throw utcb.ipcError }
    }

    /// Waits for a message from anyone; returns its tag and the label of the gate it came through.
    @inline(__always)
    public static func wait(utcb: UTCB = .current, timeout: Timeout = .never) throws(L4Error) -> (tag: MsgTag, label: UInt) {
        var label: UInt = 0
        let r = MsgTag(raw: cl4_ipc_wait(utcb.raw, &label, timeout.raw))
        if r.hasError { throw utcb.ipcError }
        return (r, label)
    }

    /// Waits for a message from one object (an IRQ, a thread).
    @inline(__always)
    public static func receive<Kind>(from src: Cap<Kind>, utcb: UTCB = .current, timeout: Timeout = .never) throws(L4Error) -> MsgTag {
        let r = MsgTag(raw: cl4_ipc_receive(src.index, utcb.raw, timeout.raw))
        if r.hasError { throw utcb.ipcError }
        return r
    }

    /// Replies to the last caller and waits for the next message.
    @inline(__always)
    public static func replyAndWait(_ tag: MsgTag, utcb: UTCB = .current, timeout: Timeout = .never) throws(L4Error) -> (tag: MsgTag, label: UInt) {
        var label: UInt = 0
        let r = MsgTag(raw: cl4_ipc_reply_and_wait(utcb.raw, tag.raw, &label, timeout.raw))
        if r.hasError { throw utcb.ipcError }
        return (r, label)
    }

    /// Replies to the last caller without waiting.
    @inline(__always)
    public static func reply(_ tag: MsgTag, utcb: UTCB = .current) throws(L4Error) {
        let r = MsgTag(raw: cl4_ipc_reply(utcb.raw, tag.raw))
        if r.hasError { throw utcb.ipcError }
    }
}
