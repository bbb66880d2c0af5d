import CBenchSys
import CNuma

#if canImport(Glibc)
import Glibc
#endif

/// Where a pair runs: the client's CPU, the server's CPU and the NUMA node
/// their shared memory lives on.
public struct Placement: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case sameCore = "same-core", crossCore = "cross-core", crossNode = "cross-node"
    }
    public var kind: Kind
    public var clientCPU: Int32
    public var serverCPU: Int32
    public var memoryNode: Int32
    /// Memory is bound through libnuma (true) or mbind(2) (false).
    public var bindWithLibnuma = false

    public var description: String { "\(kind.rawValue) (client CPU \(clientCPU), server CPU \(serverCPU), memory node \(memoryNode))" }
}

/// The machine's CPUs and NUMA nodes: from libnuma when it can be loaded at
/// run time, else from the kernel's topology in sysfs.
public struct Topology: Sendable {
    /// Where the topology (and the memory placement) comes from; recorded as `numa_source`.
    public enum Source: String, Sendable {
        /// libnuma.so.1, loaded at run time.
        case libnuma
        /// /sys/devices/system/node, with mbind(2) for memory.
        case sysfs
        /// Neither said anything: every CPU on node 0.
        case none
    }

    /// Online CPUs the runner may use, by node.
    public var cpusByNode: [Int32: [Int32]]
    public var source: Source

    public init(cpusByNode: [Int32: [Int32]], source: Source = .none) {
        self.cpusByNode = cpusByNode
        self.source = source
    }

    /// `L4BENCH_NUMA=sysfs` in the environment skips libnuma (the fallback path).
    public static var libnumaAllowed: Bool {
        guard let v = getenv("L4BENCH_NUMA") else { return true }
        return String(cString: v) != "sysfs"
    }

    /// The topology now. `sysfsRoot` is where the node directories are read
    /// when libnuma is not used.
    public static func current(allowLibnuma: Bool = libnumaAllowed,
                               sysfsRoot: String = "/sys/devices/system/node") -> Topology {
        let n = max(1, Int32(bench_online_cpus()))
        var byNode: [Int32: [Int32]] = [:]
        let useLib = allowLibnuma && l4b_numa_open() == 1
        var source: Source = useLib ? .libnuma : .sysfs
        for cpu in 0..<n {
            let node = useLib ? l4b_numa_node_of_cpu(cpu) : l4b_sysfs_node_of_cpu(sysfsRoot, cpu)
            if node < 0 && !useLib { source = .none }
            byNode[max(0, Int32(node)), default: []].append(cpu)
        }
        if source == .none { byNode = [0: Array(0..<n)] }
        return Topology(cpusByNode: byNode, source: source)
    }

    public var nodeCount: Int { cpusByNode.count }
    public var cpuCount: Int { cpusByNode.values.reduce(0) { $0 + $1.count } }

    /// The CPUs for a placement, or why it cannot be had on this machine.
    public func placement(_ kind: Placement.Kind) -> Result<Placement, PlacementUnavailable> {
        placementOnNodes(kind).map { var p = $0; p.bindWithLibnuma = source == .libnuma; return p }
    }

    func placementOnNodes(_ kind: Placement.Kind) -> Result<Placement, PlacementUnavailable> {
        let nodes = cpusByNode.keys.sorted()
        let first = nodes[0], cpus = cpusByNode[first]!
        switch kind {
        case .sameCore:
            // The last CPU of the first node: away from CPU 0, where interrupts tend to land.
            let c = cpus.last!
            return .success(Placement(kind: kind, clientCPU: c, serverCPU: c, memoryNode: first))
        case .crossCore:
            guard cpus.count >= 2 else {
                return .failure(PlacementUnavailable(reason: "one CPU on this machine (node \(first))"))
            }
            return .success(Placement(kind: kind, clientCPU: cpus[cpus.count - 2], serverCPU: cpus[cpus.count - 1], memoryNode: first))
        case .crossNode:
            guard nodes.count >= 2 else {
                return .failure(PlacementUnavailable(reason: "one NUMA node on this machine"))
            }
            let other = nodes[1]
            return .success(Placement(kind: kind, clientCPU: cpus.last!, serverCPU: cpusByNode[other]!.last!, memoryNode: first))
        }
    }
}

public struct PlacementUnavailable: Error, Sendable, Equatable {
    public var reason: String
}
