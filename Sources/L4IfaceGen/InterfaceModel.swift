/// An L4Re RPC interface as its C++ header declares it (`L4::Kobject_t` and
/// `L4_INLINE_RPC`), in the terms the Swift side needs.
public struct Interface: Equatable {
    /// The C++ name with its namespaces, e.g. `["L4swift", "Demo"]`.
    public var qualifiedName: [String]
    /// The structs and C types its RPCs pass (each time one is passed), in order.
    public var passedLayouts: [StructLayout] { rpcs.flatMap { $0.args.compactMap(\.kind.layout) } }
    public var proto: Int
    /// Capabilities a server receives at once (`Demand_t<N>`, at least the most one RPC takes).
    public var demandCaps: Int
    public var opcode: IntType?
    public var rpcs: [Rpc]
    /// The interfaces it derives from, qualified as the header writes them (`L4::Kobject` left out).
    public var bases: [[String]] = []
    /// The header and line that declare it.
    public var file: String = ""
    public var line: Int = 0
    /// RPCs left out (with `--skip` or `--skip-unsupported`), each with why.
    public var skipped: [Diagnostic] = []
    /// What `L4::Meta` reports for a server of it: the interface and its bases, depth first as L4::Epiface
    /// walks them (`PROTO_EMPTY` ones left out), each with its protocol and RTTI name.
    public var metaInterfaces: [MetaInterface] = []

    public var name: String { qualifiedName.last ?? "" }

    /// What `typeid(T).name()` gives for the interface under the Itanium C++
    /// ABI, which `L4::Meta` reports as the interface's name when L4Re is
    /// built with RTTI (as BID builds it).
    public var mangledName: String {
        let parts = qualifiedName.map { "\($0.utf8.count)\($0)" }
        return parts.count == 1 ? parts[0] : "N" + parts.joined() + "E"
    }
}

public struct MetaInterface: Equatable {
    public var proto: Int
    public var mangledName: String
    public var qualifiedName: [String]
}

public struct Rpc: Equatable {
    public var name: String
    public var opcode: Int
    public var result: ResultKind
    public var args: [Arg]
    /// The rights the caller's capability needs (`Call_t<...>`, the W and S bits).
    public var rightsMask: Int
    /// The non-negative return code travels beside the outputs (`--with-code`):
    /// the client gets `(code: Int, ...)` and the server returns it.
    public var returnsCode: Bool = false
    /// `L4::Ipc::Send_only`: the client sends and does not wait; the server does not answer.
    public var sendOnly: Bool = false
}

public enum ResultKind: Equatable {
    /// `long`, `int`, `l4_ret_t`: negative is an error, the rest a return code.
    case code
    /// `l4_msgtag_t`: the reply's label is the result.
    case tag
}

public struct Arg: Equatable {
    public var name: String
    public var kind: ArgKind
    public var optional: Bool
    public var cppType: String
}

public enum Direction: Equatable { case input, output }

public enum ArgKind: Equatable {
    /// A scalar in the data words.
    case value(IntType, Direction)
    /// `L4::Ipc::Array<T, Len>` or `Array_ref`: the length, then the elements.
    case array(element: IntType, length: IntType, Direction)
    /// `L4::Ipc::String<Char, Len>`: an array whose length counts a terminator.
    case string(length: IntType, Direction)
    /// `L4::Ipc::Cap<T>` in: a send item; `Out<L4::Cap<T>>`: a receive buffer and an item back.
    case capability(Direction)
    /// `L4::Ipc::Snd_fpage` (an item, either way).
    case fpage(Direction)
    /// `L4::Ipc::Small_buf`: a receive buffer for one capability, on the client only.
    case smallBuffer
    /// A trivially copyable struct, copied as C++ lays it out (aligned to its alignment).
    case structure(StructLayout, Direction)
    /// `L4::Ipc::Rcv_fpage`: a receive window for a map item, on the client only (two buffer words).
    case rcvFpage
    /// `L4::Ipc::Array<S, Len>` of a struct: the length, then the elements as C++ lays them out.
    case structArray(StructLayout, length: IntType, Direction)
    /// `L4::Ipc::Ret_array<T>`: elements in the reply whose count is the return code (an output).
    case retArray(Element)
    /// `L4::Ipc::Varg const *`: a typed variable list (tag word, bytes, each at the next word), the rest of the request.
    case vargs

    public enum Element: Equatable {
        case int(IntType)
        case structure(StructLayout)
    }

    public var direction: Direction {
        switch self {
        case .value(_, let d), .array(_, _, let d), .string(_, let d), .capability(let d), .fpage(let d), .structure(_, let d),
             .structArray(_, _, let d): return d
        case .retArray: return .output
        case .smallBuffer, .rcvFpage, .vargs: return .input
        }
    }
    /// The struct it passes (a struct, an array or a Ret_array of structs), if any.
    public var layout: StructLayout? {
        switch self {
        case .structure(let l, _), .structArray(let l, _, _), .retArray(.structure(let l)): return l
        default: return nil
        }
    }

