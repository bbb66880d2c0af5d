import ArgumentParser
import BenchProfile
import Foundation
import OwnedProcess

/// `l4bench explain`: where a pair's instructions go, by program and function,
/// against cpp-cpp, from an instruction profile recorded under icount with
/// the l4prof QEMU plugin (docs/explain.md).
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a block's difference between pairs, by program and function, from an instruction profile.",
        discussion: """
        A profile (L4BP1) holds each block's executed instructions per function of the kernel and of every program, \
        recorded under icount by the l4prof QEMU plugin (Bench/qemu-plugin) and made with `explain make-profile`. \
        Exit codes: 0 ok, 3 unreadable file, 40 missing data (no profile for the run, a cycle-counted run, \
        no windows), 41 an ELF file that is not the booted binary (refused), 42 malformed trace, profile or ELF \
        file, 43 no such block in the profile, 64 usage.
        """,
        subcommands: [Show.self, MakeProfile.self],
        defaultSubcommand: Show.self)
}

extension ProfileError {
    var exit: ExitCode { ExitCode(exitCode).withMessage(description) }
}

extension Explain {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print a block's difference between each pair and --against, by program and function.")

        @Argument(help: "A profile (.l4bp, .l4bp.gz), or a stored run (.l4bc or .log.gz) whose profile lies in ../profiles/.")
        var input: String

        @Option(help: "The block: a benchmark, then its placement and/or parameter, e.g. \"cap.map same-core\" or \"ipc.roundtrip same-core words=63\".")
        var block: String

        @Option(help: "The pair every other pair is compared with.")
        var against = "cpp-cpp"

        @Option(help: "Functions listed per pair, largest change first.")
        var top = 8

        @Flag(help: "Print symbol names as stored (mangled).")
        var noDemangle = false

        func run() throws {
            let path = try Self.profilePath(for: input)
            let profile: Profile
            do { profile = try Profile.read(path: path) } catch { throw error.exit }
            let blocks: [ProfileDiff.Block: [String: ProfileDiff.Side]]
            do { blocks = try ProfileDiff.sides(profile, block: block) } catch { throw error.exit }
            var names = Set<String>()
            var diffs: [ProfileDiff] = []
            for (b, sides) in blocks.sorted(by: { $0.key < $1.key }) {
                guard let base = sides[against] else {
                    throw ProfileError.noSuchBlock("\(b.title): no \(against) pair in the profile (it has \(sides.keys.sorted().joined(separator: ", ")))").exit
                }
                for (pair, side) in sides.sorted(by: { $0.key < $1.key }) where pair != against {
                    let d = ProfileDiff(block: b, side: side, base: base)
                    diffs.append(d)
                    for f in d.functions().prefix(top) { names.insert(f.place.function) }
                }
            }
            if diffs.isEmpty { Console.out("\(block): only \(against) is in the profile, nothing to compare\n") }
            let demangled = noDemangle ? [:] : Demangler.demangle(Array(names))
            var out = "profile \(path) (run \(profile.metaValue("run") ?? "?"))\n"
            for d in diffs { out += d.text(top: top) { demangled[$0] ?? $0 } }
            Console.out(out)
        }

        /// The profile to read: `input` itself, or for a stored run the profile beside it.
        static func profilePath(for input: String) throws -> String {
            guard FileManager.default.fileExists(atPath: input) else {
                throw ProfileError.unreadable("\(input) does not exist").exit
            }
            let name = (input as NSString).lastPathComponent
            if name.hasSuffix(".l4bp") || name.hasSuffix(".l4bp.gz") { return input }
            var base = name
            for ext in [".gz", ".log", ".l4bc", ".csv", ".txt"] where base.hasSuffix(ext) { base = String(base.dropLast(ext.count)) }
            let dir = ((input as NSString).deletingLastPathComponent as NSString)
            let profiles = (dir.deletingLastPathComponent as NSString).appendingPathComponent("profiles")
            for ext in [".l4bp.gz", ".l4bp"] {
                let p = (profiles as NSString).appendingPathComponent(base + ext)
                if FileManager.default.fileExists(atPath: p) { return p }
            }
            let accel = Self.accel(of: input)
            if let a = accel, a != "icount" {
                throw ProfileError.missing("""
                    \(input) is a cycle-counted run (accel \(a)): instruction profiles need a run under icount. \
                    Record one as docs/explain.md says (scripts/explain-record.sh with --accel icount).
                    """).exit
            }
            throw ProfileError.missing("""
                \(input) has no profile (looked for \(profiles)/\(base).l4bp.gz): record the run with the l4prof \
                plugin (scripts/explain-record.sh), then `l4bench explain make-profile` (docs/explain.md).
                """).exit
        }

