/// What a header (and the headers it includes) defines that interfaces refer
/// to: enumerators and `#define`s (for protocols, opcodes and demands), integer
/// typedefs, and plain structs (for struct arguments).
public struct HeaderScope {
    public var constants: [String: Int] = [:]
    /// `#define`s, evaluated when first asked for.
    var defines: [String: [Token]] = [:]
    /// Function-like `#define`s (`__UNUM_B(x)` of `l4/re/event.h`): parameters and body, expanded where used.
    var macros: [String: (params: [String], body: [Token])] = [:]
    /// Names `#define`d more than once with different values (under `#if`s the generator does not evaluate): no value.
    var ambiguous: Set<String> = []
    /// Typedefs and `using` aliases: the type they name.
    var aliases: [String: TypeExpr] = [:]
    /// Structs with their fields, by bare and qualified name.
    var structs: [String: StructDecl] = [:]
    /// C types (`--c-type`) passed as C lays them out, by their C name (`sigaction` for `struct sigaction`): their Swift names.
    public var cTypes: [String: String] = [:]

    /// Names L4Re's own headers define that interfaces commonly use (values from L4Re's headers).
    static let known: [String: Int] = [
        "L4_PROTO_META": -21, "PROTO_EMPTY": -19, "PROTO_ANY": 0, "L4_PROTO_NONE": 0,
        "L4_CAP_FPAGE_R": 4, "L4_CAP_FPAGE_W": 1, "L4_CAP_FPAGE_S": 2, "L4_CAP_FPAGE_D": 8,
        "L4_CAP_FPAGE_RO": 4, "L4_CAP_FPAGE_RW": 5, "L4_CAP_FPAGE_RS": 6, "L4_CAP_FPAGE_RWS": 7,
        "L4_CAP_FPAGE_RWSD": 0xf, "L4_FPAGE_C_OBJ_RIGHTS": 0xe0,
    ]

    public init(constants: [String: Int] = [:]) {
        self.constants = constants.merging(Self.known) { a, _ in a }
    }

    /// How deep an expression or a define chain may nest before it is refused (bounded stack).
    static let maxDepth = 32

    /// The value of a constant expression: literals, names, function-like macros, `sizeof(T)` of integer
    /// types, pointers and structs read so far, `( )`, unary `- ~ +`, binary `| & ^ + - * / % << >>`,
    /// with overflow checked (nil when it overflows, divides by zero or cannot be read).
    /// Each takes at most `Evaluator.maxSteps` steps over all the defines and macros it expands (a define
    /// using another twice, 32 deep, would otherwise take 2^32): beyond, it is not a constant.
    public func value(of tokens: ArraySlice<Token>) -> Int? {
        var e = Evaluator(tokens: Array(tokens), scope: self)
        guard let v = e.expression(depth: 0), e.pos == e.tokens.count else { return nil }
        return v
    }

    func value(ofName name: String, depth: Int, budget: Evaluator.Budget) -> Int? {
        if let v = constants[name] { return v }
        if ambiguous.contains(name) { return nil }
        if let d = defines[name], depth < Self.maxDepth {
            var e = Evaluator(tokens: d, scope: self, budget: budget)
            e.nameDepth = depth + 1
            guard let v = e.expression(depth: 0), e.pos == e.tokens.count else { return nil }
            return v
        }
        return nil
    }

    /// A literal as C writes it (`0x10`, `010`, `7ul`), nil when it does not fit an `Int`.
    public static func literal(_ s: String) -> Int? {
        var t = Substring(s)
        while let l = t.last, "uUlL".contains(l) { t.removeLast() }
        t = t.filter { $0 != "'" }[...]
        if t.hasPrefix("0x") || t.hasPrefix("0X") { return Int(t.dropFirst(2), radix: 16) }
        if t.hasPrefix("0b") || t.hasPrefix("0B") { return Int(t.dropFirst(2), radix: 2) }
        if t.count > 1, t.hasPrefix("0") { return Int(t.dropFirst(), radix: 8) }
        return Int(t)
    }
}

