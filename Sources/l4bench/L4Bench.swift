import ArgumentParser

@main
struct L4Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "l4bench",
        abstract: "IPC benchmarks for L4Re and Linux: run them, ingest results, report, compare, track history.",
        discussion: "Results travel in one CSV format (docs/results-format.md), also embedded in serial console logs.\n\n"
            + ExitCodes.helpText,
        subcommands: [
            RunCommand.self, Ingest.self, ReportCommand.self, Compare.self, History.self, Export.self, Baseline.self, StoreCommand.self, Explain.self,
            LavaCommand.self,
        ]
    )
}
