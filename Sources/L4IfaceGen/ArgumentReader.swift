/// Turns an RPC argument's C++ type into how it travels (`ArgKind`), or says
/// which feature it would need.
struct ArgumentReader {
    let scope: HeaderScope
    /// Where names are looked up from (the interface's qualified name): C++ finds the innermost declaration first.
    var context: [String] = []

    /// A construct the generator does not translate: the feature's name (for
    /// the coverage table) and the reason.
    struct Unsupported: Error {
        var feature: String
        var why: String
    }

    /// The arguments one C++ argument becomes: usually one; `In_out<T*>` an input and an output of the same name.
    func args(_ type: TypeExpr, name: String) throws(Unsupported) -> [Arg] {
        let spelled = type.spelled
        let n = type.name.filter { $0 != "L4" && $0 != "Ipc" }
        let last = n.last ?? ""
        // L4::Ipc::In_out<T *>: sent and returned.
        if last == "In_out", n.count == 1 {
            guard type.args.count == 1, var inner = type.args[0].type, inner.pointers == 1 else {
                throw Unsupported(feature: "In_out", why: "is not supported (In_out<> of something other than T *)")
            }
            inner.pointers = 0
            let (k, _) = try kind(inner, spelled: spelled, depth: 0)
            switch k {
            case .value(let t, _):
                return [Arg(name: name, kind: .value(t, .input), optional: false, cppType: spelled),
                        Arg(name: name, kind: .value(t, .output), optional: false, cppType: spelled)]
            case .structure(let l, _):
                return [Arg(name: name, kind: .structure(l, .input), optional: false, cppType: spelled),
                        Arg(name: name, kind: .structure(l, .output), optional: false, cppType: spelled)]
            default: throw Unsupported(feature: "In_out", why: "is not supported (In_out<> of a non-integer)")
            }
        }
        let (k, optional) = try kind(type, spelled: spelled, depth: 0)
        return [Arg(name: name, kind: k, optional: optional, cppType: spelled)]
    }

