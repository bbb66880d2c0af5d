/// An interface as its header declares it, before its types are checked and
/// its RPCs numbered.
struct InterfaceDecl {
    var name: String
    var namespaces: [String]
    var line: Int
    /// `Kobject_t`, `Kobject_0t`, `Kobject_2t`, `Kobject_3t` or `Kobject_x`.
    var form: String
    /// The interfaces it derives from (qualified as written), `L4::Kobject` left out.
    var bases: [[String]]
    var proto: [Token]?
    var demand: [Token]?
    var rpcs: [RpcDecl] = []
    var list: RpcList?
    /// The line of its `Rpcs` typedef (also when the list cannot be read).
    var listLine: Int?
    /// A problem with the declaration itself (its Kobject arguments, its Rpcs list), and the line it is on.
    var problem: String?
    var problemLine: Int?

    var qualifiedName: [String] { namespaces + [name] }
}

/// One `L4_INLINE_RPC` / `L4_RPC` (and `_NF`, `_OP`) declaration.
struct RpcDecl {
    var macro: String
    var line: Int
    var op: [Token]?
    var result: [Token]
    var name: Token
    /// Each argument's tokens.
    var args: [[Token]]
    /// What follows the arguments: `L4::Ipc::Call_t<RIGHTS>`, `L4::Ipc::Send_only`.
    var trailing: [[Token]]
    var problem: String?
    /// The branch of an `#if` it is declared in, when the generator does not evaluate that `#if`.
    var conditional: TokenizedHeader.Conditional? = nil
}

/// The `Rpcs` typedef that numbers an interface's RPCs.
struct RpcList {
    /// `Rpcs`, `Rpcs_code`, `Rpcs_sys`, `Rpc_nocode` or `Raw_ipc`.
    var kind: String
    var codeType: [Token]?
    var names: [String]
    var line: Int
}

/// Reads a tokenized header in one pass: namespaces, interface classes with
/// their RPC declarations and `Rpcs` lists, and (into `scope`) enumerators,
/// typedefs and plain structs. Every token is looked at a bounded number of
/// times, so the time is linear in the header's size.
struct DeclarationReader {
    static let kobjectForms: Set<String> = ["Kobject_t", "Kobject_0t", "Kobject_2t", "Kobject_3t", "Kobject_x"]
    static let macros: Set<String> = ["L4_INLINE_RPC_NF_OP", "L4_INLINE_RPC_OP", "L4_INLINE_RPC_NF", "L4_INLINE_RPC",
                                      "L4_RPC_NF_OP", "L4_RPC_OP", "L4_RPC_NF", "L4_RPC"]
    static let listKinds: Set<String> = ["Rpcs", "Rpcs_code", "Rpcs_sys", "Rpc_nocode", "Raw_ipc"]

    let t: [Token]
    var scope: HeaderScope
    var interfaces: [InterfaceDecl] = []
    /// From the tokenizer: the `#if` branches the generator does not evaluate, and the `#pragma pack` regions (by line).
    var conditionalAt: [Int: TokenizedHeader.Conditional] = [:]
    var branchCounts: [Int: Int] = [:]
    var packedAt: [Int: (line: Int, value: Int)] = [:]

    enum Scope { case namespace([String]), interface(Int), structure([String]), other }

    /// A struct being read: its key in `scope.structs` and the member statement so far.
    struct OpenStruct {
        var key: String
        var statement: [Token] = []
        /// What the last nested brace in the statement opened: a function body, or a type (whose member follows).
        var nested: Nested = .none
        enum Nested { case none, function, type }
        /// The access of the members that follow (`struct`: public until said otherwise, `class`: private).
        var isPublic = true

        /// Takes the statement's leading access specifiers (`public:`), keeping the last as the current access.
        mutating func takeAccess() {
            while statement.count >= 2, ["public", "private", "protected"].contains(statement[0].text), statement[1].is(":") {
                isPublic = statement[0].text == "public"
                statement.removeFirst(2)
            }
        }
    }

    init(_ tokens: [Token], scope: HeaderScope) { self.t = tokens; self.scope = scope }

    init(_ header: TokenizedHeader, scope: HeaderScope) {
        self.init(header.tokens, scope: scope)
        conditionalAt = header.conditionalAt
        branchCounts = header.branchCounts
        packedAt = header.packedAt
    }

