/// The checks of format v1 fields, shared by the v1 reader (`ParseWorker`) and
/// the compact reader (`CompactReader`): a run the compact reader accepts is
/// one the v1 reader accepts when `export --format csv` writes it back.
public enum FieldChecks {
    /// Why a run id is not valid (empty, a comma, a control character), or nil.
    public static func runIDProblem<S: StringProtocol>(_ id: S) -> String? {
        if id.isEmpty { return "the run id is empty" }
        if id.contains(",") { return "the run id holds a comma" }
        if id.unicodeScalars.contains(where: \.isControlCharacter) {
            return "the run id holds a control character: run ids are text without control characters"
        }
        return nil
    }

    /// Why a metadata key is not valid, or nil: lower-case letters, digits, `_`, `.`, `-`.
    public static func metaKeyProblem<S: StringProtocol>(_ key: S) -> String? {
        let ok = !key.isEmpty && key.utf8.allSatisfy {
            ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 46 || $0 == 45
        }
        return ok ? nil : "metadata key '\(display(key))' must be lower-case letters, digits, '_', '.', '-'"
    }

    /// Why a metadata value is not valid for its key (exit 13), or nil.
    public static func metaValueProblem(key: String, value: String) -> String? {
        ResultsFormat.problem(metaKey: key, value: value)
    }

    /// Why the six key fields of a sample, group, fail or skip record are not
    /// valid, or nil: six fields, none empty, no control character (C0, DEL, C1).
    public static func keyFieldsProblem<S: StringProtocol>(_ fields: [S]) -> String? {
        guard fields.count == 6 else {
            return "\(fields.count) key fields where 6 are needed (suite,benchmark,client,server,placement,param)"
        }
        for (i, f) in fields.enumerated() {
            if f.isEmpty { return "empty \(ResultsFormat.keyFields[i]) field" }
            if let c = f.unicodeScalars.first(where: \.isControlCharacter) {
                return "control character \(c.escapedForDisplay) in the \(ResultsFormat.keyFields[i]) field ('\(display(f))'): key fields are text without control characters"
            }
        }
        return nil
    }

    /// A round: decimal digits only, at most 2^32-1.
    public static func round<S: StringProtocol>(_ s: S) -> UInt32? {
        guard !s.isEmpty, s.utf8.count <= 10, s.utf8.allSatisfy({ $0 &- 48 <= 9 }) else { return nil }
        return UInt32(s)
    }

    /// Text shown in a message: control characters escaped, at most 40 characters.
    public static func display<S: StringProtocol>(_ s: S) -> String {
        var out = ""
        var n = 0
        for c in s.unicodeScalars {
            if n == 40 { return out + "…" }
            out += c.isControlCharacter ? c.escapedForDisplay : String(c)
            n += 1
        }
        return out
    }
}
