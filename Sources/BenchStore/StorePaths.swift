import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paths that a store's own files name (`baseline.ref`, `summaries.jsonl`) stay
/// inside the store: a relative path without `..`, `.` or empty parts, every
/// folder on the way a real folder (not a symbolic link), the file itself a
/// regular file (not a link, a FIFO or a device). A store comes from git, and a
/// pull request can commit a link to `/proc/self/environ` or a ref to `../../x`:
/// nothing outside the store is read, and no message prints another file's
/// content or size.
public enum StorePaths {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The name leaves the store or is not a plain relative path.
        case outside(String)
        /// A symbolic link, a FIFO, a device, a folder where a regular file belongs.
        case notRegular(String)
        /// Nothing there.
        case missing(String)
        public var description: String {
            switch self { case .outside(let s), .notRegular(let s), .missing(let s): return s }
        }
    }

    /// Why `rel` is not a plain relative path inside a folder, or nil.
    public static func shapeProblem(_ rel: String) -> String? {
        if rel.isEmpty { return "an empty path" }
        if rel.hasPrefix("/") { return "an absolute path" }
        if rel.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) {
            return "a path with control characters"
        }
        if rel.contains("\\") { return "a path with a backslash" }
        for part in rel.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty { return "a path with an empty part (//)" }
            if part == "." || part == ".." { return "a path with '\(part)' in it" }
        }
        return nil
    }

    /// The file `rel` names inside `dir`, checked: shape, every folder on the way
    /// a real folder, the file a regular file. Never follows a symbolic link.
    public static func resolve(_ rel: String, in dir: String) throws(Problem) -> String {
        if let why = shapeProblem(rel) { throw .outside("\(why), not a file inside \(dir)") }
        var path = dir
        let parts = rel.split(separator: "/")
        for (i, part) in parts.enumerated() {
            path += "/" + part
            var st = stat()
            guard lstat(path, &st) == 0 else { throw .missing("\(path) is not there") }
            let type = st.st_mode & S_IFMT
            if type == S_IFLNK { throw .notRegular("\(path) is a symbolic link: a store names only files inside it") }
            if i < parts.count - 1 {
                guard type == S_IFDIR else { throw .notRegular("\(path) is not a folder") }
            } else {
                guard type == S_IFREG else { throw .notRegular("\(path) is not a regular file") }
            }
        }
        return path
    }

    /// Reads a small regular file of the store without following a link (`O_NOFOLLOW`)
    /// and without blocking on a FIFO; at most `limit` bytes.
    public static func readSmallFile(_ path: String, limit: Int) throws(Problem) -> String {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP { throw .notRegular("\(path) is a symbolic link: refused (it must be a regular file in the store)") }
            if e == ENOENT { throw .missing("\(path) is not there") }
            throw .notRegular("\(path): \(String(cString: strerror(e)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw .notRegular("\(path) is not a regular file: refused")
        }
        guard Int(st.st_size) <= limit else { throw .notRegular("\(path) is larger than \(limit) bytes: not a store file") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        return String(decoding: bytes.prefix(got), as: UTF8.self)
    }

    /// read(2).
    static func readFD(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, buf, n) }

    /// Whether `path` is a real folder (not a link to one).
    public static func isRealFolder(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` is a regular file (not a link to one).
    public static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }
}
