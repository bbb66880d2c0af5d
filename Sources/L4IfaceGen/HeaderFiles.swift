import Foundation

/// Finding and reading headers: a name as `#include` spells it, looked up
/// next to the including header and under the -I directories; the headers a
/// header includes, read for their constants and typedefs. Only regular files
/// of bounded size are read (a FIFO or a device named as a header never blocks).
public struct HeaderFiles {
    public var includeDirs: [String]
    /// Headers larger than this are refused.
    public static let maxBytes = 16 << 20
    /// How deep includes are followed.
    public static let maxDepth = 6

    /// Included headers already read and tokenized (by path; nil: not readable), kept across runs when
    /// one process generates many headers (`--each`), whose includes do not change meanwhile.
    public final class Cache {
        var headers: [String: TokenizedHeader?] = [:]
        public init() {}
    }
    public var cache: Cache?

    public init(includeDirs: [String], cache: Cache? = nil) { self.includeDirs = includeDirs; self.cache = cache }

    /// The tokens of the header at `p`, if it is a readable header (from the cache when there is one).
    func tokens(_ p: String) -> TokenizedHeader? {
        if let c = cache, let hit = c.headers[p] { return hit }
        var h: TokenizedHeader? = nil
        if case .success(let text) = Self.read(p) { h = TokenizedHeader(text) }
        cache?.headers[p] = .some(h)
        return h
    }

    public enum ReadError: Error, Equatable {
        case missing
        case notRegular
        case tooLarge
        case notUTF8
    }

    /// The text of a regular file of at most `maxBytes`.
    public static func read(_ path: String) -> Result<String, ReadError> {
        // what a link names (BID installs headers as links)
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: real) else { return .failure(.missing) }
        guard (attrs[.type] as? FileAttributeType) == .typeRegular else { return .failure(.notRegular) }
        guard let size = attrs[.size] as? NSNumber, size.intValue <= maxBytes else { return .failure(.tooLarge) }
        guard let h = FileHandle(forReadingAtPath: path) else { return .failure(.missing) }
        defer { try? h.close() }
        // read(upToCount:) gives nil at the end of the file: an empty header is empty, not too large
        let data: Data
        do { data = try h.read(upToCount: maxBytes + 1) ?? Data() } catch { return .failure(.missing) }
        guard data.count <= maxBytes else { return .failure(.tooLarge) }
        guard let s = String(data: data, encoding: .utf8) else { return .failure(.notUTF8) }
        return .success(s)
    }

    /// Where `name` (a path, or a name as #include spells it) is: itself when it exists, else under the -I directories.
    public func locate(_ name: String) -> String {
        if FileManager.default.fileExists(atPath: name) { return name }
        return includeDirs.map { ($0 as NSString).appendingPathComponent(name) }.first { FileManager.default.fileExists(atPath: $0) } ?? name
    }

    /// Teaches `parser` what the headers `header` includes define (and theirs, `maxDepth` deep), each read once.
    public func learnIncluded(by header: TokenizedHeader, at path: String, into parser: inout HeaderParser) {
        var seen: Set<String> = [path]
        // breadth first, so that the depth is bounded without recursion
        var queue: [(names: [String], from: String, depth: Int)] = [(header.includes, path, 0)]
        var k = 0
        while k < queue.count {
            let (names, from, depth) = queue[k]
            k += 1
            guard depth < Self.maxDepth else { continue }
            for name in names {
                let dirs = [(from as NSString).deletingLastPathComponent] + includeDirs
                for d in dirs {
                    let p = (d as NSString).appendingPathComponent(name)
                    guard !seen.contains(p), let h = tokens(p) else { continue }
                    seen.insert(p)
                    parser.learn(from: h)
                    queue.append((h.includes, p, depth + 1))
                    break
                }
            }
        }
    }
}
