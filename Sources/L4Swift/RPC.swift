/// A capability to an IPC gate as the channel of a generated client (what
/// `L4::Cap<Iface>` is to `L4_INLINE_RPC`): `Demo.Client(Gate(cap))`, then
/// `try demo.mix(a, b, c)`. Each call is one `l4_ipc_call` on the calling
/// thread's UTCB.
public struct Gate<Kind>: RpcChannel {
    public let cap: Cap<Kind>
    public let utcb: UTCB
    public let timeout: Timeout

    @inline(__always)
    public init(_ cap: Cap<Kind>, utcb: UTCB = .current, timeout: Timeout = .never) {
        self.cap = cap; self.utcb = utcb; self.timeout = timeout
    }

    @inline(__always) public var messageRegisters: UnsafeMutableRawPointer { utcb.mrBytes }
    @inline(__always) public var bufferRegisters: UnsafeMutablePointer<UInt> { utcb.br }
    @inline(__always) public func resetBufferDescriptor() { utcb.setBufferDescriptor(0) }
    @inline(__always) public func call(_ tag: MsgTag) throws(L4Error) -> MsgTag {
        try IPC.call(cap, tag, utcb: utcb, timeout: timeout)
    }
    @inline(__always) public func send(_ tag: MsgTag) throws(L4Error) {
        try IPC.send(cap, tag, utcb: utcb, timeout: timeout)
    }
}

extension RpcInterfaceClient {
    /// A client calling through the IPC gate `cap`: `let calc = Calc.Client(Env.cap("calc", as: IpcGateObject.self))`.
    @inline(__always)
    public init<Kind>(_ cap: Cap<Kind>, utcb: UTCB = .current, timeout: Timeout = .never) where Channel == Gate<Kind> {
        self.init(Gate(cap, utcb: utcb, timeout: timeout))
    }
}

extension Cap: CapabilitySlot {
    @inline(__always) public var capIndex: UInt { index }
}

extension ReceivedCap {
    /// The slot the capability went to, typed (check `isValid` first).
    @inline(__always) public func cap<Kind>(as: Kind.Type = Kind.self) -> Cap<Kind> { Cap<Kind>(index: slot) }
}

/// The receive windows of a server: `count` capability slots of its own,
/// reopened before each wait (a received capability is moved out of its slot
/// or unmapped by the server method that got it).
public struct ReceiveSlots {
    public let base: UnsafeMutablePointer<UInt>?
    public let count: Int
    /// The first window's buffer word and slot, kept beside the slots: the
    /// common one-slot server opens its window and finds the capability
    /// without a load from memory.
    let firstBuffer: UInt
    public let firstSlot: UInt

    /// Allocates `count` slots (none for an interface without capability arguments).
    public init(count: Int) throws(L4Error) {
        self.count = count
        guard count > 0 else { base = nil; firstBuffer = 0; firstSlot = CapIndex.invalid; return }
        let p = UnsafeMutablePointer<UInt>.allocate(capacity: count)
        for i in 0..<count { p[i] = try Cap<UnknownObject>.allocate().index }
        base = p
        firstSlot = p[0]
        firstBuffer = smallBuffer(cap: p[0])
    }

    /// Opens one receive window per slot (and none beyond).
    @inline(__always)
    public func open(_ utcb: UTCB) { open(utcb, count: count) }

    /// The same for a server of `H`, whose window count is a constant of its interface.
    @inline(__always)
    public func open<H: RpcHandler>(_ utcb: UTCB, for: H.Type) { open(utcb, count: H.receiveCaps) }

    @inline(__always)
    func open(_ utcb: UTCB, count: Int) {
        utcb.setBufferDescriptor(0)
        let br = utcb.br
        if count == 0 {
            br[0] = 0
        } else if count == 1 {
            br[0] = firstBuffer
            br[1] = 0
        } else {
            openSlots(br)
        }
    }

    @inline(never)
    func openSlots(_ br: UnsafeMutablePointer<UInt>) {
        for i in 0..<count { br[i] = smallBuffer(cap: base![i]) }
        br[count] = 0
    }
}

extension RpcHandler {
    /// Binds `gate` to the calling thread with `label` and serves it forever
    /// (the gate's server side, as ned's `gate:svr()` hands it over). A program
    /// serving several gates gives each its own label (the two low bits clear).
    public mutating func serve(gate: Cap<IpcGateObject>, label: UInt = 0x10, utcb: UTCB = .current) throws(L4Error) -> Never {
        try bindGate(gate, label: label)
        try serve(label: label, utcb: utcb)
    }

    /// Serves requests that arrive through gates bound with `label`, forever.
    /// Receive windows are opened for the interface's capability arguments
    /// before each wait; the two low bits of the received label are the
    /// caller's rights. A message through another gate is answered
    /// `-L4_EBADPROTO`; a reply that cannot be delivered (the caller is gone)
    /// is dropped and the loop waits again.
    public mutating func serve(label: UInt, utcb: UTCB = .current) throws(L4Error) -> Never {
        let slots = try ReceiveSlots(count: Self.receiveCaps)
        serve(label: label, slots: slots, utcb: utcb)
    }

    public mutating func serve(label: UInt, slots: ReceiveSlots, utcb: UTCB = .current) -> Never {
        while true {
            slots.open(utcb, for: Self.self)
            var next = try? IPC.wait(utcb: utcb)
            while let (tag, lbl) = next {
                let reply = lbl & ~3 == label & ~3
                    ? handle(RpcRequest(tag: tag, rights: lbl & 3, mr: utcb.mrBytes,
                                        slots: UnsafePointer(slots.base), slotCount: slots.count, firstSlot: slots.firstSlot))
                    : Rpc.replyTag(-L4Err.badproto)
                slots.open(utcb, for: Self.self)
                // a send-only RPC is not answered (-L4_ENOREPLY), as L4Re's server loop does
                next = reply.label == -L4Err.noReply ? try? IPC.wait(utcb: utcb) : try? IPC.replyAndWait(reply, utcb: utcb)
            }
        }
    }
}
