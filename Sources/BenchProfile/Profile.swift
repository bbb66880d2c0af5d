import Foundation

/// Instructions per function for each block (group) of one boot: a second
/// kind of result, stored beside the run it explains (format `L4BP1`, text,
/// one record a line; docs/explain.md).
///
///     L4BP1,begin
///     L4BP1,meta,KEY,VALUE
///     L4BP1,prog,NAME,IDENTITY                      build-id:HEX or fnv64:HEX of the ELF file
///     L4BP1,g,BENCH,CLIENT,SERVER,PLACEMENT,PARAM,ROUND,SAMPLES,WARMUP,MEASURED_BY,MEDIAN_INSNS,MEDIAN_TICKS,ALIGN_PPM
///     L4BP1,f,PROGRAM,FUNCTION,INSTRUCTIONS         summed over the group's SAMPLES windows
///     L4BP1,end,GROUPS
///
/// Fields escape `%`, `,` and control characters as `%XX`.
public struct Profile: Sendable {
    public struct Program: Sendable, Equatable {
        public var name: String
        public var identity: String
        public init(name: String, identity: String) { self.name = name; self.identity = identity }
    }

    public struct Group: Sendable {
        public var key: ConsoleGroups.Key
        /// Timed windows summed in `functions` (the group's samples).
        public var samples: Int
        public var warmup: Int
        /// The program whose TSC reads delimit the windows.
        public var measuredBy: String
        public var medianInstructions: UInt64
        public var medianTicks: UInt64
        /// Median of |ticks - instructions x ticks per instruction| / ticks over the samples, in parts per million.
        public var alignmentPPM: Int
        public var functions: [Attribution.Place: UInt64]

        public init(key: ConsoleGroups.Key, samples: Int, warmup: Int, measuredBy: String, medianInstructions: UInt64,
                    medianTicks: UInt64, alignmentPPM: Int, functions: [Attribution.Place: UInt64]) {
            self.key = key; self.samples = samples; self.warmup = warmup; self.measuredBy = measuredBy
            self.medianInstructions = medianInstructions; self.medianTicks = medianTicks
            self.alignmentPPM = alignmentPPM; self.functions = functions
        }

        /// Mean instructions a window, per function.
        public func mean(_ p: Attribution.Place) -> Double { Double(functions[p] ?? 0) / Double(max(samples, 1)) }
        public var meanTotal: Double { Double(functions.values.reduce(0, &+)) / Double(max(samples, 1)) }
    }

    public var meta: [(String, String)] = []
    public var programs: [Program] = []
    public var groups: [Group] = []

    public init() {}

    public func metaValue(_ k: String) -> String? { meta.first { $0.0 == k }?.1 }

    // MARK: writing

    public func text() -> String {
        var s = "L4BP1,begin\n"
        for (k, v) in meta { s += "L4BP1,meta,\(Self.escape(k)),\(Self.escape(v))\n" }
        for p in programs { s += "L4BP1,prog,\(Self.escape(p.name)),\(Self.escape(p.identity))\n" }
        for g in groups {
            let k = g.key
            s += "L4BP1,g," + [k.bench, k.client, k.server, k.placement, k.param].map(Self.escape).joined(separator: ",")
            s += ",\(k.round),\(g.samples),\(g.warmup),\(Self.escape(g.measuredBy)),\(g.medianInstructions),\(g.medianTicks),\(g.alignmentPPM)\n"
            for (p, n) in g.functions.sorted(by: { $0.key < $1.key }) {
                s += "L4BP1,f,\(Self.escape(p.program)),\(Self.escape(p.function)),\(n)\n"
            }
        }
        s += "L4BP1,end,\(groups.count)\n"
        return s
    }

    /// Writes the profile to a new file; an existing path (file, device, FIFO, link) is never replaced.
    public func write(to path: String) throws(ProfileError) {
        if FileManager.default.fileExists(atPath: path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil {
            throw .unreadable("\(path) exists: a profile is written to a new file only")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text().utf8)) else {
            throw .unreadable("cannot write \(path)")
        }
    }

