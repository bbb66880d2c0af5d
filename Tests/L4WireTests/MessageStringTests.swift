import L4Wire
import Testing

/// `L4::Ipc::String<>` as L4Re's C++ writes it: the length counting the terminator,
/// then the bytes and a zero, for an empty string (no copy) as for a non-empty one.
@Suite struct MessageStringTests {
    func write(_ text: [UInt8], from buffer: [UInt8]) throws -> (bytes: [UInt8], offset: Int) {
        let mr = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        defer { mr.deallocate() }
        mr.initializeMemory(as: UInt8.self, repeating: 0xAA, count: 64)
        let whole = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count)
        defer { whole.deallocate() }
        _ = whole.initialize(from: buffer)
        var w = MessageWriter(mr, limit: 64)
        try w.put(Int32(3))
        // A prefix of a longer buffer: the empty one still has a base address.
        try w.putString(UnsafeBufferPointer(rebasing: whole[0..<text.count]))
        return (Array(UnsafeBufferPointer(start: mr.assumingMemoryBound(to: UInt8.self), count: 64)), w.offset)
    }

    @Test func anEmptyStringIsItsLengthAndTerminator() throws {
        let (bytes, offset) = try write([], from: Array("hello".utf8))
        #expect(offset == 17)
        #expect(Array(bytes[8..<16]) == [1, 0, 0, 0, 0, 0, 0, 0])
        #expect(bytes[16] == 0)
        #expect(bytes[17] == 0xAA, "nothing written past the terminator")
    }

    @Test func aStringIsCopiedWithItsTerminator() throws {
        let (bytes, offset) = try write(Array("hel".utf8), from: Array("hello".utf8))
        #expect(offset == 20)
        #expect(Array(bytes[8..<16]) == [4, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[16..<20]) == Array("hel".utf8) + [0])
        #expect(bytes[20] == 0xAA)
    }
}