    private func kind(_ type: TypeExpr, spelled: String, depth: Int) throws(Unsupported) -> (ArgKind, Bool) {
        guard depth < TypeReader.maxDepth else { throw Unsupported(feature: "nesting", why: "nests too deeply") }
        var type = type
        // the L4::Ipc:: (or Ipc::) prefix of the marshalling types
        var n = type.name
        if n.first == "L4", n.count > 1, n[1] == "Ipc" { n.removeFirst(2) } else if n.first == "Ipc" { n.removeFirst() }
        // L4::Ipc::X, Ipc::X or a bare X of the marshalling's names
        let ipc = n.count == 1 && (n != type.name || Self.ipcNames.contains(n[0]))
        let last = n.last ?? ""
        // As_value<T> is T
        // As_value<L4::Cap<T>>: the capability's index as a plain value
        if ipc && last == "As_value", let inner = type.args.first?.type, inner.name.last == "Cap", inner.args.count <= 1 {
            let dir: Direction = type.pointers > 0 || type.isReference ? (type.isConst ? .input : .output) : .input
            return (.value(IntType("UInt", 8), dir), false)
        }
        if ipc && last == "As_value", let inner = type.args.first?.type {
            var t = inner; t.pointers += type.pointers; t.isReference = t.isReference || type.isReference
            t.isConst = t.isConst || type.isConst
            return try kind(t, spelled: spelled, depth: depth + 1)
        }
        if ipc && last == "Opt" {
            guard type.args.count == 1, let inner = type.args[0].type, type.pointers == 0 else {
                throw Unsupported(feature: "Opt", why: "cannot be read (Opt<> takes one type)")
            }
            let (k, opt) = try kind(inner, spelled: spelled, depth: depth + 1)
            if opt { throw Unsupported(feature: "Opt", why: "is not supported (an optional optional)") }
            if case .smallBuffer = k { throw Unsupported(feature: "Opt", why: "is not supported (an optional buffer)") }
            if case .rcvFpage = k { throw Unsupported(feature: "Opt", why: "is not supported (an optional buffer)") }
            if case .vargs = k { throw Unsupported(feature: "Opt", why: "is not supported (an optional Varg list)") }
            return (k, true)
        }
        // pointers and references: non-const ones are outputs
        var dir = Direction.input
        let byConstPointer = type.pointers == 1 && type.isConst && !type.isReference
        if type.pointers > 0 || type.isReference {
            guard type.pointers <= 1 else { throw Unsupported(feature: "pointer", why: "is not supported (a pointer to a pointer)") }
            dir = type.isConst ? .input : .output
            type.pointers = 0; type.isReference = false
        }
        if type.name.count == 1 || !ipc, let it = intType(type) {
            if type.args.isEmpty { return (.value(it, dir), false) }
        }
        if ipc {
            switch last {
            case "Snd_fpage": return (.fpage(dir), false)
            case "Small_buf": return (.smallBuffer, false)
            case "Rcv_fpage":
                guard dir == .input else { throw Unsupported(feature: "Rcv_fpage", why: "is not supported (a receive window by pointer)") }
                return (.rcvFpage, false)
            case "Varg":
                // `Varg const *`: the list a client sends (C++ allows no other form in an RPC)
                guard byConstPointer, type.args.isEmpty else {
                    throw Unsupported(feature: "Varg", why: "is not supported (a Varg list is passed as 'L4::Ipc::Varg const *')")
                }
                return (.vargs, false)
            case "Varg_list", "Varg_list_ref":
                throw Unsupported(feature: "Varg", why: "is not supported (a server's Varg list; declare the argument as 'L4::Ipc::Varg const *')")
            case "Ret_array":
                guard let e = type.args.first?.type, type.args.count == 1, e.pointers == 0, !e.isReference, dir == .input else {
                    throw Unsupported(feature: "Ret_array", why: "cannot be read (Ret_array<T> by value)")
                }
                if let it = intType(e), !it.isBool { return (.retArray(.int(it)), false) }
                if let l = try layout(e, depth: depth + 1) { return (.retArray(.structure(l)), false) }
                throw Unsupported(feature: "Ret_array", why: "is not supported (Ret_array of '\(e.spelled)')")
            case "Out":
                guard let inner = type.args.first?.type, inner.name.last == "Cap", inner.name.count <= 2,
                      inner.name.first == "L4" || inner.name.count == 1 else {
                    throw Unsupported(feature: "Out", why: "is not supported (Out<> of something other than L4::Cap<T>)")
                }
                return (.capability(.output), false)
            case "Cap":
                guard dir == .input else { throw Unsupported(feature: "Cap", why: "is not supported (a capability by pointer)") }
                return (.capability(.input), false)
            case "String":
                var len = IntType("UInt", 8)
                if let ch = type.args.first {
                    guard let ct = ch.type, ct.name == ["char"], ct.pointers == 0 else {
                        throw Unsupported(feature: "String", why: "is not supported (strings of '\(ch.spelled)')")
                    }
                }
                if type.args.count >= 2 {
                    guard let lt = type.args[1].type, let l = intType(lt) else {
                        throw Unsupported(feature: "String", why: "has a length type that is not an integer")
                    }
                    len = l
                }
                guard type.args.count <= 2 else { throw Unsupported(feature: "String", why: "has too many template arguments") }
                return (.string(length: len, dir), false)
            case "Array", "Array_ref":
                guard let first = type.args.first?.type else { throw Unsupported(feature: "Array", why: "has no element type") }
                var len = IntType("UInt16", 2)   // L4::Ipc::Array_len_default
                if type.args.count >= 2 {
                    guard let lt = type.args[1].type, let l = intType(lt) else {
                        throw Unsupported(feature: "Array", why: "has a length type that is not an integer")
                    }
                    len = l
                }
                guard type.args.count <= 2 else { throw Unsupported(feature: "Array", why: "has too many template arguments") }
                if first.pointers == 0, !first.isReference, intType(first) == nil {
                    var f = first; f.isConst = false
                    if let l = try layout(f, depth: depth + 1) { return (.structArray(l, length: len, dir), false) }
                }
                guard first.pointers == 0, !first.isReference, var elem = intType(first) else {
                    throw Unsupported(feature: "array of structs", why: "is not supported (arrays of '\(first.spelled)')")
                }
                if first.name == ["char"] { elem = IntType("UInt8", 1) }
                if elem.isBool { throw Unsupported(feature: "Array", why: "is not supported (arrays of bool)") }
                return (.array(element: elem, length: len, dir), false)
            default: break
            }
        }
        if type.name.last == "Cap" && type.name.first == "L4" {
            throw Unsupported(feature: "L4::Cap", why: "is not supported (an L4::Cap<T> by value; use L4::Ipc::Cap<T>)")
        }
        // a C type named by --c-type: Swift imports it from its C module with C's layout (unless C++ finds a
        // declaration of that name in the interface's namespace or class first: that one is laid out here)
        if let swift = cType(type) {
            return (.structure(.cType(type.name[0], swiftName: swift), dir), false)
        }
        do {
            if let l = try layout(type, depth: depth + 1) {
                return (.structure(l, dir), false)
            }
        } catch {
            // a C struct (global, no bases, no virtual functions) the generator cannot lay out: C's own layout is one option away
            var e = error
            if type.name.count == 1, type.args.isEmpty, ["struct argument", "union argument", "packed struct"].contains(e.feature),
               !e.why.contains("larger than the message registers"),
               let d = structDecl(type.name), d.name.count == 1, d.bases.isEmpty, !(d.problem ?? "").contains("virtual") {
                e.why += "; --c-type \(type.name[0]) passes it as C lays it out, "
                    + "Swift importing it from the C module named by --import"
            }
            throw e
        }
        if type.name.count == 1, type.args.isEmpty, IntType.named(type.name[0]) == nil, SwiftNames.isIdentifier(type.name[0]),
           !SwiftNames.cBuiltins.contains(type.name[0]) {
            // not declared in what was read: a C type from a header not read (or under an #include not followed)?
            throw Unsupported(feature: "type '\(type.name[0])'", why: "is not supported (no declaration of it was read; if it is a C type, "
                              + "--c-type \(type.name[0]) passes it as C lays it out, Swift importing it from the C module named by --import)")
        }
        throw Unsupported(feature: "type '\(type.name.joined(separator: "::"))'", why: "is not supported")
    }

