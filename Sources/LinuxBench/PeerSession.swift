import CBenchSys

#if canImport(Glibc)
import Glibc
#endif

/// What one slice of a job produced in a persistent session.
public struct SliceResult: Sendable {
    public var values: [UInt64]
    public var failure: String?
    public var interrupted = false
}

/// A pair at a placement whose two processes stay alive for the whole run
/// (see bench_proto.h, "persistent sessions"): the runner hands it short
/// slices of a job, one batch at a time, so that the pairs of a run can
/// alternate every few dozen samples and drift of the machine falls on all of
/// them alike. A peer that crashes, hangs or answers wrong is killed (by PID),
/// its slice reported failed, and the next slice starts fresh processes.
final class PeerSession {
    let pair: Pair
    let placement: Placement
    let jobs: [Job]
    let programs: PeerPrograms
    let timeLimitSeconds: Double
    let fault: FaultInjection?
    private let ctlMem: SharedMemory
    private let sampleMem: SharedMemory
    private let ctl: UnsafeMutablePointer<bench_ctl>
    private let samples: UnsafeMutablePointer<UInt64>
    private var offsets: [Int] = []
    private var client: PeerChild?
    private var server: PeerChild?
    private var batch: UInt32 = 0
    /// Slices run with these processes (a fresh start gets the job's full warm-up).
    private(set) var warmedJobs: Set<Int> = []
    /// Processes started over the session, and how many of those starts followed a failure.
    private(set) var starts = 0
    private(set) var failedStarts = 0
    private var lastFailed = false

    /// `maxSlice[j]`: the most samples a slice of job j will ask for.
    init(pair: Pair, placement: Placement, jobs: [Job], maxSlice: [Int], programs: PeerPrograms, timeLimitSeconds: Double,
         fault: FaultInjection?) throws(LinuxBenchError) {
        precondition(!jobs.isEmpty && jobs.count <= Int(BENCH_MAX_JOBS) && maxSlice.count == jobs.count)
        self.pair = pair; self.placement = placement; self.jobs = jobs; self.programs = programs
        self.timeLimitSeconds = timeLimitSeconds; self.fault = fault
        var slots = 0
        for (i, j) in jobs.enumerated() {
            offsets.append(slots)
            slots += maxSlice[i] * j.valuesPerIteration
        }
        ctlMem = try SharedMemory(name: "bench-ctl", size: MemoryLayout<bench_ctl>.size, node: placement.memoryNode, libnuma: placement.bindWithLibnuma)
        sampleMem = try SharedMemory(name: "bench-samples", size: max(1, slots) * 8, node: placement.memoryNode, libnuma: placement.bindWithLibnuma)
        ctl = ctlMem.base.bindMemory(to: bench_ctl.self, capacity: 1)
        samples = sampleMem.base.bindMemory(to: UInt64.self, capacity: max(1, slots))
        ctl.pointee.magic = BENCH_MAGIC
        ctl.pointee.slots = UInt64(slots)
        ctl.pointee.persistent = 1
        if let fault {
            ctl.pointee.fault = fault.kind.rawValue
            ctl.pointee.fault_job = UInt32(fault.job)
        }
        let table = bench_jobs(ctl)!
        for (i, j) in jobs.enumerated() {
            table[i] = bench_job(kind: j.kind.rawValue, words: j.words, bytes: j.bytes, samples: 0, warmup: 0, offset: UInt64(offsets[i]))
        }
        ctl.pointee.njobs = UInt32(jobs.count)
    }

    deinit { close() }

    var isRunning: Bool { client != nil }

    private func start() throws(LinuxBenchError) {
        memset(bench_ipc(ctl), 0, MemoryLayout<bench_shm>.size)
        ctl.pointee.error = 0
        ctl.pointee.error_errno = 0
        ctl.pointee.quit = 0
        batch = 0
        bench_store_u32(bench_batch_go(ctl), 0)
        bench_store_u32(bench_batch_done(ctl), 0)
        warmedJobs = []
        var sv: [Int32] = [-1, -1]
        let r = bench_socketpair(&sv)
        guard r == 0 else { throw .system("socketpair", -r) }
        defer { _ = bench_close(sv[0]); _ = bench_close(sv[1]) }
        let s = try spawnPeer(programs, pair.server, role: "server", cpu: placement.serverCPU, fds: [sv[1], ctlMem.fd])
        do {
            client = try spawnPeer(programs, pair.client, role: "client", cpu: placement.clientCPU, fds: [sv[0], ctlMem.fd, sampleMem.fd])
        } catch {
            s.kill()
            throw error
        }
        server = s
        starts += 1
        if lastFailed { failedStarts += 1; lastFailed = false }
    }

