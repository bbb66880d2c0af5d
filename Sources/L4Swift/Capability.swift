import CL4

/// Kinds of kernel and L4Re objects a capability can name.
public enum UnknownObject {}
public enum IpcGateObject {}
public enum ThreadObject {}
public enum TaskObject {}
public enum IrqObject {}
public enum FactoryObject {}
public enum DataspaceObject {}
public enum RegionMapObject {}
public enum MemAllocObject {}
public enum SchedulerObject {}

/// A capability index typed by the kind of object it names, so that a
/// dataspace cannot be passed where an IPC gate is expected.
public struct Cap<Kind>: Equatable {
    public var index: UInt

    @inline(__always) public init(index: UInt) { self.index = index }

    public static var invalid: Cap { Cap(index: cl4_invalid_cap()) }
    @inline(__always) public var isValid: Bool { cl4_is_valid_cap(index) != 0 }

    /// The same index seen as another kind (for objects that implement several interfaces).
    @inline(__always) public func cast<Other>(to: Other.Type = Other.self) -> Cap<Other> { Cap<Other>(index: index) }

    /// A free capability slot from the program's allocator.
    public static func allocate() throws(L4Error) -> Cap {
        let c = Cap(index: cl4_cap_alloc())
        guard c.isValid else { throw .code(-L4Err.nomem) }
        return c
    }

    /// Returns the slot to the allocator (the object it names, if any, is not touched).
    public func free() { cl4_cap_free(index) }

    /// Removes the mapping in this task, so that the slot is empty again.
    public func unmap() throws(L4Error) {
        let tag = cl4_cap_unmap(index)
        let r = cl4_error(tag, cl4_utcb())
        if r < 0 { throw L4Error(returnCode: r) }
    }

    /// Does the slot hold a capability right now?
    public var isPresent: Bool { cl4_cap_present(index) != 0 }

    /// The send item that maps this capability with `rights` (`L4::Ipc::Snd_fpage`).
    @inline(__always)
    public func sendItem(rights: UInt = Fpage.capRWS, grant: Bool = false) -> SndFpage {
        SndFpage.capability(index, rights: rights, grant: grant)
    }
}

/// Capabilities of the running program's environment.
public enum Env {
    /// A named capability from the loader (ned's `caps = { name = ... }`).
    public static func cap<Kind>(_ name: StaticString, as: Kind.Type = Kind.self) -> Cap<Kind> {
        Cap<Kind>(index: name.withUTF8Buffer { buf in
            buf.withMemoryRebound(to: CChar.self) { cl4_env_get_cap($0.baseAddress!) }
        })
    }

    public static var task: Cap<TaskObject> { Cap(index: cl4_this_task()) }
    public static var mainThread: Cap<ThreadObject> { Cap(index: cl4_this_thread()) }
    public static var factory: Cap<FactoryObject> { Cap(index: cl4_env_factory()) }
    /// The task's scheduler (`L4Re::Env::scheduler()`).
    public static var scheduler: Cap<SchedulerObject> { Cap(index: cl4_env_scheduler()) }
    /// The task's region map (`L4Re::Env::rm()`): where dataspaces are attached.
    public static var regionMap: Cap<RegionMapObject> { Cap(index: cl4_env_rm()) }
    /// The task's memory allocator (`L4Re::Env::mem_alloc()`): where dataspaces come from.
    public static var memAlloc: Cap<MemAllocObject> { Cap(index: cl4_env_mem_alloc()) }
}
