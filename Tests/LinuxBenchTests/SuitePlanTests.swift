import LinuxBench
import Testing

/// Which dataspace sizes the standard plans measure and how many samples each gets.
@Suite struct SuitePlanTests {
    func memfdSamples(_ plan: SuitePlan) -> [UInt64: UInt32] {
        Dictionary(uniqueKeysWithValues: plan.jobs.filter { $0.kind == .memfd }.map { ($0.bytes, $0.samples) })
    }

    @Test func theQuickSuiteSharesSmallDataspacesAndFullAddsTheLargeOnes() {
        // Quick: 4 and 64 KiB, 50 samples each (1 MiB's own per-round noise kept its headline from settling).
        let quick: [UInt64: UInt32] = [4096: 50, 65536: 50]
        #expect(memfdSamples(SuitePlan.standard(full: false)) == quick)
        // --full: 256 KiB to 16 MiB as well, fewer samples the larger, never under 5.
        let full = memfdSamples(SuitePlan.standard(full: true))
        let want: [UInt64: UInt32] = [4096: 1000, 65536: 1000, 262_144: 250, 1_048_576: 62, 4_194_304: 15, 16_777_216: 5]
        #expect(full == want)
    }
}
