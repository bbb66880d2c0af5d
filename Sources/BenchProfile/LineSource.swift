import OwnedProcess
#if canImport(Glibc)
import Glibc
#endif

/// Lines of a text file, plain or gzip-compressed (read through `gzip -dc`, an
/// owned child ended by its PID), one at a time, with a bound on line length
/// so a file without newlines cannot grow memory without limit.
public final class LineSource {
    public let path: String
    public private(set) var lineNumber = 0
    private let fd: Int32
    private var child: OwnedProcess?
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0, end = 0
    private var eof = false
    public static let maxLine = 1 << 16

    public init(path: String) throws(ProfileError) {
        self.path = path
        let f = open(path, O_RDONLY)
        guard f >= 0 else { throw .unreadable("cannot open \(path): \(String(cString: strerror(errno)))") }
        var magic: [UInt8] = [0, 0]
        let n = read(f, &magic, 2)
        if n == 2 && magic[0] == 0x1F && magic[1] == 0x8B {
            close(f)
            do { child = try OwnedProcess(["gzip", "-dc", "--", path]) } catch {
                throw .unreadable("cannot read \(path): \(error.description)")
            }
            fd = child!.outputFD
        } else {
            lseek(f, 0, SEEK_SET)
            fd = f
        }
    }

    deinit {
        if let c = child { c.terminate(grace: 1) } else { close(fd) }
    }

    /// The next line without its newline, or nil at the end.
    public func next() throws(ProfileError) -> [UInt8]? {
        while true {
            if let nl = buffer[start..<end].firstIndex(of: 10) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                lineNumber += 1
                return line
            }
            if end - start > Self.maxLine {
                throw .malformed(file: path, line: lineNumber + 1, why: "a line longer than \(Self.maxLine) bytes")
            }
            if eof {
                if start == end { return nil }
                let line = Array(buffer[start..<end])
                start = end
                lineNumber += 1
                return line
            }
            if start > 0 {
                buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
                end -= start
                start = 0
            }
            if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let n = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress! + end, $0.count - end) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                eof = true
                if let c = child, let status = c.wait(), status != 0 {
                    throw .unreadable("cannot read \(path): gzip exited with status \(status)")
                }
            } else {
                end += n
            }
        }
    }

    /// The next line as text.
    public func nextString() throws(ProfileError) -> String? {
        guard let l = try next() else { return nil }
        return String(decoding: l, as: UTF8.self)
    }
}
