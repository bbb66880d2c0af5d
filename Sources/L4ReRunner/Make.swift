import Foundation
import OwnedProcess

#if canImport(Glibc)
import Glibc
#endif

/// Runs `make` (looked up in PATH) with `arguments` as an owned child
/// (`OwnedProcess`: its own process group, ended by PID), collecting its
/// output (the last 4 MiB); ends it after `timeLimitSeconds` or when l4bench is
/// interrupted. Returns make's exit status and output.
func runMake(
    _ arguments: [String], program: String = "make", timeLimitSeconds: Double = 3600
) throws(L4ReRunError) -> (status: Int32, output: String) {
    let p: OwnedProcess
    do { p = try OwnedProcess([program] + arguments) } catch { throw .packageBuild("cannot start make: \(error)") }
    defer { p.terminate() }
    let keep = 4 << 20
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    let start = OwnedProcess.monotonic()
    while true {
        var pfd = pollfd(fd: p.outputFD, events: Int16(POLLIN), revents: 0)
        if poll(&pfd, 1, 200) > 0 {
            let n = read(p.outputFD, &buf, buf.count)
            if n == 0 { break }
            if n > 0 {
                out.append(contentsOf: buf[0..<n])
                if out.count > 2 * keep { out.removeFirst(out.count - keep) }
                continue
            }
        }
        if Interruption.received != 0 {
            p.terminate()
            throw .interrupted(Interruption.received)
        }
        if OwnedProcess.monotonic() - start > timeLimitSeconds {
            p.terminate()
            throw .packageBuild("make exceeded its time limit of \(Int(timeLimitSeconds)) s and was stopped")
        }
    }
    let status = p.wait() ?? -1
    return (status, String(decoding: out.suffix(keep), as: UTF8.self))
}
