import Testing
import L4Wire

/// `L4::Ipc::Varg` lists (`L4::Factory::create`, which `L4Re::Mem_alloc::alloc` sends): the client
/// generated from kinds.h's `Factory` against L4Re's own `L4::Factory` (its `S` stream, as
/// Mem_alloc::alloc uses it, and the RPC framework with a `Varg` array), and the generated server
/// against an `L4::Epiface` server reading a `Varg_list_ref`, byte for byte (cpp-wire.txt).
@Suite struct VargTests {
    typealias W = GeneratedWireTests
    struct Slot: CapabilitySlot { var capIndex: UInt }

    func channel(_ server: String) throws -> W.Recorder {
        let ch = W.Recorder()
        ch.reply = try #require(W.recorded["server " + server], "no 'server \(server)' in cpp-wire.txt")
        return ch
    }

    func expectRequest(_ ch: W.Recorder, _ name: String) throws {
        let want = try #require(W.recorded["client " + name], "no 'client \(name)' in cpp-wire.txt")
        let tag = try #require(ch.sent)
        #expect(tag.label == want.label && tag.words == want.words && tag.items == want.items,
                "\(name): \(tag.label)/\(tag.words)/\(tag.items) against C++ \(want.label)/\(want.words)/\(want.items)")
        #expect(Array(ch.sentBytes.prefix(want.bytes.count)) == want.bytes, "\(name): request bytes")
    }

    /// The capability the C++ server returns tells what it read: index `n << 16 | hash & 0xffff`.
    static func cap(_ n: Int, _ hash: UInt) -> SndFpage {
        .capability((UInt(n) << 16 | hash & 0xffff) << CapIndex.shift, rights: Fpage.capRW)
    }

    @Test func memAllocRequestIsCppsBytes() throws {
        // Mem_alloc::alloc(size, mem, flags, align): create(mem, Dataspace::Protocol) << mword size << umword flags << umword align
        // (0x4000: L4Re::Dataspace::Protocol)
        let ch = try channel("factory.create")
        let code = try Factory.Client(ch).create(into: Slot(capIndex: 0x7000), 0x4000, .mword(1 << 20), .umword(3), .umword(21))
        #expect(code == 0)
        try expectRequest(ch, "factory.create")
        let br = (0..<3).map { ch.bufferRegisters[$0] }
        #expect(br == W.bufferWords["factory.create"], "buffer registers \(br.map { String($0, radix: 16) })")

        // with Fixed_paddr, a fourth value
        let p = try channel("factory.create.paddr")
        try Factory.Client(p).create(into: Slot(capIndex: 0x7000), 0x4000, .mword(-4096), .umword(0x40), .umword(12), .umword(0x100_0000))
        try expectRequest(p, "factory.create.paddr")
    }

    @Test func everyVargKind() throws {
        let name: StaticString = "name", empty: StaticString = ""
        let letters = Array("abcdefghij".utf8)
        let ch = try channel("factory.create.kinds")
        try letters.withUnsafeBufferPointer { l throws(L4Error) in
            try Factory.Client(ch).create(
                into: Slot(capIndex: 0x7000), 0x42,
                .string(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)),
                .lstr(l), .fpage(Fpage.memory(0x4000_0000, order: 21, rights: Fpage.memRW)),
                .string(UnsafeBufferPointer(start: empty.utf8Start, count: 0)), .mword(-5))
        }
        try expectRequest(ch, "factory.create.kinds")

        // a nil value (L4::Factory::Nil), a list of none
        let n = try channel("factory.create.nil")
        try Factory.Client(n).create(into: Slot(capIndex: 0x7000), 0x42, .umword(1), .nilValue, .umword(9))
        try expectRequest(n, "factory.create.nil")
        let none = try channel("factory.create.none")
        try Factory.Client(none).create(into: Slot(capIndex: 0x7000), 0x42)
        try expectRequest(none, "factory.create.none")

        // a sequence (here an array) takes the same path as the values written out
        let seq = try channel("factory.create.rpc")
        let list: [Varg] = [.mword(1 << 20), .string(UnsafeBufferPointer(start: name.utf8Start, count: 4)), .umword(21)]
        try Factory.Client(seq).create(into: Slot(capIndex: 0x7000), 0x42, list)
        try expectRequest(seq, "factory.create.rpc")
    }

    @Test func errorRepliesThrow() throws {
        let ch = try channel("factory.create.refused")
        #expect(throws: L4Error.code(-19)) { try Factory.Client(ch).create(into: Slot(capIndex: 0x7000), 0x44, .umword(1)) }
    }

    @Test func tooLongForTheRegistersIsRefused() throws {
        let big = [UInt8](repeating: 0x61, count: 600)
        let ch = W.Recorder()
        #expect(throws: L4Error.code(-L4Err.msgTooLong)) {
            try big.withUnsafeBufferPointer { b throws(L4Error) in try Factory.Client(ch).create(into: Slot(capIndex: 0x7000), 1, .lstr(b)) }
        }
        // 62 words of values fit after the object word; one more does not
        #expect(ch.sent == nil)
        let fits = [Varg](repeating: .umword(1), count: 31)
        try Factory.Client(ch).create(into: Slot(capIndex: 0x7000), 1, fits)
        #expect(ch.sent?.words == 63)
        #expect(throws: L4Error.code(-L4Err.msgTooLong)) { try Factory.Client(ch).create(into: Slot(capIndex: 0x7000), 1, fits + [.nilValue]) }
    }

    /// Reads the list as the C++ server in marshal.cc does and returns the same capability.
    struct FactoryServer: Factory.Server {
        var seen: [Varg] = []
        mutating func create(_ obj: Int, _ args: VargList) throws(L4Error) -> SndFpage {
            if obj == 0x44 { throw .code(-19) }
            var h = UInt(bitPattern: obj), n = 0
            for a in args {
                n += 1
                seen.append(a)
                h = h &* 31 &+ UInt(a.type) &+ 7 &* UInt(a.length)
                switch a {
                case .mword(let v): h = h &* 31 &+ UInt(bitPattern: v)
                case .umword(let v), .fpage(let v): h = h &* 31 &+ v
                case .lstr(let s): for c in s { h = h &* 31 &+ UInt(c) }
                case .string, .nilValue, .other: break
                }
            }
            return VargTests.cap(n, h)
        }
    }

    @Test(arguments: ["factory.create", "factory.create.paddr", "factory.create.kinds", "factory.create.nil",
                      "factory.create.none", "factory.create.refused", "factory.create.readonly", "factory.create.rpc",
                      "factory.bad.truncated", "factory.bad.hugelength", "factory.bad.noobj"])
    func serverAnswersAsEpiface(_ name: String) throws {
        var s = FactoryServer()
        let req = try #require(W.recorded["request server " + name]), want = try #require(W.recorded["server " + name])
        let mem = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { mem.deallocate() }
        mem.initializeMemory(as: UInt8.self, repeating: 0, count: 512)
        req.bytes.withUnsafeBytes { mem.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let rights: UInt = name.hasSuffix("readonly") ? 1 : 3
        let tag = s.handle(RpcRequest(tag: MsgTag(label: req.label, words: req.words, items: req.items), rights: rights, mr: mem))
        #expect(tag.label == want.label && tag.words == want.words && tag.items == want.items,
                "\(name): reply \(tag.label)/\(tag.words)/\(tag.items), C++ \(want.label)/\(want.words)/\(want.items)")
        #expect(Array(UnsafeRawBufferPointer(start: mem, count: want.bytes.count)) == want.bytes, "\(name): reply bytes")
    }

    /// What the server's list holds for the recorded requests: values in order, strings with the bytes
    /// the client sent (a C string's terminator included), the list ending at a nil tag.
    @Test func serverSeesTheValues() throws {
        func seen(_ name: String) throws -> [String] {
            var s = FactoryServer()
            let req = try #require(W.recorded["request server " + name])
            var bytes = req.bytes + [UInt8](repeating: 0, count: 512 - req.bytes.count)
            return bytes.withUnsafeMutableBytes { m in
                _ = s.handle(RpcRequest(tag: MsgTag(label: req.label, words: req.words, items: 0), rights: 3, mr: m.baseAddress!))
                return s.seen.map { v in
                    switch v {
                    case .mword(let x): return "m\(x)"
                    case .umword(let x): return "u\(x)"
                    case .fpage(let x): return "f\(String(x, radix: 16))"
                    case .lstr(let b): return "s" + String(decoding: b, as: UTF8.self).replacingOccurrences(of: "\0", with: "\\0")
                    case .string: return "?"
                    case .nilValue: return "nil"
                    case .other(let t, let b): return "o\(t)/\(b.count)"
                    }
                }
            }
        }
        #expect(try seen("factory.create") == ["m1048576", "u3", "u21"])
        #expect(try seen("factory.create.kinds") == ["sname\\0", "sabcdefghij", "f40000556", "s\\0", "m-5"])
        #expect(try seen("factory.create.nil") == ["u1"])
        #expect(try seen("factory.create.none") == [])
        #expect(try seen("factory.bad.hugelength") == ["m5", "s"])
    }

    /// The list read in place: a word value of another length is `.other`; a value running past the end ends the list.
    @Test func listEdges() throws {
        var words: [UInt] = [0x81 | 4 << 16, 0xffff_ffff, 0x07 | 3 << 16, 0x0a0b0c, 0x01 | 8 << 16]
        words.withUnsafeMutableBytes { m in
            let list = VargList(start: m.baseAddress!, end: m.baseAddress! + m.count)
            let got = Array(list)
            #expect(got.count == 2)
            if case .other(let t, let b) = got[0] { #expect(t == 0x81 && Array(b) == [0xff, 0xff, 0xff, 0xff]) } else { Issue.record("\(got[0])") }
            if case .other(let t, let b) = got[1] { #expect(t == 0x07 && Array(b) == [0x0c, 0x0b, 0x0a]) } else { Issue.record("\(got[1])") }
        }
        // through the reader: a tag whose bytes run past the message is a short message
        var bad: [UInt] = [0x02 | 9 << 16, 0]
        bad.withUnsafeMutableBytes { m in
            var r = MessageReader(UnsafeRawPointer(m.baseAddress!), limit: 16)
            #expect(throws: L4Error.code(-L4Err.msgTooShort)) { _ = try r.getVargList() }
            var ok = MessageReader(UnsafeRawPointer(m.baseAddress!), limit: 16)
            m.storeBytes(of: UInt(0x02 | 8 << 16), toByteOffset: 0, as: UInt.self)
            #expect((try? ok.getVargList()).map { Array($0).count } == 1)
        }
    }

    @Test func equality() {
        let a: [UInt8] = [1, 2], b: [UInt8] = [1, 2]
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in
            #expect(Varg.lstr(x) == .lstr(y) && Varg.string(x) == .string(y) && Varg.string(x) != .lstr(y))
            #expect(Varg.string(x).length == 3 && Varg.lstr(x).length == 2 && Varg.nilValue.length == 0)
        } }
        #expect(Varg.mword(-1) != .umword(UInt.max) && Varg.fpage(5) == .fpage(5))
    }
}
