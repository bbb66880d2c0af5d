/// An L4 message tag (`l4_msgtag_t`): the protocol label or return code in the
/// upper bits, the number of untyped words and typed items, and flags.
///
/// Layout (l4sys `types.h`): bits 0-5 words, 6-11 items, 12-15 flags, 16 and
/// up the label, sign-extended.
public struct MsgTag: Equatable {
    public var raw: Int

    @inline(__always)
    public init(raw: Int) { self.raw = raw }

    @inline(__always)
    public init(label: Int, words: Int, items: Int, flags: Int = 0) {
        raw = Int(bitPattern: UInt(bitPattern: label) << 16)
            | (words & 0x3f) | ((items & 0x3f) << 6) | (flags & 0xf000)
    }

    /// The protocol on a request, the return code on a reply (arithmetic shift: negative stays negative).
    @inline(__always) public var label: Int { raw >> 16 }
    @inline(__always) public var words: Int { raw & 0x3f }
    @inline(__always) public var items: Int { (raw >> 6) & 0x3f }
    @inline(__always) public var flags: Int { raw & 0xf000 }
    /// The kernel reports an IPC error in the UTCB's error register.
    @inline(__always) public var hasError: Bool { raw & Self.errorFlag != 0 }

    public static let labelShift = 16
    public static let itemsShift = 6
    /// The label and item bits of `raw` (not the words, not the flags): a request
    /// tag masked with it equals `proto << labelShift` when it is for `proto` and carries no item.
    public static let labelAndItemsMask = ~0xffff | 0xfc0

    public static let errorFlag = 0x8000
    public static let transferFPU = 0x1000
    public static let schedule = 0x2000
    public static let propagate = 0x4000
}

/// Sizes of the UTCB on amd64 (l4sys `ARCH-amd64/.../utcb.h`).
public enum UtcbLayout {
    public static let wordBytes = 8
    /// Message registers.
    public static let mrWords = 63
    public static let mrBytes = mrWords * wordBytes
    /// Buffer registers (after the buffer descriptor).
    public static let brWords = 58
    public static let brBytes = brWords * wordBytes
    /// A typed item takes two words.
    public static let itemWords = 2
    public static let itemBytes = itemWords * wordBytes
    /// Byte offsets of the register blocks from the UTCB start.
    public static let bufferRegsOffset = 64 * wordBytes
    public static let threadRegsOffset = 123 * wordBytes
}
