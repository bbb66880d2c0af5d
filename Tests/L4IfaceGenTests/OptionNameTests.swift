import Foundation
import Testing

/// Options that name interfaces and RPCs: a namespace-qualified name picks one of two `Calc`s,
/// and a name that matches nothing is a usage error (exit 2) naming it.
extension GeneratorCommandTests {
    func twoCalcs() throws -> String {
        try temp("two-calcs.h", """
        namespace A {
        struct Calc : L4::Kobject_t<Calc, L4::Kobject, 0x6c01>
        {
          L4_INLINE_RPC(long, add, (l4_int64_t a, l4_int64_t b, l4_int64_t *sum));
          L4_INLINE_RPC(long, move, (l4_int64_t a));
          typedef L4::Typeid::Rpcs<add_t, move_t> Rpcs;
        };
        }
        namespace B {
        struct Calc : L4::Kobject_t<Calc, L4::Kobject, 0x6c02>
        {
          L4_INLINE_RPC(long, add, (l4_int64_t a, l4_int64_t b, l4_int64_t *sum));
          L4_INLINE_RPC(long, move, (l4_int64_t a));
          typedef L4::Typeid::Rpcs<add_t, move_t> Rpcs;
        };
        }
        """)
    }

    /// --skip A::Calc::move leaves out A's move only, and the warning says which; --with-code B::Calc::add gives B's add the code only.
    @Test func qualifiedRpcNamesPickOneInterface() throws {
        let header = try twoCalcs()
        var r = try run(["--namespaces", "--skip", "A::Calc::move", header])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("warning: skipped: A::Calc::move: left out (--skip)"), "\(r.err)")
        #expect(r.out.components(separatedBy: "public func move(").count - 1 == 1)
        r = try run(["--namespaces", "--with-code", "B::Calc::add", header])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.components(separatedBy: "public func add(_ a: Int64, _ b: Int64) throws(L4Error) -> (code: Int, sum: Int64)").count - 1 == 1)
        #expect(r.out.components(separatedBy: "public func add(_ a: Int64, _ b: Int64) throws(L4Error) -> Int64 {").count - 1 == 1)
        // the bare name still names both
        r = try run(["--namespaces", "--skip", "Calc::move", header])
        #expect(r.status == 0 && !r.out.contains("public func move("), "\(r.err)")
        r = try run(["--namespaces", "--skip", "C::Calc::move", header])
        #expect(r.status == 2 && r.err.contains("--skip C::Calc::move: no such RPC"), "\(r.err)")
    }

    /// --only with a name no header declares: exit 2 naming it (not 4, "no interface").
    @Test func onlyNamingNothingIsAUsageError() throws {
        let header = try twoCalcs()
        var r = try run(["--only", "Nope", header])
        #expect(r.status == 2 && r.err.contains("--only Nope: no such interface"), "\(r.err)")
        r = try run(["--namespaces", "--only", "B::Calc", header])
        #expect(r.status == 0 && r.out.contains("0x6c02") && !r.out.contains("0x6c01"), "\(r.err)")
    }
}

/// A derived interface whose base is not generated: its server does not claim the base's protocol.
extension GeneratorCommandTests {
    @Test func ungeneratedBaseIsNotClaimed() throws {
        let header = try temp("derived.h", """
        namespace L4 {
        struct Factory : Kobject_t<Factory, Kobject, -15>
        {
          L4_INLINE_RPC(long, create, (l4_mword_t type));
          typedef L4::Typeid::Rpcs<create_t> Rpcs;
        };
        }
        namespace L4Re {
        struct Mem_alloc : L4::Kobject_t<Mem_alloc, L4::Factory, 0x400b>
        {
          L4_INLINE_RPC(long, info, (l4_mword_t *size));
          typedef L4::Typeid::Rpcs<info_t> Rpcs;
        };
        }
        """)
        // both generated: the meta protocol lists both and dispatch hands Factory's protocol on
        var r = try run([header])
        #expect(r.status == 0 && r.out.contains("\"N2L47FactoryE\"") && r.out.contains("return Factory.dispatch("), "\(r.err)")
        // the base left out: not claimed, and a warning says why
        r = try run(["--only", "Mem_alloc", header])
        #expect(r.status == 0, "\(r.err)")
        #expect(!r.out.contains("N2L47FactoryE") && !r.out.contains("Factory.dispatch"))
        #expect(r.err.contains("derived.h:9: warning: L4Re::Mem_alloc: its base L4::Factory is not generated"), "\(r.err)")
    }
}

