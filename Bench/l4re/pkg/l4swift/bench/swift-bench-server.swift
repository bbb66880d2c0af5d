// Swift benchmark server: raw ipc.roundtrip messages in its own loop, the RPCs
// through the Swift RPC server layer. Built like cpp-bench-server.cc.
//   swift-bench-server CPU [hang|crash]
// (hang and crash are for checking the runner: the server never answers, or
// exits on the first request.)

import CL4
import CL4BenchProto

/// The servers' payload work (bench/l4b-payload.c): one C object linked into
/// every peer, so that the sum is the same machine code in every pair.
@_extern(c, "l4b_sum_words")
func l4bSumWords(_ p: UnsafePointer<UInt64>?, _ n: UInt) -> UInt64

/// The RPCs of include/bench.h, through the server side l4swift-gen wrote from it.
struct BenchServer: Bench.Server {
    /// ipc.rpc: the sum of the words.
    @inline(__always)
    func ping(_ data: UnsafeBufferPointer<UInt64>) throws(L4Error) -> UInt64 {
        data.count > 0 ? l4bSumWords(data.baseAddress, UInt(data.count)) : 0
    }

    /// ipc.str: the string's length (without the terminator).
    @inline(__always)
    func str(_ s: UnsafeBufferPointer<UInt8>) throws(L4Error) -> UInt64 { UInt64(s.count) }

    /// cap.map: the capability arrived; drop it again.
    func mapCap(_ cap: ReceivedCap) throws(L4Error) -> Int {
        guard cap.isValid else { throw .code(-L4Err.inval) }
        try? cap.cap(as: UnknownObject.self).unmap()
        return 0
    }

    /// ds.share: attach, read a word per page, detach; the TSC ticks of each phase.
    func share(_ ds: ReceivedCap, _ size: UInt64) throws(L4Error)
        -> (sum: UInt64, attachTicks: UInt64, touchTicks: UInt64, detachTicks: UInt64) {
        guard ds.isValid else { throw .code(-L4Err.inval) }
        defer { try? ds.cap(as: UnknownObject.self).unmap() }
        let n = Int(truncatingIfNeeded: size)
        let t0 = CPU.tscBegin()
        let p = try Dataspace(cap: ds.cap()).attach(size: n)
        let t1 = CPU.tscEnd()
        var s: UInt64 = 0
        var off = 0
        while off < n {
            s &+= p.load(fromByteOffset: off, as: UInt64.self)
            off += 4096
        }
        let t2 = CPU.tscEnd()
        try? Dataspace.detach(p)
        let t3 = CPU.tscEnd()
        return (s, t1 &- t0, t2 &- t1, t3 &- t2)
    }
}

/// Where a server loop records its phase timestamps: nowhere (plain blocks),
/// or the phase log's words 0 (at receive) and 1 (before the reply). The loop
/// is specialized for each, so a plain block has no trace of them.
protocol PhaseStamps {
    func received()
    func replying()
}

struct NoStamps: PhaseStamps {
    @inline(__always) func received() {}
    @inline(__always) func replying() {}
}

struct LogStamps: PhaseStamps {
    let log: UnsafeMutablePointer<UInt64>
    @inline(__always) func received() { log[0] = CPU.tscBegin() }
    @inline(__always) func replying() { log[1] = CPU.tscBegin() }
}

/// The server loop: raw ipc.roundtrip messages answered in place, RPCs
/// through the generated dispatch. A function of its own, so that the
/// optimizer inlines the dispatch into it (in `main`, among the setup, it
/// would not: measured under icount, that cost 9 instructions a call).
@inline(never)
func serveBench<S: PhaseStamps>(_ server: inout BenchServer, slots: ReceiveSlots, label myLabel: UInt,
                                first: (tag: MsgTag, label: UInt)?, utcb: UTCB, stamps: S) -> Never {
    let mr = utcb.mr
    let rawShape = Int(L4B_RAW_LABEL) << MsgTag.labelShift
    var next = first
    while true {
        guard let (tag, label) = next else {
            slots.open(utcb, for: BenchServer.self)
            next = try? IPC.wait(utcb: utcb)
            continue
        }
        stamps.received()
        let reply: MsgTag
        // One masked compare sorts the two hot cases (an RPC, a raw message,
        // both without items): the same instructions as comparing labels alone.
        let shape = tag.raw & MsgTag.labelAndItemsMask
        if label & ~3 != myLabel {
            reply = Rpc.replyTag(-L4Err.badproto)
        } else if shape != rawShape {
            // RPCs (the dispatch repeats the compare; the optimizer folds it), the meta protocol, errors
            reply = server.handle(RpcRequest(tag: tag, rights: label & 3, mr: utcb.mrBytes,
                                             slots: UnsafePointer(slots.base), slotCount: slots.count,
                                             firstSlot: slots.firstSlot))
        } else {
            let n = tag.words
            mr[0] = n > 0 ? UInt(l4bSumWords(UnsafeRawPointer(mr).assumingMemoryBound(to: UInt64.self), UInt(n))) : 0
            reply = MsgTag(label: 0, words: n > 0 ? 1 : 0, items: 0)
        }
        slots.open(utcb, for: BenchServer.self)
        stamps.replying()
        next = try? IPC.replyAndWait(reply, utcb: utcb)
    }
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let args = Args(argc, argv)
    guard args.argc == 2 || args.argc == 3 else { log("usage: swift-bench-server CPU [hang|crash]"); return Int32(L4B_EXIT_USAGE) }
    let hang = args.contains(2, "hang"), crash = args.contains(2, "crash")
    do { try CPU.pin(to: UInt32(args.number(1))) } catch { log("swift-bench-server: cannot pin to the CPU") }
    let gate = Env.cap("bench", as: IpcGateObject.self)
    let myLabel: UInt = 0x5c0
    var server = BenchServer()
    let slots: ReceiveSlots
    do {
        try bindGate(gate, label: myLabel)
        slots = try ReceiveSlots(count: Bench.receiveCaps)
    } catch { log("swift-bench-server: cannot serve 'bench'"); return 1 }

    var phaseLog: UnsafeMutablePointer<UInt64>? = nil
    let logCap = Cap<DataspaceObject>(index: L4B_PHASE_LOG_CAP.withCString { cl4_env_get_cap($0) })
    if logCap.isValid {
        do { phaseLog = try Dataspace(cap: logCap).attach(size: 4096).assumingMemoryBound(to: UInt64.self) }
        catch { log("swift-bench-server: cannot attach the phase log"); return 1 }
    }

    let utcb = UTCB.current
    slots.open(utcb)
    let first = try? IPC.wait(utcb: utcb)
    if hang { log("swift-bench-server: hanging (fault injection)"); sleep(milliseconds: 0) }
    if crash { log("swift-bench-server: crashing (fault injection)"); exitProgram(99) }
    if let phaseLog { serveBench(&server, slots: slots, label: myLabel, first: first, utcb: utcb, stamps: LogStamps(log: phaseLog)) }
    serveBench(&server, slots: slots, label: myLabel, first: first, utcb: utcb, stamps: NoStamps())
}
