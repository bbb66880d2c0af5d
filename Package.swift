// swift-tools-version:6.0
import PackageDescription

/// Hot loops: no dynamic exclusivity checks (the parser and statistics own their buffers).
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "l4bench",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "l4bench", targets: ["l4bench"]),
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
        .target(name: "BenchReport", dependencies: ["BenchResults", "BenchStats"]),
        // The Results/ layout: run naming, per-machine baselines, history.
        .target(name: "BenchStore", dependencies: ["BenchResults"]),
        .executableTarget(name: "l4bench", dependencies: [
            "BenchResults", "BenchStats", "BenchReport", "BenchStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "BenchResultsTests", dependencies: ["BenchResults"]),
        .testTarget(name: "BenchStatsTests", dependencies: ["BenchStats"]),
        .testTarget(name: "BenchReportTests", dependencies: ["BenchReport", "BenchResults", "BenchStats", "BenchStore"]),
    ],
    swiftLanguageModes: [.v5]
)
