#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// How to parse.
public struct ParseOptions: Sendable {
    /// Skip bad rows (counting them) instead of stopping at the first one.
    public var lenient: Bool
    /// Worker threads for large files; 1 parses sequentially.
    public var threads: Int
    /// Files smaller than this are parsed by one thread.
    public var parallelThreshold: Int

    public init(lenient: Bool = false, threads: Int = 2, parallelThreshold: Int = 32 << 20) {
        self.lenient = lenient
        self.threads = max(1, threads)
        self.parallelThreshold = parallelThreshold
    }
}

/// Reads results format v1 from a file, a console log or bytes in memory.
///
/// Strict mode stops at the first fault and keeps every row before it; lenient
/// mode skips bad rows. Whole-file faults (no end line, missing metadata, no
/// results at all) are reported in both modes, with every row kept.
public enum ResultsParser {
    static let bufferSize = 8 << 20

    /// Parses the file at `path` ("-" reads standard input).
    public static func parse(path: String, options: ParseOptions = .init()) -> ParseOutcome {
        if path == "-" { return parse(bytes: readAll(fd: 0), source: "<stdin>", options: options) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            return unreadable(path, String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return unreadable(path, String(cString: strerror(errno))) }
        let size = Int(st.st_size)
        if (st.st_mode & S_IFMT) != S_IFREG {
            return parse(bytes: readAll(fd: fd), source: path, options: options)
        }
        if options.threads > 1 && size >= options.parallelThreshold {
            let split = splitPoints(fd: fd, size: size, parts: options.threads)
            if split.count == options.threads + 1,
               let outcome = parseParallel(fd: fd, split: split, source: path, options: options) {
                return outcome
            }
        }
        let w = ParseWorker(source: path, lenient: options.lenient, isFirstChunk: true)
        if let err = readRange(fd: fd, from: 0, to: size, worker: w) { return unreadable(path, err) }
        return finish(w, source: path)
    }

    /// Parses bytes in memory; `echo` receives every accepted results line
    /// (from its prefix on, without newline) in input order.
    public static func parse(bytes: [UInt8], source: String, options: ParseOptions = .init(),
                             echo: ((UnsafePointer<UInt8>, Int) -> Void)? = nil) -> ParseOutcome {
        let w = ParseWorker(source: source, lenient: options.lenient, isFirstChunk: true)
        w.echo = echo
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return }
            _ = w.feed(base, count: b.count, final: true)
        }
        return finish(w, source: source)
    }

    /// Parses a file sequentially, handing every accepted results line to `echo`.
    public static func parse(path: String, options: ParseOptions = .init(),
                             echo: @escaping (UnsafePointer<UInt8>, Int) -> Void) -> ParseOutcome {
        if path == "-" { return parse(bytes: readAll(fd: 0), source: "<stdin>", options: options, echo: echo) }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return unreadable(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        let w = ParseWorker(source: path, lenient: options.lenient, isFirstChunk: true)
        w.echo = echo
        if let err = readRange(fd: fd, from: 0, to: Int.max, worker: w) { return unreadable(path, err) }
        return finish(w, source: path)
    }

    // MARK: reading

    private static func unreadable(_ path: String, _ why: String) -> ParseOutcome {
        ParseOutcome(run: Run(id: "", metadata: [], groups: [], source: path),
                     fault: ResultsError(file: path, line: 0, reason: .unreadable(why)),
                     skippedCount: 0, skipped: [], noiseLines: 0, garbageLines: 0)
    }

    static func readAll(fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { out.append(contentsOf: buf[0..<n]) } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return out
    }

    /// Reads [from, to) in large chunks into the worker. Returns an error text on I/O failure.
    static func readRange(fd: Int32, from: Int, to: Int, worker w: ParseWorker) -> String? {
        let cap = bufferSize
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        defer { buf.deallocate() }
        var pos = from
        var carry = 0
        while pos < to && !w.stop {
            let want = min(cap - carry, to - pos)
            let got = pread(fd, buf + carry, want, off_t(pos))
            if got < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            if got == 0 { break }
            pos += got
            let filled = carry + got
            carry = w.feed(buf, count: filled, final: false)
            if carry > 0 { memmove(buf, buf + (filled - carry), carry) }
        }
        if carry > 0 && !w.stop { _ = w.feed(buf, count: carry, final: true) }
        return nil
    }

    /// Byte offsets that split the file at line starts: [0, s1, ..., size].
    static func splitPoints(fd: Int32, size: Int, parts: Int) -> [Int] {
        var points = [0]
        var probe = [UInt8](repeating: 0, count: 1 << 16)
        for k in 1..<parts {
            var at = size * k / parts
            var found = false
            while at < size && !found {
                let got = probe.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(at)) }
                if got <= 0 { break }
                if let i = probe[0..<got].firstIndex(of: 10) { at += i + 1; found = true } else { at += got }
            }
            guard found, at > points.last! else { return [] }
            points.append(at)
        }
        points.append(size)
        return points
    }
}
