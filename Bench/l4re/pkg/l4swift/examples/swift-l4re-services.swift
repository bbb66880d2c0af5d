// A Swift client of two interfaces that L4Re itself defines and serves in
// C++: L4::Meta (l4/sys/meta) and L4Re::Namespace (l4/re/namespace). Their
// Swift side is generated at build time from L4Re's own headers (see
// L4IFACE_swift-l4re-services in the Makefile); nothing of it is written by
// hand. The server is moe, answering for the `rom` namespace.

var failures = 0

func say(_ what: StaticString, _ value: Int, ok: Bool) {
    var l = Line("swift-l4re-services: ")
    l.append(what); l.append(" = "); l.append(value); l.append(ok ? " ok" : " MISMATCH")
    l.flush()
    if !ok { failures += 1 }
}

func report(_ what: StaticString, _ e: L4Error) {
    var l = Line("swift-l4re-services: ")
    l.append(what); l.append(" failed: "); l.append(e.name); l.append(" ("); l.append(e.code); l.append(")")
    l.flush()
    failures += 1
}

func bytes(_ s: StaticString) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let rom = Env.cap("rom", as: UnknownObject.self)
    guard rom.isValid else { log("swift-l4re-services: no 'rom' capability"); log("SERVICES FAIL"); return 1 }

    // L4::Meta: what moe's rom namespace says it implements.
    let meta = Meta.Client(rom)
    do {
        let n = try meta.numInterfaces()
        say("Meta::num_interfaces", n, ok: n >= 1)
        let (proto, name) = try meta.interface(0)
        var l = Line("swift-l4re-services: Meta::interface(0) = protocol ")
        l.append(proto); l.append(", name '")
        l.append(bytes: name)
        l.append("'"); l.flush()
        say("Meta::interface(0) is the namespace protocol", proto, ok: proto == Namespace.proto)
        say("Meta::supports(Namespace)", try meta.supports(Namespace.proto), ok: true)
        say("Meta::supports(0x5301)", try meta.supports(0x5301), ok: true)
    } catch { report("meta", error) }

    // L4Re::Namespace::query: a module of the boot image, received as a dataspace capability.
    do {
        let slot = try Cap<DataspaceObject>.allocate()
        let ns = Namespace.Client(rom)
        let (code, sent, _, _) = try ns.query(bytes("swift-l4re-services"), into: slot)
        say("Namespace::query resolved the whole name, code", code, ok: code == 0)
        say("Namespace::query mapped a capability", Int(sent.base & 0xff), ok: slot.isPresent)
        let ds = Dataspace(cap: slot)
        let size = try ds.size()
        say("the module's dataspace size > 0", size, ok: size > 0)
        let p = try ds.attach(size: 4096).assumingMemoryBound(to: UInt8.self)
        let elf = p[0] == 0x7f && p[1] == UInt8(ascii: "E") && p[2] == UInt8(ascii: "L") && p[3] == UInt8(ascii: "F")
        say("it starts with the ELF magic", Int(p[1]), ok: elf)
        try Dataspace.detach(UnsafeMutableRawPointer(p))
        // A name the namespace does not hold is an error, as from the C++ client.
        do {
            _ = try ns.query(bytes("no-such-module"), into: slot)
            say("Namespace::query of a missing name fails", 0, ok: false)
        } catch { say("Namespace::query of a missing name fails with", error.code, ok: error.code < 0) }
    } catch { report("namespace", error) }

    log(failures == 0 ? "SERVICES PASS" : "SERVICES FAIL")
    return failures == 0 ? 0 : 1
}
