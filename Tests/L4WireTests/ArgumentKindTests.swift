import Testing
import L4Wire

/// Every argument kind l4swift-gen supports, on an interface of this project's
/// own (Tests/Fixtures/wire/kinds.h), against L4Re's C++ marshalling of it:
/// the client's requests and receive buffers, and the replies of an
/// `L4::Epiface` server (marshal.cc), byte for byte.
@Suite struct ArgumentKindTests {
    typealias W = GeneratedWireTests

    func client(replyFrom server: String) throws -> W.Recorder {
        let ch = W.Recorder()
        let line: W.Line? = W.recorded["server " + server]
        let reply: W.Line = try #require(line, "no 'server \(server)' in cpp-wire.txt")
        ch.reply = reply
        return ch
    }

    func expectRequest(_ ch: W.Recorder, _ name: String) throws {
        let want = try #require(W.recorded["client " + name])
        let tag = try #require(ch.sent)
        #expect(tag.label == want.label && tag.words == want.words && tag.items == want.items, "\(name): \(tag) against \(want.label), \(want.words), \(want.items)")
        #expect(Array(ch.sentBytes.prefix(want.bytes.count)) == want.bytes, "\(name): request bytes")
    }

    /// The buffer registers as C++ left them (`buffers NAME bdr=0 : br0 br1 br2`).
    func expectBuffers(_ ch: W.Recorder, _ name: String) throws {
        let want = try #require(W.bufferWords[name])
        let got = (0..<3).map { ch.bufferRegisters[$0] }
        #expect(got == want, "\(name): buffer registers \(got.map { String($0, radix: 16) })")
    }

    @Test func clients() throws {
        var ch = try client(replyFrom: "kinds.scalars")
        let s = try Kinds.Client(ch).scalars(true, 200, -300, 70000, -5_000_000_000)
        #expect(s.nf == false && s.u16 == UInt16(truncatingIfNeeded: 200 - 300 + 70000 - 5_000_000_000))
        try expectRequest(ch, "kinds.scalars")

        ch = try client(replyFrom: "kinds.arrays")
        let in16: [UInt16] = [1, 2, 3, 65535, 7]
        let out = try in16.withUnsafeBufferPointer { try Array(Kinds.Client(ch).arrays($0)) }
        #expect(out == in16.map { UInt32($0) &* 3 })
        try expectRequest(ch, "kinds.arrays")

        ch = try client(replyFrom: "kinds.strings")
        let ping: StaticString = "ping"
        let (code, pong) = try Kinds.Client(ch).strings(UnsafeBufferPointer(start: ping.utf8Start, count: ping.utf8CodeUnitCount))
        #expect(Array(pong) == Array("pong".utf8) && code == 5)   // --with-code: the C++ server's code comes along
        try expectRequest(ch, "kinds.strings")

        ch = try client(replyFrom: "kinds.optional")
        #expect(try Kinds.Client(ch).optional(40, 2) == 42)
        try expectRequest(ch, "kinds.optional")
        ch = try client(replyFrom: "kinds.optional.none")
        #expect(try Kinds.Client(ch).optional(40) == 40)
        try expectRequest(ch, "kinds.optional.none")

        ch = try client(replyFrom: "kinds.caps")
        #expect(try Kinds.Client(ch).caps(.capability(0x5000, rights: Fpage.capRWS), .capability(0x6000, rights: Fpage.capRW), 3) == 15)
        try expectRequest(ch, "kinds.caps")
        ch = try client(replyFrom: "kinds.caps.one")
        #expect(try Kinds.Client(ch).caps(.capability(0x5000, rights: Fpage.capRWS), nil, 3) == 13)
        try expectRequest(ch, "kinds.caps.one")

        struct Slot: CapabilitySlot { var capIndex: UInt }
        ch = try client(replyFrom: "kinds.give")
        #expect(try Kinds.Client(ch).give(into: Slot(capIndex: 0x7000)) == 0)
        try expectRequest(ch, "kinds.give")
        try expectBuffers(ch, "kinds.give")

        ch = try client(replyFrom: "kinds.lookup")
        let fp = try Kinds.Client(ch).lookup(into: Slot(capIndex: 0x7000))
        #expect(fp == SndFpage(base: 8, data: Fpage.object(0x9000, rights: Fpage.capR)))
        try expectRequest(ch, "kinds.lookup")
        try expectBuffers(ch, "kinds.lookup")

        // a -L4_EPERM reply is that error
        ch = try client(replyFrom: "kinds.lookup.readonly")
        #expect(throws: L4Error.code(-L4Err.perm)) { try Kinds.Client(ch).lookup(into: Slot(capIndex: 0x7000)) }
    }

    /// Does what the C++ server in marshal.cc does (for Kinds and, through its base, Kinds_more).
    struct KindsServer: KindsBehaviour {
        var tripled: [UInt32] = []
        var scratch: [Point] = []
        var words: [UInt16] = []
        var noted: UInt32 = 0
    }
    struct MoreServer: KindsBehaviour, Kinds_more.Server {
        var tripled: [UInt32] = []
        var scratch: [Point] = []
        var words: [UInt16] = []
        var noted: UInt32 = 0
        func extra(_ a: UInt32) throws(L4Error) -> UInt32 { a &* 7 }
    }

