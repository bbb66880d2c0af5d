// l4swift-gen: the Swift side of L4Re RPC interfaces, from their C++ headers.
//
//   l4swift-gen [-o OUT.swift] [-I DIR]... [-D NAME=VALUE]... [--only NAME]... [--import MODULE]...
//               [--with-code Interface::rpc]... HEADER...
//
// --with-code gives an RPC with outputs its return code too (client: `(code: Int,
// ...)`, server: returns it), for RPCs such as L4Re::Namespace::query whose
// non-negative code means something.
// Constants (a protocol named by an enumerator) are looked up in the header and
// in the headers it includes, found next to it or under the -I directories.
//
// Reads every `L4::Kobject_t` interface with `L4_INLINE_RPC` / `L4_RPC`
// declarations in the headers and writes one Swift file (standard output
// without -o). A declaration it cannot translate is an error naming the file,
// line, RPC and argument; nothing is written then. An output that would not
// change is left alone (its time too). Exit codes: 0 written,
// 1 a declaration is not supported or not understood, 2 usage, 3 a header
// cannot be read, 4 no interface found.
import Foundation
import L4IfaceGen

func fail(_ code: Int32, _ message: String) -> Never {
    FileHandle.standardError.write(Data(("l4swift-gen: " + message + "\n").utf8))
    exit(code)
}

var output: String? = nil
var headers: [String] = []
var defines: [String: Int] = [:]
var only: Set<String> = []
var includeDirs: [String] = []
var imports: [String] = []
/// RPCs (Interface::rpc) whose outputs come with the return code.
var withCode: Set<String> = []

/// Reads the headers `text` includes (found next to `file` or under -I), and theirs, for constants.
func includedConstants(of text: String, file: String, into parser: inout HeaderParser, seen: inout Set<String>, depth: Int) {
    guard depth < 6 else { return }
    for line in text.split(separator: "\n") {
        let l = line.trimmingCharacters(in: .whitespaces)
        guard l.hasPrefix("#"), l.contains("include") else { continue }
        guard let open = l.firstIndex(where: { $0 == "<" || $0 == "\"" }) else { continue }
        let rest = l[l.index(after: open)...]
        guard let close = rest.firstIndex(where: { $0 == ">" || $0 == "\"" }) else { continue }
        let name = String(rest[..<close])
        let dirs = [(file as NSString).deletingLastPathComponent] + includeDirs
        for d in dirs {
            let path = (d as NSString).appendingPathComponent(name)
            guard !seen.contains(path), let data = FileManager.default.contents(atPath: path),
                  let t = String(data: data, encoding: .utf8) else { continue }
            seen.insert(path)
            parser.learnConstants(from: t)
            includedConstants(of: t, file: path, into: &parser, seen: &seen, depth: depth + 1)
            break
        }
    }
}
let usage = "usage: l4swift-gen [-o OUT.swift] [-I DIR]... [-D NAME=VALUE]... [--only NAME]... [--import MODULE]... [--with-code Interface::rpc]... HEADER..."
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
    case "--with-code": withCode.insert(value(of: a, "Interface::rpc"))
    case "--import": imports.append(value(of: a, "a module name"))
    case "--only": only.insert(value(of: a, "an interface name"))
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        if a.hasPrefix("-") { fail(2, "unknown option '\(a)'") }
        headers.append(a)
    }
}
guard !headers.isEmpty else { fail(2, "no header given (\(usage))") }

var interfaces: [Interface] = []
for name in headers {
    // A header is a path, or a name as #include spells it (`l4/sys/meta`), found under -I.
    let h = FileManager.default.fileExists(atPath: name) ? name
        : includeDirs.map { ($0 as NSString).appendingPathComponent(name) }.first { FileManager.default.fileExists(atPath: $0) } ?? name
    guard let data = FileManager.default.contents(atPath: h), let text = String(data: data, encoding: .utf8) else {
        fail(3, "cannot read '\(name)'\(includeDirs.isEmpty ? "" : " (nor find it under " + includeDirs.joined(separator: ", ") + ")")")
    }
    var parser = HeaderParser(file: h)
    var seen: Set<String> = [h]
    includedConstants(of: text, file: h, into: &parser, seen: &seen, depth: 0)
    for (k, v) in defines { parser.constants[k] = v }
    do {
        interfaces += try parser.parse(text).filter { only.isEmpty || only.contains($0.name) || only.contains($0.qualifiedName.joined(separator: "::")) }
    } catch {
        fail(1, error.description)
    }
}
for i in interfaces.indices {
    for k in interfaces[i].rpcs.indices where withCode.contains("\(interfaces[i].name)::\(interfaces[i].rpcs[k].name)") {
        interfaces[i].rpcs[k].returnsCode = true
        withCode.remove("\(interfaces[i].name)::\(interfaces[i].rpcs[k].name)")
    }
}
if let unknown = withCode.first { fail(2, "--with-code \(unknown): no such RPC in the headers") }
guard !interfaces.isEmpty else { fail(4, "no L4::Kobject_t interface with RPCs in \(headers.joined(separator: ", "))") }

let names = headers.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
let swift = SwiftEmitter(source: names, imports: imports).emit(interfaces)
if let output {
    // An unchanged file keeps its time, so that make rebuilds nothing.
    if let old = FileManager.default.contents(atPath: output), old == Data(swift.utf8) { exit(0) }
    let tmp = output + ".tmp"
    guard FileManager.default.createFile(atPath: tmp, contents: Data(swift.utf8)) else { fail(3, "cannot write '\(output)'") }
    do {
        if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
        try FileManager.default.moveItem(atPath: tmp, toPath: output)
    } catch { fail(3, "cannot write '\(output)': \(error.localizedDescription)") }
} else {
    print(swift, terminator: "")
}
