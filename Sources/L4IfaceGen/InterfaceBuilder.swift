/// Checks declarations (their protocols, names, result and argument types)
/// and numbers their RPCs: the step after reading. A problem with one RPC is
/// that RPC's diagnostic; a problem with the interface itself is the
/// interface's.
struct InterfaceBuilder {
    let file: String
    let scope: HeaderScope

    /// What one header gave.
    struct Output {
        var interfaces: [Interface] = []
        /// Problems of whole interfaces (they are left out).
        var interfaceProblems: [Diagnostic] = []
        /// Problems of single RPCs, in header order (their interfaces keep the other RPCs).
        var rpcProblems: [Diagnostic] = []
    }

    /// The protocol range a label carries (the tag's label is the word above 16 bits, sign-extended).
    static let protoRange = -(1 << 47)...((1 << 47) - 1)
    static let maxDemand = 16

    func build(_ decls: [InterfaceDecl], bases: [InterfaceDecl] = []) -> Output {
        var out = Output()
        // The declarations by bare name, for RPCs an Rpcs list takes from a base.
        var byName: [String: InterfaceDecl] = [:]
        for d in decls + bases where byName[d.name] == nil { byName[d.name] = d }
        let all = decls + bases
        for d in decls {
            if let cycle = Self.baseCycle(d, all) {
                out.interfaceProblems.append(fail(d, "its bases are circular (\(cycle.map { $0.joined(separator: "::") }.joined(separator: " -> ")))"))
                continue
            }
            switch interface(d, byName: byName) {
            case .success(let (iface, problems)):
                out.interfaces.append(iface)
                out.rpcProblems += problems
            case .failure(let diag):
                out.interfaceProblems.append(diag)
            }
        }
        return out
    }

    /// The interface a base names (as the header spells it) from `of`: the one whose qualified name ends so,
    /// in the deriving interface's namespace when there is one there.
    static func resolve(_ b: [String], from x: InterfaceDecl, _ all: [InterfaceDecl]) -> InterfaceDecl? {
        let found = all.filter { $0.qualifiedName.suffix(b.count) == b[...] }
        return found.first { $0.namespaces == x.namespaces && $0.qualifiedName != x.qualifiedName } ?? found.first
    }

    /// A chain of bases that leads back to `d` (`L1 -> L2 -> L1`), nil when there is none. Bounded walk.
    static func baseCycle(_ d: InterfaceDecl, _ all: [InterfaceDecl]) -> [[String]]? {
        var stack: [(InterfaceDecl, [[String]])] = [(d, [d.qualifiedName])]
        var visited: Set<[String]> = []
        var steps = 0
        while let (x, path) = stack.popLast(), steps < 4096 {
            steps += 1
            for b in x.bases {
                guard let bd = resolve(b, from: x, all) else { continue }
                if bd.qualifiedName == d.qualifiedName { return path + [d.qualifiedName] }
                if visited.insert(bd.qualifiedName).inserted { stack.append((bd, path + [bd.qualifiedName])) }
            }
        }
        return nil
    }

    private func fail(_ d: InterfaceDecl, _ message: String, line: Int? = nil) -> Diagnostic {
        var diag = Diagnostic(file: file, line: line ?? d.line, message: "\(d.qualifiedName.joined(separator: "::")): \(message)", interface: d.name)
        diag.qualifiedInterface = d.qualifiedName
        return diag
    }

