// Swift benchmark client: ipc.roundtrip (raw IPC.call), ipc.rpc (the Swift RPC
// stubs), cap.map, ipc.str and ds.share against a Bench server in either language.
//   swift-bench-client CPU PLACEMENT ROUND SERVER SAMPLES WARMUP BENCHES DS LIMIT
// (the command line, the BENCHES keys and the exit codes: l4bench_proto.h).
// In a phase block (ned gives a `phaselog` dataspace) every benchmark but
// ds.share records its phases instead of the plain round trip.
// It mirrors cpp-bench-client.cc step for step.
import CL4
import CL4BenchProto

/// Where a client records the call's own timestamps: nowhere (plain blocks)
/// or at the call and at the return of the system call (phase blocks). The
/// benchmarks are specialized for each: a plain block has no trace of them.
protocol CallStamps {
    static var on: Bool { get }
    /// The channel the RPC stubs call through.
    associatedtype Channel: RpcChannel
    func channel(_ gate: Cap<IpcGateObject>, _ utcb: UTCB) -> Channel
}

struct NoStamps: CallStamps {
    static var on: Bool { false }
    @inline(__always) func channel(_ gate: Cap<IpcGateObject>, _ utcb: UTCB) -> Gate<IpcGateObject> { Gate(gate, utcb: utcb) }
}

/// The timestamps of the last stamped call.
nonisolated(unsafe) var callStamps: (call: UInt64, ret: UInt64) = (0, 0)

/// A channel that reads the TSC right before and right after the system call.
struct StampedGate: RpcChannel {
    let gate: Gate<IpcGateObject>
    @inline(__always) var messageRegisters: UnsafeMutableRawPointer { gate.messageRegisters }
    @inline(__always) var bufferRegisters: UnsafeMutablePointer<UInt> { gate.bufferRegisters }
    @inline(__always) func resetBufferDescriptor() { gate.resetBufferDescriptor() }
    @inline(__always) func call(_ tag: MsgTag) throws(L4Error) -> MsgTag {
        callStamps.call = CPU.tscBegin()
        let r = try gate.call(tag)
        callStamps.ret = CPU.tscEnd()
        return r
    }
    @inline(__always) func send(_ tag: MsgTag) throws(L4Error) { try gate.send(tag) }
}

struct Stamps: CallStamps {
    static var on: Bool { true }
    @inline(__always) func channel(_ gate: Cap<IpcGateObject>, _ utcb: UTCB) -> StampedGate { StampedGate(gate: Gate(gate, utcb: utcb)) }
}

/// A capability of the environment by a name given as a String (the protocol header's).
func envCap<Kind>(_ name: String, as: Kind.Type) -> Cap<Kind> {
    Cap<Kind>(index: name.withCString { cl4_env_get_cap($0) })
}

/// Is `key` one of the comma-separated words of `list`?
func hasKey(_ list: UnsafeBufferPointer<UInt8>, _ key: String) -> Bool {
    var start = 0
    while start <= list.count {
        var end = start
        while end < list.count && list[end] != 44 { end += 1 }
        if end - start == key.utf8.count {
            var same = true
            var i = start
            for b in key.utf8 { if list[i] != b { same = false; break }; i += 1 }
            if same { return true }
        }
        start = end + 1
    }
    return false
}

extension Line {
    /// A constant of the protocol header (imported as a String).
    mutating func append(text s: String) { for b in s.utf8 { byte(b) } }
}

let phaseNames: [StaticString] = ["marshal", "call", "server", "reply", "unmarshal", "total"]

struct Client {
    let args: Args
    let placement: UnsafeBufferPointer<UInt8>
    let server: UnsafeBufferPointer<UInt8>
    let round: Int
    let samples: Int
    let warmup: Int
    let gate: Cap<IpcGateObject>
    let v: UnsafeMutablePointer<UInt64>
    /// Phase blocks: the server's timestamps (word 0 at receive, word 1 before the reply).
    let phaseLog: UnsafePointer<UInt64>?
    var failures = 0

    func prefix(_ l: inout Line, _ kind: StaticString, _ bench: StaticString, phase: StaticString? = nil) {
        l.append(text: L4B_RECORD_PREFIX); l.append(kind); l.append(",l4,"); l.append(bench)
        if let phase { l.append(text: L4B_PHASE_INFIX); l.append(phase) }
        l.append(",swift,")
        l.append(bytes: server); l.byte(44); l.append(bytes: placement); l.byte(44)
    }

