import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing the generated file. A regular file is replaced atomically (a
/// temporary file beside it, renamed over it, with the old file's mode) and
/// only when its contents change, so its time tells make nothing changed. A
/// symbolic link is followed: the file it names is written and the link stays;
/// a link loop (or a chain longer than 32 links) is refused. `/dev/stdout`,
/// `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` (also reached through a
/// link) are the open descriptor, written as it is (appending when the shell
/// opened it with `>>`); their links are never resolved. A device or FIFO is
/// written in place, never replaced; a FIFO without a reader is an error, not
/// a hang. A file with more than one hard link is written in place (the links
/// stay one file). A file without any write bit is refused, for root too.
public enum OutputFile {
    public struct Failure: Error { public var message: String }

    /// The descriptor a path names without naming a file: `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`.
    static func descriptor(_ path: String) -> Int32? {
        var p = path
        while p.contains("//") { p = p.replacingOccurrences(of: "//", with: "/") }
        switch p {
        case "/dev/stdin": return 0
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default: break
        }
        for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/\(getpid())/fd/", "/proc/thread-self/fd/"] where p.hasPrefix(prefix) {
            let n = p.dropFirst(prefix.count)
            guard !n.isEmpty, n.count <= 9, n.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int32(n) else { return nil }
            return v
        }
        return nil
    }

    public static func write(_ data: Data, to path: String) -> Result<Void, Failure> {
        var target = path
        // Follow links (bounded) to what they name; the link itself is never touched.
        var hops = 0
        while true {
            if let fd = descriptor(target) { return writeDescriptor(data, fd) }
            var st = stat()
            guard lstat(target, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { break }
            hops += 1
            guard hops <= 32 else { return .failure(Failure(message: "too many levels of symbolic links (a link loop?)")) }
            guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: target) else {
                return .failure(Failure(message: "cannot read the symbolic link '\(target)'"))
            }
            target = dest.hasPrefix("/") ? dest : ((target as NSString).deletingLastPathComponent as NSString).appendingPathComponent(dest)
        }
        var st = stat()
        if stat(target, &st) == 0 {
            let type = st.st_mode & S_IFMT
            if type == S_IFCHR || type == S_IFIFO || type == S_IFBLK || type == S_IFSOCK {
                return writeInPlace(data, to: target, fifo: type == S_IFIFO)
            }
            guard type == S_IFREG else { return .failure(Failure(message: "not a regular file, device or FIFO")) }
            // the mode bits decide (access() says yes to root for every file)
            if st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) == 0 || access(target, W_OK) != 0 {
                return .failure(Failure(message: "the file is read-only"))
            }
            // An unchanged file keeps its time, so that make rebuilds nothing.
            if case .success(let old) = readRegular(target, limit: data.count + 1), old == data { return .success(()) }
            // a hard-linked file stays one file: written in place, not replaced
            if st.st_nlink > 1 { return writeInPlace(data, to: target, fifo: false, truncate: true) }
        } else if errno != ENOENT {
            return .failure(Failure(message: String(cString: strerror(errno))))
        }
        return replace(data, at: target, mode: stat(target, &st) == 0 ? st.st_mode & 0o7777 : 0o644)
    }

    /// Writes to descriptor `fd` as it is open (a pipe, a terminal, a file opened by the shell).
    private static func writeDescriptor(_ data: Data, _ fd: Int32) -> Result<Void, Failure> {
        guard fcntl(fd, F_GETFD) >= 0 else { return .failure(Failure(message: "descriptor \(fd) is not open")) }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, flags & O_ACCMODE != O_RDONLY else { return .failure(Failure(message: "descriptor \(fd) is not open for writing")) }
        guard writeAll(fd, data) else { return .failure(Failure(message: String(cString: strerror(errno)))) }
        return .success(())
    }

    private static func readRegular(_ path: String, limit: Int) -> Result<Data, Failure> {
        guard let h = FileHandle(forReadingAtPath: path) else { return .failure(Failure(message: "cannot read it")) }
        defer { try? h.close() }
        return .success((try? h.read(upToCount: limit)) ?? Data())
    }

    private static func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            var off = 0
            while off < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 { if errno == EINTR { continue }; return false }
                off += n
            }
            return true
        }
    }

    private static func writeInPlace(_ data: Data, to path: String, fifo: Bool, truncate: Bool = false) -> Result<Void, Failure> {
        // O_NONBLOCK: a FIFO without a reader fails at once (ENXIO) instead of waiting for one.
        let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | (truncate ? O_TRUNC : 0))
        if fd < 0 {
            return .failure(Failure(message: fifo && errno == ENXIO ? "the FIFO has no reader" : String(cString: strerror(errno))))
        }
        defer { close(fd) }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        guard writeAll(fd, data) else { return .failure(Failure(message: String(cString: strerror(errno)))) }
        return .success(())
    }

    private static func replace(_ data: Data, at path: String, mode: mode_t) -> Result<Void, Failure> {
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        var fd: Int32 = -1
        var tmp = ""
        for k in 0..<100 {
            tmp = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(".\(base).\(getpid()).\(k).tmp")
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { return .failure(Failure(message: String(cString: strerror(errno)))) }
        _ = fchmod(fd, mode)
        let ok = writeAll(fd, data)
        let err = errno
        close(fd)
        guard ok else { unlink(tmp); return .failure(Failure(message: String(cString: strerror(err)))) }
        guard rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            return .failure(Failure(message: String(cString: strerror(e))))
        }
        return .success(())
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
