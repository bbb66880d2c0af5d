import Foundation
import Testing

/// -o as the review tried it: the open descriptors (`/dev/stdout`, `/proc/self/fd/N`), a link loop,
/// a read-only file as root, a hard-linked file.
extension GeneratorCommandTests {
    func placeHeader() throws -> String {
        try temp("place2.h", "struct Place : L4::Kobject_t<Place, L4::Kobject, 0x6c02>\n{\n  L4_INLINE_RPC(long, f, (int a));\n"
                 + "  typedef L4::Typeid::Rpcs<f_t> Rpcs;\n};\n")
    }

    /// Runs `script` with /bin/sh (the shell's redirections are what is tested), `$G` the generator.
    func shell(_ script: String) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.environment = ["G": Self.tool, "PATH": "/usr/bin:/bin"]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// /dev/stdout, /dev/fd/N and /proc/self/fd/N are the open descriptor: a pipe is written, a file the
    /// shell opened with >> is appended to, never replaced.
    @Test func descriptorPathsAreTheOpenDescriptor() throws {
        let header = try placeHeader()
        for path in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            let r = try run(["-o", path, header])
            #expect(r.status == 0 && r.out.contains("public enum Place {"), "\(path): \(r.err)")
        }
        let dir = (header as NSString).deletingLastPathComponent
        let app = dir + "/app.txt"
        for path in ["/dev/stdout", "/proc/self/fd/1", "/dev/fd/3"] {
            try "PRECIOUS\n".write(toFile: app, atomically: false, encoding: .utf8)
            let redirect = path == "/dev/fd/3" ? "3>> '\(app)'" : ">> '\(app)'"
            #expect(try shell("\"$G\" -o \(path) '\(header)' \(redirect)") == 0)
            let text = try String(contentsOfFile: app, encoding: .utf8)
            #expect(text.hasPrefix("PRECIOUS\n") && text.contains("public enum Place {"), "\(path)")
        }
        // a descriptor that is not open is an error (exit 3), not a file created somewhere
        // (run by a shell that closes it first: a test process running others beside it may have any low descriptor open)
        #expect(try shell("exec 9>&-; \"$G\" -o /dev/fd/9 '\(header)' 2>'\(dir)/err.txt'") == 3)
        let err = try String(contentsOfFile: dir + "/err.txt", encoding: .utf8)
        #expect(err.contains("descriptor 9 is not open"), "\(err)")
    }

    /// A link loop is refused (exit 3) and both links stay links.
    @Test func linkLoopIsRefused() throws {
        let header = try placeHeader()
        let dir = (header as NSString).deletingLastPathComponent
        let la = dir + "/loop-a", lb = dir + "/loop-b"
        for p in [la, lb] { try? FileManager.default.removeItem(atPath: p) }
        try FileManager.default.createSymbolicLink(atPath: la, withDestinationPath: "loop-b")
        try FileManager.default.createSymbolicLink(atPath: lb, withDestinationPath: "loop-a")
        let r = try run(["-o", la, header])
        #expect(r.status == 3 && r.err.contains("symbolic links"), "\(r.err)")
        for p in [la, lb] { #expect((try FileManager.default.attributesOfItem(atPath: p)[.type] as? FileAttributeType) == .typeSymbolicLink) }
    }

    /// A file without write bits is refused even for root; a hard-linked file is written in place (its links stay one file).
    @Test func readOnlyAndHardLinkedOutputs() throws {
        let header = try placeHeader()
        let dir = (header as NSString).deletingLastPathComponent
        let ro = dir + "/ro2.swift"
        try? FileManager.default.removeItem(atPath: ro)
        try "keep".write(toFile: ro, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: ro)
        var r = try run(["-o", ro, header])
        #expect(r.status == 3 && r.err.contains("read-only"), "\(r.err)")
        #expect(try String(contentsOfFile: ro, encoding: .utf8) == "keep")
        let orig = dir + "/orig.swift", hard = dir + "/hard.swift"
        for p in [orig, hard] { try? FileManager.default.removeItem(atPath: p) }
        try "old old old old old old old old old old old old old old old old old old old old old old old old old old old old old old old old old old old"
            .write(toFile: orig, atomically: false, encoding: .utf8)
        #expect(link(orig, hard) == 0)
        r = try run(["-o", hard, header])
        #expect(r.status == 0, "\(r.err)")
        let o = try String(contentsOfFile: orig, encoding: .utf8)
        #expect(o.contains("public enum Place {") && !o.contains("old"))
        let ino = { (p: String) in (try FileManager.default.attributesOfItem(atPath: p)[.systemFileNumber] as? NSNumber)?.intValue }
        #expect(try ino(orig) == ino(hard))
    }
}