    mutating func read() {
        var stack: [Scope] = []
        // The names the open scopes add (kept beside the stack, so that no scope is walked again).
        var names: [String] = []
        var added: [Int] = []
        var pending: Scope? = nil
        // the enclosing class names (for the Swift names of nested structs)
        var classes: [String] = []
        var open: [OpenStruct] = []
        var pendingBases: [[String]] = []
        var pendingUnion = false
        var pendingTypedef = false
        var pendingClass = false
        // `struct __attribute__((packed)) X {`
        var pendingPacked: String? = nil
        // struct bodies opened by `typedef struct ... {` (their name follows the closing brace)
        var typedefStructs: Set<Int> = []
        var i = 0
        while i < t.count {
            let tok = t[i]
            let inStruct: Bool
            if case .structure? = stack.last { inStruct = true } else { inStruct = false }
            if inStruct && !open.isEmpty && !tok.is("{") && !tok.is("}") && !tok.is(";") { open[open.count - 1].statement.append(tok) }
            if tok.is("{") {
                if inStruct && !open.isEmpty {
                    open[open.count - 1].takeAccess()
                    let st = open[open.count - 1].statement
                    open[open.count - 1].nested = st.contains(where: { $0.is("(") }) ? .function : .type
                }
                let s = pending ?? .other
                var n: [String] = []
                switch s {
                case .namespace(let ns): n = ns
                case .structure(let sn):
                    n = sn
                    var decl = StructDecl(name: names + sn, outer: classes, fields: [], line: tok.line, problem: nil)
                    decl.isUnion = pendingUnion
                    decl.bases = pendingBases.filter { !($0.last ?? "").hasSuffix("Flags_ops_t") }
                    if let p = packedAt[tok.line] {
                        decl.packLimit = p.value
                        decl.packing = "is laid out under the #pragma pack at line \(p.line)"
                    }
                    if let a = pendingPacked {
                        if a.contains("align") { decl.problem = "is declared with '\(a)' at line \(tok.line) (aligned layouts are not generated)" }
                        else { decl.packLimit = 1; decl.packing = "is declared with '\(a)' at line \(tok.line)" }
                    }
                    let key = (names + sn).joined(separator: "::")
                    scope.structs[key] = decl
                    if let last = sn.last { scope.structs[last] = decl }
                    if names.count + sn.count >= 2 { scope.structs[(names + sn).suffix(2).joined(separator: "::")] = decl }
                    var os = OpenStruct(key: key)
                    os.isPublic = !pendingClass
                    open.append(os)
                    classes += sn
                    if pendingTypedef { typedefStructs.insert(stack.count) }
                case .interface(let k): n = [interfaces[k].name]; classes.append(interfaces[k].name)
                case .other: break
                }
                stack.append(s); names += n; added.append(n.count)
                pending = nil; pendingBases = []; pendingUnion = false; pendingTypedef = false; pendingClass = false; pendingPacked = nil
                i += 1; continue
            }
            if tok.is("}") {
                if let last = stack.popLast() {
                    names.removeLast(added.removeLast())
                    switch last {
                    case .structure(let sn):
                        classes.removeLast(sn.count)
                        let o = open.removeLast()
                        finishStruct(o)
                        // `} __attribute__((packed));`, `} L4_PACKED;`: a layout the generator does not compute
                        if i + 1 < t.count, let a = Self.layoutAttribute(t, at: i + 1) { spoil(o.key, a, line: t[i + 1].line) }
                        if typedefStructs.remove(stack.count) != nil, i + 2 < t.count, t[i + 1].kind == .identifier, t[i + 2].is(";"),
                           var decl = scope.structs[o.key] {
                            // the typedef's name stands for the struct (and names it, when it has no tag)
                            if decl.name.last?.hasPrefix("__anonymous_") == true { decl.name = names + [t[i + 1].text] }
                            scope.structs[t[i + 1].text] = decl
                            if !names.isEmpty { scope.structs[(names + [t[i + 1].text]).joined(separator: "::")] = decl }
                            i += 2
                        }
                    case .interface: classes.removeLast()
                    default: break
                    }
                    if case .structure? = stack.last, !open.isEmpty {
                        // back in a struct: a function body ended (nothing follows), or a nested type (its member may)
                        if open[open.count - 1].nested == .function { open[open.count - 1].statement = [] }
                        else { open[open.count - 1].statement = [] }
                    }
                }
                pending = nil; i += 1; continue
            }
            if tok.is(";") {
                if inStruct && !open.isEmpty { memberStatement(&open[open.count - 1]) }
                pending = nil; i += 1; continue
            }
            guard tok.kind == .identifier else { i += 1; continue }
            switch tok.text {
            case "namespace":
                var j = i + 1
                var ns: [String] = []
                while j < t.count, !t[j].is("{"), !t[j].is(";"), !t[j].is("=") {
                    if t[j].kind == .identifier, !t[j].text.hasPrefix("L4_") { ns.append(t[j].text) }
                    j += 1
                }
                if j < t.count, t[j].is("{") { pending = .namespace(ns) }
                i = j
                continue
            case "enum":
                i = readEnum(from: i + 1, in: names)
                continue
            case "typedef" where i + 1 < t.count && (t[i + 1].text == "struct" || t[i + 1].text == "union"):
                // `typedef struct [Tag] { ... } Name;`: the struct, and Name for it once its body ends
                var j = i + 2
                var tag: String? = nil
                while j < t.count, t[j].kind == .identifier, t[j].text.hasPrefix("L4_") { j += 1 }
                if j < t.count, t[j].kind == .identifier { tag = t[j].text; j += 1 }
                guard j < t.count, t[j].is("{") else { i = readAlias(at: i, in: names, interface: nil); continue }
                pending = .structure([tag ?? "__anonymous_\(t[i].line)"])
                pendingUnion = t[i + 1].text == "union"
                pendingTypedef = true
                i = j
                continue
            case "typedef", "using":
                var k: Int? = nil
                if case .interface(let n)? = stack.last { k = n }
                i = readAlias(at: i, in: names, interface: k)
                continue
            case "struct", "class", "union":
                // `struct X`, `class L4_EXPORT X : bases {`, forward declarations, elaborated types in arguments
                if tok.text == "union" {
                    if i + 2 < t.count, t[i + 1].kind == .identifier, t[i + 2].is("{") { pending = .structure([t[i + 1].text]); pendingUnion = true; i += 2; continue }
                    i += 1; continue
                }
                var j = i + 1
                while j < t.count {
                    if let a = Self.layoutAttribute(t, at: j) { pendingPacked = a }
                    if t[j].kind == .identifier, t[j].text.hasPrefix("L4_") || t[j].text == "alignas" { j += 1; continue }
                    // `__attribute__((...))`, `alignas(8)`: skipped (a packed or aligned one spoils the struct's layout)
                    if j + 1 < t.count, t[j].text == "__attribute__", t[j + 1].is("("), let c = Self.closing(t, from: j + 1, within: 256) {
                        j = c + 1; continue
                    }
                    if t[j].is("("), t[j - 1].text == "alignas", let c = Self.closing(t, from: j, within: 256) { j = c + 1; continue }
                    break
                }
                guard j < t.count, t[j].kind == .identifier else { pendingPacked = nil; i += 1; continue }
                let name = t[j].text, line = t[j].line
                j += 1
                if j < t.count, t[j].is("<") { i = j; continue }   // a specialization: not an interface
                if j < t.count, t[j].kind == .identifier, t[j].text == "final" { j += 1 }
                if j < t.count, t[j].is("{") {
                    pending = .structure([name]); pendingClass = tok.text == "class"; i = j; continue
                }
                // an elaborated type (`struct sigaction *act`): its words belong to the statement
                guard j < t.count, t[j].is(":") else { i += 1; continue }
                // the base list, to the body
                let start = j + 1
                var k = start
                while k < t.count, !t[k].is("{"), !t[k].is(";") { k += 1 }
                guard k < t.count, t[k].is("{") else { i = k; continue }
                if var d = interfaceHead(name: name, line: line, bases: t[start..<k]) {
                    d.namespaces = names
                    interfaces.append(d)
                    pending = .interface(interfaces.count - 1)
                } else {
                    pending = .structure([name])
                    pendingClass = tok.text == "class"
                    pendingBases = Self.splitTopLevel(t[start..<k]).compactMap { b in
                        var r = TypeReader(b.filter { !["public", "private", "protected", "virtual"].contains($0.text) }[...])
                        return r.type(depth: 0)?.name
                    }
                }
                i = k
                continue
            default:
                if case .interface(let k)? = stack.last, Self.macros.contains(tok.text) { i = readRpc(at: i, into: k); continue }
                i += 1
            }
        }
        for k in interfaces.indices { checkDeclarations(k) }
    }

