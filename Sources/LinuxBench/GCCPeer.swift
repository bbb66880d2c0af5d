import OwnedProcess

#if canImport(Glibc)
import Glibc
#endif

/// The C++ peer built with g++ at run time (`cpp.gcc`), beside SwiftPM's clang
/// build (`cpp`): the same source and flags, so that a difference between the
/// two is the compiler's, and a difference of Swift from both is the
/// language's. Built once per source change, next to the other peers.
public enum GCCPeer {
    /// The optimisation flags every C and C++ peer is built with (Package.swift's `peerCxx`).
    public static let flags = ["-O2"]

    public struct Built: Sendable {
        public var path: String
        /// `g++ --version`'s first line.
        public var compiler: String
        public var flags: String
    }

    /// Builds (or reuses) the g++ peer; `.failure` says why there is none
    /// (no g++, no source tree, a compile error), for the run to print and go on.
    public static func build(peerDirectory: String, sourceRoot: String?, timeoutSeconds: Double = 180) -> Result<Built, GCCPeerUnavailable> {
        guard let gxx = findInPath("g++") else { return .failure(.init(reason: "no g++ in PATH")) }
        guard let root = sourceRoot ?? locateSourceRoot(from: peerDirectory) else {
            return .failure(.init(reason: "the package sources (Sources/bench-peer-cpp/main.cpp) were not found; set L4BENCH_SOURCE_DIR"))
        }
        let main = "\(root)/Sources/bench-peer-cpp/main.cpp", seam = "\(root)/Sources/CBenchSys/bench_sys.c"
        let include = "\(root)/Sources/CBenchSys/include"
        let out = "\(peerDirectory)/bench-peer-cpp-gcc"
        guard let version = run([gxx, "--version"], timeout: 20).flatMap({ $0.split(separator: "\n").first.map(String.init) }) else {
            return .failure(.init(reason: "\(gxx) --version failed"))
        }
        let built = Built(path: out, compiler: version, flags: flags.joined(separator: " "))
        let newest = [main, seam, "\(include)/bench_sys.h", "\(include)/bench_proto.h"].map(mtime).max() ?? 0
        if mtime(out) > newest, access(out, X_OK) == 0 { return .success(built) }
        let tmp = out + ".tmp\(getpid())"
        let argv = [gxx] + flags + ["-I", include, "-x", "c", seam, "-x", "c++", main, "-o", tmp]
        guard run(argv, timeout: timeoutSeconds) != nil else {
            unlink(tmp)
            return .failure(.init(reason: "g++ could not build the C++ peer (\(argv.joined(separator: " ")))"))
        }
        guard rename(tmp, out) == 0 else { unlink(tmp); return .failure(.init(reason: "cannot move the g++ peer to \(out)")) }
        return .success(built)
    }

    /// Walks up from the peer directory (`.build/<triple>/<config>`) and the
    /// working directory to the package root, or `L4BENCH_SOURCE_DIR`.
    static func locateSourceRoot(from dir: String) -> String? {
        if let env = getenv("L4BENCH_SOURCE_DIR") { return String(cString: env) }
        var candidates: [String] = []
        var d = dir
        for _ in 0..<5 {
            candidates.append(d)
            d = d.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            if d.isEmpty { break }
        }
        var buf = [CChar](repeating: 0, count: 4096)
        if getcwd(&buf, buf.count) != nil { candidates.append(String(cString: buf)) }
        return candidates.first { access("\($0)/Sources/bench-peer-cpp/main.cpp", R_OK) == 0 }
    }

    static func findInPath(_ name: String) -> String? {
        guard let p = getenv("PATH") else { return nil }
        for dir in String(cString: p).split(separator: ":") where access("\(dir)/\(name)", X_OK) == 0 { return "\(dir)/\(name)" }
        return nil
    }

    static func mtime(_ path: String) -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { return 0 }
        return Int(st.st_mtim.tv_sec) * 1_000_000_000 + Int(st.st_mtim.tv_nsec)
    }

    /// Runs `argv` as an owned child with a deadline; its output when it exits 0.
    static func run(_ argv: [String], timeout: Double) -> String? {
        guard let p = try? OwnedProcess(argv) else { return nil }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        let deadline = OwnedProcess.monotonic() + timeout
        let flags = fcntl(p.outputFD, F_GETFL)
        _ = fcntl(p.outputFD, F_SETFL, flags | O_NONBLOCK)
        while true {
            let n = read(p.outputFD, &buf, buf.count)
            if n > 0 { if out.count < 1 << 20 { out += buf[0..<n] }; continue }
            if n == 0 { break }
            if OwnedProcess.monotonic() > deadline { p.terminate(); return nil }
            usleep(10_000)
        }
        guard p.wait() == 0 else { return nil }
        return String(decoding: out, as: UTF8.self)
    }
}

public struct GCCPeerUnavailable: Error, Sendable { public var reason: String }
