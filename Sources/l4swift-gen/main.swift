// l4swift-gen: the Swift side of L4Re RPC interfaces, from their C++ headers.
//
//   l4swift-gen [-o OUT.swift] [-I DIR]... [-D NAME=VALUE]... [--only NAME]... [--import MODULE]... [--c-type C_TYPE]...
//               [--with-code Interface::rpc|all]... [--skip Interface::rpc]... [--skip-unsupported]
//               [--namespaces [--no-namespace-enums]] [--clients-only] [--learn HEADER]... [--coverage] [--layout-asserts] [--each] HEADER...
//
// --namespaces keeps the C++ namespaces in the Swift names (Calc_example.Calc); --clients-only writes the
// clients alone (no Server protocol, no dispatch: a library that only calls); --layout-asserts writes
// C++ static_asserts of the struct layouts instead of Swift; --each runs over each header on its own and
// prints each run's exit code and milliseconds (the coverage script's mutant runs). --c-type 'struct NAME'
// (or a typedef name; =SwiftName if Swift imports it under another) passes that C type as C lays it out: the
// Swift names the type Swift imports from a C module (--import it), copied by its MemoryLayout (libc's
// struct sigaction of L4Re::Itas, whose layout uclibc chooses by #ifs the generator does not evaluate).
//
// Reads every interface (`L4::Kobject_t` and its relatives) with `L4_INLINE_RPC` /
// `L4_RPC` declarations in the headers and writes one Swift file (standard output
// without -o). A declaration it cannot translate is an error naming the file, line,
// RPC and argument; nothing is written then, unless the RPC is left out with --skip
// or --skip-unsupported (each left out RPC is named on standard error, and the server
// answers its opcode with -L4_ENOSYS). An output that would not change is left alone
// (its time too); a device, FIFO, hard-linked file or symbolic link given as the output is
// written through, never replaced; /dev/stdout, /dev/fd/N, /proc/self/fd/N are the open descriptor.
// Exit codes: 0 written, 1 a declaration is not supported or not understood, 2 usage,
// 3 a header cannot be read or the output cannot be written, 4 no interface with RPCs found.
import Foundation
import L4IfaceGen

func fail(_ code: Int32, _ message: String) -> Never {
    FileHandle.standardError.write(Data(("l4swift-gen: " + message + "\n").utf8))
    exit(code)
}

func warn(_ message: String) { FileHandle.standardError.write(Data((message + "\n").utf8)) }

var output: String? = nil
var headers: [String] = []
var defines: [String: Int] = [:]
var only: Set<String> = []
var includeDirs: [String] = []
var imports: [String] = []
/// RPCs (Interface::rpc) whose outputs come with the return code ("all": every RPC's).
var withCode: Set<String> = []
var skip: Set<String> = []
var skipUnsupported = false
/// Headers read only for their constants and types (`--learn l4/re/protocols.h`), as if each header included them.
var learn: [String] = []
/// Print what generates and what is missing (tab-separated) instead of Swift.
var coverage = false
/// Swift names keep the C++ namespaces (`Calc_example.Calc`).
var namespaces = false
/// The namespaces' enums are declared by another output of the module: this one only extends them.
var noNamespaceEnums = false
/// Write C++ static_asserts of the struct layouts instead of Swift.
var layoutAsserts = false
/// Clients only: no Server protocol, no dispatch (and so no notes about bases a server would not answer).
var clientsOnly = false
/// C types passed as C lays them out (`--c-type 'struct sigaction'`): C name to Swift name.
var cTypes: [String: String] = [:]
/// Run over each header on its own, writing nothing, and print each run's exit code and time (for mutant runs).
var each = false

let usage = "usage: l4swift-gen [-o OUT.swift] [-I DIR]... [-D NAME=VALUE]... [--only NAME]... [--import MODULE]... [--c-type 'struct NAME'|'union NAME'|TYPEDEF_NAME, each [=SwiftName]]... "
    + "[--with-code Interface::rpc|all]... [--skip Interface::rpc]... [--skip-unsupported] [--namespaces [--no-namespace-enums]] [--clients-only] [--learn HEADER]... [--coverage] [--layout-asserts] [--each] HEADER..."
