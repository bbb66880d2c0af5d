import BenchResults

/// One run out of the boots of one image: each boot's console read by the
/// results parser (the same hardened reader as any log), the rounds of boot k
/// (in the scheduler's order) numbered after those of the boots before it,
/// the blocks a failed boot left unfinished dropped and named in a fail
/// record, the run's machine and LAVA's jobs in the metadata.
public struct LavaRunAssembly: Sendable {
    public var runID: String
    /// Rounds of one boot (the image's plan).
    public var rounds: Int
    /// Metadata that replaces the image's (machine, accel, icount_shift) and adds LAVA's.
    public var metadata: [(String, String)]

    public init(runID: String, rounds: Int, metadata: [(String, String)]) {
        self.runID = runID
        self.rounds = max(1, rounds)
        self.metadata = metadata
    }

    public struct Output: Sendable {
        /// The run in results format v1 (empty when no boot gave a run).
        public var text: String
        public var runID: String
        /// Per boot: the parser's fault on its console, if any ("job 7: ...").
        public var faults: [String]
        /// Boots whose console gave samples.
        public var bootsWithResults: Int
    }

    static let replaced: Set<String> = ["machine", "accel", "icount_shift", "incomplete", "date"]

    public func assemble(_ boots: [LavaBoot]) -> Output {
        let prefix = ResultsFormat.prefix
        let combinedID = "\(runID)-lava\(boots.map(\.status.id).min() ?? 0)"
        var meta: [(String, String)] = []
        var metaKeys: Set<String> = []
        var body: [String] = []
        var faults: [String] = []
        var incomplete: [String] = []
        var differences: [String] = []
        var samples = 0
        var k = 0
        for boot in boots {
            let job = boot.status.id
            var console = boot.log.console
            // A job with no console (cancelled in the queue, never booted) has nothing for the parser.
            let hasResults = ImagePlan.find(Array(ResultsFormat.prefix.utf8), in: console, from: 0) != nil
            if let f = boot.fault {
                incomplete.append("LAVA job \(job) on \(boot.device): \(f.rawValue) (\(boot.reason))")
            }
            // A boot that ended early: the block it was in is not complete; drop its samples and name it.
            guard hasResults else { continue }
            var cutBlock: String?
            if boot.fault != nil {
                (console, cutBlock) = Self.dropUnfinishedBlock(console)
            }
            let (outcome, text) = ResultsCleaner.clean(bytes: console, source: "LAVA job \(job)", lenient: true)
            if let f = outcome.fault { faults.append("job \(job): \(f.description)") }
            guard outcome.run.id == runID, !text.isEmpty else {
                if !outcome.run.id.isEmpty && outcome.run.id != runID {
                    faults.append("job \(job): its console holds run \(outcome.run.id), not \(runID): ignored")
                }
                continue
            }
            let offset = k * rounds
            k += 1
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                guard line.hasPrefix(prefix) else { continue }
                let rec = line.dropFirst(prefix.count)
                if rec.hasPrefix("begin,") || rec.hasPrefix("end,") { continue }
                if rec.hasPrefix("meta,") {
                    let kv = rec.dropFirst(5)
                    guard let comma = kv.firstIndex(of: ",") else { continue }
                    let key = String(kv[..<comma]), value = String(kv[kv.index(after: comma)...])
                    if key == "incomplete" { incomplete.append("job \(job): \(value)"); continue }
                    if Self.replaced.contains(key) { continue }
                    if let old = meta.first(where: { $0.0 == key }) {
                        if old.1 != value { differences.append("job \(job) has \(key)=\(value)") }
                    } else {
                        meta.append((key, value))
                        metaKeys.insert(key)
                    }
                    continue
                }
                if rec.hasPrefix("s,") {
                    body.append(Self.renumberSample(String(line), offset: offset))
                    samples += 1
                } else if rec.hasPrefix("fail,") || rec.hasPrefix("skip,") {
                    body.append(Self.renumberNote(String(line), offset: offset))
                } else {
                    body.append(String(line))
                }
            }
            if let b = cutBlock {
                body.append(Self.renumberNote(b + "LAVA job \(job): \(boot.fault!.rawValue) during this block", offset: offset))
            }
        }
        guard k > 0 else { return Output(text: "", runID: combinedID, faults: faults, bootsWithResults: 0) }
        var out = [ResultsWriter.beginLine(runID: combinedID)]
        for (key, value) in meta { out.append(ResultsWriter.metaLine(key, value)) }
        for (key, value) in metadata where !metaKeys.contains(key) || Self.replaced.contains(key) {
            out.append(ResultsWriter.metaLine(key, value))
        }
        if !differences.isEmpty { out.append(ResultsWriter.metaLine("lava_boot_differences", differences.joined(separator: "; "))) }
        if !incomplete.isEmpty { out.append(ResultsWriter.metaLine("incomplete", incomplete.joined(separator: "; "))) }
        out += body
        out.append(ResultsWriter.endLine(runID: combinedID, samples: samples))
        return Output(text: out.joined(separator: "\n") + "\n", runID: combinedID, faults: faults, bootsWithResults: k)
    }

    /// `L4B1,s,SUITE,BENCH,CLIENT,SERVER,PLACEMENT,PARAM,ROUND,ITER,CYCLES` with ROUND + offset.
    static func renumberSample(_ line: String, offset: Int) -> String {
        guard offset > 0 else { return line }
        var f = line.split(separator: ",", omittingEmptySubsequences: false)
        guard f.count == 11, let r = Int(f[8]) else { return line }
        f[8] = Substring(String(r + offset))
        return f.joined(separator: ",")
    }

    /// A fail or skip record whose parameter is `round=R` (a block of the boot script).
    static func renumberNote(_ line: String, offset: Int) -> String {
        guard offset > 0 else { return line }
        var f = line.split(separator: ",", omittingEmptySubsequences: false)
        guard f.count >= 9, f[7].hasPrefix("round="), let r = Int(f[7].dropFirst(6)) else { return line }
        f[7] = Substring("round=\(r + offset)")
        return f.joined(separator: ",")
    }

    /// The console up to the start of the last block marker (`L4BENCH-BLOCK n/T round R CLIENT-SERVER PLACEMENT`),
    /// and a fail record (without its reason) for that block; the console unchanged when it has no marker
    /// or the suite's end came after it.
    static func dropUnfinishedBlock(_ console: [UInt8]) -> ([UInt8], String?) {
        let marker = Array("L4BENCH-BLOCK ".utf8)
        var last: Int?
        var i = 0
        while let j = ImagePlan.find(marker, in: console, from: i) { last = j; i = j + 1 }
        guard let m = last else { return (console, nil) }
        if ImagePlan.find(Array("L4B1,end,".utf8), in: console, from: m) != nil { return (console, nil) }
        let lineStart = console[..<m].lastIndex(of: 10).map { $0 + 1 } ?? 0
        let lineEnd = console[m...].firstIndex(of: 10) ?? console.count
        let words = String(decoding: console[(m + marker.count)..<lineEnd], as: UTF8.self).split(separator: " ")
        // n/T round R PAIR PLACEMENT
        guard words.count >= 5, words[1] == "round", let round = Int(words[2]),
              let dash = words[3].firstIndex(of: "-") else { return (Array(console[..<lineStart]), nil) }
        let client = words[3][..<dash], server = words[3][words[3].index(after: dash)...]
        let placement = words[4]
        let ok = [client, server, placement].allSatisfy { !$0.isEmpty && $0.allSatisfy { c in c.isLetter || c.isNumber || c == "." || c == "-" } }
        guard ok else { return (Array(console[..<lineStart]), nil) }
        return (Array(console[..<lineStart]), "\(ResultsFormat.prefix)fail,l4,block,\(client),\(server),\(placement),round=\(round),")
    }
}
