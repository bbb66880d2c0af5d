// A Swift client of L4Re::Itas, generated from L4Re's own header (l4/re/itas)
// with libc's types passed as C lays them out (l4swift-gen --c-type), against
// a C++ L4::Epiface server (cpp-itas-server). The structs are built with
// libc's own functions (sigemptyset, sigaddset) and checked field by field.
import CL4

typealias SigAction = sigaction

var failures = 0

func check(_ what: StaticString, _ value: Int, _ ok: Bool) {
    var l = Line("swift-itas-client: ")
    l.append(what); l.append(" = "); l.append(value); l.append(ok ? " ok" : " MISMATCH")
    l.flush()
    if !ok { failures += 1 }
}

/// The handler a `sigaction` carries (never called: the server only keeps it).
let handler: @convention(c) (Int32) -> Void = { _ in }
func address(_ h: (@convention(c) (Int32) -> Void)?) -> UInt { h.map { UInt(bitPattern: unsafeBitCast($0, to: Int.self)) } ?? 0 }

func member(_ set: sigset_t, _ sig: Int32) -> Bool {
    var s = set
    return sigismember(&s, sig) == 1
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let gate = Env.cap("itas", as: IpcGateObject.self)
    guard gate.isValid else { log("swift-itas-client: no 'itas' capability"); log("ITAS FAIL"); return 1 }
    let itas = Itas.Client(gate)
    var l = Line("swift-itas-client: struct sigaction is ")
    l.append(UInt64(MemoryLayout<SigAction>.size)); l.append(" bytes, sigset_t "); l.append(UInt64(MemoryLayout<sigset_t>.size))
    l.append(", itimerval "); l.append(UInt64(MemoryLayout<itimerval>.size)); l.append(", stack_t "); l.append(UInt64(MemoryLayout<stack_t>.size))
    l.flush()
    let me = Env.mainThread.sendItem(rights: Fpage.capRW)
    do throws(L4Error) {
        let reg = try itas.registerThread(me, me, 0x1000)
        check("register_thread", reg, reg == 0)

        var act = SigAction()
        act.__sigaction_handler.sa_handler = handler
        act.sa_flags = UInt(SA_RESTART | SA_NODEFER)
        sigemptyset(&act.sa_mask)
        sigaddset(&act.sa_mask, SIGINT)
        sigaddset(&act.sa_mask, SIGTERM)
        var old = try itas.sigaction(SIGUSR1, act)
        check("sigaction(SIGUSR1): no action before", Int(truncatingIfNeeded: old.sa_flags),
              address(old.__sigaction_handler.sa_handler) == 0 && old.sa_flags == 0 && !member(old.sa_mask, SIGINT))
        var ignore = SigAction()
        ignore.__sigaction_handler.sa_handler = nil
        old = try itas.sigaction(SIGUSR1, ignore)
        check("sigaction(SIGUSR1): the old handler, flags and mask back", Int(truncatingIfNeeded: old.sa_flags),
              address(old.__sigaction_handler.sa_handler) == address(handler) && old.sa_flags == UInt(SA_RESTART | SA_NODEFER)
                  && member(old.sa_mask, SIGINT) && member(old.sa_mask, SIGTERM) && !member(old.sa_mask, SIGHUP))
        do {
            _ = try itas.sigaction(0, act)
            check("sigaction(0): -L4_EINVAL", 0, false)
        } catch { check("sigaction(0): -L4_EINVAL", error.code, error.code == -L4Err.inval) }

        var set = sigset_t()
        sigemptyset(&set); sigaddset(&set, SIGINT); sigaddset(&set, SIGUSR2)
        var oset = try itas.sigprocmask(me, SIG_BLOCK, set)
        check("sigprocmask(SIG_BLOCK)", 0, !member(oset, SIGINT))
        sigemptyset(&set); sigaddset(&set, SIGINT)
        oset = try itas.sigprocmask(me, SIG_UNBLOCK, set)
        check("sigprocmask(SIG_UNBLOCK): the blocked set back", 0, member(oset, SIGINT) && member(oset, SIGUSR2))
        sigemptyset(&set); sigaddset(&set, SIGHUP)
        oset = try itas.sigprocmask(me, SIG_SETMASK, set)
        check("sigprocmask(SIG_SETMASK)", 0, !member(oset, SIGINT) && member(oset, SIGUSR2))
        oset = try itas.sigprocmask(me, -1, set)
        check("sigprocmask(-1): the mask SIG_SETMASK set, read only", 0, member(oset, SIGHUP) && !member(oset, SIGINT) && !member(oset, SIGUSR2))
        oset = try itas.sigprocmask(me, -1, sigset_t())
        check("sigprocmask(-1): and left as it was", 0, member(oset, SIGHUP) && !member(oset, SIGUSR2))
        do {
            _ = try itas.sigprocmask(me, 7, set)
            check("sigprocmask(7): -L4_EINVAL", 0, false)
        } catch { check("sigprocmask(7): -L4_EINVAL", error.code, error.code == -L4Err.inval) }

        let raised = try itas.raise(me, SIGUSR2)
        check("raise(SIGUSR2)", raised, raised == 0)
        let pend = try itas.sigpending(me)
        check("sigpending: SIGUSR2", 0, member(pend, SIGUSR2) && !member(pend, SIGUSR1))

        var tv = itimerval()
        tv.it_interval.tv_sec = 1; tv.it_interval.tv_usec = 500_000
        tv.it_value.tv_sec = 2; tv.it_value.tv_usec = 250
        let otv = try itas.setitimer(Int32(ITIMER_REAL.rawValue), tv)
        check("setitimer(ITIMER_REAL)", Int(truncatingIfNeeded: otv.it_value.tv_sec), otv.it_value.tv_sec == 0 && otv.it_interval.tv_usec == 0)
        let now = try itas.getitimer(Int32(ITIMER_REAL.rawValue))
        check("getitimer(ITIMER_REAL): the value set", Int(truncatingIfNeeded: now.it_interval.tv_usec),
              now.it_interval.tv_sec == 1 && now.it_interval.tv_usec == 500_000 && now.it_value.tv_sec == 2 && now.it_value.tv_usec == 250)

        var ss = stack_t()
        ss.ss_sp = UnsafeMutableRawPointer(bitPattern: 0x7000_0000)
        ss.ss_size = 8192
        var oss = try itas.sigaltstack(me, ss)
        check("sigaltstack: none before", Int(truncatingIfNeeded: oss.ss_size), oss.ss_sp == nil && oss.ss_size == 0)
        ss.ss_flags = -1
        oss = try itas.sigaltstack(me, ss)
        check("sigaltstack: the stack back (pointer, size, flags)", Int(truncatingIfNeeded: oss.ss_size),
              oss.ss_sp == UnsafeMutableRawPointer(bitPattern: 0x7000_0000) && oss.ss_size == 8192 && oss.ss_flags == 0)

        let unreg = try itas.unregisterThread(me)
        check("unregister_thread", unreg, unreg == 0)
    } catch {
        var l = Line("swift-itas-client: "); l.append(error.name); l.flush()
        failures += 1
    }
    log(failures == 0 ? "ITAS PASS" : "ITAS FAIL")
    return failures == 0 ? 0 : 1
}
