import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// `run()` with every signal unblocked in the child.
    ///
    /// A child inherits the signal mask of the thread that spawns it, and the test runner's
    /// worker threads block nearly every signal; Foundation's `Process` does not reset the
    /// mask, so a daemon started from a test would ignore SIGTERM (seen with NSD: `SigBlk:
    /// fffffffe3bfbea27` in /proc/PID/status, and a 10-second wait for the SIGKILL
    /// fallback). Unblocking on this thread just around the spawn fixes that.
    package func runWithSignalsUnblocked() throws {
        #if canImport(Glibc)
        var none = sigset_t()
        var saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        #endif
        try run()
    }
}
