import CL4

/// A dataspace (shared memory) allocated from L4Re's memory allocator and
/// attached through the region map.
public struct Dataspace {
    public let cap: Cap<DataspaceObject>

    @inline(__always) public init(cap: Cap<DataspaceObject>) { self.cap = cap }

    /// Allocates `size` bytes into a fresh capability slot.
    public static func allocate(size: Int) throws(L4Error) -> Dataspace {
        let c = try Cap<DataspaceObject>.allocate()
        let r = cl4_ds_alloc(UInt(size), c.index)
        if r < 0 {
            c.free()
            throw L4Error(returnCode: r)
        }
        return Dataspace(cap: c)
    }

    /// The size the dataspace's server reports.
    public func size() throws(L4Error) -> Int {
        let r = cl4_ds_size(cap.index)
        if r < 0 { throw L4Error(returnCode: r) }
        return r
    }

    /// Attaches `size` bytes read-write; returns where.
    public func attach(size: Int) throws(L4Error) -> UnsafeMutableRawPointer {
        var addr: UnsafeMutableRawPointer?
        let r = cl4_rm_attach(&addr, UInt(size), cap.index)
        guard r >= 0, let addr else { throw L4Error(returnCode: r < 0 ? r : -L4Err.nomem) }
        return addr
    }

    public static func detach(_ addr: UnsafeMutableRawPointer) throws(L4Error) {
        let r = cl4_rm_detach(addr)
        if r < 0 { throw L4Error(returnCode: r) }
    }

    /// Drops this task's capability: the memory goes when no one holds it.
    public func release() throws(L4Error) {
        try cap.unmap()
        cap.free()
    }
}
