#if canImport(Glibc)
import Glibc
import Testing
import L4Wire

/// C types passed as C lays them out (`l4swift-gen --c-type`, Tests/Fixtures/wire/ctypes.h): libc's
/// `struct sigaction`, `sigset_t`, `struct itimerval` and `stack_t`, as `L4Re::Itas` passes them. The
/// generated code knows nothing of their fields; Swift imports them from the host's libc, as marshal.cc's
/// C++ did, and the requests and replies match L4Re's C++ byte for byte, alignment included. Padding is
/// the exception, and named: C++ copies whatever its memory held there, and a Swift copy of a value does
/// not keep its padding, so those bytes (found from the C fields' offsets) are not compared.
@Suite struct CTypeTests {
    typealias W = GeneratedWireTests

    /// The bytes of `T`: byte i is i * 7 + seed, as marshal.cc's `pattern` writes them.
    static func pattern<T>(_ v: inout T, _ seed: Int) {
        withUnsafeMutableBytes(of: &v) { b in for i in b.indices { b[i] = UInt8(truncatingIfNeeded: i &* 7 &+ seed) } }
    }
    static func bytes<T>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }

    /// The bytes of a C struct no field covers.
    struct Padding<T> {
        var covered: Set<Int> = []
        func with<V>(_ field: KeyPath<T, V>) -> Self {
            var p = self
            let o = MemoryLayout<T>.offset(of: field)!
            p.covered.formUnion(o..<o + MemoryLayout<V>.size)
            return p
        }
        /// Its padding, as offsets in a message where the struct starts at `at`.
        func bytes(at: Int) -> Set<Int> { Set((0..<MemoryLayout<T>.size).filter { !covered.contains($0) }.map { $0 + at }) }
    }
    static let sigactionPadding = Padding<sigaction>().with(\.__sigaction_handler).with(\.sa_mask).with(\.sa_flags).with(\.sa_restorer)
    static let stackPadding = Padding<stack_t>().with(\.ss_sp).with(\.ss_flags).with(\.ss_size)

    static func masked(_ b: [UInt8], _ skip: Set<Int>) -> [UInt8] { b.indices.map { skip.contains($0) ? 0 : b[$0] } }

    @Test func paddingIsFoundFromTheFields() {
        // glibc on amd64: sa_flags (an int) at 136, sa_restorer at 144; ss_flags (an int) at 8, ss_size at 16
        #expect(Self.sigactionPadding.bytes(at: 0) == Set(140..<144))
        #expect(Self.stackPadding.bytes(at: 8) == Set(20..<24))
        #expect(Padding<sigset_t>().with(\.__val).bytes(at: 0).isEmpty)
    }

    @Test func layoutsAreTheOnesCppRecorded() throws {
        let want = try #require(W.sizes["ctypes"], "no 'sizes ctypes' line in cpp-wire.txt")
        let got = "sigaction=\(MemoryLayout<sigaction>.size)/\(MemoryLayout<sigaction>.alignment) "
            + "sigset_t=\(MemoryLayout<sigset_t>.size)/\(MemoryLayout<sigset_t>.alignment) "
            + "itimerval=\(MemoryLayout<itimerval>.size)/\(MemoryLayout<itimerval>.alignment) "
            + "stack_t=\(MemoryLayout<stack_t>.size)/\(MemoryLayout<stack_t>.alignment)"
        #expect(got == want)
    }

    func client(_ name: String) throws -> W.Recorder {
        let ch = W.Recorder()
        ch.reply = try #require(W.recorded["server " + name], "no 'server \(name)' in cpp-wire.txt")
        return ch
    }

    func expectRequest(_ ch: W.Recorder, _ name: String, padding: Set<Int> = []) throws {
        let want = try #require(W.recorded["client " + name])
        let tag = try #require(ch.sent)
        #expect(tag.label == want.label && tag.words == want.words && tag.items == want.items, "\(name): \(tag)")
        #expect(Self.masked(Array(ch.sentBytes.prefix(want.bytes.count)), padding) == Self.masked(want.bytes, padding), "\(name): request bytes")
    }

    @Test func clientsSendAsCpp() throws {
        var ch = try client("ctypes.action")
        var act = sigaction()
        Self.pattern(&act, 1)
        let (code, old) = try C_types.Client(ch).action(0x5a, act)
        // opcode and signal, then the struct at 8
        try expectRequest(ch, "ctypes.action", padding: Self.sigactionPadding.bytes(at: 8))
        // the reply C++'s server wrote: every byte of act xor 0x5a
        #expect(code == 0x5a)
        #expect(Self.masked(Self.bytes(old), Self.sigactionPadding.bytes(at: 0))
                == Self.masked(Self.bytes(act).map { $0 ^ 0x5a }, Self.sigactionPadding.bytes(at: 0)))

        ch = try client("ctypes.mask")
        var set = sigset_t(), io = sigset_t()
        Self.pattern(&set, 2); Self.pattern(&io, 3)
        let (_, back) = try C_types.Client(ch).mask(9, set, io)
        try expectRequest(ch, "ctypes.mask")
        #expect(Self.bytes(back) == zip(Self.bytes(io), Self.bytes(set)).map { $0 &+ $1 &+ 9 })

        ch = try client("ctypes.itimer")
        var v = itimerval()
        Self.pattern(&v, 4)
        let (which, ov) = try C_types.Client(ch).itimer(3, v)
        try expectRequest(ch, "ctypes.itimer")
        #expect(which == 3 && Self.bytes(ov) == Self.bytes(v).reversed())

        ch = try client("ctypes.altstack")
        var ss = stack_t()
        Self.pattern(&ss, 5)
        let r = try C_types.Client(ch).altstack(ss)
        try expectRequest(ch, "ctypes.altstack", padding: Self.stackPadding.bytes(at: 8))
        #expect(r == Server.altstackCode(ss))
    }

    /// `Opt<struct itimerval>` in, `Opt<struct itimerval &>` out: the optional C type has the C type's layout
    /// (not `Optional`'s, one byte longer), sent or not.
    @Test func optionalCTypes() throws {
        var ch = try client("ctypes.maybe")
        var v = itimerval()
        Self.pattern(&v, 6)
        let r = try C_types.Client(ch).maybe(7, v)
        try expectRequest(ch, "ctypes.maybe")
        #expect(r.back.map(Self.bytes) == Self.bytes(v).reversed() && r.code == 8)
        ch = try client("ctypes.maybe.none")
        let none = try C_types.Client(ch).maybe(7)
        try expectRequest(ch, "ctypes.maybe.none")
        // C++'s server cannot tell an absent Opt<> input (it gets a valid, zeroed value): it answers as for zeros
        #expect(none.back.map(Self.bytes) == Self.bytes(itimerval()) && none.code == 8)
    }

    /// marshal.cc's C++ server, in Swift.
    struct Server: C_types.Server {
        func action(_ sig: Int32, _ act: sigaction) throws(L4Error) -> (code: Int, old: sigaction) {
            var old = act
            withUnsafeMutableBytes(of: &old) { b in for i in b.indices { b[i] ^= UInt8(truncatingIfNeeded: sig) } }
            return (Int(sig), old)
        }
        func mask(_ how: UInt8, _ set: sigset_t, _ io: sigset_t) throws(L4Error) -> (code: Int, io: sigset_t) {
            var out = io
            let s = CTypeTests.bytes(set)
            withUnsafeMutableBytes(of: &out) { b in for i in b.indices { b[i] = b[i] &+ s[i] &+ how } }
            return (0, out)
        }
        func itimer(_ which: UInt16, _ v: itimerval) throws(L4Error) -> (code: Int, old: itimerval) {
            var out = itimerval()
            let s = CTypeTests.bytes(v)
            withUnsafeMutableBytes(of: &out) { b in for i in b.indices { b[i] = s[s.count - 1 - i] } }
            return (Int(which), out)
        }
        static func altstackCode(_ ss: stack_t) -> Int {
            Int(ss.ss_flags & 0xffff) + Int(ss.ss_size & 0xffff) + Int(UInt(bitPattern: ss.ss_sp) & 0xffff)
        }
        func altstack(_ ss: stack_t) throws(L4Error) -> Int { Self.altstackCode(ss) }
        func maybe(_ x: UInt32, _ v: itimerval?) throws(L4Error) -> (code: Int, back: itimerval?) {
            // as C++'s: an absent Opt<> input is a zeroed value there (this server is told it is absent: nil)
            let v = v ?? itimerval()
            var out = itimerval()
            let s = CTypeTests.bytes(v)
            withUnsafeMutableBytes(of: &out) { b in for i in b.indices { b[i] = s[s.count - 1 - i] } }
            return (Int(x) + 1, out)
        }
    }

    /// The reply's padding: that of the struct the reply starts with (`action`'s old sigaction).
    @Test(arguments: ["ctypes.action", "ctypes.mask", "ctypes.itimer", "ctypes.altstack", "ctypes.maybe", "ctypes.maybe.none"])
    func serverAnswersAsEpiface(_ name: String) throws {
        var s = Server()
        try ArgumentKindTests().answer(&s, name, padding: name == "ctypes.action" ? Self.sigactionPadding.bytes(at: 0) : [])
    }
}
#endif
