import Foundation

/// Makes a profile from a trace, the ELF files of the booted programs and the
/// console log of the same boot.
///
/// Every program's TSC reads cut its time into intervals (from one read to its
/// next). A group's timed windows are the intervals of one program between the
/// same two reads (a site), WARMUP + SAMPLES of them in a row from where the
/// previous group's windows began; the program and site are the ones whose
/// instruction counts agree best with the printed samples (ticks = instructions
/// x 2^icount_shift x tsc_hz / 1e9), within `tolerance` (median relative
/// difference). Groups that no site matches are left out and named in `unmatched`.
public struct ProfileBuilder {
    public struct Interval: Sendable {
        public var program: Int32
        /// Marker indices: the interval holds segments start+1 ... end.
        public var start: Int
        public var end: Int
        public var site: SIMD2<Int32>
        public var instructions: UInt64
    }

    public let trace: BlockTrace
    public let attribution: Attribution
    public let images: [ELFImage]
    public let console: ConsoleGroups
    public var tolerance = 0.02
    public private(set) var intervals: [Interval] = []
    public private(set) var unmatched: [ConsoleGroups.Key] = []

    public init(trace: BlockTrace, images: [ELFImage], console: ConsoleGroups) throws(ProfileError) {
        self.trace = trace
        self.images = images
        self.console = console
        self.attribution = try Attribution(trace: trace, images: images)
        var prefix = [UInt64](repeating: 0, count: trace.segmentCount + 1)
        for k in 0..<trace.segmentCount {
            prefix[k + 1] = prefix[k] &+ trace.segment(k).reduce(0) { $0 &+ $1.instructions }
        }
        var last: [Int32: Int] = [:]
        for (i, m) in trace.markers.enumerated() {
            let p = attribution.blockProgram[Int(m.block)]
            guard p >= 0 else { continue }
            if let s = last[p] {
                let site = SIMD2(trace.markers[s].block, m.block)
                intervals.append(Interval(program: p, start: s, end: i, site: site, instructions: prefix[i + 1] &- prefix[s + 1]))
            }
            last[p] = i
        }
    }

    /// Ticks per instruction under icount: 2^shift ns at tsc_hz.
    public var ticksPerInstruction: Double? {
        guard let s = console.meta["icount_shift"].flatMap({ Int($0) }), s >= 0, s < 32 else { return nil }
        let hz = console.meta["tsc_hz"].flatMap { Double($0) } ?? 1e9
        return Double(1 << s) * hz / 1e9
    }

    /// The warm-up windows before a group's samples: WARMUP, or for `ds.share*`
    /// groups the clients' rule (a quarter of the samples, at least 1, if less).
    static func warmups(_ key: ConsoleGroups.Key, samples n: Int, meta: [String: String]) -> [Int] {
        let w = meta["warmup"].flatMap { Int($0) } ?? 0
        var r = [w]
        let ds = n / 4 < w ? max(n / 4, 1) : w
        if key.bench.hasPrefix("ds.share") && ds != w { r.insert(ds, at: 0) }
        return r
    }

    public mutating func build(extraMeta: [(String, String)] = []) throws(ProfileError) -> Profile {
        guard console.meta["accel"] == "icount" else {
            throw .missing("the console log is of a run with accel \(console.meta["accel"] ?? "unknown"): instruction profiles need an icount run (--accel icount)")
        }
        guard let tpi = ticksPerInstruction else { throw .missing("the console log has no icount_shift: cannot line windows up with samples") }
        guard !console.groups.isEmpty else { throw .missing("the console log has no samples of this boot") }
        guard !trace.markers.isEmpty else { throw .missing("the trace holds no TSC reads of any program: no windows") }
        var consumed = [Bool](repeating: false, count: intervals.count)
        var byProgram: [Int32: [Int]] = [:]
        var bySite: [SIMD3<Int32>: [Int]] = [:]
        var sitePos: [SIMD3<Int32>: Int] = [:]
        for (i, iv) in intervals.enumerated() {
            byProgram[iv.program, default: []].append(i)
            bySite[SIMD3(iv.program, iv.site.x, iv.site.y), default: []].append(i)
        }
        let programsInOrder = byProgram.keys.sorted()
        let cursor = 0  // every unconsumed window is a candidate: groups of one site are taken in order (sitePos)
        var profile = Profile()
        profile.meta = [("run", console.meta["begin"] ?? ""), ("accel", "icount"),
                        ("icount_shift", console.meta["icount_shift"] ?? ""), ("tsc_hz", console.meta["tsc_hz"] ?? ""),
                        ("qemu_version", console.meta["qemu_version"] ?? "")] + extraMeta
        profile.programs = images.map { Profile.Program(name: $0.name, identity: $0.identity) }
        unmatched = []
        for g in console.groups {
            let n = g.values.count
            var best: (score: Double, program: Int32, site: SIMD3<Int32>, windows: ArraySlice<Int>, warmup: Int)?
            for p in programsInOrder {
                let list = byProgram[p]!
                var sites: [SIMD3<Int32>] = []
                var scanned = 0
                for i in list[lowerBound(list) { intervals[$0].start < cursor }...] where !consumed[i] {
                    let key = SIMD3(p, intervals[i].site.x, intervals[i].site.y)
                    if !sites.contains(key) { sites.append(key) }
                    scanned += 1
                    if sites.count == 32 || scanned == 4096 { break }
                }
                for key in sites {
                    let list = bySite[key]!
                    let from = max(sitePos[key] ?? 0, lowerBound(list) { intervals[$0].start < cursor })
                    for w in Self.warmups(g.key, samples: n, meta: console.meta) where from + w + n <= list.count {
                        let windows = list[from..<(from + w + n)]
                        let devs = (0..<n).map { k -> Double in
                            let t = Double(g.values[k]), ins = Double(intervals[windows[from + w + k]].instructions) * tpi
                            return abs(t - ins) / max(t, 1)
                        }.sorted()
                        let score = devs[n / 2]
                        guard score <= tolerance else { continue }
                        if best == nil || score < best!.score { best = (score, p, key, windows, w) }
                    }
                }
            }
            guard let b = best else { unmatched.append(g.key); continue }
            for i in b.windows { consumed[i] = true }
            sitePos[b.site] = b.windows.endIndex
            let samples = b.windows.dropFirst(b.warmup)
            var functions: [Attribution.Place: UInt64] = [:]
            for i in samples {
                let iv = intervals[i]
                for k in (iv.start + 1)...iv.end {
                    for c in trace.segment(k) { functions[attribution.places[Int(attribution.blockPlace[Int(c.block)])], default: 0] &+= c.instructions }
                }
            }
            let insns = samples.map { intervals[$0].instructions }.sorted()
            let ticks = g.values.sorted()
            profile.groups.append(Profile.Group(
                key: g.key, samples: n, warmup: b.warmup, measuredBy: attribution.programs[Int(b.program)],
                medianInstructions: insns[n / 2], medianTicks: ticks[n / 2], alignmentPPM: Int((b.score * 1e6).rounded()),
                functions: functions))
        }
        guard !profile.groups.isEmpty else {
            throw .missing("no group's samples line up with the trace's windows: is the trace of the same boot as the console log?")
        }
        return profile
    }
}

/// The first index whose element does not satisfy `before` (which holds for a prefix).
func lowerBound(_ a: [Int], _ before: (Int) -> Bool) -> Int {
    var lo = 0, hi = a.count
    while lo < hi {
        let mid = (lo + hi) / 2
        if before(a[mid]) { lo = mid + 1 } else { hi = mid }
    }
    return lo
}
