#if canImport(L4Wire)
import L4Wire   // the host tests: L4Wire is a module there; on L4Re it is compiled in as sources
#endif

/// The requests L4Swift makes to L4Re's services and kernel objects, through
/// the clients l4swift-gen writes at build time from L4Re's own headers
/// (`l4/re/rm`, `l4/re/dataspace`, `l4/sys/factory`, `l4/sys/rcv_endpoint`,
/// `l4/sys/scheduler`; with their C++ namespaces: `L4Re.Rm`, `L4.Factory`),
/// with the arguments L4Re's C++ passes for the same call. Generic over the
/// channel: on L4Re a `Gate` (one `l4_ipc_call`); in the host tests a
/// recorder whose bytes are compared with what L4Re's C++ sends
/// (`Tests/L4SwiftServicesTests`). What is not an RPC (the UTCB, system calls
/// such as unmapping, the environment's capabilities) stays in the C seam.
public enum L4ReRequests {
    /// `L4Re::Rm::F` and `L4Re::Dataspace::F` values (facts of `l4/re/rm`, `l4/re/dataspace`).
    public enum RmFlag {
        /// `Search_addr`: the region map picks the address.
        public static let searchAddr: UInt32 = 0x20000
        /// `R`, `W`, `RW`: the region's rights (the dataspace's `F::R`, `F::W`: `L4_FPAGE_RO`, `L4_FPAGE_W`).
        public static let r: UInt32 = 0x4
        public static let w: UInt32 = 0x2
        public static let rw: UInt32 = r | w
    }

    /// `L4Re::Rm::Detach_overlap`: detach every region overlapping the range.
    public static let detachOverlap: UInt32 = 2
    /// `L4_PAGESHIFT` on amd64: the alignment `Rm::attach` is given by default.
    public static let pageShift = 12

    /// `L4Re::Rm::attach(&start, size, Search_addr | RW, L4::Ipc::make_cap(ds, rights))`,
    /// as l4re-core's `Rm::attach` sends it: start 0, the flags, the dataspace
    /// as a send item with `rights`, offset 0, alignment `L4_PAGESHIFT`, the
    /// dataspace's capability index (`client_cap`), an empty name (one zero
    /// byte) and backing offset 0. No eager mapping (the flags ask for none).
    /// The address the region map chose.
    @inline(__always)
    public static func attach<C: RpcChannel>(_ rm: L4Re.Rm.Client<C>, dataspace: UInt, size: Int,
                                             rights: UInt = Fpage.capRW) throws(L4Error) -> UInt {
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        return try rm.attach(0, UInt(bitPattern: size), L4Re.Rm_F_Flags(raw: RmFlag.searchAddr | RmFlag.rw),
                             SndFpage.capability(dataspace, rights: rights), 0, UInt8(pageShift),
                             dataspace, empty, 0)
    }

    /// `L4_PROTO_IRQ_SENDER` (`l4/sys/types.h`): what `L4::Factory` creates for an `L4::Irq`.
    public static let irqSenderProtocol = -18

    /// `L4Re::Mem_alloc::alloc(size, ds, flags, align)` as l4re-core sends it:
    /// `L4::Factory::create(ds, L4Re::Dataspace::Protocol)` with the size
    /// (`l4_mword_t`), the flags and the alignment (`l4_umword_t`) as `Varg`s,
    /// the new capability mapped into `slot`.
    @inline(__always)
    public static func allocate<C: RpcChannel>(_ memAlloc: L4.Factory.Client<C>, into slot: some CapabilitySlot, size: Int,
                                               flags: UInt = 0, align: UInt = 0) throws(L4Error) {
        try memAlloc.create(into: slot, L4Re.Dataspace.proto, .mword(size), .umword(flags), .umword(align))
    }

