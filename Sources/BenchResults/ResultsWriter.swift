/// Writes results format v1 lines.
public enum ResultsWriter {
    public static func beginLine(runID: String) -> String { "\(ResultsFormat.prefix)begin,\(runID)" }
    public static func metaLine(_ key: String, _ value: String) -> String {
        "\(ResultsFormat.prefix)meta,\(key),\(sanitized(value))"
    }
    public static func sampleLine(_ key: GroupKey, round: Int, iteration: Int, cycles: UInt64) -> String {
        "\(ResultsFormat.prefix)s,\(key.csvFields),\(round),\(iteration),\(cycles)"
    }
    public static func noteLine(_ kind: PairNote.Kind, _ key: GroupKey, reason: String) -> String {
        "\(ResultsFormat.prefix)\(kind.rawValue),\(key.csvFields),\(sanitized(reason))"
    }
    public static func endLine(runID: String, samples: Int) -> String {
        "\(ResultsFormat.prefix)end,\(runID),\(samples)"
    }

    /// Values live on one line: newlines and control bytes become spaces.
    public static func sanitized(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }

    /// The whole run as text, groups in key order, rounds ascending, iterations
    /// numbered within (group, round).
    public static func text(of run: Run) -> String {
        var out = beginLine(runID: run.id) + "\n"
        for (k, v) in run.metadata { out += metaLine(k, v) + "\n" }
        var n = 0
        for g in run.groups {
            for (round, column) in g.rounds {
                var i = 0
                column.forEach { v in
                    out += sampleLine(g.key, round: round, iteration: i, cycles: v) + "\n"
                    i += 1
                }
                n += i
            }
        }
        for note in run.notes { out += noteLine(note.kind, note.key, reason: note.reason) + "\n" }
        out += endLine(runID: run.id, samples: n) + "\n"
        return out
    }
}
