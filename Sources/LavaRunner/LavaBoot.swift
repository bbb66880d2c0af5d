/// One boot of the suite as a LAVA job, once it ended: where it ran, its
/// serial console, and what went wrong (nil when it ran to the end record).
public struct LavaBoot: Sendable {
    public var status: LavaJobStatus
    public var log: LavaLog
    public var fault: Fault?
    /// LAVA's reason, as LAVA says it (error class and message, or the failure comment).
    public var reason: String

    /// How a boot ended early; each has an exit code of `l4bench lava`.
    public enum Fault: String, Sendable, CaseIterable {
        /// The suite's begin record never came: the image did not boot (or not this image).
        case neverBooted = "never booted"
        /// LAVA's timeout hit while the suite ran.
        case timedOut = "timed out"
        case cancelled
        /// The device or dispatcher failed under the job (LAVA's Infrastructure errors).
        case deviceLost = "device lost"
        /// LAVA called the job complete but the log ends before the suite's end record.
        case logCut = "log cut"
        /// Incomplete for another reason LAVA names (a job or configuration error, a bug).
        case incomplete

        public var exitCode: Int32 {
            switch self {
            case .neverBooted: return 53
            case .timedOut: return 54
            case .cancelled: return 55
            case .deviceLost: return 56
            case .logCut: return 57
            case .incomplete: return 58
            }
        }
    }

    public init(status: LavaJobStatus, log: LavaLog, runID: String) {
        self.status = status
        self.log = log
        var why: [String] = []
        if let t = log.errorType { why.append(t) }
        if let m = log.errorMessage { why.append(m) }
        if let c = status.failureComment, !c.isEmpty { why.append(c) }
        if why.isEmpty, let m = log.monitorError { why = ["monitor", m] }
        let lavaSays = why.isEmpty ? (log.lastError ?? "no reason in its log; LAVA's state \(status.state), health \(status.health)") : why.joined(separator: ": ")
        let console = log.console
        let begun = ImagePlan.find(Array("L4B1,begin,\(runID)".utf8), in: console, from: 0) != nil
        let ended = ImagePlan.find(Array("L4B1,end,\(runID),".utf8), in: console, from: 0) != nil
        let text = (log.errorMessage ?? "") + " " + (status.failureComment ?? "") + " " + (log.monitorError ?? "")
        let timeout = text.lowercased().contains("timed out") || text.lowercased().contains("timeout")

        if status.health == "Canceled" || status.state == "Canceling" || log.errorType == "Canceled" {
            fault = .cancelled
        } else if status.health == "Complete" && ended {
            // (A download cut after the end record loses only LAVA's closing lines.)
            fault = nil
        } else if !begun {
            fault = .neverBooted
        } else if log.errorType == "Infrastructure" {
            fault = .deviceLost
        } else if timeout {
            fault = .timedOut
        } else if status.health == "Complete" || log.cut {
            fault = .logCut
        } else if ended {
            // The suite ended but LAVA failed the job afterwards (power-off, a result it did not like): the run is whole.
            fault = nil
        } else {
            fault = .incomplete
        }
        switch fault {
        case nil: reason = status.health == "Complete" ? "complete" : "suite ended; LAVA: \(lavaSays)"
        case .logCut?:
            reason = log.cut ? "the log download ends in the middle of a line" : "LAVA says \(status.health), but the log ends before the suite's end record"
        default: reason = lavaSays
        }
    }

    public var device: String { status.device ?? "no device" }
}