    @Test func structsWindowsAndSendOnly() throws {
        var ch = try client(replyFrom: "kinds.structs")
        let r = try Kinds.Client(ch).structs(Point(x: -3, y: 70000, f: true), Point(x: 10, y: 20, f: false))
        #expect(r.out == Point(x: -2, y: 140_000, f: false) && r.io == Point(x: 7, y: -69_980, f: true))
        try expectRequest(ch, "kinds.structs")
        #expect(Point.wireSize == 12 && Point.wireAlignment == 4)

        ch = try client(replyFrom: "kinds.window")
        let fp = try Kinds.Client(ch).window(2, window: .window(Fpage.memory(0x4000_0000, order: 28, rights: 0)))
        #expect(fp == SndFpage(base: 8, data: 0x40_0556))
        try expectRequest(ch, "kinds.window")
        try expectBuffers(ch, "kinds.window")

        // an array of structs in, a Ret_array of structs back (its count is the return code)
        ch = try client(replyFrom: "kinds.points")
        let pts = [Point(x: 1, y: 100, f: false), Point(x: 2, y: 200, f: true), Point(x: 3, y: 300, f: false)]
        let back = try pts.withUnsafeBufferPointer { try Array(Kinds.Client(ch).points($0)) }
        #expect(back == [Point(x: 3, y: 301, f: true), Point(x: 2, y: 201, f: false), Point(x: 1, y: 101, f: true)])
        try expectRequest(ch, "kinds.points")
        ch = try client(replyFrom: "kinds.words")
        #expect(Array(try Kinds.Client(ch).words(5)) == [1, 1001, 2001, 3001, 4001])
        try expectRequest(ch, "kinds.words")

        // send-only: the request goes out through send, nothing is read back
        ch = W.Recorder()
        try Kinds.Client(ch).note(77)
        try expectRequest(ch, "kinds.note")
    }

    /// A struct whose array length C computes with `sizeof` in a macro, derived from a C struct and an
    /// empty helper class (as `L4Re::Event_stream_info`): laid out and copied as C++ does.
    @Test func structWithComputedArrayLength() throws {
        #expect(Stream_info.wireSize == 40 && Stream_info.wireAlignment == 8)
        let ch = try client(replyFrom: "kinds.stream")
        let info = try Kinds.Client(ch).stream(5)
        try expectRequest(ch, "kinds.stream")
        #expect(info.id == 0x1005 && info.bus == 0x11 && info.bits.0 == 1 << 5 && info.bits.1 == 0 && info.bits.2 == 3)
        #expect([info.name.0, info.name.1, info.name.2, info.name.3] == [0x6b, 0x62, 0x64, 0])   // "kbd"
    }

    /// A channel written before send-only RPCs (no `send` of its own) refuses them instead of waiting.
    @Test func channelWithoutSendRefusesSendOnly() throws {
        final class CallOnly: RpcChannel {
            let mem = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
            deinit { mem.deallocate() }
            var messageRegisters: UnsafeMutableRawPointer { mem }
            var bufferRegisters: UnsafeMutablePointer<UInt> { (mem + 512).assumingMemoryBound(to: UInt.self) }
            func resetBufferDescriptor() {}
            func call(_ tag: MsgTag) throws(L4Error) -> MsgTag { Issue.record("a send-only RPC called"); return tag }
        }
        #expect(throws: L4Error.code(-L4Err.nosys)) { try Kinds.Client(CallOnly()).note(1) }
    }

    @Test func derivedInterfaceClient() throws {
        let ch = try client(replyFrom: "more.extra")
        #expect(try Kinds_more.Client(ch).extra(6) == 42)
        try expectRequest(ch, "more.extra")
        // the base's RPCs through the same capability
        let base = try client(replyFrom: "kinds.scalars")
        _ = try Kinds_more.Client(base).asKinds.scalars(true, 200, -300, 70000, -5_000_000_000)
        try expectRequest(base, "kinds.scalars")
    }

    /// A server of the derived interface answers its own protocol, its base's, and the meta protocol naming both.
    @Test(arguments: ["more.extra", "more.kinds.scalars", "more meta.num_interfaces", "more meta.interface0",
                      "more meta.interface1", "more meta.interface2", "more meta.supports.base", "more meta.supports.other"])
    func derivedServerAnswersAsEpiface(_ name: String) throws {
        var s = MoreServer()
        try answer(&s, name)
    }

