import Foundation

/// The L4Re and Fiasco build directories a run uses, checked for what a boot
/// needs. The project never builds L4Re itself: it takes an existing build.
public struct L4ReBuild: Sendable {
    /// The L4Re build directory (`L4RE_OBJ`, BID's `O=`).
    public var l4reObj: String
    /// The Fiasco build directory (`FIASCO_OBJ`).
    public var fiascoObj: String

    /// L4Re's bootstrap for amd64, QEMU's `-kernel`.
    public var bootstrap: String { "\(l4reObj)/bin/amd64_gen/plain/bootstrap" }
    /// Where BID puts the L4Re programs (moe, ned, the benchmark peers).
    public var binDir: String { "\(l4reObj)/bin/amd64_gen/l4f" }
    /// The Fiasco kernel image.
    public var kernel: String { "\(fiascoObj)/fiasco" }
    /// The build directory's link to its L4Re source tree (BID's `L4DIR`).
    public var sourceDir: String { "\(l4reObj)/source" }

    /// Takes the two build directories, checked for the files a boot needs;
    /// throws `badBuildDirectory` naming what is missing.
    public init(l4reObj: String, fiascoObj: String) throws(L4ReRunError) {
        let fm = FileManager.default
        self.l4reObj = (l4reObj as NSString).standardizingPath
        self.fiascoObj = (fiascoObj as NSString).standardizingPath
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: self.l4reObj, isDirectory: &isDir), isDir.boolValue else {
            throw .badBuildDirectory("L4Re build directory \(l4reObj) does not exist (give --l4re-obj or L4RE_OBJ)")
        }
        guard fm.fileExists(atPath: self.fiascoObj, isDirectory: &isDir), isDir.boolValue else {
            throw .badBuildDirectory("Fiasco build directory \(fiascoObj) does not exist (give --fiasco-obj or FIASCO_OBJ)")
        }
        guard fm.fileExists(atPath: "\(self.l4reObj)/source/mk/prog.mk") else {
            throw .badBuildDirectory("\(l4reObj) is not an L4Re build directory: no source/mk/prog.mk (build L4Re for amd64 first)")
        }
        for (path, what) in [
            (bootstrap, "bootstrap"), ("\(binDir)/moe", "moe"), ("\(binDir)/ned", "ned"),
            ("\(binDir)/l4re", "l4re"), ("\(binDir)/sigma0", "sigma0"),
        ] where !fm.fileExists(atPath: path) {
            throw .badBuildDirectory("\(l4reObj) lacks \(what) (\(path)): is it a complete amd64 build?")
        }
        guard fm.fileExists(atPath: kernel) else {
            throw .badBuildDirectory("\(fiascoObj) lacks the kernel image \(kernel): build Fiasco for amd64 first")
        }
    }

    /// Paths taken as they are, without checks (for tests of what depends only on the paths).
    init(unchecked l4reObj: String, fiascoObj: String) {
        self.l4reObj = l4reObj
        self.fiascoObj = fiascoObj
    }

    /// What a failed make said: its first error lines (a parallel build's tail is often another
    /// job's progress), then the last lines.
    static func failureSummary(_ lines: [Substring]) -> String {
        let errors = lines.filter { $0.contains("error:") || $0.contains("*** ") }.prefix(12)
        let tail = lines.suffix(10)
        return (errors.isEmpty ? "" : errors.joined(separator: "\n") + "\n...\n") + tail.joined(separator: "\n")
    }

    /// Builds the project's L4Re package (Bench/l4re/pkg/l4swift) against this build with BID
    /// (`make -C PKG O=L4RE_OBJ L4DIR=SOURCE`); `log` gets make's compile and link lines.
    public func buildPackage(projectRoot: String, log: (String) -> Void) throws(L4ReRunError) {
        let pkg = "\(projectRoot)/Bench/l4re/pkg/l4swift"
        let src = (try? FileManager.default.destinationOfSymbolicLink(atPath: sourceDir)) ?? sourceDir
        let (status, out) = try runMake(["-C", pkg, "O=\(l4reObj)", "L4DIR=\(src)", "-j2"])
        let lines = out.split(separator: "\n")
        for l in lines where l.contains("==> Linking") || l.contains("Compiling") { log(String(l).trimmingCharacters(in: .whitespaces)) }
        guard status == 0 else { throw .packageBuild(Self.failureSummary(lines)) }
        for prog in NedScript.programs where !FileManager.default.fileExists(atPath: "\(binDir)/\(prog)") {
            throw .packageBuild("make succeeded but \(binDir)/\(prog) is missing")
        }
    }
}
