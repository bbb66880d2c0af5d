import CBenchSys
import CNuma

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

    public var description: String { "\(kind.rawValue) (client CPU \(clientCPU), server CPU \(serverCPU), memory node \(memoryNode))" }
}

/// The machine's CPUs and NUMA nodes, as libnuma sees them.
public struct Topology: Sendable {
    /// Online CPUs the runner may use, by node.
    public var cpusByNode: [Int32: [Int32]]

    public static func current() -> Topology {
        let n = max(1, Int32(bench_online_cpus()))
        var byNode: [Int32: [Int32]] = [:]
        let numa = numa_available() >= 0
        for cpu in 0..<n {
            let node = numa ? max(0, numa_node_of_cpu(cpu)) : 0
            byNode[node, default: []].append(cpu)
        }
        return Topology(cpusByNode: byNode)
    }

    public var nodeCount: Int { cpusByNode.count }
    public var cpuCount: Int { cpusByNode.values.reduce(0) { $0 + $1.count } }

    /// The CPUs for a placement, or why it cannot be had on this machine.
    public func placement(_ kind: Placement.Kind) -> Result<Placement, PlacementUnavailable> {
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
