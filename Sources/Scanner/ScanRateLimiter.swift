/// `--rate N`: at most N domains started per second, spaced evenly (a start every 1/N s), over
/// an injected clock so tests can drive it. Waiting for the next slot is pacing, not waiting
/// for a server.
public actor ScanRateLimiter<C: Clock> where C.Duration == Duration {
    let clock: C
    let spacing: Duration
    var next: C.Instant?

    /// `perSecond` nil or ≤ 0: no limit.
    public init(perSecond: Double?, clock: C) {
        self.clock = clock
        if let perSecond, perSecond > 0 {
            spacing = .nanoseconds(Int64(1_000_000_000 / perSecond))
        } else {
            spacing = .zero
        }
    }

    /// Returns when the caller may start its next domain.
    public func acquire() async throws {
        guard spacing > .zero else { return }
        let now = clock.now
        let slot = next.map { max($0, now) } ?? now
        next = slot.advanced(by: spacing)
        if slot > now { try await clock.sleep(until: slot, tolerance: nil) }
    }
}
