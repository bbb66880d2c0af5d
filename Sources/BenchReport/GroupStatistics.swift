import BenchResults
import BenchStats
import Dispatch

/// Statistics of one group: the whole-run summary and each round's median.
public struct GroupStatistics: Sendable {
    public var key: GroupKey
    public var summary: Summary
    public var roundMedians: [(round: Int, median: Double)]
}

extension GroupStatistics {
    /// Summarises every group of a run, exact. Each group is gathered into one
    /// contiguous buffer (32-bit when its values allow) that the selection then
    /// reorders; groups are processed in parallel.
    public static func of(_ run: Run, threads: Int = 2) -> [GroupStatistics] {
        let groups = run.groups
        let results = UnsafeMutableBufferPointer<GroupStatistics?>.allocate(capacity: groups.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
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
        var medians: [(Int, Double)] = []
        let summary: Summary?
        if allNarrow {
            let buf = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
            defer { buf.deallocate() }
            var at = 0
            for (round, column) in g.rounds {
                let c = column.copyNarrow(into: buf.baseAddress! + at)
                if let m = Summary.median(UnsafeMutableBufferPointer(rebasing: buf[at..<(at + c)])) {
                    medians.append((round, m))
                }
                at += c
            }
            summary = Summary.destructive(buf)
        } else {
            var all: [UInt64] = []
            all.reserveCapacity(n)
            for (round, column) in g.rounds {
                var v = column.values
                if let m = v.withUnsafeMutableBufferPointer({ Summary.median($0) }) { medians.append((round, m)) }
                all += v
            }
            summary = all.withUnsafeMutableBufferPointer { Summary.destructive($0) }
        }
        guard let summary else { return nil }
        return GroupStatistics(key: g.key, summary: summary, roundMedians: medians)
    }
}
