#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process the project owns: started in a process group of its own,
/// known by PID, and ended by that PID (the whole group: TERM, then KILL after
/// a grace period) at a deadline, when its work is done, or when l4bench is
/// interrupted. Never a pattern match on command lines.
public final class OwnedProcess {
    /// The child's PID, also its process group's ID.
    public let pid: pid_t
    /// The read end of the child's standard output and error.
    public let outputFD: Int32
    private var exitStatus: Int32?

    /// The child could not be started (pipe(2) or posix_spawnp(3) failed).
    public struct SpawnError: Error, CustomStringConvertible {
        /// What failed, with strerror(3)'s words.
        public var description: String
    }

    /// Starts `argv` (looked up in PATH) with posix_spawnp(3) in a process group
    /// of its own (`POSIX_SPAWN_SETPGROUP`), signals at their defaults, stdin from
    /// /dev/null and stdout and stderr into one pipe(2).
    public init(_ argv: [String]) throws(SpawnError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        #if canImport(Darwin)
        var attr: posix_spawnattr_t? = nil
        #else
        var attr = posix_spawnattr_t()
        #endif
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // A process group of its own (pgid = pid): ending it ends everything it started.
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)

        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var child: pid_t = 0
        #if canImport(Darwin)
        let env = _NSGetEnviron().pointee
        #else
        let env = environ
        #endif
        let r = posix_spawnp(&child, argv[0], &actions, &attr, &cargs, env)
        close(fds[1])
        guard r == 0 else {
            close(fds[0])
            throw SpawnError(description: "cannot start \(argv[0]): \(String(cString: strerror(r)))")
        }
        pid = child
        outputFD = fds[0]
    }

    deinit {
        if exitStatus == nil { terminate(grace: 0) }
        close(outputFD)
    }

    /// Whether the child has exited (reaps it, without blocking: waitpid(2) with `WNOHANG`).
    public var isRunning: Bool {
        if exitStatus != nil { return false }
        var st: Int32 = 0
        let r = waitpid(pid, &st, WNOHANG)
        if r == pid { exitStatus = st; return false }
        return r == 0
    }

    /// The child's exit code (128 + signal when a signal ended it), once it has exited.
    public var exitCode: Int32? {
        guard let st = exitStatus else { return nil }
        if st & 0x7f == 0 { return (st >> 8) & 0xff }
        return 128 + (st & 0x7f)
    }

    /// Ends the child's process group with kill(2) on `-pid`: SIGTERM, then SIGKILL
    /// when it is still there after `grace` seconds; waits for the child. Safe to call again.
    public func terminate(grace: Double = 2) {
        guard isRunning else { return }
        kill(-pid, SIGTERM)
        let until = Self.monotonic() + grace
        while isRunning && Self.monotonic() < until { usleep(20_000) }
        if isRunning {
            kill(-pid, SIGKILL)
            var st: Int32 = 0
            while waitpid(pid, &st, 0) < 0 && errno == EINTR {}
            exitStatus = st
        }
        // Whatever else of the group is left (children that ignored TERM) goes too.
        kill(-pid, SIGKILL)
    }

    /// Waits for the child to exit (waitpid(2), again after `EINTR`); its exit code.
    public func wait() -> Int32? {
        while exitStatus == nil {
            var st: Int32 = 0
            let r = waitpid(pid, &st, 0)
            if r == pid { exitStatus = st } else if r < 0 && errno != EINTR { break }
        }
        return exitCode
    }

    /// Seconds on the monotonic clock (clock_gettime(2), `CLOCK_MONOTONIC`).
    public static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// SIGINT and SIGTERM set a flag instead of ending l4bench, so that a loop
/// can end its children by PID and close its files first.
public enum Interruption {
    nonisolated(unsafe) static var signal: Int32 = 0

    /// Installs handlers for SIGINT and SIGTERM with sigaction(2) that only set the flag,
    /// unblocks both in the calling thread (pthread_sigmask(3)); clears the flag.
    public static func catchSignals() {
        signal = 0
        let handler: @convention(c) (Int32) -> Void = { s in Interruption.signal = s }
        var sa = sigaction()
        #if canImport(Darwin)
        sa.__sigaction_u.__sa_handler = handler
        #else
        sa.__sigaction_handler.sa_handler = handler
        #endif
        sigemptyset(&sa.sa_mask)
        sa.sa_flags = 0
        sigaction(SIGINT, &sa, nil)
        sigaction(SIGTERM, &sa, nil)
        // A parent may have started l4bench with them blocked (a thread of a dispatch
        // queue blocks every signal, and a child inherits its mask): unblock them here.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal that arrived, or 0.
    public static var received: Int32 { signal }

    /// Sets the flag as if `s` had arrived (for tests).
    public static func raiseForTests(_ s: Int32) { signal = s }
    /// Clears the flag.
    public static func reset() { signal = 0 }
}
