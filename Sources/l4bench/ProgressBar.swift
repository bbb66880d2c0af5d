import Foundation

/// A one-line progress bar on stderr when it is a terminal; otherwise a line
/// when a round starts, every tenth of the blocks and at least once a minute,
/// each with blocks done of blocks planned, the elapsed time and an estimate
/// of the rest, so that logs of CI runs stay readable.
final class ProgressBar {
    private let tty = isatty(2) != 0
    private let start = Date()
    private var lastRound = -1
    private var lastDraw = Date.distantPast
    private var lastTenth = -1
    private var lastLine = Date()

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
        } else {
            let tenth = total > 0 ? done * 10 / total : 10
            guard round != lastRound || tenth != lastTenth || Date().timeIntervalSince(lastLine) >= 60 else { return }
            if round == lastRound && tenth == lastTenth && done == 0 { return }
            lastRound = round
            lastTenth = tenth
            lastLine = Date()
            let text = done < total ? "round \(min(round + 1, rounds))/\(rounds)" : "finished"
            let rest = done > 0 && done < total ? String(format: ", about %.0f s left", eta) : ""
            FileHandle.standardError.write(Data(String(format: "l4bench: %@ (%d/%d blocks, %.0f s%@)%@\n", text, done, total, elapsed, rest, failed).utf8))
        }
    }
}