    private func interface(_ d: InterfaceDecl, byName: [String: InterfaceDecl]) -> Result<(Interface, [Diagnostic]), Diagnostic> {
        if let p = d.problem { return .failure(fail(d, p, line: d.problemLine)) }
        if let p = SwiftNames.typeProblem(d.name) { return .failure(fail(d, "cannot be generated: \(p)")) }
        for n in d.namespaces where SwiftNames.typeProblem(n) != nil {
            return .failure(fail(d, "cannot be generated: its namespace \(SwiftNames.typeProblem(n)!)"))
        }
        var proto = 0
        if let p = d.proto, !p.isEmpty {
            guard let v = scope.value(of: p[...]) else {
                let text = Token.spell(p)
                return .failure(fail(d, "protocol '\(text)' is not a number or a known constant (pass it with --define NAME=VALUE)"))
            }
            guard Self.protoRange.contains(v) else { return .failure(fail(d, "protocol \(v) does not fit a message label")) }
            proto = v
        }
        var demand = 0
        if let dm = d.demand {
            guard let v = scope.value(of: dm[...]) else {
                return .failure(fail(d, "demand '\(Token.spell(dm))' is not a number"))
            }
            guard (0...Self.maxDemand).contains(v) else { return .failure(fail(d, "demand \(v) is not 0 to \(Self.maxDemand) capabilities")) }
            demand = v
        }
        // The opcode type the list gives.
        var opcodeType: IntType? = IntType("Int32", 4)
        var names: [String] = []
        if let list = d.list {
            switch list.kind {
            case "Rpcs_sys": opcodeType = IntType("UInt", 8)
            case "Rpc_nocode": opcodeType = nil
            case "Rpcs_code":
                var r = TypeReader((list.codeType ?? [])[...])
                guard let ty = r.type(depth: 0), r.atEnd, let it = ArgumentReader(scope: scope).intType(ty), !it.isBool else {
                    return .failure(fail(d, "the opcode type of Rpcs_code is not an integer", line: list.line))
                }
                opcodeType = it
            default: break
            }
            names = list.names
            if opcodeType == nil && names.count > 1 {
                return .failure(fail(d, "Rpc_nocode lists \(names.count) RPCs; without an opcode there can be one", line: list.line))
            }
        } else if !d.rpcs.isEmpty {
            return .failure(fail(d, "no 'Rpcs' list numbers its RPCs"))
        }
        // Each listed RPC's declaration: the class's own, else a base's (as Ipc_gate lists Rcv_endpoint's bind_thread).
        var own: [String: RpcDecl] = [:]
        for r in d.rpcs where own[r.name.text] == nil && r.problem == nil { own[r.name.text] = r }
        var problems: [Diagnostic] = []
        // declarations that cannot be read at all are named even when no list takes them
        for r in d.rpcs { if let p = r.problem { problems.append(rpcFail(d, r.line, r.name.text, p, feature: "declaration")) } }
        var entries: [OpcodeNumbering.Entry] = []
        var found: [RpcDecl?] = []
        var seenNames: Set<String> = []
        for n in names {
            var decl = own[n]
            if decl == nil {
                var queue = d.bases.compactMap { $0.last }
                var visited: Set<String> = []
                while let b = queue.first, decl == nil, visited.count < 64 {
                    queue.removeFirst()
                    guard visited.insert(b).inserted, let bd = byName[b] else { continue }
                    decl = bd.rpcs.first { $0.name.text == n && $0.problem == nil }
                    queue += bd.bases.compactMap { $0.last }
                }
            }
            guard seenNames.insert(n).inserted else {
                return .failure(fail(d, "Rpcs lists '\(n)_t' twice", line: d.list?.line))
            }
            var explicit: Int? = nil
            if let op = decl?.op {
                guard let v = scope.value(of: op[...]) else {
                    problems.append(rpcFail(d, decl!.line, n, "opcode '\(Token.spell(op))' is not a number or a known constant", feature: "opcode"))
                    return .success((emptyInterface(d, proto, demand), problems))
                }
                explicit = v
            }
            entries.append(.init(name: n, explicit: explicit))
            found.append(decl)
        }
        let opcodes: [Int]
        switch OpcodeNumbering.number(entries, type: opcodeType) {
        case .success(let o): opcodes = o
        case .failure(let f): return .failure(fail(d, "\(entries[f.index].name): \(f.why)", line: found[f.index]?.line ?? d.list?.line))
        }
        var rpcs: [Rpc] = []
        var camelNames: [String: String] = [:]
        var skipped: [Diagnostic] = []
        for (k, n) in names.enumerated() {
            guard let r = found[k] else {
                let p = rpcFail(d, d.list?.line ?? d.line, n, "Rpcs lists '\(n)_t', which is not declared in the class or a base read with it", feature: "inherited RPC")
                problems.append(p); skipped.append(p)
                continue
            }
            switch rpc(r, in: d, opcode: opcodes[k]) {
            case .success(let rpc):
                let c = SwiftNames.camel(rpc.name)
                if let other = camelNames[c] {
                    let p = rpcFail(d, r.line, n, "its Swift name '\(c)' is also \(other)'s", feature: "name")
                    problems.append(p); skipped.append(p)
                    continue
                }
                camelNames[c] = rpc.name
                rpcs.append(rpc)
            case .failure(let p):
                problems.append(p); skipped.append(p)
            }
        }
        let maxCaps = rpcs.map { $0.args.filter { $0.kind == .capability(.input) }.count }.max() ?? 0
        var iface = Interface(qualifiedName: d.qualifiedName, proto: proto, demandCaps: max(demand, maxCaps), opcode: opcodeType, rpcs: rpcs)
        iface.bases = d.bases
        iface.line = d.line
        iface.file = file
        iface.skipped = skipped
        iface.metaInterfaces = metaInterfaces(d, byName: byName)
        return .success((iface, problems))
    }

