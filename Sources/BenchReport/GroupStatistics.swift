import BenchResults
import BenchStats
import Dispatch

/// One round of one group: the quantiles that round-level methods compare.
public struct RoundQuantiles: Sendable, Equatable {
    public var round: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double
    /// The samples the round had (unknown: as many as any percentile needs).
    public var n: Int = Int.max

    public func percentile(_ p: Int) -> Double {
        p == 90 ? p90 : (p == 99 ? p99 : p50)
    }

    /// Whether a round of `n` samples says something of percentile `p` beyond its largest samples: at least two
    /// samples lie above it (p90 from 20 samples, p99 from 200). Below that a "p99" is the round's maximum, which
    /// moves from run to run with whatever interrupt lands in one sample (an icount run of 10 samples a round:
    /// every median the same in two runs of the same code, p99 apart by 23%), and is not compared.
    public static func supports(percentile p: Int, samples n: Int) -> Bool {
        p <= 50 || n >= Self.samplesNeeded(percentile: p)
    }

    /// The samples a round needs for `supports`.
    public static func samplesNeeded(percentile p: Int) -> Int { p <= 50 ? 1 : (200 + (100 - p) - 1) / (100 - p) }
}

/// Statistics of one group: the whole-run summary (the within-round spread
/// pooled over rounds) and each round's quantiles (the independent units).
public struct GroupStatistics: Sendable {
    public var key: GroupKey
    public var summary: Summary
    public var rounds: [RoundQuantiles]

    public var roundMedians: [(round: Int, median: Double)] { rounds.map { ($0.round, $0.p50) } }
}

extension GroupStatistics {
    /// Summarises every group of a run, exact. Each group is gathered into one
    /// contiguous buffer (32-bit when its values allow) that the selection then
    /// reorders; groups are processed in parallel.
    public static func of(_ run: Run, threads: Int = 2) -> [GroupStatistics] {
        let groups = run.groups
        let results = UnsafeMutableBufferPointer<GroupStatistics?>.allocate(capacity: groups.count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let next = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        next.initialize(to: 0)
        defer { next.deallocate() }
        let lock = DispatchSemaphore(value: 1)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, groups.count))) { _ in
            while true {
                lock.wait()
                let i = next.pointee
                next.pointee += 1
                lock.signal()
                if i >= groups.count { return }
                results[i] = summarize(groups[i])
            }
        }
        return results.compactMap { $0 }
    }

    static func summarize(_ g: SampleGroup) -> GroupStatistics? {
        let n = g.count
        let allNarrow = g.rounds.allSatisfy { $0.column.wide.isEmpty }
        var medians: [RoundQuantiles] = []
        let summary: Summary?
        if allNarrow {
            let buf = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
            defer { buf.deallocate() }
            var at = 0
            for (round, column) in g.rounds {
                let c = column.copyNarrow(into: buf.baseAddress! + at)
                if let q = Summary.roundQuantiles(UnsafeMutableBufferPointer(rebasing: buf[at..<(at + c)])) {
                    medians.append(RoundQuantiles(round: round, p50: q.0, p90: q.1, p99: q.2, n: c))
                }
                at += c
            }
            summary = Summary.destructive(buf)
        } else {
            var all: [UInt64] = []
            all.reserveCapacity(n)
            for (round, column) in g.rounds {
                var v = column.values
                if let q = v.withUnsafeMutableBufferPointer({ Summary.roundQuantiles($0) }) {
                    medians.append(RoundQuantiles(round: round, p50: q.0, p90: q.1, p99: q.2, n: v.count))
                }
                all += v
            }
            summary = all.withUnsafeMutableBufferPointer { Summary.destructive($0) }
        }
        guard let summary else { return nil }
        return GroupStatistics(key: g.key, summary: summary, rounds: medians)
    }
}
