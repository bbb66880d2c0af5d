/// What the Demo interface of the example pairs computes
/// (`Bench/l4re/pkg/l4swift/include/demo.h`; its marshalling is generated
/// from that header by l4swift-gen). Pure Swift, so the host tests check it.
public enum DemoInterface {
    /// What `mix` computes (wrapping, as C++ on amd64 does).
    public static func mix(_ a: Int32, _ b: UInt64, _ c: Int8) -> Int64 {
        Int64(a) &* Int64(bitPattern: b) &+ Int64(c)
    }

    /// 32-bit FNV-1a, what `measure` returns with the length.
    public static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h
    }
}
