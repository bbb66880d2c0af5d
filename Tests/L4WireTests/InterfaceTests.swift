import Testing
@testable import L4Wire

/// The example and benchmark interfaces, against the bytes L4Re's C++
/// marshalling produces for the same calls (`Clnt_xmit<T>::to_msg` over the
/// signatures in demo.h and bench.h, compiled against an L4Re build).
@Suite struct InterfaceTests {
    func bytes(_ hex: String) -> [UInt8] { hex.split(separator: " ").map { UInt8($0, radix: 16)! } }

    func request(_ op: Int32, _ body: (inout MessageWriter) throws(L4Error) -> Void) throws -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: UtcbLayout.mrBytes)
        return try buf.withUnsafeMutableBytes { raw in
            var w = MessageWriter(raw.baseAddress!)
            try w.put(op)
            try body(&w)
            return Array(raw[0..<w.offset])
        }
    }

    @Test func demoMixRequest() throws {
        let got = try request(DemoInterface.Op.mix.rawValue) { (w: inout MessageWriter) throws(L4Error) in
            try DemoInterface.writeMix(&w, a: -7, b: 1_000_000_007, c: -3)
        }
        #expect(got == bytes("00 00 00 00 f9 ff ff ff 07 ca 9a 3b 00 00 00 00 fd"))
        // and the server reads back what the client wrote
        try got.withUnsafeBytes { raw in
            var (op, r) = try Rpc.decodeRequest(tag: MsgTag(label: DemoInterface.proto, words: 3, items: 0),
                                                proto: DemoInterface.proto, mr: raw.baseAddress!)
            #expect(op == DemoInterface.Op.mix.rawValue)
            let (a, b, c) = try DemoInterface.readMix(&r)
            #expect(DemoInterface.mix(a, b, c) == -7_000_000_052)
        }
    }

    @Test func benchPingRequest() throws {
        let data: [UInt64] = [5, 0x1122_3344_5566_7788]
        let got = try data.withUnsafeBufferPointer { d in
            try request(BenchInterface.Op.ping.rawValue) { (w: inout MessageWriter) throws(L4Error) in try BenchInterface.writePing(&w, d) }
        }
        #expect(got == bytes("00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 88 77 66 55 44 33 22 11"))
        #expect(got.count / 8 == BenchInterface.pingRequestWords(2))
        let back = try got.withUnsafeBytes { raw in
            var r = MessageReader(raw.baseAddress!, limit: got.count, offset: 4)
            return Array(try BenchInterface.readPing(&r))
        }
        #expect(back == data)
    }

    @Test func benchShareRequestAndReply() throws {
        let got = try request(BenchInterface.Op.share.rawValue) { (w: inout MessageWriter) throws(L4Error) in
            try BenchInterface.writeShare(&w, size: 65536)
        }
        #expect(got == bytes("02 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00"))
        var buf = [UInt8](repeating: 0, count: 64)
        try buf.withUnsafeMutableBytes { raw in
            var w = MessageWriter(raw.baseAddress!)
            let v = BenchInterface.ShareReply(sum: 1, attach: 2, touch: 3, detach: 4)
            try BenchInterface.writeShareReply(&w, v)
            #expect(w.words == 4)
            var r = MessageReader(UnsafeRawPointer(raw.baseAddress!), limit: 32)
            let back = try BenchInterface.readShareReply(&r)
            #expect(back == v)
        }
    }

    @Test func maxPingFillsTheRegisters() throws {
        let data = [UInt64](repeating: 1, count: BenchInterface.maxPingWords)
        let got = try data.withUnsafeBufferPointer { d in
            try request(BenchInterface.Op.ping.rawValue) { (w: inout MessageWriter) throws(L4Error) in try BenchInterface.writePing(&w, d) }
        }
        #expect(got.count == UtcbLayout.mrBytes)
        let tooMany = [UInt64](repeating: 1, count: BenchInterface.maxPingWords + 1)
        #expect(throws: L4Error.code(-L4Err.msgTooLong)) {
            _ = try tooMany.withUnsafeBufferPointer { d in
                try request(BenchInterface.Op.ping.rawValue) { (w: inout MessageWriter) throws(L4Error) in try BenchInterface.writePing(&w, d) }
            }
        }
    }

    @Test func fnv1aMatchesTheCxxHelper() {
        // L4swift::fnv1a("capabilities, not ambient authority") as the C++ demo client computed it on L4Re
        let s = Array("capabilities, not ambient authority".utf8)
        #expect(s.withUnsafeBufferPointer { DemoInterface.fnv1a($0) } == 851_663_553)
    }
}
