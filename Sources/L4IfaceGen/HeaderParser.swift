/// Reads the interfaces of a C++ header in three steps: `TokenizedHeader`
/// (tokens, defines, includes), `DeclarationReader` (namespaces, interface
/// classes derived from `L4::Kobject_t` and its relatives, their
/// `L4_INLINE_RPC` / `L4_RPC` declarations and `Rpcs` lists, enumerators and
/// typedefs) and `InterfaceBuilder` (types checked, names checked, opcodes
/// numbered by `OpcodeNumbering`). Time and memory are linear in the header.
public struct HeaderParser {
    public let file: String
    /// What the headers read so far define (constants given with --define included).
    public var scope: HeaderScope
    /// Interfaces of included headers: the bases whose RPCs an `Rpcs` list may take.
    var included: [InterfaceDecl] = []

    public var constants: [String: Int] {
        get { scope.constants }
        set { scope.constants = newValue }
    }

    public init(file: String, constants: [String: Int] = [:]) {
        self.file = file
        self.scope = HeaderScope(constants: constants)
    }

    /// What one header gave: its interfaces (RPCs that cannot be generated
    /// left out and listed in each interface's `skipped`) and every problem found.
    public struct Result {
        public var interfaces: [Interface]
        /// Interfaces that cannot be generated at all.
        public var interfaceProblems: [Diagnostic]
        /// RPCs that cannot be generated.
        public var rpcProblems: [Diagnostic]
        public var problems: [Diagnostic] { (interfaceProblems + rpcProblems).sorted { $0.line < $1.line } }
    }

    /// Learns the constants, typedefs and structs of another (included) header.
    public mutating func learn(from header: TokenizedHeader) {
        learnDefines(header)
        var r = DeclarationReader(header, scope: scope)
        r.read()
        scope = r.scope
        included += r.interfaces
    }

    public mutating func learnConstants(from text: String) { learn(from: TokenizedHeader(text)) }

    private mutating func learnDefines(_ h: TokenizedHeader) {
        for d in h.defines where scope.constants[d.name] == nil {
            // The generator does not evaluate #if: a name defined twice differently (libc's _SIGSET_NWORDS per
            // architecture) has no value it can know, rather than whichever came last.
            if let ps = d.params {
                if let old = scope.macros[d.name], old.params != ps || old.body.map(\.text) != d.value.map(\.text) { scope.ambiguous.insert(d.name) }
                scope.macros[d.name] = (ps, d.value)
            } else {
                if let old = scope.defines[d.name], old.map(\.text) != d.value.map(\.text) { scope.ambiguous.insert(d.name) }
                scope.defines[d.name] = d.value
            }
        }
    }

    /// Every interface of `text` with every problem, nothing thrown.
    public mutating func read(_ header: TokenizedHeader) -> Result {
        learnDefines(header)
        var r = DeclarationReader(header, scope: scope)
        r.read()
        scope = r.scope
        let built = InterfaceBuilder(file: file, scope: scope).build(r.interfaces, bases: included)
        return Result(interfaces: built.interfaces, interfaceProblems: built.interfaceProblems, rpcProblems: built.rpcProblems)
    }

    public mutating func read(_ text: String) -> Result { read(TokenizedHeader(text)) }

    /// Every interface of `text`, or the first problem found (strict: one unsupported RPC fails the header).
    public mutating func parse(_ text: String) throws(Diagnostic) -> [Interface] {
        let r = read(text)
        if let first = r.problems.first { throw first }
        return r.interfaces
    }

    /// A C literal (`0x10`, `010`, `7ul`, `-3`), nil when it is none or does not fit an `Int`.
    public static func literal(_ s: String) -> Int? {
        var t = Substring(s.trimmingSpaces)
        var negative = false
        if t.hasPrefix("-") { negative = true; t = t.dropFirst() }
        guard let v = HeaderScope.literal(String(t)) else { return nil }
        return negative ? (v == Int.min ? nil : -v) : v
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
