import Foundation
import Testing
@testable import BenchProfile

@Suite struct AttributionTests {
    @Test func everyBlockBelongsToItsFunction() throws {
        let t = try BlockTrace.read(path: Fixture.trace)
        let a = try Attribution(trace: t, images: [try ELFImage(path: Fixture.elf)])
        #expect(a.unknown == 0 && a.ambiguous == 0)
        for (i, b) in t.blocks.enumerated() {
            let place = a.places[Int(a.blockPlace[i])]
            let want = b.vaddr >= Fixture.other ? "other" : b.vaddr >= Fixture.work ? "work" : b.vaddr >= Fixture.window ? "window" : "_start"
            #expect(place == Attribution.Place(program: "tiny.elf", function: want))
        }
    }

    @Test func anotherBuildIsRefused() throws {
        // A build whose `work` differs: most executed code in its range is not its bytes.
        let t = try BlockTrace.read(path: Fixture.trace)
        let other = try Fixture.patchedELF(at: Fixture.work + 1)
        #expect(throws: ProfileError.self) { try Attribution(trace: t, images: [other]) }
        do { _ = try Attribution(trace: t, images: [other]) } catch {
            #expect(error.exitCode == 41)
            #expect(error.description.contains("tiny.elf: the ELF file is not the booted binary"))
        }
    }

    @Test func aProgramDifferingInOneFunctionIsRefused() throws {
        // Only `other` (4 of 29 or 209 instructions a window) differs: a program's code is loaded as
        // it is, so any difference is another build, and its symbols could name the wrong function.
        let t = try BlockTrace.read(path: Fixture.trace)
        #expect(throws: ProfileError.mismatch(program: "tiny.elf", why: "24 executed instructions in its address range are not its bytes, 743 are (build-id:2e8b6d5aa5b2ecd09f39338d7f85cf49fa1842d1, patched-tiny.elf)")) {
            try Attribution(trace: t, images: [try Fixture.patchedELF(at: Fixture.other + 1)])
        }
    }

    @Test func aPositionIndependentProgramIsFoundWhereItWasLoaded() throws {
        // tiny.S linked as static PIE at 0, loaded by qemu-x86_64 at 0x4000000000.
        let t = try BlockTrace.read(path: Fixture.dir + "/tiny-pie.trace")
        let img = try ELFImage(path: Fixture.dir + "/tiny-pie.elf")
        #expect(img.relocatable)
        let a = try Attribution(trace: t, images: [img, try ELFImage(path: Fixture.elf)])
        #expect(a.biases[0] == [0x40_0000_0000] && a.biases[1] == [0])
        #expect(a.unknown == 0 && a.ambiguous == 0)
        let names = Set(t.blocks.indices.map { a.places[Int(a.blockPlace[$0])] })
        #expect(names == Set(["_start", "window", "work", "other"].map { Attribution.Place(program: "tiny-pie.elf", function: $0) }))
    }

    @Test func programsAtTheSameAddressAreToldApartByTheirBytesAndPages() throws {
        // Two programs linked at the same address, alike but for `other`: the blocks only tiny.elf
        // holds make it the owner of their physical page, and the code both hold alike on that
        // page is tiny.elf's too.
        let t = try BlockTrace.read(path: Fixture.trace)
        let twin = try Fixture.patchedELF(at: Fixture.other + 1, name: "twin.elf")
        let a = try Attribution(trace: t, images: [twin, try ELFImage(path: Fixture.elf)])
        for i in t.blocks.indices { #expect(a.places[Int(a.blockPlace[i])].program == "tiny.elf") }
        #expect(a.ambiguous == 0 && a.unknown == 0)
    }

    @Test func codeTwoProgramsHoldAlikeOnAPageOfNoOwnerIsCountedAmbiguous() throws {
        // The same trace, each block but other's on a page of its own: nothing decides, the first file
        // takes the shared blocks and they are counted as ambiguous.
        let lines = try String(contentsOfFile: Fixture.trace, encoding: .utf8).split(separator: "\n").map { l -> String in
            var f = l.split(separator: " ").map(String.init)
            if f.first == "T", let va = UInt64(f[2].dropFirst(2), radix: 16), va < Fixture.other {
                f[6] = "0x" + String(0x90_0000 + UInt64(f[1])! * 0x1000, radix: 16)
            }
            return f.joined(separator: " ")
        }
        let t = try BlockTrace.read(path: Fixture.write(lines.joined(separator: "\n") + "\n", "pages.trace"))
        let twin = try Fixture.patchedELF(at: Fixture.other + 1, name: "twin.elf")
        let a = try Attribution(trace: t, images: [twin, try ELFImage(path: Fixture.elf)])
        for (i, b) in t.blocks.enumerated() {
            #expect(a.places[Int(a.blockPlace[i])].program == (b.vaddr >= Fixture.other ? "tiny.elf" : "twin.elf"))
        }
        let total = t.counts.reduce(0) { $0 + $1.instructions }
        #expect(a.ambiguous == total - 4 * 6)
    }
}
