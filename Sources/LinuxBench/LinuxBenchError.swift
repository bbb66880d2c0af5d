#if canImport(Glibc)
import Glibc
#endif

/// Why the Linux runner could not do its work (a failing pair is not an error
/// of the run: it becomes a `fail` record and the run goes on).
public enum LinuxBenchError: Error, CustomStringConvertible, Equatable {
    /// A system call failed: what was attempted and errno.
    case system(String, Int32)
    /// A peer program is missing.
    case missingPeer(String)
    /// The selection names nothing that exists.
    case badSelection(String)

    public var description: String {
        switch self {
        case .system(let what, let e): return "\(what) failed: \(String(cString: strerror(e))) (errno \(e))"
        case .missingPeer(let p): return "benchmark peer not found: \(p) (build all products with `swift build`, or set L4BENCH_PEER_DIR)"
        case .badSelection(let s): return s
        }
    }
}
