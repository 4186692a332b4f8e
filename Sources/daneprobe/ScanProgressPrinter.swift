import Foundation
import Scanner
import Synchronization

/// Progress of `daneprobe scan` on standard error: on a terminal a one-line bar redrawn at
/// most ten times a second; otherwise a plain line every `interval` seconds (checked as
/// results arrive, so a stalled scan prints nothing new).
final class ScanProgressPrinter: Sendable {
    struct State {
        var done = 0
        var verdicts: [String: Int] = [:]
        var lastPrint: ContinuousClock.Instant
        var printed = false
    }

    let enabled: Bool
    let terminal: Bool
    let interval: Duration
    let total: Int
    let started = ContinuousClock.now
    let state: Mutex<State>

    init(enabled: Bool, interval: Double, alreadyDone: Int, total: Int) {
        self.enabled = enabled
        terminal = isatty(2) == 1
        self.interval = terminal ? .milliseconds(100) : .milliseconds(Int(interval * 1000))
        self.total = total - alreadyDone
        state = Mutex(State(lastPrint: started))
    }

    func finished(_ verdict: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            state.done += 1
            state.verdicts[verdict, default: 0] += 1
            guard now - state.lastPrint >= interval || state.done == total else { return nil }
            state.lastPrint = now
            state.printed = true
            return render(state, now: now)
        }
        if let line { write(line) }
    }

    func end() {
        guard enabled, terminal, state.withLock({ $0.printed }) else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    func render(_ state: State, now: ContinuousClock.Instant) -> String {
        let elapsed = now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ScanProgress(done: state.done, total: total, elapsed: seconds, verdicts: state.verdicts).line(bar: terminal)
    }

    func write(_ line: String) {
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }
}
