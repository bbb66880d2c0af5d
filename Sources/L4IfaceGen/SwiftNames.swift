/// How names from a header become Swift names, and which cannot: every name
/// the emitter writes goes through here, so that generated code never carries
/// a header's identifier unchecked.
public enum SwiftNames {
    /// `sum_ds` → `sumDs`, `attach_ticks` → `attachTicks` (leading and doubled underscores dropped).
    public static func camel(_ s: String) -> String {
        let parts = s.split(separator: "_")
        guard let first = parts.first else { return s }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Every Swift keyword and contextual word that cannot stand bare as a name; they are written in backticks.
    static let keywords: Set<String> = [
        "associatedtype", "borrowing", "class", "consuming", "deinit", "enum", "extension", "fileprivate", "func", "import",
        "init", "inout", "internal", "let", "nonisolated", "open", "operator", "package", "private", "precedencegroup",
        "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch",
        "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw",
        "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try",
        "some", "any", "each", "async", "Type", "Protocol", "macro", "discard", "copy", "consume",
    ]

    /// Names that cannot be a member even in backticks, or that mean something else after a dot
    /// (`X.self`, `X.Type`, `X.init`), or that the generated code uses itself.
    static let reservedMembers: Set<String> = ["_", "self", "Self", "Type", "Protocol", "init", "deinit", "subscript",
                                               "channel", "handle", "receiveCaps", "dispatch", "proto", "typeName", "Op",
                                               "Client", "Server", "code", "caller"]

    /// Type names the generated code refers to: an interface with one of these names would shadow it.
    static let reservedTypes: Set<String> = [
        "Int", "UInt", "Int8", "UInt8", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64", "Bool", "Never", "String",
        "StaticString", "Optional", "Void", "Any", "AnyObject", "Self", "Type", "Protocol", "Swift", "Error",
        "UnsafeBufferPointer", "UnsafeMutableBufferPointer", "UnsafeRawPointer", "UnsafeMutableRawPointer",
        "UnsafePointer", "UnsafeMutablePointer", "MsgTag", "RpcRequest", "RpcChannel", "RpcInterfaceClient", "RpcHandler",
        "Rpc", "L4Error", "L4Err", "MessageWriter", "MessageReader", "UtcbLayout", "SndFpage", "ReceivedCap",
        "CapabilitySlot", "MetaProtocol", "CapIndex", "L4Wire", "L4Swift", "FixedWidthInteger", "Op", "Client", "Server",
        "Varg", "VargList", "Sequence", "RpcCaller", "WireStruct", "WireArray", "RcvFpage",
    ]

    /// C's keywords and builtin type words: no struct or typedef has these names (and `--c-type void` would write `void`).
    public static let cBuiltins: Set<String> = [
        "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool", "_Bool", "_Complex",
        "auto", "const", "volatile", "struct", "union", "enum", "typedef", "static", "extern", "register", "inline",
        "restrict", "sizeof", "wchar_t", "char8_t", "char16_t", "char32_t", "__int128", "nullptr_t", "decltype", "class",
        "typename", "template", "namespace", "operator", "this", "true", "false",
    ]

    /// Swift names a C type may not take: keywords, the names the generated code refers to, and the generic
    /// parameters it declares (`dispatch<S: Server>`, `Client<Channel>`), which would hide the type.
    static let reservedCTypeNames: Set<String> = reservedTypes.union(["S", "Channel", "_"])

    /// `--c-type`'s value: `struct sigaction`, `union u`, `sigset_t`, each optionally `=SwiftName`: the C name
    /// (the tag or typedef name) and the name Swift imports it as (the same unless given), or why it is refused.
    public static func cTypeOption(_ v: String) -> Result<(cName: String, swiftName: String), CTypeOptionError> {
        let parts = v.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        var words = parts[0].split(separator: " ").map(String.init)
        if words.count == 2, words[0] == "struct" || words[0] == "union" { words.removeFirst() }
        guard words.count == 1, isIdentifier(words[0]) else {
            return .failure(.init("'\(parts[0])' is not a C type name ('struct NAME', 'union NAME' or a typedef name)"))
        }
        guard !cBuiltins.contains(words[0]) else { return .failure(.init("'\(words[0])' is a C keyword or builtin type, not a struct or typedef")) }
        let swift = parts.count == 2 ? parts[1] : words[0]
        guard isIdentifier(swift), swift != "_" else { return .failure(.init("'\(swift)' is not a Swift type name")) }
        guard !keywords.contains(swift), !reservedCTypeNames.contains(swift) else {
            return .failure(.init("the Swift name '\(swift)' is a Swift keyword or a name the generated code uses itself (give another: =Name)"))
        }
        return .success((words[0], swift))
    }

    public struct CTypeOptionError: Error { public let message: String; init(_ m: String) { message = m } }

    /// Whether `s` has the form of a Swift identifier (ASCII: the header reader reads no other).
    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.utf8.first, f == UInt8(ascii: "_") || (f | 0x20 >= 97 && f | 0x20 <= 122) else { return false }
        return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || ($0 >= 48 && $0 <= 57) }
    }

    /// `s` as a Swift name: keywords in backticks.
    public static func ident(_ s: String) -> String { keywords.contains(s) ? "`\(s)`" : s }

    /// Names an argument cannot have: they mean something else, even in backticks.
    static let reservedArguments: Set<String> = ["_", "self", "Self", "Type", "Protocol", "init", "deinit", "subscript"]

    /// Why `cpp` cannot become the Swift member `camel(cpp)` (an RPC name, or an argument's with `argument`), or nil when it can.
    public static func memberProblem(_ cpp: String, argument: Bool = false) -> String? {
        let s = camel(cpp)
        guard isIdentifier(cpp), isIdentifier(s), s != "_" else { return "'\(cpp)' does not make a Swift name ('\(s)')" }
        if (argument ? reservedArguments : reservedMembers).contains(s) {
            return "'\(cpp)' is a name Swift or the generated code uses itself ('\(s)')"
        }
        return nil
    }

    /// Why `cpp` cannot name an interface's Swift type, or nil when it can.
    public static func typeProblem(_ cpp: String) -> String? {
        guard isIdentifier(cpp), cpp != "_" else { return "'\(cpp)' does not make a Swift type name" }
        if keywords.contains(cpp) || reservedTypes.contains(cpp) { return "'\(cpp)' would shadow a Swift or L4Wire name the generated code uses" }
        return nil
    }

    /// Text for a `//` comment: no line breaks or other control characters.
    public static func commentSafe(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 32 || $0.value == 127 || ($0.value >= 0x80 && $0.value < 0xa0)
            || $0 == "\u{2028}" || $0 == "\u{2029}" ? "?" : Character($0) })
    }
}
