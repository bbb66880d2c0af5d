import Foundation

/// A compiler the tests run through `/usr/bin/env`, with what it printed on
/// standard error: `swiftc -typecheck` of generated Swift, `c++ -fsyntax-only`
/// of the layout asserts.
enum ToolRun {
    static func run(_ arguments: [String]) throws -> (status: Int32, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let err = Pipe()
        p.standardError = err
        try p.run()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, e)
    }

    /// `swiftc -typecheck` of `files` against the modules built beside l4swift-gen (L4Wire).
    static func typecheck(_ files: [String]) throws -> (status: Int32, err: String) {
        let modules = URL(fileURLWithPath: GeneratorCommandTests.tool).deletingLastPathComponent().appendingPathComponent("Modules").path
        return try run(["swiftc", "-parse-as-library", "-I", modules, "-typecheck"] + files)
    }
}
