import Foundation
import Testing
@testable import LinuxBench

extension ProcessTests {
    /// The C++ peer built with g++ at run time (cpp.gcc): built from the package's
    /// sources, speaking the same protocol; skipped with a message where g++ is absent.
    @Suite struct GCCPeerTests {
        @Test func theGCCPeerBuildsAndServesEveryKind() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("l4bench-gcc-\(getpid())").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            switch GCCPeer.build(peerDirectory: dir, sourceRoot: root) {
            case .failure(let why):
                #expect(GCCPeer.findInPath("g++") == nil, "g++ exists but the build failed: \(why.reason)")
                print("skipped: no C++ peer built with g++ (\(why.reason))")
            case .success(let built):
                #expect(built.compiler.lowercased().contains("g++") || built.compiler.lowercased().contains("gcc"), "\(built.compiler)")
                #expect(built.flags == "-O2")
                var programs = try testPrograms()
                programs.gccPeer = built.path
                let session = try PeerSession(pair: .gcc, placement: samePlacement(), jobs: everyKind, maxSlice: everyKind.map { Int($0.samples) },
                                              programs: programs, timeLimitSeconds: 20, fault: nil)
                for j in everyKind.indices {
                    let r = try session.run(job: j, count: Int(everyKind[j].samples), warmup: 1)
                    #expect(r.failure == nil, "\(everyKind[j].label): \(r.failure ?? "")")
                    #expect(r.values.count == Int(everyKind[j].samples) * everyKind[j].valuesPerIteration)
                }
                session.close()
                // Reused while the sources are unchanged.
                let again = GCCPeer.build(peerDirectory: dir, sourceRoot: root)
                #expect((try? again.get())?.path == built.path)
                #expect(noChildrenLeft())
            }
        }
    }
}
