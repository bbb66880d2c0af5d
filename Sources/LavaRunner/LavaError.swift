/// Why talking to LAVA, or a job on it, went wrong. Each case has its own exit
/// code (docs/hardware.md lists them); a message names the server or the job
/// and LAVA's reason, never the token.
public enum LavaError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No URL or token, or a config file others may read.
    case configuration(String)
    /// The server did not answer (refused, unknown host, timed out).
    case unreachable(server: String, why: String)
    /// The server refused the token (401/403).
    case tokenRefused(server: String, detail: String)
    /// The server rejected the job definition (400).
    case rejected(String)
    /// Any other answer the client cannot use (404, 5xx, a body that is not what LAVA sends).
    case badResponse(String)
    /// The image carries no suite plan and none was given.
    case image(String)

    public var description: String {
        switch self {
        case .configuration(let s): return s
        case .unreachable(let server, let why): return "the LAVA server \(server) is unreachable: \(why)"
        case .tokenRefused(let server, let detail):
            return "the LAVA server \(server) refused the token (\(detail)): check L4BENCH_LAVA_TOKEN or the config file"
        case .rejected(let s): return "the LAVA server rejected the job: \(s)"
        case .badResponse(let s): return "unexpected answer from LAVA: \(s)"
        case .image(let s): return s
        }
    }

    /// Exit codes of `l4bench lava` for errors before or around a job.
    public var exitCode: Int32 {
        switch self {
        case .configuration, .image: return 64
        case .unreachable: return 50
        case .tokenRefused: return 51
        case .rejected: return 52
        case .badResponse: return 59
        }
    }
}
