/// RRSIG times are 32-bit serial numbers (RFC 4034 §3.1.5, RFC 1982): each is read as the
/// moment within 2^31 seconds of the reference time, so the fields keep working past 2106.
public enum SignatureTime {
    /// The signed distance from `reference` to `value`, in seconds, under serial arithmetic:
    /// positive when `value` is later.
    public static func offset(of value: UInt32, from reference: UInt32) -> Int64 {
        Int64(Int32(bitPattern: value &- reference))
    }

    /// `now` (seconds since the epoch, any width) as the 32-bit serial RRSIG fields use.
    public static func serial(_ now: Int64) -> UInt32 { UInt32(truncatingIfNeeded: now) }
}

/// When a signature is valid, against an injected time (RFC 4035 §5.3.1: the current time
/// must lie in [inception, expiration]).
public struct ValidityWindowCheck: Sendable {
    public enum Outcome: Hashable, Sendable {
        case valid
        /// Expiration before inception (EDE 25).
        case inverted
        /// Not yet valid (EDE 8).
        case notYetValid
        /// Expired (EDE 7).
        case expired
    }

    /// Seconds of slack allowed on both edges (clock skew between signer and validator).
    public var skew: UInt32

    public init(skew: UInt32 = 0) { self.skew = skew }

    public func check(inception: UInt32, expiration: UInt32, now: Int64) -> Outcome {
        if SignatureTime.offset(of: expiration, from: inception) < 0 { return .inverted }
        let current = SignatureTime.serial(now)
        if SignatureTime.offset(of: inception, from: current) > Int64(skew) { return .notYetValid }
        if SignatureTime.offset(of: expiration, from: current) < -Int64(skew) { return .expired }
        return .valid
    }
}
