import Foundation
import Testing

/// The l4swift-gen command as BID and users run it: its exit codes, its
/// messages, and an output left alone (its time too) when nothing changed.
@Suite(.serialized) struct GeneratorCommandTests {
    /// The executable SwiftPM built beside the test bundle.
    static let tool: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest/Contents/MacOS") { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir.appendingPathComponent("l4swift-gen").path
    }()
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.tool)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func temp(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("l4gen-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func writesTheSwiftSide() throws {
        let r = try run([Self.root.appendingPathComponent("Bench/l4re/pkg/l4swift/include/demo.h").path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("public enum Demo {") && r.out.contains("public static let proto = 0x5301"))
        #expect(r.out.contains("public func mix(_ a: Int32, _ b: UInt64, _ c: Int8) throws(L4Error) -> Int64"))
    }

    @Test func exitCodesSayWhatWentWrong() throws {
        var r = try run([])
        #expect(r.status == 2 && r.err.contains("no header given"))
        r = try run(["--frobnicate", "x.h"])
        #expect(r.status == 2 && r.err.contains("unknown option '--frobnicate'"))
        r = try run(["/nonexistent/iface.h"])
        #expect(r.status == 3 && r.err.contains("cannot read '/nonexistent/iface.h'"))
        let empty = try temp("empty.h", "#pragma once\nstruct Nothing { int x; };\n")
        r = try run([empty])
        #expect(r.status == 4 && r.err.contains("no L4::Kobject_t interface"))
        let bad = try temp("bad.h", "struct B : L4::Kobject_t<B, L4::Kobject, 0x10>\n{\n  L4_INLINE_RPC(long, info, (Stats *stats));\n  typedef L4::Typeid::Rpcs<info_t> Rpcs;\n};\n")
        r = try run([bad])
        #expect(r.status == 1 && r.err.contains("bad.h:3: error: B::info: argument 'stats' of type 'Stats *' is not supported"), "\(r.err)")
        #expect(r.out.isEmpty)   // nothing half-written
        r = try run(["--with-code", "Demo::nope", Self.root.appendingPathComponent("Bench/l4re/pkg/l4swift/include/demo.h").path])
        #expect(r.status == 2 && r.err.contains("--with-code Demo::nope: no such RPC"))
    }

    /// An unchanged output keeps its time, so that make rebuilds nothing; a changed header rewrites it.
    @Test func unchangedOutputIsLeftAlone() throws {
        let header = try temp("calc.h", "struct Calc : L4::Kobject_t<Calc, L4::Kobject, 0x6c01>\n{\n  L4_INLINE_RPC(long, add, (l4_int64_t a, l4_int64_t b, l4_int64_t *sum));\n  typedef L4::Typeid::Rpcs<add_t> Rpcs;\n};\n")
        let out = header + ".swift"
        #expect(try run(["-o", out, header]).status == 0)
        let old = Date(timeIntervalSinceNow: -3600)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: out)
        #expect(try run(["-o", out, header]).status == 0)
        let t1 = try FileManager.default.attributesOfItem(atPath: out)[.modificationDate] as! Date
        #expect(abs(t1.timeIntervalSince(old)) < 1)
        // a comment changes nothing generated
        try (try String(contentsOfFile: header, encoding: .utf8) + "// a comment\n").write(toFile: header, atomically: true, encoding: .utf8)
        #expect(try run(["-o", out, header]).status == 0)
        #expect(abs((try FileManager.default.attributesOfItem(atPath: out)[.modificationDate] as! Date).timeIntervalSince(old)) < 1)
        // a new RPC does
        try (try String(contentsOfFile: header, encoding: .utf8).replacingOccurrences(of: "typedef L4::Typeid::Rpcs<add_t> Rpcs;",
             with: "L4_INLINE_RPC(long, neg, (l4_int64_t a, l4_int64_t *r));\n  typedef L4::Typeid::Rpcs<add_t, neg_t> Rpcs;"))
            .write(toFile: header, atomically: true, encoding: .utf8)
        #expect(try run(["-o", out, header]).status == 0)
        #expect((try String(contentsOfFile: out, encoding: .utf8)).contains("public func neg(_ a: Int64) throws(L4Error) -> Int64"))
    }

    /// Arguments named like the generated code's locals (or Swift keywords) compile:
    /// the output of such a header is type-checked by swiftc against L4Wire.
    @Test func clashingNamesCompile() throws {
        let header = try temp("clash.h", """
        struct Clash : L4::Kobject_t<Clash, L4::Kobject, 0x10>
        {
          L4_INLINE_RPC(long, f, (l4_uint32_t words, l4_uint32_t r, l4_uint32_t q, l4_uint32_t items, l4_uint32_t channel,
                                  l4_uint32_t *out, l4_uint32_t *w));
          L4_INLINE_RPC(long, g, (l4_uint32_t server, l4_uint32_t op, l4_uint32_t mr, l4_uint32_t in, l4_uint32_t *reply));
          L4_INLINE_RPC(long, h, (L4::Ipc::Cap<void> items, L4::Ipc::Small_buf br, L4::Ipc::Snd_fpage &iw));
          typedef L4::Typeid::Rpcs<f_t, g_t, h_t> Rpcs;
        };
        """)
        let out = header + ".swift"
        #expect(try run(["--import", "L4Wire", "-o", out, header]).status == 0)
        let modules = URL(fileURLWithPath: Self.tool).deletingLastPathComponent().appendingPathComponent("Modules").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["swiftc", "-parse-as-library", "-I", modules, "-typecheck", out]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(e)")
    }
}