var args = CommandLine.arguments.dropFirst()
/// The value after option `a`, or a usage error saying what it needs.
func value(of a: String, _ what: String) -> String {
    guard let v = args.popFirst() else { fail(2, "\(a) needs \(what)") }
    return v
}
while let a = args.popFirst() {
    switch a {
    case "-o", "--output": output = value(of: a, "a file")
    case "-D", "--define":
        let v = value(of: a, "NAME=VALUE")
        let p = v.split(separator: "=", maxSplits: 1)
        guard p.count == 2, let n = HeaderParser.literal(String(p[1])) else { fail(2, "bad definition '\(v)' (NAME=NUMBER)") }
        defines[String(p[0])] = n
    case "-I": includeDirs.append(value(of: a, "a directory"))
    case "--with-code": withCode.insert(value(of: a, "Interface::rpc or all"))
    case "--skip": skip.insert(value(of: a, "Interface::rpc"))
    case "--skip-unsupported": skipUnsupported = true
    case "--learn": learn.append(value(of: a, "a header"))
    case "--coverage": coverage = true; skipUnsupported = true
    case "--namespaces": namespaces = true
    case "--no-namespace-enums": noNamespaceEnums = true; namespaces = true
    case "--layout-asserts": layoutAsserts = true
    case "--clients-only": clientsOnly = true
    case "--each": each = true
    case "--import": imports.append(value(of: a, "a module name"))
    case "--c-type":
        let v = value(of: a, "a C type ('struct NAME' or a typedef name, optionally =SwiftName)")
        let c: String, swift: String
        switch SwiftNames.cTypeOption(v) {
        case .success(let r): (c, swift) = r
        case .failure(let e): fail(2, "--c-type '\(v)': \(e.message)")
        }
        if let old = cTypes[c], old != swift { fail(2, "--c-type \(c) is given twice, as \(old) and as \(swift)") }
        cTypes[c] = swift
    case "--only": only.insert(value(of: a, "an interface name"))
    case "-h", "--help":
        print(usage)
        print("""
        exit codes: 0 written (or unchanged), 1 a declaration is not supported or not understood,
                    2 usage, 3 a header cannot be read or the output cannot be written,
                    4 no interface with RPCs in the headers
        """)
        exit(0)
    default:
        if a.hasPrefix("-") { fail(2, "unknown option '\(a)'") }
        headers.append(a)
    }
}
guard !headers.isEmpty else { fail(2, "no header given (\(usage))") }
for m in imports where !m.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) || m.first?.isNumber != false {
    fail(2, "--import '\(m)' is not a module name")
}

/// With --each: the included headers, read once for all runs.
let includeCache: HeaderFiles.Cache? = each ? HeaderFiles.Cache() : nil

