import Foundation

/// The difference between two pairs' profiles of one block, by program role
/// and by function: "cap.map same-core swift-cpp against cpp-cpp: -306
/// instructions: fiasco -6, bench-client (swift for cpp) -300".
public struct ProfileDiff: Sendable {
    /// A block: a benchmark, its placement and parameter, all rounds merged.
    public struct Block: Hashable, Sendable, Comparable {
        public var bench: String
        public var placement: String
        public var param: String
        public var title: String { param == "-" ? "\(bench) \(placement)" : "\(bench) \(placement) \(param)" }
        public static func < (a: Block, b: Block) -> Bool { (a.bench, a.placement, a.param) < (b.bench, b.placement, b.param) }
    }

    /// One pair's profile of a block: mean instructions a window, per place.
    public struct Side: Sendable {
        public var pair: String
        public var client: String
        public var server: String
        public var samples = 0
        public var ticks: [UInt64] = []
        public var sums: [Attribution.Place: UInt64] = [:]
        public func mean(_ p: Attribution.Place) -> Double { Double(sums[p] ?? 0) / Double(max(samples, 1)) }
        public var total: Double { Double(sums.values.reduce(0, &+)) / Double(max(samples, 1)) }

        /// The program's part in the pair: `bench-client` for swift-bench-client
        /// in a swift client; the program's name when it has no language prefix.
        public func role(_ program: String) -> String {
            for lang in [client, server] {
                let l = lang.prefix { $0 != "." }
                if program.hasPrefix(l + "-") { return String(program.dropFirst(l.count + 1)) }
            }
            return program
        }
    }

    public var block: Block
    public var side: Side
    public var base: Side

    public init(block: Block, side: Side, base: Side) {
        self.block = block
        self.side = side
        self.base = base
    }

    /// Groups of `profile` whose bench is the block's first word and whose
    /// placement or parameter equal each further word, by block and pair.
    public static func sides(_ profile: Profile, block spec: String) throws(ProfileError) -> [Block: [String: Side]] {
        let words = spec.split(separator: " ").map(String.init)
        guard let bench = words.first else { throw .noSuchBlock("--block is empty: give a benchmark, e.g. \"cap.map same-core\"") }
        var out: [Block: [String: Side]] = [:]
        for g in profile.groups where g.key.bench == bench {
            guard words.dropFirst().allSatisfy({ $0 == g.key.placement || $0 == g.key.param }) else { continue }
            let b = Block(bench: bench, placement: g.key.placement, param: g.key.param)
            var s = out[b]?[g.key.pair] ?? Side(pair: g.key.pair, client: g.key.client, server: g.key.server)
            s.samples += g.samples
            s.ticks.append(g.medianTicks)
            for (p, n) in g.functions { s.sums[p, default: 0] &+= n }
            out[b, default: [:]][g.key.pair] = s
        }
        if out.isEmpty {
            let known = Set(profile.groups.map { "\($0.key.bench) \($0.key.placement) \($0.key.param)" }).sorted()
            throw .noSuchBlock("no block '\(spec)' in the profile; it has: \(known.joined(separator: "; "))")
        }
        return out
    }

    /// Per role: (base mean, side mean, the programs on each side).
    public func roles() -> [(role: String, base: Double, side: Double, basePrograms: [String], sidePrograms: [String])] {
        var acc: [String: (Double, Double, Set<String>, Set<String>)] = [:]
        for p in Set(base.sums.keys).union(side.sums.keys) {
            let rb = base.role(p.program), rs = side.role(p.program)
            if base.sums[p] != nil {
                acc[rb, default: (0, 0, [], [])].0 += base.mean(p)
                acc[rb, default: (0, 0, [], [])].2.insert(p.program)
            }
            if side.sums[p] != nil {
                acc[rs, default: (0, 0, [], [])].1 += side.mean(p)
                acc[rs, default: (0, 0, [], [])].3.insert(p.program)
            }
        }
        return acc.map { ($0.key, $0.value.0, $0.value.1, $0.value.2.sorted(), $0.value.3.sorted()) }
            .sorted { abs($0.side - $0.base) != abs($1.side - $1.base) ? abs($0.side - $0.base) > abs($1.side - $1.base) : $0.role < $1.role }
    }

    /// Per function: (place, base mean, side mean), largest change first.
    public func functions() -> [(place: Attribution.Place, base: Double, side: Double)] {
        Set(base.sums.keys).union(side.sums.keys).map { ($0, base.mean($0), side.mean($0)) }
            .filter { $0.1 != $0.2 }
            .sorted { abs($0.2 - $0.1) != abs($1.2 - $1.1) ? abs($0.2 - $0.1) > abs($1.2 - $1.1) : $0.0 < $1.0 }
    }

    /// The explanation as text: one headline, the roles, the `top` functions.
    public func text(top: Int, demangle: (String) -> String = { $0 }) -> String {
        let d = side.total - base.total
        var s = "\(block.title) \(side.pair) against \(base.pair): \(Self.signed(d)) instructions a window"
        s += " (\(Self.num(base.total)) -> \(Self.num(side.total)); \(base.samples) and \(side.samples) windows)"
        let parts = roles().filter { abs($0.side - $0.base) >= 0.05 }.map { r -> String in
            let who = r.basePrograms == r.sidePrograms || r.basePrograms.isEmpty || r.sidePrograms.isEmpty
                ? (r.sidePrograms.isEmpty ? r.basePrograms : r.sidePrograms).joined(separator: "+")
                : "\(r.sidePrograms.joined(separator: "+")) for \(r.basePrograms.joined(separator: "+"))"
            return "\(who) \(Self.signed(r.side - r.base))"
        }
        s += ":\n  " + (parts.isEmpty ? "no program differs" : parts.joined(separator: ", ")) + "\n"
        let fs = functions().prefix(top)
        if !fs.isEmpty {
            s += "  functions (mean instructions a window, \(base.pair) -> \(side.pair)):\n"
            let width = fs.map { $0.place.program.count }.max() ?? 0
            for f in fs {
                let prog = f.place.program.padding(toLength: width, withPad: " ", startingAt: 0)
                let delta = Self.signed(f.side - f.base)
                var name = demangle(f.place.function)
                if name.count > 100 { name = String(name.prefix(99)) + "\u{2026}" }
                s += "    \(String(repeating: " ", count: max(0, 9 - delta.count)))\(delta)  \(prog)  \(name)"
                s += "  (\(Self.num(f.base)) -> \(Self.num(f.side)))\n"
            }
        }
        return s
    }

    static func num(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int64(r)) : String(format: "%.1f", r)
    }

    static func signed(_ v: Double) -> String {
        let t = num(abs(v))
        if t == "0" { return "±0" }
        return (v < 0 ? "\u{2212}" : "+") + t
    }
}