    static let ipcNames: Set<String> = ["Snd_fpage", "Small_buf", "Rcv_fpage", "Varg", "Ret_array", "Out", "String",
                                        "Array", "Array_ref", "Opt", "In_out", "As_value", "Varg_list", "Varg_list_ref"]

    /// The Swift name of the C type `t` names (`--c-type`), if it names one: a bare name, which C++ does not
    /// find declared in the interface's namespace or class first.
    func cType(_ t: TypeExpr) -> String? {
        guard t.args.isEmpty, t.name.count == 1, let swift = scope.cTypes[t.name[0]], !declaredInside(t.name) else { return nil }
        return swift
    }

    /// Whether C++ finds `name` declared in a namespace or class around `context` (before any global declaration).
    func declaredInside(_ name: [String]) -> Bool {
        var c = context
        while !c.isEmpty {
            for k in [(c + name).joined(separator: "::"), (c.suffix(1) + name).joined(separator: "::")]
            where scope.structs[k] != nil || scope.aliases[k] != nil { return true }
            c.removeLast()
        }
        return false
    }

    /// The struct `t` names (followed through typedefs), laid out as C++ does on amd64; nil when it names none.
    func layout(_ t: TypeExpr, depth: Int) throws(Unsupported) -> StructLayout? {
        guard depth < TypeReader.maxDepth else { throw Unsupported(feature: "struct argument", why: "nests structs too deeply") }
        // a C type is C's to lay out: as an argument only, never inside an array or a struct laid out here
        if cType(t) != nil {
            throw Unsupported(feature: "C type", why: "is not supported (a C type named by --c-type inside an array or a struct: "
                              + "only an argument, by value, pointer or reference, passes one)")
        }
        var t = t
        for _ in 0..<HeaderScope.maxDepth {
            if let d = structDecl(t.name) {
                if let p = d.problem { throw Unsupported(feature: "struct argument", why: "is not supported (the struct \(p))") }
                if d.isUnion { throw Unsupported(feature: "union argument", why: "is not supported (a union)") }
                var fields: [StructLayout.Field] = []
                var offset = 0, align = 1
                // base classes first, as C++ lays out a standard-layout struct
                for b in d.bases {
                    // an empty base (static helpers only, as L4Re's Event_stream_bitmap_h) takes no room
                    if let bd = ArgumentReader(scope: scope, context: d.name).structDecl(b), bd.fields.isEmpty, bd.bases.isEmpty,
                       bd.problem == nil, !bd.isUnion { continue }
                    guard let bl = try ArgumentReader(scope: scope, context: d.name).layout(TypeExpr(name: b), depth: depth + 1) else {
                        throw Unsupported(feature: "struct argument", why: "is not supported (the struct derives from '\(b.joined(separator: "::"))', which is not a struct read with it)")
                    }
                    offset = (offset + bl.alignment - 1) / bl.alignment * bl.alignment
                    for f in bl.fields { fields.append(.init(name: f.name, type: f.type, offset: offset + f.offset, count: f.count, isPublic: f.isPublic)) }
                    offset += bl.size
                    align = max(align, bl.alignment)
                }
                var fieldNames = Set(fields.map(\.name))
                for f in d.fields {
                    let ft: StructLayout.FieldType
                    let size: Int, a: Int
                    if let it = ArgumentReader(scope: scope, context: d.name).intType(f.type) { ft = .int(it); size = it.size; a = it.size }
                    else if f.type.pointers == 0, !f.type.isReference, let inner = try ArgumentReader(scope: scope, context: d.name).layout(f.type, depth: depth + 1) {
                        ft = .structure(inner); size = inner.size; a = inner.alignment
                    } else {
                        throw Unsupported(feature: "struct argument", why: "is not supported (field '\(f.name)' of the struct is a '\(f.type.spelled)')")
                    }
                    if f.count > 1 {
                        guard case .int(let it) = ft, !it.isBool, f.count <= 64 else {
                            throw Unsupported(feature: "struct argument", why: "is not supported (field '\(f.name)' of the struct is an array of other than integers, or longer than 64)")
                        }
                    }
                    guard fieldNames.insert(f.name).inserted else {
                        throw Unsupported(feature: "struct argument", why: "is not supported (two fields named '\(f.name)')")
                    }
                    if let p = SwiftNames.memberProblem(f.name, argument: true) ?? (["wireSize", "wireAlignment", "store"].contains(SwiftNames.camel(f.name)) ? "'\(f.name)' is a name the generated code uses" : nil) {
                        throw Unsupported(feature: "struct argument", why: "is not supported (field \(p))")
                    }
                    offset = (offset + a - 1) / a * a
                    fields.append(.init(name: f.name, type: ft, offset: offset, count: f.count, isPublic: f.isPublic))
                    offset += size * f.count
                    align = max(align, a)
                }
                guard !fields.isEmpty else { throw Unsupported(feature: "struct argument", why: "is not supported (a struct without data members)") }
                // packed: the same layout as long as no member wants more alignment than the packing gives
                if d.packLimit > 0 && align > d.packLimit {
                    throw Unsupported(feature: "packed struct", why: "is not supported (the struct \(d.packing ?? "is packed"), which moves members "
                                      + "aligned to \(align) bytes; packed layouts are not generated)")
                }
                let size = (offset + align - 1) / align * align
                guard size <= UtcbLimit.mrBytes else { throw Unsupported(feature: "struct argument", why: "is larger than the message registers") }
                return StructLayout(qualifiedName: d.name, outer: d.outer, fields: fields, size: size, alignment: align, swiftName: d.name.last ?? "")
            }
            guard t.args.isEmpty, let a = alias(t.name) else { return nil }
            t = a
        }
        return nil
    }

