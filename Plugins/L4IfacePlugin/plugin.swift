import Foundation
import PackagePlugin

/// Generates the Swift side of the L4Re interfaces the host tests check
/// (the example and benchmark headers, and `kinds.h` with every argument
/// kind, and `ctypes.h` with libc's types) with l4swift-gen at build time, as
/// the BID fragment does on L4Re: the C++ headers stay the one declaration.
@main
struct L4IfacePlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let tool = try context.tool(named: "l4swift-gen")
        let root = context.package.directoryURL
        if target.name == "L4SwiftServices" {
            // L4Swift's clients of L4Re's services, from the stand-in of L4Re's headers (no L4Re build here)
            let header = root.appending(path: "Sources/L4Swift/CL4/l4re_ifaces_standin.h")
            let out = context.pluginWorkDirectoryURL.appending(path: "l4re_ifaces.iface.swift")
            return [.buildCommand(displayName: "l4swift-gen l4re_ifaces_standin.h", executable: tool.url,
                                  arguments: ["--import", "L4Wire", "--namespaces", "--clients-only", "-o", out.path, header.path],
                                  inputFiles: [header], outputFiles: [out])]
        }
        let headers = ["Bench/l4re/pkg/l4swift/include/demo.h", "Bench/l4re/pkg/l4swift/include/bench.h",
                       "Tests/Fixtures/wire/kinds.h", "Tests/Fixtures/wire/ctypes.h"]
        // libc's types as C lays them out, Swift taking them from the host's libc (on L4Re: CL4, over uclibc)
        let cTypes = ["--import", "Glibc", "--with-code", "all"] + ["struct sigaction", "sigset_t", "struct itimerval", "stack_t"].flatMap { ["--c-type", $0] }
        return headers.map { path in
            let header = root.appending(path: path)
            let name = header.deletingPathExtension().lastPathComponent
            let out = context.pluginWorkDirectoryURL.appending(path: "\(name).iface.swift")
            return .buildCommand(displayName: "l4swift-gen \(name).h", executable: tool.url,
                                 arguments: ["--import", "L4Wire"] + (name == "kinds" ? ["--with-code", "Kinds::strings"] : [])
                                     + (name == "ctypes" ? cTypes : [])
                                     + ["-o", out.path, header.path],
                                 inputFiles: [header], outputFiles: [out])
        }
    }
}
