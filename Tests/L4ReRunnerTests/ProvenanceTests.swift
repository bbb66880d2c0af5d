import Foundation
import TestSupport
import Testing
@testable import L4ReRunner

@Suite struct ProvenanceTests {
    func sh(_ cmd: String, in dir: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", cmd]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try! p.run()
        p.waitUntilExit()
    }

    /// A stand-in build: an L4Re source tree and a Fiasco source tree as git
    /// checkouts, a Fiasco build directory that names its source, two configurations.
    @Test func recordsCommitsDirtinessAndConfigurations() throws {
        let dir = try TemporaryDirectory("l4b-prov")
        defer { dir.remove() }
        let root = dir.path
        let fm = FileManager.default
        for d in ["l4src/pkg/l4re-core", "fiasco/src", "obj-l4", "obj-fiasco"] {
            try fm.createDirectory(atPath: "\(root)/\(d)", withIntermediateDirectories: true)
        }
        let git = "git -c user.email=t@t -c user.name=t"
        for repo in ["l4src", "l4src/pkg/l4re-core", "fiasco"] {
            sh("git init -q . && echo a > f && \(git) add f && \(git) commit -qm init", in: "\(root)/\(repo)")
        }
        sh("echo changed > f", in: "\(root)/l4src/pkg/l4re-core")
        try fm.createSymbolicLink(atPath: "\(root)/obj-l4/source", withDestinationPath: "\(root)/l4src")
        try "CONFIG_BUILD_ARCH_amd64=y\n".write(toFile: "\(root)/obj-l4/.kconfig", atomically: true, encoding: .utf8)
        try "srcdir  := \(root)/fiasco/src\n".write(toFile: "\(root)/obj-fiasco/Makefile", atomically: true, encoding: .utf8)
        try "CONFIG_KERNEL_ISOLATION=y\n# CONFIG_JDB is not set\nCONFIG_MP_MAX_CPUS=16\n"
            .write(toFile: "\(root)/obj-fiasco/globalconfig.out", atomically: true, encoding: .utf8)

        let m = Dictionary(
            L4ReProvenance(build: L4ReBuild(unchecked: "\(root)/obj-l4", fiascoObj: "\(root)/obj-fiasco"))
                .metadata(qemu: false), uniquingKeysWith: { a, _ in a })
        #expect(m["l4re_commit"]?.contains("l4src ") == true && m["l4re_commit"]?.contains("; l4re-core ") == true)
        #expect(m["l4re_dirty"] == "yes: l4re-core")
        #expect(m["fiasco_commit"]?.hasPrefix("fiasco ") == true)
        #expect(m["fiasco_dirty"] == "no")
        #expect(m["fiasco_kernel_isolation"] == "y")
        #expect(m["fiasco_jdb"] == "n")
        #expect(m["fiasco_mp_max_cpus"] == "16")
        #expect(m["fiasco_config_sha256"]?.count == 16)
        #expect(m["l4re_config_sha256"]?.count == 16)
        #expect(m["qemu_version"] == nil)
    }
}
