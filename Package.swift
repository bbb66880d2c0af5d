// swift-tools-version:6.0
import PackageDescription

/// Hot loops: no dynamic exclusivity checks (the parser and statistics own their buffers).
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
/// Benchmark peers are optimized in every build configuration, so that a debug
/// `swift run` measures the same code as a release build (C++ and Swift alike).
let peerSwift: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]
let peerC: [CSetting] = [.unsafeFlags(["-O2"])]
let peerCxx: [CXXSetting] = [.unsafeFlags(["-O2"])]

/// The Linux backend (LinuxBench, its C seam and the peers) goes into l4bench on
/// Linux only; `L4BENCH_PORTABLE=1` leaves it out there too (CI builds that way,
/// to check that report, compare, history, export and ingest build without it).
let portable = Context.environment["L4BENCH_PORTABLE"] == "1"
let linuxBackend: [Target.Dependency] = portable ? [] : ["LinuxBench", "bench-peer-swift", "bench-peer-cpp", "bench-raw"].map {
    .target(name: $0, condition: .when(platforms: [.linux]))
}
let linuxDefine: [SwiftSetting] = portable ? [] : [.define("L4BENCH_LINUX", .when(platforms: [.linux]))]

let package = Package(
    name: "l4bench",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "l4bench", targets: ["l4bench"]),
        .executable(name: "l4swift-gen", targets: ["l4swift-gen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Results format v1: types, streaming byte-level parser, writer, console-log extraction.
        .target(name: "BenchResults", swiftSettings: fast),
        // Quantiles, MAD, median CI, ratio CI, Mann-Whitney U, regression rule.
        .target(name: "BenchStats", swiftSettings: fast),
        // Terminal, Markdown, HTML+SVG, Google Benchmark JSON.
        .target(name: "BenchReport", dependencies: ["BenchResults", "BenchStats", "BenchStore"]),
        // The Results/ layout: run naming, per-machine baselines, history.
        .target(name: "BenchStore", dependencies: ["BenchResults", "BenchStats"]),
        // L4Re's C++ RPC wire format in pure Swift: host-tested here, compiled as sources into the
        // Embedded Swift programs on L4Re (Bench/l4re).
        .target(name: "L4Wire", swiftSettings: fast),
        // The Swift side of an L4Re interface from its C++ header (L4_INLINE_RPC): the parser and the emitter.
        .target(name: "L4IfaceGen"),
        .executableTarget(name: "l4swift-gen", dependencies: ["L4IfaceGen"]),
        // The one seam to the kernel for the Linux backend: TSC, futex, affinity, memfd, fd passing,
        // child processes; and the protocol layout the runner and all peers share.
        .target(name: "CBenchSys", cSettings: peerC),
        // NUMA placement: libnuma loaded at run time, mbind(2) and sysfs when it is absent.
        .target(name: "CNuma", linkerSettings: [.linkedLibrary("dl")]),
        // The Linux runner: suite plan, placement, peers, interleaved rounds, time limits.
        .target(name: "LinuxBench", dependencies: ["BenchResults", "BenchStats", "CBenchSys", "CNuma", "OwnedProcess"]),
        // A child process owned by PID and process group: deadline, TERM then KILL, interruption.
        .target(name: "OwnedProcess"),
        // The L4Re runner: package build against an existing L4Re build, ned script, QEMU boots.
        // The L4Re suite's peer protocol (one C header: the programs on L4Re include it too).
        .target(name: "CL4BenchProto"),
        .target(name: "L4ReRunner", dependencies: ["BenchResults", "BenchStats", "BenchStore", "OwnedProcess", "CL4BenchProto"]),
        // The suite as LAVA jobs: job definitions, the REST client, following jobs, their logs into one run.
        .target(name: "LavaRunner", dependencies: ["BenchResults"]),
        // Benchmark peers: the same protocol in Swift, C++ and (futex only) raw C.
        .executableTarget(name: "bench-peer-swift", dependencies: ["CBenchSys"], swiftSettings: peerSwift),
        .executableTarget(name: "bench-peer-cpp", dependencies: ["CBenchSys"], cxxSettings: peerCxx),
        .executableTarget(name: "bench-raw", dependencies: ["CBenchSys"], cSettings: peerC),
        // Instruction profiles of benchmark blocks (QEMU plugin traces, ELF symbols, differences by function).
        .target(name: "BenchProfile", dependencies: ["OwnedProcess"]),
        .executableTarget(name: "l4bench", dependencies: [
            "BenchResults", "BenchStats", "BenchReport", "BenchStore", "L4ReRunner", "LavaRunner", "OwnedProcess", "BenchProfile",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ] + linuxBackend, swiftSettings: linuxDefine),
        // What tests share: a temporary directory of their own.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "BenchResultsTests", dependencies: ["BenchResults"]),
        .testTarget(name: "BenchStatsTests", dependencies: ["BenchStats"]),
        // Runs l4swift-gen over the example and benchmark headers for the host tests.
        .plugin(name: "L4IfacePlugin", capability: .buildTool(), dependencies: ["l4swift-gen"]),
        .testTarget(name: "L4WireTests", dependencies: ["L4Wire"], plugins: ["L4IfacePlugin"]),
        // L4Swift's requests to L4Re's services (Sources/L4Swift/Services) on the host, over clients generated
        // from a stand-in of L4Re's headers, checked byte for byte against L4Re's C++ (Tests/Fixtures/l4re-requests).
        .target(name: "L4SwiftServices", dependencies: ["L4Wire"], path: "Sources/L4Swift/Services", plugins: ["L4IfacePlugin"]),
        .testTarget(name: "L4SwiftServicesTests", dependencies: ["L4SwiftServices", "L4Wire"]),
        // (l4swift-gen itself is built for the plugin of L4WireTests; the command tests run that binary)
        .testTarget(name: "L4IfaceGenTests", dependencies: ["L4IfaceGen"]),
        .testTarget(name: "LavaRunnerTests", dependencies: ["LavaRunner", "BenchResults", "l4bench", "TestSupport"]),
        .testTarget(name: "L4ReRunnerTests", dependencies: ["L4ReRunner", "OwnedProcess", "BenchResults", "TestSupport", "CL4BenchProto"]),
        .testTarget(name: "LinuxBenchTests", dependencies: ["LinuxBench", "BenchResults", "CBenchSys",
                                                            "bench-peer-swift", "bench-peer-cpp", "bench-raw"]),
        .testTarget(name: "BenchProfileTests", dependencies: ["BenchProfile"]),
        // Runs the built l4bench: output and exit codes of report, compare and ingest.
        .testTarget(name: "CLITests", dependencies: ["l4bench", "L4ReRunner", "TestSupport"]),
        .testTarget(name: "BenchReportTests", dependencies: ["BenchReport", "BenchResults", "BenchStats", "BenchStore"]),
    ],
    swiftLanguageModes: [.v5]
)
