/// What the L4Re benchmark suite adds to its interface
/// (`Bench/l4re/pkg/l4swift/include/bench.h`, whose RPCs l4swift-gen turns
/// into `Bench.Client` and `Bench.Server`): the raw `ipc.roundtrip` label and
/// the words the benchmarks put in.
public enum BenchInterface {
    /// Raw `ipc.roundtrip`: N words in, their sum back (one word when N > 0).
    public static let rawLabel = 0x5311

    /// Words an `ipc.rpc` request takes for `n` payload words: opcode, array length, the words.
    public static func pingRequestWords(_ n: Int) -> Int { n + 2 }
    /// The most payload words a ping carries.
    public static let maxPingWords = UtcbLayout.mrWords - 2

    /// The word the client writes at the start of page `page` in iteration `it`,
    /// which the server's touch sums.
    @inline(__always)
    public static func pageWord(iteration it: Int, page: Int) -> UInt64 { (UInt64(it) << 32) &+ UInt64(page) &+ 1 }
}
