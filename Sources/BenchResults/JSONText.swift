/// A JSON string literal of `s`: quotes, backslashes and control characters escaped.
public func jsonQuote(_ s: String) -> String {
    var o = "\""
    for c in s.unicodeScalars {
        switch c {
        case "\"": o += "\\\""
        case "\\": o += "\\\\"
        case "\n": o += "\\n"
        case "\t": o += "\\t"
        default:
            if c.value < 0x20 {
                let hex = String(c.value, radix: 16)
                o += "\\u00" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                o.unicodeScalars.append(c)
            }
        }
    }
    return o + "\""
}
