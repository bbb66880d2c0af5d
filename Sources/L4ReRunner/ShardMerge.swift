import BenchResults

/// One run out of the results of several boots (shards) of the same run: the
/// first shard's begin and metadata, every shard's samples and fail records,
/// metadata the others add or disagree on named, and one end line.
public enum ShardMerge {
    /// `texts`: each shard's clean results (one run each, the same run ID); `shards`: the
    /// instances per boot (default: one per text); `extra`: metadata the host adds after the boots.
    public static func merge(_ texts: [String], runID: String, shards: Int? = nil, extra: [(String, String)] = []) -> String {
        let prefix = ResultsFormat.prefix
        var out: [String] = ["\(prefix)begin,\(runID)"]
        var meta: [String: String] = [:]
        var metaOrder: [String] = []
        var incomplete: [String] = []
        var differences: [String] = []
        var body: [String] = []
        for (i, text) in texts.enumerated() {
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                guard line.hasPrefix(prefix) else { continue }
                let rec = line.dropFirst(prefix.count)
                if rec.hasPrefix("begin,") || rec.hasPrefix("end,") { continue }
                if rec.hasPrefix("meta,") {
                    let kv = rec.dropFirst(5)
                    guard let comma = kv.firstIndex(of: ",") else { continue }
                    let k = String(kv[..<comma]), v = String(kv[kv.index(after: comma)...])
                    if k == "shard" { continue }
                    if k == "incomplete" { incomplete.append("shard \(i + 1): \(v)"); continue }
                    if let old = meta[k] {
                        if old != v { differences.append("shard \(i + 1) has \(k)=\(v), shard 1 \(old)") }
                    } else {
                        meta[k] = v
                        metaOrder.append(k)
                    }
                    continue
                }
                body.append(String(line))
            }
        }
        for k in metaOrder { out.append(ResultsWriter.metaLine(k, meta[k]!)) }
        out.append(ResultsWriter.metaLine("shards", String(shards ?? texts.count)))
        for (k, v) in extra where meta[k] == nil { out.append(ResultsWriter.metaLine(k, v)) }
        if !differences.isEmpty { out.append(ResultsWriter.metaLine("shard_differences", differences.joined(separator: "; "))) }
        if !incomplete.isEmpty { out.append(ResultsWriter.metaLine("incomplete", incomplete.joined(separator: "; "))) }
        out += body
        out.append("\(prefix)end,\(runID),*")
        return out.joined(separator: "\n") + "\n"
    }
}
