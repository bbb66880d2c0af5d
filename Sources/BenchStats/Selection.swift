/// Exact order statistics by selection: several ranks at once, without sorting.
///
/// A three-way partition keeps runs of equal values (cycle counts repeat a lot)
/// from degrading the selection; pivots are the median of three pseudo-random
/// elements.
public enum Selection {
    /// Reorders `a` so that every index in `ranks` holds the value it would hold
    /// if `a` were sorted ascending.
    @inlinable
    public static func select<T: Comparable>(_ a: UnsafeMutableBufferPointer<T>, ranks: [Int]) {
        let targets = Array(Set(ranks.filter { $0 >= 0 && $0 < a.count })).sorted()
        guard !targets.isEmpty, let base = a.baseAddress else { return }
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(a.count)
        targets.withUnsafeBufferPointer { t in
            selectRange(base, 0, a.count, t, 0, t.count, &rng)
        }
    }

    @inlinable
    static func selectRange<T: Comparable>(_ a: UnsafeMutablePointer<T>, _ lo0: Int, _ hi0: Int,
                                           _ t: UnsafeBufferPointer<Int>, _ ta0: Int, _ tb0: Int,
                                           _ rng: inout UInt64) {
        var lo = lo0, hi = hi0, ta = ta0, tb = tb0
        while ta < tb {
            let n = hi - lo
            if n <= 24 {
                insertionSort(a, lo, hi)
                return
            }
            // Median of three random elements.
            func r() -> Int {
                rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
                return lo + Int(rng % UInt64(n))
            }
            let x = a[r()], y = a[r()], z = a[r()]
            let pivot = max(min(x, y), min(max(x, y), z))
            // Three-way partition: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi) > pivot.
            var lt = lo, i = lo, gt = hi - 1
            while i <= gt {
                let v = a[i]
                if v < pivot {
                    a[i] = a[lt]; a[lt] = v; lt += 1; i += 1
                } else if pivot < v {
                    a[i] = a[gt]; a[gt] = v; gt -= 1
                } else {
                    i += 1
                }
            }
            // Targets below lt go left, above gt go right; those in between are done.
            var split1 = ta
            while split1 < tb && t[split1] < lt { split1 += 1 }
            var split2 = split1
            while split2 < tb && t[split2] <= gt { split2 += 1 }
            let leftCount = split1 - ta, rightCount = tb - split2
            if leftCount > 0 && rightCount > 0 {
                // Recurse into the smaller side, loop on the other.
                if lt - lo < hi - gt - 1 {
                    selectRange(a, lo, lt, t, ta, split1, &rng)
                    lo = gt + 1; ta = split2
                } else {
                    selectRange(a, gt + 1, hi, t, split2, tb, &rng)
                    hi = lt; tb = split1
                }
            } else if leftCount > 0 {
                hi = lt; tb = split1
            } else if rightCount > 0 {
                lo = gt + 1; ta = split2
            } else {
                return
            }
        }
    }

    @inlinable
    static func insertionSort<T: Comparable>(_ a: UnsafeMutablePointer<T>, _ lo: Int, _ hi: Int) {
        guard hi - lo > 1 else { return }
        for i in (lo + 1)..<hi {
            let v = a[i]
            var j = i - 1
            while j >= lo && v < a[j] { a[j + 1] = a[j]; j -= 1 }
            a[j + 1] = v
        }
    }
}