    enum Found { case structure(StructDecl), alias(TypeExpr) }

    /// What `name` means from `context`: the innermost scope's declaration first (a struct or a typedef),
    /// then the name as written, then its last two parts, then its last.
    func lookup(_ name: [String]) -> Found? {
        func at(_ key: String) -> Found? {
            if let d = scope.structs[key] { return .structure(d) }
            if let a = scope.aliases[key], a.name != name { return .alias(a) }
            return nil
        }
        var c = context
        while !c.isEmpty {
            if let f = at((c + name).joined(separator: "::")) { return f }
            if let f = at((c.suffix(1) + name).joined(separator: "::")) { return f }
            c.removeLast()
        }
        if let f = at(name.joined(separator: "::")) { return f }
        if name.count >= 2, let f = at(name.suffix(2).joined(separator: "::")) { return f }
        if name.count >= 1, let l = name.last, let f = at(l) {
            if case .alias(let a) = f, a.name.last == l { return nil }
            return f
        }
        return nil
    }

    func structDecl(_ name: [String]) -> StructDecl? {
        if case .structure(let d)? = lookup(name) { return d }
        return nil
    }

    func alias(_ name: [String]) -> TypeExpr? {
        if case .alias(let a)? = lookup(name) { return a }
        return nil
    }

    /// A C integer type, a typedef of one (followed through typedef chains, bounded), or a qualified name of such a typedef.
    func intType(_ t: TypeExpr) -> IntType? {
        var t = t
        for _ in 0..<HeaderScope.maxDepth {
            guard t.pointers == 0, !t.isReference else { return nil }
            if t.name.count == 1, t.args.isEmpty, let it = IntType.named(t.name[0]) { return it }
            if t.name == ["L4", "Opcode"] { return IntType("Int32", 4) }
            // L4::Types::Flags_t<Enum, T> is a T
            if t.last == "Flags_t", t.args.count == 2, let under = t.args[1].type { t = under; continue }
            guard t.args.isEmpty, let a = alias(t.name) else { return nil }
            t = a
        }
        return nil
    }
}

enum UtcbLimit { static let mrBytes = 63 * 8 }