    func emitGroup(_ bench: StaticString, phase: StaticString?, param: StaticString, value: Int,
                   values: UnsafeMutablePointer<UInt64>, count: Int, stride: Int) {
        var l = Line()
        for i in 0..<count {
            prefix(&l, "s", bench, phase: phase)
            l.append(param); if value >= 0 { l.append(value) }
            l.byte(44); l.append(round); l.byte(44); l.append(i); l.byte(44); l.append(values[i * stride])
            l.flush()
        }
    }

    /// A benchmark's samples: one group, or in a phase block one group per phase.
    func emit<S: CallStamps>(_ s: S.Type, _ bench: StaticString, param: StaticString, value: Int) {
        if !S.on { emitGroup(bench, phase: nil, param: param, value: value, values: v, count: samples, stride: 1); return }
        let n = Int(L4B_PHASES)
        for k in 0..<n { emitGroup(bench, phase: phaseNames[k], param: param, value: value, values: v + k, count: samples, stride: n) }
    }

    /// Stores iteration `i`'s sample: t1 - t0, or its phases.
    @inline(__always)
    func store<S: CallStamps>(_ s: S.Type, _ i: Int, _ t0: UInt64, _ t1: UInt64) {
        guard i >= warmup else { return }
        if !S.on { v[i - warmup] = t1 &- t0; return }
        let log = phaseLog!
        l4b_phase_durations(v + (i - warmup) * Int(L4B_PHASES), t0, callStamps.call, log[0], log[1], callStamps.ret, t1)
    }

    mutating func fail(_ bench: StaticString, param: StaticString, value: Int, _ why: StaticString, _ e: L4Error?) {
        var l = Line()
        prefix(&l, "fail", bench)
        l.append(param); if value >= 0 { l.append(value) }
        l.append(",round "); l.append(round); l.append(": "); l.append(why)
        if let e { l.append(" ("); l.append(e.name); l.append(", error "); l.append(e.code); l.append(")") }
        l.flush()
        failures += 1
    }

    mutating func roundtrip<S: CallStamps>(_ s: S.Type, words: Int) {
        let utcb = UTCB.current
        let mr = utcb.mr
        let tag = MsgTag(label: Int(L4B_RAW_LABEL), words: words, items: 0)
        for i in 0..<(warmup + samples) {
            // The payload is written before the timed region (the reply overwrites mr[0]).
            for w in 0..<words { mr[w] = UInt(truncatingIfNeeded: i &+ w) }
            let t0 = CPU.tscBegin()
            if S.on { callStamps.call = CPU.tscBegin() }
            let reply: MsgTag
            do { reply = try IPC.call(gate, tag, utcb: utcb) } catch {
                fail("ipc.roundtrip", param: "words=", value: words, "IPC error", error); return
            }
            if S.on { callStamps.ret = CPU.tscEnd() }
            let t1 = CPU.tscEnd()
            let want = UInt(words) &* UInt(i) &+ UInt(words) &* UInt(max(words, 1) - 1) / 2
            if words > 0 && (reply.words != 1 || mr[0] != want) {
                fail("ipc.roundtrip", param: "words=", value: words, "wrong sum", nil); return
            }
            store(S.self, i, t0, t1)
        }
        emit(S.self, "ipc.roundtrip", param: "words=", value: words)
    }

    mutating func rpc<S: CallStamps>(_ stamps: S, words: Int) {
        let utcb = UTCB.current
        let bench = Bench.Client(stamps.channel(gate, utcb))
        // The payload lives in a stack tuple: measured under icount, an InlineArray
        // (through its span) cost 6 instructions more per call and a heap buffer 20
        // (presumably because the optimizer knows a local cannot alias the registers).
        var data: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                   UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                   UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                   UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                   UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                   UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                   UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                   UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
             0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        for i in 0..<(warmup + samples) {
            let sum: UInt64
            var t0: UInt64 = 0, t1: UInt64 = 0
            do {
                sum = try withUnsafeMutableBytes(of: &data) { raw throws(L4Error) -> UInt64 in
                    let p = raw.baseAddress!.assumingMemoryBound(to: UInt64.self)
                    // The payload is written before the timed region; the stub's copy
                    // into the message registers (the marshalling) is timed.
                    for w in 0..<words { p[w] = UInt64(truncatingIfNeeded: i &+ w) }
                    t0 = CPU.tscBegin()
                    let s = try bench.ping(UnsafeBufferPointer(start: p, count: words))
                    t1 = CPU.tscEnd()
                    return s
                }
            } catch { fail("ipc.rpc", param: "words=", value: words, "RPC error", error); return }
            let want = UInt64(words) &* UInt64(i) &+ UInt64(words) &* UInt64(max(words, 1) - 1) / 2
            if sum != want { fail("ipc.rpc", param: "words=", value: words, "wrong sum", nil); return }
            store(S.self, i, t0, t1)
        }
        emit(S.self, "ipc.rpc", param: "words=", value: words)
    }

