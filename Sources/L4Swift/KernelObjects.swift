import CL4

/// An interrupt object: a kernel object a thread can wait on and another can trigger.
public struct Irq {
    public let cap: Cap<IrqObject>

    @inline(__always) public init(cap: Cap<IrqObject>) { self.cap = cap }

    /// Creates an IRQ with the program's factory into a fresh slot (`L4::Factory::create`).
    public static func create() throws(L4Error) -> Irq {
        let c = try Cap<IrqObject>.allocate()
        do throws(L4Error) {
            try L4ReRequests.createIrq(L4.Factory.Client(Gate(Env.factory)), into: c)
        } catch {
            c.free()
            throw error
        }
        return Irq(cap: c)
    }

    /// Delivers the IRQ's messages to `thread` with `label` (`L4::Rcv_endpoint::bind_thread`).
    public func bind(to thread: Cap<ThreadObject>, label: UInt) throws(L4Error) {
        try L4ReRequests.bindThread(L4.Rcv_endpoint.Client(Gate(cap)), thread: thread.index, label: label)
    }

    public func trigger() throws(L4Error) {
        let tag = MsgTag(raw: cl4_irq_trigger(cap.index))
        if tag.hasError { throw UTCB.current.ipcError }
    }

    /// Waits for the IRQ to be triggered.
    public func wait(timeout: Timeout = .never) throws(L4Error) {
        _ = try IPC.receive(from: cap, timeout: timeout)
    }
}

/// Binds an IPC gate to a thread, so that messages to the gate reach it with `label`
/// (`L4::Rcv_endpoint::bind_thread`, which `L4::Ipc_gate` inherits).
public func bindGate(_ gate: Cap<IpcGateObject>, to thread: Cap<ThreadObject> = Env.mainThread, label: UInt) throws(L4Error) {
    try L4ReRequests.bindThread(L4.Rcv_endpoint.Client(Gate(gate)), thread: thread.index, label: label)
}

/// Ends the program with exit code 124 after `seconds`, even when its main
/// thread waits forever for a peer that never answers.
public func startWatchdog(seconds: UInt32) -> Bool { cl4_watchdog_start(seconds) == 0 }

/// Sleeps `milliseconds` (0: forever).
public func sleep(milliseconds: UInt32) { cl4_sleep_ms(milliseconds) }

/// Ends the program with `code`.
public func exitProgram(_ code: Int32) -> Never {
    cl4_exit(code)
    while true { cl4_sleep_ms(0) }
}

/// Scheduling and time.
public enum CPU {
    /// Restricts `thread` to one CPU.
    /// (`L4::Scheduler::run_thread` on the environment's scheduler, priority 2.)
    public static func pin(_ thread: Cap<ThreadObject> = Env.mainThread, to cpu: UInt32) throws(L4Error) {
        try L4ReRequests.runThread(L4.Scheduler.Client(Gate(Env.scheduler)), thread: thread.index, cpu: cpu)
    }

    /// CPUs online, as the environment's scheduler reports them (`L4::Scheduler::info`); 0 on an error.
    public static var online: UInt32 { (try? L4ReRequests.onlineCPUs(L4.Scheduler.Client(Gate(Env.scheduler)))) ?? 0 }

    /// TSC frequency from the kernel info page.
    public static var tscHz: UInt64 { cl4_kip_tsc_hz() }

    /// Reads the TSC after earlier instructions finished (lfence; rdtsc).
    @inline(__always) public static func tscBegin() -> UInt64 { cl4_tsc_begin() }
    /// Reads the TSC once earlier instructions finished, before later ones start (rdtscp; lfence).
    @inline(__always) public static func tscEnd() -> UInt64 { cl4_tsc_end() }
}
