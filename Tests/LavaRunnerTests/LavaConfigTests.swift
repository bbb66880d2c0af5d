import Foundation
import Testing
@testable import LavaRunner

@Suite struct LavaConfigTests {
    func file(_ text: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("l4b-lava-\(getpid())-\(UUID().uuidString).conf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode_t(mode))
        return path
    }

    @Test func theEnvironmentFirst() throws {
        let c = try LavaConfig.load(url: nil, file: "/nonexistent", environment: ["L4BENCH_LAVA_URL": "http://lab:80/", "L4BENCH_LAVA_TOKEN": "abc"])
        #expect(c.url == "http://lab:80" && c.token == "abc")
        #expect(!c.description.contains("abc"))
    }

    @Test func aPrivateFile() throws {
        let p = try file("# lab\nurl = https://lava.example\ntoken = s3cr3t\n", mode: 0o600)
        defer { unlink(p) }
        let c = try LavaConfig.load(url: nil, file: p, environment: [:])
        #expect(c.url == "https://lava.example" && c.token == "s3cr3t")
    }

    @Test func aFileOthersMayReadIsRefused() throws {
        let p = try file("url = https://lava.example\ntoken = s3cr3t\n", mode: 0o644)
        defer { unlink(p) }
        #expect {
            try LavaConfig.load(url: nil, file: p, environment: [:])
        } throws: { e in
            let d = "\(e)"
            return d.contains("others may read it") && d.contains("chmod 600") && !d.contains("s3cr3t") && (e as? LavaError)?.exitCode == 64
        }
    }

    @Test func missingPieces() {
        #expect { try LavaConfig.load(url: nil, file: "/nonexistent", environment: ["L4BENCH_LAVA_TOKEN": "t"]) } throws: { "\($0)".contains("no LAVA server") }
        #expect { try LavaConfig.load(url: "http://x", file: "/nonexistent", environment: [:]) } throws: { "\($0)".contains("no LAVA token") }
        #expect { try LavaConfig.load(url: "ftp://x", file: "/nonexistent", environment: ["L4BENCH_LAVA_TOKEN": "t"]) } throws: { "\($0)".contains("http://") }
        #expect { try LavaConfig.load(url: "http://x", file: "/nonexistent", environment: ["L4BENCH_LAVA_TOKEN": "a b"]) } throws: { "\($0)".contains("control") }
    }
}
