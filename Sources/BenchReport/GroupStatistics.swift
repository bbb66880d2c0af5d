import BenchResults
import BenchStats
import Dispatch

/// One round of one group: the quantiles that round-level methods compare.
public struct RoundQuantiles: Sendable, Equatable {
    public var round: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double

    public func percentile(_ p: Int) -> Double {
        p == 90 ? p90 : (p == 99 ? p99 : p50)
    }
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
                    medians.append(RoundQuantiles(round: round, p50: q.0, p90: q.1, p99: q.2))
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
                    medians.append(RoundQuantiles(round: round, p50: q.0, p90: q.1, p99: q.2))
                }
                all += v
            }
            summary = all.withUnsafeMutableBufferPointer { Summary.destructive($0) }
        }
        guard let summary else { return nil }
        return GroupStatistics(key: g.key, summary: summary, rounds: medians)
    }
}