    /// The server's reply to the request C++ recorded for `name`, against C++'s reply (the bytes at `padding`,
    /// a struct's padding, not compared: neither language keeps it).
    func answer<S: RpcHandler>(_ s: inout S, _ name: String, rights: UInt = 3, padding: Set<Int> = []) throws {
        let req = try #require(W.recorded["request server " + name]), want = try #require(W.recorded["server " + name])
        let mem = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { mem.deallocate() }
        mem.initializeMemory(as: UInt8.self, repeating: 0, count: 512)
        req.bytes.withUnsafeBytes { mem.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        var slots: [UInt] = [0x9000, 0xa000]
        let tag = slots.withUnsafeMutableBufferPointer { sl in
            s.handle(RpcRequest(tag: MsgTag(label: req.label, words: req.words, items: req.items), rights: rights,
                                mr: mem, slots: UnsafePointer(sl.baseAddress), slotCount: 2))
        }
        #expect(tag.label == want.label && tag.words == want.words && tag.items == want.items,
                "\(name): reply \(tag.label)/\(tag.words)/\(tag.items), C++ \(want.label)/\(want.words)/\(want.items)")
        let masked = { (b: [UInt8]) in b.indices.map { padding.contains($0) ? 0 : b[$0] } }
        #expect(masked(Array(UnsafeRawBufferPointer(start: mem, count: want.bytes.count))) == masked(want.bytes), "\(name): reply bytes")
    }

    @Test(arguments: ["kinds.scalars", "kinds.arrays", "kinds.strings", "kinds.optional", "kinds.optional.none",
                      "kinds.caps", "kinds.caps.one", "kinds.give", "kinds.lookup", "kinds.lookup.readonly",
                      "kinds.structs", "kinds.window", "kinds.note", "kinds.points", "kinds.words", "kinds.stream"])
    func serverAnswersAsEpiface(_ name: String) throws {
        var s = KindsServer()
        try answer(&s, name, rights: name.hasSuffix("readonly") ? 0 : 3)
    }
}

/// The C++ server's behaviour in marshal.cc, for both servers of the tests.
protocol KindsBehaviour: Kinds.Server {
    var tripled: [UInt32] { get set }
    var scratch: [Point] { get set }
    var words: [UInt16] { get set }
    var noted: UInt32 { get set }
}

extension KindsBehaviour {
    func scalars(_ f: Bool, _ u8: UInt8, _ s16: Int16, _ u32: UInt32, _ s64: Int64) throws(L4Error) -> (nf: Bool, u16: UInt16) {
        (!f, UInt16(truncatingIfNeeded: Int64(u8) &+ Int64(s16) &+ Int64(u32) &+ s64))
    }
    mutating func arrays(_ input: UnsafeBufferPointer<UInt16>) throws(L4Error) -> UnsafeBufferPointer<UInt32> {
        tripled = input.map { UInt32($0) &* 3 }
        return tripled.withUnsafeBufferPointer { $0 }   // the array lives in the server until the reply is written
    }
    func strings(_ input: UnsafeBufferPointer<UInt8>) throws(L4Error) -> (code: Int, out: UnsafeBufferPointer<UInt8>) {
        let s: StaticString = input.first == UInt8(ascii: "p") ? "pong" : "?"
        return (input.count + 1, UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
    // C++ servers see an absent optional input as a zero; Swift gets nil.
    func optional(_ first: UInt64, _ maybe: UInt32?) throws(L4Error) -> UInt? { UInt(first) + UInt(maybe ?? 0) }
    func caps(_ a: ReceivedCap, _ b: ReceivedCap?, _ x: UInt32) throws(L4Error) -> Int {
        (a.isValid ? 1 : 0) + (b?.isValid == true ? 2 : 0) + 4 * Int(x)
    }
    func give() throws(L4Error) -> SndFpage { .capability(0x8000, rights: Fpage.capRW) }
    func lookup() throws(L4Error) -> SndFpage { SndFpage(base: 8, data: Fpage.object(0x9000, rights: Fpage.capR)) }
    func structs(_ input: Point, _ io: Point) throws(L4Error) -> (out: Point, io: Point) {
        (Point(x: input.x &+ 1, y: input.y &* 2, f: !input.f), Point(x: io.x &+ input.x, y: io.y &- input.y, f: input.f))
    }
    func window(_ n: UInt32) throws(L4Error) -> SndFpage { .memory(Fpage.memory(0x20_0000 * UInt(n), order: 21, rights: Fpage.memRW)) }
    mutating func note(_ v: UInt32) throws(L4Error) { noted = v }
    mutating func points(_ input: WireArray<Point>) throws(L4Error) -> UnsafeBufferPointer<Point> {
        let reversed = input.reversed().map { Point(x: $0.x, y: $0.y &+ 1, f: !$0.f) }
        scratch = reversed
        return scratch.withUnsafeBufferPointer { $0 }   // kept in the server until the reply is written
    }
    func stream(_ idx: Int32) throws(L4Error) -> Stream_info {
        Stream_info(id: 0x1000 + UInt(idx), name: (0x6b, 0x62, 0x64, 0, 0, 0), bus: 0x11, bits: (1 << UInt(idx), 0, 3))
    }
    mutating func words(_ n: UInt32) throws(L4Error) -> UnsafeBufferPointer<UInt16> {
        words = (0..<Int(min(n, 100))).map { UInt16(truncatingIfNeeded: $0 * 1000 + 1) }
        return words.withUnsafeBufferPointer { $0 }
    }
}

extension Point: Equatable {
    public static func == (a: Point, b: Point) -> Bool { a.x == b.x && a.y == b.y && a.f == b.f }
}