    /// RPCs declared twice, and RPCs declared under an `#if` the generator does not evaluate unless every branch
    /// of it declares them alike (L4Re's Dataspace declares map_info in both branches of `#ifdef CONFIG_MMU`).
    mutating func checkDeclarations(_ k: Int) {
        var byName: [String: [Int]] = [:]
        for (x, r) in interfaces[k].rpcs.enumerated() where r.problem == nil {
            byName[r.name.text, default: []].append(x)
        }
        func signature(_ r: RpcDecl) -> String {
            Token.spell(r.result, limit: 10_000) + "|" + r.args.map { Token.spell($0, limit: 10_000) }.joined(separator: ",") + "|"
                + Token.spell(r.op ?? [], limit: 10_000) + "|" + r.trailing.map { Token.spell($0, limit: 10_000) }.joined(separator: ",")
        }
        for (name, xs) in byName {
            let rs = xs.map { interfaces[k].rpcs[$0] }
            let sigs = rs.map(signature)
            // each #if's branches that declare it, and its signatures there (one pass: linear in the declarations)
            var branches: [Int: Set<Int>] = [:], sigsAt: [Int: Set<String>] = [:]
            for (n, r) in rs.enumerated() { if let c = r.conditional { branches[c.line, default: []].insert(c.branch); sigsAt[c.line, default: []].insert(sigs[n]) } }
            var firstLine: Int? = nil
            var firstIn: [TokenizedHeader.Conditional: Int] = [:]
            // the first declaration under an #if, and the first under another #if than that one: (#if line, line)
            var firstIf: (Int, Int)? = nil, otherIf: (Int, Int)? = nil
            for (n, x) in xs.enumerated() {
                let r = rs[n]
                // a second declaration: in the same branch, beside an unconditional one, or under another #if
                var earlier = firstLine
                if let c = r.conditional {
                    earlier = earlier ?? firstIn[c] ?? (firstIf.map { $0.0 != c.line ? $0.1 : otherIf?.1 } ?? nil)
                    if firstIn[c] == nil { firstIn[c] = r.line }
                    if firstIf == nil { firstIf = (c.line, r.line) } else if otherIf == nil, firstIf!.0 != c.line { otherIf = (c.line, r.line) }
                } else {
                    earlier = earlier ?? firstIf?.1
                    if firstLine == nil { firstLine = r.line }
                }
                if let e = earlier {
                    interfaces[k].rpcs[x].problem = "'\(name)' is declared twice (line \(e) and line \(r.line))"
                    continue
                }
                guard let c = r.conditional else { continue }
                if branches[c.line]?.count != (branchCounts[c.line] ?? 0) || (sigsAt[c.line]?.count ?? 0) > 1 {
                    interfaces[k].rpcs[x].problem = "is declared under the #if at line \(c.line), which the generator does not evaluate "
                        + "(declare it outside the #if, or alike in every branch)"
                }
            }
        }
    }

