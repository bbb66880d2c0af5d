import CL4

/// A console line built in a fixed buffer and written with one call, so that
/// lines of several programs do not interleave mid-line and nothing allocates.
public struct Line {
    public static let capacity = 480
    var storage = InlineArray<480, UInt8>(repeating: 0)
    public private(set) var count = 0

    public init() {}

    public init(_ s: StaticString) { self.init(); append(s) }

    @inline(__always)
    public mutating func byte(_ b: UInt8) {
        guard count < Self.capacity - 1 else { return }  // room for the newline
        storage[count] = b
        count += 1
    }

    public mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { for b in $0 { byte(b) } }
    }

    public mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        for b in bytes { byte(b) }
    }

    public mutating func append(_ v: UInt64) {
        var digits = InlineArray<20, UInt8>(repeating: 0)
        var n = 0
        var x = v
        repeat { digits[n] = UInt8(48 + x % 10); x /= 10; n += 1 } while x > 0
        while n > 0 { n -= 1; byte(digits[n]) }
    }

    public mutating func append(_ v: Int) {
        if v < 0 { byte(45); append(UInt64(v.magnitude)) } else { append(UInt64(v)) }
    }

    public mutating func append(hex v: UInt64) {
        append("0x")
        var started = false
        for shift in stride(from: 60, through: 0, by: -4) {
            let d = UInt8((v >> UInt64(shift)) & 0xf)
            if d != 0 || started || shift == 0 {
                started = true
                byte(d < 10 ? 48 + d : 87 + d)
            }
        }
    }

    /// Writes the line and a newline in one call, and empties the buffer.
    public mutating func flush() {
        storage[count] = 10
        var span = storage.mutableSpan
        span.withUnsafeMutableBytes { cl4_console_write($0.baseAddress!, UInt(count + 1)) }
        count = 0
    }
}

/// Writes one line.
public func log(_ s: StaticString) {
    var l = Line(s)
    l.flush()
}
