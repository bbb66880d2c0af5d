/// Cycle counts of one (group, round), stored compactly: 32-bit values in
/// fixed-size blocks (no reallocation spikes while growing), with the rare value
/// above `UInt32.max` kept aside at full width. Order is not significant.
public final class SampleColumn: @unchecked Sendable {
    static let blockShift = 14
    static let blockSize = 1 << blockShift

    private(set) var blocks: [UnsafeMutablePointer<UInt32>] = []
    /// Number of 32-bit values stored in blocks.
    private(set) var narrowCount = 0
    /// Values that do not fit in 32 bits.
    public private(set) var wide: [UInt64] = []

    public init() {}

    deinit { for b in blocks { b.deallocate() } }

    public var count: Int { narrowCount + wide.count }

    @inline(__always)
    public func append(_ v: UInt64) {
        if v > UInt64(UInt32.max) { wide.append(v); return }
        let slot = narrowCount & (SampleColumn.blockSize - 1)
        if slot == 0 {
            blocks.append(.allocate(capacity: SampleColumn.blockSize))
        }
        blocks[blocks.count - 1][slot] = UInt32(truncatingIfNeeded: v)
        narrowCount += 1
    }

    /// Moves all values of `other` into this column; `other` is left empty.
    public func absorb(_ other: SampleColumn) {
        // Append value by value so that blocks stay full except the last one.
        var remaining = other.narrowCount
        for b in other.blocks {
            let n = min(remaining, SampleColumn.blockSize)
            for i in 0..<n { append(UInt64(b[i])) }
            remaining -= n
            b.deallocate()
        }
        other.blocks = []
        other.narrowCount = 0
        wide.append(contentsOf: other.wide)
        other.wide = []
    }

    /// Calls `body` with each stored value.
    public func forEach(_ body: (UInt64) -> Void) {
        var remaining = narrowCount
        for b in blocks {
            let n = min(remaining, SampleColumn.blockSize)
            for i in 0..<n { body(UInt64(b[i])) }
            remaining -= n
        }
        for v in wide { body(v) }
    }

    /// Copies the 32-bit values into `dst` (which must hold `narrowCount`); returns how many.
    @discardableResult
    public func copyNarrow(into dst: UnsafeMutablePointer<UInt32>) -> Int {
        var remaining = narrowCount
        var out = dst
        for b in blocks {
            let n = min(remaining, SampleColumn.blockSize)
            out.update(from: b, count: n)
            out += n
            remaining -= n
        }
        return narrowCount
    }

    public var values: [UInt64] {
        var r: [UInt64] = []
        r.reserveCapacity(count)
        forEach { r.append($0) }
        return r
    }
}
