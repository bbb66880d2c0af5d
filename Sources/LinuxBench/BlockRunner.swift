import CBenchSys

#if canImport(Glibc)
import Glibc
#endif

/// What one job of a block produced: its values (iterations × values per
/// iteration) and, when its pair failed in it, why.
public struct JobResult: Sendable {
    public var job: Job
    public var values: [UInt64] = []
    public var failure: String?
    public var iterations: Int { values.count / job.valuesPerIteration }
}

/// One block: a pair at a placement runs all its jobs once, in one round.
public struct BlockOutcome: Sendable {
    public var pair: Pair
    public var placement: Placement
    public var round: Int
    public var results: [JobResult]
    /// The user interrupted the run during this block: later jobs did not run.
    public var interrupted = false
    public var failures: Int { results.filter { $0.failure != nil }.count }
}

/// Faults the runner's own tests inject into a peer (see bench_proto.h).
public struct FaultInjection: Sendable {
    public enum Kind: UInt32, Sendable { case serverCrash = 1, serverHang = 2, clientCrash = 3, serverCorrupt = 4 }
    public var kind: Kind
    /// Index of the job in the pair's job list.
    public var job: Int
    public init(kind: Kind, job: Int) { self.kind = kind; self.job = job }
}

/// Runs blocks: shared memory, a socket pair, two peer processes, a watch on
/// their progress and a time limit per job. A peer that crashes or hangs is
/// killed, the job is reported failed, and the block goes on with the next job
/// in fresh processes. Samples stored before the fault are kept.
public struct BlockRunner: Sendable {
    public var programs: PeerPrograms
    public var timeLimitSeconds: Double
    public var fault: FaultInjection?

    public init(programs: PeerPrograms, timeLimitSeconds: Double, fault: FaultInjection? = nil) {
        self.programs = programs
        self.timeLimitSeconds = timeLimitSeconds
        self.fault = fault
    }

    public func run(pair: Pair, placement: Placement, jobs: [Job], round: Int) throws(LinuxBenchError) -> BlockOutcome {
        precondition(!jobs.isEmpty && jobs.count <= Int(BENCH_MAX_JOBS))
        var offsets: [Int] = []
        var slots = 0
        for j in jobs {
            offsets.append(slots)
            slots += Int(j.samples) * j.valuesPerIteration
        }
        let ctlMem = try SharedMemory(name: "bench-ctl", size: MemoryLayout<bench_ctl>.size, node: placement.memoryNode, libnuma: placement.bindWithLibnuma)
        let sampleMem = try SharedMemory(name: "bench-samples", size: max(1, slots) * 8, node: placement.memoryNode, libnuma: placement.bindWithLibnuma)
        let ctl = ctlMem.base.bindMemory(to: bench_ctl.self, capacity: 1)
        ctl.pointee.magic = BENCH_MAGIC
        ctl.pointee.njobs = UInt32(jobs.count)
        ctl.pointee.slots = UInt64(slots)
        if let fault {
            ctl.pointee.fault = fault.kind.rawValue
            ctl.pointee.fault_job = UInt32(fault.job)
        }
        let table = bench_jobs(ctl)!
        for (i, j) in jobs.enumerated() {
            table[i] = bench_job(kind: j.kind.rawValue, words: j.words, bytes: j.bytes, samples: j.samples,
                                 warmup: j.warmup, offset: UInt64(offsets[i]))
        }
        let samples = sampleMem.base.bindMemory(to: UInt64.self, capacity: max(1, slots))
        var results = jobs.map { JobResult(job: $0) }

        var first = 0
        while first < jobs.count {
            // Fresh state for each attempt: a stale sequence number must not
            // let a new server answer before its client asked.
            memset(bench_ipc(ctl), 0, MemoryLayout<bench_shm>.size)
            ctl.pointee.error = 0
            ctl.pointee.error_errno = 0
            ctl.pointee.first_job = UInt32(first)
            bench_store_u32(bench_current(ctl), UInt32(first))
            for i in first..<jobs.count { bench_done(ctl)[i] = 0 }

            let end = try attempt(pair: pair, placement: placement, ctl: ctl, ctlFD: ctlMem.fd, samplesFD: sampleMem.fd,
                                  jobs: jobs, first: first)
            let last = end.interrupted ? end.stoppedIn : end.failedJob ?? (jobs.count - 1)
            for i in first...last {
                let n = min(Int(bench_load_u32(bench_done(ctl) + i)), Int(jobs[i].samples)) * jobs[i].valuesPerIteration
                results[i].values = Array(UnsafeBufferPointer(start: samples + offsets[i], count: n))
            }
            if end.interrupted {
                // Keep what the interrupted job stored; the jobs after it never ran.
                return BlockOutcome(pair: pair, placement: placement, round: round,
                                    results: Array(results[0...end.stoppedIn]), interrupted: true)
            }
            guard let failed = end.failedJob else { break }
            results[failed].failure = end.reason
            first = failed + 1
        }
        return BlockOutcome(pair: pair, placement: placement, round: round, results: results)
    }

