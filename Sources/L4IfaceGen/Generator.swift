/// What one run of the generator writes, from the headers it read: which
/// interfaces and RPCs are generated, which are left out (`--skip`,
/// `--skip-unsupported`) and which problems stop it. The command line maps
/// its options onto this; the tests call it directly.
public struct Generator {
    public private(set) var results: [HeaderParser.Result] = []

    public init() {}

    /// The interfaces of one header (those `only` names, when it names any).
    /// The `only` names some header's interface answered.
    public private(set) var onlyMatched: Set<String> = []

    public mutating func add(_ r: HeaderParser.Result, only: Set<String> = []) {
        var r = r
        if !only.isEmpty {
            for i in r.interfaces {
                for n in [i.name, i.qualifiedName.joined(separator: "::")] where only.contains(n) { onlyMatched.insert(n) }
            }
            for p in r.interfaceProblems {
                for n in [p.interface, p.qualifiedInterface?.joined(separator: "::")].compactMap({ $0 }) where only.contains(n) { onlyMatched.insert(n) }
            }
            let keep = { (names: [String]) in only.contains(names.last ?? "") || only.contains(names.joined(separator: "::")) }
            r.interfaces = r.interfaces.filter { keep($0.qualifiedName) }
            let kept = Set(r.interfaces.map(\.qualifiedName))
            r.interfaceProblems = r.interfaceProblems.filter { p in
                p.interface.map { only.contains($0) || only.contains(p.qualifiedInterface?.joined(separator: "::") ?? $0) } ?? true
            }
            r.rpcProblems = r.rpcProblems.filter { p in p.qualifiedInterface.map { kept.contains($0) } ?? p.interface.map { n in kept.contains { $0.last == n } } ?? true }
        }
        results.append(r)
    }

    /// What the generated code declares in an interface's enum, its Client and Server, and the generic
    /// parameters it uses there: a namespace of one of these names would be shadowed inside it.
    static let interfaceMembers: Set<String> = ["proto", "typeName", "receiveCaps", "metaInterface", "Op", "Client", "Server",
                                                "dispatch", "Channel", "S", "channel", "handle"]

    /// With `namespaces`, types are written by their full Swift path (`B.Point`) from inside interfaces and
    /// structs; a path whose first name means something else where it is written (inside `A.B`, `B` is `A.B`)
    /// would not compile, or would compile to the wrong type. Each such use is refused with its line.
    static func shadowed(_ interfaces: [Interface], _ structs: [StructLayout], _ structNames: [String: String]) -> [Diagnostic] {
        // what each generated type or namespace declares directly (by its Swift path)
        var members: [String: Set<String>] = [:]
        func declare(_ path: [String]) {
            for k in 1...max(1, path.count) where k <= path.count { members[path.prefix(k - 1).joined(separator: "."), default: []].insert(path[k - 1]) }
        }
        for i in interfaces {
            declare(i.qualifiedName)
            members[i.qualifiedName.joined(separator: "."), default: []].formUnion(interfaceMembers.union(i.rpcs.map { SwiftNames.camel($0.name) }))
        }
        for n in structNames.values { declare(n.split(separator: ".").map(String.init)) }
        /// What `ref`'s first name means inside `context`, when that is not the top-level name `ref` means.
        func shadow(_ ref: [String], in context: [String]) -> String? {
            guard let f = ref.first, !context.isEmpty else { return nil }
            for k in stride(from: context.count, through: 1, by: -1) {
                let p = context.prefix(k).joined(separator: ".")
                if members[p]?.contains(f) == true { return p + "." + f }
            }
            return nil
        }
        var out: [Diagnostic] = []
        let generated = Set(interfaces.map(\.qualifiedName))
        for i in interfaces {
            let qn = i.qualifiedName.joined(separator: "::")
            var refs: [(String, [String], Int)] = []   // C++ name, Swift path, line
            for r in i.rpcs {
                for a in r.args { if let l = a.kind.layout, let n = structNames[l.qualifiedName.joined(separator: "::")] {
                    refs.append((l.qualifiedName.joined(separator: "::"), n.split(separator: ".").map(String.init), i.line)) } }
            }
            for b in i.bases {
                if let g = interfaces.first(where: { $0.qualifiedName.suffix(b.count) == b[...] && $0.qualifiedName != i.qualifiedName }), generated.contains(g.qualifiedName) {
                    refs.append((g.qualifiedName.joined(separator: "::"), g.qualifiedName, i.line))
                }
            }
            for (cpp, ref, line) in refs {
                guard let s = shadow(ref, in: i.qualifiedName) else { continue }
                var d = Diagnostic(file: i.file, line: line, message: "\(qn): '\(cpp)' would be written '\(ref.joined(separator: "."))', but inside "
                                   + "\(i.qualifiedName.joined(separator: ".")) '\(ref[0])' is \(s) (--namespaces); rename one of them", interface: i.name)
                d.qualifiedInterface = i.qualifiedName
                out.append(d)
            }
        }
        for st in structs {
            guard let own = structNames[st.qualifiedName.joined(separator: "::")] else { continue }
            let ctx = own.split(separator: ".").map(String.init)
            let user = interfaces.first { i in i.rpcs.contains { r in r.args.contains { $0.kind.layout?.nested.contains(st) ?? false } } }
            for f in st.fields {
                guard case .structure(let l) = f.type, let n = structNames[l.qualifiedName.joined(separator: "::")] else { continue }
                let ref = n.split(separator: ".").map(String.init)
                guard let s = shadow(ref, in: ctx) else { continue }
                out.append(Diagnostic(file: user?.file ?? "", line: user?.line ?? 0,
                                      message: "struct \(st.qualifiedName.joined(separator: "::")): field '\(f.name)' of type '\(l.qualifiedName.joined(separator: "::"))' "
                                      + "would be written '\(n)', but inside \(own) '\(ref[0])' is \(s) (--namespaces); rename one of them", interface: user?.name))
            }
        }
        return out
    }