    /// Runs `count` timed samples of job `j` after `warmup` untimed ones (the
    /// job's own warm-up when these processes have not run it yet).
    func run(job j: Int, count: Int, warmup: Int) throws(LinuxBenchError) -> SliceResult {
        if client == nil { try start() }
        let table = bench_jobs(ctl)!
        let firstTime = !warmedJobs.contains(j)
        table[j].samples = UInt32(count)
        table[j].warmup = UInt32(firstTime ? Int(jobs[j].warmup) : warmup)
        ctl.pointee.first_job = UInt32(j)
        ctl.pointee.njobs = UInt32(j + 1)
        bench_store_u32(bench_done(ctl) + j, 0)
        bench_store_u32(bench_current(ctl), UInt32(j))
        batch &+= 1
        bench_store_u32(bench_batch_go(ctl), batch)
        _ = bench_futex_wake(bench_batch_go(ctl))

        let limitNs = UInt64(timeLimitSeconds * 1e9)
        let t0 = bench_now_ns()
        var failure: String?
        var interrupted = false
        while true {
            let d = bench_load_u32(bench_batch_done(ctl))
            if d == batch { break }
            _ = bench_futex_wait(bench_batch_done(ctl), d, 2)
            if bench_load_u32(bench_batch_done(ctl)) == batch { break }
            if bench_interrupted() != 0 { interrupted = true; break }
            client!.poll(); server!.poll()
            if client!.status != nil || server!.status != nil {
                // Let the other side notice (EOF, error) and say so.
                let deadline = bench_now_ns() + 200_000_000
                while (client!.status == nil || server!.status == nil) && bench_now_ns() < deadline {
                    bench_sleep_us(1_000); client!.poll(); server!.poll()
                }
                let culprit = (server!.status != nil && !server!.exitedCleanly) ? server! : client!
                failure = describeFailure(culprit, job: j)
                break
            }
            if bench_now_ns() - t0 > limitNs {
                let done = Int(bench_load_u32(bench_done(ctl) + j))
                failure = "time limit of \(BlockRunner.seconds(timeLimitSeconds)) exceeded in \(jobs[j].label) "
                    + "after \(done) of \(count) samples of a slice (a peer hung)"
                break
            }
        }
        let n = min(Int(bench_load_u32(bench_done(ctl) + j)), count) * jobs[j].valuesPerIteration
        let values = Array(UnsafeBufferPointer(start: samples + offsets[j], count: n))
        if failure != nil || interrupted { kill(); lastFailed = failure != nil } else { warmedJobs.insert(j) }
        return SliceResult(values: values, failure: failure, interrupted: interrupted)
    }

    private func describeFailure(_ child: PeerChild, job j: Int) -> String {
        var reason = "\(child.describe()) in \(jobs[j].label)"
        switch bench_error(ctl.pointee.error) {
        case BENCH_ERR_CHECKSUM: reason += " (reply did not match the request)"
        case BENCH_ERR_SYSCALL: reason += " (system call failed: \(String(cString: strerror(ctl.pointee.error_errno))))"
        case BENCH_ERR_PROTOCOL: reason += " (protocol error)"
        default: break
        }
        return reason
    }

    private func kill() {
        client?.kill(); server?.kill()
        client = nil; server = nil
    }

    /// Tells the client to quit (it tells the server), waits a moment, then kills what is left.
    func close() {
        guard let c = client, let s = server else { return }
        bench_store_u32(&ctl.pointee.quit, 1)
        batch &+= 1
        bench_store_u32(bench_batch_go(ctl), batch)
        _ = bench_futex_wake(bench_batch_go(ctl))
        let deadline = bench_now_ns() + 1_000_000_000
        while (c.status == nil || s.status == nil) && bench_now_ns() < deadline { bench_sleep_us(1_000); c.poll(); s.poll() }
        kill()
    }
}
