import Foundation
import Testing
@testable import LavaRunner

#if canImport(Glibc)
import Glibc
#endif

@Suite struct LavaClientTests {
    @Test func submitReadsTheJobIDs() throws {
        let replay = Replay(recorded: ["POST /api/v0.2/jobs/": ["submit.json"]])
        let ids = try LavaClient(config: Recorded.config, transport: replay).submit(definition: "device_type: qemu\n")
        #expect(ids == [5])
        // The definition travels as JSON, as the API wants it.
        let body = try #require(replay.requests.first?.body)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: String])
        #expect(obj["definition"] == "device_type: qemu\n")
    }

    @Test func statusOfAJobAsItGoes() throws {
        let replay = Replay(recorded: ["GET /api/v0.2/jobs/5/": ["job-5-status-1.json", "job-5-status-3.json", "job-5-status-4.json"]])
        let c = LavaClient(config: Recorded.config, transport: replay)
        let queued = try c.job(5)
        #expect(queued.state == "Submitted" && queued.device == nil && !queued.finished)
        let running = try c.job(5)
        #expect(running.state == "Running" && running.device == "qemu-01" && running.deviceType == "qemu")
        let done = try c.job(5)
        #expect(done.finished && done.health == "Complete" && done.startTime == "2026-12-01T02:51:46.653473Z")
    }

    @Test func aRefusedTokenIsNamedAndNotPrinted() {
        let replay = Replay(recorded: ["GET /api/v0.2/jobs/1/": ["refused-token.json"]])
        let c = LavaClient(config: Recorded.config, transport: replay)
        #expect {
            try c.job(1)
        } throws: { e in
            guard let e = e as? LavaError, case .tokenRefused = e else { return false }
            return e.exitCode == 51 && e.description.contains("Invalid token") && !e.description.contains(Recorded.config.token)
        }
    }

    @Test func aRejectedJobCarriesLAVAsMessage() {
        let replay = Replay(recorded: ["POST /api/v0.2/jobs/": ["rejected.json"]])
        #expect(throws: LavaError.rejected("Problem with submitted job data: required key not provided @ data['timeouts']")) {
            try LavaClient(config: Recorded.config, transport: replay).submit(definition: "device_type: qemu\njob_name: broken\n")
        }
    }

    @Test func aMissingJobIsAnUnexpectedAnswer() {
        let replay = Replay(recorded: ["GET /api/v0.2/jobs/99999/": ["missing-job.json"]])
        #expect {
            try LavaClient(config: Recorded.config, transport: replay).job(99999)
        } throws: { e in (e as? LavaError)?.exitCode == 59 && "\(e)".contains("404") }
    }

    @Test func aLogNotYetWrittenIsEmpty() throws {
        let replay = Replay(recorded: ["GET /api/v0.2/jobs/5/logs/": ["job-5-logs-1.yaml"]])
        #expect(try LavaClient(config: Recorded.config, transport: replay).log(5).isEmpty)
    }

    @Test func theStatusAnswerMustBeAJob() {
        let replay = Replay(["GET /api/v0.2/jobs/3/": [.success(LavaResponse(status: 200, body: Array("<html>proxy</html>".utf8)))]])
        #expect { try LavaClient(config: Recorded.config, transport: replay).job(3) } throws: { ($0 as? LavaError)?.exitCode == 59 }
    }

    /// A real HTTP request to a port nobody listens on: unreachable, exit 50, at once.
    @Test func anUnreachableServerOverHTTP() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        close(fd)
        let c = LavaClient(config: LavaConfig(url: "http://127.0.0.1:\(port)", token: "x"), transport: HTTPTransport(timeoutSeconds: 10))
        let start = Date()
        #expect {
            try c.job(1)
        } throws: { e in
            guard let e = e as? LavaError, case .unreachable(_, let why) = e else { return false }
            return e.exitCode == 50 && why == "connection refused"
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    /// Following jobs on a server that went away: a bounded number of polls with growing pauses, then an error.
    @Test func noRetryStormWhenTheServerGoesAway() {
        let replay = Replay([:])
        let slept = SleepTotal()
        let f = LavaFollower.fast(LavaClient(config: Recorded.config, transport: replay), slept: slept)
        #expect {
            try f.follow([5, 6], runID: "r") { _ in }
        } throws: { ($0 as? LavaError)?.exitCode == 50 }
        #expect(replay.count == f.maxPollFailures + 1)
        #expect(slept.seconds >= 5 * (2 + 4 + 8))
    }

    @Test func aRefusedTokenWhileFollowingEndsAtOnce() {
        let replay = Replay(recorded: ["GET /api/v0.2/jobs/5/": ["refused-token.json"]])
        let f = LavaFollower.fast(LavaClient(config: Recorded.config, transport: replay), slept: SleepTotal())
        #expect { try f.follow([5], runID: "r") { _ in } } throws: { ($0 as? LavaError)?.exitCode == 51 }
        #expect(replay.count == 1)
    }

    /// A job followed from the queue to its end: states in order, the console's block lines as they come, the log once at the end.
    @Test func followsARecordedJob() throws {
        let replay = Replay(recorded: [
            "GET /api/v0.2/jobs/5/": ["job-5-status-1.json", "job-5-status-2.json", "job-5-status-3.json", "job-5-status-4.json"],
            "GET /api/v0.2/jobs/5/logs/": ["job-5-logs-4.yaml"],
        ])
        let slept = SleepTotal()
        var states: [String] = []
        var lines: [String] = []
        let f = LavaFollower.fast(LavaClient(config: Recorded.config, transport: replay), slept: slept)
        let r = try f.follow([5], runID: "l4re-20261201T000000Z-lava-standin") { e in
            switch e {
            case .state(let s): states.append(s.state + (s.device.map { "@\($0)" } ?? ""))
            case .console(_, let l): lines.append(l)
            default: break
            }
        }
        #expect(states == ["Submitted", "Scheduled@qemu-01", "Running@qemu-01", "Finished@qemu-01"])
        #expect(r.boots.count == 1 && r.boots[0].fault == nil && !r.interrupted)
        #expect(slept.seconds == 15)
        // While it ran, its console so far (here the recorded whole log, served to the running job).
        #expect(lines.contains("L4BENCH-BLOCK 1/2 round 0 cpp-cpp same-core"))
        #expect(lines.contains("[36mcli     | L4B1,s,l4,ipc.roundtrip,cpp,cpp,same-core,words=0,0,9,10008"))
        #expect(replay.requests.filter { $0.path.hasSuffix("/logs/") }.count == 2)
    }
}