/// A precedence-climbing reader of constant expressions over tokens.
struct Evaluator {
    let tokens: [Token]
    let scope: HeaderScope
    var pos = 0
    var nameDepth = 0
    /// Steps left for one constant expression, shared by the evaluators of the defines and macros it expands.
    final class Budget { var steps = Evaluator.maxSteps }
    static let maxSteps = 100_000
    let budget: Budget

    init(tokens: [Token], scope: HeaderScope, budget: Budget = Budget()) { self.tokens = tokens; self.scope = scope; self.budget = budget }

    static let precedence: [String: Int] = ["|": 1, "^": 2, "&": 3, "<<": 4, ">>": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6]
    /// Tokens a macro expansion may grow to (nested macros multiply): beyond, the expression is not a constant.
    static let maxExpansion = 4096

    mutating func op() -> String? {
        guard pos < tokens.count, tokens[pos].kind == .punct else { return nil }
        let t = tokens[pos].text
        if (t == "<" || t == ">"), pos + 1 < tokens.count, tokens[pos + 1].text == t { return t + t }
        return Self.precedence[t] != nil ? t : nil
    }

    mutating func expression(depth: Int, minPrec: Int = 1) -> Int? {
        guard depth < HeaderScope.maxDepth, var lhs = unary(depth: depth + 1) else { return nil }
        while let o = op(), let p = Self.precedence[o], p >= minPrec {
            pos += o.count
            guard let rhs = expression(depth: depth + 1, minPrec: p + 1) else { return nil }
            switch o {
            case "|": lhs |= rhs
            case "&": lhs &= rhs
            case "^": lhs ^= rhs
            case "+": let (v, o) = lhs.addingReportingOverflow(rhs); if o { return nil }; lhs = v
            case "-": let (v, o) = lhs.subtractingReportingOverflow(rhs); if o { return nil }; lhs = v
            case "*": let (v, o) = lhs.multipliedReportingOverflow(by: rhs); if o { return nil }; lhs = v
            case "/": guard rhs != 0, !(lhs == Int.min && rhs == -1) else { return nil }; lhs /= rhs
            case "%": guard rhs != 0, !(lhs == Int.min && rhs == -1) else { return nil }; lhs %= rhs
            case "<<": guard rhs >= 0, rhs < 63, lhs >= 0, lhs <= Int.max >> rhs else { return nil }; lhs <<= rhs
            case ">>": guard rhs >= 0, rhs < 64 else { return nil }; lhs >>= rhs
            default: return nil
            }
        }
        return lhs
    }

    mutating func unary(depth: Int) -> Int? {
        guard depth < HeaderScope.maxDepth, pos < tokens.count, budget.steps > 0 else { return nil }
        budget.steps -= 1
        let t = tokens[pos]
        if t.is("-") { pos += 1; guard let v = unary(depth: depth + 1), v != Int.min else { return nil }; return -v }
        if t.is("~") { pos += 1; return unary(depth: depth + 1).map { ~$0 } }
        if t.is("+") { pos += 1; return unary(depth: depth + 1) }
        if t.is("(") {
            pos += 1
            // a cast such as (int)5 or (l4_umword_t)-1: skip a type name in parentheses
            if pos + 1 < tokens.count, tokens[pos].kind == .identifier, tokens[pos + 1].is(")"),
               IntType.named(tokens[pos].text) != nil {
                pos += 2
                return unary(depth: depth + 1)
            }
            guard let v = expression(depth: depth + 1), pos < tokens.count, tokens[pos].is(")") else { return nil }
            pos += 1
            return v
        }
        if t.kind == .number { pos += 1; return HeaderScope.literal(t.text) }
        if t.is("sizeof") { return sizeof() }
        if t.kind == .identifier, let m = scope.macros[t.text], pos + 1 < tokens.count, tokens[pos + 1].is("(") {
            if scope.ambiguous.contains(t.text) { return nil }
            return expand(m, depth: depth)
        }
        if t.kind == .identifier || t.is("::") {
            // a (qualified) name: its last part is looked up, as enumerators are unique enough in L4Re's headers
            var full: [String] = []
            if t.is("::") { pos += 1 }
            while pos < tokens.count, tokens[pos].kind == .identifier {
                full.append(tokens[pos].text); pos += 1
                if pos + 1 < tokens.count, tokens[pos].is("::"), tokens[pos + 1].kind == .identifier { pos += 1 } else { break }
            }
            guard let last = full.last else { return nil }
            if let v = scope.constants[full.joined(separator: "::")] { return v }
            return scope.value(ofName: last, depth: nameDepth, budget: budget)
        }
        return nil
    }
}

