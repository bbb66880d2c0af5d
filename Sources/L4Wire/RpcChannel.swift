/// Where a generated client's calls go: the calling thread's message and
/// buffer registers and a call that sends the request and returns the reply
/// tag. On L4Re it is `Gate` (L4Swift, one IPC call); host tests put an
/// in-process server or recorded C++ bytes behind it.
public protocol RpcChannel {
    /// The message registers, as bytes.
    var messageRegisters: UnsafeMutableRawPointer { get }
    /// The buffer registers from `br[0]`; generated code resets the buffer
    /// descriptor with `resetBufferDescriptor()` before it writes them.
    var bufferRegisters: UnsafeMutablePointer<UInt> { get }
    func resetBufferDescriptor()
    /// Sends `tag` with the message registers and waits for the reply (kernel IPC errors are thrown).
    func call(_ tag: MsgTag) throws(L4Error) -> MsgTag
    /// Sends `tag` with the message registers without waiting for a reply (a send-only RPC, `L4::Ipc::Send_only`).
    func send(_ tag: MsgTag) throws(L4Error)
}

extension RpcChannel {
    /// A channel that cannot send without waiting (one written before send-only RPCs were
    /// generated) refuses them with `-L4_ENOSYS` rather than wait for a reply that never comes.
    public func send(_ tag: MsgTag) throws(L4Error) { throw .code(-L4Err.nosys) }
}

/// What every generated `Client` is: a typed interface over a channel. (L4Swift
/// lets one be made straight from a capability: `Calc.Client(cap)`.)
public protocol RpcInterfaceClient {
    associatedtype Channel: RpcChannel
    init(_ channel: Channel)
}

/// A capability slot a reply may map into (`L4::Cap<T>` where C++ passes a
/// `Small_buf` or an `Out<L4::Cap<T>>`).
public protocol CapabilitySlot {
    var capIndex: UInt { get }
}

/// A capability that came with a request (`L4::Ipc::Cap<T>` on a C++
/// server): the item as the kernel left it, and the slot it went to.
/// `isValid` only when the kernel mapped a capability there, which a server
/// checks as C++ servers do (`-L4_EINVAL` otherwise, for instance).
public struct ReceivedCap: Equatable {
    public let item: SndFpage
    public let slot: UInt
    @inline(__always) public init(item: SndFpage, slot: UInt) { self.item = item; self.slot = slot }
    @inline(__always) public var isValid: Bool { item.capReceived }
}

/// One request as a server loop received it.
public struct RpcRequest {
    public var tag: MsgTag
    /// The W and S rights of the caller's capability (the gate label's two low bits).
    public var rights: UInt
    public var mr: UnsafeMutableRawPointer
    /// The slots of the open receive windows, in buffer order.
    public var slots: UnsafePointer<UInt>?
    public var slotCount: Int
    /// The first of them, kept by value: most servers receive one capability
    /// at most, and then take its slot without a load.
    public var firstSlot: UInt

    @inline(__always)
    public init(tag: MsgTag, rights: UInt, mr: UnsafeMutableRawPointer, slots: UnsafePointer<UInt>? = nil, slotCount: Int = 0,
                firstSlot: UInt? = nil) {
        self.tag = tag; self.rights = rights; self.mr = mr; self.slots = slots; self.slotCount = slotCount
        self.firstSlot = firstSlot ?? (slotCount > 0 ? slots?[0] ?? CapIndex.invalid : CapIndex.invalid)
    }

    /// The `k`th capability item of the request, with the slot it landed in.
    @inline(__always)
    public func receivedCap(_ items: inout MessageReader, _ k: Int) throws(L4Error) -> ReceivedCap {
        let item = try items.getItem()
        let slot: UInt
        if k == 0 { slot = firstSlot } else { slot = k < slotCount ? (slots?[k] ?? CapIndex.invalid) : CapIndex.invalid }
        return ReceivedCap(item: item, slot: slot)
    }
}

/// Who sent the request a server method is answering: the rights of the
/// capability the caller used, which the kernel puts in the two low bits of
/// the gate label (what C++'s `op_` functions get as `L4::Typeid::Rights`).
public struct RpcCaller: Equatable {
    /// `L4_CAP_FPAGE_W` (1) and `L4_CAP_FPAGE_S` (2), as the label carries them.
    public var rights: UInt
    @inline(__always) public init(rights: UInt = 0) { self.rights = rights }
    /// The caller's capability has the W right.
    @inline(__always) public var canWrite: Bool { rights & 1 != 0 }
    /// The caller's capability has the S right.
    @inline(__always) public var hasSpecial: Bool { rights & 2 != 0 }
}

/// A server of one generated interface: `handle` answers a request (the
/// generated `Server` protocols implement it), `receiveCaps` is how many
/// receive windows the loop opens before each wait.
///
/// A server that wants to know its caller's rights declares `var caller = RpcCaller()`:
/// the generated dispatch sets it before each method it calls. Servers without it pay nothing.
public protocol RpcHandler {
    static var receiveCaps: Int { get }
    mutating func handle(_ request: RpcRequest) -> MsgTag
    /// The caller of the request being answered (set by the generated dispatch).
    var caller: RpcCaller { get set }
}

extension RpcHandler {
    /// Servers that do not keep it: nothing is stored.
    @inline(__always) public var caller: RpcCaller {
        get { RpcCaller() }
        set {}
    }
}
