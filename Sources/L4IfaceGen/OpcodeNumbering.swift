/// The opcodes of an interface's RPCs, as `L4::Typeid::Rpcs` numbers them: in
/// the list's order from 0, an `_OP` declaration's own opcode moving the count
/// on. Checked: no overflow, every opcode fits the opcode's type, none twice.
enum OpcodeNumbering {
    struct Entry { var name: String; var explicit: Int? }

    /// The opcode of each entry, or the index of the first entry whose opcode cannot be and why.
    static func number(_ entries: [Entry], type: IntType?) -> Result<[Int], Failure> {
        var out: [Int] = []
        out.reserveCapacity(entries.count)
        var next: Int? = 0   // nil once the count went past Int.max
        var seen: [Int: String] = [:]
        let range = type.map(Self.range) ?? (Int.min...Int.max)
        for (k, e) in entries.enumerated() {
            guard let op = e.explicit ?? next else {
                return .failure(Failure(index: k, why: "its opcode would be past the largest integer"))
            }
            guard range.contains(op) else {
                return .failure(Failure(index: k, why: "opcode \(op) does not fit the opcode type \(type?.swift ?? "")"))
            }
            if let other = seen[op] { return .failure(Failure(index: k, why: "opcode \(op) is also \(other)'s")) }
            seen[op] = e.name
            out.append(op)
            let (n, overflow) = op.addingReportingOverflow(1)
            next = overflow ? nil : n
        }
        return .success(out)
    }

    struct Failure: Error { var index: Int; var why: String }

    /// The values a type holds.
    static func range(_ t: IntType) -> ClosedRange<Int> {
        let signed = t.swift.hasPrefix("Int")
        switch t.size {
        case 1: return signed ? Int(Int8.min)...Int(Int8.max) : 0...Int(UInt8.max)
        case 2: return signed ? Int(Int16.min)...Int(Int16.max) : 0...Int(UInt16.max)
        case 4: return signed ? Int(Int32.min)...Int(Int32.max) : 0...Int(UInt32.max)
        default: return signed ? Int.min...Int.max : 0...Int.max
        }
    }
}
