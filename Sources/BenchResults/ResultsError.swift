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
    }

    public var file: String
    /// 1-based line number, or 0 when the fault concerns the whole file.
    public var line: Int
    public var reason: Reason

    public init(file: String, line: Int, reason: Reason) {
        self.file = file
        self.line = line
        self.reason = reason
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
        case .empty: return "empty file"
        case .mixedRuns: return "two runs mixed"
        case .binaryGarbage: return "binary garbage"
        case .unsupportedVersion: return "unsupported format version"
        case .unreadable: return "unreadable"
        }
    }

    public var detail: String {
        switch reason {
        case .malformedRow(let s), .badCycles(let s), .truncated(let s), .missingMetadata(let s),
             .contradictingMetadata(let s), .mixedRuns(let s), .binaryGarbage(let s),
             .unsupportedVersion(let s), .unreadable(let s):
            return s
        case .empty:
            return "no results lines (expected lines starting with \(ResultsFormat.prefix))"
        }
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
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
