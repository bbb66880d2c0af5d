// The Swift benchmark peer: client or server of one block (see bench_proto.h).
// It mirrors Sources/bench-peer-cpp/main.cpp step for step, so that a
// difference in time is a difference of language, not of algorithm. The
// system calls, the TSC reads and the atomics come from the CBenchSys seam,
// whose static inline functions inline into these loops.
import CBenchSys

#if canImport(Glibc)
import Glibc
#endif

struct Peer {
    let ctl: UnsafeMutablePointer<bench_ctl>
    let ipc: UnsafeMutablePointer<bench_shm>
    let sock: Int32

    func fail(_ err: bench_error, _ eno: Int32, _ what: StaticString) -> Never {
        bench_set_error(ctl, err.rawValue, eno)
        let reason = eno != 0 ? String(cString: strerror(eno)) : "failed"
        fputs("bench-peer-swift: \(what): \(reason)\n", stderr)
        exit(3)
    }

    @inline(__always)
    func check(_ r: Int, _ what: StaticString) {
        if r < 0 { fail(BENCH_ERR_SYSCALL, Int32(-r), what) }
    }

    /// Waits until `word` holds `want` (futex on the previous value).
    @inline(__always)
    func awaitValue(_ word: UnsafeMutablePointer<UInt32>, _ want: UInt32) {
        while true {
            let v = bench_load_u32(word)
            if v == want { return }
            let r = bench_futex_wait(word, v, 0)
            if r < 0 && r != -EAGAIN && r != -EINTR { fail(BENCH_ERR_SYSCALL, -r, "futex wait") }
        }
    }

    var fault: bench_fault { bench_fault(ctl.pointee.fault) }

    // MARK: server

    func serveFutex(job: UInt32) {
        if fault == BENCH_FAULT_SERVER_HANG && ctl.pointee.fault_job == job { while true { bench_sleep_us(1_000_000) } }
        var seq = bench_load_u32(bench_rep_seq(ipc))
        let payload = bench_payload(ipc)!
        let corrupt: UInt64 = fault == BENCH_FAULT_SERVER_CORRUPT && ctl.pointee.fault_job == job ? 1 : 0
        while true {
            seq &+= 1
            awaitValue(bench_req_seq(ipc), seq)
            let n = Int(ipc.pointee.req_words)
            var sum = UInt64(seq)
            for i in 0..<n { sum &+= payload[i] }
            ipc.pointee.reply_sum = sum &+ corrupt
            let stop = ipc.pointee.stop != 0
            bench_store_release(bench_rep_seq(ipc), seq)
            bench_futex_wake(bench_rep_seq(ipc))
            if stop { return }
        }
    }

