/// The results a boot printed on its console, in the order it printed them:
/// what a profile's windows are matched against.
public struct ConsoleGroups: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public var bench: String
        public var client: String
        public var server: String
        public var placement: String
        public var param: String
        public var round: Int
        public init(bench: String, client: String, server: String, placement: String, param: String, round: Int) {
            self.bench = bench; self.client = client; self.server = server
            self.placement = placement; self.param = param; self.round = round
        }
        public var pair: String { "\(client)-\(server)" }
        public static func < (a: Key, b: Key) -> Bool {
            (a.bench, a.placement, a.param, a.client, a.server, a.round) < (b.bench, b.placement, b.param, b.client, b.server, b.round)
        }
    }

    public struct Group: Sendable {
        public var key: Key
        /// Sample values by iteration.
        public var values: [UInt64]
    }

    public var groups: [Group] = []
    public var meta: [String: String] = [:]
    /// Names of the booted files: bootstrap's `Scanning PATH` and moe's `ROMFS: [...] [C:...] NAME` lines.
    public var modules: Set<String> = []

    public init(groups: [Group] = [], meta: [String: String] = [:]) {
        self.groups = groups
        self.meta = meta
    }

    /// Reads the `L4B1` records of one boot from a console log (plain or gzip).
    /// A log of several shards (`==== shard K/N ====`) needs `shard`.
    public static func read(path: String, shard: Int? = nil) throws(ProfileError) -> ConsoleGroups {
        let src = try LineSource(path: path)
        var c = ConsoleGroups()
        var modules: Set<String> = []
        var index: [Key: Int] = [:]
        var shards = 0
        var inShard = shard == nil
        while var raw = try src.nextString() {
            while let l = raw.last, l == "\r" || l == " " { raw.removeLast() }
            if raw.hasPrefix("==== shard ") {
                shards += 1
                let k = raw.dropFirst("==== shard ".count).prefix { $0 != "/" }
                inShard = shard == nil || Int(k) == shard
                if shard == nil && shards > 1 {
                    throw .missing("\(path) holds several boots (shards): pass the shard the trace was recorded in")
                }
                continue
            }
            guard inShard else { continue }
            if let r = raw.range(of: "  Scanning ") {
                if let path = raw[r.upperBound...].split(separator: " ").first { modules.insert(String(path.split(separator: "/").last ?? path)) }
                continue
            }
            if let r = raw.range(of: "ROMFS: ["), let close = raw[r.upperBound...].range(of: "] "),
               let name = raw[close.upperBound...].split(separator: " ").last {
                modules.insert(String(name))
                continue
            }
            guard let at = raw.range(of: "L4B1,") else { continue }
            var line = raw[at.lowerBound...]
            if let esc = line.firstIndex(of: "\u{1B}") { line = line[..<esc] }
            while let l = line.last, l == "\r" || l == " " { line.removeLast() }
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            if f.count == 3 && f[1] == "begin" {
                c.meta["begin"] = String(f[2])
            } else if f.count >= 4 && f[1] == "meta" {
                c.meta[String(f[2])] = f[3...].joined(separator: ",")
            } else if f.count == 11 && f[1] == "s" {
                guard let round = Int(f[8]), let iter = Int(f[9]), let v = UInt64(f[10]) else {
                    throw .malformed(file: path, line: src.lineNumber, why: "a sample record with a bad round, iteration or value")
                }
                let key = Key(bench: String(f[3]), client: String(f[4]), server: String(f[5]),
                              placement: String(f[6]), param: String(f[7]), round: round)
                let gi: Int
                if let i = index[key] { gi = i } else {
                    gi = c.groups.count
                    index[key] = gi
                    c.groups.append(Group(key: key, values: []))
                }
                guard iter == c.groups[gi].values.count else {
                    throw .malformed(file: path, line: src.lineNumber, why: "iteration \(iter) of \(key.bench) \(key.pair) out of order")
                }
                c.groups[gi].values.append(v)
            }
        }
        c.modules = modules
        if let s = shard, shards > 0, s < 1 || s > shards { throw .missing("\(path) has \(shards) shard(s), not \(s)") }
        return c
    }
}
