/// One benchmark run: its metadata, its samples grouped by key, and what the
/// parser noticed on the way.
public struct Run: Sendable {
    public var id: String
    /// Metadata in the order first seen.
    public var metadata: [(key: String, value: String)]
    /// Groups sorted by key.
    public var groups: [SampleGroup]
    public var notes: [PairNote]
    /// The file the run came from.
    public var source: String

    public init(id: String, metadata: [(key: String, value: String)], groups: [SampleGroup],
                notes: [PairNote] = [], source: String) {
        self.id = id
        self.metadata = metadata
        self.groups = groups
        self.notes = notes
        self.source = source
    }

    public subscript(meta key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }

    public var tscHz: Double? { self[meta: "tsc_hz"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } }
    public var machine: String { self[meta: "machine"] ?? "unknown" }
    public var sampleCount: Int { groups.reduce(0) { $0 + $1.count } }

    /// The group of `key` (groups are sorted by key: a binary search).
    public func group(_ key: GroupKey) -> SampleGroup? {
        var lo = 0, hi = groups.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if groups[mid].key < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < groups.count && groups[lo].key == key ? groups[lo] : nil
    }
}

/// What parsing a file produced: the run (possibly partial), the fault that
/// stopped it, and what `--lenient` skipped.
public struct ParseOutcome: Sendable {
    public var run: Run
    /// The first fault in strict mode (the run holds the rows before it), or a
    /// whole-file fault (missing metadata, no end line) in either mode.
    public var fault: ResultsError?
    /// Rows skipped in lenient mode: how many, and the first few faults.
    public var skippedCount: Int
    public var skipped: [ResultsError]
    /// Lines without the results prefix (console noise).
    public var noiseLines: Int
    /// Noise lines that held bytes no text has (NUL, stray control bytes).
    public var garbageLines: Int
    /// A compact run whose checksums (every block's and the run's) were verified;
    /// false for format v1 and for compact runs stored before checksums.
    public var checksummed: Bool = false
}
