/// A C++ token as the header reader needs it: identifiers, numbers and
/// punctuation, each with its line. Comments are dropped; preprocessor lines
/// become `defines` and `includes` instead of tokens.
public struct Token: Equatable {
    public enum Kind: Equatable {
        /// `[A-Za-z_][A-Za-z0-9_]*`: the only form a name from a header can take.
        case identifier
        /// A number as written (`0x10`, `7ul`).
        case number
        /// One character of punctuation, or `::`.
        case punct
        /// A string or character literal, or bytes that are no C++ token (non-ASCII text).
        case other
    }
    public var kind: Kind
    public var text: String
    public var line: Int

    public func `is`(_ s: String) -> Bool { text == s && kind != .other }
}

extension Token {
    /// Tokens as C++ would write them (a space only between words), cut to `limit` characters for messages.
    public static func spell<C: Collection>(_ ts: C, limit: Int = 100) -> String where C.Element == Token {
        var s = ""
        var prevWord = false
        for t in ts {
            let word = t.kind == .identifier || t.kind == .number
            if (word && prevWord) || (t.is("*") || t.is("&")) && !s.hasSuffix(" ") && !s.isEmpty && !s.hasSuffix("*") && !s.hasSuffix("&") { s += " " }
            s += t.text
            prevWord = word
            if s.count > limit { return String(s.prefix(limit)) + "..." }
        }
        return s
    }
}

/// A `#define NAME value` of a header, or a function-like `#define NAME(a, b) value` (`params` set).
public struct Define: Equatable {
    public var name: String
    public var value: [Token]
    public var params: [String]? = nil
}

/// The tokens of one header. One pass over its bytes: time and memory are
/// linear in its size.
public struct TokenizedHeader {
    public var tokens: [Token] = []
    public var defines: [Define] = []
    /// What `#include <...>` / `#include "..."` names, in order.
    public var includes: [String] = []
    /// The line of each token that is in a branch of an `#if`/`#ifdef`/`#ifndef` the generator does not evaluate
    /// (include guards and `__cplusplus` tests are evaluated): the innermost such `#if` and the branch.
    public var conditionalAt: [Int: Conditional] = [:]
    /// How many branches each such `#if` (by its line) has when it ends in `#else` (0 without: then no
    /// declaration is in every case).
    public var branchCounts: [Int: Int] = [:]
    /// The line of each token laid out under a `#pragma pack(...)`: the pragma's line and its value.
    public var packedAt: [Int: (line: Int, value: Int)] = [:]

    /// A branch of an `#if` the generator does not evaluate.
    public struct Conditional: Hashable {
        /// The `#if`'s line.
        public var line: Int
        /// 0 for the `#if` branch, then one more for each `#elif` / `#else`.
        public var branch: Int
    }

    /// An open `#if`: its line, its current branch, whether the generator knows it holds (an include guard,
    /// `__cplusplus`), and for an `#ifndef` the name an include guard's `#define` would give next.
    private struct Frame { var line: Int; var branch = 0; var live: Bool; var guardName: String?; var outer: Conditional? }
    private var frames: [Frame] = []
    private var opaque: Conditional? = nil
    /// `#pragma pack` values pushed, and the line of the one in force.
    private var packStack: [(line: Int, value: Int)?] = []
    private var pack: (line: Int, value: Int)? = nil

    public init(_ text: String) { self.init(text, directives: true) }