    /// `L4::Factory::create(irq)` (`create<L4::Irq>`, no further arguments): a new IRQ in `slot`.
    @inline(__always)
    public static func createIrq<C: RpcChannel>(_ factory: L4.Factory.Client<C>, into slot: some CapabilitySlot) throws(L4Error) {
        try factory.create(into: slot, irqSenderProtocol, EmptyCollection<Varg>())
    }

    /// `L4Re::Rm::detach(addr, &mem, task)` as l4re-core sends it (size 1,
    /// `Detach_overlap`): the detached region's start and size. The caller
    /// unmaps its pages (`unmapPieces`), as `Rm::detach` does for the task.
    @inline(__always)
    public static func detach<C: RpcChannel>(_ rm: L4Re.Rm.Client<C>, address: UInt) throws(L4Error) -> (start: UInt, size: UInt) {
        let r = try rm.detach(address, 1, detachOverlap)
        return (r.start, r.rsize)
    }

    /// The dataspace's size, from `L4Re::Dataspace::info` (what `Dataspace::size()` asks).
    @inline(__always)
    public static func size<C: RpcChannel>(_ ds: L4Re.Dataspace.Client<C>) throws(L4Error) -> Int {
        Int(truncatingIfNeeded: try ds.info().size)
    }

    /// `L4::Rcv_endpoint::bind_thread(thread, label)` (an IPC gate's or an IRQ's):
    /// the thread as an object flexpage with the read right, as C++'s
    /// `L4::Ipc::Cap<Thread>` made from an `L4::Cap<Thread>` sends it (the C
    /// function `l4_rcv_ep_bind_thread` sends RWS).
    @inline(__always)
    public static func bindThread<C: RpcChannel>(_ ep: L4.Rcv_endpoint.Client<C>, thread: UInt, label: UInt) throws(L4Error) {
        try ep.bindThread(SndFpage.capability(thread, rights: Fpage.capR), label)
    }

    /// `L4::Scheduler::run_thread(thread, sp)` with `sp` as `l4_sched_param(prio)`
    /// gives it and its affinity the single CPU `cpu` (`l4_sched_cpu_set(cpu, 0, 1)`).
    @inline(__always)
    public static func runThread<C: RpcChannel>(_ scheduler: L4.Scheduler.Client<C>, thread: UInt, cpu: UInt32, prio: UInt = 2) throws(L4Error) {
        let sp = l4_sched_param_t(affinity: l4_sched_cpu_set_t(granOffset: UInt(cpu & 0xff_ffff), map: 1), prio: prio, quantum: 0)
        try scheduler.runThread(SndFpage.capability(thread, rights: Fpage.capR), sp)
    }

    /// The CPUs online, from `L4::Scheduler::info` (granularity 0, offset 0: one bit per CPU
    /// of the first word), as `info(&cpu_max, &cpus)` asks.
    @inline(__always)
    public static func onlineCPUs<C: RpcChannel>(_ scheduler: L4.Scheduler.Client<C>) throws(L4Error) -> UInt32 {
        UInt32(try scheduler.info(0).map.nonzeroBitCount)
    }

    /// The flexpages that unmap the detached range [start, start + size) from
    /// the task, in the order `L4Re::Rm::detach` unmaps them: the size rounded
    /// up to pages, then from the start each time the largest naturally aligned
    /// power-of-two block that fits (rights RWX). `body` gets each raw flexpage.
    @inline(__always)
    public static func unmapPieces(start: UInt, size: UInt, _ body: (UInt) -> Void) {
        let page: UInt = 1 << UInt(pageShift)
        var left = (size &+ page &- 1) & ~(page &- 1)
        var p = start
        while left != 0 {
            // largest order with p aligned to it and the block within what is left
            let fits = UInt.bitWidth &- 1 &- left.leadingZeroBitCount
            let aligned = p == 0 ? fits : p.trailingZeroBitCount
            let order = min(fits, aligned)
            body(Fpage.memory(p, order: order, rights: Fpage.memRWX))
            p &+= 1 << UInt(order)
            left &-= 1 << UInt(order)
        }
    }
}