/// --namespaces writes full Swift paths; one whose first name means something else where it is written is refused
/// (nothing written), and a struct of the same name in another namespace that does not shadow still compiles.
extension GeneratorCommandTests {
    @Test func shadowedNamespacePathsAreRefused() throws {
        let header = try temp("ns-shadow.h", """
        namespace B {
        struct Point { l4_uint8_t z; l4_uint32_t w; };
        }
        namespace A {
        struct B : L4::Kobject_t<B, L4::Kobject, 0x6c01>
        {
          L4_INLINE_RPC(long, poke, (::B::Point p, l4_uint32_t *r));
          typedef L4::Typeid::Rpcs<poke_t> Rpcs;
        };
        }
        """)
        let dir = (header as NSString).deletingLastPathComponent
        let out = dir + "/ns-shadow.swift"
        try? FileManager.default.removeItem(atPath: out)
        var r = try run(["--namespaces", "--import", "L4Wire", "-o", out, header])
        #expect(r.status == 1 && r.err.contains("ns-shadow.h:5: error: A::B: 'B::Point' would be written 'B.Point', but inside A.B 'B' is A.B"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: out))
        // a struct in a namespace that is not shadowed: written, and it compiles
        let fine = try temp("ns-fine.h", """
        namespace P {
        struct Point { l4_uint8_t z; l4_uint32_t w; };
        }
        namespace A {
        struct B : L4::Kobject_t<B, L4::Kobject, 0x6c01>
        {
          L4_INLINE_RPC(long, poke, (::P::Point p, l4_uint32_t *r));
          typedef L4::Typeid::Rpcs<poke_t> Rpcs;
        };
        }
        """)
        r = try run(["--namespaces", "--import", "L4Wire", "-o", out, fine])
        #expect(r.status == 0, "\(r.err)")
        let t = try typecheck([out])
        #expect(t.status == 0, "\(t.err)")
    }
}

/// An argument that cannot be generated is named at its own line when the declaration spans several.
extension GeneratorCommandTests {
    @Test func argumentErrorsNameTheArgumentsLine() throws {
        let header = try temp("multi-line.h", """
        struct C : L4::Kobject_t<C, L4::Kobject, 1> {
          L4_INLINE_RPC(long, f, (int a,
             Stats *s));
          typedef L4::Typeid::Rpcs<f_t> Rpcs; };
        """)
        let r = try run([header])
        #expect(r.status == 1 && r.err.contains("multi-line.h:3: error: C::f: argument 's' of type 'Stats *' is not supported"), "\(r.err)")
    }
}

/// Two structs of one Swift name: the refusal names the other struct and where it is passed.
extension GeneratorCommandTests {
    @Test func structNameClashNamesTheOther() throws {
        let header = try temp("struct-clash.h", """
        namespace A { struct S { int a; }; }
        namespace B { struct S { long b; }; }
        struct C : L4::Kobject_t<C, L4::Kobject, 1> {
          L4_INLINE_RPC(long, f, (A::S x));
          L4_INLINE_RPC(long, g, (B::S y));
          typedef L4::Typeid::Rpcs<f_t, g_t> Rpcs; };
        """)
        let r = try run([header])
        #expect(r.status == 1 && r.err.contains("error: struct B::S: its Swift name 'S' is also that of struct A::S (passed by C, line 3)"), "\(r.err)")
    }
}

/// --only A::C leaves out B::C and its problems (before: B::C's unsupported RPC, same bare name, failed the run).
extension GeneratorCommandTests {
    @Test func qualifiedOnlyLeavesTheOtherOut() throws {
        let header = try temp("only-qualified.h", """
        namespace A {
        struct C : L4::Kobject_t<C, L4::Kobject, 1> {
          L4_INLINE_RPC(long, f, (int a));
          typedef L4::Typeid::Rpcs<f_t> Rpcs; };
        }
        namespace B {
        struct C : L4::Kobject_t<C, L4::Kobject, 2> {
          L4_INLINE_RPC(long, f, (Stats *a));
          typedef L4::Typeid::Rpcs<f_t> Rpcs; };
        }
        """)
        var r = try run(["--namespaces", "--only", "A::C", header])
        #expect(r.status == 0 && r.out.contains("public static let proto = 0x1") && !r.out.contains("proto = 0x2"), "\(r.err)")
        r = try run(["--namespaces", "--only", "B::C", header])
        #expect(r.status == 1 && r.err.contains("only-qualified.h:8: error: B::C::f: argument 'a'"), "\(r.err)")
    }
}
