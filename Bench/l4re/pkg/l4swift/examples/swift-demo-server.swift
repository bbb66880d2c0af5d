// Swift server of the Demo interface (include/demo.h). The C++ header is the
// one declaration: l4swift-gen turns it into `Demo.Server` (one method per
// RPC), the dispatch with L4Re's error codes and the meta protocol, so a C++
// client using L4_INLINE_RPC or L4::cap_dynamic_cast calls it unchanged.

struct DemoServer: Demo.Server {
    func mix(_ a: Int32, _ b: UInt64, _ c: Int8) throws(L4Error) -> Int64 {
        DemoInterface.mix(a, b, c)
    }

    func measure(_ s: UnsafeBufferPointer<UInt8>) throws(L4Error) -> (length: UInt32, hash: UInt32) {
        (UInt32(s.count), DemoInterface.fnv1a(s))
    }

    /// Triggers the IRQ it is given, then drops it.
    func trigger(_ irq: ReceivedCap) throws(L4Error) -> Int {
        guard irq.isValid else { throw .code(-L4Err.inval) }
        defer { try? irq.cap(as: UnknownObject.self).unmap() }
        try Irq(cap: irq.cap()).trigger()
        return 0
    }

    /// Attaches the dataspace and sums its 64-bit words.
    func sumDs(_ ds: ReceivedCap, _ size: UInt64) throws(L4Error) -> UInt64 {
        guard ds.isValid else { throw .code(-L4Err.inval) }
        defer { try? ds.cap(as: UnknownObject.self).unmap() }
        let n = Int(truncatingIfNeeded: size)
        let p = try Dataspace(cap: ds.cap()).attach(size: n).assumingMemoryBound(to: UInt64.self)
        var sum: UInt64 = 0
        for i in 0..<(n / 8) { sum &+= p[i] }
        try Dataspace.detach(UnsafeMutableRawPointer(p))
        return sum
    }
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var server = DemoServer()
    do throws(L4Error) {
        let gate = Env.cap("demo", as: IpcGateObject.self)
        guard gate.isValid else { log("swift-demo-server: no 'demo' capability (the ned script gives it)"); return 1 }
        log("swift-demo-server: ready")
        try server.serve(gate: gate)
    } catch {
        var l = Line("swift-demo-server: cannot serve 'demo': ")
        l.append(error.name); l.flush()
        return 1
    }
}
