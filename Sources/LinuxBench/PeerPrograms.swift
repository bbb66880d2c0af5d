#if canImport(Glibc)
import Glibc
#endif

/// Where the peer executables are: beside the running executable (SwiftPM puts
/// every product of the package in one directory), or in `L4BENCH_PEER_DIR`.
public struct PeerPrograms: Sendable {
    public var directory: String
    /// The C++ peer built with g++ at run time (`GCCPeer`), when there is one.
    public var gccPeer: String?

    public init(directory: String, gccPeer: String? = nil) { self.directory = directory; self.gccPeer = gccPeer }

    public static func executableName(_ language: Language) -> String {
        switch language {
        case .swift: return "bench-peer-swift"
        case .cpp: return "bench-peer-cpp"
        case .c: return "bench-raw"
        case .cppGCC: return "bench-peer-cpp-gcc"
        }
    }

    public func path(_ language: Language) -> String {
        if language == .cppGCC, let gccPeer { return gccPeer }
        return "\(directory)/\(Self.executableName(language))"
    }

    /// The peers next to this process's executable, or in `L4BENCH_PEER_DIR`.
    public static func locate() throws(LinuxBenchError) -> PeerPrograms {
        let dir: String
        if let env = getenv("L4BENCH_PEER_DIR") {
            dir = String(cString: env)
        } else {
            var buf = [CChar](repeating: 0, count: 4096)
            let n = readlink("/proc/self/exe", &buf, buf.count - 1)
            guard n > 0 else { throw .system("readlink(/proc/self/exe)", errno) }
            let exe = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            dir = exe.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        }
        let programs = PeerPrograms(directory: dir)
        for lang in Language.allCases where lang != .cppGCC && access(programs.path(lang), X_OK) != 0 {
            throw .missingPeer(programs.path(lang))
        }
        return programs
    }
}