    func serve() -> Never {
        var msg = bench_msg()
        var reply = bench_reply()
        var corrupt: UInt64 = 0  // fault injection: set by the command that opens the faulty job
        while true {
            var fd: Int32 = -1
            let n = bench_recv_fd(sock, &fd, &msg, MemoryLayout<bench_msg>.size)
            if n == 0 { exit(0) }  // client gone: nothing more to serve
            check(n, "recv")
            if n < BENCH_MSG_HEADER { fail(BENCH_ERR_PROTOCOL, 0, "short message") }
            reply = bench_reply()
            switch bench_op(msg.op) {
            case BENCH_OP_FUTEX:
                let job = UInt32(truncatingIfNeeded: msg.arg)
                if fault == BENCH_FAULT_SERVER_CRASH && ctl.pointee.fault_job == job { abort() }
                serveFutex(job: job)
                continue
            case BENCH_OP_ECHO:
                var sum = msg.arg
                withUnsafeBytes(of: &msg.payload) { raw in
                    let words = raw.bindMemory(to: UInt64.self)
                    for i in 0..<Int(msg.words) { sum &+= words[i] }
                }
                reply.value = sum &+ corrupt
            case BENCH_OP_FD:
                if fd < 0 { fail(BENCH_ERR_PROTOCOL, 0, "no fd attached") }
                check(Int(bench_pread_word(fd, &reply.value)), "read passed fd")
                reply.value &+= corrupt
                bench_close(fd)
                fd = -1
            case BENCH_OP_SHARE:
                if fd < 0 { fail(BENCH_ERR_PROTOCOL, 0, "no memfd attached") }
                let size = Int(msg.arg)
                let t0 = bench_tsc_begin()
                let p = bench_map_shared(fd, size)
                let t1 = bench_tsc_end()
                guard let p else { fail(BENCH_ERR_SYSCALL, bench_errno(), "mmap") }
                reply.value = bench_touch_pages(p, size) &+ corrupt
                let t2 = bench_tsc_end()
                check(Int(bench_unmap(p, size)), "munmap")
                let t3 = bench_tsc_end()
                bench_close(fd)
                fd = -1
                reply.cycles = (t1 &- t0, t2 &- t1, t3 &- t2)
            case BENCH_OP_QUIT:
                exit(0)
            case BENCH_OP_JOB:
                let job = UInt32(truncatingIfNeeded: msg.arg)
                if fault == BENCH_FAULT_SERVER_CRASH && ctl.pointee.fault_job == job { abort() }
                if fault == BENCH_FAULT_SERVER_HANG && ctl.pointee.fault_job == job { while true { bench_sleep_us(1_000_000) } }
                corrupt = fault == BENCH_FAULT_SERVER_CORRUPT && ctl.pointee.fault_job == UInt32(truncatingIfNeeded: msg.arg) ? 1 : 0
                continue
            default:
                fail(BENCH_ERR_PROTOCOL, 0, "unknown op")
            }
            if fd >= 0 { bench_close(fd) }
            check(bench_send(sock, &reply, MemoryLayout<bench_reply>.size), "send reply")
        }
    }

    // MARK: client

    func command(_ op: bench_op, _ arg: UInt64) {
        var msg = bench_msg()
        msg.op = op.rawValue
        msg.arg = arg
        check(bench_send(sock, &msg, Int(BENCH_MSG_HEADER)), "send command")
    }

    @inline(__always)
    func receiveReply(_ reply: inout bench_reply) {
        let n = bench_recv(sock, &reply, MemoryLayout<bench_reply>.size)
        if n == 0 { fail(BENCH_ERR_PROTOCOL, 0, "server closed the socket") }
        check(n, "recv reply")
        if n != MemoryLayout<bench_reply>.size { fail(BENCH_ERR_PROTOCOL, 0, "short reply") }
    }

    func futexJob(_ j: UInt32, _ job: bench_job, _ out: UnsafeMutablePointer<UInt64>) {
        var seq = bench_load_u32(bench_rep_seq(ipc))
        command(BENCH_OP_FUTEX, UInt64(j))
        let payload = bench_payload(ipc)!
        let words = job.words
        let total = job.warmup + job.samples
        let done = bench_done(ctl)! + Int(j)
        let crashAt: UInt32 = fault == BENCH_FAULT_CLIENT_CRASH && ctl.pointee.fault_job == j ? total / 2 : .max
        for it in 0..<total {
            seq &+= 1
            let t0 = bench_tsc_begin()
            for w in 0..<words { payload[Int(w)] = UInt64(it &+ w) }
            ipc.pointee.req_words = UInt64(words)
            bench_store_release(bench_req_seq(ipc), seq)
            bench_futex_wake(bench_req_seq(ipc))
            awaitValue(bench_rep_seq(ipc), seq)
            let sum = ipc.pointee.reply_sum
            let t1 = bench_tsc_end()
            let w64 = UInt64(words)
            let expect = UInt64(seq) &+ w64 &* UInt64(it) &+ w64 &* (w64 &- 1) / 2
            if sum != expect { fail(BENCH_ERR_CHECKSUM, 0, "futex reply checksum") }
            if it >= job.warmup {
                out[Int(it &- job.warmup)] = t1 &- t0
                bench_store_u32(done, it &- job.warmup &+ 1)
            }
            if it == crashAt { abort() }
        }
        // Stop the server's futex loop: one more exchange with `stop` set.
        ipc.pointee.stop = 1
        seq &+= 1
        ipc.pointee.req_words = 0
        bench_store_release(bench_req_seq(ipc), seq)
        bench_futex_wake(bench_req_seq(ipc))
        awaitValue(bench_rep_seq(ipc), seq)
        ipc.pointee.stop = 0
    }