        /// The run's `accel` metadata, from its first lines.
        static func accel(of path: String) -> String? {
            guard let src = try? LineSource(path: path) else { return nil }
            var n = 0
            while n < 20_000, let l = try? src.nextString() {
                n += 1
                if let r = l.range(of: ",meta,accel,") { return String(l[r.upperBound...].prefix { $0 != "\u{1B}" && $0 != "," }) }
            }
            return nil
        }
    }

    struct MakeProfile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "make-profile",
            abstract: "Make a profile from an l4prof trace, the console log of the same boot and the booted ELF files.")

        @Option(help: "The plugin's trace (plain or .gz).")
        var trace: String?

        @Option(help: "The console log of the same boot (plain or .gz).")
        var log: String?

        @Option(help: "The boot's shard number, when the log holds several boots.")
        var shard: Int?

        @Option(help: "A boot's work directory holding l4prof.trace and console.log (instead of --trace and --log); repeatable, one per shard.")
        var boot: [String] = []

        @Option(help: "A booted ELF file (kernel or program), as PATH or NAME=PATH; repeatable. The program is named NAME, else by the file's name. A file with symbols (fiasco.debug) serves for its stripped twin when their code is the same.")
        var elf: [String] = []

        @Option(help: "A directory of booted ELF files (e.g. <l4re build>/bin/amd64_gen/l4f); repeatable. Only the files the console log names as booted (bootstrap's Scanning lines, moe's ROMFS lines) are taken.")
        var elfDir: [String] = []

        @Option(help: "The profile to write (a new file; never replaces one).")
        var output: String

        @Flag(help: "Print each ELF file's load biases and matched instructions, and the TSC reads per program.")
        var verbose = false

        @Option(help: "Largest median relative difference between a group's samples and its windows' instruction counts.")
        var tolerance = 0.02

        func run() throws {
            var paths: [(name: String?, path: String)] = elf.map { e in
                if let eq = e.firstIndex(of: "="), !e[..<eq].contains("/") { return (String(e[..<eq]), String(e[e.index(after: eq)...])) }
                return (nil, e)
            }
            var boots: [(trace: String, log: String, shard: Int?)] = boot.map { ("\($0)/l4prof.trace", "\($0)/console.log", nil) }
            if let t = trace, let l = log { boots.append((t, l, shard)) } else if trace != nil || log != nil {
                throw ValidationError("--trace and --log go together")
            }
            guard !boots.isEmpty else { throw ValidationError("give --trace and --log, or --boot DIR") }
            if FileManager.default.fileExists(atPath: output) || (try? FileManager.default.destinationOfSymbolicLink(atPath: output)) != nil {
                throw ExitCode(3).withMessage("\(output) exists: a profile is written to a new file only")
            }
            var booted: Set<String> = []
            if !elfDir.isEmpty {
                for b in boots {
                    do { booted.formUnion(try ConsoleGroups.read(path: b.log, shard: b.shard).modules) } catch { throw error.exit }
                }
            }
            for d in elfDir {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: d) else {
                    throw ProfileError.unreadable("cannot list \(d)").exit
                }
                for n in names.sorted() {
                    let p = (d as NSString).appendingPathComponent(n)
                    var isDir: ObjCBool = false
                    if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue, booted.contains(n), Self.isELF(p) { paths.append((nil, p)) }
                }
            }
            guard !paths.isEmpty else { throw ValidationError("give the booted ELF files with --elf or --elf-dir") }
            do {
                let images = try paths.map { p throws(ProfileError) in try ELFImage(path: p.path, name: p.name) }
                let dup = Dictionary(grouping: images, by: \.name).filter { $0.value.count > 1 }.keys.sorted()
                if !dup.isEmpty { throw ValidationError("two ELF files named \(dup.joined(separator: ", ")): name them with --elf NAME=PATH") }
                var profile = Profile()
                for b in boots {
                    let t = try BlockTrace.read(path: b.trace)
                    if !t.complete { Console.error("\(b.trace): no end record (QEMU did not exit normally): read up to the last full segment") }
                    if t.dropped > 0 { throw ProfileError.missing("\(b.trace): the plugin dropped \(t.dropped) records at its output limit: record again with a larger limit") }
                    let console = try ConsoleGroups.read(path: b.log, shard: b.shard)
                    var builder = try ProfileBuilder(trace: t, images: images, console: console)
                    builder.tolerance = tolerance
                    if verbose {
                        let a = builder.attribution
                        for (i, img) in images.enumerated() {
                            let reads = t.markers.filter { a.blockProgram[Int($0.block)] == Int32(i) }.count
                            Console.out("  \(img.name): biases \(a.biases[i].map { String($0, radix: 16) }), matched \(a.matched[i]), unmatched \(a.unmatched[i]), TSC reads \(reads), intervals \(builder.intervals.filter { $0.program == Int32(i) }.count)\n")
                        }
                        Console.out("  unknown \(a.unknown), TSC reads of no program \(t.markers.filter { a.blockProgram[Int($0.block)] < 0 }.count)\n")
                    }
                    let part = try builder.build(extraMeta: [("trace", b.trace)])
                    if profile.groups.isEmpty { profile = part } else {
                        profile.meta.append(("trace", b.trace))
                        profile.groups += part.groups
                    }
                    for k in builder.unmatched {
                        Console.error("\(b.trace): \(k.bench) \(k.pair) \(k.placement) \(k.param) round \(k.round): no windows match its samples: left out")
                    }
                    let a = builder.attribution
                    let total = a.matched.reduce(0, &+) &- a.ambiguous + a.unknown + a.patched
                    Console.out("\(b.trace): \(part.groups.count) group(s), \(t.blocks.count) blocks, \(t.markers.count) TSC reads; "
                                + "of the executed instructions \(Self.percent(a.unknown, total)) in code no ELF file holds, "
                                + "\(Self.percent(a.patched, total)) patched at boot, \(Self.percent(a.ambiguous, total)) in code two programs hold alike\n")
                }
                try profile.write(to: output)
                Console.out("wrote \(output)\n")
            } catch let e as ProfileError {
                throw e.exit
            }
        }

        static func percent(_ a: UInt64, _ b: UInt64) -> String {
            String(format: "%.2f%%", b == 0 ? 0 : Double(a) * 100 / Double(b))
        }

        static func isELF(_ path: String) -> Bool {
            guard let h = FileHandle(forReadingAtPath: path) else { return false }
            defer { try? h.close() }
            return (try? h.read(upToCount: 4)) == Data([0x7F, 0x45, 0x4C, 0x46])
        }
    }
}

