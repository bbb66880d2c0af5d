import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange with the server, path relative to its URL.
public struct LavaRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    public var body: [UInt8]?
    public init(method: String, path: String, body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.body = body
    }
    /// `GET /api/v0.2/jobs/1/`: how recordings name a request.
    public var key: String { "\(method) \(path)" }
}

public struct LavaResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// How requests reach the server: HTTP here, recorded answers in the tests.
/// A transport throws `.unreachable` when no answer came at all.
public protocol LavaTransport: Sendable {
    func send(_ request: LavaRequest, config: LavaConfig) throws(LavaError) -> LavaResponse
}

/// HTTP(S) through URLSession, one request at a time, each with a time limit;
/// answers larger than `maxBody` are cut there (the caller sees a cut log).
public struct HTTPTransport: LavaTransport {
    public var timeoutSeconds: Double
    public var maxBody: Int

    public init(timeoutSeconds: Double = 60, maxBody: Int = 1 << 30) {
        self.timeoutSeconds = timeoutSeconds
        self.maxBody = maxBody
    }

    final class Box: @unchecked Sendable {
        var data: Data?
        var response: URLResponse?
        var error: Error?
    }

    public func send(_ request: LavaRequest, config: LavaConfig) throws(LavaError) -> LavaResponse {
        guard let url = URL(string: config.url + request.path) else {
            throw .configuration("not a URL: \(config.url)\(request.path)")
        }
        var r = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeoutSeconds)
        r.httpMethod = request.method
        r.setValue("Token \(config.token)", forHTTPHeaderField: "Authorization")
        r.setValue("l4bench", forHTTPHeaderField: "User-Agent")
        if let body = request.body {
            r.httpBody = Data(body)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: r) { data, response, error in
            box.data = data
            box.response = response
            box.error = error
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeoutSeconds + 5) == .timedOut {
            task.cancel()
            throw .unreachable(server: config.url, why: "no answer within \(Int(timeoutSeconds)) s")
        }
        if let e = box.error {
            throw .unreachable(server: config.url, why: Self.reason(e))
        }
        guard let http = box.response as? HTTPURLResponse else {
            throw .unreachable(server: config.url, why: "no HTTP answer")
        }
        var body = [UInt8](box.data ?? Data())
        if body.count > maxBody { body.removeSubrange(maxBody...) }
        return LavaResponse(status: http.statusCode, body: body)
    }

    /// A short reason without URLs (which could carry query strings) or the error's whole dump.
    static func reason(_ e: Error) -> String {
        let ns = e as NSError
        switch ns.code {
        case NSURLErrorCannotConnectToHost: return "connection refused"
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return "unknown host"
        case NSURLErrorTimedOut: return "timed out"
        case NSURLErrorNetworkConnectionLost: return "connection lost"
        case NSURLErrorNotConnectedToInternet: return "no network"
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate,
             NSURLErrorServerCertificateNotYetValid, NSURLErrorServerCertificateHasUnknownRoot:
            return "TLS failed (\(ns.localizedDescription))"
        default: return ns.localizedDescription
        }
    }
}
