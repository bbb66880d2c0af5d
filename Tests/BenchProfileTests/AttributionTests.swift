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

    @Test func codePatchedAtBootGoesToTheOneFileHoldingItsAddress() throws {
        // Only `other` differs (as a kernel patches instructions at boot): the rest matches, the file
        // is accepted, and other's blocks go to it by address, counted as patched.
        let t = try BlockTrace.read(path: Fixture.trace)
        let a = try Attribution(trace: t, images: [try Fixture.patchedELF(at: Fixture.other + 1)])
        for (i, b) in t.blocks.enumerated() where b.vaddr >= Fixture.other {
            #expect(a.places[Int(a.blockPlace[i])] == Attribution.Place(program: "tiny.elf", function: "other"))
        }
        #expect(a.patched == 4 * 6)  // other's 4 instructions in each of the 6 windows
        #expect(a.unknown == 0)
    }

    @Test func codeOfTwoFilesRangesThatMatchesNeitherBelongsToNone() throws {
        // Two files cover the address and neither holds the bytes: no owner is guessed.
        let t = try BlockTrace.read(path: Fixture.trace)
        let a = try Attribution(trace: t, images: [try Fixture.patchedELF(at: Fixture.other + 1, name: "a.elf"),
                                                   try Fixture.patchedELF(at: Fixture.other + 1, name: "b.elf")])
        for (i, b) in t.blocks.enumerated() where b.vaddr >= Fixture.other {
            #expect(a.places[Int(a.blockPlace[i])] == Attribution.unknownUser)
        }
        #expect(a.unknown == 4 * 6 && a.patched == 0)
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