    /// The names an option may give an RPC by: `Calc::add` and, in a namespace, `A::Calc::add` (which picks one
    /// of two `Calc`s).
    static func keys(_ interface: [String], _ rpc: String) -> [String] {
        let bare = "\(interface.last ?? "")::\(rpc)", full = "\(interface.joined(separator: "::"))::\(rpc)"
        return bare == full ? [bare] : [bare, full]
    }

    public struct Plan {
        public var interfaces: [Interface]
        /// What is left out, each with why.
        public var skipped: [Diagnostic]
        /// Warnings that do not stop the run (`file:line: warning: ...`): bases read but not generated.
        public var notes: [String] = []
    }

    public enum Failure: Error {
        /// An option names something that is not there (exit 2).
        case unknownOption(String)
        /// Declarations that cannot be generated (exit 1).
        case problems([Diagnostic])
    }

    /// The interfaces to write. Without `skipUnsupported`, any problem not named in `skip` fails the run.
    /// With `namespaces`, Swift names keep the C++ namespaces (`Calc_example.Calc`), so that interfaces
    /// and structs of the same name in different namespaces coexist.
    public func plan(skip: Set<String>, skipUnsupported: Bool, withCode: Set<String>, namespaces: Bool = false) -> Result<Plan, Failure> {
        var interfaces: [Interface] = []
        var fatal: [Diagnostic] = []
        var skipped: [Diagnostic] = []
        var skipUsed: Set<String> = []
        var codeUsed: Set<String> = []
        for r in results {
            for p in r.interfaceProblems {
                if skipUnsupported { skipped.append(p) } else { fatal.append(p) }
            }
            for p in r.rpcProblems {
                let keys = Self.keys(p.qualifiedInterface ?? [p.interface ?? ""], p.rpc ?? "")
                if let used = keys.filter({ skip.contains($0) }).first { skipUsed.formUnion(keys.filter { skip.contains($0) }); _ = used; skipped.append(p) }
                else if skipUnsupported { skipped.append(p) } else { fatal.append(p) }
            }
            for var i in r.interfaces {
                // RPCs left out by name although they could be generated
                let (iname, ifile, iline, qname) = (i.name, i.file, i.line, i.qualifiedName)
                i.rpcs.removeAll { rpc in
                    let keys = Self.keys(qname, rpc.name).filter { skip.contains($0) }
                    guard !keys.isEmpty else { return false }
                    skipUsed.formUnion(keys)
                    var d = Diagnostic(file: ifile, line: iline, message: "\(qname.joined(separator: "::"))::\(rpc.name): left out (--skip)",
                                       interface: iname, rpc: rpc.name, feature: nil)
                    d.qualifiedInterface = qname
                    skipped.append(d)
                    return true
                }
                for k in i.rpcs.indices {
                    let key = "\(i.qualifiedName.joined(separator: "::"))::\(i.rpcs[k].name)"
                    let named = Self.keys(i.qualifiedName, i.rpcs[k].name).filter { withCode.contains($0) }
                    codeUsed.formUnion(named)
                    guard !named.isEmpty || withCode.contains("all") else { continue }
                    i.rpcs[k].returnsCode = true
                    if i.rpcs[k].args.contains(where: { $0.kind.direction == .output && SwiftNames.camel($0.name) == "code" }) {
                        fatal.append(Diagnostic(file: i.file, line: i.line, message: "\(key): an output named 'code' cannot come with the return code",
                                                interface: i.name, rpc: i.rpcs[k].name, feature: "name"))
                    }
                }
                if i.rpcs.isEmpty && i.skipped.isEmpty { continue }   // no RPCs (the kernel's C-call interfaces such as L4::Task)
                interfaces.append(i)
            }
        }
        if let unknown = skip.subtracting(skipUsed).sorted().first {
            return .failure(.unknownOption("--skip \(unknown): no such RPC in the headers"))
        }
        if let unknown = withCode.subtracting(codeUsed).subtracting(["all"]).sorted().first {
            return .failure(.unknownOption("--with-code \(unknown): no such RPC in the headers"))
        }
        // One Swift type per name.
        var byName: [String: Interface] = [:]
        for i in interfaces {
            let swift = SwiftEmitter.path(i.qualifiedName, namespaces: namespaces)
            if let other = byName[swift] {
                fatal.append(Diagnostic(file: i.file, line: i.line, message: "\(i.qualifiedName.joined(separator: "::")): its Swift name '\(swift)' is also "
                                        + "\(other.qualifiedName.joined(separator: "::"))'s (line \(other.line)); generate one of them (--only)"
                                        + (namespaces ? "" : " or keep the namespaces in the names (--namespaces)"),
                                        interface: i.name))
            }
            byName[swift] = i
        }
        // The structs they pass: Swift names that are names, each once, none an interface's.
        let structs = SwiftEmitter.structs(of: interfaces)
        let structNames = SwiftEmitter.structNames(structs, interfaces: interfaces, namespaces: namespaces)
        var used: [String: String] = [:]
        for i in interfaces {
            used[SwiftEmitter.path(i.qualifiedName, namespaces: namespaces)] = "interface " + i.qualifiedName.joined(separator: "::") + " (line \(i.line))"
        }
        if namespaces {
            // a namespace's enum is a type too: no interface or struct may have its path
            let structPaths = Set(structNames.values)
            for ns in SwiftEmitter.namespacePaths(interfaces, structs) {
                let swift = ns.joined(separator: ".")
                if let last = ns.last, let p = SwiftNames.typeProblem(last) {
                    let where_ = interfaces.first { i in i.rpcs.contains { r in r.args.contains { $0.kind.layout?.nested.contains { Array($0.qualifiedName.prefix(ns.count)) == ns } ?? false } } }
                        ?? interfaces.first { Array($0.qualifiedName.prefix(ns.count)) == ns }
                    fatal.append(Diagnostic(file: where_?.file ?? "", line: where_?.line ?? 0,
                                            message: "namespace \(ns.joined(separator: "::")) cannot be a Swift enum: \(p)", interface: where_?.name))
                    continue
                }
                if let other = used[swift] ?? (structPaths.contains(swift) ? "struct " + swift : nil) {
                    let where_ = interfaces.first { Array($0.qualifiedName.prefix(ns.count)) == ns }
                    fatal.append(Diagnostic(file: where_?.file ?? "", line: where_?.line ?? 0,
                                            message: "namespace \(ns.joined(separator: "::")) has the Swift name of \(other)", interface: where_?.name))
                }
                used[swift] = "namespace " + ns.joined(separator: "::")
            }
        }
        // C types (--c-type): Swift takes them from their C module; nothing generated may have their names and hide them
        for i in interfaces {
            for l in i.passedLayouts where l.isCType && used[l.swiftName]?.hasPrefix("the C type") != true {
                if let other = used[l.swiftName] {
                    fatal.append(Diagnostic(file: i.file, line: i.line, message: "the C type \(l.qualifiedName[0]) (--c-type): its Swift name '\(l.swiftName)' "
                                            + "is also that of \(other), which would hide it (give it another: --c-type \(l.qualifiedName[0])=Name)",
                                            interface: i.name))
                }
                used[l.swiftName] = "the C type \(l.qualifiedName[0]) (--c-type)"
            }
        }
        for st in structs {
            let cpp = st.qualifiedName.joined(separator: "::")
            let swift = structNames[cpp] ?? ""
            let bare = String(swift.split(separator: ".").last ?? "")
            let where_ = interfaces.first { i in i.rpcs.contains { r in r.args.contains { $0.kind.layout?.nested.contains(st) ?? false } } }
            if let p = SwiftNames.typeProblem(bare) {
                fatal.append(Diagnostic(file: where_?.file ?? "", line: where_?.line ?? 0, message: "struct \(cpp) cannot be generated: \(p)", interface: where_?.name))
            } else if let other = used[swift] {
                fatal.append(Diagnostic(file: where_?.file ?? "", line: where_?.line ?? 0, message: "struct \(cpp): its Swift name '\(swift)' is also that of \(other)", interface: where_?.name))
            }
            // the other's line: where an RPC passes it (a struct's own line is not kept in its layout)
            used[swift] = "struct " + cpp + (where_.map { " (passed by \($0.qualifiedName.joined(separator: "::")), line \($0.line))" } ?? "")
        }
        if namespaces && fatal.isEmpty { fatal += Self.shadowed(interfaces, structs, structNames) }
        if !fatal.isEmpty { return .failure(.problems(fatal)) }
        // A base read but not generated is not served: its protocol is neither answered nor listed in the meta protocol.
        let generated = Set(interfaces.map(\.qualifiedName))
        var notes: [String] = []
        for i in interfaces {
            for m in i.metaInterfaces where m.qualifiedName != i.qualifiedName && !generated.contains(m.qualifiedName) {
                notes.append("\(i.file):\(i.line): warning: \(i.qualifiedName.joined(separator: "::")): its base \(m.qualifiedName.joined(separator: "::"))"
                             + " is not generated (name its header too): a server neither answers nor lists its protocol")
            }
        }
        return .success(Plan(interfaces: interfaces, skipped: skipped, notes: notes))
    }
}
