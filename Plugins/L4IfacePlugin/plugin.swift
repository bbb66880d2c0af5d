import Foundation
import PackagePlugin

/// Generates the Swift side of the L4Re interfaces the host tests check
/// (`Bench/l4re/pkg/l4swift/include/*.h`) with l4swift-gen at build time, as
/// the BID fragment does on L4Re: the C++ headers stay the one declaration.
@main
struct L4IfacePlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let tool = try context.tool(named: "l4swift-gen")
        let include = context.package.directoryURL.appending(path: "Bench/l4re/pkg/l4swift/include")
        return ["demo", "bench"].map { name in
            let header = include.appending(path: "\(name).h")
            let out = context.pluginWorkDirectoryURL.appending(path: "\(name).iface.swift")
            return .buildCommand(displayName: "l4swift-gen \(name).h", executable: tool.url,
                                 arguments: ["--import", "L4Wire", "-o", out.path, header.path],
                                 inputFiles: [header], outputFiles: [out])
        }
    }
}
