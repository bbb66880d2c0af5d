import BenchResults
import CBenchSys
import Foundation
import Testing
@testable import LinuxBench

/// Tests that start peer processes run one at a time: they check that no child
/// process is left behind, which only holds when no other test has one running.
@Suite(.serialized) enum ProcessTests {}

/// The peers next to the test executable (SwiftPM builds every product of the package into one directory).
func testPrograms() throws -> PeerPrograms {
    try PeerPrograms.locate()
}

func samePlacement() -> Placement {
    try! Topology.current().placement(.sameCore).get()
}

/// Small jobs of every kind the peers serve.
let everyKind: [Job] = [
    Job(kind: .futex, words: 8, samples: 30, warmup: 5),
    Job(kind: .seqpacket, words: 63, samples: 30, warmup: 5),
    Job(kind: .scm, samples: 30, warmup: 5),
    Job(kind: .memfd, bytes: 64 << 10, samples: 10, warmup: 2),
]

extension ProcessTests {
    @Suite struct PeerExchangeTests {
        @Test(arguments: Pair.all)
        func pairsExchangeVerifiedData(pair: Pair) throws {
            let runner = BlockRunner(programs: try testPrograms(), timeLimitSeconds: 20)
            let outcome = try runner.run(pair: pair, placement: samePlacement(), jobs: everyKind, round: 0)
            for r in outcome.results {
                #expect(r.failure == nil, "\(pair) \(r.job.label): \(r.failure ?? "")")
                #expect(r.iterations == Int(r.job.samples))
                #expect(r.values.allSatisfy { $0 > 0 }, "every timed value is a positive tick count")
            }
        }

        /// The client checks every reply; a server that answers wrongly fails the job
        /// that it corrupts, and only that one.
        @Test(arguments: [Pair(.swift, .cpp), Pair(.cpp, .swift)], [0, 1, 2, 3])
        func wrongReplyIsCaught(pair: Pair, job: Int) throws {
            let runner = BlockRunner(programs: try testPrograms(), timeLimitSeconds: 20,
                                     fault: FaultInjection(kind: .serverCorrupt, job: job))
            let outcome = try runner.run(pair: pair, placement: samePlacement(), jobs: everyKind, round: 0)
            for (i, r) in outcome.results.enumerated() {
                if i == job {
                    let reason = try #require(r.failure)
                    #expect(reason.contains("did not match") || reason.contains("read back wrong") || reason.contains("checksum"), "\(reason)")
                    #expect(r.iterations == 0)
                } else {
                    #expect(r.failure == nil, "\(r.failure ?? "")")
                    #expect(r.iterations == Int(r.job.samples))
                }
            }
        }

        @Test func rawReferenceRuns() throws {
            let runner = BlockRunner(programs: try testPrograms(), timeLimitSeconds: 20)
            let raw = Job(kind: .raw, samples: 50, warmup: 5)
            let outcome = try runner.run(pair: .raw, placement: samePlacement(), jobs: [raw], round: 0)
            #expect(outcome.results[0].failure == nil)
            #expect(outcome.results[0].iterations == 50)
        }
    }
}
