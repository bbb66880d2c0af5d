import Testing
@testable import L4Wire

/// Encodings produced by L4Re's own C++ marshalling (l4sys `cxx/ipc_*`,
/// compiled against the headers of an L4Re build, `Clnt_xmit<T>::to_msg`),
/// byte for byte. The Swift side must produce and accept exactly these.
@Suite struct WireFormatTests {
    func bytes(_ hex: String) -> [UInt8] { hex.split(separator: " ").map { UInt8($0, radix: 16)! } }

    func written(_ body: (inout MessageWriter) throws(L4Error) -> Void) throws -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: UtcbLayout.mrBytes)
        return try buf.withUnsafeMutableBytes { raw in
            var w = MessageWriter(raw.baseAddress!)
            try body(&w)
            return Array(raw[0..<w.offset])
        }
    }

    @Test func scalarsAreAlignedToThemselves() throws {
        // opcode int 1, int32 7, uint64 9, int8 -1, uint16 0x1234
        let got = try written { (w: inout MessageWriter) throws(L4Error) in
            try w.put(Int32(1)); try w.put(Int32(7)); try w.put(UInt64(9)); try w.put(Int8(-1)); try w.put(UInt16(0x1234))
        }
        #expect(got == bytes("01 00 00 00 07 00 00 00 09 00 00 00 00 00 00 00 ff 00 34 12"))
        var buf = got + [UInt8](repeating: 0, count: 4)
        buf.withUnsafeMutableBytes { raw in
            var r = MessageReader(raw.baseAddress!, limit: 24)
            #expect((try? r.get(Int32.self)) == 1)
            #expect((try? r.get(Int32.self)) == 7)
            #expect((try? r.get(UInt64.self)) == 9)
            #expect((try? r.get(Int8.self)) == -1)
            #expect((try? r.get(UInt16.self)) == 0x1234)
        }
    }

    @Test func stringCountsItsTerminator() throws {
        // opcode 2, L4::Ipc::String<>("hello"), uint8 0xaa
        let hello = Array("hello".utf8)
        let got = try hello.withUnsafeBufferPointer { s in
            try written { (w: inout MessageWriter) throws(L4Error) in
                try w.put(Int32(2)); try w.putString(s); try w.put(UInt8(0xaa))
            }
        }
        #expect(got == bytes("02 00 00 00 00 00 00 00 06 00 00 00 00 00 00 00 68 65 6c 6c 6f 00 aa"))
        got.withUnsafeBytes { raw in
            var r = MessageReader(raw.baseAddress!, limit: got.count)
            #expect((try? r.get(Int32.self)) == 2)
            let s = try? r.getString()
            #expect(s.map { Array($0) } == hello)
            #expect((try? r.get(UInt8.self)) == 0xaa)
        }
    }

    @Test func arrayHasAnUnsignedShortLength() throws {
        // uint8 5, L4::Ipc::Array<l4_uint32_t const>{1, 2, 3}
        let got = try [UInt32(1), 2, 3].withUnsafeBufferPointer { a in
            try written { (w: inout MessageWriter) throws(L4Error) in
                try w.put(UInt8(5)); try w.putArray(a, lengthType: UInt16.self)
            }
        }
        #expect(got == bytes("05 00 03 00 01 00 00 00 02 00 00 00 03 00 00 00"))
        got.withUnsafeBytes { raw in
            var r = MessageReader(raw.baseAddress!, limit: got.count)
            _ = try? r.get(UInt8.self)
            let a = try? r.getArray(UInt32.self, lengthType: UInt16.self)
            #expect(a.map { Array($0) } == [1, 2, 3])
        }
    }

    @Test func itemsAndTags() {
        // L4::Ipc::Snd_fpage(L4::Cap<void>(0x5000), L4_CAP_FPAGE_RWS)
        #expect(SndFpage.capability(0x5000, rights: Fpage.capRWS) == SndFpage(base: 0x8, data: 0x5037))
        // L4::Ipc::Cap<void>(cap 0x7000, L4_CAP_FPAGE_RWSD | L4_FPAGE_C_OBJ_RIGHTS).fpage()
        #expect(SndFpage.capability(0x7000, rights: Fpage.capRWSD | Fpage.capObjRights) == SndFpage(base: 0xe8, data: 0x703f))
        // L4::Ipc::Small_buf(L4::Cap<void>(0x6000))
        #expect(smallBuffer(cap: 0x6000) == 0x600a)
        // l4_obj_fpage(0x5000, 0, RW), l4_fpage(0x10000, 16, RW)
        #expect(Fpage.object(0x5000, rights: Fpage.capRW) == 0x5035)
        #expect(Fpage.memory(0x10000, order: 16, rights: Fpage.memRW) == 0x10416)
        // l4_msgtag(0x4c42, 3, 1, 0), l4_msgtag(-38, 0, 0, 0)
        #expect(MsgTag(label: 0x4c42, words: 3, items: 1).raw == 0x4c42_0043)
        let err = MsgTag(label: -38, words: 0, items: 0)
        #expect(UInt(bitPattern: err.raw) == 0xffff_ffff_ffda_0000)
        #expect(err.label == -38 && err.words == 0 && err.items == 0)
        // l4_ipc_to_errno(L4_IPC_RETIMEOUT) == -2003
        #expect(L4Error.ipc(IpcErr.receiveTimeout).code == -2003)
        #expect(L4Error(returnCode: -2003) == .ipc(IpcErr.receiveTimeout))
        #expect(L4Error(returnCode: -38) == .code(-38))
    }

    @Test func receivedCapabilityItemIsRecognised() {
        // The kernel rewrites a delivered capability's control word to 0x38 | ...
        #expect(SndFpage(base: 0x38, data: 0).capReceived)
        #expect(!SndFpage(base: 0x08, data: 0).capReceived)
    }
}