    // MARK: - structs

    /// The packed or aligned attribute at `k` (`__attribute__((packed))`, `__attribute__((aligned(8)))`,
    /// `alignas(8)`, `L4_PACKED`, `[[gnu::packed]]`), spelled for a message; nil for none.
    static func layoutAttribute(_ t: [Token], at k: Int) -> String? {
        guard k < t.count else { return nil }
        let words: Set<String> = ["packed", "__packed__", "aligned", "__aligned__"]
        if t[k].text == "L4_PACKED" || t[k].text.hasPrefix("L4_ALIGN") { return t[k].text }
        if t[k].text == "alignas" { return "alignas" }
        if t[k].text == "__attribute__", k + 1 < t.count, t[k + 1].is("("), let c = closing(t, from: k + 1, within: 256),
           t[(k + 1)..<c].contains(where: { words.contains($0.text) }) {
            return Token.spell(t[k...c])
        }
        if t[k].is("["), k + 1 < t.count, t[k + 1].is("[") {
            var e = k + 2
            while e < t.count, e < k + 64, !t[e].is("]") { e += 1 }
            if t[(k + 2)..<min(e, t.count)].contains(where: { words.contains($0.text) }) { return Token.spell(t[k..<min(e + 2, t.count)]) }
        }
        return nil
    }

