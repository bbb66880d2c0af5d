import CBenchSys

#if canImport(Glibc)
import Glibc
#endif

/// A peer process the runner started: its PID, its captured output, and how it ended.
final class PeerChild {
    let pid: Int32
    let role: String
    let log: CapturedOutput
    var status: Int32?
    init(pid: Int32, role: String, log: CapturedOutput) { self.pid = pid; self.role = role; self.log = log }

    func poll() {
        guard status == nil else { return }
        var st: Int32 = 0
        if bench_try_wait(pid, &st) == pid { status = st }
    }
    /// SIGKILL to this PID (never by name) and reap it.
    func kill() {
        guard status == nil else { return }
        _ = bench_kill(pid)
        let st = bench_wait(pid)
        status = st >= 0 ? st : 0
    }
    var exitedCleanly: Bool { status.map { bench_status_code($0) == 0 } ?? false }
    var how: String {
        guard let status else { return "still running" }
        let code = bench_status_code(status)
        if code >= 0 { return "exited with code \(code)" }
        return "was killed by signal \(-code) (\(String(cString: strsignal(-code))))"
    }
    func describe() -> String {
        let out = log.text()
        return "\(role) \(how)" + (out.isEmpty ? "" : ": \(out)")
    }
}

/// Starts `lang`'s peer in `role`, pinned to `cpu`, with `fds` as fd 3, 4, ….
func spawnPeer(_ programs: PeerPrograms, _ lang: Language, role: String, cpu: Int32, fds: [Int32]) throws(LinuxBenchError) -> PeerChild {
    let log = try CapturedOutput()
    let path = programs.path(lang)
    var argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), strdup(role), strdup(String(cpu)), nil]
    defer { for a in argv { free(a) } }
    let pid = fds.withUnsafeBufferPointer { bench_spawn(path, &argv, $0.baseAddress, Int32(fds.count), log.fd) }
    guard pid > 0 else { throw .system("posix_spawn(\(path))", -pid) }
    return PeerChild(pid: pid, role: "\(lang.rawValue) \(role)", log: log)
}
