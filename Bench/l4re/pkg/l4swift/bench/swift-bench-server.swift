// Swift benchmark server: raw ipc.roundtrip messages in its own loop, the RPCs
// through the Swift RPC server layer. Built like cpp-bench-server.cc.
//   swift-bench-server CPU [hang|crash]
// (hang and crash are for checking the runner: the server never answers, or
// exits on the first request.)

struct BenchServer: RpcServer {
    static var proto: Int { BenchInterface.proto }
    let slot: Cap<UnknownObject>

    func dropReceived() { try? slot.unmap() }

    @inline(__always)
    mutating func dispatch(opcode: Int32, request r: inout MessageReader, tag: MsgTag, utcb: UTCB) throws(L4Error) -> MsgTag {
        switch BenchInterface.Op(rawValue: opcode) {
        case .ping:
            let data = try BenchInterface.readPing(&r)
            var s: UInt64 = 0
            for x in data { s &+= x }
            var w = utcb.writer()
            try BenchInterface.writeSum(&w, s)
            return Rpc.replyTag(0, words: w.words)
        case .mapCap:
            var items = utcb.itemReader(tag)
            guard try items.getItem().capReceived else { throw .code(-L4Err.inval) }
            dropReceived()
            return Rpc.replyTag(0)
        case .share:
            let size = Int(try BenchInterface.readShare(&r))
            var items = utcb.itemReader(tag)
            guard try items.getItem().capReceived else { throw .code(-L4Err.inval) }
            let ds = Dataspace(cap: slot.cast(to: DataspaceObject.self))
            let t0 = CPU.tscBegin()
            let p: UnsafeMutableRawPointer
            do { p = try ds.attach(size: size) } catch { dropReceived(); throw error }
            let t1 = CPU.tscEnd()
            var s: UInt64 = 0
            var off = 0
            while off < size {
                s &+= p.load(fromByteOffset: off, as: UInt64.self)
                off += 4096
            }
            let t2 = CPU.tscEnd()
            try? Dataspace.detach(p)
            let t3 = CPU.tscEnd()
            dropReceived()
            // Every call above used the message registers: the reply goes in last.
            var w = utcb.writer()
            try BenchInterface.writeShareReply(&w, .init(sum: s, attach: t1 &- t0, touch: t2 &- t1, detach: t3 &- t2))
            return Rpc.replyTag(0, words: w.words)
        case nil:
            throw .code(-L4Err.nosys)
        }
    }
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let args = Args(argc, argv)
    guard args.argc == 2 || args.argc == 3 else { log("usage: swift-bench-server CPU [hang|crash]"); return 64 }
    let hang = args.contains(2, "hang"), crash = args.contains(2, "crash")
    do { try CPU.pin(to: UInt32(args.number(1))) } catch { log("swift-bench-server: cannot pin to the CPU") }
    let gate = Env.cap("bench", as: IpcGateObject.self)
    let myLabel: UInt = 0x5c0
    var server: BenchServer
    do {
        try bindGate(gate, label: myLabel)
        server = BenchServer(slot: try Cap<UnknownObject>.allocate())
    } catch { log("swift-bench-server: cannot serve 'bench'"); return 1 }

    let utcb = UTCB.current
    let mr = utcb.mr
    let rawLabel = BenchInterface.rawLabel
    utcb.receiveCapability(into: server.slot)
    var next = try? IPC.wait(utcb: utcb)
    if hang { log("swift-bench-server: hanging (fault injection)"); sleep(milliseconds: 0) }
    if crash { log("swift-bench-server: crashing (fault injection)"); exitProgram(99) }
    while true {
        guard let (tag, label) = next else {
            next = try? IPC.wait(utcb: utcb)
            continue
        }
        let reply: MsgTag
        if label & ~3 != myLabel {
            reply = Rpc.replyTag(-L4Err.badproto)
        } else if tag.label == rawLabel {
            let n = tag.words
            var s: UInt = 0
            for i in 0..<n { s &+= mr[i] }
            mr[0] = s
            reply = MsgTag(label: 0, words: n > 0 ? 1 : 0, items: 0)
        } else {
            reply = server.answer(tag, utcb: utcb)
        }
        utcb.receiveCapability(into: server.slot)
        next = try? IPC.replyAndWait(reply, utcb: utcb)
    }
}
