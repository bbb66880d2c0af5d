// The reader of the first-task example: serves include/notes.h; attaches the
// dataspace it is given, logs the note in it and answers the note's hash.

struct NotesReader: Notes.Server {
    func read(_ ds: ReceivedCap, _ length: UInt64) throws(L4Error) -> UInt32 {
        guard ds.isValid else { throw .code(-L4Err.inval) }           // no capability came with the request
        defer { try? ds.cap(as: UnknownObject.self).unmap() }         // drop it when done
        let dataspace = Dataspace(cap: ds.cap())
        let size = try dataspace.size()
        guard length <= UInt64(size) else { throw .code(-L4Err.inval) }
        let p = try dataspace.attach(size: size)
        defer { try? Dataspace.detach(p) }
        let text = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: Int(length))
        var l = Line("swift-notes-reader: read \""); l.append(bytes: text); l.append("\""); l.flush()
        return DemoInterface.fnv1a(text)
    }
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let gate = Env.cap("notes", as: IpcGateObject.self)
    guard gate.isValid else { log("swift-notes-reader: no 'notes' capability (the ned script gives it)"); return 1 }
    var reader = NotesReader()
    do throws(L4Error) {
        log("swift-notes-reader: ready")
        try reader.serve(gate: gate)
    } catch {
        var l = Line("swift-notes-reader: cannot serve 'notes': "); l.append(error.name); l.flush()
        return 1
    }
}
