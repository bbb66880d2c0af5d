import CBenchSys
import CNuma
import Foundation
import Testing
@testable import LinuxBench

@Suite struct TopologyTests {
    /// The fallback reads the kernel's node directories: a fake tree with two
    /// nodes gives two nodes, and the run says where its topology came from.
    @Test func sysfsFallbackReadsNodeDirectories() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("l4b-sysfs-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        let cpus = Int32(bench_online_cpus())
        for cpu in 0..<cpus {
            let node = cpu % 2
            let dir = root.appendingPathComponent("node\(node)/cpu\(cpu)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        let t = Topology.current(allowLibnuma: false, sysfsRoot: root.path)
        #expect(t.source == .sysfs)
        #expect(t.cpuCount == Int(cpus))
        #expect(t.nodeCount == min(2, Int(cpus)))
        if cpus >= 2 {
            #expect(t.cpusByNode[1]?.contains(1) == true)
            let p = try t.placement(.crossNode).get()
            #expect(!p.bindWithLibnuma)
        }
    }

    /// The real sysfs of this machine agrees with libnuma where both exist.
    @Test func libnumaAndSysfsAgree() {
        let fallback = Topology.current(allowLibnuma: false)
        let lib = Topology.current(allowLibnuma: true)
        #expect(fallback.source != .libnuma)
        #expect(fallback.cpuCount == lib.cpuCount)
        if lib.source == .libnuma, fallback.source == .sysfs {
            #expect(lib.cpusByNode == fallback.cpusByNode)
            #expect((try? lib.placement(.sameCore).get())?.bindWithLibnuma == true)
        }
    }

    /// No node directory at all: every CPU on node 0, source `none`.
    @Test func noTopologyMeansOneNode() {
        let t = Topology.current(allowLibnuma: false, sysfsRoot: "/nonexistent-l4bench")
        #expect(t.source == .none)
        #expect(t.nodeCount == 1)
    }

    /// Binding memory through mbind(2) (the fallback): node 0 is accepted, a
    /// node that does not exist is refused.
    @Test func mbindFallbackPlacesMemory() throws {
        let m = try SharedMemory(name: "numa-test", size: 8192, node: 0, libnuma: false)
        #expect(l4b_numa_bind_memory(m.base, m.size, 0, 0) == 0)
        #expect(l4b_numa_bind_memory(m.base, m.size, 1000, 0) < 0)
    }
}
