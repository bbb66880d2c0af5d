import Foundation
import Testing

/// `l4swift-gen --layout-asserts`: the layouts the generator computes for struct arguments, compiled as
/// C++ `static_assert`s with the header by the host's C++ compiler (clang++ of the Swift toolchain or g++;
/// skipped with a message when there is none). L4Re's own headers are checked the same way by
/// scripts/l4re-interface-coverage.sh and kinds.h by scripts/wire-fixtures.sh, against an L4Re build.
@Suite(.serialized) struct LayoutAssertTests {
    typealias G = GeneratorCommandTests

    /// A C++ compiler on this host, if any.
    static let cxx: String? = {
        var candidates = ["clang++", "g++", "c++"]
        if let swiftc = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map({ "\($0)/clang++" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            candidates.insert(swiftc, at: 0)
        }
        for c in candidates {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [c, "--version"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            if (try? p.run()) != nil { p.waitUntilExit(); if p.terminationStatus == 0 { return c } }
        }
        return nil
    }()

    /// What the header needs from L4Re to compile without it: the integer typedefs and the RPC macros as no-ops.
    static let prelude = """
    #include <stdint.h>
    typedef uint8_t l4_uint8_t; typedef int16_t l4_int16_t; typedef uint16_t l4_uint16_t; typedef int32_t l4_int32_t;
    typedef uint32_t l4_uint32_t; typedef int64_t l4_int64_t; typedef uint64_t l4_uint64_t; typedef unsigned long l4_umword_t;
    namespace L4 { struct Kobject {}; template<typename, typename, long> struct Kobject_t {}; namespace Typeid { template<typename...> struct Rpcs {}; } }
    #define L4_INLINE_RPC(res, name, args...) struct name##_t {}

    """

    static let header = """
    #define NWORDS(bits) (((bits) + sizeof(unsigned long) * 8 - 1) / (sizeof(unsigned long) * 8))
    enum { Max_key = 0x1ff };
    typedef struct { l4_uint16_t bus; l4_uint8_t flag; } id_t;
    typedef struct c_info { l4_umword_t stream; char name[13]; id_t id; unsigned long keys[NWORDS(Max_key + 1)]; bool on; } c_info;
    namespace N {
    class Helper { protected: static unsigned idx(unsigned i) { return i / 8; } };
    class Info : public c_info, private Helper { public: bool get(unsigned i) const { return keys[i / 64] & 1; } };
    class Secret { l4_uint32_t hidden; public: l4_uint8_t shown; private: l4_int64_t also_hidden; };
    struct Point { l4_int16_t x; l4_int32_t y; bool f; };
    struct Lay : L4::Kobject_t<Lay, L4::Kobject, 0x7e05>
    {
      struct Pair { Point a; l4_uint8_t tag; Point b; };
      L4_INLINE_RPC(long, get, (int idx, Info *info, Secret *s));
      L4_INLINE_RPC(long, put, (Pair const &p, Point pt));
      typedef L4::Typeid::Rpcs<get_t, put_t> Rpcs;
    };
    }
    """

    func compile(_ file: String, prelude: String) throws -> (status: Int32, err: String) {
        try ToolRun.run([Self.cxx!, "-std=c++17", "-fsyntax-only", "-Wno-invalid-offsetof", "-include", prelude, file])
    }

    @Test func generatedLayoutsAreCxxs() throws {
        guard Self.cxx != nil else {
            print("LayoutAssertTests: no C++ compiler (clang++, g++ or c++) on this host: the layouts are not compiled here")
            return
        }
        let h = try G().temp("layouts.h", Self.header)
        let prelude = try G().temp("prelude.h", Self.prelude)
        let r = try G().run(["--layout-asserts", h])
        #expect(r.status == 0, "\(r.err)")
        let asserts = r.out
        // every struct, every public field; the private ones of Secret only by its size
        for s in ["::N::Info", "::N::Secret", "::N::Point", "::N::Lay::Pair", "::id_t"] {
            #expect(asserts.contains("static_assert(sizeof(\(s)) =="), "\(s)")
        }
        #expect(asserts.contains("offsetof(::N::Info, keys) == 32") && asserts.contains("sizeof(::N::Info) == 104"))
        #expect(asserts.contains("offsetof(::N::Secret, shown) == 4") && !asserts.contains("hidden"))
        let file = try G().temp("layouts.cc", asserts)
        let c = try compile(file, prelude: prelude)
        #expect(c.status == 0, "the generator's layouts differ from C++'s:\n\(c.err)")

        // the check can fail: one wrong offset is an error naming it
        let wrong = try G().temp("wrong.cc", asserts.replacingOccurrences(of: "offsetof(::N::Lay::Pair, b) == 16", with: "offsetof(::N::Lay::Pair, b) == 20"))
        #expect(asserts.contains("offsetof(::N::Lay::Pair, b) == 16"))
        let w = try compile(wrong, prelude: prelude)
        #expect(w.status != 0 && w.err.contains("static assert") && w.err.contains("offsetof(N::Lay::Pair, b) is not 16"), "\(w.err)")
    }
}
