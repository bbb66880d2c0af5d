import Foundation
import Testing
@testable import BenchProfile

@Suite struct ELFImageTests {
    @Test func functionsAndIdentity() throws {
        let img = try ELFImage(path: Fixture.elf)
        #expect(img.name == "tiny.elf")
        #expect(img.identity.hasPrefix("build-id:") && img.identity.count == "build-id:".count + 40)
        #expect(img.function(at: Fixture.window) == "window")
        #expect(img.function(at: Fixture.work + 2) == "work")
        #expect(img.function(at: Fixture.other + 3) == "other")
        // Past the end of `other` (size 4) no function holds the address.
        #expect(img.function(at: Fixture.other + 4) == nil)
        #expect(img.covers(Fixture.work))
        #expect(!img.covers(0x1000))
    }

    @Test func blockBytesHashLikeThePlugin() throws {
        // The plugin hashed the loop of `work` (dec; jnz: 4 bytes) when QEMU translated it.
        let img = try ELFImage(path: Fixture.elf)
        let trace = try BlockTrace.read(path: Fixture.trace)
        let loop = try #require(trace.blocks.first { $0.vaddr == Fixture.work })
        #expect(loop.bytes == 4 && loop.instructions == 2)
        #expect(img.hash(at: loop.vaddr, count: Int(loop.bytes)) == loop.hash)
        for b in trace.blocks { #expect(img.hash(at: b.vaddr, count: Int(b.bytes)) == b.hash) }
        // Past the end of the loaded bytes there is nothing to hash.
        #expect(img.hash(at: Fixture.other, count: 1 << 20) == nil)
    }

    @Test func rejectsWhatIsNotAnELF() {
        #expect(throws: ProfileError.badELF(file: "x", why: "no ELF magic")) { try ELFImage(bytes: Array("#!/bin/sh\n".utf8) + [UInt8](repeating: 0, count: 64), path: "x", name: "x") }
        var elf32 = [UInt8](repeating: 0, count: 64)
        elf32[0...5] = [0x7F, 0x45, 0x4C, 0x46, 1, 1]
        #expect(throws: ProfileError.badELF(file: "y", why: "not a 64-bit ELF (class 1)")) { try ELFImage(bytes: elf32, path: "y", name: "y") }
        // Section headers pointing past the end of the file.
        var bytes = [UInt8](FileManager.default.contents(atPath: Fixture.elf)!)
        bytes[40...47] = [0xF0, 0xFF, 0xFF, 0x0F, 0, 0, 0, 0]
        #expect(throws: ProfileError.badELF(file: "z", why: "section headers out of bounds")) { try ELFImage(bytes: bytes, path: "z", name: "z") }
        #expect(throws: ProfileError.self) { try ELFImage(path: "/nonexistent/elf") }
    }
}