/// What an L4Re C++ server answers to bad requests, and the limits of a message.
@Suite struct WireErrorTests {
    @Test func readingPastTheTagIsTooShort() throws {
        var mr = [UInt64](repeating: 0, count: 4)
        mr[0] = 3  // opcode 3, and nothing else announced
        try mr.withUnsafeBytes { raw throws in
            var r = MessageReader(raw.baseAddress!, limit: MsgTag(label: 0x4c42, words: 1, items: 0).words * UtcbLayout.wordBytes)
            let op = try r.get(Int32.self)
            #expect(op == 3)
            #expect(throws: L4Error.code(-L4Err.msgTooShort)) { _ = try r.get(UInt64.self) }
        }
    }

    @Test func arrayLongerThanTheMessageIsTooShort() {
        var mr = [UInt64](repeating: 0, count: 2)
        mr[0] = 0xffff  // an unsigned short length of 65535, one word of data
        mr.withUnsafeBytes { raw in
            var r = MessageReader(raw.baseAddress!, limit: 16)
            #expect(throws: L4Error.code(-L4Err.msgTooShort)) { _ = try r.getArray(UInt32.self, lengthType: UInt16.self) }
        }
        let empty = [UInt64](repeating: 0, count: 2)
        empty.withUnsafeBytes { raw in
            var r = MessageReader(raw.baseAddress!, limit: 16)
            #expect(throws: L4Error.code(-L4Err.msgTooShort)) { _ = try r.getString() }
        }
    }

    @Test func overfullMessageIsTooLong() {
        var buf = [UInt8](repeating: 0, count: UtcbLayout.mrBytes)
        buf.withUnsafeMutableBytes { raw in
            var w = MessageWriter(raw.baseAddress!)
            for _ in 0..<UtcbLayout.mrWords { try? w.put(UInt64(1)) }
            #expect(w.words == 63)
            #expect(throws: L4Error.code(-L4Err.msgTooLong)) { try w.put(UInt8(1)) }
        }
    }

    @Test func negativeReplyLabelIsAnError() {
        #expect(throws: L4Error.code(-L4Err.nosys)) { _ = try Rpc.checkReply(Rpc.replyTag(-L4Err.nosys, words: 3)) }
        #expect(Rpc.replyTag(-5, words: 3).words == 0)
        #expect((try? Rpc.checkReply(Rpc.replyTag(0, words: 2))) == 0)
    }
}
