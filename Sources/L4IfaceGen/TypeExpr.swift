/// A C++ type as written in an RPC declaration: a (qualified) name with its
/// template arguments, `const`, pointers and a reference. Built-in types made
/// of several words (`unsigned long`) are one name part.
public struct TypeExpr: Equatable {
    /// `["L4", "Ipc", "Array"]`; `["unsigned long"]`.
    public var name: [String]
    public var args: [TemplateArg] = []
    public var isConst = false
    public var pointers = 0
    public var isReference = false

    public var last: String { name.last ?? "" }

    /// As C++ writes it (for messages).
    public var spelled: String {
        var s = name.joined(separator: "::")
        if !args.isEmpty { s += "<" + args.map(\.spelled).joined(separator: ", ") + ">" }
        if isConst { s += " const" }
        if pointers > 0 { s += " " + String(repeating: "*", count: pointers) }
        if isReference { s += pointers > 0 ? "&" : " &" }
        return s
    }
}

public indirect enum TemplateArg: Equatable {
    case type(TypeExpr)
    /// A non-type argument (a number or constant expression), kept as tokens.
    case value([Token])

    var spelled: String {
        switch self {
        case .type(let t): return t.spelled
        case .value(let ts): return Token.spell(ts)
        }
    }
    var type: TypeExpr? { if case .type(let t) = self { return t }; return nil }
}

/// Reads types from tokens. Nesting (`Opt<Opt<...>>`) is capped at
/// `maxDepth`: deeper is refused, so the stack and the time stay bounded.
struct TypeReader {
    static let maxDepth = 16
    static let builtinWords: Set<String> = ["unsigned", "signed", "long", "short", "int", "char", "bool", "void",
                                            "float", "double", "wchar_t", "char16_t", "char32_t", "char8_t"]
    let tokens: [Token]
    var pos: Int
    /// Why reading failed, when it did.
    var problem: String? = nil

    init(_ tokens: ArraySlice<Token>) { self.tokens = Array(tokens); self.pos = 0 }

    var atEnd: Bool { pos >= tokens.count }
    func peek(_ k: Int = 0) -> Token? { pos + k < tokens.count ? tokens[pos + k] : nil }

    /// A type, then (for an argument) its name. The name is nil for an unnamed argument.
    mutating func argument() -> (TypeExpr, String?)? {
        guard let t = type(depth: 0) else { return nil }
        var name: String? = nil
        if let n = peek(), n.kind == .identifier { name = n.text; pos += 1 }
        // array declarators (`int a[4]`) and defaults are not part of RPC arguments
        guard atEnd else { problem = problem ?? "has text after the name ('\(peek()!.text)')"; return nil }
        return (t, name)
    }

    mutating func type(depth: Int) -> TypeExpr? {
        guard depth < Self.maxDepth else { problem = "nests templates deeper than \(Self.maxDepth) levels"; return nil }
        var isConst = false
        // leading qualifiers
        while let t = peek(), t.kind == .identifier, ["const", "volatile", "struct", "class", "typename", "enum"].contains(t.text) {
            if t.text == "const" { isConst = true }
            pos += 1
        }
        var name: [String] = []
        if let t = peek(), t.kind == .identifier, Self.builtinWords.contains(t.text) {
            var words: [String] = []
            while let w = peek(), w.kind == .identifier, Self.builtinWords.contains(w.text) || w.text == "const" {
                if w.text == "const" { isConst = true } else { words.append(w.text) }
                pos += 1
            }
            name = [words.joined(separator: " ")]
        } else {
            if let t = peek(), t.is("::") { pos += 1 }
            guard let t = peek(), t.kind == .identifier else { problem = "has no type"; return nil }
            name.append(t.text); pos += 1
            while let c = peek(), c.is("::"), let n = peek(1), n.kind == .identifier { name.append(n.text); pos += 2 }
        }
        var e = TypeExpr(name: name, isConst: isConst)
        if let t = peek(), t.is("<") {
            pos += 1
            if let c = peek(), c.is(">") { pos += 1 } else {
                while true {
                    guard let a = templateArg(depth: depth + 1) else { return nil }
                    e.args.append(a)
                    guard let s = peek() else { problem = "has a '<' that is not closed"; return nil }
                    pos += 1
                    if s.is(">") { break }
                    guard s.is(",") else { problem = "has '\(s.text)' in a template argument list"; return nil }
                }
            }
            // Out<...>::type and the like are not supported; a nested name after a template is read on
            while let c = peek(), c.is("::"), let n = peek(1), n.kind == .identifier { e.name.append(n.text); pos += 2 }
        }
        // trailing qualifiers and declarators
        while let t = peek() {
            if t.kind == .identifier && (t.text == "const" || t.text == "volatile") { if t.text == "const" { e.isConst = true }; pos += 1 }
            else if t.is("*") { e.pointers += 1; pos += 1 }
            else if t.is("&") { e.isReference = true; pos += 1 }
            else { break }
        }
        return e
    }

    mutating func templateArg(depth: Int) -> TemplateArg? {
        guard let t = peek() else { problem = "has a '<' that is not closed"; return nil }
        if t.kind == .identifier || t.is("::") {
            // a type, unless what follows shows an expression (`A | B`, `N + 1`)
            let save = pos
            if let ty = type(depth: depth), let n = peek(), n.is(",") || n.is(">") { return .type(ty) }
            if problem != nil && problem!.contains("deeper") { return nil }
            problem = nil
            pos = save
        }
        // a value: tokens up to the next top-level ',' or '>' (parentheses may hold them)
        var parens = 0
        let start = pos
        while let c = peek() {
            if c.is("(") { parens += 1 } else if c.is(")") { parens -= 1; if parens < 0 { break } }
            else if parens == 0 && (c.is(",") || c.is(">")) { break }
            pos += 1
        }
        guard pos > start else { problem = "has an empty template argument"; return nil }
        return .value(Array(tokens[start..<pos]))
    }
}