extension Evaluator {
    /// The position of the `)` closing the `(` at `open`, if any.
    func closing(_ open: Int) -> Int? {
        var level = 0
        var k = open
        while k < tokens.count {
            if tokens[k].is("(") { level += 1 } else if tokens[k].is(")") { level -= 1; if level == 0 { return k } }
            k += 1
        }
        return nil
    }

    /// `sizeof(T)`: an integer type or a typedef of one, a pointer (8), a struct read so far (its C++ size on amd64).
    mutating func sizeof() -> Int? {
        guard pos + 1 < tokens.count, tokens[pos + 1].is("("), let close = closing(pos + 1) else { return nil }
        var r = TypeReader(tokens[(pos + 2)..<close])
        guard let type = r.type(depth: 0), r.atEnd else { return nil }
        pos = close + 1
        if type.pointers > 0 { return 8 }
        if type.isReference { return nil }
        let reader = ArgumentReader(scope: scope)
        if let it = reader.intType(type) { return it.size }
        guard nameDepth < HeaderScope.maxDepth, let l = try? reader.layout(type, depth: nameDepth + 1) else { return nil }
        return l.size
    }

    /// A function-like macro used at `pos`: its arguments (split at top-level commas) put in place of its
    /// parameters, and the result evaluated. Bounded: depth and the expansion's size.
    mutating func expand(_ m: (params: [String], body: [Token]), depth: Int) -> Int? {
        guard nameDepth < HeaderScope.maxDepth, let close = closing(pos + 1) else { return nil }
        var args: [[Token]] = [[]]
        var level = 0
        for k in (pos + 2)..<close {
            let tok = tokens[k]
            if tok.is("(") { level += 1 } else if tok.is(")") { level -= 1 }
            if level == 0 && tok.is(",") { args.append([]) } else { args[args.count - 1].append(tok) }
        }
        if m.params.isEmpty && args == [[]] { args = [] }
        guard args.count == m.params.count else { return nil }
        var out: [Token] = []
        for tok in m.body {
            if tok.kind == .identifier, let k = m.params.firstIndex(of: tok.text) { out += args[k] } else { out.append(tok) }
            if out.count > Self.maxExpansion { return nil }
        }
        pos = close + 1
        budget.steps -= out.count / 8   // copying the expansion costs too
        var e = Evaluator(tokens: out, scope: scope, budget: budget)
        e.nameDepth = nameDepth + 1
        guard let v = e.expression(depth: depth + 1), e.pos == e.tokens.count else { return nil }
        return v
    }
}

/// A plain struct of a header, as far as its layout goes.
public struct StructDecl: Equatable {
    public var name: [String]
    /// The classes it is declared in (for its Swift name).
    public var outer: [String]
    /// Data members in order; `isPublic` as C++ sees them from outside (for the layout asserts).
    public var fields: [(name: String, type: TypeExpr, count: Int, isPublic: Bool)]
    public var line: Int
    /// Why the struct cannot be an argument (virtual functions, bit fields, bases), if it cannot.
    public var problem: String?
    public var isUnion = false
    /// Its base classes (an empty `Flags_ops_t` left out): their fields come first.
    public var bases: [[String]] = []
    /// Packed (`__attribute__((packed))`: 1) or under `#pragma pack(N)`: no member is aligned above this;
    /// 0 when not packed. `packing` says where, for messages.
    public var packLimit = 0
    public var packing: String? = nil

    public static func == (a: StructDecl, b: StructDecl) -> Bool {
        a.name == b.name && a.line == b.line && a.problem == b.problem && a.fields.count == b.fields.count
            && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.type == $1.type && $0.count == $1.count }
    }
}
