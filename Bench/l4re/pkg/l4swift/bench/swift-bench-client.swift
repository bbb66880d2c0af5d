// Swift benchmark client: ipc.roundtrip (raw IPC.call), ipc.rpc (the Swift RPC
// stubs), cap.map and ds.share against a Bench server in either language.
//   swift-bench-client CPU PLACEMENT ROUND SERVER SAMPLES WARMUP BENCHES DS LIMIT
// It mirrors cpp-bench-client.cc step for step.

struct Client {
    let args: Args
    let placement: UnsafeBufferPointer<UInt8>
    let server: UnsafeBufferPointer<UInt8>
    let round: Int
    let samples: Int
    let warmup: Int
    let gate: Cap<IpcGateObject>
    let v: UnsafeMutablePointer<UInt64>
    var failures = 0

    func prefix(_ l: inout Line, _ kind: StaticString, _ bench: StaticString) {
        l.append("L4B1,"); l.append(kind); l.append(",l4,"); l.append(bench); l.append(",swift,")
        l.append(bytes: server); l.byte(44); l.append(bytes: placement); l.byte(44)
    }

    func emit(_ bench: StaticString, param: StaticString, value: Int, values: UnsafeMutablePointer<UInt64>, count: Int, stride: Int) {
        var l = Line()
        for i in 0..<count {
            prefix(&l, "s", bench)
            l.append(param); if value >= 0 { l.append(value) }
            l.byte(44); l.append(round); l.byte(44); l.append(i); l.byte(44); l.append(values[i * stride])
            l.flush()
        }
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

    mutating func roundtrip(words: Int) {
        let utcb = UTCB.current
        let mr = utcb.mr
        let tag = MsgTag(label: BenchInterface.rawLabel, words: words, items: 0)
        for i in 0..<(warmup + samples) {
            let t0 = CPU.tscBegin()
            for w in 0..<words { mr[w] = UInt(truncatingIfNeeded: i &+ w) }
            let reply: MsgTag
            do { reply = try IPC.call(gate, tag, utcb: utcb) } catch {
                fail("ipc.roundtrip", param: "words=", value: words, "IPC error", error); return
            }
            let t1 = CPU.tscEnd()
            let want = UInt(words) &* UInt(i) &+ UInt(words) &* UInt(max(words, 1) - 1) / 2
            if words > 0 && (reply.words != 1 || mr[0] != want) {
                fail("ipc.roundtrip", param: "words=", value: words, "wrong sum", nil); return
            }
            if i >= warmup { v[i - warmup] = t1 &- t0 }
        }
        emit("ipc.roundtrip", param: "words=", value: words, values: v, count: samples, stride: 1)
    }

    mutating func rpc(words: Int) {
        let utcb = UTCB.current
        let bench = Bench.Client(Gate(gate, utcb: utcb))
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
            let t0 = CPU.tscBegin()
            let sum: UInt64
            do {
                sum = try withUnsafeMutableBytes(of: &data) { raw throws(L4Error) -> UInt64 in
                    let p = raw.baseAddress!.assumingMemoryBound(to: UInt64.self)
                    for w in 0..<words { p[w] = UInt64(truncatingIfNeeded: i &+ w) }
                    return try bench.ping(UnsafeBufferPointer(start: p, count: words))
                }
            } catch { fail("ipc.rpc", param: "words=", value: words, "RPC error", error); return }
            let t1 = CPU.tscEnd()
            let want = UInt64(words) &* UInt64(i) &+ UInt64(words) &* UInt64(max(words, 1) - 1) / 2
            if sum != want { fail("ipc.rpc", param: "words=", value: words, "wrong sum", nil); return }
            if i >= warmup { v[i - warmup] = t1 &- t0 }
        }
        emit("ipc.rpc", param: "words=", value: words, values: v, count: samples, stride: 1)
    }

    mutating func capMap() {
        let bench = Bench.Client(Gate(gate))
        let irq: Irq
        do { irq = try Irq.create() } catch { fail("cap.map", param: "-", value: -1, "cannot create an IRQ", error); return }
        let item = irq.cap.sendItem(rights: Fpage.capRWS)
        for i in 0..<(warmup + samples) {
            let t0 = CPU.tscBegin()
            do {
                try bench.mapCap(item)
            } catch { fail("cap.map", param: "-", value: -1, "RPC error", error); return }
            let t1 = CPU.tscEnd()
            if i >= warmup { v[i - warmup] = t1 &- t0 }
        }
        emit("cap.map", param: "-", value: -1, values: v, count: samples, stride: 1)
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
            else { emit(names[k], param: "bytes=", value: size, values: v + k, count: n, stride: 5) }
        }
        if problem != nil { failures -= 4 }  // one failure, reported for each phase
    }
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let args = Args(argc, argv)
    guard args.argc == 10 else { log("usage: swift-bench-client CPU PLACEMENT ROUND SERVER SAMPLES WARMUP BENCHES DS LIMIT"); return 64 }
    if args.number(9) > 0 && !startWatchdog(seconds: UInt32(args.number(9))) { log("swift-bench-client: no watchdog thread") }
    do { try CPU.pin(to: UInt32(args.number(1))) } catch { log("swift-bench-client: cannot pin to the CPU") }
    let ds = args.pairs(8)
    var most = args.number(5)
    for (_, n) in ds where n > most { most = n }
    let gate = Env.cap("bench", as: IpcGateObject.self)
    guard gate.isValid else { log("swift-bench-client: no 'bench' capability"); return 1 }
    var c = Client(args: args, placement: args.bytes(2), server: args.bytes(4), round: args.number(3),
                   samples: args.number(5), warmup: args.number(6), gate: gate,
                   v: UnsafeMutablePointer<UInt64>.allocate(capacity: most * 5))
    if args.contains(7, "rt") { for w in [0, 8, 63] { c.roundtrip(words: w) } }
    if args.contains(7, "rpc") { for w in [0, 8, 61] { c.rpc(words: w) } }
    if args.contains(7, "cap") { c.capMap() }
    if args.contains(7, "ds") { for (size, n) in ds { c.dsShare(size: size, n: n) } }
    return c.failures == 0 ? 0 : 2
}
