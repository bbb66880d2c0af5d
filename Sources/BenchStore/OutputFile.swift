import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an output the way its path asks: a regular file (or a path that does
/// not exist yet) is written to a temporary file beside it and renamed over the
/// target, so that a reader never sees half a report (a read-only file is
/// refused, not replaced; a writable one keeps its mode); a device, a FIFO, a
/// socket or a symbolic link given as the output (`/dev/stdout`, `/dev/null`)
/// is written in place and never replaced; a FIFO that no one reads is given up
/// after `fifoWaitSeconds` with a message; `-` is standard output. A path the
/// program chose itself (the default report beside its run) is never written
/// through a link (`followLinks: false`).
public enum OutputFile {
    public enum WriteError: Error, CustomStringConvertible {
        case failed(String, String)
        public var description: String {
            if case .failed(let path, let why) = self { return "cannot write \(path): \(why)" }
            return ""
        }
    }

    /// How long a FIFO may stay without a reader.
    nonisolated(unsafe) public static var fifoWaitSeconds = 10.0

    public static func write(_ text: String, to path: String, followLinks: Bool = true) throws(WriteError) {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        var lst = stat()
        if lstat(path, &lst) == 0 {
            let type = lst.st_mode & S_IFMT
            if type == S_IFDIR { throw .failed(path, "is a directory") }
            if type == S_IFLNK && !followLinks {
                throw .failed(path, "is a symbolic link: a report file the program names itself is never written through a link (give --html PATH to write elsewhere)")
            }
            if type != S_IFREG {
                // Not a regular file: write through it, in place.
                try writeInPlace(text, path)
                return
            }
        }
        try replace(text, at: path)
    }

    /// Replaces a regular file (or creates it) through a temporary file and a rename. A link,
    /// a FIFO, a device or a read-only file at `path` is refused.
    public static func replace(_ text: String, at path: String) throws(WriteError) {
        var lst = stat()
        var mode: mode_t = 0o644
        if lstat(path, &lst) == 0 {
            let type = lst.st_mode & S_IFMT
            if type != S_IFREG { throw .failed(path, "is not a regular file (a symbolic link, a FIFO or a device): not replaced") }
            if lst.st_mode & 0o222 == 0 || access(path, W_OK) != 0 {
                throw .failed(path, "is read-only: not replaced (make it writable or write elsewhere)")
            }
            mode = lst.st_mode & 0o7777
        }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw .failed(path, "cannot create \(dir): \(error.localizedDescription)")
            }
        }
        let name = (path as NSString).lastPathComponent
        var template = Array(((dir.isEmpty ? "." : dir) + "/.\(name).XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .failed(path, String(cString: strerror(errno))) }
        let tmp = String(cString: template)
        do {
            _ = fchmod(fd, mode)
            try writeAll(fd, text, path)
            close(fd)
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw .failed(path, why)
        }
    }

    static func writeInPlace(_ text: String, _ path: String) throws(WriteError) {
        // Non-blocking open: a FIFO without a reader fails with ENXIO at once instead of
        // blocking; it is retried until a reader comes or the wait is over.
        let deadline = Date().addingTimeInterval(fifoWaitSeconds)
        var fd: Int32 = -1
        while true {
            fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 { break }
            let e = errno
            if e == ENXIO && Date() < deadline { usleep(50_000); continue }
            if e == ENXIO { throw .failed(path, "a FIFO that no one reads: no reader came within \(Int(fifoWaitSeconds)) s") }
            throw .failed(path, String(cString: strerror(e)))
        }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        // A regular file reached through a link is truncated first; a device or FIFO is not.
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { _ = ftruncate(fd, 0) }
        try writeAll(fd, text, path)
    }

    static func writeAll(_ fd: Int32, _ text: String, _ path: String) throws(WriteError) {
        var bytes = Array(text.utf8)
        var off = 0
        while off < bytes.count {
            #if canImport(Glibc)
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            #else
            let n = bytes.withUnsafeMutableBytes { Darwin.write(fd, $0.baseAddress! + off, $0.count - off) }
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                throw .failed(path, String(cString: strerror(errno)))
            }
            off += n
        }
    }
}