    /// With `directives` false (a directive's own text), `#` is punctuation.
    init(_ text: String, directives: Bool) {
        let b = Array(text.utf8)
        var i = 0
        var line = 1
        var lineStart = true
        func isIdentStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        func isIdentChar(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) }
        func slice(_ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }
        while i < b.count {
            let c = b[i]
            if c == 10 { line += 1; lineStart = true; i += 1; continue }
            if c == 32 || c == 9 || c == 13 || c == 12 || c == 11 { i += 1; continue }
            // comments
            if c == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "/") {
                while i < b.count, b[i] != 10 { i += 1 }
                continue
            }
            if c == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i < b.count, !(b[i] == UInt8(ascii: "*") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "/")) {
                    if b[i] == 10 { line += 1 }
                    i += 1
                }
                i = min(i + 2, b.count)
                continue
            }
            if directives && lineStart && c == UInt8(ascii: "#") {
                // One logical line (backslash-newline continues it); comments inside are dropped.
                var d: [UInt8] = []
                let startLine = line
                i += 1
                while i < b.count, b[i] != 10 {
                    if b[i] == UInt8(ascii: "\\"), i + 1 < b.count, b[i + 1] == 10 { line += 1; i += 2; d.append(32); continue }
                    if b[i] == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "/") {
                        while i < b.count, b[i] != 10 { i += 1 }
                        break
                    }
                    if b[i] == UInt8(ascii: "/"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "*") {
                        i += 2
                        while i < b.count, !(b[i] == UInt8(ascii: "*") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "/")) {
                            if b[i] == 10 { line += 1 }
                            i += 1
                        }
                        i = min(i + 2, b.count)
                        d.append(32)
                        continue
                    }
                    d.append(b[i]); i += 1
                }
                directive(d, line: startLine)
                continue
            }
            lineStart = false
            if let o = opaque { conditionalAt[line] = o }
            if let p = pack { packedAt[line] = p }
            let start = i
            if isIdentStart(c) {
                while i < b.count, isIdentChar(b[i]) { i += 1 }
                tokens.append(Token(kind: .identifier, text: slice(start..<i), line: line))
                continue
            }
            if c >= 48 && c <= 57 {
                while i < b.count, isIdentChar(b[i]) || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "'") { i += 1 }
                tokens.append(Token(kind: .number, text: slice(start..<i), line: line))
                continue
            }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                i += 1
                while i < b.count, b[i] != c, b[i] != 10 {
                    if b[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
                i = min(i + 1, b.count)
                tokens.append(Token(kind: .other, text: slice(start..<min(i, b.count)), line: line))
                continue
            }
            if c == UInt8(ascii: ":"), i + 1 < b.count, b[i + 1] == UInt8(ascii: ":") {
                tokens.append(Token(kind: .punct, text: "::", line: line)); i += 2
                continue
            }
            if c < 128 {
                tokens.append(Token(kind: .punct, text: String(UnicodeScalar(c)), line: line)); i += 1
                continue
            }
            while i < b.count, b[i] >= 128 { i += 1 }
            tokens.append(Token(kind: .other, text: slice(start..<i), line: line))
        }
    }

    private mutating func directive(_ d: [UInt8], line: Int) {
        var inner = TokenizedHeader(String(decoding: d, as: UTF8.self), directives: false).tokens
        for k in inner.indices { inner[k].line = line }
        guard let first = inner.first, first.kind == .identifier else { return }
        conditional(first.text, inner.dropFirst(), line: line)
        if first.text == "pragma", inner.count >= 2, inner[1].text == "pack" {
            // pack(N), pack(push[, N]), pack(pop), pack(): whether a pack is in force, from which line
            let words = inner.dropFirst(2).filter { $0.kind != .punct }.map(\.text)
            // the value (a number, else taken as 1: the tightest)
            let value = { (w: String) in max(1, min(HeaderScope.literal(w) ?? 1, 1 << 16)) }
            if packStack.count > 10_000 { packStack.removeAll() }
            if words.first == "push" { packStack.append(pack); if words.count > 1 { pack = (line, value(words[words.count - 1])) } }
            else if words.first == "pop" { pack = packStack.popLast() ?? nil }
            else { pack = words.isEmpty ? nil : (line, value(words[0])) }
            return
        }
        if first.text == "define", inner.count >= 2, inner[1].kind == .identifier {
            // `#define F(x) ...` is function-like only when the parenthesis touches the name; such macros are not values.
            var k = 0
            while k < d.count, d[k] == 32 || d[k] == 9 { k += 1 }
            k += 6   // "define"
            while k < d.count, d[k] == 32 || d[k] == 9 { k += 1 }
            k += inner[1].text.utf8.count
            if k < d.count, d[k] == UInt8(ascii: "(") {
                // function-like: identifiers separated by commas up to `)`, then the body
                var params: [String] = []
                var j = 3
                while j < inner.count, inner[j].kind == .identifier {
                    params.append(inner[j].text); j += 1
                    if j < inner.count, inner[j].is(",") { j += 1 } else { break }
                }
                guard inner.count > 2, inner[2].is("("), j < inner.count, inner[j].is(")"), params.count <= 16 else { return }
                defines.append(Define(name: inner[1].text, value: Array(inner[(j + 1)...]), params: params))
                return
            }
            defines.append(Define(name: inner[1].text, value: Array(inner[2...])))
        } else if first.text == "include" {
            let s = String(decoding: d, as: UTF8.self)
            guard let open = s.firstIndex(where: { $0 == "<" || $0 == "\"" }) else { return }
            let rest = s[s.index(after: open)...]
            guard let close = rest.firstIndex(where: { $0 == ">" || $0 == "\"" }) else { return }
            let name = String(rest[..<close])
            if !name.isEmpty { includes.append(name) }
        }
    }

    /// Tracks `#if` nesting: which branches the generator cannot know to be taken. O(1) per directive.
    private mutating func conditional(_ word: String, _ rest: ArraySlice<Token>, line: Int) {
        let guardName = frames.last?.guardName
        if !frames.isEmpty { frames[frames.count - 1].guardName = nil }
        switch word {
        case "if", "ifdef", "ifndef":
            // `__cplusplus` is defined (the headers are C++), at least C++11: `#ifdef __cplusplus`,
            // `#if defined(__cplusplus)`, `#if __cplusplus >= 201103L` hold
            let spelled = rest.filter { !$0.is("(") && !$0.is(")") }.map(\.text)
            let cxx11 = spelled.count == 4 && spelled[0] == "__cplusplus" && spelled[1] == ">" && spelled[2] == "="
                && (HeaderScope.literal(spelled[3]).map { $0 <= 201103 } ?? false)
            let live = word == "ifdef" && spelled == ["__cplusplus"] || word == "if" && (spelled == ["defined", "__cplusplus"] || cxx11)
            // `#ifndef X` or `#if !defined(X)`: an include guard when `#define X` follows
            let words = rest.filter { !$0.is("(") && !$0.is(")") }
            let notDefined = word == "if" && words.count == 3 && words[words.startIndex].is("!") && words[words.startIndex + 1].text == "defined"
            let guardName = word == "ifndef" && rest.count == 1 ? rest.first?.text : notDefined ? words.last?.text : nil
            frames.append(Frame(line: line, live: live, guardName: guardName, outer: opaque))
            if !live { branchCounts[line] = 0 }
        case "elif", "else":
            guard !frames.isEmpty else { return }
            frames[frames.count - 1].branch += 1
            frames[frames.count - 1].live = false
            // only an #else makes the branches cover every case
            branchCounts[frames[frames.count - 1].line] = word == "else" ? frames[frames.count - 1].branch + 1 : 0
        case "endif":
            guard let f = frames.popLast() else { return }
            opaque = f.outer
            return
        case "define":
            if let g = guardName, rest.first?.text == g, !frames.isEmpty, frames[frames.count - 1].branch == 0 {
                frames[frames.count - 1].live = true
                branchCounts[frames[frames.count - 1].line] = nil
            }
        default: return
        }
        if let f = frames.last { opaque = f.live ? f.outer : Conditional(line: f.line, branch: f.branch) }
    }
}
