/// A LAVA job that boots the suite's image and watches its serial console with
/// the `monitors` test action: start and end patterns are the suite's own
/// begin and end records, the pattern its fail records (one LAVA test case
/// per failed block). Timeouts are sized from the plan: every block at its
/// time limit, plus the boot.
public struct LavaJobDefinition: Sendable {
    /// How the device boots the multiboot image.
    public enum Boot: Sendable, Equatable {
        /// LAVA's `qemu` device type: `-kernel IMAGE` (QEMU loads multiboot ELF images).
        /// `accel`: icount, tcg or kvm.
        case qemu(accel: String, icountShift: Int)
        /// An x86 board through iPXE (LAVA `ipxe` boot method; the image over TFTP).
        case ipxe
        /// An x86 board through GRUB (LAVA `grub` boot method; the image over TFTP).
        case grub
    }

    public var plan: ImagePlan
    public var imageURL: String
    public var deviceType: String
    public var boot: Boot
    public var memoryMB = 1024
    public var cpus = 2
    /// Host seconds per guest second of a block's time limit (a slow emulator may need more than 1).
    public var timeFactor: Double = 1
    public var bootMinutes = 5
    /// Which of several boots this is (1-based), for the job's name.
    public var bootIndex = 1
    public var boots = 1
    public var imageSHA256: String?
    public var tags: [String] = []
    public var priority = "medium"

    public init(plan: ImagePlan, imageURL: String, deviceType: String, boot: Boot) {
        self.plan = plan
        self.imageURL = imageURL
        self.deviceType = deviceType
        self.boot = boot
    }

    /// Minutes for the monitor: all blocks at their limit, plus five minutes for the boot script's start and end.
    public var testMinutes: Int {
        let seconds = Double(plan.blocks) * Double(plan.blockTimeLimitSeconds) * timeFactor + 300
        return max(1, Int((seconds / 60).rounded(.up)))
    }

    /// The boot action's minutes. LAVA also uses them as the longest the monitor waits for its next
    /// match (job 8 in the recordings: no match for the boot timeout, the monitor ended and LAVA
    /// called the job complete): three times a block's time limit (a loaded emulator) and two minutes.
    public var bootActionMinutes: Int {
        max(bootMinutes, Int((3 * Double(plan.blockTimeLimitSeconds) * timeFactor / 60).rounded(.up)) + 2)
    }

    public var jobMinutes: Int { testMinutes + bootMinutes + bootActionMinutes + 10 }

    /// A Python regular expression (what LAVA's monitors use) matching `s` literally.
    public static func regexLiteral(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            let alnum = (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || (ch >= "0" && ch <= "9") || ch == "_"
            if !alnum { out += "\\" }
            out.unicodeScalars.append(ch)
        }
        return out
    }

    /// A YAML single-quoted scalar.
    static func q(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    public var startPattern: String { "L4B1,begin," + Self.regexLiteral(plan.runID) }
    public var endPattern: String { "L4B1,end," + Self.regexLiteral(plan.runID) + "," }
    /// One LAVA test case per block: the boot script's block marker (`L4BENCH-BLOCK n/T round R PAIR PLACEMENT`,
    /// result pass) and its fail records (`L4B1,fail,l4,...`, result fail). The monitor waits at most its
    /// connection timeout for the next match, so a match must come with every block, not only with failures.
    public static let resultPattern = #"L4B(?P<result>1,fail|ENCH-BLOCK)[ ,](?P<test_case_id>[^\r\n]+)\r?\n"#
    public static let fixup = ["1,fail": "fail", "ENCH-BLOCK": "pass"]

    public var yaml: String {
        var y: [String] = []
        y.append("# Written by `l4bench lava`: one boot of the suite \(plan.runID) (\(plan.blocks) blocks, block time limit \(plan.blockTimeLimitSeconds) s).")
        y.append("device_type: \(Self.q(deviceType))")
        y.append("job_name: \(Self.q("l4bench \(plan.runID) boot \(bootIndex)/\(boots)"))")
        y.append("priority: \(priority)")
        y.append("visibility: public")
        if !tags.isEmpty { y.append("tags: [\(tags.map(Self.q).joined(separator: ", "))]") }
        y.append("timeouts:")
        y.append("  job: {minutes: \(jobMinutes)}")
        y.append("  action: {minutes: \(bootMinutes)}")
        y.append("  connection: {minutes: 2}")
        y.append("metadata:")
        y.append("  l4bench.run: \(Self.q(plan.runID))")
        y.append("  l4bench.boot: '\(bootIndex)/\(boots)'")
        if let h = imageSHA256 { y.append("  l4bench.image_sha256: \(Self.q(h))") }
        switch boot {
        case .qemu(let accel, let shift):
            y.append("context:")
            y.append("  arch: amd64")
            y.append("  memory: \(memoryMB)")
            y.append("  no_kvm: \(accel == "kvm" ? "false" : "true")")
            y.append("  extra_options:")
            y.append("  - -smp \(cpus)")
            y.append("  - -no-reboot")
            if accel != "kvm" {
                y.append("  - -cpu max")
                y.append("  - -accel tcg")
            }
            if accel == "icount" { y.append("  - -icount shift=\(shift),sleep=off,align=off") }
            y.append("actions:")
            y.append("- deploy:")
            y.append("    to: tmpfs")
            y.append("    timeout: {minutes: \(bootMinutes)}")
            y.append("    images:")
            y.append("      kernel:")
            y.append("        image_arg: -kernel {kernel}")
            y.append("        url: \(Self.q(imageURL))")
            y.append("- boot:")
            y.append("    method: qemu")
            y.append("    media: tmpfs")
            y.append("    timeout: {minutes: \(bootActionMinutes)}")
        case .ipxe, .grub:
            let ipxe = boot == .ipxe
            y.append("actions:")
            y.append("- deploy:")
            y.append("    to: tftp")
            y.append("    timeout: {minutes: \(bootMinutes)}")
            y.append("    kernel:")
            y.append("      url: \(Self.q(imageURL))")
            y.append("      type: zimage")
            y.append("- boot:")
            y.append("    method: \(ipxe ? "ipxe" : "grub")")
            y.append("    timeout: {minutes: \(bootActionMinutes)}")
            y.append("    commands:")
            if ipxe {
                y.append("    - dhcp net0")
                y.append("    - 'kernel tftp://{SERVER_IP}/{KERNEL}'")
                y.append("    - boot")
            } else {
                y.append("    - net_bootp")
                y.append("    - 'multiboot (tftp,{SERVER_IP})/{KERNEL}'")
                y.append("    - boot")
            }
        }
        y.append("- test:")
        y.append("    timeout: {minutes: \(testMinutes)}")
        y.append("    monitors:")
        y.append("    - name: l4bench")
        y.append("      start: \(Self.q(startPattern))")
        y.append("      end: \(Self.q(endPattern))")
        y.append("      pattern: \(Self.q(Self.resultPattern))")
        y.append("      fixupdict:")
        for (k, v) in Self.fixup.sorted(by: { $0.key < $1.key }) { y.append("        \(Self.q(k)): \(v)") }
        return y.joined(separator: "\n") + "\n"
    }
}
