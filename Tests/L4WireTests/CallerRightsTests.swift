import Testing
import L4Wire

/// Server methods see their caller's rights (the gate label's two low bits, as C++'s `op_` functions get
/// `L4::Typeid::Rights`) through `caller`, which the generated dispatch sets before each call; a server
/// without the property is answered as before.
@Suite struct CallerRightsTests {
    typealias W = GeneratedWireTests

    /// Answers `kinds.note` (send-only) and `kinds.scalars`, keeping the rights each call saw.
    struct Watching: KindsBehaviour {
        var tripled: [UInt32] = []
        var scratch: [Point] = []
        var words: [UInt16] = []
        var noted: UInt32 = 0
        var caller = RpcCaller()
        var seen: [UInt] = []
        mutating func note(_ v: UInt32) throws(L4Error) { noted = v; seen.append(caller.rights) }
        mutating func scalars(_ f: Bool, _ u8: UInt8, _ s16: Int16, _ u32: UInt32, _ s64: Int64) throws(L4Error) -> (nf: Bool, u16: UInt16) {
            seen.append(caller.rights)
            // a method may refuse a caller without the W right, as a C++ op_ function checks Rights
            guard caller.canWrite else { throw .code(-L4Err.perm) }
            return (!f, 1)
        }
    }

    func handle<S: RpcHandler>(_ s: inout S, _ name: String, rights: UInt) throws -> MsgTag {
        let req = try #require(W.recorded["request server " + name])
        let mem = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { mem.deallocate() }
        mem.initializeMemory(as: UInt8.self, repeating: 0, count: 512)
        req.bytes.withUnsafeBytes { mem.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return s.handle(RpcRequest(tag: MsgTag(label: req.label, words: req.words, items: req.items), rights: rights, mr: mem))
    }

    @Test func methodsSeeTheCallersRights() throws {
        var s = Watching()
        for r: UInt in [0, 1, 2, 3] { _ = try handle(&s, "kinds.scalars", rights: r) }
        _ = try handle(&s, "kinds.note", rights: 2)
        #expect(s.seen == [0, 1, 2, 3, 2])
        #expect(s.noted == 77)
        // the method's own check: without W, -L4_EPERM
        #expect(try handle(&s, "kinds.scalars", rights: 2).label == -L4Err.perm)
        #expect(try handle(&s, "kinds.scalars", rights: 1).label == 0)
        #expect(RpcCaller(rights: 3).canWrite && RpcCaller(rights: 3).hasSpecial && !RpcCaller(rights: 1).hasSpecial)
    }

    /// Through a derived interface's dispatch (the base's RPC) the base's method sees them too.
    @Test func derivedDispatchPassesThem() throws {
        struct More: KindsBehaviour, Kinds_more.Server {
            var tripled: [UInt32] = [], scratch: [Point] = [], words: [UInt16] = [], noted: UInt32 = 0
            var caller = RpcCaller()
            var extraRights: UInt = 9
            mutating func extra(_ a: UInt32) throws(L4Error) -> UInt32 { extraRights = caller.rights; return a &* 7 }
        }
        var m = More()
        _ = try handle(&m, "more.extra", rights: 1)
        #expect(m.extraRights == 1)
        _ = try handle(&m, "more.kinds.scalars", rights: 2)
        #expect(m.caller.rights == 2)
    }

    /// A server without the property: the default keeps nothing and it answers as before.
    @Test func serversWithoutItAreUnchanged() throws {
        var s = ArgumentKindTests.KindsServer()
        #expect(try handle(&s, "kinds.scalars", rights: 3).label == 0)
        s.caller = RpcCaller(rights: 3)
        #expect(s.caller == RpcCaller())
    }
}
