/// The six fields that identify what a sample measured.
public struct GroupKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var suite: String
    public var benchmark: String
    public var client: String
    public var server: String
    public var placement: String
    public var param: String

    public init(suite: String, benchmark: String, client: String, server: String,
                placement: String, param: String) {
        self.suite = suite
        self.benchmark = benchmark
        self.client = client
        self.server = server
        self.placement = placement
        self.param = param
    }

    public init?(fields: [Substring]) {
        guard fields.count == 6 else { return nil }
        self.init(suite: String(fields[0]), benchmark: String(fields[1]), client: String(fields[2]),
                  server: String(fields[3]), placement: String(fields[4]), param: String(fields[5]))
    }

    /// `client-server`, e.g. `swift-cpp`.
    public var pair: String { "\(client)-\(server)" }
    /// The key without the pair: what pairs are compared across.
    public var benchKey: String { "\(suite)/\(benchmark)/\(placement)/\(param)" }
    public var description: String { "\(suite)/\(benchmark)/\(pair)/\(placement)/\(param)" }
    public var csvFields: String { "\(suite),\(benchmark),\(client),\(server),\(placement),\(param)" }

    /// Field by field, each by its UTF-8 bytes (fast, and the same on every platform).
    public static func < (a: GroupKey, b: GroupKey) -> Bool {
        if a.suite != b.suite { return a.suite.utf8.lexicographicallyPrecedes(b.suite.utf8) }
        if a.benchmark != b.benchmark { return a.benchmark.utf8.lexicographicallyPrecedes(b.benchmark.utf8) }
        if a.placement != b.placement { return a.placement.utf8.lexicographicallyPrecedes(b.placement.utf8) }
        if a.param != b.param { return a.param.utf8.lexicographicallyPrecedes(b.param.utf8) }
        if a.client != b.client { return a.client.utf8.lexicographicallyPrecedes(b.client.utf8) }
        return a.server.utf8.lexicographicallyPrecedes(b.server.utf8)
    }
}

/// All samples of one key, by round.
public struct SampleGroup: Sendable {
    public var key: GroupKey
    /// Rounds in ascending order, each with its column.
    public var rounds: [(round: Int, column: SampleColumn)]

    public init(key: GroupKey, rounds: [(round: Int, column: SampleColumn)]) {
        self.key = key
        self.rounds = rounds
    }

    public var count: Int { rounds.reduce(0) { $0 + $1.column.count } }

    /// All values, every round, at full width.
    public var values: [UInt64] {
        var r: [UInt64] = []
        r.reserveCapacity(count)
        for (_, c) in rounds { c.forEach { r.append($0) } }
        return r
    }
}

/// A pair that did not produce samples, and why (a `fail` or `skip` record).
public struct PairNote: Sendable, Equatable {
    public enum Kind: String, Sendable { case fail, skip }
    public var kind: Kind
    public var key: GroupKey
    public var reason: String
    public var line: Int
}
