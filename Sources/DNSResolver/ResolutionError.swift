/// Why a lookup could not be run at all (DESIGN.md: a thrown error means "could not check";
/// timeouts and broken signatures are results, not errors).
public struct ResolutionError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// A CNAME/DNAME chain leads back to a name already in it.
        case aliasLoop
        /// More than the chain limit (11) of CNAME/DNAME links.
        case aliasChainTooLong
        /// Root hints, trust anchors or an upstream address are unusable.
        case badConfiguration
        /// Referrals that never end or a name server whose address needs itself.
        case referralLimit
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
