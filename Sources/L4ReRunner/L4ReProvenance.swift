import Foundation

/// What a run's environment was, recorded as metadata so that `compare` can say
/// why a whole run moved: the L4Re and Fiasco source commits (and whether the
/// trees had changes), hashes of the kernel and L4Re configurations, the kernel
/// options that move every figure, QEMU's version and the compilers BID used.
public struct L4ReProvenance: Sendable {
    /// The build whose sources and configurations are recorded.
    public var build: L4ReBuild

    /// The provenance of `build`.
    public init(build: L4ReBuild) { self.build = build }

    /// Metadata keys and values; a value that cannot be found says so.
    public func metadata(qemu: Bool) -> [(String, String)] {
        var m: [(String, String)] = []
        let l4src = (try? FileManager.default.destinationOfSymbolicLink(atPath: build.sourceDir)) ?? build.sourceDir
        let (l4c, l4d) = Self.commits(of: [l4src] + Self.subRepos(of: "\(l4src)/pkg"))
        m.append(("l4re_commit", l4c))
        m.append(("l4re_dirty", l4d))
        if let fsrc = Self.fiascoSource(build.fiascoObj) {
            let (fc, fd) = Self.commits(of: [fsrc])
            m.append(("fiasco_commit", fc))
            m.append(("fiasco_dirty", fd))
        } else {
            m.append(("fiasco_commit", "unknown (no srcdir in \(build.fiascoObj)/Makefile)"))
        }
        let kcfg = "\(build.fiascoObj)/globalconfig.out"
        m.append(("fiasco_config_sha256", Self.sha256(kcfg) ?? "unknown (no \(kcfg))"))
        for opt in ["CONFIG_KERNEL_ISOLATION", "CONFIG_JDB", "CONFIG_MP_MAX_CPUS"] {
            m.append(("fiasco_" + opt.dropFirst("CONFIG_".count).lowercased(), Self.configValue(kcfg, opt)))
        }
        m.append(("l4re_config_sha256", Self.sha256("\(build.l4reObj)/.kconfig") ?? "unknown (no \(build.l4reObj)/.kconfig)"))
        m.append(("bid_cc", Self.firstLine(["gcc", "--version"]) ?? "unknown"))
        m.append(("bid_cxx", Self.firstLine(["g++", "--version"]) ?? "unknown"))
        if qemu { m.append(("qemu_version", Self.firstLine([QemuBoot.qemuBinary, "--version"]) ?? "unknown")) }
        return m
    }

    /// Git repositories directly under `dir` (the packages of an L4Re tree).
    static func subRepos(of dir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.sorted().map { "\(dir)/\($0)" }.filter { FileManager.default.fileExists(atPath: "\($0)/.git") }
    }

    /// `name commit` for each repository, and whether any has uncommitted changes.
    static func commits(of repos: [String]) -> (String, String) {
        var parts: [String] = []
        var dirty: [String] = []
        for r in repos {
            guard let c = capture(["git", "-C", r, "rev-parse", "--short=12", "HEAD"]) else { continue }
            let name = (r as NSString).lastPathComponent
            parts.append("\(name) \(c)")
            if let s = capture(["git", "-C", r, "status", "--porcelain", "--untracked-files=no"]), !s.isEmpty { dirty.append(name) }
        }
        if parts.isEmpty { return ("unknown (not a git checkout)", "unknown") }
        return (parts.joined(separator: "; "), dirty.isEmpty ? "no" : "yes: " + dirty.joined(separator: ", "))
    }

    /// Fiasco's source directory from its build directory's Makefile (`srcdir := …/src`).
    static func fiascoSource(_ obj: String) -> String? {
        guard let text = try? String(contentsOfFile: "\(obj)/Makefile", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("srcdir") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let path = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            return (path as NSString).deletingLastPathComponent
        }
        return nil
    }

    static func configValue(_ file: String, _ key: String) -> String {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") {
            if line.hasPrefix(key + "=") { return String(line.dropFirst(key.count + 1)).replacingOccurrences(of: "\"", with: "") }
            if line == "# \(key) is not set" { return "n" }
        }
        return "n"
    }

    static func sha256(_ file: String) -> String? {
        guard FileManager.default.fileExists(atPath: file), let out = capture(["sha256sum", file]) else { return nil }
        return out.split(separator: " ").first.map { String($0.prefix(16)) }
    }

    static func firstLine(_ args: [String]) -> String? {
        capture(args)?.split(separator: "\n").first.map(String.init)
    }

    /// The trimmed standard output of a command (looked up in PATH), or nil when it fails.
    public static func capture(_ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
