import LinuxBench
import Testing

/// How many samples each job of the standard plans gets in a round.
@Suite struct SuitePlanTests {
    func memfdSamples(_ plan: SuitePlan) -> [UInt64: UInt32] {
        Dictionary(uniqueKeysWithValues: plan.jobs.filter { $0.kind == .memfd }.map { ($0.bytes, $0.samples) })
    }

    @Test func theQuickSuitesLargestDataspaceGetsEnoughSamplesForItsMedian() {
        let quick = memfdSamples(SuitePlan.standard(full: false))
        #expect(quick == [4 << 10: 50, 64 << 10: 50, 1 << 20: 32])
        // Fewer samples asked for: never more for the large job than for the small ones.
        let few = memfdSamples(SuitePlan.standard(full: false, samples: 10))
        #expect(few[1 << 20] == 10 && few[4 << 10] == 10)
        // --full scales by size (1,000 samples of the small jobs), never under 5.
        let full = memfdSamples(SuitePlan.standard(full: true))
        #expect(full[1 << 20] == 62 && full[16 << 20] == 5)
    }
}