    /// The interface and its bases, depth first, as L4::Epiface's meta server walks them (bases read with it only).
    private func metaInterfaces(_ d: InterfaceDecl, byName: [String: InterfaceDecl]) -> [MetaInterface] {
        var out: [MetaInterface] = []
        var stack: [(InterfaceDecl, Int)] = [(d, 0)]
        var steps = 0
        while let (x, depth) = stack.popLast(), steps < 256 {
            steps += 1
            let proto = (x.proto ?? []).isEmpty ? 0 : scope.value(of: x.proto![...])
            if let proto, proto != -19 {
                var i = Interface(qualifiedName: x.qualifiedName, proto: proto, demandCaps: 0, opcode: nil, rpcs: [])
                i.line = x.line
                out.append(MetaInterface(proto: proto, mangledName: i.mangledName, qualifiedName: x.qualifiedName))
            }
            guard depth < 16 else { continue }
            for b in x.bases.reversed() { if let bd = byName[b.last ?? ""] { stack.append((bd, depth + 1)) } }
        }
        return out
    }

    private func emptyInterface(_ d: InterfaceDecl, _ proto: Int, _ demand: Int) -> Interface {
        var i = Interface(qualifiedName: d.qualifiedName, proto: proto, demandCaps: demand, opcode: nil, rpcs: [])
        i.line = d.line
        i.file = file
        return i
    }

    private func rpcFail(_ d: InterfaceDecl, _ line: Int, _ rpc: String, _ message: String, feature: String) -> Diagnostic {
        var diag = Diagnostic(file: file, line: line, message: "\(d.qualifiedName.joined(separator: "::"))::\(rpc): \(message)",
                              interface: d.name, rpc: rpc, feature: feature)
        diag.qualifiedInterface = d.qualifiedName
        return diag
    }

    static let resultTypes: [String: ResultKind] = ["long": .code, "int": .code, "l4_ret_t": .code, "long int": .code,
                                                    "signed long": .code, "l4_msgtag_t": .tag]

