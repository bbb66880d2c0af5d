/// Results format v1: the constants every producer and consumer shares.
///
/// Every record is one line that starts with ``prefix``, so result lines can be
/// pulled out of a serial console log with other output interleaved (and with a
/// console tag such as `bench | ` in front of them). See `docs/results-format.md`.
public enum ResultsFormat {
    /// The version this code reads and writes.
    public static let version = 1
    /// The line prefix of version 1, including the separator.
    public static let prefix = "L4B1,"
    /// The prefix without version digits, used to recognise other versions.
    static let family: [UInt8] = Array("L4B".utf8)

    /// Record kinds, the field after the prefix.
    public enum Kind: String, Sendable {
        case begin, meta, sample = "s", fail, skip, end
    }

    /// Metadata keys a run must carry.
    public static let requiredMetadata = [
        "target", "accel", "cpu", "tsc_hz", "commit", "date",
        "toolchain", "samples", "warmup", "overhead_cycles",
    ]
    /// The required keys missing from `keys` (in the order of `requiredMetadata`).
    public static func missingMetadata<S: Sequence>(in keys: S) -> [String] where S.Element == String {
        let have = Set(keys)
        return requiredMetadata.filter { !have.contains($0) }
    }

    /// The fault of a run that lacks required keys, or nil.
    static func missingMetadataFault<S: Sequence>(runID: String, keys: S, file: String) -> ResultsError? where S.Element == String {
        let missing = missingMetadata(in: keys)
        return missing.isEmpty ? nil
            : ResultsError(file: file, line: 0, reason: .missingMetadata("run '\(runID)' lacks metadata: \(missing.joined(separator: ", "))"))
    }

    /// Metadata keys whose value must be a non-negative integer.
    public static let integerMetadata: Set<String> = [
        "tsc_hz", "samples", "warmup", "overhead_cycles", "rounds", "icount_shift",
    ]
    public static let targets: Set<String> = ["l4re", "linux"]
    public static let accels: Set<String> = ["kvm", "tcg", "icount", "hardware", "native"]
    public static let placements: Set<String> = ["same-core", "cross-core", "cross-node"]

    /// The six key fields of a sample, fail or skip record, in order.
    public static let keyFields = ["suite", "benchmark", "client", "server", "placement", "param"]
    /// Longest line the parser accepts.
    public static let maxLineLength = 65_536
}

extension Unicode.Scalar {
    /// A C0 control, DEL or a C1 control: what key fields may not hold and
    /// what no tool prints raw.
    public var isControlCharacter: Bool { value < 0x20 || (value >= 0x7F && value < 0xA0) }

    /// `\u{1b}`: how a control character is shown instead.
    public var escapedForDisplay: String { "\\u{" + String(value, radix: 16) + "}" }
}
