/// A LAVA job log (the YAML the API serves: one flow mapping per line,
/// `- {"dt": "...", "lvl": "target", "msg": "..."}`) read into the board's
/// serial console text and LAVA's verdict on the job.
///
/// The reader trusts nothing: a line is at most `maxLine` bytes (LAVA itself
/// writes at most 10^6), nesting is bounded, a line it cannot read is counted
/// and skipped, and the console text goes on to the same results parser as
/// any serial log (control characters, huge lines, forged records are its job).
public struct LavaLog: Sendable {
    /// The serial console: every `target` message, one line each.
    public var console: [UInt8] = []
    /// Log entries read (complete lines), for following a running job with `?start=`.
    public var entries = 0
    /// Lines that were not a LAVA log entry (or too long), skipped.
    public var skipped = 0
    /// The last line had no newline or could not be read: the download was cut.
    public var cut = false
    /// From the `job` result at the end of the log: LAVA's error class (Infrastructure, Job, Test, Bug, Canceled...) and message.
    public var errorType: String?
    public var errorMessage: String?
    /// The job's result (`pass`/`fail`) when the log reached its end.
    public var jobResult: String?
    /// The monitor's own verdict: `passed` when it saw the end record.
    public var monitorStatus: String?
    /// The monitor's own complaint (`lava test monitoring has timed out`: no console line for the
    /// connection's timeout; LAVA then calls the job complete).
    public var monitorError: String?
    /// SHA-256 of the image as the dispatcher downloaded it (LAVA's `file-download` result).
    public var imageSHA256: String?
    /// The last line of LAVA's own messages (error or info), for a reason when nothing better exists.
    public var lastError: String?

    public static let maxLine = 2 << 20

    public init() {}

    /// Reads a whole log, or a part of one (the lines after `entries`) appended to this one.
    public mutating func read(_ bytes: [UInt8]) {
        var start = 0
        while start < bytes.count {
            guard let nl = bytes[start...].firstIndex(of: 10) else {
                // No newline at the end: a cut download (a complete LAVA log ends each line).
                let rest = bytes.count - start
                if rest > 0 { cut = true; skipped += 1 }
                return
            }
            if nl - start > Self.maxLine {
                skipped += 1
                entries += 1
            } else {
                take(bytes[start..<nl])
            }
            start = nl + 1
        }
    }

    public static func read(_ bytes: [UInt8]) -> LavaLog {
        var l = LavaLog()
        l.read(bytes)
        return l
    }

    /// A console line as the board sent it, as near as LAVA's log allows. LAVA's
    /// dispatcher (lava_dispatcher/shell.py) removes ESC and CR from target
    /// output and writes `"` as `\"`: the quote comes back, and colour codes
    /// left without their ESC at the line's end (`[0m`, L4Re's log colours)
    /// are removed, as the results parser removes them with their ESC.
    static func serialLine(_ s: String) -> [UInt8] {
        var b = Array(s.utf8)
        if b.contains(92) {
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var i = 0
            while i < b.count {
                if b[i] == 92 && i + 1 < b.count && b[i + 1] == 34 { out.append(34); i += 2 } else { out.append(b[i]); i += 1 }
            }
            b = out
        }
        var n = b.count
        while n >= 3 && b[n - 1] == 109 /* m */ {
            var j = n - 2
            while j > 0 && (b[j] == 59 || (b[j] >= 48 && b[j] <= 57)) { j -= 1 }
            guard b[j] == 91 /* [ */ else { break }
            n = j
        }
        if n < b.count { b.removeSubrange(n...) }
        return b
    }

    mutating func take(_ line: ArraySlice<UInt8>) {
        var p = FlowParser(bytes: line)
        var entry: [(String, FlowValue)]?
        if p.eat("- ") { entry = p.mapping(depth: 0) }
        p.skipSpaces()
        guard let e = entry, p.atEnd else {
            // A blank line ends nothing; anything else is not a log entry.
            if !line.allSatisfy({ $0 == 32 || $0 == 13 }) { skipped += 1 }
            return
        }
        entries += 1
        let lvl = e.first { $0.0 == "lvl" }?.1.string
        let msg = e.first { $0.0 == "msg" }?.1
        switch (lvl, msg) {
        case ("target", .string(let s)?):
            console += Self.serialLine(s)
            console.append(10)
        case ("results", .mapping(let m)?):
            let kv = Dictionary(m, uniquingKeysWith: { a, _ in a })
            if kv["case"]?.string == "job" && kv["definition"]?.string == "lava" {
                jobResult = kv["result"]?.string
                errorType = kv["error_type"]?.string
                errorMessage = kv["error_msg"]?.string
            } else if kv["case"]?.string == "lava-test-monitor", case .mapping(let extra)? = kv["extra"] {
                monitorStatus = extra.first { $0.0 == "status" }?.1.string
            } else if kv["case"]?.string == "file-download", case .mapping(let extra)? = kv["extra"],
                      let h = extra.first(where: { $0.0 == "sha256sum" })?.1.string,
                      h.count == 64, h.allSatisfy({ $0.isHexDigit }) {
                imageSHA256 = h
            }
        case ("error", .string(let s)?):
            lastError = s
        case ("warning", .string(let s)?) where s.hasPrefix("err: lava test monitoring"):
            monitorError = String(s.dropFirst(5))
        default: break
        }
    }
}

