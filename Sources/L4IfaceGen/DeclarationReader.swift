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
    /// A problem with the declaration itself (its Kobject arguments).
    var problem: String?

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

    enum Scope { case namespace([String]), interface(Int), structure([String]), other }

    init(_ tokens: [Token], scope: HeaderScope) { self.t = tokens; self.scope = scope }

    mutating func read() {
        var stack: [Scope] = []
        // The names the open scopes add (kept beside the stack, so that no scope is walked again).
        var names: [String] = []
        var added: [Int] = []
        var pending: Scope? = nil
        var i = 0
        while i < t.count {
            let tok = t[i]
            if tok.is("{") {
                let s = pending ?? .other
                var n: [String] = []
                switch s {
                case .namespace(let ns): n = ns
                case .structure(let sn):
                    n = sn
                    let decl = StructDecl(name: names + sn, fields: [], line: tok.line, problem: nil)
                    scope.structs[(names + sn).joined(separator: "::")] = decl
                    scope.structs[sn.last ?? ""] = decl
                case .interface(let k): n = [interfaces[k].name]
                case .other: break
                }
                stack.append(s); names += n; added.append(n.count)
                pending = nil; i += 1; continue
            }
            if tok.is("}") {
                if !stack.isEmpty { stack.removeLast(); names.removeLast(added.removeLast()) }
                pending = nil; i += 1; continue
            }
            if tok.is(";") { pending = nil; i += 1; continue }
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
                i = readEnum(from: i + 1)
                continue
            case "typedef", "using":
                var k: Int? = nil
                if case .interface(let n)? = stack.last { k = n }
                i = readAlias(at: i, in: names, interface: k)
                continue
            case "struct", "class":
                // `struct X`, `class L4_EXPORT X : bases {`, forward declarations, elaborated types in arguments
                var j = i + 1
                while j < t.count, t[j].kind == .identifier, t[j].text.hasPrefix("L4_") || t[j].text == "alignas" { j += 1 }
                guard j < t.count, t[j].kind == .identifier else { i += 1; continue }
                let name = t[j].text, line = t[j].line
                j += 1
                if j < t.count, t[j].is("<") { i = j; continue }   // a specialization: not an interface
                if j < t.count, t[j].kind == .identifier, t[j].text == "final" { j += 1 }
                if j < t.count, t[j].is("{") {
                    pending = .structure([name]); i = j; continue
                }
                guard j < t.count, t[j].is(":") else { i = j; continue }
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
                }
                i = k
                continue
            default:
                if case .interface(let k)? = stack.last, Self.macros.contains(tok.text) { i = readRpc(at: i, into: k); continue }
                i += 1
            }
        }
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

    /// The index of the `)` matching the `(` at `from`, or nil.
    static func closing(_ t: [Token], from: Int) -> Int? {
        var depth = 0
        var k = from
        while k < t.count {
            if t[k].is("(") { depth += 1 } else if t[k].is(")") { depth -= 1; if depth == 0 { return k } }
            k += 1
        }
        return nil
    }

    /// Reads one RPC macro at `i`; returns where reading goes on.
    mutating func readRpc(at i: Int, into k: Int) -> Int {
        let macro = t[i].text, line = t[i].line
        guard i + 1 < t.count, t[i + 1].is("("), let close = Self.closing(t, from: i + 1) else {
            interfaces[k].rpcs.append(RpcDecl(macro: macro, line: line, op: nil, result: [], name: t[i], args: [], trailing: [],
                                              problem: "\(macro) without arguments"))
            return i + 1
        }
        var parts = Self.splitTopLevel(t[(i + 2)..<close])
        var decl = RpcDecl(macro: macro, line: line, op: nil, result: [], name: t[i], args: [], trailing: [])
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
    mutating func readEnum(from start: Int) -> Int {
        var j = start
        while j < t.count, !t[j].is("{"), !t[j].is(";"), j - start < 64 { j += 1 }
        guard j < t.count, t[j].is("{") else { return start }
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
            interfaces[k].list = rpcList(type, line: name.line)
            return end
        }
        var r = TypeReader(type)
        guard let ty = r.type(depth: 0), r.atEnd else { return end }
        scope.aliases[name.text] = ty
        if !names.isEmpty { scope.aliases[(names + [name.text]).joined(separator: "::")] = ty }
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