    func seqpacketJob(_ j: UInt32, _ job: bench_job, _ out: UnsafeMutablePointer<UInt64>) {
        var msg = bench_msg()
        var reply = bench_reply()
        let words = job.words
        let total = job.warmup + job.samples
        let len = Int(BENCH_MSG_HEADER) + Int(words) * MemoryLayout<UInt64>.size
        let done = bench_done(ctl)! + Int(j)
        msg.op = BENCH_OP_ECHO.rawValue
        msg.words = words
        for it in 0..<total {
            let t0 = bench_tsc_begin()
            msg.arg = UInt64(it)
            withUnsafeMutableBytes(of: &msg.payload) { raw in
                let p = raw.baseAddress!.assumingMemoryBound(to: UInt64.self)
                for w in 0..<words { p[Int(w)] = UInt64(it &+ w) }
            }
            check(bench_send(sock, &msg, len), "send")
            receiveReply(&reply)
            let t1 = bench_tsc_end()
            let w64 = UInt64(words)
            let expect = UInt64(it) &+ w64 &* UInt64(it) &+ w64 &* (w64 &- 1) / 2
            if reply.value != expect { fail(BENCH_ERR_CHECKSUM, 0, "seqpacket reply checksum") }
            if it >= job.warmup {
                out[Int(it &- job.warmup)] = t1 &- t0
                bench_store_u32(done, it &- job.warmup &+ 1)
            }
        }
    }

    func scmJob(_ j: UInt32, _ job: bench_job, _ out: UnsafeMutablePointer<UInt64>) {
        // The descriptor passed each time: a memfd holding a known word.
        let fd = bench_memfd("bench-scm", 4096)
        check(Int(fd), "memfd")
        let magic: UInt64 = 0x5343_4d5f_4f4b_0000 &+ UInt64(j)
        check(Int(bench_pwrite_word(fd, magic)), "write memfd")
        var msg = bench_msg()
        msg.op = BENCH_OP_FD.rawValue
        var reply = bench_reply()
        let total = job.warmup + job.samples
        let done = bench_done(ctl)! + Int(j)
        for it in 0..<total {
            msg.arg = UInt64(it)
            let t0 = bench_tsc_begin()
            check(Int(bench_send_fd(sock, fd, &msg, Int(BENCH_MSG_HEADER))), "sendmsg SCM_RIGHTS")
            receiveReply(&reply)
            let t1 = bench_tsc_end()
            if reply.value != magic { fail(BENCH_ERR_CHECKSUM, 0, "passed fd read back wrong") }
            if it >= job.warmup {
                out[Int(it &- job.warmup)] = t1 &- t0
                bench_store_u32(done, it &- job.warmup &+ 1)
            }
        }
        bench_close(fd)
    }

    func memfdJob(_ j: UInt32, _ job: bench_job, _ out: UnsafeMutablePointer<UInt64>) {
        var msg = bench_msg()
        msg.op = BENCH_OP_SHARE.rawValue
        msg.arg = job.bytes
        var reply = bench_reply()
        let size = Int(job.bytes)
        let pages = size / 4096
        let total = job.warmup + job.samples
        let done = bench_done(ctl)! + Int(j)
        for it in 0..<total {
            let t0 = bench_tsc_begin()
            let fd = bench_memfd("bench-ds", size)
            let t1 = bench_tsc_end()
            check(Int(fd), "memfd")
            // Fill (untimed): one distinct word per page, for the server to sum.
            guard let raw = bench_map_shared(fd, size) else { fail(BENCH_ERR_SYSCALL, bench_errno(), "mmap (client)") }
            let p = raw.assumingMemoryBound(to: UInt64.self)
            var expect: UInt64 = 0
            for pg in 0..<pages {
                let v = (UInt64(it) << 32) &+ UInt64(pg) &+ 1
                p[pg &* (4096 / 8)] = v
                expect &+= v
            }
            check(Int(bench_unmap(raw, size)), "munmap (client)")
            let t2 = bench_tsc_begin()
            check(Int(bench_send_fd(sock, fd, &msg, Int(BENCH_MSG_HEADER))), "sendmsg memfd")
            receiveReply(&reply)
            let t3 = bench_tsc_end()
            bench_close(fd)
            if reply.value != expect { fail(BENCH_ERR_CHECKSUM, 0, "memfd pages read back wrong") }
            if it >= job.warmup {
                let o = out + Int(it &- job.warmup) &* Int(BENCH_MEMFD_VALUES)
                o[0] = t1 &- t0
                o[1] = reply.cycles.0
                o[2] = reply.cycles.1
                o[3] = reply.cycles.2
                o[4] = t3 &- t2
                bench_store_u32(done, it &- job.warmup &+ 1)
            }
        }
    }

