import Foundation

/// A fresh directory of its own for one test (mkdtemp(3) under the system's
/// temporary directory), removed with everything in it when the test is done.
public final class TemporaryDirectory {
    public let path: String

    /// Creates `<tmp>/<prefix>-XXXXXX`; the name is unique even across processes and parallel tests.
    public init(_ prefix: String = "l4bench-test") throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/\(prefix)-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: String(cString: template)])
        }
        path = String(cString: made)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit { if getenv("KEEP_TMP") == nil { try? FileManager.default.removeItem(atPath: path) } }
}

/// Runs `body` with a temporary directory that is removed afterwards.
public func withTemporaryDirectory<T>(_ prefix: String = "l4bench-test", _ body: (TemporaryDirectory) throws -> T) throws -> T {
    let dir = try TemporaryDirectory(prefix)
    return try withExtendedLifetime(dir) { try body(dir) }
}
