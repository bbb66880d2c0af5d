/// CRC-32 (IEEE 802.3, the polynomial of gzip and zlib; reflected, initial and
/// final value 0xFFFFFFFF), slice-by-8. `CRC32.of("123456789") == 0xCBF43926`.
public struct CRC32: Sendable {
    static let tables: [[UInt32]] = {
        var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[0][i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 { t[k][i] = (t[k - 1][i] >> 8) ^ t[0][Int(t[k - 1][i] & 0xFF)] }
        }
        return t
    }()
    /// The eight tables in one flat buffer (no bounds checks in the loop).
    static let flat: UnsafeMutablePointer<UInt32> = {
        let p = UnsafeMutablePointer<UInt32>.allocate(capacity: 8 * 256)
        for k in 0..<8 { for i in 0..<256 { p[k * 256 + i] = tables[k][i] } }
        return p
    }()

    private var state: UInt32 = 0xFFFF_FFFF
    public init() {}

    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    public mutating func update(_ p: UnsafePointer<UInt8>, _ n: Int) {
        let t = CRC32.flat
        var c = state
        var i = 0
        while n - i >= 8 {
            let lo = c ^ (UInt32(p[i]) | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) << 16 | UInt32(p[i + 3]) << 24)
            c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                ^ t[3 * 256 + Int(p[i + 4])] ^ t[2 * 256 + Int(p[i + 5])]
                ^ t[1 * 256 + Int(p[i + 6])] ^ t[Int(p[i + 7])]
            i += 8
        }
        while i < n {
            c = t[Int((c ^ UInt32(p[i])) & 0xFF)] ^ (c >> 8)
            i += 1
        }
        state = c
    }

    public mutating func update(byte: UInt8) {
        var b = byte
        update(&b, 1)
    }

    public mutating func update<S: StringProtocol>(_ s: S) {
        var s = String(s)
        s.withUTF8 { if let base = $0.baseAddress { update(base, $0.count) } }
    }

    public static func of<S: StringProtocol>(_ s: S) -> UInt32 {
        var c = CRC32()
        c.update(s)
        return c.value
    }

    /// Eight lower-case hex digits.
    public static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }

    /// Eight hex digits as a value, else nil.
    static func parseHex(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32? {
        guard n == 8 else { return nil }
        var v: UInt32 = 0
        for i in 0..<8 {
            let c = p[i]
            let d: UInt8
            switch c {
            case 48...57: d = c - 48
            case 97...102: d = c - 87
            case 65...70: d = c - 55
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}

extension CRC32 {
    /// The lines of a compact file with every `sum` line and the end line's run checksum
    /// written anew from the lines as they stand: for tests and fuzzers that edit a stored
    /// run and want the damage to reach the checks after the checksums.
    public static func rewritingChecksums(_ lines: [String]) -> [String] {
        var out: [String] = []
        var block = CRC32()
        var sums = CRC32()
        for l in lines {
            if l.hasPrefix("L4BC1,sum,") {
                let h = CRC32.hex(block.value)
                out.append("L4BC1,sum,\(h)")
                sums.update(h)
                block = CRC32()
            } else if l.hasPrefix("L4BC1,end,") {
                var f = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if f.count == 5 { f[4] = CRC32.hex(sums.value) }
                out.append(f.joined(separator: ","))
            } else {
                block.update(l)
                block.update(byte: 10)
                out.append(l)
            }
        }
        return out
    }
}
