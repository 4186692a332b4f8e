/// A server's retransmission timeout from its measured round trips, as TCP computes one
/// (RFC 6298 §2: SRTT, RTTVAR, RTO = SRTT + 4·RTTVAR), which RFC 1035 §4.2.1 asks of a
/// resolver ("the retransmission interval should be based on prior statistics if
/// possible"). Clamped to `minimum`, as Unbound's `infra-cache-min-rtt` is, so that a busy
/// but healthy server is not flooded. Pure: the caller measures and stores.
public struct RetransmissionTimeout: Hashable, Sendable {
    /// Before any measurement (RFC 6298 §2.1 says 1 s; Unbound starts at 376 ms).
    public static let initial: Duration = .milliseconds(400)
    public static let minimum: Duration = .milliseconds(50)

    public private(set) var smoothed: Duration?
    public private(set) var variation: Duration = .zero

    public init() {}

    /// RFC 6298 §2.2 for the first sample, §2.3 (α = 1/8, β = 1/4) after.
    public mutating func record(_ sample: Duration) {
        guard let srtt = smoothed else {
            smoothed = sample
            variation = sample / 2
            return
        }
        let deviation = srtt > sample ? srtt - sample : sample - srtt
        variation = variation * 3 / 4 + deviation / 4
        smoothed = srtt * 7 / 8 + sample / 8
    }

    /// The time to wait for an answer before sending again, at most `cap`.
    public func timeout(cap: Duration) -> Duration {
        guard let srtt = smoothed else { return min(Self.initial, cap) }
        return min(cap, max(Self.minimum, srtt + variation * 4))
    }
}
