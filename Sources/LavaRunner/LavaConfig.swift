import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where the LAVA server is and the token to talk to it: from the environment
/// (`L4BENCH_LAVA_URL`, `L4BENCH_LAVA_TOKEN`) or a config file (`url = ...`,
/// `token = ...`) that only its owner may read (mode 0600 or stricter).
/// The token is never printed: `description` leaves it out.
public struct LavaConfig: CustomStringConvertible, Sendable {
    public var url: String
    public var token: String

    public init(url: String, token: String) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.token = token
    }

    public var description: String { "LAVA \(url) (token from the environment or the config file)" }

    public static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CONFIG_HOME"] ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/l4bench/lava.conf"
    }

    /// The environment first, then the file; `url` (a command-line option) wins over both.
    public static func load(url override: String?, file: String?, environment env: [String: String]) throws(LavaError) -> LavaConfig {
        var url = override ?? env["L4BENCH_LAVA_URL"]
        var token = env["L4BENCH_LAVA_TOKEN"]
        let path = file ?? env["L4BENCH_LAVA_CONFIG"] ?? defaultPath
        if url == nil || token == nil, FileManager.default.fileExists(atPath: path) {
            let values = try readFile(path)
            url = url ?? values["url"]
            token = token ?? values["token"]
        }
        guard let u = url, !u.isEmpty else {
            throw .configuration("no LAVA server: give --url, set L4BENCH_LAVA_URL, or write `url = ...` to \(path)")
        }
        guard u.hasPrefix("http://") || u.hasPrefix("https://") else {
            throw .configuration("the LAVA URL must start with http:// or https:// (got '\(u.prefix(80))')")
        }
        guard let t = token, !t.isEmpty else {
            throw .configuration("no LAVA token: set L4BENCH_LAVA_TOKEN or write `token = ...` to \(path) (mode 0600)")
        }
        guard t.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\u{7f}" && ($0.asciiValue ?? 0) >= 0x21 }) else {
            throw .configuration("the LAVA token holds spaces or control characters")
        }
        return LavaConfig(url: u, token: t)
    }

    /// `key = value` lines; `#` starts a comment. The file must not be readable by others.
    static func readFile(_ path: String) throws(LavaError) -> [String: String] {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .configuration("cannot read \(path): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .configuration("\(path) is not a regular file") }
        guard st.st_mode & 0o077 == 0 else {
            throw .configuration("\(path) holds a token but others may read it (mode \(String(st.st_mode & 0o777, radix: 8))): chmod 600 \(path)")
        }
        guard st.st_size < 65_536, let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else {
            throw .configuration("\(path) is not a small UTF-8 text file")
        }
        var out: [String: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let k = line[..<eq].trimmingCharacters(in: .whitespaces)
            let v = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            out[k] = v
        }
        return out
    }
}
