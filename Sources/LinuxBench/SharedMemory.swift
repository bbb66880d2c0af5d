import CBenchSys
import CNuma

/// A memfd mapped into the runner, optionally placed on one NUMA node. The
/// peers get its descriptor; nothing is left behind in /dev/shm, and the
/// memory goes away with the last descriptor.
final class SharedMemory {
    let fd: Int32
    let size: Int
    let base: UnsafeMutableRawPointer

    init(name: String, size: Int, node: Int32?, libnuma: Bool = false) throws(LinuxBenchError) {
        let rounded = max(4096, (size + 4095) & ~4095)
        let fd = bench_memfd(name, rounded)
        guard fd >= 0 else { throw .system("memfd_create(\(name))", -fd) }
        guard let p = bench_map_shared(fd, rounded) else {
            let e = bench_errno()
            _ = bench_close(fd)
            throw .system("mmap(\(name))", e)
        }
        // Place the pages before their first touch (libnuma, or mbind(2) without it). A
        // machine without NUMA refuses the binding; the pages then land where the kernel puts them.
        if let node { _ = l4b_numa_bind_memory(p, rounded, node, libnuma ? 1 : 0) }
        memset(p, 0, rounded)
        self.fd = fd
        self.size = rounded
        self.base = p
    }

    deinit {
        _ = bench_unmap(base, size)
        _ = bench_close(fd)
    }
}

/// A memfd that collects a peer's stdout and stderr.
final class CapturedOutput {
    let fd: Int32

    init() throws(LinuxBenchError) {
        let fd = bench_memfd("bench-peer-log", 0)
        guard fd >= 0 else { throw .system("memfd_create(log)", -fd) }
        self.fd = fd
    }

    /// What the peer wrote, trimmed, at most `limit` bytes.
    func text(limit: Int = 2000) -> String {
        var buf = [UInt8](repeating: 0, count: limit)
        let n = buf.withUnsafeMutableBytes { bench_pread(fd, $0.baseAddress, limit, 0) }
        guard n > 0 else { return "" }
        let s = String(decoding: buf[0..<n], as: UTF8.self)
        return s.split(whereSeparator: \.isNewline).map(String.init).joined(separator: " / ")
    }

    deinit { _ = bench_close(fd) }
}

#if canImport(Glibc)
import Glibc
#endif
