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

    /// How long a FIFO may stay without a writer before it is reported.
    public var fifoWaitSeconds = 10

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
        if path == "-" { return parseStream(fd: 0, source: "<stdin>", options: options, echo: nil) }
        let fd: Int32
        switch openInput(path, options: options) {
        case .failure(let box): return box.outcome
        case .success(let f): fd = f
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return unreadable(path, String(cString: strerror(errno))) }
        let size = Int(st.st_size)
        if (st.st_mode & S_IFMT) != S_IFREG {
            return parseStream(fd: fd, source: path, options: options, echo: nil)
        }
        if isCompact(fd) { return parseCompact(fd: fd, size: size, source: path, threads: options.threads) }
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
        if path == "-" { return parseStream(fd: 0, source: "<stdin>", options: options, echo: echo) }
        let fd: Int32
        switch openInput(path, options: options) {
        case .failure(let box): return box.outcome
        case .success(let f): fd = f
        }
        defer { close(fd) }
        if isCompact(fd) {
            return unreadable(path, "a run in the store's compact form: report, compare and export read it; `l4bench export --format csv` gives format v1")
        }
        return parseStream(fd: fd, source: path, options: options, echo: echo)
    }

    /// Whether a regular file starts like a compact stored run.
    static func isCompact(_ fd: Int32) -> Bool {
        var head = [UInt8](repeating: 0, count: CompactFormat.prefix.utf8.count + 3)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 && CompactFormat.isCompact(Array(head.prefix(n)))
    }

    /// A compact run: mapped and read by `CompactReader`, never copied whole.
    static func parseCompact(fd: Int32, size: Int, source: String, threads: Int) -> ParseOutcome {
        CompactFormat.parse(fd: fd, size: size, source: source, threads: threads)
    }

    /// Opens an input, saying plainly what it is when it cannot be results: a
    /// directory, a compressed file, a FIFO that no one writes to.
    static func openInput(_ path: String, options: ParseOptions) -> Result<Int32, ParseOutcomeBox> {
        var st = stat()
        if stat(path, &st) == 0 {
            let type = st.st_mode & S_IFMT
            if type == S_IFDIR { return .failure(ParseOutcomeBox(unreadable(path, "is a directory, not a results file"))) }
            if type == S_IFIFO {
                let fd = open(path, O_RDONLY | O_NONBLOCK)
                guard fd >= 0 else { return .failure(ParseOutcomeBox(unreadable(path, String(cString: strerror(errno))))) }
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&p, 1, Int32(options.fifoWaitSeconds * 1000))
                if ready <= 0 {
                    close(fd)
                    return .failure(ParseOutcomeBox(unreadable(path, "a FIFO with no writer: nothing arrived within \(options.fifoWaitSeconds) s")))
                }
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
                return .success(fd)
            }
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(ParseOutcomeBox(unreadable(path, String(cString: strerror(errno))))) }
        if (st.st_mode & S_IFMT) == S_IFREG, let kind = compression(fd) {
            close(fd)
            return .failure(ParseOutcomeBox(unreadable(path, "compressed (\(kind)): unpack it first")))
        }
        return .success(fd)
    }

    /// The compression format a regular file starts with, if any.
    static func compression(_ fd: Int32) -> String? {
        var magic = [UInt8](repeating: 0, count: 6)
        let n = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 6, 0) }
        guard n >= 3 else { return nil }
        if magic[0] == 0x1F && magic[1] == 0x8B { return "gzip" }
        if n >= 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD { return "zstd" }
        if magic[0] == 0x42 && magic[1] == 0x5A && magic[2] == 0x68 { return "bzip2" }
        if n >= 6 && magic[0] == 0xFD && magic[1] == 0x37 && magic[2] == 0x7A && magic[3] == 0x58 && magic[4] == 0x5A { return "xz" }
        if n >= 4 && magic[0] == 0x50 && magic[1] == 0x4B && magic[2] == 0x03 && magic[3] == 0x04 { return "zip" }
        return nil
    }

    /// Reads a stream (standard input, a pipe, a device) in chunks: memory stays
    /// bounded whatever arrives, and endless input without results ends at a fault.
    static func parseStream(fd: Int32, source: String, options: ParseOptions,
                            echo: ((UnsafePointer<UInt8>, Int) -> Void)?) -> ParseOutcome {
        let w = ParseWorker(source: source, lenient: options.lenient, isFirstChunk: true)
        w.echo = echo
        let cap = 1 << 20
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        defer { buf.deallocate() }
        var carry = 0
        while !w.stop {
            let got = read(fd, buf + carry, cap - carry)
            if got < 0 {
                if errno == EINTR { continue }
                return unreadable(source, String(cString: strerror(errno)))
            }
            if got == 0 { break }
            let filled = carry + got
            carry = w.feed(buf, count: filled, final: false)
            if carry > 0 { memmove(buf, buf + (filled - carry), carry) }
        }
        if carry > 0 && !w.stop { _ = w.feed(buf, count: carry, final: true) }
        return finish(w, source: source)
    }

    // MARK: reading

    private static func unreadable(_ path: String, _ why: String) -> ParseOutcome {
        ParseOutcome(run: Run(id: "", metadata: [], groups: [], source: path),
                     fault: ResultsError(file: path, line: 0, reason: .unreadable(why)),
                     skippedCount: 0, skipped: [], noiseLines: 0, garbageLines: 0)
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

/// A parse outcome as an error value (for Result).
struct ParseOutcomeBox: Error {
    var outcome: ParseOutcome
    init(_ o: ParseOutcome) { outcome = o }
}
