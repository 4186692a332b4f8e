/// The four outcomes of validation (RFC 4035 §4.3). RFC 7672 §2.1 reads them for SMTP:
/// insecure data is used without DANE, bogus and indeterminate data are not used at all
/// (indeterminate is a transient failure: defer).
public enum SecurityStatus: String, Hashable, Sendable, CustomStringConvertible, Comparable {
    /// A chain of signed DNSKEY and DS records from a trust anchor covers the data.
    case secure
    /// A secure proof that no chain exists here: an unsigned delegation, or only algorithms or
    /// digests we cannot use (RFC 4035 §5.2, RFC 6840 §5.2), or no trust anchor above.
    case insecure
    /// There should be a chain, and it is broken: bad or missing signatures, expired
    /// signatures, a DS that matches no key, a denial that does not prove what it claims.
    case bogus
    /// Not enough data to decide (RFC 4035 §4.3): e.g. the records needed could not be had.
    case indeterminate

    public var description: String { rawValue }

    /// Ordering from best to worst, for combining: secure < insecure < indeterminate < bogus.
    private var rank: Int {
        switch self {
        case .secure: 0
        case .insecure: 1
        case .indeterminate: 2
        case .bogus: 3
        }
    }

    public static func < (lhs: SecurityStatus, rhs: SecurityStatus) -> Bool { lhs.rank < rhs.rank }
}
