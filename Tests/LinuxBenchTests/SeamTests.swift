import CBenchSys
import Testing

/// The C seam itself, in one process: fd passing and shared pages.
@Suite struct SeamTests {
    @Test func passedDescriptorIsUsable() throws {
        var sv: [Int32] = [-1, -1]
        #expect(bench_socketpair(&sv) == 0)
        defer { _ = bench_close(sv[0]); _ = bench_close(sv[1]) }
        let fd = bench_memfd("seam-test", 4096)
        #expect(fd >= 0)
        #expect(bench_pwrite_word(fd, 0xfeed_beef) == 0)
        var byte: UInt8 = 7
        #expect(bench_send_fd(sv[0], fd, &byte, 1) == 1)
        _ = bench_close(fd)  // the receiver's copy must outlive the sender's
        var got: Int32 = -1
        var data: UInt8 = 0
        #expect(bench_recv_fd(sv[1], &got, &data, 1) == 1)
        #expect(data == 7)
        #expect(got >= 0 && got != fd || got >= 0)
        var word: UInt64 = 0
        #expect(bench_pread_word(got, &word) == 0)
        #expect(word == 0xfeed_beef)
        #expect(bench_close(got) == 0)
        #expect(bench_fd_valid(got) == 0)
    }

    @Test func sharedPagesHoldWhatWasWritten() throws {
        let size = 16 * 4096
        let fd = bench_memfd("seam-pages", size)
        #expect(fd >= 0)
        defer { _ = bench_close(fd) }
        let a = try #require(bench_map_shared(fd, size)).assumingMemoryBound(to: UInt64.self)
        var expect: UInt64 = 0
        for pg in 0..<16 { a[pg * 512] = UInt64(pg * 1000 + 1); expect += UInt64(pg * 1000 + 1) }
        // A second, independent mapping sees the same pages.
        let b = try #require(bench_map_shared(fd, size))
        #expect(bench_touch_pages(b, size) == expect)
        #expect(bench_unmap(a, size) == 0)
        #expect(bench_unmap(b, size) == 0)
    }

    @Test func tscAdvances() {
        let t0 = bench_tsc_begin()
        bench_sleep_us(1000)
        let t1 = bench_tsc_end()
        #expect(t1 > t0)
        #expect(bench_tsc_hz_calibrate(20) > 100_000_000)
    }
}