    /// Marks the struct at `key` (and the shorter names it is known by) packed (laid out as if not, when no
    /// member is aligned above 1) or, when aligned, as not generated.
    mutating func spoil(_ key: String, _ attribute: String, line: Int) {
        guard var decl = scope.structs[key] else { return }
        if attribute.contains("align") {
            decl.problem = decl.problem ?? "is declared with '\(attribute)' at line \(line) (aligned layouts are not generated)"
        } else {
            decl.packLimit = 1
            decl.packing = "is declared with '\(attribute)' at line \(line)"
        }
        scope.structs[key] = decl
        let parts = key.components(separatedBy: "::")
        if let l = parts.last, scope.structs[l]?.line == decl.line { scope.structs[l] = decl }
        if parts.count >= 2 { scope.structs[parts.suffix(2).joined(separator: "::")] = decl }
    }

    static let notMembers: Set<String> = ["static", "friend", "typedef", "using", "template", "enum", "struct", "class",
                                          "union", "operator", "constexpr", "explicit", "inline", "static_assert"]

    /// One statement of a struct body: a data member (`T a, b[N];`) is recorded; `virtual` and bit fields spoil the struct.
    mutating func memberStatement(_ o: inout OpenStruct) {
        o.takeAccess()
        var st = o.statement[...]
        let nested = o.nested
        let isPublic = o.isPublic
        o.statement = []
        o.nested = .none
        guard var decl = scope.structs[o.key] else { return }
        defer { scope.structs[o.key] = decl; let parts = o.key.components(separatedBy: "::"); if let l = parts.last { scope.structs[l] = decl }
                if parts.count >= 2 { scope.structs[parts.suffix(2).joined(separator: "::")] = decl } }
        if nested == .type && st.contains(where: { $0.kind == .identifier }) {
            decl.problem = decl.problem ?? "has a member of a type declared in place"; return
        }
        // an elaborated type (`struct timeval it_value;`, `union u x;`) is a member of that type, not a declaration
        if let f = st.first, ["struct", "union", "class", "enum"].contains(f.text), st.count >= 3,
           st[st.startIndex + 1].kind == .identifier, st[st.startIndex + 2].kind == .identifier || st[st.startIndex + 2].is("*") {
            st = st.dropFirst()
        }
        guard let first = st.first else { return }
        if st.contains(where: { $0.text == "virtual" }) { decl.problem = decl.problem ?? "has virtual functions"; return }
        let words = Array(st)
        if let a = words.indices.lazy.compactMap({ Self.layoutAttribute(words, at: $0) }).first {
            decl.problem = decl.problem ?? "has a member declared with '\(a)' (packed or aligned layouts are not generated)"; return
        }
        // a parenthesis before any `[`: a function (skipped) or a function pointer (`void (*f)(int)`, which has a layout)
        let paren = st.firstIndex(where: { $0.is("(") }), bracket = st.firstIndex(where: { $0.is("[") }) ?? st.endIndex
        if let p = paren, p < bracket, !Self.notMembers.contains(first.text), p + 1 < st.endIndex, st[p + 1].is("*") {
            decl.problem = decl.problem ?? "has a function pointer member"; return
        }
        if Self.notMembers.contains(first.text) || first.is("~") || (paren.map { $0 < bracket } ?? false) { return }
        if st.contains(where: { $0.is(":") }) { decl.problem = decl.problem ?? "has bit fields"; return }
        // the type, then declarators: name, name[N], name = init
        var r = TypeReader(st)
        guard let type = r.type(depth: 0) else { decl.problem = decl.problem ?? "has a member that cannot be read"; return }
        while let n = r.peek() {
            guard n.kind == .identifier else { decl.problem = decl.problem ?? "has a member that cannot be read"; return }
            r.pos += 1
            var count = 1
            if let b = r.peek(), b.is("[") {
                r.pos += 1
                let start = r.pos
                while let c = r.peek(), !c.is("]") { r.pos += 1 }
                guard let v = scope.value(of: r.tokens[start..<r.pos]), v > 0, v <= 4096 else {
                    if let a = r.tokens[start..<r.pos].first(where: { scope.ambiguous.contains($0.text) }) {
                        decl.problem = decl.problem ?? "has an array member whose length depends on an #if ('\(a.text)' is defined twice, differently)"; return
                    }
                    decl.problem = decl.problem ?? "has an array member whose length is not a known constant"; return
                }
                r.pos += 1
                count = v
            }
            decl.fields.append((name: n.text, type: type, count: count, isPublic: isPublic))
            if let e = r.peek(), e.is("=") { while let c = r.peek(), !c.is(",") { r.pos += 1 } }
            if let c = r.peek(), c.is(",") { r.pos += 1; continue }
            break
        }
        if !r.atEnd { decl.problem = decl.problem ?? "has a member that cannot be read" }
    }

