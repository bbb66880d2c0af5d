import ArgumentParser
import BenchResults
import BenchStore
import Foundation

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a serial console log or a results CSV into a clean results file.",
        discussion: """
        Lines holding the results prefix (L4B1,) are kept, from the prefix on, whatever the console put \
        before them; everything else is dropped. When the input stops at a fault, the rows before it are \
        written, followed by an `incomplete` metadata line naming the fault and an end line, and the exit \
        code names the fault.
        """)

    @Argument(help: "Serial log or results CSV ('-' for standard input).")
    var input: String

    @Option(name: .shortAndLong, help: "Write the clean results file here (default: standard output).")
    var output: String?

    @Flag(help: "Store the run under the results directory, named by date, commit and machine.")
    var store = false

    @Option(help: "Results directory for --store.")
    var results = "Results"

    @OptionGroup var inputOptions: InputOptions

    func run() throws {
        let (outcome, text) = ResultsCleaner.clean(path: input, lenient: inputOptions.lenient)
        if let f = outcome.fault, case .unreadable = f.reason { throw ExitCode(f.exitCode).withMessage(f.description) }
        if let f = outcome.fault { Console.error("\(f)") }
        if outcome.skippedCount > 0 {
            Console.error("skipped \(outcome.skippedCount) bad line(s) (--lenient)")
            for e in outcome.skipped.prefix(5) { Console.error("  skipped \(e)") }
        }
        if outcome.garbageLines > 0 { Console.error("ignored \(outcome.garbageLines) console line(s) with binary garbage") }
        let run = outcome.run
        guard !run.id.isEmpty else {
            throw ExitCode(outcome.fault?.exitCode ?? ExitCode.emptyInput.rawValue).withMessage("no run in \(input): nothing written")
        }
        let missing = ResultsCleaner.missingMetadata(run)
        guard missing.isEmpty else {
            // A run cut short by a fault lacks what came after it: the fault's code names the cause.
            throw ExitCode(outcome.fault?.exitCode ?? ExitCode.missingMetadata.rawValue).withMessage(
                "run '\(run.id)' in \(input) lacks metadata (\(missing.joined(separator: ", "))): nothing written, as nothing could read it back")
        }
        if let output {
            try writeFile(text, output)
            Console.error("wrote \(run.sampleCount) samples in \(run.groups.count) groups to \(output)")
        } else if !store {
            Console.out(text)
        }
        if store {
            do {
                // The clean run, re-read so that the store keeps exactly what was written.
                let clean = ResultsParser.parse(bytes: Array(text.utf8), source: input)
                let path = try ResultsStore(root: results).store(clean.run, log: input == "-" ? nil : input)
                Console.error("stored \(run.sampleCount) samples as \(path)")
            } catch { throw ExitCode.fileOrTool.withMessage("\(error)") }
        }
        try finish(outcome)
    }
}
