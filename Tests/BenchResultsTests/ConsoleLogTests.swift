import Testing
@testable import BenchResults

/// What L4Re's console does to results lines: tags, colours, and a boot
/// script that cannot count the samples its programs print.
@Suite struct ConsoleLogTests {
    let esc = "\u{1B}"

    @Test func colourCodesDoNotStickToTheLastField() throws {
        var text = runText()
        text = text.replacingOccurrences(of: "L4B1,s,futex,ipc.roundtrip,swift,swift,same-core,words=0,0,0,100",
                                          with: "\(esc)[36mcli     | L4B1,s,futex,ipc.roundtrip,swift,swift,same-core,words=0,0,0,100\(esc)[0m")
        text = text.replacingOccurrences(of: "L4B1,meta,cpu,Test CPU", with: "\(esc)[37mprobe   | L4B1,meta,cpu,Test CPU\(esc)[0m\(esc)[1;32m")
        let o = parse(text)
        #expect(o.fault == nil, "\(String(describing: o.fault))")
        #expect(o.run[meta: "cpu"] == "Test CPU")
        let swift = try #require(o.run.groups.first { $0.key.client == "swift" })
        #expect(swift.values.sorted() == [100, 110, 120])
    }

    @Test func uncountedEndIsAccepted() {
        let text = runText().replacingOccurrences(of: "L4B1,end,r1,5", with: "L4B1,end,r1,*")
        let o = parse(text)
        #expect(o.fault == nil)
        #expect(o.run.sampleCount == 5)
    }

    @Test func uncountedEndStillNeedsTheEndLine() {
        let o = parse(runText(end: false))
        #expect(o.fault?.exitCode == 12)
        #expect(o.run.sampleCount == 5)
    }

    @Test func garbageAfterTheCountIsStillMalformed() {
        let o = parse(runText().replacingOccurrences(of: "L4B1,end,r1,5", with: "L4B1,end,r1,5x"))
        #expect(o.fault?.exitCode == 10)
    }
}
