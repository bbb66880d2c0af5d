// Swift server of the Demo interface: a C++ client using L4_INLINE_RPC (or a
// Swift client) calls it unchanged. Unknown opcodes and malformed messages
// get the error codes L4Re's C++ servers send.

struct DemoServer: RpcServer {
    static var proto: Int { DemoInterface.proto }
    /// Where a received capability lands; emptied after each use.
    let slot: Cap<UnknownObject>

    func prepareReceive(_ utcb: UTCB) { utcb.receiveCapability(into: slot) }

    mutating func dispatch(opcode: Int32, request r: inout MessageReader, tag: MsgTag, utcb: UTCB) throws(L4Error) -> MsgTag {
        switch DemoInterface.Op(rawValue: opcode) {
        case .mix:
            let (a, b, c) = try DemoInterface.readMix(&r)
            var w = utcb.writer()
            try DemoInterface.writeMixReply(&w, DemoInterface.mix(a, b, c))
            return Rpc.replyTag(0, words: w.words)
        case .measure:
            let s = try DemoInterface.readMeasure(&r)
            let length = UInt32(s.count), hash = DemoInterface.fnv1a(s)
            var w = utcb.writer()
            try DemoInterface.writeMeasureReply(&w, length: length, hash: hash)
            return Rpc.replyTag(0, words: w.words)
        case .trigger:
            var items = utcb.itemReader(tag)
            try DemoInterface.readCapItem(&items)
            let irq = Irq(cap: slot.cast(to: IrqObject.self))
            let result: Result<Void, L4Error>
            do throws(L4Error) { try irq.trigger(); result = .success(()) } catch { result = .failure(error) }
            try? slot.unmap()
            try result.get()
            return Rpc.replyTag(0)
        case .sumDS:
            let size = Int(try DemoInterface.readSumDS(&r))
            var items = utcb.itemReader(tag)
            try DemoInterface.readCapItem(&items)
            let sum = Result { () throws(L4Error) -> UInt64 in
                let ds = Dataspace(cap: slot.cast(to: DataspaceObject.self))
                let p = try ds.attach(size: size).assumingMemoryBound(to: UInt64.self)
                var sum: UInt64 = 0
                for i in 0..<(size / 8) { sum &+= p[i] }
                try Dataspace.detach(UnsafeMutableRawPointer(p))
                return sum
            }
            try? slot.unmap()
            // Every call above used the message registers: the reply goes in last.
            var w = utcb.writer()
            try DemoInterface.writeSumReply(&w, try sum.get())
            return Rpc.replyTag(0, words: w.words)
        case nil:
            throw .code(-L4Err.nosys)
        }
    }
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let gate = Env.cap("demo", as: IpcGateObject.self)
    let label: UInt = 0x5e0
    do {
        try bindGate(gate, label: label)
        var server = DemoServer(slot: try Cap<UnknownObject>.allocate())
        log("swift-demo-server: ready")
        server.serve(label: label)
    } catch {
        var l = Line("swift-demo-server: cannot serve 'demo': ")
        l.append(error.name); l.flush()
        return 1
    }
}
