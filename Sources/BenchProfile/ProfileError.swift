/// What can go wrong reading traces, ELF files, console logs and profiles, and
/// making or explaining a profile. Each case names where and why; `exitCode`
/// maps it to the exit code `l4bench explain` documents (docs/explain.md).
public enum ProfileError: Error, CustomStringConvertible, Equatable {
    /// A file cannot be opened or read.
    case unreadable(String)
    /// A trace, profile or console log line is not what its format says (file:line: why).
    case malformed(file: String, line: Int, why: String)
    /// An ELF file is not a 64-bit little-endian ELF, or its tables are out of bounds.
    case badELF(file: String, why: String)
    /// A program's code in the trace does not match its ELF file: another build.
    case mismatch(program: String, why: String)
    /// The input lacks what explaining needs (no profile, not an icount run, no windows).
    case missing(String)
    /// The block asked for is not in the profile.
    case noSuchBlock(String)

    public var description: String {
        switch self {
        case .unreadable(let s): return s
        case .malformed(let f, let l, let why): return "\(f):\(l): \(why)"
        case .badELF(let f, let why): return "\(f): not a usable ELF file: \(why)"
        case .mismatch(let p, let why): return "\(p): the ELF file is not the booted binary: \(why)"
        case .missing(let s): return s
        case .noSuchBlock(let s): return s
        }
    }

    /// 40 missing data, 41 binary mismatch, 42 malformed input, 43 no such block, 3 unreadable.
    public var exitCode: Int32 {
        switch self {
        case .unreadable: return 3
        case .missing: return 40
        case .mismatch: return 41
        case .malformed, .badELF: return 42
        case .noSuchBlock: return 43
        }
    }
}