/// Readable symbol names: `swift-demangle` for Swift's, `c++filt` for C++'s,
/// each an owned child given the names as arguments; names stay as they are
/// where a tool is missing.
enum Demangler {
    static func demangle(_ names: [String]) -> [String: String] {
        var out: [String: String] = [:]
        let swift = names.filter { $0.hasPrefix("$s") || $0.hasPrefix("_$s") || $0.hasPrefix("$e") || $0.hasPrefix("_$e") }
        let cxx = names.filter { $0.hasPrefix("_Z") }
        if !swift.isEmpty, let r = run(["swift-demangle", "--simplified", "--compact"] + swift), r.count == swift.count {
            for (a, b) in zip(swift, r) { out[a] = b }
        }
        if !cxx.isEmpty, let r = run(["c++filt"] + cxx), r.count == cxx.count {
            for (a, b) in zip(cxx, r) { out[a] = b }
        }
        return out
    }

    static func run(_ argv: [String]) -> [String]? {
        guard let p = try? OwnedProcess(argv) else { return nil }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        let deadline = OwnedProcess.monotonic() + 10
        while OwnedProcess.monotonic() < deadline {
            let n = read(p.outputFD, &buf, buf.count)
            if n <= 0 { break }
            data += buf[0..<n]
        }
        p.terminate(grace: 1)
        guard p.wait() == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
