import Foundation

/// One program's ELF file: its loadable code, its function symbols and its
/// identity (the GNU build id, else a hash of the whole file).
///
/// Only what attribution needs is read: 64-bit little-endian ELF (x86-64),
/// program headers (PT_LOAD, PT_NOTE), section headers (.symtab, else .dynsym,
/// and SHT_NOTE). Every offset is checked against the file size.
public struct ELFImage: Sendable {
    public struct Segment: Sendable {
        public var vaddr: UInt64
        public var fileOffset: Int
        public var fileSize: Int
        public var executable: Bool
    }

    public struct Function: Sendable {
        public var start: UInt64
        public var size: UInt64
        public var name: String
    }

    /// The program's name: the file's name.
    public var name: String
    public var path: String
    /// `build-id:<hex>` from NT_GNU_BUILD_ID, else `fnv64:<hex>` of the file.
    public var identity: String
    public var segments: [Segment]
    /// Function symbols sorted by address.
    public var functions: [Function]
    /// Position-independent (ET_DYN): loaded at an address of the loader's choice.
    public var relocatable: Bool
    let bytes: [UInt8]

    /// Largest ELF file read (a bound on memory).
    public static let maxSize = 512 << 20

    public init(path: String, name: String? = nil) throws(ProfileError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable("cannot read \(path)")
        }
        guard data.count <= Self.maxSize else { throw .badELF(file: path, why: "larger than \(Self.maxSize >> 20) MiB") }
        try self.init(bytes: [UInt8](data), path: path, name: name ?? (path as NSString).lastPathComponent)
    }

    public init(bytes: [UInt8], path: String, name: String) throws(ProfileError) {
        self.bytes = bytes
        self.path = path
        self.name = name
        func bad(_ why: String) -> ProfileError { .badELF(file: path, why: why) }
        guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            throw bad("no ELF magic")
        }
        guard bytes[4] == 2 else { throw bad("not a 64-bit ELF (class \(bytes[4]))") }
        guard bytes[5] == 1 else { throw bad("not little-endian") }
        let r = Reader(bytes: bytes)
        relocatable = r.u16(16) == 3
        let phoff = Int(clamping: r.u64(32)), shoff = Int(clamping: r.u64(40))
        let phentsize = Int(r.u16(54)), phnum = Int(r.u16(56))
        let shentsize = Int(r.u16(58)), shnum = Int(r.u16(60))
        guard phnum == 0 || (phentsize >= 56 && phoff >= 0 && phoff <= bytes.count && phnum * phentsize <= bytes.count - phoff) else {
            throw bad("program headers out of bounds")
        }
        guard shnum == 0 || (shentsize >= 64 && shoff >= 0 && shoff <= bytes.count && shnum * shentsize <= bytes.count - shoff) else {
            throw bad("section headers out of bounds")
        }
        var segments: [Segment] = []
        var buildID: [UInt8]?
        for i in 0..<phnum {
            let o = phoff + i * phentsize
            let type = r.u32(o), flags = r.u32(o + 4)
            let off = Int(clamping: r.u64(o + 8)), vaddr = r.u64(o + 16), filesz = Int(clamping: r.u64(o + 32))
            guard off >= 0, filesz >= 0, off <= bytes.count, filesz <= bytes.count - off else {
                if type == 1 { throw bad("segment \(i) out of bounds") }
                continue
            }
            if type == 1 { segments.append(Segment(vaddr: vaddr, fileOffset: off, fileSize: filesz, executable: flags & 1 != 0)) }
            if type == 4, buildID == nil { buildID = Self.buildID(r, off, filesz) }
        }
        var functions: [Function] = []
        if shnum > 0 {
            func section(_ i: Int) -> (type: UInt32, off: Int, size: Int, link: Int, entsize: Int)? {
                guard i >= 0 && i < shnum else { return nil }
                let o = shoff + i * shentsize
                let off = Int(clamping: r.u64(o + 24)), size = Int(clamping: r.u64(o + 32))
                let type = r.u32(o + 4)
                if type != 8 /* NOBITS */ {
                    guard off >= 0, size >= 0, off <= bytes.count, size <= bytes.count - off else { return nil }
                }
                return (type, off, size, Int(r.u32(o + 40)), Int(clamping: r.u64(o + 56)))
            }
            var symtab: Int?
            for i in 0..<shnum {
                guard let s = section(i) else { throw bad("section \(i) out of bounds") }
                if s.type == 2 { symtab = i }
                if s.type == 11 && symtab == nil { symtab = i }
                if s.type == 7 && buildID == nil { buildID = Self.buildID(r, s.off, s.size) }
            }
            if let t = symtab, let s = section(t), let strs = section(s.link) {
                guard s.entsize >= 24 else { throw bad("symbol table entry size \(s.entsize)") }
                for k in 0..<(s.size / s.entsize) {
                    let o = s.off + k * s.entsize
                    let info = bytes[o + 4]
                    let shndx = r.u16(o + 6)
                    // Functions, and untyped symbols in code (assembly entry points such as _start).
                    let type = info & 0xF
                    guard type == 2 /* FUNC */ || type == 0 /* NOTYPE */, shndx != 0, shndx < 0xFF00 else { continue }
                    let value = r.u64(o + 8)
                    if type == 0 && !segments.contains(where: { $0.executable && value >= $0.vaddr && value - $0.vaddr < UInt64($0.fileSize) }) { continue }
                    let nameOff = Int(r.u32(o))
                    guard nameOff < strs.size else { throw bad("symbol \(k): name outside the string table") }
                    var e = strs.off + nameOff
                    let limit = strs.off + strs.size
                    while e < limit && bytes[e] != 0 { e += 1 }
                    let name = String(decoding: bytes[(strs.off + nameOff)..<e], as: UTF8.self)
                    if type == 0 && (name.isEmpty || name.hasPrefix(".L") || name.hasPrefix("$")) { continue }
                    functions.append(Function(start: value, size: r.u64(o + 16), name: name))
                }
            }
        }
        // Aliases (same start) keep one name: a sized one, the shortest, then the first in order.
        functions.sort {
            $0.start != $1.start ? $0.start < $1.start
                : ($0.size == 0 ? 1 : 0, $0.name.count, $0.name) < ($1.size == 0 ? 1 : 0, $1.name.count, $1.name)
        }
        var unique: [Function] = []
        for f in functions where unique.last?.start != f.start { unique.append(f) }
        self.functions = unique
        self.segments = segments
        if let id = buildID {
            identity = "build-id:" + id.map { String(format: "%02x", $0) }.joined()
        } else {
            identity = "fnv64:" + String(format: "%016llx", FNV.hash(bytes[...]))
        }
    }

    private static func buildID(_ r: Reader, _ off: Int, _ size: Int) -> [UInt8]? {
        var o = off
        let end = off + size
        while o + 12 <= end {
            let namesz = Int(r.u32(o)), descsz = Int(r.u32(o + 4)), type = r.u32(o + 8)
            let nameStart = o + 12
            let descStart = nameStart + (namesz + 3) & ~3
            let next = descStart + (descsz + 3) & ~3
            guard next <= end, descStart + descsz <= end else { return nil }
            if type == 3 && namesz == 4 && r.bytes[nameStart..<(nameStart + 3)].elementsEqual([0x47, 0x4E, 0x55]) {
                return Array(r.bytes[descStart..<(descStart + descsz)])
            }
            o = next
        }
        return nil
    }

    /// The FNV-1a hash of the loaded bytes at `[vaddr, vaddr + count)`, or nil
    /// when they are not all inside one segment's file contents.
    public func hash(at vaddr: UInt64, count: Int) -> UInt64? {
        for s in segments where vaddr >= s.vaddr && vaddr - s.vaddr < UInt64(s.fileSize) {
            let o = Int(vaddr - s.vaddr)
            guard count <= s.fileSize - o else { return nil }
            return FNV.hash(bytes[(s.fileOffset + o)..<(s.fileOffset + o + count)])
        }
        return nil
    }

    /// Load biases (run-time address minus link address, page-aligned) at which the
    /// file holds blocks of `blocks`: for each block, every page of the executable
    /// segments is tried at the block's offset in its page. Biases found for fewer
    /// than `minimumHits` blocks, or for less than 1/20 of the best bias's, are
    /// chance alike code and dropped. A file that is not relocatable has bias 0.
    public func biases(for blocks: [BlockTrace.Block], minimumHits: Int = 4) -> [UInt64] {
        guard relocatable else { return [0] }
        var hits: [UInt64: Int] = [:]
        for b in blocks where b.bytes >= 8 {
            let off = b.vaddr & 0xFFF
            for s in segments where s.executable && s.fileSize > 0 {
                var a = (s.vaddr & ~0xFFF) | off
                if a < s.vaddr { a += 0x1000 }
                while a < s.vaddr + UInt64(s.fileSize) {
                    if hash(at: a, count: Int(b.bytes)) == b.hash { hits[b.vaddr &- a, default: 0] += 1 }
                    a += 0x1000
                }
            }
        }
        let top = hits.values.max() ?? 0
        return hits.filter { $0.value >= max(minimumHits, top / 20) }.keys.sorted()
    }

    /// Whether `vaddr` lies inside an executable segment's address range.
    public func covers(_ vaddr: UInt64) -> Bool {
        segments.contains { $0.executable && vaddr >= $0.vaddr && vaddr - $0.vaddr < UInt64($0.fileSize) }
    }

    /// The function holding `vaddr`: the last symbol at or below it, if its
    /// size (0 = unknown, taken as up to the next symbol) covers it.
    public func function(at vaddr: UInt64) -> String? {
        var lo = 0, hi = functions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if functions[mid].start <= vaddr { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let f = functions[lo - 1]
        if f.size == 0 || vaddr - f.start < f.size { return f.name }
        return nil
    }
}

/// FNV-1a, 64 bits: the hash the plugin computes over a block's bytes.
public enum FNV {
    public static let offset: UInt64 = 0xcbf29ce484222325
    public static func hash<C: Collection>(_ bytes: C, _ start: UInt64 = offset) -> UInt64 where C.Element == UInt8 {
        var h = start
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }
}

/// Little-endian reads, bounds-checked by the callers' header checks; out of
/// range reads give 0.
struct Reader {
    let bytes: [UInt8]
    func u16(_ o: Int) -> UInt16 {
        guard o >= 0, o + 2 <= bytes.count else { return 0 }
        return UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8
    }
    func u32(_ o: Int) -> UInt32 {
        guard o >= 0, o + 4 <= bytes.count else { return 0 }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[o + i]) << (8 * UInt32(i)) }
        return v
    }
    func u64(_ o: Int) -> UInt64 {
        guard o >= 0, o + 8 <= bytes.count else { return 0 }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[o + i]) << (8 * UInt64(i)) }
        return v
    }
}
