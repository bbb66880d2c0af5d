// A Swift server of an interface L4Re itself defines: L4Re::Namespace, its
// Swift side generated from L4Re's own header (l4/re/namespace). A C++ client
// resolves a name through L4Re's C++ library (L4Re::Namespace::query), which
// does not know that the server is Swift, and receives a dataspace that this
// server filled.

/// One name, "greeting", bound to a dataspace holding a text.
struct GreetingNamespace: Namespace.Server {
    let greeting: Dataspace

    func query(_ name: UnsafeBufferPointer<UInt8>) throws(L4Error)
        -> (sndCap: SndFpage, dummy: Int32?, outName: UnsafeBufferPointer<UInt8>?) {
        let known: StaticString = "greeting"
        guard name.elementsEqual(UnsafeBufferPointer(start: known.utf8Start, count: known.utf8CodeUnitCount)) else {
            throw .code(-L4Err.noent)
        }
        // The whole name resolved (no rest), the capability goes as the item.
        return (greeting.cap.sendItem(rights: Fpage.capRW), nil, nil)
    }

    func registerObj(_ flags: UInt32, _ name: UnsafeBufferPointer<UInt8>, _ obj: ReceivedCap?) throws(L4Error) -> Int {
        throw .code(-L4Err.perm)   // a read-only namespace
    }

    func unlink(_ name: UnsafeBufferPointer<UInt8>) throws(L4Error) -> Int {
        throw .code(-L4Err.perm)
    }
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
        var server = GreetingNamespace(greeting: ds)
        log("swift-ns-server: ready")
        try server.serve(gate: Env.cap("names", as: IpcGateObject.self))
    } catch {
        var l = Line("swift-ns-server: "); l.append(error.name); l.flush()
        return 1
    }
}
