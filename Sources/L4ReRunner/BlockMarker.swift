/// Where an L4Re run is in its blocks, for a progress bar (the L4Re side of
/// LinuxBench's `RunProgress`).
public struct L4ReProgress: Sendable, Equatable {
    /// Blocks started so far, over every shard.
    public var blocksDone: Int
    /// Blocks of the run, over every shard.
    public var blocks: Int
    /// The round the block belongs to (0-based).
    public var round: Int
    /// Rounds of the run.
    public var rounds: Int
    /// What runs now: `round R PAIR PLACEMENT`, with `shard K: ` before it in a sharded run; `done` at the end.
    public var label: String

    /// The progress with every field given.
    public init(blocksDone: Int, blocks: Int, round: Int, rounds: Int, label: String) {
        self.blocksDone = blocksDone
        self.blocks = blocks
        self.round = round
        self.rounds = rounds
        self.label = label
    }
}

/// The line ned's script prints as a block starts (`NedScript.blockMarker`),
/// read back: `L4BENCH-BLOCK DONE/TOTAL round R PAIR PLACEMENT`, after any console tag.
public struct BlockMarker: Sendable, Equatable {
    /// Blocks of this boot finished before this one.
    public var done: Int
    /// The round the block belongs to (0-based).
    public var round: Int
    /// `round R PAIR PLACEMENT`.
    public var label: String

    /// The marker in a console line, or nil when the line holds none.
    public init?(line: String) {
        guard let r = line.range(of: NedScript.blockMarker) else { return nil }
        let rest = line[r.upperBound...]
        let words = rest.split(separator: " ")
        done = Int(rest.prefix { $0.isNumber }) ?? 0
        round = words.count > 2 ? Int(words[2]) ?? 0 : 0
        label = words.dropFirst().joined(separator: " ")
    }
}
