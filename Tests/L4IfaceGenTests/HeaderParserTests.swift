import Testing
@testable import L4IfaceGen

/// Reading `L4_INLINE_RPC` headers: every argument kind L4Re's interfaces
/// use, opcode numbering, constants, and a diagnostic naming what cannot be
/// translated (never wrong bytes at run time).
@Suite struct HeaderParserTests {
    let kinds = """
    #include <l4/sys/capability>
    namespace Outer { namespace Inner {
    enum Protos { First_proto = 0x7000, Store_proto, Third_proto };
    struct Store : L4::Kobject_t<Store, L4::Kobject, Store_proto,
                                 L4::Type_info::Demand_t<2> >
    {
      // comments and /* block comments */ are skipped
      L4_INLINE_RPC(long, put, (bool flag, unsigned char u8, short s16, unsigned u32, long l, l4_umword_t w,
                                L4::Ipc::Array<l4_uint16_t const> small, L4::Ipc::Array<char const, unsigned long> name,
                                L4::Ipc::String<> text, L4::Ipc::Cap<L4::Irq> irq, L4::Ipc::Opt<l4_uint32_t> maybe));
      L4_INLINE_RPC(long, get, (l4_uint32_t key, l4_uint64_t *value, L4::Ipc::Array_ref<l4_uint8_t, unsigned long> &data,
                                L4::Ipc::String<char> *label, L4::Ipc::Opt<l4_umword_t &> extra));
      L4_RPC_NF_OP(7, l4_ret_t, lookup, (L4::Ipc::Array_ref<char const, unsigned long> name, L4::Ipc::Small_buf cap,
                                        L4::Ipc::Snd_fpage &snd_cap), L4::Ipc::Call_t<L4_CAP_FPAGE_W>);
      L4_INLINE_RPC(long, open, (L4::Ipc::Out<L4::Cap<void> > obj));
      L4_INLINE_RPC(l4_msgtag_t, ping, ());
      typedef L4::Typeid::Rpcs<put_t, get_t, lookup_t, open_t, ping_t> Rpcs;
    };
    }}
    """

