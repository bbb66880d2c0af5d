import CBenchSys

#if canImport(Glibc)
import Glibc
#endif

/// What the results metadata says about this machine and its clock.
public struct HostInfo: Sendable {
    public var cpuModel: String
    public var tscHz: UInt64
    /// How the TSC frequency was found: `cpuid` or `calibrated`.
    public var tscSource: String
    public var machine: String
    /// Median of an empty timed region, in TSC ticks.
    public var overheadCycles: UInt64
    public var compiler: String
    /// The kernel release (`uname -r`).
    public var kernel: String = "unknown"

    public static func probe() -> HostInfo {
        var model = [CChar](repeating: 0, count: 64)
        bench_cpu_model(&model)
        var hz = bench_tsc_hz_cpuid()
        var source = "cpuid"
        if hz == 0 {
            hz = bench_tsc_hz_calibrate(200)
            source = "calibrated against CLOCK_MONOTONIC_RAW over 200 ms"
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        var info = HostInfo(cpuModel: String(cString: model), tscHz: hz, tscSource: source,
                            machine: String(cString: host), overheadCycles: measureOverhead(),
                            compiler: String(cString: bench_cc_version()))
        var u = utsname()
        if uname(&u) == 0 {
            info.kernel = withUnsafeBytes(of: u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return info
    }

    /// The cost of the timing itself: the median of 10,000 empty timed regions.
    public static func measureOverhead() -> UInt64 {
        var v = [UInt64](repeating: 0, count: 10_000)
        for i in 0..<1_000 { let t0 = bench_tsc_begin(); v[i] = bench_tsc_end() &- t0 }
        for i in v.indices { let t0 = bench_tsc_begin(); v[i] = bench_tsc_end() &- t0 }
        v.sort()
        return v[v.count / 2]
    }
}
