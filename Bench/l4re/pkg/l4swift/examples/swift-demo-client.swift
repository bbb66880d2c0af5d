// Swift client of the Demo interface: calls a C++ (or Swift) server that
// uses L4Re's normal RPC framework, over the same wire format.

var failures = 0

func check(_ ok: Bool, _ what: StaticString, got: Int64, want: Int64) {
    var l = Line("swift-demo-client: ")
    l.append(what); l.append(" = "); l.append(Int(got)); l.append(" (want "); l.append(Int(want)); l.append(ok ? ") ok" : ") MISMATCH")
    l.flush()
    if !ok { failures += 1 }
}

func report(_ what: StaticString, _ e: L4Error) {
    var l = Line("swift-demo-client: ")
    l.append(what); l.append(" failed: "); l.append(e.name); l.append(" ("); l.append(e.code); l.append(")")
    l.flush()
    failures += 1
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let gate = Env.cap("demo", as: IpcGateObject.self)
    guard gate.isValid else { log("swift-demo-client: no 'demo' capability"); log("DEMO FAIL"); return 1 }
    // The client l4swift-gen wrote from include/demo.h, over the gate.
    let demo = Demo.Client(gate)

    // integers
    do {
        let r = try demo.mix(-7, 1_000_000_007, -3)
        check(r == -7_000_000_052, "mix(-7, 1000000007, -3)", got: r, want: -7_000_000_052)
    } catch { report("mix", error) }

    // a string
    let text: StaticString = "capabilities, not ambient authority"
    do {
        // A static string's bytes live as long as the program.
        let s = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        let (len, hash) = try demo.measure(s)
        let want = DemoInterface.fnv1a(s)
        check(Int(len) == text.utf8CodeUnitCount, "measure length", got: Int64(len), want: Int64(text.utf8CodeUnitCount))
        check(hash == want, "measure fnv1a", got: Int64(hash), want: Int64(want))
    } catch { report("measure", error) }

    // a capability: an IRQ the server triggers, which we then receive
    do {
        let irq = try Irq.create()
        try irq.bind(to: Env.mainThread, label: 0x1a0)
        try demo.trigger(irq.cap.sendItem(rights: Fpage.capRWS))
        try irq.wait(timeout: .receive(microseconds: 2_000_000))
        check(true, "irq triggered by the server", got: 0, want: 0)
    } catch { report("irq", error) }

    // a dataspace: 64 KiB of words the server sums
    do {
        let size = 64 << 10
        let ds = try Dataspace.allocate(size: size)
        let p = try ds.attach(size: size).assumingMemoryBound(to: UInt64.self)
        var want: UInt64 = 0
        for i in 0..<(size / 8) { p[i] = UInt64(i) &* 3 &+ 1; want &+= p[i] }
        let sum = try demo.sumDs(ds.cap.sendItem(rights: Fpage.capRW), UInt64(size))
        check(sum == want, "sum_ds over 64 KiB", got: Int64(bitPattern: sum), want: Int64(bitPattern: want))
        try Dataspace.detach(UnsafeMutableRawPointer(p))
        try ds.release()
    } catch { report("dataspace", error) }

    log(failures == 0 ? "DEMO PASS" : "DEMO FAIL")
    return failures == 0 ? 0 : 1
}
