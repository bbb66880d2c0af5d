import Foundation
@testable import BenchProfile

/// Tests/Fixtures/profile: tiny.S, its ELF file, a trace recorded from it under
/// qemu-x86_64 with the l4prof plugin, and a console log whose values are the
/// hand counts of tiny.S (scripts/profile-fixtures.sh makes them again).
enum Fixture {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/profile").path
    static var elf: String { dir + "/tiny.elf" }
    static var trace: String { dir + "/tiny.trace" }
    static var console: String { dir + "/tiny.console.log" }

    /// Symbol addresses of tiny.elf (as `nm` prints them).
    static let window: UInt64 = 0x401033, work: UInt64 = 0x40104b, other: UInt64 = 0x401050

    static func temp(_ name: String) -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("profile-tests-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d.appendingPathComponent(name).path
    }

    static func write(_ text: String, _ name: String) -> String {
        let p = temp(name)
        FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    /// tiny.elf with one byte of code changed at `vaddr` (a build that differs there).
    static func patchedELF(at vaddr: UInt64, name: String = "tiny.elf") throws -> ELFImage {
        var bytes = [UInt8](FileManager.default.contents(atPath: elf)!)
        let img = try ELFImage(bytes: bytes, path: elf, name: name)
        let seg = img.segments.first { vaddr >= $0.vaddr && vaddr - $0.vaddr < UInt64($0.fileSize) }!
        bytes[seg.fileOffset + Int(vaddr - seg.vaddr)] ^= 0x01
        return try ELFImage(bytes: bytes, path: "patched-" + name, name: name)
    }
}