    mutating func str<S: CallStamps>(_ stamps: S, length: Int, text: UnsafeBufferPointer<UInt8>) {
        let bench = Bench.Client(stamps.channel(gate, UTCB.current))
        let s = UnsafeBufferPointer(rebasing: text[0..<length])
        for i in 0..<(warmup + samples) {
            let got: UInt64
            let t0 = CPU.tscBegin()
            do { got = try bench.str(s) } catch { fail("ipc.str", param: "bytes=", value: length, "RPC error", error); return }
            let t1 = CPU.tscEnd()
            if got != UInt64(length) { fail("ipc.str", param: "bytes=", value: length, "wrong length", nil); return }
            store(S.self, i, t0, t1)
        }
        emit(S.self, "ipc.str", param: "bytes=", value: length)
    }

    mutating func capMap<S: CallStamps>(_ stamps: S) {
        let bench = Bench.Client(stamps.channel(gate, UTCB.current))
        let irq: Irq
        do { irq = try Irq.create() } catch { fail("cap.map", param: "-", value: -1, "cannot create an IRQ", error); return }
        let item = irq.cap.sendItem(rights: Fpage.capRWS)
        for i in 0..<(warmup + samples) {
            let t0 = CPU.tscBegin()
            do {
                try bench.mapCap(item)
            } catch { fail("cap.map", param: "-", value: -1, "RPC error", error); return }
            let t1 = CPU.tscEnd()
            store(S.self, i, t0, t1)
        }
        emit(S.self, "cap.map", param: "-", value: -1)
        try? irq.cap.unmap()
        irq.cap.free()
    }

    mutating func dsShare(size: Int, n: Int) {
        let bench = Bench.Client(Gate(gate))
        let pages = size / 4096
        var problem: (StaticString, L4Error?)? = nil
        // Large dataspaces cost milliseconds an iteration: warm up in proportion.
        let dsWarmup = n / 4 < warmup ? max(1, n / 4) : warmup
        for i in 0..<(dsWarmup + n) {
            let t0 = CPU.tscBegin()
            let ds: Dataspace
            do { ds = try Dataspace.allocate(size: size) } catch { problem = ("alloc", error); break }
            let t1 = CPU.tscEnd()
            // Fill (untimed): one distinct word per page, for the server to sum.
            var want: UInt64 = 0
            do {
                let p = try ds.attach(size: size).assumingMemoryBound(to: UInt64.self)
                for pg in 0..<pages {
                    let w = BenchInterface.pageWord(iteration: i, page: pg)
                    p[pg * 512] = w
                    want &+= w
                }
                try Dataspace.detach(UnsafeMutableRawPointer(p))
            } catch { problem = ("attach", error); try? ds.release(); break }
            let t2 = CPU.tscBegin()
            let reply: (sum: UInt64, attachTicks: UInt64, touchTicks: UInt64, detachTicks: UInt64)
            do {
                reply = try bench.share(ds.cap.sendItem(rights: Fpage.capRW), UInt64(size))
            } catch { problem = ("RPC error", error); try? ds.release(); break }
            let t3 = CPU.tscEnd()
            try? ds.release()
            if reply.sum != want { problem = ("pages read back wrong", nil); break }
            if i >= dsWarmup {
                let o = v + (i - dsWarmup) * 5
                o[0] = t1 &- t0; o[1] = reply.attachTicks; o[2] = reply.touchTicks; o[3] = reply.detachTicks; o[4] = t3 &- t2
            }
        }
        let names: [StaticString] = ["ds.share.alloc", "ds.share.map", "ds.share.touch", "ds.share.unmap", "ds.share"]
        for k in 0..<5 {
            if let (why, e) = problem { fail(names[k], param: "bytes=", value: size, why, e) }
            else { emitGroup(names[k], phase: nil, param: "bytes=", value: size, values: v + k, count: n, stride: 5) }
        }
        if problem != nil { failures -= 4 }  // one failure, reported for each phase
    }

