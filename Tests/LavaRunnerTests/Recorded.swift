import Foundation
@testable import LavaRunner

/// The recorded answers of a LAVA 2023.01 server (Tests/Fixtures/lava/recorded; README there).
enum Recorded {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lava").path

    static func bytes(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: "\(root)/\(name)") ?? Data())
    }

    /// A recorded answer: the body and the HTTP status recorded beside it (`NAME.status`).
    static func response(_ name: String) -> LavaResponse {
        let status = String(decoding: bytes("recorded/\(name).status"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return LavaResponse(status: Int(status) ?? 0, body: bytes("recorded/\(name)"))
    }

    static let config = LavaConfig(url: "http://127.0.0.1:8222", token: "test-token-not-real")
}

/// Answers requests from recordings: each request key has a queue of answers,
/// the last one repeated; a key without answers is unreachable. Counts requests.
final class Replay: LavaTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var queues: [String: [Result<LavaResponse, LavaError>]]
    private(set) var requests: [LavaRequest] = []

    init(_ answers: [String: [Result<LavaResponse, LavaError>]]) { queues = answers }

    convenience init(recorded: [String: [String]]) {
        self.init(recorded.mapValues { $0.map { .success(Recorded.response($0)) } })
    }

    func send(_ request: LavaRequest, config: LavaConfig) throws(LavaError) -> LavaResponse {
        lock.lock()
        defer { lock.unlock() }
        requests.append(request)
        guard var q = queues[request.key], let first = q.first else {
            throw .unreachable(server: config.url, why: "connection refused")
        }
        if q.count > 1 { q.removeFirst(); queues[request.key] = q }
        return try first.get()
    }

    var count: Int { lock.lock(); defer { lock.unlock() }; return requests.count }
}

extension LavaFollower {
    /// A follower that does not sleep (pauses are added up instead).
    static func fast(_ client: LavaClient, slept: SleepTotal) -> LavaFollower {
        var f = LavaFollower(client: client)
        f.pollSeconds = 5
        f.sleep = { s in slept.add(s) }
        return f
    }
}

final class SleepTotal: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0.0
    func add(_ s: Double) { lock.lock(); total += s; lock.unlock() }
    var seconds: Double { lock.lock(); defer { lock.unlock() }; return total }
}
