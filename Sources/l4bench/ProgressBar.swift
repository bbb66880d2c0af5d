import Foundation

/// A one-line progress bar on stderr when it is a terminal; otherwise one line
/// per round, so that logs of CI runs stay readable.
final class ProgressBar {
    private let tty = isatty(2) != 0
    private let start = Date()
    private var lastRound = -1
    private var lastDraw = Date.distantPast

    func update(done: Int, total: Int, round: Int, rounds: Int, label: String, failures: Int) {
        let elapsed = Date().timeIntervalSince(start)
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let failed = failures > 0 ? "  \(failures) failed" : ""
        if tty {
            let now = Date()
            guard now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
            lastDraw = now
            let width = 28
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line = String(format: "\r%@ %3d%%  round %d/%d  %@  %.0fs, ~%.0fs left%@", bar, Int(fraction * 100),
                              min(round + 1, rounds), rounds, label, elapsed, eta, failed)
            FileHandle.standardError.write(Data((line.padding(toLength: 110, withPad: " ", startingAt: 0)).utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else if round != lastRound {
            lastRound = round
            let text = round < rounds ? "round \(round + 1)/\(rounds)" : "finished"
            FileHandle.standardError.write(Data(String(format: "l4bench: %@ (%d/%d blocks, %.0f s)%@\n", text, done, total, elapsed, failed).utf8))
        }
    }
}