    @Test func everyKindIsRead() throws {
        var p = HeaderParser(file: "store.h")
        let ifaces = try p.parse(kinds)
        #expect(ifaces.count == 1)
        let s = try #require(ifaces.first)
        #expect(s.qualifiedName == ["Outer", "Inner", "Store"])
        #expect(s.mangledName == "N5Outer5Inner5StoreE")
        #expect(s.proto == 0x7001)            // the enumerator after an explicit one
        #expect(s.demandCaps == 2)
        #expect(s.rpcs.map(\.name) == ["put", "get", "lookup", "open", "ping"])
        #expect(s.rpcs.map(\.opcode) == [0, 1, 7, 8, 9])   // an explicit opcode moves the count on
        let put = s.rpcs[0].args.map(\.kind)
        #expect(put == [.value(IntType("Bool", 1, isBool: true), .input), .value(IntType("UInt8", 1), .input),
                        .value(IntType("Int16", 2), .input), .value(IntType("UInt32", 4), .input),
                        .value(IntType("Int", 8), .input), .value(IntType("UInt", 8), .input),
                        .array(element: IntType("UInt16", 2), length: IntType("UInt16", 2), .input),
                        .array(element: IntType("UInt8", 1), length: IntType("UInt", 8), .input),
                        .string(length: IntType("UInt", 8), .input), .capability(.input), .value(IntType("UInt32", 4), .input)])
        #expect(s.rpcs[0].args.last?.optional == true)
        let get = s.rpcs[1].args
        #expect(get.map(\.kind) == [.value(IntType("UInt32", 4), .input), .value(IntType("UInt64", 8), .output),
                                    .array(element: IntType("UInt8", 1), length: IntType("UInt", 8), .output),
                                    .string(length: IntType("UInt", 8), .output), .value(IntType("UInt", 8), .output)])
        #expect(get.map(\.optional) == [false, false, false, false, true])
        #expect(s.rpcs[2].args.map(\.kind) == [.array(element: IntType("UInt8", 1), length: IntType("UInt", 8), .input),
                                               .smallBuffer, .fpage(.output)])
        #expect(s.rpcs[2].rightsMask == 1)
        #expect(s.rpcs[3].args.map(\.kind) == [.capability(.output)])
        #expect(s.rpcs[4].result == .tag && s.rpcs[4].args.isEmpty)
    }

    @Test func emittedSwiftHasTypedMethods() throws {
        var p = HeaderParser(file: "store.h")
        let swift = SwiftEmitter(source: "store.h").emit(try p.parse(kinds))
        #expect(swift.contains("public func put(_ flag: Bool, _ u8: UInt8, _ s16: Int16, _ u32: UInt32, _ l: Int, _ w: UInt, _ small: UnsafeBufferPointer<UInt16>, _ name: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>, _ irq: SndFpage, _ maybe: UInt32? = nil) throws(L4Error) -> Int"))
        #expect(swift.contains("public func get(_ key: UInt32) throws(L4Error) -> (value: UInt64, data: UnsafeBufferPointer<UInt8>, label: UnsafeBufferPointer<UInt8>, extra: UInt?)"))
        #expect(swift.contains("public func lookup(_ name: UnsafeBufferPointer<UInt8>, into cap: some CapabilitySlot) throws(L4Error) -> SndFpage"))
        #expect(swift.contains("mutating func lookup(_ name: UnsafeBufferPointer<UInt8>) throws(L4Error) -> SndFpage"))
        #expect(swift.contains("guard _q.rights & 1 == 1 else { return Rpc.error(-L4Err.perm) }"))
        #expect(swift.contains("public static let lookup: Int32 = 7"))
        #expect(swift.contains("public static let typeName: StaticString = \"N5Outer5Inner5StoreE\""))
    }

    /// `L4::Factory::create`'s form: no opcode, an `Out<Cap>`, a word and a `Varg const *` list.
    @Test func vargListIsRead() throws {
        let text = """
        namespace L4 {
        class Factory : public Kobject_t<Factory, Kobject, -15>
        {
          L4_INLINE_RPC_NF(l4_msgtag_t, create, (L4::Ipc::Out<L4::Cap<void> > target, l4_mword_t obj,
                                                 L4::Ipc::Varg const *args), L4::Ipc::Call_t<L4_CAP_FPAGE_S>);
          typedef L4::Typeid::Rpc_nocode<create_t> Rpcs;
        };
        }
        """
        var p = HeaderParser(file: "factory")
        let f = try #require(try p.parse(text).first)
        #expect(f.opcode == nil && f.proto == -15)
        #expect(f.rpcs.map(\.name) == ["create"] && f.rpcs[0].rightsMask == 2 && f.rpcs[0].result == .tag)
        #expect(f.rpcs[0].args.map(\.kind) == [.capability(.output), .value(IntType("Int", 8), .input), .vargs])
        let swift = SwiftEmitter(source: "factory").emit([f])
        #expect(swift.contains("public func create(into target: some CapabilitySlot, _ obj: Int, _ args: some Sequence<Varg>) throws(L4Error) -> Int"))
        #expect(swift.contains("public func create(into target: some CapabilitySlot, _ obj: Int, _ args: Varg...) throws(L4Error) -> Int"))
        #expect(swift.contains("return try self.create(into: target, obj, args as [Varg])"))
        // up to four values written out: each is stored where it is known, no array in between
        #expect(swift.contains("public func create(into target: some CapabilitySlot, _ obj: Int, _ _varg0: Varg, _ _varg1: Varg, _ _varg2: Varg) throws(L4Error) -> Int"))
        #expect(swift.contains("try _w.putVarg(_varg2)") && !swift.contains("_varg4"))
        #expect(swift.contains("mutating func create(_ obj: Int, _ args: VargList) throws(L4Error) -> SndFpage"))
        #expect(swift.contains("a_args = try _r.getVargList()"))
    }

    /// Each unsupported declaration is named with its file, line, RPC and argument.
    @Test(arguments: [
        ("L4_INLINE_RPC(long, info, (Stats *stats));", "argument 'stats' of type 'Stats *' is not supported"),
        ("L4_INLINE_RPC(long, f, (L4::Ipc::Array<Stats> a));", "arrays of 'Stats'"),
        ("L4_INLINE_RPC(long, f, (L4::Ipc::Varg args));", "argument 'args' of type 'L4::Ipc::Varg' is not supported (a Varg list is passed as 'L4::Ipc::Varg const *')"),
        ("L4_INLINE_RPC(long, f, (L4::Ipc::Varg const *args, int x));", "X::f: argument 'x' follows the Varg list 'args', which takes the rest of the request"),
        ("L4_INLINE_RPC(long, f, (L4::Ipc::Varg_list_ref args));", "a server's Varg list"),
        ("L4_INLINE_RPC(long, f, (L4::Ipc::Opt<L4::Ipc::Varg const *> args));", "an optional Varg list"),
        ("L4_INLINE_RPC(long, f, (int a, int *b), L4::Ipc::Send_only);", "is send-only but argument 'b' expects something back"),
        ("L4_INLINE_RPC(void *, f, (int a));", "result type 'void *' is not supported"),
        ("L4_INLINE_RPC(long, f, (L4::Ipc::String<wchar_t> s));", "strings of 'wchar_t'"),
    ])
    func unsupportedKindsAreDiagnosed(_ decl: String, _ why: String) throws {
        let text = "struct X : L4::Kobject_t<X, L4::Kobject, 0x10>\n{\n  \(decl)\n  typedef L4::Typeid::Rpcs<\(decl.contains(", info,") ? "info_t" : "f_t")> Rpcs;\n};\n"
        var p = HeaderParser(file: "x.h")
        do {
            _ = try p.parse(text)
            Issue.record("no diagnostic for \(decl)")
        } catch {
            #expect(error.file == "x.h" && error.line == 3)
            #expect(error.message.contains(why), "\(error.message)")
        }
    }

    @Test func unknownProtocolAndMissingRpcsAreDiagnosed() throws {
        var p = HeaderParser(file: "y.h")
        #expect(throws: Diagnostic.self) { try p.parse("struct Y : L4::Kobject_t<Y, L4::Kobject, Somewhere_proto> { };") }
        #expect(throws: Diagnostic.self) {
            try p.parse("struct Y : L4::Kobject_t<Y, L4::Kobject, 1> { L4_INLINE_RPC(long, a, ()); typedef L4::Typeid::Rpcs<b_t> Rpcs; };")
        }
        // a derived interface is read, with its base
        #expect(try p.parse("struct Z : L4::Kobject_t<Z, L4Re::Dataspace, 1> { };").first?.bases == [["L4Re", "Dataspace"]])
    }

    /// Integer typedefs inside the class or the header stand for their type.
    @Test func typedefsAreResolved() throws {
        var p = HeaderParser(file: "t.h")
        let i = try p.parse("""
        typedef unsigned long Size;
        struct T : L4::Kobject_t<T, L4::Kobject, 2> {
          typedef l4_uint64_t Offset;
          using Count = unsigned short;
          L4_INLINE_RPC(long, clear, (Offset offset, Size size, T::Count *n));
          typedef L4::Typeid::Rpcs<clear_t> Rpcs;
        };
        """)
        #expect(i.first?.rpcs.first?.args.map(\.kind) == [.value(IntType("UInt64", 8), .input), .value(IntType("UInt", 8), .input),
                                                          .value(IntType("UInt16", 2), .output)])
        // a struct typedef is a struct argument
        var q = HeaderParser(file: "u.h")
        let u = try q.parse("struct S { int a; }; typedef S Stats; struct U : L4::Kobject_t<U, L4::Kobject, 3> { L4_INLINE_RPC(long, info, (Stats *s)); typedef L4::Typeid::Rpcs<info_t> Rpcs; };")
        guard case .structure(let l, .output)? = u.first?.rpcs.first?.args.first?.kind else { Issue.record("not a struct output"); return }
        #expect(l.qualifiedName == ["S"] && l.size == 4 && l.alignment == 4)
    }

    /// Structs are laid out as C++ does on amd64: each field at its alignment, the size a multiple of the largest.
    @Test func structsAreLaidOutAsCxxDoes() throws {
        var p = HeaderParser(file: "s.h")
        let i = try p.parse("""
        namespace N {
        struct Inner { l4_uint16_t h; l4_uint8_t b; };
        struct P : L4::Kobject_t<P, L4::Kobject, 9> {
          struct Flags : L4::Types::Flags_ops_t<Flags> { unsigned long raw; Flags() = default; explicit Flags(unsigned long f) : raw(f) {} };
          enum class Mode : l4_uint8_t { A, B };
          struct Mixed { char c; long l; short s; Inner in; bool f; Mode m; unsigned u; };
          L4_INLINE_RPC(long, set, (Flags flags, Mixed const &m, L4::Ipc::In_out<Mixed *> io));
          typedef L4::Typeid::Rpcs<set_t> Rpcs;
        };
        }
        """)
        let args = try #require(i.first?.rpcs.first?.args)
        guard case .structure(let flags, .input) = args[0].kind, case .structure(let mixed, .input) = args[1].kind else {
            Issue.record("\(args)"); return
        }
        #expect(flags.size == 8 && flags.alignment == 8 && flags.fields.map(\.name) == ["raw"])
        #expect(mixed.fields.map(\.name) == ["c", "l", "s", "in", "f", "m", "u"])
        #expect(mixed.fields.map(\.offset) == [0, 8, 16, 18, 22, 23, 24])
        #expect(mixed.size == 32 && mixed.alignment == 8)
        #expect(args[2].kind == .structure(mixed, .input) && args[3].kind == .structure(mixed, .output))
        let swift = SwiftEmitter(source: "s.h").emit(i)
        #expect(swift.contains("extension P {\n    /// `N::P::Mixed`: 32 bytes aligned to 8"))
        #expect(swift.contains("public struct Inner: WireStruct {"))   // declared outside the interface: top level
        #expect(swift.contains("public func set(_ flags: P.Flags, _ m: P.Mixed, _ io: P.Mixed) throws(L4Error) -> P.Mixed"))
    }

    /// Array lengths computed as C does (`l4/re/event.h`'s `__UNUM_B`: a function-like macro with `sizeof` and `/`),
    /// and a class deriving from a C struct and an empty helper class (`L4Re::Event_stream_info`).
    @Test func arrayLengthsWithSizeofAndMacros() throws {
        var p = HeaderParser(file: "e.h")
        let i = try p.parse("""
        #define __UNUM_B(x) ((x+1) + sizeof(unsigned long)*8 - 1) / (sizeof(unsigned long)*8)
        #define PAIR(a,b) ((a) * 100 + (b))
        enum { KEY_MAX = 0x1ff, SW_MAX = 0xf };
        typedef struct { l4_uint16_t bus; l4_uint16_t v; } id_t;
        typedef struct L4_EXPORT_TYPE info_t
        {
          l4_umword_t stream_id;
          char name[32];
          id_t id;
          unsigned long keybits[__UNUM_B(KEY_MAX)];
          unsigned long swbits[__UNUM_B(SW_MAX)];
          l4_uint8_t tail[sizeof(id_t) + sizeof(void *) % 5 + PAIR(0, 1)];
        } info_t;
        namespace N {
        class Helper { protected: static unsigned idx(unsigned i) { return i / (sizeof(unsigned long) * 8); } };
        class Info : public info_t, private Helper { public: bool bit(unsigned i) const; };
        struct E : L4::Kobject_t<E, L4::Kobject, 0x10>
        {
          L4_INLINE_RPC(long, get_info, (int idx, Info *info));
          typedef L4::Typeid::Rpcs<get_info_t> Rpcs;
        };
        }
        """)
        guard case .structure(let l, .output)? = i.first?.rpcs.first?.args.last?.kind else { Issue.record("\(i)"); return }
        #expect(l.fields.map(\.name) == ["stream_id", "name", "id", "keybits", "swbits", "tail"])
        #expect(l.fields.map(\.count) == [1, 32, 1, 8, 1, 8])          // 4 + 3 + 1
        #expect(l.fields.map(\.offset) == [0, 8, 40, 48, 112, 120])
        #expect(l.size == 128 && l.alignment == 8)
        // a member of an elaborated type (`struct timeval it_value;`) is a member, not a declaration
        var q = HeaderParser(file: "t.h")
        let t = try q.parse("""
        struct timeval { long tv_sec; long tv_usec; };
        struct itimerval { struct timeval it_interval; struct timeval it_value; };
        struct T : L4::Kobject_t<T, L4::Kobject, 0x11> { L4_INLINE_RPC(int, get, (int which, struct itimerval *v)); typedef L4::Typeid::Rpcs<get_t> Rpcs; };
        """)
        guard case .structure(let it, .output)? = t.first?.rpcs.first?.args.last?.kind else { Issue.record("\(t)"); return }
        #expect(it.fields.map(\.name) == ["it_interval", "it_value"])
        #expect(it.size == 32 && it.fields.last?.offset == 16)
    }

    /// Why `L4Re::Itas` generates 3 of its 9 RPCs: it passes libc's structs, whose layouts libc chooses
    /// with `#if`s the generator does not evaluate (a signal set's word count per architecture, a handler
    /// that is a union or a pointer), with pointer members and with typedefs made by macros. Each RPC
    /// that needs one is named with its reason; the others generate (the constructs below are libc's, written anew).
    @Test func libcStructsAreNamedNotGuessed() throws {
        var p = HeaderParser(file: "itas-like.h")
        let r = p.read("""
        \(LibcLikeHeader.sigset)
        struct sigaction {
        #ifdef POSIX
          union { void (*handler)(int); void (*action)(int, void *, void *); } handler_u;
        #else
          void (*handler)(int);
        #endif
          unsigned long flags;
          sigset_t mask;
        };
        typedef struct sigaltstack { void *sp; int flags; unsigned long size; } stack_t;
        #define STD_TYPE typedef
        STD_TYPE long time_type;
        struct timeval { time_type sec; long usec; };
        struct itimerval { struct timeval interval; struct timeval value; };
        struct Itas : L4::Kobject_t<Itas, L4::Kobject, 0x7e06>
        {
          L4_INLINE_RPC(int, raise, (int sig));
          L4_INLINE_RPC(int, sigaction, (int signum, const struct sigaction *act, struct sigaction *oldact));
          L4_INLINE_RPC(int, sigaltstack, (const struct sigaltstack *ss));
          L4_INLINE_RPC(int, sigpending, (sigset_t *set));
          L4_INLINE_RPC(int, getitimer, (int which, struct itimerval *v));
          typedef L4::Typeid::Rpcs<raise_t, sigaction_t, sigaltstack_t, sigpending_t, getitimer_t> Rpcs;
        };
        """)
        #expect(r.interfaces.first?.rpcs.map(\.name) == ["raise"])
        let why = r.rpcProblems.map { "\($0.rpc ?? ""): \($0.message)" }
        #expect(why.count == 4)
        #expect(why.contains { $0.hasPrefix("sigaction:") && $0.contains("a member of a type declared in place") }, "\(why)")
        #expect(why.contains { $0.hasPrefix("sigaltstack:") && $0.contains("field 'sp' of the struct is a 'void *'") }, "\(why)")
        #expect(why.contains { $0.hasPrefix("sigpending:") && $0.contains("depends on an #if ('NSIGWORDS' is defined twice, differently)") }, "\(why)")
        #expect(why.contains { $0.hasPrefix("getitimer:") && $0.contains("'time_type'") }, "\(why)")
        #expect(r.rpcProblems.allSatisfy { $0.file == "itas-like.h" && $0.line >= 22 })
    }

    /// A struct C++ cannot copy as bytes, or whose layout is not known, is named as the reason.
    @Test(arguments: [
        ("struct S { virtual void f(); int a; };", "has virtual functions"),
        ("struct S { int a : 3; int b; };", "has bit fields"),
        ("struct S : Base { int a; };", "derives from 'Base'"),
        ("struct S { int a[Unknown]; };", "array member whose length is not a known constant"),
        ("struct S { void *p; };", "field 'p' of the struct is a 'void *'"),
        ("union S { int a; long b; };", "a union"),
        ("struct S { int a; void (*cb)(int); long b; };", "has a function pointer member"),
        ("struct S { int a[sizeof(struct Undeclared)]; };", "array member whose length is not a known constant"),
        ("struct S { int a[4 / 0]; };", "array member whose length is not a known constant"),
        ("#define TWO(a, b) a + b\nstruct S { int a[TWO(1)]; };", "array member whose length is not a known constant"),
        ("#define LOOP(x) LOOP(x)\nstruct S { int a[LOOP(1)]; };", "array member whose length is not a known constant"),
        // doubling at each of 30 levels: 2^30 evaluations without a budget; refused at once with one
        ((0..<30).map { "#define D\($0 + 1) (D\($0) + D\($0))\n" }.joined() + "#define D0 1\nstruct S { int a[D30]; };",
         "array member whose length is not a known constant"),
        ((0..<30).map { "#define M\($0 + 1)(x) M\($0)(x) + M\($0)(x)\n" }.joined() + "#define M0(x) x\nstruct S { int a[M30(1)]; };",
         "array member whose length is not a known constant"),
        ("#if A\n#define N (128 / 8)\n#else\n#define N (64 / 8)\n#endif\nstruct S { int a[N]; };", "depends on an #if ('N' is defined twice, differently)"),
        ("struct T { int x; void *p; }; struct S { struct T t; int b; };", "field 'p' of the struct is a 'void *'"),
    ])
    func structsThatCannotBeCopied(_ decl: String, _ why: String) throws {
        var p = HeaderParser(file: "v.h")
        do {
            _ = try p.parse(decl + " struct V : L4::Kobject_t<V, L4::Kobject, 3> { L4_INLINE_RPC(long, f, (S *s)); typedef L4::Typeid::Rpcs<f_t> Rpcs; };")
            Issue.record("no diagnostic for \(decl)")
        } catch {
            #expect(error.message.contains(why), "\(error.message)")
        }
    }

    /// --with-code: an RPC with outputs keeps its return code, both sides.
    @Test func returnCodeBesideOutputs() throws {
        var p = HeaderParser(file: "store.h")
        var ifaces = try p.parse(kinds)
        ifaces[0].rpcs[1].returnsCode = true   // get
        ifaces[0].rpcs[2].returnsCode = true   // lookup: one output
        let swift = SwiftEmitter(source: "store.h").emit(ifaces)
        #expect(swift.contains("public func get(_ key: UInt32) throws(L4Error) -> (code: Int, value: UInt64, data: UnsafeBufferPointer<UInt8>, label: UnsafeBufferPointer<UInt8>, extra: UInt?)"))
        #expect(swift.contains("mutating func lookup(_ name: UnsafeBufferPointer<UInt8>) throws(L4Error) -> (code: Int, sndCap: SndFpage)"))
        #expect(swift.contains("guard _out.0 >= 0 else { return Rpc.error(_out.0) }"))
        #expect(swift.contains("return Rpc.replyTag(_out.0, words: _words, items: _iw.offset / UtcbLayout.itemBytes)"))
    }

    @Test func definesAndKnownConstants() throws {
        var p = HeaderParser(file: "z.h")
        let i = try p.parse("#define MY_PROTO 0x123\nstruct Z : L4::Kobject_t<Z, L4::Kobject, MY_PROTO> { L4_INLINE_RPC(long, a, ()); typedef L4::Typeid::Rpcs<a_t> Rpcs; };")
        #expect(i.first?.proto == 0x123)
        var m = HeaderParser(file: "meta")
        let meta = try m.parse("namespace L4 { class Meta : public Kobject_t<Meta, Kobject, L4_PROTO_META> { public: L4_INLINE_RPC(l4_msgtag_t, supports, (l4_mword_t protocol)); typedef L4::Typeid::Rpcs<supports_t> Rpcs; }; }")
        #expect(meta.first?.proto == -21 && meta.first?.mangledName == "N2L44MetaE")
        // a Swift keyword as an argument name is escaped
        #expect(SwiftEmitter(source: "meta").emit(meta).contains("_ `protocol`: Int"))
    }

    /// Any prefix of a header, and headers with bytes changed, give interfaces or a
    /// diagnostic: the reader never traps (a trap here would end the test run).
    @Test func truncatedAndMangledHeadersNeverTrap() throws {
        let text = Array(kinds.utf8)
        var outcomes = (parsed: 0, diagnosed: 0)
        for n in stride(from: 0, through: text.count, by: 3) {
            var p = HeaderParser(file: "cut.h")
            do { _ = try p.parse(String(decoding: text[..<n], as: UTF8.self)); outcomes.parsed += 1 } catch { outcomes.diagnosed += 1 }
        }
        var seed: UInt64 = 7
        let alphabet = Array("<>(),;{}*&: _=0x1aL".utf8)
        for _ in 0..<2_000 {
            var t = text
            for _ in 0..<4 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                t[Int(seed >> 33) % t.count] = alphabet[Int(seed >> 20) % alphabet.count]
            }
            var p = HeaderParser(file: "mangled.h")
            do { _ = try p.parse(String(decoding: t, as: UTF8.self)); outcomes.parsed += 1 } catch { outcomes.diagnosed += 1 }
        }
        #expect(outcomes.parsed > 0 && outcomes.diagnosed > 0)
    }

    /// C++ argument names that are the generated code's own names (or Swift's) still give code that compiles:
    /// checked by compiling the output in GeneratorCommandTests; here, that the dispatch keeps them apart.
    @Test func argumentNamesDoNotMeetGeneratedNames() throws {
        var p = HeaderParser(file: "clash.h")
        let i = try p.parse("""
        struct Clash : L4::Kobject_t<Clash, L4::Kobject, 0x10>
        {
          L4_INLINE_RPC(long, f, (l4_uint32_t words, l4_uint32_t r, l4_uint32_t channel, l4_uint32_t items, l4_uint32_t *out, l4_uint32_t *w));
          typedef L4::Typeid::Rpcs<f_t> Rpcs;
        };
        """)
        let swift = SwiftEmitter(source: "clash.h").emit(i)
        #expect(swift.contains("public func f(_ words: UInt32, _ r: UInt32, _ channel: UInt32, _ items: UInt32) throws(L4Error) -> (out: UInt32, w: UInt32)"))
        #expect(swift.contains("let _out = try _server.f(a_words, a_r, a_channel, a_items)"))
        #expect(swift.contains("let _mr = self.channel.messageRegisters"))
    }
}
