import Foundation

/// A fresh directory of its own for one test, made by mkdtemp(3) under the
/// system's temporary directory. Remove it with `remove()` (in a `defer`) or
/// use `withTemporaryDirectory`; `KEEP_TMP=1` in the environment keeps it for a look.
public struct TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates `<tmp>/<prefix>-XXXXXX`; the name is unique across processes and parallel tests.
    public init(_ prefix: String = "l4bench-test") throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/\(prefix)-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: String(cString: template)])
        }
        path = String(cString: made)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Removes the directory and everything in it.
    public func remove() {
        if getenv("KEEP_TMP") == nil { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Runs `body` with a temporary directory that is removed afterwards, also when `body` throws.
public func withTemporaryDirectory<T>(_ prefix: String = "l4bench-test", _ body: (TemporaryDirectory) throws -> T) throws -> T {
    let dir = try TemporaryDirectory(prefix)
    defer { dir.remove() }
    return try body(dir)
}
