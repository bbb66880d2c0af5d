import Foundation

/// What a job needs to know of the suite in an image: the run ID its boot
/// script prints in the begin and end records, the number of blocks and the
/// block time limit (for LAVA's timeouts), the rounds (to number the rounds of
/// several boots apart). Read from the boot script that `l4bench run --target
/// l4re --image-only` packs into the image as a module, or given by hand.
public struct ImagePlan: Sendable, Equatable {
    public var runID: String
    public var blocks: Int
    public var blockTimeLimitSeconds: Int
    public var rounds: Int

    public init(runID: String, blocks: Int, blockTimeLimitSeconds: Int, rounds: Int) {
        self.runID = runID
        self.blocks = blocks
        self.blockTimeLimitSeconds = blockTimeLimitSeconds
        self.rounds = rounds
    }

    /// Largest image read whole.
    public static let maxImageBytes = 1 << 30

    /// Run IDs as the boot script writes them: no commas, quotes or control characters.
    public static func validRunID(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 200 && s.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || "-_.:+".unicodeScalars.contains($0)
        }
    }

    /// What an image's bytes say of its plan; nil where they say nothing (or two different things).
    public struct Found: Sendable, Equatable {
        public var runIDs: [String] = []
        public var blocks: Int?
        public var blockTimeLimitSeconds: Int?
        public var rounds: Int?
    }

    /// The plan from the image, each part overridden by what is given; an error names what is missing.
    public static func read(imagePath: String, runID: String? = nil, blocks: Int? = nil,
                            blockTimeLimitSeconds: Int? = nil, rounds: Int? = nil) throws(LavaError) -> ImagePlan {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: imagePath),
              (attrs[.type] as? FileAttributeType) == .typeRegular else {
            throw .image("\(imagePath) is not a readable file (the image `l4bench run --target l4re --image-only` wrote)")
        }
        let size = (attrs[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxImageBytes, let data = FileManager.default.contents(atPath: imagePath) else {
            throw .image("\(imagePath) is over \(maxImageBytes >> 20) MiB or unreadable")
        }
        let f = scan([UInt8](data))
        let id: String
        if let runID { id = runID } else {
            guard f.runIDs.count == 1, let only = f.runIDs.first else {
                throw .image(f.runIDs.isEmpty
                    ? "\(imagePath) holds no boot script of l4bench (no L4B1,begin record): give --run-id, --blocks and --block-time-limit"
                    : "\(imagePath) holds \(f.runIDs.count) run IDs (\(f.runIDs.prefix(3).joined(separator: ", "))): give --run-id")
            }
            id = only
        }
        guard let total = blocks ?? f.blocks, let limit = blockTimeLimitSeconds ?? f.blockTimeLimitSeconds else {
            throw .image("\(imagePath): the boot script's block count or time limit is not found: give --blocks and --block-time-limit")
        }
        return ImagePlan(runID: id, blocks: total, blockTimeLimitSeconds: limit, rounds: rounds ?? f.rounds ?? 1)
    }

    /// Finds the boot script's begin record, block count, time limit and rounds in the image's bytes.
    public static func scan(_ b: [UInt8]) -> Found {
        func after(_ marker: String, _ allowed: (UInt8) -> Bool) -> [String] {
            let m = Array(marker.utf8)
            var out: [String] = []
            var i = 0
            while let r = find(m, in: b, from: i) {
                var j = r + m.count
                let s = j
                while j < b.count, j - s < 256, allowed(b[j]) { j += 1 }
                out.append(String(decoding: b[s..<j], as: UTF8.self))
                i = r + 1
            }
            return out
        }
        let idChar: (UInt8) -> Bool = { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 95 || c == 46 || c == 58 || c == 43
        }
        let digit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        func one(_ marker: String) -> Int? {
            let v = Set(after(marker, digit).compactMap { Int($0) })
            return v.count == 1 ? v.first : nil
        }
        return Found(runIDs: Set(after("L4B1,begin,", idChar).filter(validRunID)).sorted(),
                     blocks: one("local TOTAL = "), blockTimeLimitSeconds: one("local LIMIT_S = "), rounds: one("L4B1,meta,rounds,"))
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, hay.count >= needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            guard let j = hay[i...last].firstIndex(of: first) else { return nil }
            if hay[j..<(j + needle.count)].elementsEqual(needle) { return j }
            i = j + 1
        }
        return nil
    }
}
