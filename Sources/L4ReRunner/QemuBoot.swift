import Foundation
import OwnedProcess

#if canImport(Glibc)
import Glibc
#endif

/// How QEMU runs the guest.
public enum Accel: String, Sendable, CaseIterable {
    /// Hardware virtualization: real cycles, on a real host.
    case kvm
    /// Software emulation.
    case tcg
    /// Software emulation with `-icount`: the guest clock (and TSC) advances
    /// with executed instructions, so results are deterministic.
    case icount
}

/// One boot of an entry under QEMU: the serial console goes to a log file,
/// with a time limit for the whole boot and, for KVM, for the first output.
public struct QemuBoot {
    /// The builds the boot's modules come from.
    public var build: L4ReBuild
    /// Where the boot's own modules (the ned script) are.
    public var workDir: String
    /// The QEMU mode.
    public var accel: Accel
    /// `-icount shift=N` under icount.
    public var icountShift: Int
    /// Guest memory (`-m`).
    public var memoryMB = 1024
    /// Guest CPUs (`-smp`): CPU 0 runs ned and moe, the placements use 0 and 1.
    public var cpus = 2
    /// Seconds the whole boot may take before QEMU is ended.
    public var timeLimitSeconds: Double
    /// A guest whose boot script has not started after this long under KVM is
    /// taken as a KVM that cannot boot guests (it may print the kernel's first
    /// lines and then hang).
    public var kvmSilenceSeconds: Double = 30

    /// A boot with 1 GiB, 2 CPUs, 30 s of KVM silence allowed and 3 s of grace after SIGTERM.
    public init(build: L4ReBuild, workDir: String, accel: Accel, icountShift: Int, timeLimitSeconds: Double) {
        self.build = build
        self.workDir = workDir
        self.accel = accel
        self.icountShift = icountShift
        self.timeLimitSeconds = timeLimitSeconds
    }

    /// How a boot ended.
    public enum Outcome: Equatable, Sendable {
        /// The script printed its done marker.
        case completed
        /// The boot hit its time limit; the log holds what came before.
        case timedOut(Double)
        /// KVM printed nothing: it cannot boot a guest on this machine.
        case kvmSilent(Double)
        /// QEMU ended before the done marker.
        case exited(Int32)
        /// l4bench was interrupted (SIGINT, SIGTERM); QEMU was ended.
        case interrupted(Int32)

        /// Why the boot ended before its script did, for the blocks it left unfinished; nil when it did not.
        public var earlyEnd: String? {
            switch self {
            case .timedOut(let s): return "the boot hit its time limit of \(Int(s)) s"
            case .exited(let c): return "QEMU exited with status \(c)"
            case .interrupted(let sig): return "l4bench was interrupted (signal \(sig))"
            case .completed, .kvmSilent: return nil
            }
        }
    }

    /// `-initrd` modules: the kernel, sigma0, moe with its script, then the rest.
    public func modules() -> [String] {
        let b = build.binDir
        return [
            "\(build.kernel) -serial_esc", "\(b)/sigma0", "\(b)/moe rom/\(NedScript.configName)", "\(b)/l4re", "\(b)/ned",
            "\(workDir)/\(NedScript.configName)",
        ] + NedScript.programs.map { "\(b)/\($0)" }
    }

    /// QEMU's command line: bootstrap as `-kernel`, the modules as `-initrd`, serial on stdout
    /// (`-nographic`), no network card (its boot ROM would add a second to every boot),
    /// the accelerator (`-accel kvm -cpu host`, `-accel tcg -cpu max`, plus `-icount shift=N,sleep=off,align=off`).
    public func arguments() -> [String] {
        var a = [
            "-kernel", build.bootstrap, "-append", "", "-initrd", modules().joined(separator: ","),
            "-nographic", "-no-reboot", "-nic", "none", "-m", String(memoryMB), "-smp", String(cpus),
        ]
        switch accel {
        case .kvm: a += ["-accel", "kvm", "-cpu", "host"]
        case .tcg: a += ["-accel", "tcg", "-cpu", "max"]
        case .icount: a += ["-accel", "tcg", "-cpu", "max", "-icount", "shift=\(icountShift),sleep=off,align=off"]
        }
        return a
    }

