// A Swift server of L4Re::Itas, L4Re's in-task signal service, its Swift side
// generated from L4Re's own header (l4/re/itas) with libc's types passed as C
// lays them out (l4swift-gen --c-type: uclibc's struct sigaction, sigset_t,
// struct sigaltstack and struct itimerval, imported through CL4). A C++ client
// calls it through L4Re's own L4Re::Itas class and checks every answer.
//
// It keeps the state a signal service keeps (actions, the mask, pending
// signals, timers, the alternate stack) for one thread and delivers nothing.
import CL4

/// `s` with each of its words (however many _SIGSET_NWORDS says there are) combined with `other`'s by `op`.
func combine(_ s: inout sigset_t, _ other: sigset_t, _ op: (UInt, UInt) -> UInt) {
    withUnsafeBytes(of: other) { o in
        withUnsafeMutableBytes(of: &s) { m in
            for at in stride(from: 0, to: m.count, by: MemoryLayout<UInt>.size) {
                m.storeBytes(of: op(m.load(fromByteOffset: at, as: UInt.self), o.load(fromByteOffset: at, as: UInt.self)),
                             toByteOffset: at, as: UInt.self)
            }
        }
    }
}

/// In an expression inside the server, `sigaction` is its method: the type under a name of its own.
typealias SigAction = sigaction

struct SignalState: Itas.Server {
    var actions = [SigAction](repeating: SigAction(), count: 65)
    var mask = sigset_t()
    var pending = sigset_t()
    var timers = [itimerval](repeating: itimerval(), count: 3)
    var altStack = stack_t()
    var threads = 0

    mutating func registerThread(_ parent: ReceivedCap, _ threadCap: ReceivedCap, _ threadUtcb: UInt) throws(L4Error) -> Int {
        threads += 1
        return 0
    }

    mutating func unregisterThread(_ thread: ReceivedCap) throws(L4Error) -> Int {
        threads -= 1
        return 0
    }

    mutating func sigaction(_ signum: Int32, _ act: sigaction) throws(L4Error) -> sigaction {
        guard signum >= 1 && signum <= 64 else { throw .code(-L4Err.inval) }
        let old = actions[Int(signum)]
        // L4Re::Itas::Ignore_sigaction (~0U) in sa_flags: read the action, change nothing
        if act.sa_flags != UInt(UInt32.max) { actions[Int(signum)] = act }
        return old
    }

    mutating func sigaltstack(_ thread: ReceivedCap, _ ss: sigaltstack) throws(L4Error) -> sigaltstack {
        let old = altStack
        if ss.ss_flags != -1 { altStack = ss }   // -1: read only
        return old
    }

    mutating func sigprocmask(_ thread: ReceivedCap, _ how: Int32, _ set: sigset_t) throws(L4Error) -> sigset_t {
        let old = mask
        switch how {
        case SIG_BLOCK: combine(&mask, set) { $0 | $1 }
        case SIG_UNBLOCK: combine(&mask, set) { $0 & ~$1 }
        case SIG_SETMASK: combine(&mask, set) { $1 }
        case -1: break   // the mask only read (libc sends -1 when its set is NULL)
        default: throw .code(-L4Err.inval)
        }
        return old
    }

    mutating func sigpending(_ thread: ReceivedCap) throws(L4Error) -> sigset_t { pending }

    mutating func setitimer(_ which: Int32, _ newValue: itimerval) throws(L4Error) -> itimerval {
        guard which >= 0 && which < 3 else { throw .code(-L4Err.inval) }
        let old = timers[Int(which)]
        timers[Int(which)] = newValue
        return old
    }

    mutating func getitimer(_ which: Int32) throws(L4Error) -> itimerval {
        guard which >= 0 && which < 3 else { throw .code(-L4Err.inval) }
        return timers[Int(which)]
    }

    mutating func raise(_ thread: ReceivedCap, _ sig: Int32) throws(L4Error) -> Int {
        guard sig >= 1 && sig <= 64 else { throw .code(-L4Err.inval) }
        var one = sigset_t()
        sigaddset(&one, sig)
        combine(&pending, one) { $0 | $1 }
        return 0
    }
}

@c(main)
func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    do throws(L4Error) {
        let gate = Env.cap("itas", as: IpcGateObject.self)
        guard gate.isValid else { log("swift-itas-server: no 'itas' capability (the ned script gives it)"); return 1 }
        var state = SignalState()
        var l = Line("swift-itas-server: ready, struct sigaction is ")
        l.append(UInt64(MemoryLayout<sigaction>.size)); l.append(" bytes, sigset_t "); l.append(UInt64(MemoryLayout<sigset_t>.size))
        l.append(", itimerval "); l.append(UInt64(MemoryLayout<itimerval>.size)); l.append(", stack_t "); l.append(UInt64(MemoryLayout<stack_t>.size))
        l.flush()
        try state.serve(gate: gate)
    } catch {
        var l = Line("swift-itas-server: "); l.append(error.name); l.flush()
        return 1
    }
}