    mutating func finishStruct(_ o: OpenStruct) {
        var o = o
        if !o.statement.isEmpty { memberStatement(&o) }
    }

    // MARK: - interfaces

    /// The interface a class declares by deriving from a `Kobject_*` template, nil for another class.
    func interfaceHead(name: String, line: Int, bases: ArraySlice<Token>) -> InterfaceDecl? {
        guard let kt = bases.firstIndex(where: { $0.kind == .identifier && Self.kobjectForms.contains($0.text) }) else { return nil }
        let form = t[kt].text
        var d = InterfaceDecl(name: name, namespaces: [], line: line, form: form, bases: [], proto: nil, demand: nil)
        guard kt + 1 < bases.endIndex, t[kt + 1].is("<"), let args = Self.templateArgs(t, from: kt + 1, end: bases.endIndex) else {
            d.problem = "cannot read the \(form)<...> arguments"
            return d
        }
        func typeName(_ a: [Token]) -> [String]? {
            var r = TypeReader(a[...])
            guard let ty = r.type(depth: 0), r.atEnd else { return nil }
            return ty.name
        }
        func isDemand(_ a: [Token]) -> Bool { a.contains { $0.kind == .identifier && ($0.text == "Demand_t" || $0.text == "Demand_union_t") } }
        func demandValue(_ a: [Token]) -> [Token]? {
            guard let o = a.firstIndex(where: { $0.is("<") }), let inner = Self.templateArgs(a, from: o, end: a.count) else { return nil }
            return inner.first
        }
        var rest = Array(args.dropFirst())   // the first is the class itself
        switch form {
        case "Kobject_x":
            for a in rest {
                if a.contains(where: { $0.text == "Proto_t" }) {
                    if let o = a.firstIndex(where: { $0.is("<") }), let inner = Self.templateArgs(a, from: o, end: a.count) { d.proto = inner.first }
                } else if isDemand(a) { d.demand = demandValue(a) }
                else if let b = typeName(a) { d.bases.append(b) }
            }
            if d.proto == nil { d.proto = [] }
            return d
        case "Kobject_0t": break
        default:
            let count = form == "Kobject_t" ? 1 : form == "Kobject_2t" ? 2 : 3
            guard rest.count >= count else { d.problem = "\(form) needs the class, \(count) base\(count > 1 ? "s" : "") and a protocol"; return d }
            for a in rest.prefix(count) {
                guard let b = typeName(a) else { d.problem = "cannot read the base '\(Token.spell(a))'"; return d }
                d.bases.append(b)
            }
            rest.removeFirst(count)
        }
        if let p = rest.first { d.proto = p; rest.removeFirst() } else { d.proto = [] }
        if let dm = rest.first, isDemand(dm) { d.demand = demandValue(dm) }
        d.bases.removeAll { $0 == ["L4", "Kobject"] || $0 == ["Kobject"] }
        return d
    }

    /// The top-level arguments of the template whose `<` is at `from` (nil when it does not close before `end`).
    static func templateArgs(_ t: [Token], from: Int, end: Int) -> [[Token]]? {
        var depth = 0, parens = 0
        var cur: [Token] = []
        var out: [[Token]] = []
        var k = from
        while k < end {
            let c = t[k]
            if c.is("(") { parens += 1 } else if c.is(")") { parens -= 1 }
            if parens == 0 && c.is("<") {
                depth += 1
                if depth == 1 { k += 1; continue }
            } else if parens == 0 && c.is(">") {
                depth -= 1
                if depth == 0 { if !cur.isEmpty || !out.isEmpty { out.append(cur) }; return out }
            } else if parens == 0 && depth == 1 && c.is(",") {
                out.append(cur); cur = []; k += 1; continue
            }
            cur.append(c)
            k += 1
        }
        return nil
    }