    /// In the item part of the message (after the data words).
    public var isItem: Bool {
        switch self { case .capability, .fpage: return true; default: return false }
    }
}

/// A C integer type as it sits in a message: its Swift spelling and size (the alignment equals the size).
public struct IntType: Equatable {
    public var swift: String
    public var size: Int
    public var isBool: Bool = false

    public init(_ swift: String, _ size: Int, isBool: Bool = false) { self.swift = swift; self.size = size; self.isBool = isBool }

    /// The C spellings on amd64 (LP64), L4's typedefs included.
    public static func named(_ c: String) -> IntType? {
        let words = c.split(separator: " ").filter { $0 != "const" && $0 != "volatile" && $0 != "L4::Ipc::As_value" }.joined(separator: " ")
        switch words {
        case "bool": return IntType("Bool", 1, isBool: true)
        case "char", "signed char", "l4_int8_t", "int8_t": return IntType("Int8", 1)
        case "unsigned char", "l4_uint8_t", "uint8_t": return IntType("UInt8", 1)
        case "short", "short int", "signed short", "l4_int16_t", "int16_t": return IntType("Int16", 2)
        case "unsigned short", "unsigned short int", "l4_uint16_t", "uint16_t": return IntType("UInt16", 2)
        case "int", "signed", "signed int", "l4_int32_t", "int32_t", "L4::Opcode", "Opcode": return IntType("Int32", 4)
        case "unsigned", "unsigned int", "l4_uint32_t", "uint32_t": return IntType("UInt32", 4)
        case "long", "long int", "signed long", "long long", "l4_int64_t", "int64_t", "l4_mword_t", "l4_ret_t",
             "l4_ssize_t", "ssize_t", "long signed int", "l4_proto_t":
            return IntType(words.hasPrefix("l4_int64") || words == "int64_t" || words == "long long" ? "Int64" : "Int", 8)
        case "unsigned long", "unsigned long int", "unsigned long long", "l4_uint64_t", "uint64_t", "l4_umword_t",
             "l4_addr_t", "l4_size_t", "size_t", "l4_cap_idx_t", "l4_cpu_time_t", "l4_kernel_clock_t", "long unsigned int",
             "l4_fpage_t", "l4_timeout_t":   // one-word unions of L4's C API, passed as their raw word
            return IntType(words.hasPrefix("l4_uint64") || words == "uint64_t" || words == "unsigned long long" ? "UInt64" : "UInt", 8)
        default: return nil
        }
    }
}

/// A problem in a header, with where it is.
public struct Diagnostic: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    /// The interface and RPC it is about, and the feature an unsupported one would need (for the coverage table).
    public var interface: String? = nil
    public var rpc: String? = nil
    public var feature: String? = nil
    /// The interface with its namespaces (`A::Calc`), when the diagnostic is about one.
    public var qualifiedInterface: [String]? = nil
    public init(file: String, line: Int, message: String, interface: String? = nil, rpc: String? = nil, feature: String? = nil) {
        self.file = file; self.line = line; self.message = message
        self.interface = interface; self.rpc = rpc; self.feature = feature
    }
    public var description: String { "\(file):\(line): error: \(message)" }
}

/// A C++ struct as it lies in memory on amd64: its fields at their offsets, its size and alignment.
public struct StructLayout: Equatable {
    public indirect enum FieldType: Equatable {
        case int(IntType)
        case structure(StructLayout)
    }
    public struct Field: Equatable {
        public var name: String
        public var type: FieldType
        public var offset: Int
        /// Elements of an array field (`T name[N]`), 1 otherwise.
        public var count: Int = 1
        /// Whether C++ code outside the struct may name it (`private:` members may not: no offsetof assert).
        public var isPublic: Bool = true
    }
    /// The C++ name with its namespaces and classes.
    public var qualifiedName: [String]
    /// The classes it is declared in.
    public var outer: [String]
    public var fields: [Field]
    public var size: Int
    public var alignment: Int
    /// Its Swift type name (set when the output is planned: `Dataspace.Stats`, or a top-level name).
    public var swiftName: String
    /// A C type named by `--c-type` (libc's `struct sigaction`): not laid out here (no fields, size 0) but
    /// imported by Swift from a C module, so its layout is the C compiler's; copied by `MemoryLayout`.
    public var isCType: Bool = false

    /// The C type `cName` (`sigaction` of `struct sigaction`, `sigset_t`) as Swift imports it: `swiftName`.
    public static func cType(_ cName: String, swiftName: String) -> StructLayout {
        StructLayout(qualifiedName: [cName], outer: [], fields: [], size: 0, alignment: 0, swiftName: swiftName, isCType: true)
    }

    /// Every struct it holds, innermost first, itself last.
    public var nested: [StructLayout] {
        var out: [StructLayout] = []
        for f in fields { if case .structure(let s) = f.type { out += s.nested } }
        return out + [self]
    }
}
