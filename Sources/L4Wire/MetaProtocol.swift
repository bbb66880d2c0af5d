/// L4Re's meta protocol (`L4::Meta`, `L4_PROTO_META`), as `L4::Epiface`
/// answers it for a server of one interface derived from `L4::Kobject`:
/// `num_interfaces` is 1, `interface(0)` gives the protocol and the C++ type
/// name, `supports(p)` is 1 for the interface's protocol and 0 otherwise. It
/// is what `L4::cap_dynamic_cast` asks before it hands out a capability.
public enum MetaProtocol {
    public static let proto = -21

    public enum Op {
        public static let numInterfaces: Int32 = 0
        public static let interface: Int32 = 1
        public static let supports: Int32 = 2
    }

    /// The reply to a request for another protocol than a server's `proto`:
    /// the meta protocol's answer, or `-L4_EBADPROTO`. Out of line, so that
    /// the generated dispatch spends one compare on the protocol.
    @inline(never)
    public static func answerOther(_ q: RpcRequest, proto: Int, name: StaticString) -> MsgTag {
        q.tag.label == Self.proto ? answer(q, proto: proto, name: name) : Rpc.error(-L4Err.badproto)
    }

    /// The same for a server of an interface derived from others (`L4::Kobject_t` chains, `Kobject_2t`):
    /// `interface(k)` gives the `k`th of the `count` interfaces, depth first as L4::Epiface walks them.
    @inline(never)
    public static func answerOther(_ q: RpcRequest, count: Int, interface: (Int) -> (proto: Int, name: StaticString)?) -> MsgTag {
        guard q.tag.label == Self.proto else { return Rpc.error(-L4Err.badproto) }
        var r = MessageReader(UnsafeRawPointer(q.mr), limit: q.tag.words &* UtcbLayout.wordBytes)
        guard q.tag.words &+ q.tag.items &* UtcbLayout.itemWords <= UtcbLayout.mrWords,
              let op = try? r.get(Int32.self) else { return Rpc.replyTag(-L4Err.msgTooShort) }
        switch op {
        case Op.numInterfaces:
            return Rpc.replyTag(count)
        case Op.interface:
            guard let idx = try? r.get(UInt.self) else { return Rpc.replyTag(-L4Err.msgTooShort) }
            guard idx < UInt(count), let (proto, name) = interface(Int(idx)) else { return Rpc.replyTag(-L4Err.range) }
            var w = MessageWriter(q.mr)
            do throws(L4Error) {
                try w.put(proto)
                try w.putString(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            } catch { return Rpc.replyTag(error.code) }
            return Rpc.replyTag(0, words: w.words)
        case Op.supports:
            guard let p = try? r.get(Int.self) else { return Rpc.replyTag(-L4Err.msgTooShort) }
            var k = 0
            while k < count {
                if let i = interface(k), p != 0, i.proto == p { return Rpc.replyTag(1) }
                k += 1
            }
            return Rpc.replyTag(0)
        default:
            return Rpc.replyTag(-L4Err.nosys)
        }
    }

    /// The reply to a meta request for an interface `proto` named `name`.
    public static func answer(_ q: RpcRequest, proto: Int, name: StaticString) -> MsgTag {
        var r = MessageReader(UnsafeRawPointer(q.mr), limit: q.tag.words &* UtcbLayout.wordBytes)
        guard q.tag.words &+ q.tag.items &* UtcbLayout.itemWords <= UtcbLayout.mrWords,
              let op = try? r.get(Int32.self) else { return Rpc.replyTag(-L4Err.msgTooShort) }
        switch op {
        case Op.numInterfaces:
            return Rpc.replyTag(1)
        case Op.interface:
            guard let idx = try? r.get(UInt.self) else { return Rpc.replyTag(-L4Err.msgTooShort) }
            guard idx == 0 else { return Rpc.replyTag(-L4Err.range) }
            var w = MessageWriter(q.mr)
            do throws(L4Error) {
                try w.put(proto)
                try w.putString(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            } catch { return Rpc.replyTag(error.code) }
            return Rpc.replyTag(0, words: w.words)
        case Op.supports:
            guard let p = try? r.get(Int.self) else { return Rpc.replyTag(-L4Err.msgTooShort) }
            return Rpc.replyTag(p != 0 && p == proto ? 1 : 0)
        default:
            return Rpc.replyTag(-L4Err.nosys)
        }
    }
}