    /// Splits `t[from..<end]` at commas outside (), <>, {} and [].
    static func splitTopLevel(_ t: ArraySlice<Token>) -> [[Token]] {
        var depth = 0
        var cur: [Token] = []
        var out: [[Token]] = []
        for c in t {
            if c.is("(") || c.is("<") || c.is("{") || c.is("[") { depth += 1 }
            if c.is(")") || c.is(">") || c.is("}") || c.is("]") { depth -= 1 }
            if c.is(",") && depth == 0 { out.append(cur); cur = [] } else { cur.append(c) }
        }
        if !cur.isEmpty || !out.isEmpty { out.append(cur) }
        return out
    }

    /// The index of the `)` matching the `(` at `from`, or nil (also when it is not within `within` tokens).
    static func closing(_ t: [Token], from: Int, within: Int = Int.max) -> Int? {
        var depth = 0
        var k = from
        // never past the end (`from + within` may overflow; `from` may be 0 with `within` unbounded)
        let end = within >= t.count - from ? t.count : from + within
        while k < end {
            if t[k].is("(") { depth += 1 } else if t[k].is(")") { depth -= 1; if depth == 0 { return k } }
            k += 1
        }
        return nil
    }

    /// Reads one RPC macro at `i`; returns where reading goes on.
    mutating func readRpc(at i: Int, into k: Int) -> Int {
        let macro = t[i].text, line = t[i].line
        guard i + 1 < t.count, t[i + 1].is("("), let close = Self.closing(t, from: i + 1) else {
            let opened = i + 1 < t.count && t[i + 1].is("(")
            interfaces[k].rpcs.append(RpcDecl(macro: macro, line: line, op: nil, result: [], name: t[i], args: [], trailing: [],
                                              problem: opened ? "the '(' after \(macro) is never closed" : "\(macro) without arguments"))
            return i + 1
        }
        var parts = Self.splitTopLevel(t[(i + 2)..<close])
        var decl = RpcDecl(macro: macro, line: line, op: nil, result: [], name: t[i], args: [], trailing: [])
        decl.conditional = conditionalAt[line]
        if macro.hasSuffix("_OP") {
            if parts.isEmpty { decl.problem = "\(macro) needs an opcode" } else { decl.op = parts.removeFirst() }
        }
        if decl.problem == nil {
            if parts.count < 3 || parts[1].count != 1 || parts[1][0].kind != .identifier {
                decl.problem = "\(macro) needs a result type, a name and (arguments)"
            } else {
                decl.result = parts[0]
                decl.name = parts[1][0]
                let a = parts[2]
                if let f = a.first, f.is("("), let l = a.last, l.is(")"), Self.closing(a, from: 0) == a.count - 1 {
                    decl.args = Self.splitTopLevel(a.dropFirst().dropLast())
                } else {
                    decl.problem = "the arguments of '\(decl.name.text)' are not in parentheses"
                }
                decl.trailing = Array(parts.dropFirst(3))
            }
        }
        interfaces[k].rpcs.append(decl)
        return close + 1
    }

    // MARK: - enums, typedefs, lists

    /// Enumerators of `enum [class] [Name] [: type] { A = expr, B, ... }`; returns where reading goes on.
    mutating func readEnum(from start: Int, in names: [String]) -> Int {
        var j = start
        while j < t.count, !t[j].is("{"), !t[j].is(";"), j - start < 64 { j += 1 }
        guard j < t.count, t[j].is("{") else { return start }
        // `enum [class] Name [: type]`: Name stands for its underlying type (int when none is given)
        var h = start
        if h < j, t[h].text == "class" || t[h].text == "struct" { h += 1 }
        if h < j, t[h].kind == .identifier {
            let name = t[h].text
            var under = TypeExpr(name: ["int"])
            if h + 1 < j, t[h + 1].is(":") {
                var r = TypeReader(t[(h + 2)..<j])
                if let ty = r.type(depth: 0), r.atEnd { under = ty }
            }
            scope.aliases[name] = scope.aliases[name] ?? under
            if !names.isEmpty {
                scope.aliases[(names + [name]).joined(separator: "::")] = under
                scope.aliases[[names.last!, name].joined(separator: "::")] = under
            }
        }
        var k = j + 1
        var next = 0
        var entry: [Token] = []
        func finish(_ e: [Token]) {
            guard let n = e.first, n.kind == .identifier else { return }
            var v: Int? = next
            if e.count >= 3, e[1].is("=") { v = scope.value(of: e[2...]) } else if e.count != 1 { v = nil }
            if let v {
                scope.constants[n.text] = v
                let (nx, o) = v.addingReportingOverflow(1)
                next = o ? 0 : nx
            }
        }
        var parens = 0
        while k < t.count, !t[k].is("}") {
            if t[k].is("{") { return k }   // not a plain enum body
            if t[k].is("(") { parens += 1 } else if t[k].is(")") { parens -= 1 }
            if t[k].is(","), parens == 0 { finish(entry); entry = [] } else { entry.append(t[k]) }
            k += 1
        }
        finish(entry)
        return k < t.count ? k + 1 : k
    }