    /// One-shot: the jobs once, then QUIT. Persistent: a batch each time the
    /// runner advances batch_go, until it sets quit (see bench_proto.h).
    func runClient(_ samples: UnsafeMutablePointer<UInt64>) {
        let persistent = ctl.pointee.persistent != 0
        var batch: UInt32 = 1
        while true {
            if persistent {
                awaitValue(bench_batch_go(ctl), batch)
                if bench_load_u32(&ctl.pointee.quit) != 0 { break }
            }
            runJobs(samples)
            if !persistent { break }
            bench_store_u32(bench_batch_done(ctl), batch)
            bench_futex_wake(bench_batch_done(ctl))
            batch &+= 1
        }
        command(BENCH_OP_QUIT, 0)
    }

    func runJobs(_ samples: UnsafeMutablePointer<UInt64>) {
        let jobs = bench_jobs(ctl)!
        for j in ctl.pointee.first_job..<ctl.pointee.njobs {
            bench_store_u32(bench_current(ctl), j)
            let job = jobs[Int(j)]
            let out = samples + Int(job.offset)
            if job.kind != BENCH_FUTEX.rawValue { command(BENCH_OP_JOB, UInt64(j)) }
            switch bench_kind(job.kind) {
            case BENCH_FUTEX: futexJob(j, job, out)
            case BENCH_SEQPACKET: seqpacketJob(j, job, out)
            case BENCH_SCM: scmJob(j, job, out)
            case BENCH_MEMFD: memfdJob(j, job, out)
            default: fail(BENCH_ERR_PROTOCOL, 0, "job kind not served by this peer")
            }
        }
    }
}

let args = CommandLine.arguments
guard args.count == 3, args[1] == "client" || args[1] == "server", let cpu = Int32(args[2]) else {
    fputs("usage: bench-peer-swift client|server CPU  (started by `l4bench run`)\n", stderr)
    exit(64)
}
bench_die_with_parent()
if cpu >= 0 && bench_pin_cpu(cpu) != 0 {
    fputs("bench-peer-swift: cannot pin to CPU \(cpu)\n", stderr)
    exit(3)
}
guard let ctlRaw = bench_map_shared(BENCH_FD_CTL, MemoryLayout<bench_ctl>.size) else {
    fputs("bench-peer-swift: no control page on fd \(BENCH_FD_CTL)\n", stderr)
    exit(3)
}
let ctl = ctlRaw.assumingMemoryBound(to: bench_ctl.self)
guard ctl.pointee.magic == BENCH_MAGIC else {
    fputs("bench-peer-swift: no control page on fd \(BENCH_FD_CTL)\n", stderr)
    exit(3)
}
let peer = Peer(ctl: ctl, ipc: bench_ipc(ctl), sock: BENCH_FD_SOCK)
if args[1] == "server" { peer.serve() }
guard let samples = bench_map_shared(BENCH_FD_SAMPLES, Int(ctl.pointee.slots) * 8) else {
    peer.fail(BENCH_ERR_SYSCALL, bench_errno(), "map samples")
}
peer.runClient(samples.assumingMemoryBound(to: UInt64.self))
exit(0)
