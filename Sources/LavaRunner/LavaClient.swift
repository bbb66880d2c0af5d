import Foundation

/// A LAVA job as the REST API shows it (`/api/v0.2/jobs/<id>/`): the fields
/// the runner uses. The job's own token in that answer is never read.
public struct LavaJobStatus: Sendable, Equatable {
    public var id: Int
    /// Submitted, Scheduling, Scheduled, Running, Canceling, Finished.
    public var state: String
    /// Unknown, Complete, Incomplete, Canceled.
    public var health: String
    public var device: String?
    public var deviceType: String?
    public var submitTime: String?
    public var startTime: String?
    public var endTime: String?
    /// LAVA's reason for an incomplete job.
    public var failureComment: String?

    public var finished: Bool { state == "Finished" }

    public init(id: Int, state: String, health: String, device: String? = nil, deviceType: String? = nil,
                submitTime: String? = nil, startTime: String? = nil, endTime: String? = nil, failureComment: String? = nil) {
        self.id = id
        self.state = state
        self.health = health
        self.device = device
        self.deviceType = deviceType
        self.submitTime = submitTime
        self.startTime = startTime
        self.endTime = endTime
        self.failureComment = failureComment
    }
}

/// LAVA's REST API v0.2: submit, status, log, cancel. Every answer is checked
/// for the shape LAVA gives; a refused token and an unreachable server are
/// errors of their own, thrown at the first request that meets them.
public struct LavaClient: Sendable {
    public var config: LavaConfig
    public var transport: LavaTransport

    public init(config: LavaConfig, transport: LavaTransport = HTTPTransport()) {
        self.config = config
        self.transport = transport
    }

    /// The job's page on the server, for people and for the run's metadata.
    public func jobURL(_ id: Int) -> String { "\(config.url)/scheduler/job/\(id)" }

    func call(_ r: LavaRequest, allowNotFound: Bool = false) throws(LavaError) -> LavaResponse {
        let resp = try transport.send(r, config: config)
        switch resp.status {
        case 200..<300: return resp
        case 401, 403:
            throw .tokenRefused(server: config.url, detail: "HTTP \(resp.status)" + (Self.message(resp.body).map { ": \($0)" } ?? ""))
        case 404 where allowNotFound: return resp
        case 400: throw .rejected(Self.message(resp.body) ?? "HTTP 400")
        default:
            throw .badResponse("\(r.key) answered HTTP \(resp.status)" + (Self.message(resp.body).map { ": \($0)" } ?? ""))
        }
    }

    /// `message` or `detail` of a JSON answer, shortened and without control characters.
    static func message(_ body: [UInt8]) -> String? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        var text: String?
        if let m = obj["message"] as? String { text = m }
        else if let d = obj["detail"] as? String { text = d }
        else if let d = obj["definition"] as? [String] { text = d.joined(separator: "; ") }
        return text.map { printable($0, limit: 300) }
    }

    /// Submits a job definition (YAML); returns the job IDs (several for a multinode job).
    public func submit(definition: String) throws(LavaError) -> [Int] {
        let body = try? JSONSerialization.data(withJSONObject: ["definition": definition])
        let resp = try call(LavaRequest(method: "POST", path: "/api/v0.2/jobs/", body: body.map { [UInt8]($0) }))
        guard let obj = try? JSONSerialization.jsonObject(with: Data(resp.body)) as? [String: Any],
              let ids = obj["job_ids"] as? [Any] else {
            throw .badResponse("the submission answer holds no job_ids")
        }
        let out = ids.compactMap { ($0 as? Int) ?? Int(($0 as? String) ?? "") }
        guard !out.isEmpty, out.count == ids.count else { throw .badResponse("the submission answer's job_ids are not numbers") }
        return out
    }

    public func job(_ id: Int) throws(LavaError) -> LavaJobStatus {
        let resp = try call(LavaRequest(method: "GET", path: "/api/v0.2/jobs/\(id)/"))
        return try Self.parseJob(resp.body, id: id)
    }

    static func parseJob(_ body: [UInt8], id: Int) throws(LavaError) -> LavaJobStatus {
        guard let o = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let state = o["state"] as? String, let health = o["health"] as? String else {
            throw .badResponse("the status of job \(id) is not a LAVA job (no state and health)")
        }
        if let got = o["id"] as? Int, got != id { throw .badResponse("asked for job \(id), got job \(got)") }
        func s(_ k: String) -> String? { (o[k] as? String).map { printable($0, limit: 2000) } }
        return LavaJobStatus(id: id, state: printable(state, limit: 40), health: printable(health, limit: 40),
                             device: s("actual_device"), deviceType: s("requested_device_type"),
                             submitTime: s("submit_time"), startTime: s("start_time"), endTime: s("end_time"),
                             failureComment: s("failure_comment"))
    }

    /// The job's log (LAVA's YAML lines) from line `start` on; empty while the job has none.
    public func log(_ id: Int, start: Int = 0) throws(LavaError) -> [UInt8] {
        let path = start > 0 ? "/api/v0.2/jobs/\(id)/logs/?start=\(start)" : "/api/v0.2/jobs/\(id)/logs/"
        let resp = try call(LavaRequest(method: "GET", path: path), allowNotFound: true)
        return resp.status == 404 ? [] : resp.body
    }

    public func cancel(_ id: Int) throws(LavaError) {
        _ = try call(LavaRequest(method: "GET", path: "/api/v0.2/jobs/\(id)/cancel/"))
    }
}

/// Text for a terminal or a metadata value: control characters as `\u{..}`, at most `limit` characters.
func printable(_ s: String, limit: Int) -> String {
    var out = ""
    var n = 0
    for u in s.unicodeScalars {
        if n >= limit { out += "…"; break }
        if u.value < 0x20 || (u.value >= 0x7f && u.value < 0xa0) || u.value == 0x2028 || u.value == 0x2029 {
            out += "\\u{\(String(u.value, radix: 16))}"
        } else {
            out.unicodeScalars.append(u)
        }
        n += 1
    }
    return out
}