    private struct AttemptEnd {
        var failedJob: Int?
        var reason: String = ""
        /// Stopped for an interrupt; `stoppedIn` is the job that was running.
        var interrupted = false
        var stoppedIn = 0
    }

    private func attempt(pair: Pair, placement: Placement, ctl: UnsafeMutablePointer<bench_ctl>, ctlFD: Int32,
                         samplesFD: Int32, jobs: [Job], first: Int) throws(LinuxBenchError) -> AttemptEnd {
        var sv: [Int32] = [-1, -1]
        let r = bench_socketpair(&sv)
        guard r == 0 else { throw .system("socketpair", -r) }
        let server: PeerChild
        let client: PeerChild
        do {
            server = try spawnPeer(programs, pair.server, role: "server", cpu: placement.serverCPU, fds: [sv[1], ctlFD])
        } catch {
            _ = bench_close(sv[0]); _ = bench_close(sv[1])
            throw error
        }
        do {
            client = try spawnPeer(programs, pair.client, role: "client", cpu: placement.clientCPU, fds: [sv[0], ctlFD, samplesFD])
        } catch {
            server.kill()
            _ = bench_close(sv[0]); _ = bench_close(sv[1])
            throw error
        }
        // Only the peers hold the socket now: a peer that dies shows as EOF to the other.
        _ = bench_close(sv[0]); _ = bench_close(sv[1])
        defer { client.kill(); server.kill() }

        var current = first
        var jobStart = bench_now_ns()
        let limitNs = UInt64(timeLimitSeconds * 1e9)
        while true {
            bench_sleep_us(5_000)
            let c = Int(bench_load_u32(bench_current(ctl)))
            if c != current, c < jobs.count { current = c; jobStart = bench_now_ns() }
            if bench_interrupted() != 0 {
                client.kill()
                server.kill()
                return AttemptEnd(failedJob: nil, interrupted: true, stoppedIn: current)
            }
            client.poll()
            server.poll()
            if let _ = client.status {
                if client.exitedCleanly {
                    // The server leaves on the client's QUIT; give it a moment, then make sure.
                    let deadline = bench_now_ns() + 1_000_000_000
                    while server.status == nil && bench_now_ns() < deadline { bench_sleep_us(1_000); server.poll() }
                    return AttemptEnd(failedJob: nil)
                }
                server.kill()
                return AttemptEnd(failedJob: current, reason: failure(client, ctl: ctl, jobs: jobs, current: current))
            }
            if let _ = server.status {
                // A server that exits cleanly was told to (QUIT, or the raw job's
                // count reached): its client is finishing. One that died lets the
                // client notice (EOF, error) and say so. Either way, wait a moment.
                let grace: UInt64 = server.exitedCleanly ? 2_000_000_000 : 200_000_000
                let deadline = bench_now_ns() + grace
                while client.status == nil && bench_now_ns() < deadline { bench_sleep_us(1_000); client.poll() }
                if server.exitedCleanly && client.exitedCleanly { return AttemptEnd(failedJob: nil) }
                client.kill()
                let culprit = server.exitedCleanly ? client : server
                return AttemptEnd(failedJob: current, reason: failure(culprit, ctl: ctl, jobs: jobs, current: current))
            }
            if bench_now_ns() - jobStart > limitNs {
                client.kill()
                server.kill()
                let done = Int(bench_load_u32(bench_done(ctl) + current))
                return AttemptEnd(failedJob: current, reason: "time limit of \(Self.seconds(timeLimitSeconds)) exceeded in \(jobs[current].label) "
                                  + "after \(done) of \(jobs[current].samples) samples (a peer hung)")
            }
        }
    }

    func failure(_ child: PeerChild, ctl: UnsafeMutablePointer<bench_ctl>, jobs: [Job], current: Int) -> String {
        var reason = "\(child.describe()) in \(jobs[current].label)"
        switch bench_error(ctl.pointee.error) {
        case BENCH_ERR_CHECKSUM: reason += " (reply did not match the request)"
        case BENCH_ERR_SYSCALL: reason += " (system call failed: \(String(cString: strerror(ctl.pointee.error_errno))))"
        case BENCH_ERR_PROTOCOL: reason += " (protocol error)"
        default: break
        }
        return reason
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
