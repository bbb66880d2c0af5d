/// Command-line arguments of an Embedded Swift program, without Foundation.
public struct Args {
    public let argc: Int
    public let argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    public init(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        self.argc = Int(argc)
        self.argv = argv
    }

    /// The bytes of argument `i` (empty when missing).
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard i < argc, let p = argv?[i] else { return UnsafeBufferPointer(start: nil, count: 0) }
        var n = 0
        while p[n] != 0 { n += 1 }
        return UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: n)
    }

    /// Argument `i` as an unsigned decimal number (0 when missing or not a number).
    public func number(_ i: Int) -> Int { Self.parse(bytes(i)) }

    public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var v = 0
        for c in b {
            guard c >= 48 && c <= 57 else { break }
            v = v &* 10 &+ Int(c - 48)
        }
        return v
    }

    /// Does argument `i` contain `word`?
    public func contains(_ i: Int, _ word: StaticString) -> Bool {
        let hay = bytes(i)
        let n = word.utf8CodeUnitCount
        guard n <= hay.count else { return false }
        let needle = word.utf8Start
        var s = 0
        while s + n <= hay.count {
            var k = 0
            while k < n && hay[s + k] == needle[k] { k += 1 }
            if k == n { return true }
            s += 1
        }
        return false
    }

    /// Comma-separated `A:B` pairs of argument `i`.
    public func pairs(_ i: Int) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        let b = bytes(i)
        var start = 0
        while start < b.count {
            var end = start
            while end < b.count && b[end] != 44 { end += 1 }
            let item = UnsafeBufferPointer(rebasing: b[start..<end])
            if let colon = item.firstIndex(of: 58) {
                out.append((Self.parse(UnsafeBufferPointer(rebasing: item[item.startIndex..<colon])),
                            Self.parse(UnsafeBufferPointer(rebasing: item[(colon + 1)...]))))
            }
            start = end + 1
        }
        return out
    }
}
