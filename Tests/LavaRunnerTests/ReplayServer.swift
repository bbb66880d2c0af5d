import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A one-thread HTTP/1.1 server on 127.0.0.1 that answers from recordings:
/// for the CLI tests, `l4bench lava` talks to it as to a LAVA server.
/// Every request's method, path and Authorization header are kept.
final class ReplayServer: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var answers: [String: [(Int, [UInt8])]]
    private var seen: [(key: String, auth: String)] = []
    private var thread: Thread?

    /// `answers`: request key (`GET /api/v0.2/jobs/5/`) to answers (status, body); the last one repeats.
    init(_ answers: [String: [(Int, [UInt8])]]) throws {
        self.answers = answers
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &len) == 0 } }
        guard ok else { close(fd); port = 0; throw CocoaError(.fileWriteUnknown) }
        port = UInt16(bigEndian: addr.sin_port)
        let sock = fd
        let t = Thread { [weak self] in
            while true {
                let c = accept(sock, nil, nil)
                if c < 0 { return }
                self?.handle(c)
                close(c)
            }
        }
        thread = t
        t.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    var requests: [(key: String, auth: String)] { lock.lock(); defer { lock.unlock() }; return seen }

    private var stopped = false

    /// Closes the listening socket once (a second close could close another test's descriptor).
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    deinit { stop() }

    private func handle(_ c: Int32) {
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var buf = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = read(c, &chunk, chunk.count)
            if n <= 0 { return }
            buf += chunk[0..<n]
            headerEnd = ReplayServer.find([13, 10, 13, 10], in: buf)
        }
        let head = String(decoding: buf[0..<headerEnd!], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        var length = 0
        var auth = ""
        for l in lines.dropFirst() {
            let lower = l.lowercased()
            if lower.hasPrefix("content-length:") { length = Int(l.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0 }
            if lower.hasPrefix("authorization:") { auth = l.dropFirst(14).trimmingCharacters(in: .whitespaces) }
        }
        while buf.count - (headerEnd! + 4) < length {
            let n = read(c, &chunk, chunk.count)
            if n <= 0 { break }
            buf += chunk[0..<n]
        }
        let key = "\(parts[0]) \(parts[1])"
        lock.lock()
        seen.append((key, auth))
        var status = 404
        var body = Array(#"{"detail": "Not found."}"#.utf8)
        if var q = answers[key], let first = q.first {
            (status, body) = first
            if q.count > 1 { q.removeFirst(); answers[key] = q }
        }
        lock.unlock()
        let reply = "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let out = Array(reply.utf8) + body
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }
}
