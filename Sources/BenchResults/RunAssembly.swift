#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Turning workers into a run: parallel merge and the whole-file checks.
extension ResultsParser {
    /// Parses the ranges in parallel. Returns nil when the ranges cannot be merged
    /// blindly (a fault, or a structural record in a later range): the caller then
    /// parses sequentially, which places every fault exactly.
    static func parseParallel(fd: Int32, split: [Int], source: String, options: ParseOptions) -> ParseOutcome? {
        let parts = split.count - 1
        let workers = (0..<parts).map {
            ParseWorker(source: source, lenient: options.lenient, isFirstChunk: $0 == 0)
        }
        let errors = UnsafeMutablePointer<Bool>.allocate(capacity: parts)
        errors.initialize(repeating: false, count: parts)
        defer { errors.deallocate() }
        DispatchQueue.concurrentPerform(iterations: parts) { i in
            if readRange(fd: fd, from: split[i], to: split[i + 1], worker: workers[i]) != nil { errors[i] = true }
        }
        let first = workers[0]
        for i in 0..<parts {
            let w = workers[i]
            if errors[i] || w.fault != nil || w.needsSequential || w.skippedCount > 0 { return nil }
        }
        for w in workers.dropFirst() {
            if first.endLine > 0 && (w.samples > 0 || w.resultLines > 0) { return nil }
            for m in w.meta {
                if let old = first.meta.first(where: { $0.key == m.key }) {
                    if old.value != m.value { return nil }
                } else {
                    first.meta.append((m.key, m.value, first.line + m.line))
                }
            }
            for var n in w.notes {
                n.line += first.line
                first.notes.append(n)
            }
            if w.endLine > 0 {
                first.endLine = first.line + w.endLine
                first.endDeclared = w.endDeclared
            }
            for sub in w.subs {
                if let i = first.subIndex[ByteKey(sub.key)] {
                    first.subs[i].column.absorb(sub.column)
                } else {
                    first.subIndex[ByteKey(sub.key)] = first.subs.count
                    first.subs.append(sub)
                }
            }
            first.samples += w.samples
            first.resultLines += w.resultLines
            first.noiseLines += w.noiseLines
            first.garbageLines += w.garbageLines
            first.line += w.line
        }
        return finish(first, source: source)
    }

    /// Whole-file checks and assembly of the run.
    static func finish(_ w: ParseWorker, source: String) -> ParseOutcome {
        var fault = w.fault
        if fault == nil {
            if w.resultLines == 0 && w.skippedCount == 0 {
                fault = ResultsError(file: source, line: 0, reason: .empty)
            } else if w.runID == nil {
                fault = ResultsError(file: source, line: 0, reason: .malformedRow("no begin line: the file holds no complete run"))
            } else if w.endLine == 0 {
                fault = ResultsError(file: source, line: w.line,
                                     reason: .truncated("run '\(w.runID!)' has no end line: output stops after line \(w.line) (run killed or log cut)"))
            } else if let declared = w.endDeclared, declared != w.samples + w.sampleRowsSkipped {
                let found = w.samples + w.sampleRowsSkipped
                fault = ResultsError(file: source, line: w.endLine, reason: declared > found
                    ? .truncated("end line declares \(declared) samples, but only \(found) arrived: \(declared - found) lost")
                    : .malformedRow("end line declares \(declared) samples, but \(found) are in the file"))
            } else if let dup = w.subs.first(where: { $0.column.hasDuplicateIterations }) {
                let key = String(decoding: dup.key, as: UTF8.self)
                fault = ResultsError(file: source, line: 0, reason: .malformedRow(
                    "duplicated samples: some iteration of group and round '\(key)' appears more than once (the same output captured twice?)"))
            } else {
                fault = ResultsFormat.missingMetadataFault(runID: w.runID!, keys: w.meta.map(\.key), file: source)
            }
        }
        return ParseOutcome(run: assemble(w, source: source), fault: fault,
                            skippedCount: w.skippedCount, skipped: w.skipped,
                            noiseLines: w.noiseLines, garbageLines: w.garbageLines)
    }

    /// Groups the (key, round) columns by key, sorted.
    static func assemble(_ w: ParseWorker, source: String) -> Run {
        var byKey: [GroupKey: Int] = [:]
        byKey.reserveCapacity(w.subs.count)
        var groups: [SampleGroup] = []
        for sub in w.subs where sub.column.count > 0 {
            let fields = String(decoding: sub.key, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 7, let key = GroupKey(fields: Array(fields.prefix(6))),
                  let round = Int(fields[6]) else { continue }
            if let i = byKey[key] {
                groups[i].rounds.append((round, sub.column))
            } else {
                byKey[key] = groups.count
                groups.append(SampleGroup(key: key, rounds: [(round, sub.column)]))
            }
        }
        // One round may appear in several columns only if keys differ in spelling; merge equal rounds.
        for i in groups.indices {
            groups[i].rounds.sort { $0.round < $1.round }
            var merged: [(round: Int, column: SampleColumn)] = []
            for r in groups[i].rounds {
                if let last = merged.last, last.round == r.round { last.column.absorb(r.column) } else { merged.append(r) }
            }
            groups[i].rounds = merged
        }
        // Sort by key without moving the groups around (each move retains and releases).
        let order = groups.indices.sorted { groups[$0].key < groups[$1].key }
        groups = order.map { groups[$0] }
        return Run(id: w.runID ?? "", metadata: w.meta.map { ($0.key, $0.value) }, groups: groups,
                   notes: w.notes, source: source)
    }
}
