// The first task (docs/l4swift-api.md): allocate a dataspace, attach it, write
// into it and share it with a second program through a generated interface
// (include/notes.h), which attaches the same memory and reads it. Every
// request to L4Re (the memory allocator, the region map, the dataspace) goes
// through clients l4swift-gen wrote from L4Re's own headers.

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    // A capability the ned script did not give is invalid: say so, rather than wait on it forever.
    let gate = Env.cap("notes", as: IpcGateObject.self)
    guard gate.isValid else { log("swift-notes-writer: no 'notes' capability (the ned script gives it)"); log("FIRST-TASK FAIL"); return 1 }
    let notes = Notes.Client(gate)                       // from include/notes.h

    let note: StaticString = "a dataspace, written by one program and read by another"
    let text = UnsafeBufferPointer(start: note.utf8Start, count: note.utf8CodeUnitCount)
    do throws(L4Error) {
        let ds = try Dataspace.allocate(size: 4096)       // L4::Factory::create on the memory allocator
        let size = try ds.size()                          // L4Re::Dataspace::info
        let p = try ds.attach(size: 4096)                 // L4Re::Rm::attach, read-write
        UnsafeMutableRawPointer(p).copyMemory(from: text.baseAddress!, byteCount: text.count)
        var l = Line("swift-notes-writer: wrote "); l.append(text.count); l.append(" bytes into a dataspace of ")
        l.append(size); l.append(" bytes at "); l.append(hex: UInt64(UInt(bitPattern: p))); l.flush()

        // An L4::Ipc::Cap<L4Re::Dataspace> argument is a send item: the reader gets the capability.
        let hash = try notes.read(ds.cap.sendItem(rights: Fpage.capRW), UInt64(text.count))
        let want = DemoInterface.fnv1a(text)
        var r = Line("swift-notes-writer: the reader's hash "); r.append(hex: UInt64(hash))
        r.append(hash == want ? " matches" : " DIFFERS"); r.flush()

        try Dataspace.detach(p)                           // L4Re::Rm::detach, then the pages are unmapped
        try ds.release()                                  // unmap the capability and free the slot
        log(hash == want ? "FIRST-TASK PASS" : "FIRST-TASK FAIL")
        return hash == want ? 0 : 1
    } catch {
        var l = Line("swift-notes-writer: failed: "); l.append(error.name); l.flush()
        log("FIRST-TASK FAIL")
        return 1
    }
}
