import ArgumentParser
import BenchResults
import L4ReRunner

/// The exit codes of l4bench: the one catalogue that the commands throw, that
/// `--help` prints and that the README's table repeats (a test compares them).
extension ExitCode {
    /// An error without a code of its own (ArgumentParser's), and `history` without a stored run.
    static let noStoredRuns = ExitCode(1)
    /// `compare` found a regression.
    static let regression = ExitCode(2)
    /// A file or directory cannot be read or written, a build or QEMU failed.
    static let fileOrTool = ExitCode(3)
    /// A benchmark pair failed (crash, hang, IPC error); its samples so far are kept.
    static let pairFailed = ExitCode(4)
    /// KVM cannot boot a guest and `--kvm-fallback none` allowed no other mode.
    static let kvmUnusable = ExitCode(5)
    /// `compare`: the runs count different units (icount instructions against TSC cycles), or a
    /// `--new`/`--base` run is not of its side's machine, commit and compilers.
    static let incomparable = ExitCode(6)
    /// `compare`: a baseline group is missing from the run (without --allow-missing).
    static let missingGroups = ExitCode(7)
    /// `history`: a stored run could not be read in full.
    static let historyIncomplete = ExitCode(8)
    /// `store verify`, `store repair`, `store summarize`, `store migrate`: a stored run is damaged, a
    /// summary or reference is wrong, or a run could not be repaired or converted (each listed).
    static let storeDamaged = ExitCode(9)
    /// A store's file names a path outside the store (`baseline.ref`, a summary line, a symbolic link,
    /// a folder of `store migrate`): refused, nothing read or written there.
    static let outsideStore = ExitCode(21)
    /// The results input's faults, 10 to 18 (`ResultsError.exitCode`), by name.
    static let missingMetadata = ExitCode(ExitCodes.code(of: .missingMetadata("")))
    static let truncatedInput = ExitCode(ExitCodes.code(of: .truncated("")))
    static let emptyInput = ExitCode(ExitCodes.code(of: .empty))
    /// Bad usage: an unknown option, a value out of range (ArgumentParser's `validationFailure`).
    static let usage = ExitCode.validationFailure
    /// `run` was interrupted (SIGINT, SIGTERM).
    static let interrupted = ExitCode(130)

    /// Prints `message` to stderr and returns self, for `throw`.
    func withMessage(_ message: String) -> ExitCode {
        Console.error(message)
        return self
    }
}

enum ExitCodes {
    /// Every code with its meaning, in order: what `--help` and the README list
    /// (each meaning short enough for one line of `--help`).
    static let catalogue: [(code: Int32, meaning: String)] =
        [
            (ExitCode.success.rawValue, "ok"),
            (ExitCode.noStoredRuns.rawValue, "an unexpected error; `history`: no stored runs"),
            (ExitCode.regression.rawValue, "`compare` found a regression"),
            (ExitCode.fileOrTool.rawValue, "a file cannot be read or written, or a build or QEMU failed"),
            (ExitCode.pairFailed.rawValue, "a benchmark pair failed (crash, hang, IPC error); samples kept"),
            (ExitCode.kvmUnusable.rawValue, "KVM cannot boot a guest and no fallback was allowed"),
            (ExitCode.incomparable.rawValue, "`compare`: different units, or a --new/--base of other binaries"),
            (ExitCode.missingGroups.rawValue, "`compare`: a baseline group is missing (unless --allow-missing)"),
            (ExitCode.historyIncomplete.rawValue, "`history`: a stored run could not be read (listed with the reason)"),
            (ExitCode.storeDamaged.rawValue, "`store`: a damaged run, a wrong summary or ref (listed)"),
        ] + resultsFaults.map { ($0.exitCode, "results input: \($0.kind)") } + [
            (ExitCode.outsideStore.rawValue, "a store's ref, summary or folder leads outside it: refused"),
            (40, "`explain`: missing data (no profile, a cycle-counted run, no windows)"),
            (41, "`explain`: an ELF file is not the booted binary (refused)"),
            (42, "`explain`: a malformed trace, profile or ELF file"),
            (43, "`explain`: no such block in the profile"),
        ] + LavaCommand.exitCodes + [
            (ExitCode.usage.rawValue, "usage: an unknown option or a bad value"),
            (ExitCode.interrupted.rawValue, "`run` was interrupted (Ctrl-C, SIGTERM); the samples taken are kept"),
        ]

    /// One fault of each kind a results input can have, in the order of their codes (10 to 20).
    static let resultsFaults: [ResultsError] = [
        .malformedRow(""), .badCycles(""), .truncated(""), .missingMetadata(""), .contradictingMetadata(""),
        .empty, .mixedRuns(""), .binaryGarbage(""), .unsupportedVersion(""), .checksumMismatch(""), .limitExceeded(""),
    ].map { ResultsError(file: "", line: 0, reason: $0) }

    static func code(of reason: ResultsError.Reason) -> Int32 { ResultsError(file: "", line: 0, reason: reason).exitCode }

    /// The catalogue for `--help`: one code a line.
    static var helpText: String {
        "Exit codes:\n" + catalogue.map { "  \($0.code)\t\($0.meaning)" }.joined(separator: "\n")
    }

    /// The exit code and message of an L4Re run that could not be done.
    static func failure(_ error: L4ReRunError) -> ExitCode {
        switch error {
        case .kvmUnusable(let s): return ExitCode.kvmUnusable.withMessage(s)
        case .missingMetadata(let s): return ExitCode.missingMetadata.withMessage(s)
        case .noRun(let s, let fault): return ExitCode(fault?.exitCode ?? ExitCode.truncatedInput.rawValue).withMessage(s)
        case .badSelection(let s): return ExitCode.usage.withMessage(s)
        case .interrupted: return ExitCode.interrupted.withMessage(error.description)
        case .badBuildDirectory, .packageBuild, .qemu, .output: return ExitCode.fileOrTool.withMessage(error.description)
        }
    }
}
