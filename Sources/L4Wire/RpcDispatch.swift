/// The request and reply side of L4Re's C++ RPC framework
/// (`L4::Ipc::Msg::Rpc_inline_call`, `Dispatch_call`, `pack_svr_reply`):
/// a request carries the interface's protocol as its label and an `int`
/// opcode as the first data value; a reply carries the return code as its
/// label and the output values from offset 0.
public enum Rpc {
    /// Checks a request's protocol and reads its opcode. Errors are the reply
    /// codes L4Re's C++ servers send: `-L4_EBADPROTO` for another protocol,
    /// `-L4_EMSGTOOSHORT` for a message without an opcode.
    @inline(__always)
    public static func decodeRequest(tag: MsgTag, proto: Int, mr: UnsafeRawPointer) throws(L4Error) -> (opcode: Int32, reader: MessageReader) {
        guard tag.label == proto else { throw .code(-L4Err.badproto) }
        var r = MessageReader(mr, limit: tag.words * UtcbLayout.wordBytes)
        let op: Int32 = try r.get()
        return (op, r)
    }

    /// The tag of a reply: return code, data words, items. A negative return
    /// code carries no data, as in C++.
    @inline(__always)
    public static func replyTag(_ ret: Int, words: Int = 0, items: Int = 0) -> MsgTag {
        ret < 0 ? MsgTag(label: ret, words: 0, items: 0) : MsgTag(label: ret, words: words, items: items)
    }

    /// The error a reply tag reports, if any (`return_err`, a negative label).
    @inline(__always)
    public static func checkReply(_ tag: MsgTag) throws(L4Error) -> Int {
        if tag.label < 0 { throw L4Error(returnCode: tag.label) }
        return tag.label
    }
}
