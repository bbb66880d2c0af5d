import Foundation
import Testing
import L4Wire

/// The Swift that l4swift-gen writes for demo.h and bench.h (generated at
/// build time by the package plugin) against L4Re's own C++ marshalling of
/// the same declarations (Tests/Fixtures/wire/cpp-wire.txt, recorded by
/// scripts/wire-fixtures.sh from an L4Re build): requests byte for byte,
/// replies of an `L4::Epiface` server byte for byte, the meta protocol and
/// the error codes of malformed requests.
@Suite struct GeneratedWireTests {
    struct Line { var label: Int; var words: Int; var items: Int; var bytes: [UInt8] }

    /// "client demo.mix", "server demo.mix", "request demo.mix" → the recorded message.
    static let recorded: [String: Line] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/wire/cpp-wire.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var out: [String: Line] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("buffers ") && !line.hasPrefix("sizes ") {
            let halves = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let head = halves[0].split(separator: " ")
            func field(_ k: String) -> Int { Int(head.first { $0.hasPrefix(k + "=") }!.dropFirst(k.count + 1))! }
            let name = head.prefix { !$0.contains("=") }.joined(separator: " ")
            let bytes = halves[1].split(separator: " ").map { UInt8($0, radix: 16)! }
            out[name] = Line(label: field("label"), words: field("words"), items: field("items"), bytes: bytes)
        }
        return out
    }()

    /// "buffers NAME": the first three buffer registers a C++ client set up.
    static let bufferWords: [String: [UInt]] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/wire/cpp-wire.txt")
        var out: [String: [UInt]] = [:]
        for line in ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n") where line.hasPrefix("buffers ") {
            let halves = line.split(separator: ":", maxSplits: 1)
            let name = String(halves[0].split(separator: " ")[1])
            out[name] = halves[1].split(separator: " ").map { UInt($0, radix: 16)! }
        }
        return out
    }()

    /// "sizes NAME a=size/alignment ...": the layouts C++ gave the C types a fixture passes (ctypes.h).
    static let sizes: [String: String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/wire/cpp-wire.txt")
        var out: [String: String] = [:]
        for line in ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n") where line.hasPrefix("sizes ") {
            let parts = line.split(separator: " ", maxSplits: 2)
            if parts.count == 3 { out[String(parts[1])] = String(parts[2]) }
        }
        return out
    }()

    func recorded(_ name: String) throws -> Line {
        try #require(Self.recorded[name], "no '\(name)' in cpp-wire.txt")
    }

    /// A channel that keeps the request and answers with a recorded reply.
    final class Recorder: RpcChannel {
        let mem = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
        var sent: MsgTag?
        var sentBytes: [UInt8] = []
        var reply: Line?
        init() { mem.initializeMemory(as: UInt8.self, repeating: 0, count: 1024) }
        deinit { mem.deallocate() }
        var messageRegisters: UnsafeMutableRawPointer { mem }
        var bufferRegisters: UnsafeMutablePointer<UInt> { (mem + 512).assumingMemoryBound(to: UInt.self) }
        func resetBufferDescriptor() {}
        func call(_ tag: MsgTag) throws(L4Error) -> MsgTag {
            sent = tag
            let n = min(tag.words + 2 * tag.items, 63) * 8
            sentBytes = Array(UnsafeRawBufferPointer(start: mem, count: n))
            guard let reply else { return MsgTag(label: 0, words: 0, items: 0) }
            reply.bytes.withUnsafeBytes { mem.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            return MsgTag(label: reply.label, words: reply.words, items: reply.items)
        }
        /// A send-only request: kept as a call's is; nothing comes back.
        func send(_ tag: MsgTag) throws(L4Error) {
            sent = tag
            let n = min(tag.words + 2 * tag.items, 63) * 8
            sentBytes = Array(UnsafeRawBufferPointer(start: mem, count: n))
        }
    }

    func expectRequest(_ ch: Recorder, _ name: String, proto: Int) throws {
        let want = try recorded("client " + name)
        let tag = try #require(ch.sent)
        #expect(tag.label == want.label && tag.label == proto, "\(name): label")
        #expect(tag.words == want.words && tag.items == want.items, "\(name): \(tag.words) words, \(tag.items) items; C++ \(want.words), \(want.items)")
        // The padding after the last value is whatever the registers held: compare what C++ wrote.
        #expect(Array(ch.sentBytes.prefix(want.bytes.count)) == want.bytes, "\(name): request bytes")
    }

    func client(replyFrom server: String) throws -> Recorder {
        let ch = Recorder()
        ch.reply = try recorded("server " + server)
        return ch
    }

    // MARK: clients: the same bytes as L4_INLINE_RPC, and the C++ server's replies decoded

    @Test func demoClientRequestsAndReplies() throws {
        var ch = try client(replyFrom: "demo.mix")
        #expect(try Demo.Client(ch).mix(-7, 1_000_000_007, -3) == -7_000_000_052)
        try expectRequest(ch, "demo.mix", proto: Demo.proto)

        ch = try client(replyFrom: "demo.mix.max")
        #expect(try Demo.Client(ch).mix(Int32.max, UInt64.max, 127) == Int64(Int32.max) &* -1 &+ 127)
        try expectRequest(ch, "demo.mix.max", proto: Demo.proto)

        let text: StaticString = "capabilities, not ambient authority"
        ch = try client(replyFrom: "demo.measure")
        let m = try Demo.Client(ch).measure(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        #expect(m.length == 35 && m.hash == DemoInterface.fnv1a(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)))
        try expectRequest(ch, "demo.measure", proto: Demo.proto)

        ch = try client(replyFrom: "demo.measure.empty")
        let e = try Demo.Client(ch).measure(UnsafeBufferPointer(start: nil, count: 0))
        #expect(e.length == 0 && e.hash == 2_166_136_261)
        try expectRequest(ch, "demo.measure.empty", proto: Demo.proto)

        ch = try client(replyFrom: "demo.trigger")
        #expect(try Demo.Client(ch).trigger(.capability(0x5000, rights: Fpage.capRWS)) == 0)
        try expectRequest(ch, "demo.trigger", proto: Demo.proto)

        ch = try client(replyFrom: "demo.sum_ds")
        #expect(try Demo.Client(ch).sumDs(.capability(0x6000, rights: Fpage.capRW), 65536) == 131_072)
        try expectRequest(ch, "demo.sum_ds", proto: Demo.proto)

        // a C++ error reply becomes the error, as return_err does
        ch = try client(replyFrom: "demo.sum_ds.nocap")
        #expect(throws: L4Error.code(-L4Err.inval)) { try Demo.Client(ch).sumDs(.capability(0x6000, rights: Fpage.capRW), 65536) }
    }

    @Test func benchClientRequestsAndReplies() throws {
        let words: [UInt64] = [5, 0x1122_3344_5566_7788, 1]
        var ch = try client(replyFrom: "bench.ping")
        let s = try words.withUnsafeBufferPointer { try Bench.Client(ch).ping($0) }
        #expect(s == words.reduce(0, &+))
        try expectRequest(ch, "bench.ping", proto: Bench.proto)

        ch = try client(replyFrom: "bench.ping.empty")
        #expect(try Bench.Client(ch).ping(UnsafeBufferPointer(start: nil, count: 0)) == 0)
        try expectRequest(ch, "bench.ping.empty", proto: Bench.proto)

        ch = try client(replyFrom: "bench.map_cap")
        try Bench.Client(ch).mapCap(.capability(0x7000, rights: Fpage.capRWS))
        try expectRequest(ch, "bench.map_cap", proto: Bench.proto)

        ch = try client(replyFrom: "bench.share")
        let r = try Bench.Client(ch).share(.capability(0x6000, rights: Fpage.capRW), 1 << 20)
        #expect(r.sum == (1 << 20) + 1 && r.attachTicks == 2 && r.touchTicks == 3 && r.detachTicks == 4)
        try expectRequest(ch, "bench.share", proto: Bench.proto)

        let text: StaticString = "a string of the ipc.str benchmark"
        ch = try client(replyFrom: "bench.str")
        #expect(try Bench.Client(ch).str(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)) == 33)
        try expectRequest(ch, "bench.str", proto: Bench.proto)
    }

    /// A reply shorter than the declaration is too short, as for a C++ client.
    @Test func shortReplyIsAnError() throws {
        let ch = Recorder()
        ch.reply = Line(label: 0, words: 0, items: 0, bytes: [])
        #expect(throws: L4Error.code(-L4Err.msgTooShort)) { try Demo.Client(ch).mix(1, 2, 3) }
    }

    // MARK: servers: the same replies as L4::Epiface, errors included

    /// Does what the C++ servers in marshal.cc do.
    struct DemoServer: Demo.Server {
        func mix(_ a: Int32, _ b: UInt64, _ c: Int8) throws(L4Error) -> Int64 { DemoInterface.mix(a, b, c) }
        func measure(_ s: UnsafeBufferPointer<UInt8>) throws(L4Error) -> (length: UInt32, hash: UInt32) {
            (UInt32(s.count), DemoInterface.fnv1a(s))
        }
        func trigger(_ irq: ReceivedCap) throws(L4Error) -> Int {
            guard irq.isValid else { throw .code(-L4Err.inval) }
            return 0
        }
        func sumDs(_ ds: ReceivedCap, _ size: UInt64) throws(L4Error) -> UInt64 {
            guard ds.isValid else { throw .code(-L4Err.inval) }
            return size &* 2
        }
    }

    struct BenchServer: Bench.Server {
        func ping(_ data: UnsafeBufferPointer<UInt64>) throws(L4Error) -> UInt64 { data.reduce(0, &+) }
        func mapCap(_ cap: ReceivedCap) throws(L4Error) -> Int {
            guard cap.isValid else { throw .code(-L4Err.inval) }
            return 0
        }
        func share(_ ds: ReceivedCap, _ size: UInt64) throws(L4Error)
            -> (sum: UInt64, attachTicks: UInt64, touchTicks: UInt64, detachTicks: UInt64) { (size + 1, 2, 3, 4) }
        func str(_ s: UnsafeBufferPointer<UInt8>) throws(L4Error) -> UInt64 { UInt64(s.count) }
    }

    /// Runs the recorded request through `server` and compares the reply with the C++ server's.
    func expectServer<S: RpcHandler>(_ server: inout S, _ name: String) throws {
        let req = try recorded("request server " + name), want = try recorded("server " + name)
        let mem = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { mem.deallocate() }
        mem.initializeMemory(as: UInt8.self, repeating: 0, count: 512)
        req.bytes.withUnsafeBytes { mem.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        var slots: [UInt] = [0x9000]
        let tag = slots.withUnsafeMutableBufferPointer { s in
            server.handle(RpcRequest(tag: MsgTag(label: req.label, words: req.words, items: req.items), rights: 3,
                                     mr: mem, slots: UnsafePointer(s.baseAddress), slotCount: 1))
        }
        #expect(tag.label == want.label, "\(name): reply label \(tag.label), C++ \(want.label)")
        #expect(tag.words == want.words && tag.items == want.items, "\(name): reply size")
        #expect(Array(UnsafeRawBufferPointer(start: mem, count: want.bytes.count)) == want.bytes, "\(name): reply bytes")
    }

    @Test(arguments: ["demo.mix", "demo.mix.max", "demo.measure", "demo.measure.empty", "demo.trigger", "demo.sum_ds",
                      "demo.sum_ds.nocap", "demo meta.num_interfaces", "demo meta.interface0", "demo meta.interface1",
                      "demo meta.supports.demo", "demo meta.supports.other", "demo meta.supports.zero", "demo meta.supports.meta",
                      "demo.bad.opcode", "demo.bad.proto", "demo.bad.noopcode", "demo.bad.mix.short",
                      "demo.bad.measure.long", "demo.bad.measure.zero", "demo.bad.trigger.noitem"])
    func demoServerAnswersAsEpiface(_ name: String) throws {
        var s = DemoServer()
        try expectServer(&s, name)
    }

    @Test(arguments: ["bench.ping", "bench.ping.empty", "bench.map_cap", "bench.share", "bench.str",
                      "bench.bad.ping.long", "bench.bad.ping.huge", "bench.bad.ping.short"])
    func benchServerAnswersAsEpiface(_ name: String) throws {
        var s = BenchServer()
        try expectServer(&s, name)
    }

    /// The received capability is handed over with the slot it landed in.
    @Test func receivedCapabilityCarriesItsSlot() throws {
        struct Probe: Demo.Server {
            var seen: ReceivedCap?
            func mix(_ a: Int32, _ b: UInt64, _ c: Int8) throws(L4Error) -> Int64 { 0 }
            func measure(_ s: UnsafeBufferPointer<UInt8>) throws(L4Error) -> (length: UInt32, hash: UInt32) { (0, 0) }
            mutating func trigger(_ irq: ReceivedCap) throws(L4Error) -> Int { seen = irq; return 7 }
            func sumDs(_ ds: ReceivedCap, _ size: UInt64) throws(L4Error) -> UInt64 { 0 }
        }
        var p = Probe()
        let req = try recorded("request server demo.trigger")
        var mem = req.bytes + [UInt8](repeating: 0, count: 512 - req.bytes.count)
        var slots: [UInt] = [0x4_2000]
        let tag = mem.withUnsafeMutableBytes { m in
            slots.withUnsafeMutableBufferPointer { s in
                p.handle(RpcRequest(tag: MsgTag(label: req.label, words: req.words, items: req.items), rights: 3,
                                    mr: m.baseAddress!, slots: UnsafePointer(s.baseAddress), slotCount: 1))
            }
        }
        #expect(tag.label == 7)
        #expect(p.seen?.slot == 0x4_2000 && p.seen?.isValid == true)
    }

    /// Random requests (any label, any tag, any bytes) never trap a generated
    /// server, and every reply is a code L4Re's C++ servers send or a success.
    @Test func randomRequestsGetCodesNotTraps() {
        struct SplitMix { var s: UInt64; mutating func next() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15; var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31) } }
        var rng = SplitMix(s: 42)
        let mem = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
        defer { mem.deallocate() }
        var slots: [UInt] = [0x9000]
        var demo = DemoServer(), bench = BenchServer()
        let allowed: Set<Int> = [0, 1, -L4Err.inval, -L4Err.range, -L4Err.nosys, -L4Err.badproto, -L4Err.msgTooShort, -L4Err.msgTooLong]
        var seen: Set<Int> = []
        for i in 0..<20_000 {
            for w in 0..<64 { mem.storeBytes(of: rng.next(), toByteOffset: w * 8, as: UInt64.self) }
            let r = rng.next()
            // small opcodes and lengths often enough to get past the first checks
            if r & 1 == 0 { mem.storeBytes(of: Int32(r >> 8 & 3), as: Int32.self) }
            if r & 2 == 0 { mem.storeBytes(of: UInt64(r >> 16 & 0x7f), toByteOffset: 8, as: UInt64.self) }
            let labels = [Demo.proto, Bench.proto, MetaProtocol.proto, Int(Int16(truncatingIfNeeded: r >> 24))]
            let tag = MsgTag(label: labels[Int(r >> 40 & 3)], words: Int(r >> 42 & 0x3f), items: Int(r >> 48 & 0x3f))
            let q = slots.withUnsafeMutableBufferPointer { s in
                RpcRequest(tag: tag, rights: UInt(r >> 56 & 3), mr: mem, slots: UnsafePointer(s.baseAddress), slotCount: 1)
            }
            let reply = i & 1 == 0 ? demo.handle(q) : bench.handle(q)
            seen.insert(reply.label)
            #expect(allowed.contains(reply.label) || reply.label > 0, "label \(reply.label) for \(tag)")
            #expect(reply.words + 2 * reply.items <= UtcbLayout.mrWords)
            if reply.label < 0 { #expect(reply.words == 0 && reply.items == 0) }
        }
        // every kind of answer came up
        #expect(seen.isSuperset(of: [0, 1, -L4Err.nosys, -L4Err.badproto, -L4Err.msgTooShort]), "\(seen.sorted())")
    }
}
