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

    @Test func aSmallDifferenceIsNeverMisattributed() throws {
        // Only `other` differs: the rest still matches, and other's blocks belong to no function.
        let t = try BlockTrace.read(path: Fixture.trace)
        let a = try Attribution(trace: t, images: [try Fixture.patchedELF(at: Fixture.other + 1)])
        for (i, b) in t.blocks.enumerated() where b.vaddr >= Fixture.other {
            #expect(a.places[Int(a.blockPlace[i])] == Attribution.unknownUser)
        }
        #expect(a.unknown == 4 * 6)  // other's 4 instructions in each of the 6 windows
    }

    @Test func programsAtTheSameAddressAreToldApartByTheirBytes() throws {
        // Two programs linked at the same address: the one holding the block's bytes owns it.
        let t = try BlockTrace.read(path: Fixture.trace)
        let twin = try Fixture.patchedELF(at: Fixture.other + 1, name: "twin.elf")
        let a = try Attribution(trace: t, images: [twin, try ELFImage(path: Fixture.elf)])
        for (i, b) in t.blocks.enumerated() {
            let p = a.places[Int(a.blockPlace[i])].program
            #expect(p == (b.vaddr >= Fixture.other ? "tiny.elf" : "twin.elf"))
        }
        // Code both hold alike is counted as ambiguous, and goes to the first.
        #expect(a.ambiguous > 0)
        #expect(a.unknown == 0)
    }
}
