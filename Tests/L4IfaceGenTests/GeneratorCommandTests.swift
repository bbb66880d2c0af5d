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

    func typecheck(_ files: [String]) throws -> (status: Int32, err: String) { try ToolRun.typecheck(files) }

    /// `--clients-only` (L4Swift's own clients of L4Re's services): the clients alone, no `Server` protocol and no
    /// `dispatch`, and so no warning that a server would not answer a base that is not generated.
    @Test func clientsOnlyWritesNoServer() throws {
        let h = try temp("clients-only.h", """
            struct B : L4::Kobject_t<B, L4::Kobject, 0x10> { L4_INLINE_RPC(long, f, (int a)); typedef L4::Typeid::Rpcs<f_t> Rpcs; };
            struct D : L4::Kobject_t<D, B, 0x11> { L4_INLINE_RPC(long, g, (int a, int *b)); typedef L4::Typeid::Rpcs<g_t> Rpcs; };
            """)
        var r = try run(["--import", "L4Wire", "--only", "D", h])
        #expect(r.status == 0 && r.err.contains("D: its base B is not generated") && r.out.contains("public protocol Server"), "\(r.err)")
        let out = h + ".swift"
        r = try run(["--import", "L4Wire", "--only", "D", "--clients-only", "-o", out, h])
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let swift = try String(contentsOfFile: out, encoding: .utf8)
        #expect(swift.contains("public struct Client<Channel: RpcChannel>") && swift.contains("public func g(_ a: Int32) throws(L4Error) -> Int32"))
        #expect(!swift.contains("Server") && !swift.contains("dispatch") && !swift.contains("metaInterface"))
        var tc = try typecheck([out])
        #expect(tc.status == 0, "\(tc.err)")
        // the base generated too, in namespaces: the derived client reaches it, still no server
        let ns = try temp("clients-only-ns.h", "namespace N {\n" + (try String(contentsOfFile: h, encoding: .utf8)) + "}\n")
        r = try run(["--import", "L4Wire", "--namespaces", "--clients-only", "-o", out, ns])
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let both = try String(contentsOfFile: out, encoding: .utf8)
        #expect(both.contains("public var asB: N.B.Client<Channel>") && !both.contains("Server"))
        tc = try typecheck([out])
        #expect(tc.status == 0, "\(tc.err)")
    }

    /// `--c-type`: libc's structs, whose layouts the generator will not guess (a union declared in place, an array
    /// length chosen by #if, a pointer member), pass as C lays them out: Swift imports the type from the C module
    /// named by --import (Glibc here), and the generated code copies it by its MemoryLayout.
    @Test func cTypesPassAsCLaysThemOut() throws {
        let h = try temp("ctypes-like.h", """
            \(LibcLikeHeader.sigset)
            struct sigaction { union { void (*h)(int); void (*a)(int, void *, void *); } u; sigset_t mask; };
            struct S : L4::Kobject_t<S, L4::Kobject, 0x7e06>
            {
              L4_INLINE_RPC(int, sigaction, (int signum, const struct sigaction *act, struct sigaction *oldact));
              L4_INLINE_RPC(int, sigpending, (L4::Ipc::In_out<sigset_t *> set));
              L4_INLINE_RPC(int, getitimer, (int which, struct itimerval *v));
              L4_INLINE_RPC(int, alt, (stack_t const *ss));
              typedef L4::Typeid::Rpcs<sigaction_t, sigpending_t, getitimer_t, alt_t> Rpcs;
            };
            """)
        // without: each refused, naming the option that passes it
        var r = try run([h])
        #expect(r.status == 1 && r.out.isEmpty)
        #expect(r.err.contains("S::sigaction: argument 'act' of type 'sigaction const *' is not supported (the struct has a member of a type declared in place)"
                               + "; --c-type sigaction passes it as C lays it out"), "\(r.err)")
        #expect(r.err.contains("S::sigpending: argument 'set'") && r.err.contains("--c-type sigset_t passes it"), "\(r.err)")
        #expect(r.err.contains("S::getitimer: argument 'v' of type 'itimerval *' is not supported (no declaration of it was read; "
                               + "if it is a C type, --c-type itimerval passes it"), "\(r.err)")
        // with: every RPC, Swift's own view of the C types (Glibc's), type-checked
        let out = h + ".swift"
        r = try run(["--import", "Glibc", "--import", "L4Wire", "--c-type", "struct sigaction", "--c-type", "sigset_t",
                     "--c-type", "struct itimerval", "--c-type", "stack_t", "-o", out, h])
        #expect(r.status == 0, "\(r.err)")
        let swift = try String(contentsOfFile: out, encoding: .utf8)
        #expect(swift.contains("public func sigaction(_ signum: Int32, _ act: sigaction) throws(L4Error) -> sigaction"))
        #expect(swift.contains("try _w.putCStruct(act)") && swift.contains("let oldact = try _r.getCStruct() as sigaction"))
        #expect(swift.contains("public func sigpending(_ set: sigset_t) throws(L4Error) -> sigset_t"))
        #expect(!swift.contains("struct sigset_t") && !swift.contains("WireStruct"))   // declared by the C module, not here
        let tc = try typecheck([out])
        #expect(tc.status == 0, "\(tc.err)")
        // a Swift name of its own; bad values are usage errors
        r = try run(["--import", "Glibc", "--import", "L4Wire", "--c-type", "struct sigaction", "--c-type", "sigset_t",
                     "--c-type", "struct itimerval", "--c-type", "stack_t=Stack", "--skip", "S::sigaction", h])
        #expect(r.status == 0 && r.out.contains("public func alt(_ ss: Stack)"), "\(r.err)")
        let bad: [(String, String)] = [
            ("struct", "'struct' is a C keyword or builtin type"), ("a b", "'a b' is not a C type name"),
            ("struct a b", "'struct a b' is not a C type name"), ("Ns::T", "'Ns::T' is not a C type name"), ("1x", "'1x' is not a C type name"),
            ("long double", "'long double' is not a C type name"),
            ("void", "'void' is a C keyword or builtin type"), ("float", "'float' is a C keyword or builtin type"),
            ("x=", "'' is not a Swift type name"), ("x=_", "'_' is not a Swift type name"),
            // names the generated code uses (a generic parameter would hide the type)
            ("x=Int", "the Swift name 'Int' is a Swift keyword or a name the generated code uses"), ("x=class", "the Swift name 'class'"),
            ("struct S", "the Swift name 'S'"), ("Channel", "the Swift name 'Channel'"),
        ]
        for (value, why) in bad {
            r = try run(["--c-type", value, h])
            #expect(r.status == 2 && r.err.contains("--c-type '\(value)': \(why)"), "\(value): \(r.err)")
        }
        r = try run(["--c-type", "sigset_t=A", "--c-type", "sigset_t=B", h])
        #expect(r.status == 2 && r.err.contains("--c-type sigset_t is given twice, as A and as B"), "\(r.err)")
        // a name no RPC passes, and C types without a module: warned
        r = try run(["--c-type", "sigset_t", "--c-type", "sigaltstak", "--skip-unsupported", "-o", out, h])
        #expect(r.status == 0 && r.err.contains("warning: --c-type sigaltstak: no RPC generated here passes it"), "\(r.err)")
        #expect(r.err.contains("warning: --c-type without --import: the C types (sigset_t)"), "\(r.err)")
    }

    /// What `--c-type` does not do: a C type inside an array (or a struct laid out here) is refused; a name C++ finds
    /// declared in the interface's namespace is that declaration, not the C type; a generated struct may not take the
    /// C type's Swift name; the hint to use it is given only for global C structs and undeclared names.
    @Test func cTypesAreArgumentsOfTheirOwnName() throws {
        let arr = try temp("ctype-array.h", """
            struct H { long long a; char b; };
            struct A : L4::Kobject_t<A, L4::Kobject, 0x22>
            {
              L4_INLINE_RPC(long, f, (H const *h, int x));
              L4_INLINE_RPC(long, g, (L4::Ipc::Array<H const> a));
              typedef L4::Typeid::Rpcs<f_t, g_t> Rpcs;
            };
            """)
        var r = try run(["--import", "Glibc", "--c-type", "H", arr])
        #expect(r.status == 1 && r.err.contains("A::g: argument 'a' of type 'L4::Ipc::Array<H const>' is not supported "
                                                + "(a C type named by --c-type inside an array or a struct"), "\(r.err)")
        #expect(!r.err.contains("A::f"))
        let ns = try temp("ctype-ns.h", """
            namespace Fs {
            struct timeval { l4_uint32_t sec; };
            struct File : L4::Kobject_t<File, L4::Kobject, 0x20> { L4_INLINE_RPC(long, touch, (timeval const *t)); typedef L4::Typeid::Rpcs<touch_t> Rpcs; };
            }
            struct Clock : L4::Kobject_t<Clock, L4::Kobject, 0x21> { L4_INLINE_RPC(long, now, (struct timeval *t)); typedef L4::Typeid::Rpcs<now_t> Rpcs; };
            """)
        r = try run(["--import", "Glibc", "--import", "L4Wire", "--c-type", "struct timeval", ns])
        #expect(r.status == 1 && r.err.contains("struct Fs::timeval: its Swift name 'timeval' is also that of the C type timeval (--c-type)"), "\(r.err)")
        let out = ns + ".swift"
        r = try run(["--import", "Glibc", "--import", "L4Wire", "--namespaces", "--c-type", "struct timeval", "-o", out, ns])
        #expect(r.status == 0, "\(r.err)")
        let swift = try String(contentsOfFile: out, encoding: .utf8)
        // Fs::File's timeval is Fs's (4 bytes, laid out here); Clock's is libc's
        #expect(swift.contains("public func touch(_ t: Fs.timeval)") && swift.contains("public func now() throws(L4Error) -> timeval"))
        let tc = try typecheck([out])
        #expect(tc.status == 0, "\(tc.err)")
        let hints = try temp("ctype-hints.h", """
            namespace Ns { struct V { int a; virtual void f(); }; }
            struct W { int a; virtual void f(); };
            struct I : L4::Kobject_t<I, L4::Kobject, 0x23>
            {
              L4_INLINE_RPC(long, a, (Ns::V const *v));
              L4_INLINE_RPC(long, b, (W const *w));
              L4_INLINE_RPC(long, c, (float const *f));
              L4_INLINE_RPC(long, d, (Undeclared const *u));
              typedef L4::Typeid::Rpcs<a_t, b_t, c_t, d_t> Rpcs;
            };
            """)
        r = try run([hints])
        let lines = r.err.split(separator: "\n")
        #expect(r.status == 1 && lines.filter { $0.contains("--c-type") }.count == 1, "\(r.err)")
        #expect(lines.contains { $0.contains("I::d:") && $0.contains("--c-type Undeclared passes it") }, "\(r.err)")
    }

    /// `--each` (the coverage script's mutant runs): each header as a run of its own, nothing written,
    /// one line per header with the exit code that run would have had and its time.
    @Test func eachHeaderIsARunOfItsOwn() throws {
        let good = try temp("each-good.h", "struct G : L4::Kobject_t<G, L4::Kobject, 0x10>\n{\n  L4_INLINE_RPC(long, f, (int a));\n  typedef L4::Typeid::Rpcs<f_t> Rpcs;\n};\n")
        let bad = try temp("each-bad.h", "struct B : L4::Kobject_t<B, L4::Kobject, 0x10>\n{\n  L4_INLINE_RPC(long, f, (Stats *s));\n  typedef L4::Typeid::Rpcs<f_t> Rpcs;\n};\n")
        let none = try temp("each-none.h", "struct N { int x; };\n")
        let r = try run(["--each", good, "/nonexistent/each.h", bad, none, good])
        #expect(r.status == 0 && r.err.isEmpty, "\(r.err)")
        let rows = r.out.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.map { $0.first ?? "" } == ["0", "3", "1", "4", "0"], "\(r.out)")
        #expect(rows.allSatisfy { $0.count == 3 && Int($0[1]) != nil })
        #expect(rows.map { $0.last ?? "" } == [good, "/nonexistent/each.h", bad, none, good])
    }

    /// Two interfaces (and structs) named alike in different namespaces: refused by default, naming
    /// `--namespaces`; with it, `Calc_example.Calc` and `Other.Deep.Calc` coexist in one output, with a
    /// derived interface across them and the program's own `Calc`.
    @Test func namespacesKeepTwoCalcsApart() throws {
        let a = try temp("ns-a.h", """
        namespace Calc_example {
        enum { Calc_protocol = 0x6c01 };
        struct Stats { l4_uint32_t n; };
        struct Calc : L4::Kobject_t<Calc, L4::Kobject, Calc_protocol>
        {
          struct Inner { l4_uint8_t a; };
          L4_INLINE_RPC(long, add, (l4_int64_t a, l4_int64_t b, l4_int64_t *sum));
          L4_INLINE_RPC(long, stats, (Stats *s, Inner *i));
          typedef L4::Typeid::Rpcs<add_t, stats_t> Rpcs;
        };
        }
        """)
        let b = try temp("ns-b.h", """
        namespace Other { namespace Deep {
        struct Stats { l4_uint64_t n; };
        struct Calc : L4::Kobject_t<Calc, L4::Kobject, 0x6c02>
        {
          L4_INLINE_RPC(long, mul, (l4_int64_t a, l4_int64_t b, l4_int64_t *p, Stats *s));
          typedef L4::Typeid::Rpcs<mul_t> Rpcs;
        };
        struct More : L4::Kobject_t<More, Calc, 0x6c03>
        {
          L4_INLINE_RPC(long, x, (l4_int64_t a));
          typedef L4::Typeid::Rpcs<x_t> Rpcs;
        };
        }}
        """)
        var r = try run([a, b])
        #expect(r.status == 1 && r.err.contains("ns-b.h:3: error: Other::Deep::Calc: its Swift name 'Calc' is also Calc_example::Calc's")
                && r.err.contains("(--namespaces)"), "\(r.err)")
        let out = a + ".swift"
        r = try run(["--namespaces", "--import", "L4Wire", "-o", out, a, b])
        #expect(r.status == 0, "\(r.err)")
        let swift = try String(contentsOfFile: out, encoding: .utf8)
        #expect(swift.contains("public enum Calc_example {}") && swift.contains("extension Other { public enum Deep {} }"))
        #expect(swift.contains("extension Calc_example.Calc.Server {") && swift.contains("extension Other.Deep.Calc.Server {"))
        #expect(swift.contains("public var asCalc: Other.Deep.Calc.Client<Channel>"))
        let use = try temp("ns-use.swift", """
        import L4Wire
        struct Calc {}   // the program's own
        struct S: Calc_example.Calc.Server {
            func add(_ a: Int64, _ b: Int64) throws(L4Error) -> Int64 { a + b }
            func stats() throws(L4Error) -> (s: Calc_example.Stats, i: Calc_example.Calc.Inner) { (.init(n: 1), .init(a: 2)) }
        }
        struct T: Other.Deep.More.Server {
            func mul(_ a: Int64, _ b: Int64) throws(L4Error) -> (p: Int64, s: Other.Deep.Stats) { (a * b, .init(n: 3)) }
            func x(_ a: Int64) throws(L4Error) -> Int { 0 }
        }
        func calls<C: RpcChannel>(_ c: C) throws(L4Error) -> Int64 {
            try Calc_example.Calc.Client(c).add(1, 2) + Other.Deep.More.Client(c).asCalc.mul(2, 3).p
        }
        """)
        let t = try typecheck([out, use])
        #expect(t.status == 0, "\(t.err)")
        // a second output of the same module in the same namespaces: declared once, extended by the other
        let e = try temp("ns-e.h", "namespace Other { namespace Deep {\nstruct Extra : L4::Kobject_t<Extra, L4::Kobject, 0x6c06>\n{\n  L4_INLINE_RPC(long, y, (int a));\n  typedef L4::Typeid::Rpcs<y_t> Rpcs;\n};\n}}\n")
        let second = e + ".swift"
        #expect(try run(["--namespaces", "--import", "L4Wire", "-o", second, e]).status == 0)
        #expect(try typecheck([out, use, second]).status != 0)   // `enum Other` twice
        r = try run(["--no-namespace-enums", "--import", "L4Wire", "-o", second, e])
        let secondText = try String(contentsOfFile: second, encoding: .utf8)
        #expect(r.status == 0 && !secondText.contains("public enum Other {}") && secondText.contains("extension Other.Deep {"), "\(r.err)")
        let both = try typecheck([out, use, second])
        #expect(both.status == 0, "\(both.err)")
        // a namespace named like an interface of the output cannot be both
        let c = try temp("ns-c.h", "struct Calc_example : L4::Kobject_t<Calc_example, L4::Kobject, 0x6c04>\n{\n  L4_INLINE_RPC(long, f, (int a));\n  typedef L4::Typeid::Rpcs<f_t> Rpcs;\n};\n")
        r = try run(["--namespaces", a, c])
        #expect(r.status == 1 && r.err.contains("namespace Calc_example has the Swift name of interface Calc_example"), "\(r.err)")
        // a struct's namespace that is no Swift type name (C++ allows `in`, `Type`): refused, not written unescaped
        let d = try temp("ns-d.h", "namespace in { struct S { int a; }; }\nstruct D : L4::Kobject_t<D, L4::Kobject, 0x6c05>\n{\n  L4_INLINE_RPC(long, f, (in::S s));\n  typedef L4::Typeid::Rpcs<f_t> Rpcs;\n};\n")
        r = try run(["--namespaces", d])
        #expect(r.status == 1 && r.err.contains("namespace in cannot be a Swift enum"), "\(r.err)")
        #expect(try run([d]).status == 0)   // without --namespaces the struct is plain S
    }

    /// -o never replaces what it is given: a device and a FIFO are written in place, a link is
    /// followed (it stays a link), a read-only file is refused; a FIFO without a reader fails at once.
    @Test func outputsAreWrittenInPlace() throws {
        let header = try temp("place.h", "struct Place : L4::Kobject_t<Place, L4::Kobject, 0x6c02>\n{\n  L4_INLINE_RPC(long, f, (int a));\n  typedef L4::Typeid::Rpcs<f_t> Rpcs;\n};\n")
        let dir = (header as NSString).deletingLastPathComponent
        // a device
        var r = try run(["-o", "/dev/null", header])
        #expect(r.status == 0, "\(r.err)")
        #expect((try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType) == .typeCharacterSpecial)
        // a link to a file: the file gets the Swift, the link stays
        let target = dir + "/target.swift", link = dir + "/link.swift"
        try? FileManager.default.removeItem(atPath: link)
        try "old".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        r = try run(["-o", link, header])
        #expect(r.status == 0, "\(r.err)")
        #expect((try FileManager.default.attributesOfItem(atPath: link)[.type] as? FileAttributeType) == .typeSymbolicLink)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("public enum Place {"))
        // a FIFO without a reader: an error, not a hang; the FIFO stays
        let fifo = dir + "/out.fifo"
        try? FileManager.default.removeItem(atPath: fifo)
        #expect(mkfifo(fifo, 0o644) == 0)
        r = try run(["-o", fifo, header])
        #expect(r.status == 3 && r.err.contains("the FIFO has no reader"), "\(r.err)")
        #expect((try FileManager.default.attributesOfItem(atPath: fifo)[.type] as? FileAttributeType) != .typeRegular)
        // a read-only file is refused and left as it was (root too: the mode bits decide)
        let ro = dir + "/ro.swift"
        try? FileManager.default.removeItem(atPath: ro)
        try "keep".write(toFile: ro, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: ro)
        r = try run(["-o", ro, header])
        #expect(r.status == 3 && r.err.contains("read-only"), "\(r.err)")
        #expect(try String(contentsOfFile: ro, encoding: .utf8) == "keep")
        #expect((try FileManager.default.attributesOfItem(atPath: ro)[.posixPermissions] as? NSNumber)?.intValue == 0o444)
    }

    /// --skip leaves one RPC out, --skip-unsupported every one that cannot be generated, each named; the rest is written.
    @Test func unsupportedRpcsCanBeLeftOut() throws {
        let header = try temp("some.h", """
        struct Some : L4::Kobject_t<Some, L4::Kobject, 0x6c03>
        {
          L4_INLINE_RPC(long, good, (int a, int *b));
          L4_INLINE_RPC(long, info, (Stats *stats));
          L4_INLINE_RPC(long, also_good, (int a));
          typedef L4::Typeid::Rpcs<good_t, info_t, also_good_t> Rpcs;
        };
        """)
        var r = try run([header])
        #expect(r.status == 1 && r.err.contains("some.h:4: error: Some::info: argument 'stats' of type 'Stats *' is not supported") && r.out.isEmpty)
        r = try run(["--skip", "Some::info", header])
        #expect(r.status == 0 && r.err.contains("some.h:4: warning: skipped: Some::info"), "\(r.err)")
        #expect(r.out.contains("public static let good: Int32 = 0") && r.out.contains("public static let alsoGood: Int32 = 2"))
        #expect(!r.out.contains("func info("))
        r = try run(["--skip-unsupported", header])
        #expect(r.status == 0 && r.err.contains("warning: skipped: Some::info"))
        r = try run(["--skip", "Some::nope", header])
        #expect(r.status == 2 && r.err.contains("--skip Some::nope: no such RPC"))
        // a good RPC can be left out by name too
        r = try run(["--skip", "Some::info", "--skip", "Some::good", header])
        #expect(r.status == 0 && !r.out.contains("func good(") && r.out.contains("func alsoGood("))
    }

    /// An interface without RPCs (L4::Task's are C calls) is not an interface to generate: exit 4.
    @Test func interfaceWithoutRpcsExitsFour() throws {
        let header = try temp("task.h", "namespace L4 { class Task : public Kobject_t<Task, Kobject, L4_PROTO_TASK, Type_info::Demand_t<2> > { public: l4_msgtag_t map(); }; }\n")
        let r = try run(["-D", "L4_PROTO_TASK=-2", header])
        #expect(r.status == 4 && r.err.contains("no L4::Kobject_t interface with RPCs"), "\(r.err)")
    }
}
