import Foundation
import Testing
import BenchResults
@testable import LavaRunner

/// Each way a recorded job ended, classified with LAVA's reason.
@Suite struct LavaBootTests {
    static let runID = "l4re-20261201T000000Z-lava-standin"

    static func boot(_ job: Int, log: String? = nil, status file: String? = nil) throws -> LavaBoot {
        let status = try LavaClient.parseJob(Recorded.bytes(file ?? "recorded/job-\(job).json"), id: job)
        return LavaBoot(status: status, log: LavaLog.read(Recorded.bytes(log ?? "recorded/job-\(job)-logs.yaml")), runID: runID)
    }

    @Test func complete() throws {
        let b = try Self.boot(1)
        #expect(b.fault == nil && b.reason == "complete" && b.device == "qemu-01")
    }

    @Test func neverBooted() throws {
        let b = try Self.boot(2)
        #expect(b.fault == .neverBooted && b.fault?.exitCode == 53)
        #expect(b.reason == "Infrastructure: Connection closed")
    }

    @Test func timedOut() throws {
        let b = try Self.boot(3)
        #expect(b.fault == .timedOut && b.fault?.exitCode == 54)
        #expect(b.reason == "Test: lava-test-monitor timed out after 60 seconds")
    }

    /// Job 8's console went silent inside the second block for longer than the connection waits:
    /// the monitor gave up and LAVA called the job complete. A timeout, not a complete run.
    @Test func silentConsoleIsATimeoutThoughLAVASaysComplete() throws {
        let b = try Self.boot(8)
        #expect(b.status.health == "Complete")
        #expect(b.fault == .timedOut && b.reason == "monitor: lava test monitoring has timed out")
    }

    @Test func cancelled() throws {
        let b = try Self.boot(4)
        #expect(b.fault == .cancelled && b.fault?.exitCode == 55)
        #expect(b.reason == "Canceled: The job was canceled")
    }

    /// Job 9's QEMU was killed in the middle of the suite (a board that died): LAVA's Infrastructure error.
    @Test func deviceLost() throws {
        let b = try Self.boot(9)
        #expect(b.fault == .deviceLost && b.fault?.exitCode == 56)
        #expect(b.reason == "Infrastructure: Connection closed")
    }

    /// LAVA says complete, but the log we got stops in the middle of a line.
    @Test func logCut() throws {
        let cut = try Self.boot(5, log: "derived/job-5-logs-cut.yaml", status: "recorded/job-5-status-4.json")
        #expect(cut.status.health == "Complete")
        #expect(cut.fault == .logCut && cut.fault?.exitCode == 57)
        #expect(cut.reason.contains("middle of a line"))
    }

    /// A download cut after the suite's end record loses only LAVA's closing lines: no fault.
    @Test func aCutAfterTheEndRecordIsNoFault() throws {
        let whole = Recorded.bytes("recorded/job-5-logs-4.yaml")
        let end = try #require(ImagePlan.find(Array("L4BENCH-DONE".utf8), in: whole, from: 0))
        let status = try LavaClient.parseJob(Recorded.bytes("recorded/job-5-status-4.json"), id: 5)
        let b = LavaBoot(status: status, log: LavaLog.read(Array(whole[..<(end + 300)])), runID: Self.runID)
        #expect(b.log.cut && b.fault == nil)
    }

    @Test func everyFaultHasItsOwnExitCode() {
        let codes = LavaBoot.Fault.allCases.map(\.exitCode)
        #expect(Set(codes).count == codes.count)
        let errors: [LavaError] = [.unreachable(server: "s", why: "w"), .tokenRefused(server: "s", detail: "d"), .rejected("r"), .badResponse("b")]
        #expect(Set(errors.map(\.exitCode) + codes).count == codes.count + errors.count)
    }
}
