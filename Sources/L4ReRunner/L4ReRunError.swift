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

    public var description: String {
        switch self {
        case .badBuildDirectory(let s): return s
        case .packageBuild(let s): return "building the L4Re package failed:\n\(s)"
        case .qemu(let s): return "QEMU: \(s)"
        case .badSelection(let s): return s
        }
    }
}