    /// `qemu-system-x86_64`, or the program `L4BENCH_QEMU` names (a stand-in for tests).
    public static var qemuBinary: String {
        if let v = getenv("L4BENCH_QEMU") { return String(cString: v) }
        return "qemu-system-x86_64"
    }

    /// Seconds QEMU gets after SIGTERM before SIGKILL.
    public var graceSeconds: Double = 3

    /// Boots `qemu-system-x86_64` (an `OwnedProcess`), copying the console to `logPath`; `line` sees every
    /// console line as it arrives (read with poll(2) and read(2), at most 1 MiB of an unended line kept).
    /// QEMU runs as an owned child in its own process group and is ended by its PID when
    /// the done marker arrives, at the time limit, and when l4bench is interrupted.
    public func run(logPath: String, line: (String) -> Void) throws(L4ReRunError) -> Outcome {
        guard let log = fopen(logPath, "w") else { throw .qemu("cannot write \(logPath)") }
        defer { fclose(log) }
        let p: OwnedProcess
        do { p = try OwnedProcess([Self.qemuBinary] + arguments()) } catch {
            throw .qemu("\(error.description) (install qemu-system-x86)")
        }
        defer { p.terminate(grace: graceSeconds) }
        let fd = p.outputFD
        let start = OwnedProcess.monotonic()
        var scriptStarted = false
        var pending: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        var outcome: Outcome?
        while outcome == nil {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, 200)
            if r > 0 {
                let n = read(fd, &buf, buf.count)
                if n > 0 {
                    fwrite(buf, 1, n, log)
                    fflush(log)  // the console on disk stays current for whoever follows it
                    pending.append(contentsOf: buf[0..<n])
                    while let nl = pending.firstIndex(of: 10) {
                        let text = String(decoding: pending[0..<nl], as: UTF8.self)
                        pending.removeSubrange(0...nl)
                        if text.contains("L4B1,") { scriptStarted = true }
                        line(text)
                        if text.contains(NedScript.doneMarker) { outcome = .completed }
                    }
                    // A console that never ends its line cannot grow memory without bound.
                    if pending.count > 1 << 20 { pending.removeAll(keepingCapacity: true) }
                } else if n == 0 {
                    outcome = .exited(p.wait() ?? -1)
                }
            }
            let elapsed = OwnedProcess.monotonic() - start
            if outcome == nil && Interruption.received != 0 {
                outcome = .interrupted(Interruption.received)
            } else if outcome == nil && accel == .kvm && !scriptStarted && elapsed > kvmSilenceSeconds {
                outcome = .kvmSilent(elapsed)
            } else if outcome == nil && elapsed > timeLimitSeconds {
                outcome = .timedOut(elapsed)
            }
        }
        fflush(log)
        p.terminate(grace: graceSeconds)
        return outcome ?? .exited(-1)  // the loop ends only with an outcome
    }

    /// Writes a bootable ELF image of the entry (for hardware) with L4Re's own
    /// image tooling in the build directory (`make -C L4RE_OBJ elfimage E=l4bench`); returns its path.
    public func writeImage(modulesList: String, to dest: String) throws(L4ReRunError) -> String {
        let (status, out) = try runMake([
            "-C", build.l4reObj, "elfimage", "E=\(NedScript.entry)", "MODULES_LIST=\(modulesList)",
            "MODULE_SEARCH_PATH=\(build.fiascoObj):\(workDir):\(build.binDir)",
        ])
        let image = "\(build.l4reObj)/images/bootstrap_\(NedScript.entry).elf"
        guard status == 0, FileManager.default.fileExists(atPath: image) else {
            throw .qemu("building the image failed:\n" + out.split(separator: "\n").suffix(20).joined(separator: "\n"))
        }
        try? FileManager.default.removeItem(atPath: dest)
        do { try FileManager.default.copyItem(atPath: image, toPath: dest) } catch { throw .qemu("cannot copy \(image) to \(dest): \(error)") }
        return dest
    }
}
