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

    // Iteration numbers seen, as a fingerprint (count, range, sum, sum of squares, in
    // wrapping arithmetic): enough to tell that some iteration was given twice
    // without storing them.
    private var itCount: UInt64 = 0
    private var itMin = UInt64.max
    private var itMax: UInt64 = 0
    private var itSum: UInt64 = 0
    private var itSumSq: UInt64 = 0

    @inline(__always)
    public func noteIteration(_ i: UInt64) {
        itCount &+= 1
        if i < itMin { itMin = i }
        if i > itMax { itMax = i }
        itSum &+= i
        itSumSq &+= i &* i
    }

    /// True when the iterations noted cannot all be distinct: more of them than
    /// the range holds, or exactly as many but not each value once.
    public var hasDuplicateIterations: Bool {
        guard itCount > 1 else { return false }
        let range = itMax - itMin
        if range < itCount - 1 { return true }
        if range > itCount - 1 { return false }  // gaps: duplicates cannot be told from skipped rows
        var sum: UInt64 = 0, sq: UInt64 = 0
        var k = itMin
        while true {
            sum &+= k; sq &+= k &* k
            if k == itMax { break }
            k += 1
        }
        return sum != itSum || sq != itSumSq
    }

    deinit { for b in blocks { b.deallocate() } }

    public var count: Int { narrowCount + wide.count }

    /// Capacity of the first block, which grows (16, 64, … up to `blockSize`) so
    /// that a column of a few values does not reserve a whole block.
    private var firstCapacity = 0

    @inline(__always)
    public func append(_ v: UInt64) {
        if v > UInt64(UInt32.max) { wide.append(v); return }
        if narrowCount < SampleColumn.blockSize {
            if narrowCount == firstCapacity { growFirst() }
            blocks[0][narrowCount] = UInt32(truncatingIfNeeded: v)
            narrowCount += 1
            return
        }
        let slot = narrowCount & (SampleColumn.blockSize - 1)
        if slot == 0 {
            blocks.append(.allocate(capacity: SampleColumn.blockSize))
        }
        blocks[blocks.count - 1][slot] = UInt32(truncatingIfNeeded: v)
        narrowCount += 1
    }

    @inline(never)
    private func growFirst() {
        let cap = firstCapacity == 0 ? 16 : min(SampleColumn.blockSize, firstCapacity * 4)
        let b = UnsafeMutablePointer<UInt32>.allocate(capacity: cap)
        if firstCapacity == 0 {
            blocks.append(b)
        } else {
            b.update(from: blocks[0], count: narrowCount)
            blocks[0].deallocate()
            blocks[0] = b
        }
        firstCapacity = cap
    }

    /// Moves all values of `other` into this column; `other` is left empty.
    public func absorb(_ other: SampleColumn) {
        itCount &+= other.itCount
        itMin = min(itMin, other.itMin)
        itMax = max(itMax, other.itMax)
        itSum &+= other.itSum
        itSumSq &+= other.itSumSq
        // Append value by value so that blocks stay full except the last one.
        var remaining = other.narrowCount
        for b in other.blocks {
            let n = min(remaining, SampleColumn.blockSize)
            for i in 0..<n { append(UInt64(b[i])) }
            remaining -= n
            b.deallocate()
        }
        other.blocks = []
        other.firstCapacity = 0
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
