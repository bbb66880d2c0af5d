import Foundation
import Testing
@testable import LavaRunner

@Suite struct LavaJobDefinitionTests {
    static let plan = ImagePlan(runID: "l4re-20261201T030000Z-hardware", blocks: 36, blockTimeLimitSeconds: 120, rounds: 3)

    @Test func aQemuIcountJob() {
        var d = LavaJobDefinition(plan: Self.plan, imageURL: "file:///img/l4bench.elf", deviceType: "qemu", boot: .qemu(accel: "icount", icountShift: 3))
        d.bootIndex = 2
        d.boots = 3
        let y = d.yaml
        #expect(y.contains("device_type: 'qemu'\n"))
        #expect(y.contains("job_name: 'l4bench l4re-20261201T030000Z-hardware boot 2/3'\n"))
        #expect(y.contains("  - -icount shift=3,sleep=off,align=off\n") && y.contains("  no_kvm: true\n"))
        #expect(y.contains("        image_arg: -kernel {kernel}\n        url: 'file:///img/l4bench.elf'\n"))
        #expect(y.contains("      start: 'L4B1,begin,l4re\\-20261201T030000Z\\-hardware'\n"))
        #expect(y.contains("      end: 'L4B1,end,l4re\\-20261201T030000Z\\-hardware,'\n"))
        // 36 blocks at 120 s and 5 min: 77 minutes for the monitor; the job adds the deploy, the boot and 10 minutes.
        #expect(d.testMinutes == 77 && d.bootActionMinutes == 8 && d.jobMinutes == 100)
        #expect(y.contains("    timeout: {minutes: 77}\n") && y.contains("  job: {minutes: 100}\n"))
        // A block may be silent for its whole limit: the boot action's timeout (LAVA's console wait) covers it.
        var long = d
        long.plan.blockTimeLimitSeconds = 600
        #expect(long.bootActionMinutes == 32)
    }

    @Test func kvmHasNoIcount() {
        let y = LavaJobDefinition(plan: Self.plan, imageURL: "http://x/i.elf", deviceType: "qemu", boot: .qemu(accel: "kvm", icountShift: 3)).yaml
        #expect(y.contains("no_kvm: false") && !y.contains("icount") && !y.contains("-accel tcg"))
    }

    @Test func boardsBootThroughIPXEOrGRUB() {
        let ipxe = LavaJobDefinition(plan: Self.plan, imageURL: "http://lab/i.elf", deviceType: "x86-board", boot: .ipxe).yaml
        #expect(ipxe.contains("    method: ipxe\n") && ipxe.contains("'kernel tftp://{SERVER_IP}/{KERNEL}'") && ipxe.contains("    to: tftp\n"))
        let grub = LavaJobDefinition(plan: Self.plan, imageURL: "http://lab/i.elf", deviceType: "x86-board", boot: .grub).yaml
        #expect(grub.contains("    method: grub\n") && grub.contains("'multiboot (tftp,{SERVER_IP})/{KERNEL}'"))
        #expect(!grub.contains("context:"))
    }

    /// The monitor's pattern: a pass for every block marker, a fail for every fail record, nothing for samples.
    @Test func theResultPatternMatchesBlocksAndFailRecords() throws {
        let re = try NSRegularExpression(pattern: LavaJobDefinition.resultPattern.replacingOccurrences(of: "(?P<", with: "(?<").replacingOccurrences(of: "test_case_id", with: "id"))
        func match(_ s: String) -> (String, String)? {
            guard let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
                  let r = Range(m.range(withName: "result"), in: s), let i = Range(m.range(withName: "id"), in: s) else { return nil }
            return (LavaJobDefinition.fixup[String(s[r])] ?? "?", String(s[i]))
        }
        let fail = match("cli | L4B1,fail,l4,block,cpp,swift,cross-core,round=2,time limit of 120 s exceeded\r\n")
        #expect(fail?.0 == "fail" && fail?.1 == "l4,block,cpp,swift,cross-core,round=2,time limit of 120 s exceeded")
        let block = match("L4BENCH-BLOCK 3/68 round 0 cpp-cpp cross-core phases\n")
        #expect(block?.0 == "pass" && block?.1 == "3/68 round 0 cpp-cpp cross-core phases")
        #expect(match("L4B1,s,l4,ipc.roundtrip,swift,cpp,same-core,words=0,0,0,10008\n") == nil)
        #expect(match("L4BENCH-BLOCK 3/68 round 0 cut") == nil)  // not a whole line yet
    }

    @Test func aQuoteInTheURLStaysInsideItsScalar() {
        let y = LavaJobDefinition(plan: Self.plan, imageURL: "http://x/it's.elf", deviceType: "qemu", boot: .qemu(accel: "tcg", icountShift: 3)).yaml
        #expect(y.contains("url: 'http://x/it''s.elf'"))
    }

    /// The plan out of an image's bytes: the boot script (a module of the image) as `run --target l4re` writes it.
    @Test func planFromTheImage() throws {
        var img = [UInt8](repeating: 0, count: 4096)
        img += Array("""
        print("L4B1,begin,l4re-20261201T030000Z-hardware");
        print("L4B1,meta,rounds,3");
        local LIMIT_S = 120;
        local TOTAL = 36;
        """.utf8)
        img += [UInt8](repeating: 0xff, count: 100)
        let f = ImagePlan.scan(img)
        #expect(f == ImagePlan.Found(runIDs: ["l4re-20261201T030000Z-hardware"], blocks: 36, blockTimeLimitSeconds: 120, rounds: 3))
        #expect(ImagePlan.scan([UInt8](repeating: 7, count: 1000)) == ImagePlan.Found())
        // Two different run IDs: not one plan.
        #expect(ImagePlan.scan(Array("L4B1,begin,a\u{0}L4B1,begin,b\u{0}".utf8)).runIDs == ["a", "b"])
    }
}
