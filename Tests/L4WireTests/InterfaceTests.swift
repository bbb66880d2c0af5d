import Testing
import L4Wire

/// The benchmark interface's limits and the demo's helper, as the C++ side has them.
@Suite struct InterfaceTests {
    /// A ping of `maxPingWords` words fills the 63 message registers; one more does not fit.
    @Test func maxPingFillsTheRegisters() throws {
        let ch = GeneratedWireTests.Recorder()
        ch.reply = GeneratedWireTests.Line(label: 0, words: 1, items: 0, bytes: [0, 0, 0, 0, 0, 0, 0, 0])
        let data = [UInt64](repeating: 1, count: BenchInterface.maxPingWords)
        _ = try data.withUnsafeBufferPointer { try Bench.Client(ch).ping($0) }
        #expect(ch.sent?.words == UtcbLayout.mrWords && ch.sent?.words == BenchInterface.pingRequestWords(data.count))
        let tooMany = [UInt64](repeating: 1, count: BenchInterface.maxPingWords + 1)
        #expect(throws: L4Error.code(-L4Err.msgTooLong)) {
            _ = try tooMany.withUnsafeBufferPointer { try Bench.Client(ch).ping($0) }
        }
    }

    @Test func fnv1aMatchesTheCxxHelper() {
        // L4swift::fnv1a("capabilities, not ambient authority") as the C++ demo client computed it on L4Re
        let s = Array("capabilities, not ambient authority".utf8)
        #expect(s.withUnsafeBufferPointer { DemoInterface.fnv1a($0) } == 851_663_553)
    }
}