/// A value of a YAML flow mapping as LAVA writes it (double-quoted scalars).
indirect enum FlowValue: Sendable {
    case string(String)
    case mapping([(String, FlowValue)])
    case list([FlowValue])

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
}

/// Reads one line of YAML flow syntax: mappings, lists, double-quoted and
/// plain scalars, `!` tags (skipped). Returns nil for anything else.
struct FlowParser {
    let bytes: ArraySlice<UInt8>
    var i: Int
    static let maxDepth = 8

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        i = bytes.startIndex
    }

    var atEnd: Bool { i >= bytes.endIndex || (bytes[i] == 13 && i + 1 == bytes.endIndex) }

    mutating func skipSpaces() { while i < bytes.endIndex && bytes[i] == 32 { i += 1 } }

    mutating func eat(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard bytes.endIndex - i >= u.count, bytes[i..<(i + u.count)].elementsEqual(u) else { return false }
        i += u.count
        return true
    }

    mutating func mapping(depth: Int) -> [(String, FlowValue)]? {
        guard depth < Self.maxDepth, eat("{") else { return nil }
        var out: [(String, FlowValue)] = []
        skipSpaces()
        if eat("}") { return out }
        while true {
            skipSpaces()
            guard let k = scalar() else { return nil }
            skipSpaces()
            guard eat(":") else { return nil }
            skipSpaces()
            guard let v = value(depth: depth + 1) else { return nil }
            out.append((k, v))
            skipSpaces()
            if eat(",") { continue }
            if eat("}") { return out }
            return nil
        }
    }

    mutating func list(depth: Int) -> [FlowValue]? {
        guard depth < Self.maxDepth, eat("[") else { return nil }
        var out: [FlowValue] = []
        skipSpaces()
        if eat("]") { return out }
        while true {
            skipSpaces()
            guard let v = value(depth: depth + 1) else { return nil }
            out.append(v)
            skipSpaces()
            if eat(",") { continue }
            if eat("]") { return out }
            return nil
        }
    }

    mutating func value(depth: Int) -> FlowValue? {
        guard i < bytes.endIndex else { return nil }
        if bytes[i] == UInt8(ascii: "!") {
            // A tag (`! "11532"`, `!!str`): skip it, keep the value.
            while i < bytes.endIndex && bytes[i] != 32 { i += 1 }
            skipSpaces()
        }
        guard i < bytes.endIndex else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"): return mapping(depth: depth).map { .mapping($0) }
        case UInt8(ascii: "["): return list(depth: depth).map { .list($0) }
        default: return scalar().map { .string($0) }
        }
    }

    /// A double-quoted scalar with YAML's escapes, or a plain one up to `,` `}` `]` `:`.
    mutating func scalar() -> String? {
        guard i < bytes.endIndex else { return nil }
        if bytes[i] != UInt8(ascii: "\"") {
            let s = i
            while i < bytes.endIndex, ![44, 125, 93, 58].contains(bytes[i]) { i += 1 }
            guard i > s else { return nil }
            return String(decoding: bytes[s..<i], as: UTF8.self).trimmingSpaces
        }
        i += 1
        var out: [UInt8] = []
        while i < bytes.endIndex {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.endIndex else { return nil }
            let e = bytes[i]
            i += 1
            func scalarValue(_ n: Int) -> UInt32? {
                guard bytes.endIndex - i >= n, let v = UInt32(String(decoding: bytes[i..<(i + n)], as: UTF8.self), radix: 16) else { return nil }
                i += n
                return v
            }
            var u: UInt32?
            switch e {
            case UInt8(ascii: "0"): u = 0
            case UInt8(ascii: "a"): u = 7
            case UInt8(ascii: "b"): u = 8
            case UInt8(ascii: "t"), 9: u = 9
            case UInt8(ascii: "n"): u = 10
            case UInt8(ascii: "v"): u = 11
            case UInt8(ascii: "f"): u = 12
            case UInt8(ascii: "r"): u = 13
            case UInt8(ascii: "e"): u = 27
            case 32: u = 32
            case UInt8(ascii: "\""): u = 34
            case UInt8(ascii: "/"): u = 47
            case UInt8(ascii: "\\"): u = 92
            case UInt8(ascii: "N"): u = 0x85
            case UInt8(ascii: "_"): u = 0xa0
            case UInt8(ascii: "L"): u = 0x2028
            case UInt8(ascii: "P"): u = 0x2029
            case UInt8(ascii: "x"): u = scalarValue(2)
            case UInt8(ascii: "u"): u = scalarValue(4)
            case UInt8(ascii: "U"): u = scalarValue(8)
            default: return nil
            }
            // An escape that is no Unicode scalar (a lone surrogate) becomes U+FFFD.
            guard let v = u else { return nil }
            let scalar = Unicode.Scalar(v) ?? "\u{fffd}"
            out += Array(String(Character(scalar)).utf8)
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
