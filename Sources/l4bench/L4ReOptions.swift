import ArgumentParser

/// Options of `run --target l4re`.
struct L4ReOptions: ParsableArguments {
    @Option(help: "L4Re build directory (or L4RE_OBJ) for --target l4re.")
    var l4reObj: String?

    @Option(help: "Fiasco build directory (or FIASCO_OBJ) for --target l4re.")
    var fiascoObj: String?

    func run(_ command: RunCommand) throws {
        throw ExitCode(64).withMessage("--target l4re is not available in this build yet")
    }
}
