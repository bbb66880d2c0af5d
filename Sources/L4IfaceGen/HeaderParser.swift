import Foundation

/// Reads the interfaces of a C++ header: `struct|class X : L4::Kobject_t<X, L4::Kobject, PROTO[, Demand_t<N>]>`
/// with its `L4_INLINE_RPC` / `L4_RPC` declarations (and their `_NF` and `_OP`
/// forms) and the `Rpcs` list that numbers them. Comments and preprocessor
/// lines are skipped; the protocol may be a literal or a name that `constants` or the header defines.
public struct HeaderParser {
    public let file: String
    public var constants: [String: Int]
    /// Integer typedefs (`typedef l4_uint64_t Offset;`, `using Size = unsigned long;`).
    public var aliases: [String: IntType] = [:]

    public init(file: String, constants: [String: Int] = [:]) {
        self.file = file
        self.constants = constants.merging(Self.knownConstants) { a, _ in a }
    }

    /// Names L4Re's own headers define that interfaces commonly use.
    static let knownConstants: [String: Int] = [
        "L4_PROTO_META": -21, "L4::PROTO_EMPTY": -19, "L4::PROTO_ANY": 0,
        "L4_CAP_FPAGE_R": 4, "L4_CAP_FPAGE_W": 1, "L4_CAP_FPAGE_S": 2, "L4_CAP_FPAGE_D": 8,
        "L4_CAP_FPAGE_RO": 4, "L4_CAP_FPAGE_RW": 5, "L4_CAP_FPAGE_RS": 6, "L4_CAP_FPAGE_RWS": 7,
        "L4_CAP_FPAGE_RWSD": 0xf, "L4_FPAGE_C_OBJ_RIGHTS": 0xe0,
    ]

    /// Every interface of `text`, or the first problem found.
    /// The constants another (included) header defines.
    public mutating func learnConstants(from text: String) { collectConstants(Self.stripComments(text)) }

    public mutating func parse(_ text: String) throws(Diagnostic) -> [Interface] {
        let src = Source(Self.stripComments(text))
        collectConstants(src.text)
        var result: [Interface] = []
        // Each open namespace: its names (`A::B` gives two) and the brace depth it opened at.
        var namespaces: [(names: [String], depth: Int)] = []
        var depth = 0
        var i = src.text.startIndex
        let t = src.text
        while i < t.endIndex {
            let c = t[i]
            if c == "{" { depth += 1; i = t.index(after: i); continue }
            if c == "}" {
                depth -= 1
                if let last = namespaces.last, last.depth == depth { namespaces.removeLast() }
                i = t.index(after: i); continue
            }
            if c.isLetter || c == "_" {
                let (word, end) = Self.identifier(t, from: i)
                if word == "namespace" {
                    // `namespace A {`, `namespace A L4_EXPORT {`, `namespace A::B {`
                    var j = end
                    var names: [String] = []
                    while j < t.endIndex, t[j] != "{", t[j] != ";", t[j] != "=" {
                        let (w, e2) = Self.identifier(t, from: j)
                        if w.isEmpty { j = t.index(after: j) } else {
                            if !w.hasPrefix("L4_") { names.append(w) }
                            j = e2
                        }
                    }
                    if j < t.endIndex, t[j] == "{" {
                        namespaces.append((names, depth))
                        depth += 1
                        i = t.index(after: j)
                        continue
                    }
                    i = end; continue
                }
                if word == "struct" || word == "class" {
                    if let (iface, next) = try interface(at: end, in: src, namespaces: namespaces.flatMap(\.names)) {
                        result.append(iface)
                        i = next
                        continue
                    }
                }
                i = end; continue
            }
            i = t.index(after: i)
        }
        return result
    }

    // MARK: - one interface

