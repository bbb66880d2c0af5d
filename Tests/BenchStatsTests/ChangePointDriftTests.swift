import Foundation
import Testing
@testable import BenchStats

/// The audit's history scenario: runs whose level drifts slowly (AR(1), phi 0.8,
/// 3% marginal noise, 30 runs) must not show change points they do not have,
/// and a real step must still be found.
@Suite struct ChangePointDriftTests {
    static func ar1(_ n: Int, phi: Double, sd: Double, seed: UInt64, step: (at: Int, by: Double)? = nil) -> [Double] {
        var rng = SplitMix64(seed: seed)
        func normal() -> Double {
            let u1 = (Double(rng.next() >> 11) + 0.5) / Double(1 << 53), u2 = (Double(rng.next() >> 11) + 0.5) / Double(1 << 53)
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
        var x = sd * normal()
        var out: [Double] = []
        for i in 0..<n {
            if i > 0 { x = phi * x + sd * (1 - phi * phi).squareRoot() * normal() }
            out.append(1000 * exp(x + ((step.map { i >= $0.at } ?? false) ? log(1 + step!.by) : 0)))
        }
        return out
    }

    @Test func autocorrelatedDriftIsNotAChange() {
        var spurious = 0
        let reps = 400
        for seed in 1...reps where !ChangePoints.detect(Self.ar1(30, phi: 0.8, sd: 0.03, seed: UInt64(seed))).isEmpty { spurious += 1 }
        print("AR(1) phi 0.8, 3%, 30 runs: \(spurious) of \(reps) series with a spurious change point")
        #expect(Double(spurious) / Double(reps) <= 0.05, "\(spurious) of \(reps)")
    }

    @Test func aRealStepInDriftIsFound() {
        var found = 0
        let reps = 200
        for seed in 1...reps {
            let cps = ChangePoints.detect(Self.ar1(30, phi: 0.8, sd: 0.01, seed: UInt64(seed) + 9_000, step: (15, 0.10)))
            if cps.contains(where: { abs($0.index - 15) <= 1 && $0.change > 0.05 }) { found += 1 }
        }
        print("10% step in AR(1) drift (1%): found in \(found) of \(reps)")
        #expect(found >= reps * 8 / 10)
    }

    @Test func manyGroupsShareAlpha() {
        // 50 independent white-noise series searched as one family: at most about alpha of families see any change.
        var families = 0
        for f in 0..<40 {
            var any = false
            for g in 0..<50 where !ChangePoints.detect(Self.ar1(20, phi: 0, sd: 0.02, seed: UInt64(f * 100 + g + 1)), series: 50).isEmpty { any = true }
            if any { families += 1 }
        }
        #expect(families <= 3, "\(families) of 40 families")
    }
}
