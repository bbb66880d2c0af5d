import Foundation
import Testing
import L4Wire
import L4SwiftServices

/// L4Swift's requests to L4Re's services (`L4ReRequests`, over the clients
/// l4swift-gen writes from L4Re's headers; here from their stand-in) against
/// what L4Re's own C++ sends for the same calls
/// (Tests/Fixtures/l4re-requests/cpp-requests.txt, recorded by
/// scripts/l4re-request-fixtures.sh from an L4Re build): label, word and item
/// counts, every byte of the message, the buffer registers, and for a detach
/// the flexpages of the pages unmapped afterwards.
@Suite struct L4ReRequestTests {
    struct Request { var dest: UInt; var label: Int; var words: Int; var items: Int; var bytes: [UInt8]; var buffers: [UInt] }

    /// "attach" → its requests in order (#0, #1, ...).
    static let recorded: [String: [Request]] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/l4re-requests/cpp-requests.txt")
        var out: [String: [Request]] = [:]
        var buffers: [String: [UInt]] = [:]
        let lines = ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n")
        for line in lines where line.hasPrefix("buffers ") {
            let halves = line.split(separator: ":", maxSplits: 1)
            buffers[String(halves[0].split(separator: " ")[1])] = halves[1].split(separator: " ").map { UInt($0, radix: 16)! }
        }
        for line in lines where line.contains(" dest=") {
            let halves = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let head = halves[0].split(separator: " ")
            func field(_ k: String) -> String { String(head.first { $0.hasPrefix(k + "=") }!.dropFirst(k.count + 1)) }
            let key = String(head[0])
            let name = String(key.split(separator: "#")[0])
            out[name, default: []].append(Request(
                dest: UInt(field("dest").dropFirst(2), radix: 16)!, label: Int(field("label"))!,
                words: Int(field("words"))!, items: Int(field("items"))!,
                bytes: halves[1].split(separator: " ").map { UInt8($0, radix: 16)! },
                buffers: buffers[key] ?? []))
        }
        return out
    }()

    /// The capability indices record.cc uses.
    enum CapIndex {
        static let rm: UInt = 0x5000, ds: UInt = 0x6000, memAlloc: UInt = 0x7000, gate: UInt = 0x8000
        static let thread: UInt = 0x9000, factory: UInt = 0xa000, irq: UInt = 0xb000, scheduler: UInt = 0xc000
    }

    /// A channel that keeps each request (zeroed registers before it, as
    /// record.cc clears its UTCB) and answers with a canned reply.
    final class Recorder: RpcChannel {
        let mem = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
        var sent: [(tag: MsgTag, bytes: [UInt8], buffers: [UInt])] = []
        var reply: [UInt] = []
        init() { mem.initializeMemory(as: UInt8.self, repeating: 0, count: 1024) }
        deinit { mem.deallocate() }
        var messageRegisters: UnsafeMutableRawPointer { mem }
        var bufferRegisters: UnsafeMutablePointer<UInt> { (mem + 512 + 8).assumingMemoryBound(to: UInt.self) }
        func resetBufferDescriptor() { mem.storeBytes(of: 0 as UInt, toByteOffset: 512, as: UInt.self) }
        func call(_ tag: MsgTag) throws(L4Error) -> MsgTag {
            let n = min(tag.words + 2 * tag.items, 63) * 8
            let br = (mem + 512).assumingMemoryBound(to: UInt.self)
            sent.append((tag, Array(UnsafeRawBufferPointer(start: mem, count: n)), [br[0], br[1], br[2], br[3]]))
            for (i, w) in reply.enumerated() { mem.storeBytes(of: w, toByteOffset: i * 8, as: UInt.self) }
            return MsgTag(label: 0, words: reply.count, items: 0)
        }
    }

    func recorded(_ name: String) throws -> [Request] {
        try #require(Self.recorded[name], "no '\(name)' in cpp-requests.txt (scripts/l4re-request-fixtures.sh records it)")
    }

    func expectSame(_ ch: Recorder, _ name: String, _ want: Request, index: Int = 0, buffers: Bool = false) throws {
        try #require(ch.sent.count > index, "\(name): no request sent")
        let got = ch.sent[index]
        #expect(got.tag.label == want.label, "\(name): label \(got.tag.label), C++ \(want.label)")
        #expect(got.tag.words == want.words && got.tag.items == want.items,
                "\(name): \(got.tag.words) words, \(got.tag.items) items; C++ \(want.words), \(want.items)")
        #expect(got.bytes == want.bytes, "\(name): bytes differ\n swift \(got.bytes)\n C++   \(want.bytes)")
        if buffers { #expect(got.buffers == want.buffers, "\(name): buffer registers \(got.buffers), C++ \(want.buffers)") }
    }

    @Test func attachSendsWhatRmAttachSends() throws {
        let want = try recorded("attach")
        #expect(want.count == 1 && want[0].dest == CapIndex.rm)
        let ch = Recorder()
        ch.reply = [0x7f000]
        let at = try L4ReRequests.attach(L4Re.Rm.Client(ch), dataspace: CapIndex.ds, size: 0x11000)
        try expectSame(ch, "attach", want[0])
        #expect(at == 0x7f000, "the address the region map answered")
    }

    @Test func detachSendsWhatRmDetachSendsAndUnmapsTheSamePages() throws {
        for rsize: UInt in [0x1000, 0x11000, 0x123456] {
            let name = "detach.0x" + String(rsize, radix: 16)
            let want = try recorded(name)
            let ch = Recorder()
            ch.reply = [0x7f000, rsize, CapIndex.ds]
            let r = try L4ReRequests.detach(L4Re.Rm.Client(ch), address: 0x7f000)
            try expectSame(ch, name, want[0])
            #expect(r.start == 0x7f000 && r.size == rsize)
            // C++ then unmaps the region from the task: one l4_task_unmap per flexpage, the flexpage in mr[2].
            var pieces: [UInt] = []
            L4ReRequests.unmapPieces(start: r.start, size: r.size) { pieces.append($0) }
            let cxx = want.dropFirst().map { req in
                req.bytes[16..<24].reversed().reduce(UInt(0)) { $0 << 8 | UInt($1) }
            }
            #expect(pieces == Array(cxx), "\(name): Swift unmaps \(pieces.map { String($0, radix: 16) }), C++ \(cxx.map { String($0, radix: 16) })")
            #expect(cxx.count == want.count - 1 && !cxx.isEmpty)
        }
    }

    @Test func sizeAsksInfoAsDataspaceSizeDoes() throws {
        let want = try recorded("size")
        let ch = Recorder()
        ch.reply = [0x11000, 6]
        let n = try L4ReRequests.size(L4Re.Dataspace.Client(ch))
        try expectSame(ch, "size", want[0])
        #expect(n == 0x11000)
    }

    @Test func bindThreadSendsWhatRcvEndpointBindThreadSends() throws {
        let want = try recorded("bind_thread")
        let ch = Recorder()
        try L4ReRequests.bindThread(L4.Rcv_endpoint.Client(ch), thread: CapIndex.thread, label: 0x10)
        try expectSame(ch, "bind_thread", want[0])
        #expect(want[0].dest == CapIndex.gate)
    }

    struct Slot: CapabilitySlot { var capIndex: UInt }

    @Test func allocateSendsWhatMemAllocAllocSends() throws {
        for size in [4096, 1 << 20] {
            let name = "alloc.\(size)"
            let want = try recorded(name)
            #expect(want.count == 1 && want[0].dest == CapIndex.memAlloc)
            let ch = Recorder()
            try L4ReRequests.allocate(L4.Factory.Client(ch), into: Slot(capIndex: CapIndex.ds), size: size)
            // the new capability's receive window is part of the request
            try expectSame(ch, name, want[0], buffers: true)
        }
    }

    @Test func createIrqSendsWhatFactoryCreateSends() throws {
        let want = try recorded("create_irq")
        let ch = Recorder()
        try L4ReRequests.createIrq(L4.Factory.Client(ch), into: Slot(capIndex: CapIndex.irq))
        try expectSame(ch, "create_irq", want[0], buffers: true)
        #expect(want[0].dest == CapIndex.factory)
        // the C function l4_factory_create_irq sends the same
        try expectSame(ch, "create_irq.c", try recorded("create_irq.c")[0], buffers: true)
    }

    @Test func runThreadSendsWhatSchedulerRunThreadSends() throws {
        let want = try recorded("run_thread")
        #expect(want[0].dest == CapIndex.scheduler)
        let ch = Recorder()
        try L4ReRequests.runThread(L4.Scheduler.Client(ch), thread: CapIndex.thread, cpu: 1)
        try expectSame(ch, "run_thread", want[0])
    }

    @Test func onlineCPUsAsksInfoAsSchedulerInfoDoes() throws {
        let want = try recorded("info")
        let ch = Recorder()
        ch.reply = [0x5, 16, 0]          // CPUs 0 and 2 online (record.cc's canned reply)
        let n = try L4ReRequests.onlineCPUs(L4.Scheduler.Client(ch))
        try expectSame(ch, "info", want[0])
        #expect(n == 2)
    }

    /// An error in the reply is thrown, not taken for an address.
    @Test func aNegativeReplyIsThrown() {
        final class Refuser: RpcChannel {
            let mem = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
            var messageRegisters: UnsafeMutableRawPointer { mem }
            var bufferRegisters: UnsafeMutablePointer<UInt> { (mem + 520).assumingMemoryBound(to: UInt.self) }
            func resetBufferDescriptor() {}
            func call(_ tag: MsgTag) throws(L4Error) -> MsgTag { MsgTag(label: -L4Err.nomem, words: 0, items: 0) }
        }
        let ch = Refuser()
        defer { ch.mem.deallocate() }
        #expect(throws: L4Error.self) { try L4ReRequests.attach(L4Re.Rm.Client(ch), dataspace: CapIndex.ds, size: 4096) }
        #expect(throws: L4Error.self) { try L4ReRequests.detach(L4Re.Rm.Client(ch), address: 0x7f000) }
        #expect(throws: L4Error.self) { try L4ReRequests.allocate(L4.Factory.Client(ch), into: Slot(capIndex: CapIndex.ds), size: 4096) }
    }

    /// The pieces cover the rounded range exactly, each naturally aligned, for any start and size.
    @Test func unmapPiecesCoverTheRangeWithAlignedBlocks() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let start = UInt.random(in: 0..<(1 << 30), using: &rng) & ~0xfff
            let size = UInt.random(in: 1..<(1 << 26), using: &rng)
            var at = start
            L4ReRequests.unmapPieces(start: start, size: size) { fp in
                let order = Int((fp >> 6) & 0x3f)
                let addr = fp & ~0xfff
                #expect(addr == at && addr % (1 << order) == 0 && fp & 0xf == Fpage.memRWX)
                at += 1 << order
            }
            #expect(at == start + ((size + 0xfff) & ~0xfff))
        }
    }
}
