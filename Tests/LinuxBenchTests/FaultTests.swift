import CBenchSys
import Foundation
import Testing
@testable import LinuxBench

#if canImport(Glibc)
import Glibc
#endif

let threeJobs: [Job] = [
    Job(kind: .futex, words: 0, samples: 40, warmup: 5),
    Job(kind: .futex, words: 8, samples: 40, warmup: 5),
    Job(kind: .seqpacket, words: 0, samples: 40, warmup: 5),
]

/// No peer process may outlive its block: no child of this process (running or
/// an unreaped zombie) is a benchmark peer. Other tests' children (git, make)
/// may come and go meanwhile; only the peers are counted.
func noChildrenLeft() -> Bool {
    let me = getpid()
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where entry.allSatisfy(\.isNumber) {
        guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
        let comm = stat[stat.index(after: open)..<close]
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        guard rest.count > 2, Int32(rest[1]) == me else { continue }
        if comm.hasPrefix("bench-") { return false }
    }
    return true
}

extension ProcessTests {
    @Suite struct FaultTests {
        @Test(arguments: Pair.all)
        func crashedServerIsReportedAndTheBlockGoesOn(pair: Pair) throws {
            let runner = BlockRunner(programs: try testPrograms(), timeLimitSeconds: 20,
                                     fault: FaultInjection(kind: .serverCrash, job: 1))
            let outcome = try runner.run(pair: pair, placement: samePlacement(), jobs: threeJobs, round: 0)
            #expect(outcome.results[0].failure == nil)
            #expect(outcome.results[0].iterations == 40)
            let reason = try #require(outcome.results[1].failure)
            #expect(reason.contains("server was killed by signal 6"), "\(reason)")
            #expect(reason.contains("futex ipc.roundtrip words=8"), "\(reason)")
            // The job after the fault runs in fresh processes.
            #expect(outcome.results[2].failure == nil)
            #expect(outcome.results[2].iterations == 40)
            #expect(noChildrenLeft())
        }

        @Test func hungServerHitsTheTimeLimit() throws {
            let runner = BlockRunner(programs: try testPrograms(), timeLimitSeconds: 1,
                                     fault: FaultInjection(kind: .serverHang, job: 0))
            let start = Date()
            let outcome = try runner.run(pair: Pair(.swift, .cpp), placement: samePlacement(), jobs: threeJobs, round: 0)
            #expect(Date().timeIntervalSince(start) < 10)
            let reason = try #require(outcome.results[0].failure)
            #expect(reason.contains("time limit of 1 s exceeded"), "\(reason)")
            #expect(outcome.results[1].failure == nil && outcome.results[2].failure == nil)
            #expect(noChildrenLeft())
        }

        @Test func crashedClientKeepsItsSamples() throws {
            let runner = BlockRunner(programs: try testPrograms(), timeLimitSeconds: 20,
                                     fault: FaultInjection(kind: .clientCrash, job: 0))
            let outcome = try runner.run(pair: Pair(.cpp, .swift), placement: samePlacement(), jobs: threeJobs, round: 0)
            let reason = try #require(outcome.results[0].failure)
            #expect(reason.contains("client was killed by signal 6"), "\(reason)")
            // It crashed at iteration 22 of 45 (5 warm-up): 18 timed samples were stored.
            #expect(outcome.results[0].iterations == 18)
            #expect(outcome.results[1].iterations == 40)
            #expect(noChildrenLeft())
        }
    }
}
