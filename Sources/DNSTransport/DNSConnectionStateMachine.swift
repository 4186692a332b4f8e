import NIOCore

/// When a server closes a DNS-over-TCP connection (RFC 7766 §6.2.3: idle connections are
/// closed by the server; §6.2.1: a half-closed connection still gets its answers), as a plain
/// state machine: events in, one action out; `DNSStreamHandler` carries the actions out. Time
/// is given with each event (the event loop's `now`, a manual clock under test).
public struct DNSConnectionStateMachine: Sendable {
    public enum Action: Sendable, Hashable {
        case none
        /// Check again at this deadline.
        case scheduleIdleCheck(NIODeadline)
        case close
    }

    private enum State: Sendable, Hashable {
        case open(lastActivity: NIODeadline)
        /// The client half-closed; close once nothing is owed.
        case inputClosed
        case closed
    }

    public let idleTimeout: TimeAmount?
    private var state: State
    /// Answers scheduled for later and not yet written.
    private var owed = 0

    public init(idleTimeout: TimeAmount?, now: NIODeadline) {
        self.idleTimeout = idleTimeout
        self.state = .open(lastActivity: now)
    }

    /// The connection became active: start the idle clock.
    public mutating func started(now: NIODeadline) -> Action {
        guard case .open = state else { return .none }
        state = .open(lastActivity: now)
        return idleTimeout.map { .scheduleIdleCheck(now + $0) } ?? .none
    }

    /// A query arrived.
    public mutating func queryReceived(now: NIODeadline) {
        if case .open = state { state = .open(lastActivity: now) }
    }

    /// An answer was put off (a delay fault); it must be written before closing.
    public mutating func answerDeferred() { owed += 1 }

    /// A deferred answer was written.
    public mutating func deferredAnswerWritten(now: NIODeadline) -> Action {
        owed = max(0, owed - 1)
        switch state {
        case .open: state = .open(lastActivity: now); return .none
        case .inputClosed: return closeIfNothingOwed()
        case .closed: return .none
        }
    }

    /// The client closed its side (EOF).
    public mutating func inputClosed() -> Action {
        guard case .open = state else { return .none }
        state = .inputClosed
        return closeIfNothingOwed()
    }

    /// The idle check scheduled earlier fired.
    public mutating func idleCheck(now: NIODeadline) -> Action {
        guard case .open(let last) = state, let timeout = idleTimeout else { return .none }
        if owed == 0, now - last >= timeout {
            state = .closed
            return .close
        }
        return .scheduleIdleCheck(max(last + timeout, now + .milliseconds(1)))
    }

    private mutating func closeIfNothingOwed() -> Action {
        guard owed == 0 else { return .none }
        state = .closed
        return .close
    }
}