    static func escape(_ s: String) -> String {
        var o = ""
        for u in s.unicodeScalars {
            if u == "%" || u == "," || u.value < 0x20 || u.value == 0x7F { o += String(format: "%%%02X", u.value) } else { o.unicodeScalars.append(u) }
        }
        return o
    }

    static func unescape(_ s: Substring) -> String? {
        guard s.contains("%") else { return String(s) }
        var bytes: [UInt8] = []
        var i = s.utf8.startIndex
        let u = s.utf8
        while i < u.endIndex {
            if u[i] == UInt8(ascii: "%") {
                let a = u.index(after: i)
                guard a < u.endIndex, u.index(after: a) < u.endIndex,
                      let v = UInt8(String(decoding: u[a...u.index(after: a)], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                i = u.index(a, offsetBy: 2)
            } else {
                bytes.append(u[i])
                i = u.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: reading

    /// Reads a profile (plain or gzip), strictly: every fault names its line.
    public static func read(path: String) throws(ProfileError) -> Profile {
        let src = try LineSource(path: path)
        var p = Profile()
        func bad(_ why: String) -> ProfileError { .malformed(file: path, line: src.lineNumber, why: why) }
        guard let first = try src.nextString() else { throw .missing("\(path): empty profile") }
        guard first == "L4BP1,begin" else {
            throw bad(first.hasPrefix("L4BP") ? "profile format \(first.prefix { $0 != "," }) is not L4BP1" : "not a profile (no L4BP1,begin)")
        }
        var ended = false
        while let line = try src.nextString() {
            if ended { throw bad("a record after the end record") }
            let raw = line.split(separator: ",", omittingEmptySubsequences: false)
            guard raw.count >= 2, raw[0] == "L4BP1" else { throw bad("not an L4BP1 record") }
            var f: [String] = []
            for x in raw.dropFirst(2) {
                guard let v = unescape(x) else { throw bad("a bad %-escape") }
                f.append(v)
            }
            switch raw[1] {
            case "meta":
                guard f.count == 2 else { throw bad("meta has KEY,VALUE") }
                p.meta.append((f[0], f[1]))
            case "prog":
                guard f.count == 2 else { throw bad("prog has NAME,IDENTITY") }
                p.programs.append(Program(name: f[0], identity: f[1]))
            case "g":
                guard f.count == 12, let round = Int(f[5]), let n = Int(f[6]), n > 0, let w = Int(f[7]), w >= 0,
                      let mi = UInt64(f[9]), let mt = UInt64(f[10]), let a = Int(f[11]) else {
                    throw bad("g has BENCH,CLIENT,SERVER,PLACEMENT,PARAM,ROUND,SAMPLES>0,WARMUP,MEASURED_BY,MEDIAN_INSNS,MEDIAN_TICKS,ALIGN_PPM")
                }
                let key = ConsoleGroups.Key(bench: f[0], client: f[1], server: f[2], placement: f[3], param: f[4], round: round)
                p.groups.append(Group(key: key, samples: n, warmup: w, measuredBy: f[8], medianInstructions: mi,
                                      medianTicks: mt, alignmentPPM: a, functions: [:]))
            case "f":
                guard f.count == 3, let n = UInt64(f[2]) else { throw bad("f has PROGRAM,FUNCTION,INSTRUCTIONS") }
                guard !p.groups.isEmpty else { throw bad("a function record before any group") }
                let place = Attribution.Place(program: f[0], function: f[1])
                guard p.groups[p.groups.count - 1].functions[place] == nil else { throw bad("\(f[0]) \(f[1]) twice in one group") }
                p.groups[p.groups.count - 1].functions[place] = n
            case "end":
                guard f.count == 1, let n = Int(f[0]) else { throw bad("end has GROUPS") }
                guard n == p.groups.count else { throw bad("end counts \(n) groups, the profile has \(p.groups.count)") }
                ended = true
            default:
                throw bad("unknown record kind '\(raw[1])'")
            }
        }
        guard ended else { throw .malformed(file: path, line: src.lineNumber, why: "truncated: no end record") }
        return p
    }
}