    private func rpc(_ r: RpcDecl, in d: InterfaceDecl, opcode: Int) -> Result<Rpc, Diagnostic> {
        let name = r.name.text
        if let p = SwiftNames.memberProblem(name) { return .failure(rpcFail(d, r.line, name, "cannot be generated: \(p)", feature: "name")) }
        var tr = TypeReader(r.result[...])
        let resultText = Token.spell(r.result)
        guard let rt = tr.type(depth: 0), tr.atEnd, rt.pointers == 0, !rt.isReference, rt.args.isEmpty,
              let result = Self.resultTypes[rt.name.joined(separator: "::")] else {
            let shown = resultText
            return .failure(rpcFail(d, r.line, name, "result type '\(shown)' is not supported (long, int, l4_ret_t or l4_msgtag_t)", feature: "result type"))
        }
        var rights = 0
        var sendOnly = false
        for tail in r.trailing {
            let words = tail.filter { $0.kind == .identifier }.map(\.text)
            if words.contains("Send_only") { sendOnly = true }
            if words.contains("Call_t"), let o = tail.firstIndex(where: { $0.is("<") }),
               let inner = DeclarationReader.templateArgs(tail, from: o, end: tail.count), let first = inner.first {
                guard let v = scope.value(of: first[...]), (0...0xff).contains(v) else {
                    return .failure(rpcFail(d, r.line, name, "rights '\(Token.spell(first))' are not a known constant", feature: "rights"))
                }
                rights = v & 3   // the W and S bits travel in the gate label
            }
        }
        let reader = ArgumentReader(scope: scope, context: d.qualifiedName)
        var args: [Arg] = []
        var inputNames: Set<String> = [], outputNames: Set<String> = []
        for (k, a) in r.args.enumerated() {
            if a.isEmpty && r.args.count == 1 { break }   // `()`
            if a.count == 1, a[0].is("void"), r.args.count == 1 { break }
            var tr = TypeReader(a[...])
            let text = Token.spell(a)
            // the argument's own line (a declaration may span several)
            let argLine = a.first?.line ?? r.line
            guard let (type, argName) = tr.argument() else {
                return .failure(rpcFail(d, argLine, name, "argument \(k + 1) ('\(text)') \(tr.problem ?? "cannot be read")", feature: "argument"))
            }
            guard let argName else {
                return .failure(rpcFail(d, argLine, name, "argument '\(text)' has no name", feature: "argument"))
            }
            if let p = SwiftNames.memberProblem(argName, argument: true) {
                return .failure(rpcFail(d, argLine, name, "argument \(p)", feature: "name"))
            }
            let produced: [Arg]
            do { produced = try reader.args(type, name: argName) } catch {
                return .failure(rpcFail(d, argLine, name, "argument '\(argName)' of type '\(type.spelled)' \(error.why)", feature: error.feature))
            }
            for p in produced {
                let c = SwiftNames.camel(p.name)
                let isOut = p.kind.direction == .output && p.kind != .capability(.output)
                guard isOut ? outputNames.insert(c).inserted : inputNames.insert(c).inserted else {
                    return .failure(rpcFail(d, argLine, name, "two arguments are named '\(c)' in Swift", feature: "name"))
                }
            }
            args += produced
        }
        // A Varg list takes the rest of the request's data: no data argument may follow it, nor a second list.
        if let v = args.firstIndex(where: { $0.kind == .vargs }),
           let after = args[(v + 1)...].first(where: { $0.kind.direction == .input && !$0.kind.isItem && $0.kind != .smallBuffer && $0.kind != .rcvFpage }) {
            return .failure(rpcFail(d, r.line, name, "argument '\(after.name)' follows the Varg list '\(args[v].name)', which takes the rest of the request", feature: "Varg"))
        }
        if sendOnly, let out = args.first(where: { $0.kind.direction == .output || $0.kind == .smallBuffer || $0.kind == .rcvFpage }) {
            return .failure(rpcFail(d, r.line, name, "is send-only but argument '\(out.name)' expects something back", feature: "send-only"))
        }
        var rpc = Rpc(name: name, opcode: opcode, result: result, args: args, rightsMask: rights)
        rpc.sendOnly = sendOnly
        return .success(rpc)
    }
}
