import ArgumentParser
import BenchResults
import BenchReport
import BenchStore
import Foundation

/// Options every command that reads a results file shares.
struct InputOptions: ParsableArguments {
    @Flag(help: "Skip bad rows and report how many were skipped, instead of stopping at the first.")
    var lenient = false

    @Option(help: "Parser threads for large files.")
    var threads = 2

    var parse: ParseOptions { ParseOptions(lenient: lenient, threads: threads) }
}

enum Console {
    static func error(_ s: String) {
        FileHandle.standardError.write(Data(("l4bench: " + clean(s) + "\n").utf8))
    }

    /// Text safe for a terminal: control characters (ESC, backspace, CR, OSC…)
    /// are shown as escapes, newlines and tabs kept.
    static func clean(_ s: String) -> String { terminalSafe(s) }
    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data(terminalSafe(s).utf8))
    }
}

/// Reads a results file; a fault is printed to stderr and kept for the exit code.
func load(_ path: String, _ options: InputOptions) throws -> ParseOutcome {
    let outcome = ResultsParser.parse(path: path, options: options.parse)
    if let f = outcome.fault {
        if case .unreadable = f.reason { throw ExitCode(f.exitCode).withMessage(f.description) }
        Console.error("\(f)")
        if outcome.run.sampleCount > 0 { Console.error("kept \(outcome.run.sampleCount) samples read before the fault") }
    }
    if outcome.skippedCount > 0 {
        Console.error("skipped \(outcome.skippedCount) bad line(s) (--lenient)")
        for e in outcome.skipped.prefix(5) { Console.error("  skipped \(e)") }
    }
    return outcome
}

/// Exits with the fault's code once the output is written.
func finish(_ outcome: ParseOutcome) throws {
    if let f = outcome.fault { throw ExitCode(f.exitCode) }
}

/// Writes an output file; `followLinks: false` for a path the program chose itself (never written through a link).
func writeFile(_ text: String, _ path: String, followLinks: Bool = true) throws {
    do { try OutputFile.write(text, to: path, followLinks: followLinks) } catch { throw ExitCode.fileOrTool.withMessage(error.description) }
}
