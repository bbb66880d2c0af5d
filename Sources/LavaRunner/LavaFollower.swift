#if canImport(Glibc)
import Glibc
#endif

/// What following jobs shows as it goes.
public enum LavaEvent: Sendable {
    /// A job changed state (queued, running on a device, finished).
    case state(LavaJobStatus)
    /// A console line of a running job (so far), from LAVA's log.
    case console(job: Int, line: String)
    /// A poll failed; the follower waits and asks again (a bounded number of times).
    case retry(String)
    /// Interrupted: the jobs still running were asked to cancel.
    case cancelling([Int])
}

/// Follows submitted jobs until they end, then downloads each log once.
/// Polls every `pollSeconds`; an unreachable server is asked again at most
/// `maxPollFailures` times in a row, with growing pauses, then the follower
/// gives up (the jobs go on on the server: `l4bench lava collect` fetches them
/// later). A refused token ends it at once.
public struct LavaFollower: Sendable {
    public var client: LavaClient
    public var pollSeconds: Double = 5
    public var maxPollFailures = 3
    /// Console lines of running jobs as events (one log request per poll and job).
    public var followConsole = true
    /// Seconds to wait for cancelled jobs to end after an interruption.
    public var cancelWaitSeconds: Double = 60
    public var sleep: @Sendable (Double) -> Void = { s in if s > 0 { usleep(UInt32(min(s, 3600) * 1_000_000)) } }
    public var interrupted: @Sendable () -> Bool = { false }

    public init(client: LavaClient) { self.client = client }

    public struct Result: Sendable {
        /// The boots in the scheduler's order (start time, then job ID).
        public var boots: [LavaBoot]
        /// Set when the follower was interrupted (the jobs were cancelled).
        public var interrupted: Bool
    }

    public func follow(_ ids: [Int], runID: String, event: (LavaEvent) -> Void) throws(LavaError) -> Result {
        var last: [Int: LavaJobStatus] = [:]
        var progress: [Int: LavaLog] = [:]
        var failures = 0
        var wasInterrupted = false
        var cancelDeadline: Double?
        var waited = 0.0
        while true {
            var pending = 0
            for id in ids where !(last[id]?.finished ?? false) {
                let s: LavaJobStatus
                do {
                    s = try client.job(id)
                    failures = 0
                } catch {
                    guard case .unreachable = error, failures < maxPollFailures else { throw error }
                    failures += 1
                    let pause = pollSeconds * Double(1 << failures)
                    event(.retry("\(error.description); asking again in \(Int(pause)) s (\(failures)/\(maxPollFailures))"))
                    sleep(pause)
                    waited += pause
                    pending += 1
                    continue
                }
                if last[id] != s { event(.state(s)) }
                last[id] = s
                if !s.finished { pending += 1 }
                if followConsole && s.state == "Running" {
                    var l = progress[id] ?? LavaLog()
                    let before = l.console.count
                    if let chunk = try? client.log(id, start: l.entries), !chunk.isEmpty {
                        // Only whole lines: a partial last line is asked for again next time.
                        if let lastNL = chunk.lastIndex(of: 10) {
                            var part = LavaLog()
                            part.read(Array(chunk[...lastNL]))
                            l.entries += part.entries
                            l.console += part.console
                        }
                    }
                    if l.console.count > before {
                        for line in l.console[before...].split(separator: 10) { event(.console(job: id, line: String(decoding: line, as: UTF8.self))) }
                    }
                    // Progress needs the recent lines only.
                    if l.console.count > 1 << 20 { l.console.removeAll(keepingCapacity: true) }
                    progress[id] = l
                }
            }
            if pending == 0 { break }
            if !wasInterrupted && interrupted() {
                wasInterrupted = true
                let running = ids.filter { !(last[$0]?.finished ?? false) }
                event(.cancelling(running))
                for id in running { try? client.cancel(id) }
                cancelDeadline = waited + cancelWaitSeconds
            }
            if let d = cancelDeadline, waited >= d { break }
            sleep(pollSeconds)
            waited += pollSeconds
        }
        var boots: [LavaBoot] = []
        for id in ids {
            guard let s = last[id] else { continue }
            let bytes = s.finished || wasInterrupted ? try client.log(id) : []
            boots.append(LavaBoot(status: s, log: LavaLog.read(bytes), runID: runID))
        }
        boots.sort { a, b in
            let (x, y) = (a.status.startTime ?? "~", b.status.startTime ?? "~")
            return x != y ? x < y : a.status.id < b.status.id
        }
        return Result(boots: boots, interrupted: wasInterrupted)
    }
}
