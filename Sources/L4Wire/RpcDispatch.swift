/// The reply side of L4Re's C++ RPC framework (`Rpc_inline_call`,
/// `handle_svr_obj_call`): a reply carries the return code as its label and
/// the output values from offset 0. (A request carries the interface's
/// protocol as its label and the opcode as its first value: the generated
/// `dispatch` of each interface reads it.)
public enum Rpc {
    /// The tag of a reply: return code, data words, items. A negative return
    /// code carries no data, as in C++.
    @inline(__always)
    public static func replyTag(_ ret: Int, words: Int = 0, items: Int = 0) -> MsgTag {
        ret < 0 ? MsgTag(label: ret, words: 0, items: 0) : MsgTag(label: ret, words: words, items: items)
    }

    /// The reply to a request that failed with `code` (negative). Out of line
    /// on purpose: each error path of a generated dispatch then calls it,
    /// instead of the optimizer loading every possible error tag into the
    /// reply register ahead of the checks on the path that succeeds (measured
    /// under icount: one instruction a call).
    @inline(never)
    public static func error(_ code: Int) -> MsgTag { MsgTag(label: code, words: 0, items: 0) }

    /// The error a reply tag reports, if any (`return_err`, a negative label).
    @inline(__always)
    public static func checkReply(_ tag: MsgTag) throws(L4Error) -> Int {
        if tag.label < 0 { throw L4Error(returnCode: tag.label) }
        return tag.label
    }
}