    private func interface(at start: String.Index, in src: Source, namespaces: [String]) throws(Diagnostic) -> (Interface, String.Index)? {
        let t = src.text
        var j = Self.skipSpace(t, start)
        let (name, e) = Self.identifier(t, from: j)
        guard !name.isEmpty else { return nil }
        j = Self.skipSpace(t, e)
        // skip attributes such as L4_EXPORT
        var n2 = name
        if name.hasPrefix("L4_") {
            let (real, e2) = Self.identifier(t, from: j)
            n2 = real; j = Self.skipSpace(t, e2)
        }
        guard j < t.endIndex, t[j] == ":" else { return nil }
        // The base list runs to the body's brace.
        guard let brace = t[j...].firstIndex(of: "{") else { return nil }
        let bases = String(t[t.index(after: j)..<brace])
        guard let kt = bases.range(of: "Kobject_t") else { return nil }
        let line = src.line(of: start)
        guard let open = bases[kt.upperBound...].firstIndex(of: "<"),
              let args = Self.balanced(bases, from: open, "<", ">") else {
            throw Diagnostic(file: file, line: line, message: "\(n2): cannot read the Kobject_t<...> arguments")
        }
        let targs = Self.splitTopLevel(args)
        guard targs.count >= 3 else {
            throw Diagnostic(file: file, line: line, message: "\(n2): Kobject_t needs the class, its base and a protocol")
        }
        let base = targs[1].trimmed
        if base != "L4::Kobject" && base != "Kobject" {
            throw Diagnostic(file: file, line: line, message: "\(n2): derives from '\(base)': only interfaces derived from L4::Kobject directly are supported")
        }
        guard let proto = value(of: targs[2].trimmed) else {
            throw Diagnostic(file: file, line: line, message: "\(n2): protocol '\(targs[2].trimmed)' is not a number or a known constant (pass it with --define NAME=VALUE)")
        }
        var demand = 0
        if targs.count >= 4 {
            let d = targs[3]
            if let r = d.range(of: "Demand_t"), let o = d[r.upperBound...].firstIndex(of: "<"), let inner = Self.balanced(d, from: o, "<", ">") {
                let first = Self.splitTopLevel(inner).first?.trimmed ?? "0"
                guard let v = value(of: first) else {
                    throw Diagnostic(file: file, line: line, message: "\(n2): demand '\(first)' is not a number")
                }
                demand = v
            }
        }
        guard let bodyText = Self.balanced(t, from: brace, "{", "}") else {
            throw Diagnostic(file: file, line: line, message: "\(n2): the class body does not end")
        }
        let bodyStart = t.index(after: brace)
        let end = t.index(bodyStart, offsetBy: bodyText.count + 1)
        let (rpcs, opcode) = try self.rpcs(in: bodyText, bodyStart: bodyStart, src: src, iface: n2, ifaceLine: line)
        let maxCaps = rpcs.map { $0.args.filter { $0.kind == .capability(.input) }.count }.max() ?? 0
        let iface = Interface(qualifiedName: namespaces + [n2], proto: proto, demandCaps: max(demand, maxCaps),
                              opcode: opcode, rpcs: rpcs)
        return (iface, end)
    }