    mutating func run<S: CallStamps>(_ stamps: S, text: UnsafeBufferPointer<UInt8>) {
        let benches = args.bytes(Int(L4B_ARG_BENCHES.rawValue))
        if hasKey(benches, L4B_KEY_RT) {
            for w in [L4B_RT_WORDS_0, L4B_RT_WORDS_1, L4B_RT_WORDS_2] { roundtrip(S.self, words: Int(w)) }
        }
        if hasKey(benches, L4B_KEY_RPC) {
            for w in [L4B_RPC_WORDS_0, L4B_RPC_WORDS_1, L4B_RPC_WORDS_2] { rpc(stamps, words: Int(w)) }
        }
        if hasKey(benches, L4B_KEY_CAP) { capMap(stamps) }
        if hasKey(benches, L4B_KEY_STR) {
            for n in [L4B_STR_LEN_0, L4B_STR_LEN_1, L4B_STR_LEN_2] { str(stamps, length: Int(n), text: text) }
        }
        if !S.on && hasKey(benches, L4B_KEY_DS) {
            for (size, n) in args.pairs(Int(L4B_ARG_DS.rawValue)) { dsShare(size: size, n: n) }
        }
    }
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let args = Args(argc, argv)
    guard args.argc == Int(L4B_CLIENT_ARGS.rawValue) + 1 else {
        log("usage: swift-bench-client CPU PLACEMENT ROUND SERVER SAMPLES WARMUP BENCHES DS LIMIT"); return Int32(L4B_EXIT_USAGE)
    }
    let limit = args.number(Int(L4B_ARG_LIMIT.rawValue))
    if limit > 0 && !startWatchdog(seconds: UInt32(limit)) { log("swift-bench-client: no watchdog thread") }
    do { try CPU.pin(to: UInt32(args.number(Int(L4B_ARG_CPU.rawValue)))) } catch { log("swift-bench-client: cannot pin to the CPU") }
    let ds = args.pairs(Int(L4B_ARG_DS.rawValue))
    var most = args.number(Int(L4B_ARG_SAMPLES.rawValue))
    for (_, n) in ds where n > most { most = n }
    let gate = Env.cap("bench", as: IpcGateObject.self)
    guard gate.isValid else { log("swift-bench-client: no 'bench' capability"); return 1 }
    var phaseLog: UnsafePointer<UInt64>? = nil
    let logCap = envCap(L4B_PHASE_LOG_CAP, as: DataspaceObject.self)
    if logCap.isValid {
        do { phaseLog = UnsafePointer(try Dataspace(cap: logCap).attach(size: 4096).assumingMemoryBound(to: UInt64.self)) }
        catch { log("swift-bench-client: cannot attach the phase log"); return Int32(L4B_EXIT_FAILURES) }
    }
    // ipc.str's text: the longest string, of which each size sends a prefix.
    let text = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Int(L4B_STR_LEN_2))
    for k in 0..<text.count { text[k] = 97 &+ UInt8(k % 26) }
    var c = Client(args: args, placement: args.bytes(Int(L4B_ARG_PLACEMENT.rawValue)), server: args.bytes(Int(L4B_ARG_SERVER.rawValue)),
                   round: args.number(Int(L4B_ARG_ROUND.rawValue)), samples: args.number(Int(L4B_ARG_SAMPLES.rawValue)),
                   warmup: args.number(Int(L4B_ARG_WARMUP.rawValue)), gate: gate,
                   v: UnsafeMutablePointer<UInt64>.allocate(capacity: most * Int(L4B_MAX_VALUES)), phaseLog: phaseLog)
    if phaseLog != nil { c.run(Stamps(), text: UnsafeBufferPointer(text)) } else { c.run(NoStamps(), text: UnsafeBufferPointer(text)) }
    return c.failures == 0 ? Int32(L4B_EXIT_OK) : Int32(L4B_EXIT_FAILURES)
}