    /// `typedef T Name;`, `using Name = T;` and the `Rpcs` list; returns where reading goes on (the `;`, or a
    /// brace that ends the statement early, which the caller then reads).
    mutating func readAlias(at i: Int, in names: [String], interface: Int?) -> Int {
        var end = i + 1
        while end < t.count, !t[end].is(";"), !t[end].is("{"), !t[end].is("}") { end += 1 }
        guard end < t.count, t[end].is(";") else { return end }
        var type: ArraySlice<Token>
        var name: Token
        if t[i].text == "typedef" {
            guard end - 1 > i + 1, t[end - 1].kind == .identifier else { return end }
            name = t[end - 1]
            type = t[(i + 1)..<(end - 1)]
        } else {
            guard i + 3 < end, t[i + 1].kind == .identifier, t[i + 2].is("=") else { return end }
            name = t[i + 1]
            type = t[(i + 3)..<end]
        }
        if name.text == "Rpcs", let k = interface {
            if let first = interfaces[k].listLine {
                if interfaces[k].problem == nil {
                    interfaces[k].problem = "a second Rpcs list at line \(name.line) (the first is at line \(first)); which one holds depends on what the generator does not read"
                    interfaces[k].problemLine = name.line
                }
                return end
            }
            if let c = conditionalAt[t[i].line] ?? conditionalAt[name.line], interfaces[k].problem == nil {
                interfaces[k].problem = "its Rpcs list (line \(name.line)) is under the #if at line \(c.line), which the generator does not evaluate"
                interfaces[k].problemLine = name.line
            }
            interfaces[k].list = rpcList(type, line: name.line)
            interfaces[k].listLine = name.line
            return end
        }
        var r = TypeReader(type)
        guard let ty = r.type(depth: 0), r.atEnd else { return end }
        // the bare name, unless the alias names itself by it (`using Dma_addr = Dma_space::Dma_addr;`)
        if ty.last != name.text || ty.name.count == 1 && ty.name != [name.text] { scope.aliases[name.text] = ty }
        if !names.isEmpty {
            scope.aliases[(names + [name.text]).joined(separator: "::")] = ty
            scope.aliases[[names.last!, name.text].joined(separator: "::")] = ty
        }
        return end
    }

    func rpcList(_ type: ArraySlice<Token>, line: Int) -> RpcList? {
        guard let kw = type.firstIndex(where: { $0.kind == .identifier && Self.listKinds.contains($0.text) }) else { return nil }
        let kind = type[kw].text
        var list = RpcList(kind: kind, codeType: nil, names: [], line: line)
        let arr = Array(type)
        var from = kw - type.startIndex + 1
        guard from < arr.count, arr[from].is("<") else { return kind == "Rpcs" ? list : nil }
        guard var args = Self.templateArgs(arr, from: from, end: arr.count) else { return nil }
        if kind == "Rpcs_code" {
            list.codeType = args.first
            // Rpcs_code<T>::F<rpcs...>
            var k = from
            var depth = 0
            while k < arr.count { if arr[k].is("<") { depth += 1 } else if arr[k].is(">") { depth -= 1; if depth == 0 { break } }; k += 1 }
            from = k + 1
            while from < arr.count, !arr[from].is("<") { from += 1 }
            guard from < arr.count, let inner = Self.templateArgs(arr, from: from, end: arr.count) else { return nil }
            args = inner
        }
        if kind == "Raw_ipc" { return list }
        list.names = args.compactMap { a in
            guard let last = a.last(where: { $0.kind == .identifier }) else { return nil }
            var n = last.text
            if n.hasSuffix("_t") { n.removeLast(2) }
            return n
        }
        return list
    }
}