    private func rpcs(in body: String, bodyStart: String.Index, src: Source, iface: String, ifaceLine: Int) throws(Diagnostic) -> ([Rpc], IntType?) {
        struct Decl { var name: String; var op: Int?; var result: ResultKind; var args: [Arg]; var rights: Int }
        var decls: [String: Decl] = [:]
        var order: [String]? = nil
        var opcodeType: IntType? = IntType("Int32", 4)
        let macros = ["L4_INLINE_RPC_NF_OP", "L4_INLINE_RPC_OP", "L4_INLINE_RPC_NF", "L4_INLINE_RPC",
                      "L4_RPC_NF_OP", "L4_RPC_OP", "L4_RPC_NF", "L4_RPC"]
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            guard c.isLetter || c == "_" else { i = body.index(after: i); continue }
            let (word, end) = Self.identifier(body, from: i)
            let isList = word == "Rpcs" || word == "Rpcs_code" || word == "Rpcs_sys" || word == "Rpc_nocode"
            guard isList || macros.contains(word) else { i = end; continue }
            // Only the words that matter look up their line (an offset walk through the text).
            let line = src.line(of: src.text.index(bodyStart, offsetBy: body.distance(from: body.startIndex, to: i)))
            if !isList {
                let j = Self.skipSpace(body, end)
                guard j < body.endIndex, body[j] == "(", let inner = Self.balanced(body, from: j, "(", ")") else {
                    throw Diagnostic(file: file, line: line, message: "\(iface): \(word) without arguments")
                }
                var parts = Self.splitTopLevel(inner)
                var op: Int? = nil
                if word.hasSuffix("_OP") {
                    guard let first = parts.first, let v = value(of: first.trimmed) else {
                        throw Diagnostic(file: file, line: line, message: "\(iface): \(word) opcode is not a number")
                    }
                    op = v; parts.removeFirst()
                }
                guard parts.count >= 3 else {
                    throw Diagnostic(file: file, line: line, message: "\(iface): \(word) needs a result type, a name and (arguments)")
                }
                let resultType = parts[0].trimmed, name = parts[1].trimmed
                let result: ResultKind
                switch resultType {
                case "long", "int", "l4_ret_t", "long int": result = .code
                case "l4_msgtag_t": result = .tag
                default:
                    throw Diagnostic(file: file, line: line, message: "\(iface)::\(name): result type '\(resultType)' is not supported (long, int, l4_ret_t or l4_msgtag_t)")
                }
                var argText = parts[2].trimmed
                if argText.hasPrefix("(") && argText.hasSuffix(")") { argText = String(argText.dropFirst().dropLast()) }
                var args: [Arg] = []
                for a in Self.splitTopLevel(argText) where !a.trimmed.isEmpty && a.trimmed != "void" {
                    args.append(try arg(a.trimmed, rpc: "\(iface)::\(name)", line: line))
                }
                var rights = 0
                if parts.count >= 4 {
                    let flags = parts[3...].joined(separator: ",")
                    if let r = flags.range(of: "Call_t"), let o = flags[r.upperBound...].firstIndex(of: "<"),
                       let inner = Self.balanced(flags, from: o, "<", ">") {
                        guard let v = value(of: inner.trimmed) else {
                            throw Diagnostic(file: file, line: line, message: "\(iface)::\(name): rights '\(inner.trimmed)' are not known")
                        }
                        rights = v & 3
                    } else if flags.contains("Send_only") {
                        throw Diagnostic(file: file, line: line, message: "\(iface)::\(name): send-only RPCs are not supported")
                    }
                }
                decls[name] = Decl(name: name, op: op, result: result, args: args, rights: rights)
                i = body.index(j, offsetBy: inner.count + 2)
                continue
            }
            do {
                // typedef L4::Typeid::Rpcs<a_t, b_t> Rpcs;  using Rpcs = L4::Typeid::Rpcs_code<T>::F<a_t>;
                var j = end
                var list: String? = nil
                if word == "Rpcs_code" {
                    guard let o = body[j...].firstIndex(of: "<"), let ty = Self.balanced(body, from: o, "<", ">") else { i = end; continue }
                    guard let it = intType(ty.trimmed) else {
                        throw Diagnostic(file: file, line: line, message: "\(iface): opcode type '\(ty.trimmed)' is not an integer type")
                    }
                    opcodeType = it
                    j = body.index(o, offsetBy: ty.count + 2)
                    if let f = body[j...].firstIndex(of: "<") {
                        list = Self.balanced(body, from: f, "<", ">")
                        j = list.map { body.index(f, offsetBy: $0.count + 2) } ?? body.index(after: f)
                    }
                } else {
                    let k = Self.skipSpace(body, j)
                    guard k < body.endIndex, body[k] == "<", let l = Self.balanced(body, from: k, "<", ">") else { i = end; continue }
                    list = l
                    j = body.index(k, offsetBy: l.count + 2)
                    if word == "Rpcs_sys" { opcodeType = IntType("UInt", 8) }
                    if word == "Rpc_nocode" { opcodeType = nil }
                }
                if let list {
                    order = Self.splitTopLevel(list).map { s in
                        var n = s.trimmed
                        if n.hasSuffix("_t") { n.removeLast(2) }
                        if let r = n.range(of: "::", options: .backwards) { n = String(n[r.upperBound...]) }
                        return n
                    }
                }
                i = j; continue
            }
        }
        guard let order else {
            if decls.isEmpty { return ([], opcodeType) }
            throw Diagnostic(file: file, line: ifaceLine, message: "\(iface): no 'Rpcs' list numbers its RPCs")
        }
        var rpcs: [Rpc] = []
        var next = 0
        for n in order {
            guard let d = decls[n] else {
                throw Diagnostic(file: file, line: ifaceLine, message: "\(iface): Rpcs lists '\(n)_t', which is not declared in the class")
            }
            let op = d.op ?? next
            next = op + 1
            rpcs.append(Rpc(name: d.name, opcode: op, result: d.result, args: d.args, rightsMask: d.rights))
        }
        return (rpcs, opcodeType)
    }

    // MARK: - one argument

    func arg(_ text: String, rpc: String, line: Int) throws(Diagnostic) -> Arg {
        // The name is the last identifier (after any pointer or reference).
        var s = Substring(text)
        var name = ""
        if let last = s.lastIndex(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
            let cand = String(s[s.index(after: last)...])
            if !cand.isEmpty && !cand.first!.isNumber && s[...last].contains(where: { $0.isLetter }) && !cand.hasSuffix(">") {
                name = cand; s = s[...last]
            }
        }
        let type = String(s).trimmed
        func fail(_ why: String) -> Diagnostic {
            Diagnostic(file: file, line: line, message: "\(rpc): argument '\(name.isEmpty ? text : name)' of type '\(type)' \(why)")
        }
        if name.isEmpty { throw Diagnostic(file: file, line: line, message: "\(rpc): argument '\(text)' has no name") }
        let (kind, optional) = try kind(of: type, fail: fail)
        return Arg(name: name, kind: kind, optional: optional, cppType: type)
    }

    private func kind(of rawType: String, fail: (String) -> Diagnostic) throws(Diagnostic) -> (ArgKind, Bool) {
        var type = rawType.replacingOccurrences(of: "L4::Ipc::", with: "").replacingOccurrences(of: "Ipc::", with: "").trimmed
        if type.hasPrefix("const ") { type = String(type.dropFirst(6)).trimmed }
        // Opt<T>: the same kind, optional.
        if type.hasPrefix("Opt<") && type.hasSuffix(">") {
            let inner = String(type.dropFirst(4).dropLast()).trimmed
            let (k, _) = try kind(of: inner, fail: fail)
            if case .smallBuffer = k { throw fail("is not supported (an optional buffer)") }
            return (k, true)
        }
        var dir = Direction.input
        if type.hasSuffix("*") || type.hasSuffix("&") {
            let isConst = type.hasPrefix("const ") || type.contains(" const ") || type.contains("const*") || type.contains("const *") || type.contains("const &")
            type = String(type.dropLast()).trimmed
            if type.hasSuffix("const") { type = String(type.dropLast(5)).trimmed; dir = .input } else { dir = isConst ? .input : .output }
            if isConst { type = type.replacingOccurrences(of: "const ", with: "").trimmed }
        }
        if let it = intType(type) { return (.value(it, dir), false) }
        if type == "Snd_fpage" { return (.fpage(dir), false) }
        if type == "Small_buf" { return (.smallBuffer, false) }
        if type.hasPrefix("Out<") && type.hasSuffix(">") {
            let inner = String(type.dropFirst(4).dropLast()).trimmed
            guard inner.hasPrefix("L4::Cap<") else { throw fail("is not supported (Out<> of something other than L4::Cap<T>)") }
            return (.capability(.output), false)
        }
        if type.hasPrefix("Cap<") && dir == .input { return (.capability(.input), false) }
        if type.hasPrefix("String") {
            var len = IntType("UInt", 8)
            if let o = type.firstIndex(of: "<"), let inner = Self.balanced(type, from: o, "<", ">") {
                let ps = Self.splitTopLevel(inner).map(\.trimmed)
                if let ch = ps.first, !ch.isEmpty, !["char", "char const", "const char"].contains(ch) { throw fail("is not supported (strings of '\(ch)')") }
                if ps.count >= 2 {
                    guard let l = intType(ps[1]) else { throw fail("has a length type that is not an integer") }
                    len = l
                }
            }
            return (.string(length: len, dir), false)
        }
        if type.hasPrefix("Array<") || type.hasPrefix("Array_ref<") {
            guard let o = type.firstIndex(of: "<"), let inner = Self.balanced(type, from: o, "<", ">") else { throw fail("cannot be read") }
            let ps = Self.splitTopLevel(inner).map(\.trimmed)
            guard let first = ps.first, !first.isEmpty else { throw fail("has no element type") }
            var elemName = first
            if elemName.hasSuffix(" const") { elemName = String(elemName.dropLast(6)) }
            if elemName.hasPrefix("const ") { elemName = String(elemName.dropFirst(6)) }
            guard var elem = intType(elemName) else { throw fail("is not supported (arrays of '\(ps[0])'; integers only)") }
            if elemName == "char" { elem = IntType("UInt8", 1) }
            if elem.isBool { throw fail("is not supported (arrays of bool)") }
            var len = IntType("UInt16", 2)   // L4::Ipc::Array_len_default
            if ps.count >= 2 {
                guard let l = intType(ps[1]) else { throw fail("has a length type that is not an integer") }
                len = l
            }
            return (.array(element: elem, length: len, dir), false)
        }
        throw fail("is not supported")
    }

    // MARK: - constants

    /// Enumerators (with the implicit values that follow an explicit one) and
    /// `#define NAME value`, for protocols and demands named by a constant.
    public mutating func collectConstants(_ text: String) {
        let t = text
        var i = t.startIndex
        while let r = t.range(of: "enum", range: i..<t.endIndex) {
            i = r.upperBound
            let before = r.lowerBound == t.startIndex ? " " : t[t.index(before: r.lowerBound)]
            guard !(before.isLetter || before.isNumber || before == "_"),
                  i < t.endIndex, !(t[i].isLetter || t[i].isNumber || t[i] == "_"),
                  let brace = t[i...].firstIndex(where: { $0 == "{" || $0 == ";" }), t[brace] == "{",
                  let body = Self.balanced(t, from: brace, "{", "}") else { continue }
            var next = 0
            for entry in Self.splitTopLevel(body) {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmed }
                guard let name = parts.first, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
                var v = next
                if parts.count == 2 {
                    guard let e = value(of: parts[1]) else { continue }
                    v = e
                }
                constants[name] = v
                next = v &+ 1
            }
        }
        // typedef T Name;  using Name = T;
        for stmt in t.split(separator: ";") {
            let words = stmt.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "{" || $0 == "}" })
            if let k = words.firstIndex(of: "typedef"), words.count >= k + 3 {
                let name = String(words[words.count - 1])
                let type = words[(k + 1)..<(words.count - 1)].joined(separator: " ")
                if let it = intType(type) { aliases[name] = it }
            } else if let k = words.firstIndex(of: "using"), words.count >= k + 4, words[k + 2] == "=" {
                let type = words[(k + 3)...].joined(separator: " ")
                if let it = intType(type) { aliases[String(words[k + 1])] = it }
            }
        }
        // `#define NAME value` arrives as `NAME = value;` (see stripComments).
        for line in t.split(separator: "\n") {
            let p = line.split(separator: " ")
            if p.count == 3, p[1] == "=", p[2].hasSuffix(";"), let v = Self.literal(String(p[2].dropLast())) { constants[String(p[0])] = v }
        }
    }

    /// A C integer type, a typedef of one, or a qualified name of such a typedef.
    func intType(_ name: String) -> IntType? {
        if let t = IntType.named(name) { return t }
        var n = name.trimmed
        if n.hasPrefix("const ") { n = String(n.dropFirst(6)).trimmed }
        if n.hasSuffix(" const") { n = String(n.dropLast(6)).trimmed }
        if let a = aliases[n] { return a }
        if let r = n.range(of: "::", options: .backwards) { return aliases[String(n[r.upperBound...])] }
        return nil
    }

    func value(of s: String) -> Int? {
        let t = s.trimmed
        if let v = Self.literal(t) { return v }
        if let v = constants[t] { return v }
        if let r = t.range(of: "::", options: .backwards), let v = constants[String(t[r.upperBound...])] { return v }
        // a | b
        if t.contains("|") {
            var acc = 0
            for p in t.split(separator: "|") { guard let v = value(of: String(p)) else { return nil }; acc |= v }
            return acc
        }
        return nil
    }

    public static func literal(_ s: String) -> Int? {
        var t = s.trimmed
        if t.hasPrefix("("), t.hasSuffix(")") { t = String(t.dropFirst().dropLast()).trimmed }
        while let l = t.last, "uUlL".contains(l) { t.removeLast() }
        if t.hasPrefix("~") { return literal(String(t.dropFirst())).map { ~$0 } }
        var neg = false
        if t.hasPrefix("-") { neg = true; t.removeFirst() }
        let v: Int?
        if t.hasPrefix("0x") || t.hasPrefix("0X") { v = Int(t.dropFirst(2), radix: 16) }
        else if t.count > 1, t.hasPrefix("0") { v = Int(t.dropFirst(), radix: 8) }
        else { v = Int(t) }
        guard let v else { return nil }
        return neg ? -v : v
    }

    // MARK: - text

    /// Comments and preprocessor lines become spaces; lines stay where they were.
    static func stripComments(_ text: String) -> String {
        var out: [UInt8] = []
        let b = Array(text.utf8)
        out.reserveCapacity(b.count)
        var i = 0
        var lineStart = true
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "/") {
                while i < b.count, b[i] != 10 { out.append(32); i += 1 }
                continue
            }
            if c == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "*") {
                out.append(32); out.append(32); i += 2
                while i < b.count, !(b[i] == UInt8(ascii: "*") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "/")) {
                    out.append(b[i] == 10 ? 10 : 32); i += 1
                }
                if i < b.count { out.append(32); out.append(32); i += 2 }
                continue
            }
            if lineStart && c == UInt8(ascii: "#") {
                // a preprocessor line: keep `#define NAME value` as `NAME = value;`
                var j = i
                var line: [UInt8] = []
                while j < b.count, b[j] != 10 || (j > 0 && b[j - 1] == UInt8(ascii: "\\")) { line.append(b[j]); j += 1 }
                let s = String(decoding: line, as: UTF8.self)
                let parts = s.split(whereSeparator: { $0 == " " || $0 == "\t" })
                var repl = [UInt8](repeating: 32, count: line.count)
                if parts.count == 3, parts[0] == "#define" || (parts[0] == "#" && false) {
                    let d = Array("\(parts[1]) = \(parts[2]);".utf8)
                    if d.count <= repl.count { repl.replaceSubrange(0..<d.count, with: d) }
                }
                for (k, ch) in line.enumerated() where ch == 10 { repl[k] = 10 }
                out.append(contentsOf: repl)
                i = j
                continue
            }
            if c == 10 { lineStart = true } else if c != 32 && c != 9 { lineStart = false }
            out.append(c); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func identifier(_ s: String, from i: String.Index) -> (String, String.Index) {
        var j = i
        while j < s.endIndex, s[j].isLetter || s[j].isNumber || s[j] == "_" { j = s.index(after: j) }
        return (String(s[i..<j]), j)
    }

    static func skipSpace(_ s: String, _ i: String.Index) -> String.Index {
        var j = i
        while j < s.endIndex, s[j].isWhitespace { j = s.index(after: j) }
        return j
    }

    /// The text between the bracket at `from` and its partner.
    static func balanced(_ s: String, from: String.Index, _ open: Character, _ close: Character) -> String? {
        var depth = 0
        var j = from
        while j < s.endIndex {
            if s[j] == open { depth += 1 }
            else if s[j] == close {
                depth -= 1
                if depth == 0 { return String(s[s.index(after: from)..<j]) }
            }
            j = s.index(after: j)
        }
        return nil
    }

    /// Splits at commas outside of (), <> and {}.
    static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = []
        var depth = 0
        var cur = ""
        for c in s {
            if c == "(" || c == "<" || c == "{" { depth += 1 }
            if c == ")" || c == ">" || c == "}" { depth -= 1 }
            if c == "," && depth == 0 { parts.append(cur); cur = "" } else { cur.append(c) }
        }
        if !cur.trimmed.isEmpty || !parts.isEmpty { parts.append(cur) }
        return parts
    }
}

/// Header text with line lookup.
struct Source {
    let text: String
    let lineStarts: [String.Index]
    init(_ text: String) {
        self.text = text
        var starts = [text.startIndex]
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "\n" { starts.append(text.index(after: i)) }
            i = text.index(after: i)
        }
        lineStarts = starts
    }
    func line(of i: String.Index) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= i { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }
}

extension StringProtocol {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
