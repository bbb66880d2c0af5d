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
/// function once the file is accepted, and is counted as `patched`. Code that
/// two files hold alike at the same address goes to the file that owns its
/// physical page (the one file alone holding other blocks there), else to the
/// first, counted as `ambiguous`.
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
    /// Per file: the load biases found (run-time minus link address).
    public var biases: [[UInt64]] = []

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
        // Where each relocatable file was loaded: found from the most executed user blocks.
        let sample = trace.blocks.indices.filter { trace.blocks[$0].vaddr < 0x8000_0000_0000 }
            .sorted { executed[$0] > executed[$1] }.prefix(4000).map { trace.blocks[$0] }
        biases = images.map { $0.biases(for: sample) }
        // Every file holding each block's bytes (at one of its biases), and the files whose range covers it.
        var holders = [[(Int, UInt64)]](repeating: [], count: trace.blocks.count)
        for (bi, b) in trace.blocks.enumerated() {
            for pi in images.indices {
                if let bias = biases[pi].first(where: { images[pi].hash(at: b.vaddr &- $0, count: Int(b.bytes)) == b.hash }) {
                    holders[bi].append((pi, bias))
                    matched[pi] &+= executed[bi]
                }
            }
            if holders[bi].isEmpty {
                for pi in images.indices where biases[pi].contains(where: { images[pi].covers(b.vaddr &- $0) }) { unmatched[pi] &+= executed[bi] }
            }
        }
        for (pi, img) in images.enumerated() where unmatched[pi] > 0 {
            // The kernel patches some of its instructions at boot; a program's code is loaded as it is.
            let kernel = img.segments.contains { $0.executable && $0.vaddr >= 0x8000_0000_0000 }
            if kernel ? unmatched[pi] > matched[pi] : unmatched[pi] * 200 > matched[pi] + unmatched[pi] {
                throw .mismatch(program: img.name, why: "\(unmatched[pi]) executed instructions in its address range are not its bytes, \(matched[pi]) are (\(img.identity), \(img.path))")
            }
        }
        // A physical page holds one program's code: the page's owner is the one file that alone
        // holds blocks on it. It decides blocks that several files hold alike, and blocks of its
        // range whose bytes differ (patched at boot).
        var pageOwners: [UInt64: Set<Int>] = [:]
        for (bi, b) in trace.blocks.enumerated() where holders[bi].count == 1 { pageOwners[b.page, default: []].insert(holders[bi][0].0) }
        blockPlace.reserveCapacity(trace.blocks.count)
        for (bi, b) in trace.blocks.enumerated() {
            let owners = pageOwners[b.page].flatMap { $0.count == 1 ? $0.first : nil }
            var owner: (Int, UInt64)?
            if holders[bi].count == 1 {
                owner = holders[bi][0]
            } else if holders[bi].count > 1 {
                if let o = owners, let h = holders[bi].first(where: { $0.0 == o }) { owner = h } else {
                    owner = holders[bi][0]
                    ambiguous &+= executed[bi]
                }
            } else {
                var covering: [(Int, UInt64)] = []
                for pi in images.indices where matched[pi] > 0 {
                    if let bias = biases[pi].first(where: { images[pi].covers(b.vaddr &- $0) }) { covering.append((pi, bias)) }
                }
                if let o = owners, let c = covering.first(where: { $0.0 == o }) { owner = c } else if covering.count == 1 { owner = covering[0] }
                if owner != nil { patched &+= executed[bi] }
            }
            if let (o, bias) = owner {
                let img = images[o]
                let fn = img.function(at: b.vaddr &- bias) ?? String(format: "?0x%llx", b.vaddr &- bias)
                blockProgram.append(Int32(o))
                blockPlace.append(intern(Place(program: img.name, function: fn)))
            } else {
                unknown &+= executed[bi]
                blockProgram.append(-1)
                blockPlace.append(intern(b.vaddr >= 0x8000_0000_0000 ? Self.unknownKernel : Self.unknownUser))
            }
        }
    }
}
