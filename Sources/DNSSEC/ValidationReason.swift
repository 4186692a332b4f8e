import DNSCore

/// One step of a validation's explanation: what was checked, which rule decided it, and the
/// Extended DNS Error (RFC 8914) that names it for a resolver's client, if any.
public struct ValidationReason: Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        // Positive steps.
        case trustAnchorMatched
        case dsMatchedKey
        case keySetSigned
        case signatureVerified
        case denialProved
        case wildcardExpansionProved
        // Why something is insecure.
        case noTrustAnchor
        case unsupportedAlgorithm
        case unsupportedDigest
        case keySizeUnsupported
        case insecureDelegation
        case optOutDelegation
        case nsec3IterationsTooHigh
        // Why something is bogus.
        case signatureInvalid
        case signatureExpired
        case signatureNotYetValid
        case signatureWindowInverted
        case signatureMissing
        case signerNotApex
        case labelsMismatch
        case keyMissing
        case keyNotZoneKey
        case keyRevoked
        case dsMismatch
        case denialMissing
        case denialInvalid
        case budgetExhausted
        case malformed
        // Why something is indeterminate (a resolver could not get the evidence).
        case noReachableAuthority
        case invalidResponse
    }

    public var code: Code
    /// The rule that decided it, e.g. "RFC 4035 §5.3.1".
    public var rule: String
    public var detail: String
    public var extendedError: ExtendedDNSErrorCode?
    /// The DNSSEC algorithm of the signature this step verified (`signatureVerified`), for
    /// reports that count the algorithms zones are signed with.
    public var algorithm: DNSSECAlgorithm?

    public init(_ code: Code, rule: String, _ detail: String, ede: ExtendedDNSErrorCode? = nil, algorithm: DNSSECAlgorithm? = nil) {
        self.code = code
        self.rule = rule
        self.detail = detail
        self.extendedError = ede
        self.algorithm = algorithm
    }

    public var description: String { "\(detail) (\(rule))" }
}
