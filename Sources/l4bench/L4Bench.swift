import ArgumentParser

@main
struct L4Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "l4bench",
        abstract: "IPC benchmarks for L4Re and Linux: run them, ingest results, report, compare, track history.",
        discussion: """
        Results travel in one CSV format (docs/results-format.md), also embedded in serial console logs.
        Exit codes: 0 ok, 2 regression found, 3 unreadable file, 4 benchmark pair failed, 10 malformed row,
        11 bad cycle count, 12 truncated, 13 missing or invalid metadata, 14 contradicting metadata,
        15 empty file, 16 two runs mixed, 17 binary garbage, 18 unsupported format version, 64 usage.
        """,
        subcommands: [RunCommand.self, Ingest.self, ReportCommand.self, Compare.self, History.self, Export.self, Baseline.self, StoreCommand.self, LavaCommand.self]
    )
}
