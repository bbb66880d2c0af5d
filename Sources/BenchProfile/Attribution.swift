/// Which program and function each translated block of a trace belongs to.
///
/// A block belongs to a program when the program's ELF file holds the same
/// bytes at the block's address (the plugin hashes every block it translates):
/// programs linked at the same addresses are told apart by their code, and a
/// symbol table of another build cannot name a block it does not hold. A
/// program none of whose executed blocks match while code ran in its address
/// range, or with more unmatched than matched instructions there, is another
/// build than the one booted: it is refused (`ProfileError.mismatch`). Code
/// whose bytes differ from the only file whose address range holds it (a
/// kernel patches some instructions at boot: alternatives) goes to that file's
/// function once the file is accepted, and is counted as `patched`.
public struct Attribution: Sendable {
    /// A program and one of its functions; `?` programs are code no ELF file holds.
    public struct Place: Hashable, Sendable, Comparable {
        public var program: String
        public var function: String
        public init(program: String, function: String) { self.program = program; self.function = function }
        public static func < (a: Place, b: Place) -> Bool { (a.program, a.function) < (b.program, b.function) }
    }

    public var places: [Place] = []
    /// Per block: index into `places`.
    public var blockPlace: [Int32] = []
    /// Per block: index into the programs, -1 for none.
    public var blockProgram: [Int32] = []
    public var programs: [String] = []
    /// Executed instructions, per program, in blocks it holds and in blocks of its
    /// address range it does not hold.
    public var matched: [UInt64] = []
    public var unmatched: [UInt64] = []
    /// Executed instructions no program holds, and in blocks two programs hold alike.
    public var unknown: UInt64 = 0
    public var ambiguous: UInt64 = 0
    /// Executed instructions in blocks given to the one file covering them, whose bytes differ.
    public var patched: UInt64 = 0

    public static let unknownKernel = Place(program: "?kernel", function: "?")
    public static let unknownUser = Place(program: "?user", function: "?")

    public init(trace: BlockTrace, images: [ELFImage]) throws(ProfileError) {
        programs = images.map(\.name)
        matched = Array(repeating: 0, count: images.count)
        unmatched = Array(repeating: 0, count: images.count)
        var index: [Place: Int32] = [:]
        func intern(_ p: Place) -> Int32 {
            if let i = index[p] { return i }
            let i = Int32(places.count)
            places.append(p)
            index[p] = i
            return i
        }
        var executed = [UInt64](repeating: 0, count: trace.blocks.count)
        for c in trace.counts { executed[Int(c.block)] &+= c.instructions }
        var isAmbiguous = [Bool](repeating: false, count: trace.blocks.count)
        var single: [(Int, Int)] = []
        blockPlace.reserveCapacity(trace.blocks.count)
        for (bi, b) in trace.blocks.enumerated() {
            var owner = -1
            var owners = 0
            for (pi, img) in images.enumerated() where img.hash(at: b.vaddr, count: Int(b.bytes)) == b.hash {
                if owner < 0 { owner = pi }
                owners += 1
                matched[pi] &+= executed[bi]
            }
            if owner >= 0 {
                if owners > 1 { ambiguous &+= executed[bi]; isAmbiguous[bi] = true }
                let img = images[owner]
                let fn = img.function(at: b.vaddr) ?? String(format: "?0x%llx", b.vaddr)
                blockProgram.append(Int32(owner))
                blockPlace.append(intern(Place(program: img.name, function: fn)))
            } else {
                let covering = images.indices.filter { images[$0].covers(b.vaddr) }
                for pi in covering { unmatched[pi] &+= executed[bi] }
                if covering.count == 1 { single.append((bi, covering[0])) }
                unknown &+= executed[bi]
                blockProgram.append(-1)
                blockPlace.append(intern(b.vaddr >= 0x8000_0000_0000 ? Self.unknownKernel : Self.unknownUser))
            }
        }
        for (pi, img) in images.enumerated() where unmatched[pi] > 0 && unmatched[pi] > matched[pi] {
            throw .mismatch(program: img.name, why: "\(unmatched[pi]) executed instructions in its address range are not its bytes, \(matched[pi]) are (\(img.identity), \(img.path))")
        }
        for (bi, pi) in single where matched[pi] > 0 {
            let img = images[pi]
            let fn = img.function(at: trace.blocks[bi].vaddr) ?? String(format: "?0x%llx", trace.blocks[bi].vaddr)
            blockProgram[bi] = Int32(pi)
            blockPlace[bi] = intern(Place(program: img.name, function: fn))
            unknown &-= executed[bi]
            patched &+= executed[bi]
        }
    }
}
