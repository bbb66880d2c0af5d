// A Swift server of an interface L4Re itself defines: L4Re::Namespace, its
// Swift side generated from L4Re's own header (l4/re/namespace). A C++ client
// resolves a name through L4Re's C++ library (L4Re::Namespace::query), which
// does not know that the server is Swift, and receives a dataspace that this
// server filled.

/// One name, "greeting", bound to a dataspace holding a text; and "again/...",
/// which resolves only its first part (to this namespace itself), so that L4Re's
/// client library asks again for the rest, as with nested namespaces.
struct GreetingNamespace: Namespace.Server {
    let greeting: Dataspace
    let selfGate: Cap<IpcGateObject>
    /// The rest of a partly resolved name, copied out of the request (the reply
    /// is written over the registers the request came in).
    var rest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))

    static let partlyResolved = 0x20   // L4Re::Namespace::Partly_resolved

    mutating func query(_ name: UnsafeBufferPointer<UInt8>) throws(L4Error)
        -> (code: Int, sndCap: SndFpage, dummy: Int32?, outName: UnsafeBufferPointer<UInt8>?) {
        if name.starts(with: bytes("again/")) {
            let n = min(name.count - 6, MemoryLayout.size(ofValue: rest))
            let out = withUnsafeMutableBytes(of: &rest) { r -> UnsafeBufferPointer<UInt8> in
                for i in 0..<n { r[i] = name[6 + i] }
                return UnsafeBufferPointer(start: r.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
            }
            return (Self.partlyResolved, selfGate.sendItem(rights: Fpage.capRW), 0, out)
        }
        guard name.elementsEqual(bytes("greeting")) else { throw .code(-L4Err.noent) }
        // The whole name resolved (no rest), the capability goes as the item.
        return (0, greeting.cap.sendItem(rights: Fpage.capRW), nil, nil)
    }

    func registerObj(_ flags: UInt32, _ name: UnsafeBufferPointer<UInt8>, _ obj: ReceivedCap?) throws(L4Error) -> Int {
        throw .code(-L4Err.perm)   // a read-only namespace
    }

    func unlink(_ name: UnsafeBufferPointer<UInt8>) throws(L4Error) -> Int {
        throw .code(-L4Err.perm)
    }
}

func bytes(_ s: StaticString) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do throws(L4Error) {
        let ds = try Dataspace.allocate(size: 4096)
        let p = try ds.attach(size: 4096).assumingMemoryBound(to: UInt8.self)
        let text: StaticString = "hello from a Swift L4Re::Namespace server"
        for i in 0..<text.utf8CodeUnitCount { p[i] = text.utf8Start[i] }
        p[text.utf8CodeUnitCount] = 0
        try Dataspace.detach(UnsafeMutableRawPointer(p))
        let gate = Env.cap("names", as: IpcGateObject.self)
        guard gate.isValid else { log("swift-ns-server: no 'names' capability (the ned script gives it)"); return 1 }
        var server = GreetingNamespace(greeting: ds, selfGate: gate)
        log("swift-ns-server: ready")
        try server.serve(gate: gate)
    } catch {
        var l = Line("swift-ns-server: "); l.append(error.name); l.flush()
        return 1
    }
}
