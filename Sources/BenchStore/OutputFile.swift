import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes an output the way its path asks: a regular file (or a path that does
/// not exist yet) is written to a temporary file and renamed over the target,
/// so that a reader never sees half a report; a device, a FIFO, a socket or a
/// symbolic link (`/dev/stdout`, `/dev/null`) is written in place and never
/// replaced; `-` is standard output.
public enum OutputFile {
    public enum WriteError: Error, CustomStringConvertible {
        case failed(String, String)
        public var description: String {
            if case .failed(let path, let why) = self { return "cannot write \(path): \(why)" }
            return ""
        }
    }

    public static func write(_ text: String, to path: String) throws(WriteError) {
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        var lst = stat()
        if lstat(path, &lst) == 0 {
            let type = lst.st_mode & S_IFMT
            if type == S_IFDIR { throw .failed(path, "is a directory") }
            if type != S_IFREG {
                // Not a regular file: write through it, in place.
                try writeInPlace(text, path)
                return
            }
        }
        let dir = (path as NSString).deletingLastPathComponent
        do {
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .failed(path, error.localizedDescription)
        }
    }

    static func writeInPlace(_ text: String, _ path: String) throws(WriteError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .failed(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        // A regular file reached through a link is truncated first; a device or FIFO is not.
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { _ = ftruncate(fd, 0) }
        var bytes = Array(text.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .failed(path, String(cString: strerror(errno)))
            }
            off += n
        }
    }
}