/// One run of the generator over `headers` (what the command does; `--each` does it per header):
/// its exit code. `quiet`: nothing printed or written (the mutant runs of the coverage script).
func generate(_ headers: [String], quiet: Bool = false) -> Int32 {
    func say(_ m: String) { if !quiet { warn(m) } }
    func stop(_ code: Int32, _ message: String) -> Int32 { say("l4swift-gen: " + message); return code }
    let files = HeaderFiles(includeDirs: includeDirs, cache: includeCache)
    var generator = Generator()
    for name in headers {
        // A header is a path, or a name as #include spells it (`l4/sys/meta`), found under -I.
        let h = files.locate(name)
        let text: String
        switch HeaderFiles.read(h) {
        case .success(let t): text = t
        case .failure(let e):
            let why = e == .notRegular ? " (not a regular file)" : e == .tooLarge ? " (larger than \(HeaderFiles.maxBytes) bytes)" : e == .notUTF8 ? " (not UTF-8)" : ""
            return stop(3, "cannot read '\(name)'\(why)\(includeDirs.isEmpty || e != .missing ? "" : " (nor find it under " + includeDirs.joined(separator: ", ") + ")")")
        }
        var parser = HeaderParser(file: h)
        for l in learn {
            let p = files.locate(l)
            guard case .success(let t) = HeaderFiles.read(p) else { return stop(3, "cannot read '\(l)' (--learn)") }
            let lt = TokenizedHeader(t)
            files.learnIncluded(by: lt, at: p, into: &parser)
            parser.learn(from: lt)
        }
        let tokens = TokenizedHeader(text)
        files.learnIncluded(by: tokens, at: h, into: &parser)
        for (k, v) in defines { parser.constants[k] = v }
        parser.scope.cTypes = cTypes
        generator.add(parser.read(tokens), only: only)
    }

    if !each, let unknown = only.subtracting(generator.onlyMatched).sorted().first {
        return stop(2, "--only \(unknown): no such interface in \(headers.joined(separator: ", "))")
    }
    let plan: Generator.Plan
    switch generator.plan(skip: skip, skipUnsupported: skipUnsupported, withCode: withCode, namespaces: namespaces) {
    case .success(let p): plan = p
    case .failure(.unknownOption(let message)): return stop(2, message)
    case .failure(.problems(let diags)):
        for d in diags { say(d.description) }
        return stop(1, "\(diags.count) declaration\(diags.count == 1 ? "" : "s") cannot be generated; nothing written"
             + " (--skip Interface::rpc or --skip-unsupported generates the rest)")
    }
    if coverage {
        // interface NAME generated total features; refused NAME reason
        var out = ""
        for i in plan.interfaces {
            let total = i.rpcs.count + i.skipped.count
            var features: [String: Int] = [:]
            for d in i.skipped { features[d.feature ?? "other", default: 0] += 1 }
            let missing = features.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            out += "interface\t\(i.qualifiedName.joined(separator: "::"))\t\(i.rpcs.count)\t\(total)\t\(missing)\n"
        }
        for d in plan.skipped where d.rpc == nil { out += "refused\t\(d.interface ?? "")\t0\t0\t\(SwiftNames.commentSafe(d.message))\n" }
        if !quiet { FileHandle.standardOutput.write(Data(out.utf8)) }
        return plan.interfaces.isEmpty && !plan.skipped.contains { $0.rpc == nil } ? 4 : 0
    }
    for d in plan.skipped { say(d.description.replacingOccurrences(of: ": error: ", with: ": warning: skipped: ")) }
    if !clientsOnly { for n in plan.notes { say(n) } }
    // a --c-type no RPC passes (a typo, or a name that is an integer typedef), or C types without a module to take them from
    let passed = Set(plan.interfaces.flatMap(\.passedLayouts).filter(\.isCType).map { $0.qualifiedName[0] })
    for c in cTypes.keys.sorted() where !passed.contains(c) {
        say("l4swift-gen: warning: --c-type \(c): no RPC generated here passes it as a struct (an integer typedef is passed as its integer)")
    }
    if !passed.isEmpty && imports.isEmpty {
        say("l4swift-gen: warning: --c-type without --import: the C types (\(passed.sorted().joined(separator: ", "))) must come from a module the output sees")
    }
    guard !plan.interfaces.isEmpty else { return stop(4, "no L4::Kobject_t interface with RPCs in \(headers.joined(separator: ", "))") }

    let names = headers.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
    var emitter = SwiftEmitter(source: names, imports: imports)
    emitter.namespaces = namespaces
    emitter.namespaceEnumsElsewhere = noNamespaceEnums
    emitter.clientsOnly = clientsOnly
    // --layout-asserts: C++ that includes the headers (a path as a path, an #include name as <name>) and asserts the layouts
    let swift = layoutAsserts
        ? LayoutAsserts.cpp(plan.interfaces, includes: (learn + headers).map { FileManager.default.fileExists(atPath: $0) ? "\"\(URL(fileURLWithPath: $0).path)\"" : "<\($0)>" })
        : emitter.emit(plan.interfaces)
    if quiet { return 0 }
    if let output {
        switch OutputFile.write(Data(swift.utf8), to: output) {
        case .success: break
        case .failure(let e): return stop(3, "cannot write '\(output)': \(e.message)")
        }
    } else {
        FileHandle.standardOutput.write(Data(swift.utf8))
    }
    return 0
}

if each {
    // each header on its own, as separate runs would be: its exit code and milliseconds, one line each
    for h in headers {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let rc = generate([h], quiet: true)
        let ms = (DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000
        print("\(rc)\t\(ms)\t\(h)")
    }
    exit(0)
}
exit(generate(headers))
