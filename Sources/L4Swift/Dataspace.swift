import CL4

/// A dataspace (shared memory) allocated from L4Re's memory allocator and
/// attached through the region map. Every request goes through the clients
/// generated from L4Re's headers (`L4ReRequests`): `L4::Factory::create` on
/// the memory allocator, `L4Re::Dataspace::info`, `L4Re::Rm::attach` and
/// `detach`, with the arguments L4Re's C++ sends.
public struct Dataspace {
    public let cap: Cap<DataspaceObject>

    @inline(__always) public init(cap: Cap<DataspaceObject>) { self.cap = cap }

    /// Allocates `size` bytes into a fresh capability slot
    /// (`L4Re::Mem_alloc::alloc(size, ds)` on the environment's allocator).
    public static func allocate(size: Int) throws(L4Error) -> Dataspace {
        let c = try Cap<DataspaceObject>.allocate()
        do throws(L4Error) {
            try L4ReRequests.allocate(L4.Factory.Client(Gate(Env.memAlloc)), into: c, size: size)
        } catch {
            c.free()
            throw error
        }
        return Dataspace(cap: c)
    }

    /// The size the dataspace's server reports (`L4Re::Dataspace::info`).
    public func size() throws(L4Error) -> Int {
        try L4ReRequests.size(L4Re.Dataspace.Client(Gate(cap)))
    }

    /// Attaches `size` bytes read-write where the region map finds room
    /// (`L4Re::Rm::attach` with `Search_addr | RW`); returns where.
    public func attach(size: Int) throws(L4Error) -> UnsafeMutableRawPointer {
        let a = try L4ReRequests.attach(L4Re.Rm.Client(Gate(Env.regionMap)), dataspace: cap.index, size: size)
        guard let p = UnsafeMutableRawPointer(bitPattern: a) else { throw .code(-L4Err.nomem) }
        return p
    }

    /// Detaches the region at `addr` and unmaps its pages from this task, as
    /// `L4Re::Rm::detach(addr, nullptr)` does.
    public static func detach(_ addr: UnsafeMutableRawPointer) throws(L4Error) {
        let r = try L4ReRequests.detach(L4Re.Rm.Client(Gate(Env.regionMap)), address: UInt(bitPattern: addr))
        L4ReRequests.unmapPieces(start: r.start, size: r.size) { fpage in cl4_task_unmap_mem(fpage) }
    }

    /// Drops this task's capability: the memory goes when no one holds it.
    public func release() throws(L4Error) {
        try cap.unmap()
        cap.free()
    }
}
