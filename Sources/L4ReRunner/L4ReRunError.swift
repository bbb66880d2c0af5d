import BenchResults

/// Why an L4Re run could not be done (a failing pair is not one: it becomes a
/// `fail` record and the run goes on).
public enum L4ReRunError: Error, CustomStringConvertible, Equatable {
    /// A build directory is missing or lacks a file the boot needs.
    case badBuildDirectory(String)
    /// Building the project's L4Re package failed; the tail of make's output.
    case packageBuild(String)
    /// QEMU could not be started.
    case qemu(String)
    /// The selection names nothing that exists.
    case badSelection(String)
    /// KVM cannot boot a guest here, and no fallback was allowed.
    case kvmUnusable(String)
    /// The console holds a run whose header lacks required metadata.
    case missingMetadata(String)
    /// The console holds no run; the fault that explains it, if any.
    case noRun(String, ResultsError?)
    /// A file of the run could not be written or stored.
    case output(String)
    /// l4bench was interrupted (SIGINT, SIGTERM) before a boot began; what it had started was ended.
    case interrupted(Int32)

    /// What went wrong, for the user.
    public var description: String {
        switch self {
        case .badBuildDirectory(let s): return s
        case .packageBuild(let s): return "building the L4Re package failed:\n\(s)"
        case .qemu(let s): return "QEMU: \(s)"
        case .badSelection(let s): return s
        case .kvmUnusable(let s): return s
        case .missingMetadata(let s): return s
        case .noRun(let s, _): return s
        case .output(let s): return s
        case .interrupted(let sig): return "interrupted (signal \(sig)): make was stopped"
        }
    }
}
