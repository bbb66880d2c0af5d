/// What went wrong in a results file, where, and the exit code that names it.
public struct ResultsError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case malformedRow(String)
        case badCycles(String)
        case truncated(String)
        case missingMetadata(String)
        case contradictingMetadata(String)
        case empty
        case mixedRuns(String)
        case binaryGarbage(String)
        case unsupportedVersion(String)
        case unreadable(String)
        /// A stored run whose checksum does not match its bytes (exit 19).
        case checksumMismatch(String)
        /// A count beyond what the reader allows: more samples than the file's size or the hard
        /// limit admits (a decompression bomb), a file too large (exit 20).
        case limitExceeded(String)
    }

    public var file: String
    /// 1-based line number, or 0 when the fault concerns the whole file.
    public var line: Int
    public var reason: Reason
    /// Byte offset of the faulty line or field in the file, where the reader knows it (compact runs).
    public var offset: Int?

    public init(file: String, line: Int, reason: Reason, offset: Int? = nil) {
        self.file = file
        self.line = line
        self.reason = reason
        self.offset = offset
    }

    /// One distinct process exit code per kind of fault (documented in the README).
    public var exitCode: Int32 {
        switch reason {
        case .unreadable: return 3
        case .malformedRow: return 10
        case .badCycles: return 11
        case .truncated: return 12
        case .missingMetadata: return 13
        case .contradictingMetadata: return 14
        case .empty: return 15
        case .mixedRuns: return 16
        case .binaryGarbage: return 17
        case .unsupportedVersion: return 18
        case .checksumMismatch: return 19
        case .limitExceeded: return 20
        }
    }

    /// Short name of the fault kind.
    public var kind: String {
        switch reason {
        case .malformedRow: return "malformed row"
        case .badCycles: return "bad cycle count"
        case .truncated: return "truncated"
        case .missingMetadata: return "missing metadata"
        case .contradictingMetadata: return "contradicting metadata"
        case .empty: return "no results"
        case .mixedRuns: return "two runs mixed"
        case .binaryGarbage: return "binary garbage"
        case .unsupportedVersion: return "unsupported format version"
        case .unreadable: return "unreadable"
        case .checksumMismatch: return "checksum mismatch"
        case .limitExceeded: return "beyond a limit"
        }
    }

    public var detail: String {
        switch reason {
        case .malformedRow(let s), .badCycles(let s), .truncated(let s), .missingMetadata(let s),
             .contradictingMetadata(let s), .mixedRuns(let s), .binaryGarbage(let s),
             .unsupportedVersion(let s), .unreadable(let s), .checksumMismatch(let s), .limitExceeded(let s):
            return s
        case .empty:
            return "no results lines (expected lines starting with \(ResultsFormat.prefix))"
        }
    }

    public var description: String {
        var place = line > 0 ? "\(file):\(line)" : file
        if let offset { place += " (byte \(offset))" }
        return "\(place): \(kind): \(detail)"
    }

    /// Whether `--lenient` may skip the line and go on.
    public var isSkippable: Bool {
        switch reason {
        case .malformedRow, .badCycles, .truncated, .contradictingMetadata, .binaryGarbage,
             .missingMetadata:
            return line > 0
        case .unsupportedVersion:
            // Another format version is never skipped: the reader cannot know what it means.
            return false
        default:
            return false
        }
    }
}
