import DNSCore

/// Which TLSA records an SMTP client may use (RFC 7672 §3.1, RFC 7671 §9).
public enum TLSAUsability {
    /// Why a record is unusable.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// PKIX-TA(0) and PKIX-EE(1): SMTP has no trusted CA store to check them against, so
        /// RFC 7672 §3.1.3 makes them unusable.
        case pkixUsage(TLSA.CertificateUsage)
        /// A usage, selector or matching type this client does not implement (RFC 6698 §4.1:
        /// unusable, ignored).
        case unknownUsage(TLSA.CertificateUsage)
        case unknownSelector(TLSA.Selector)
        case unknownMatchingType(TLSA.MatchingType)
        /// Digest length not that of the matching type (RFC 7671 §9: a malformed record, so
        /// unusable rather than a mismatch).
        case wrongDigestLength(expected: Int, actual: Int)
        /// A weaker digest where the same usage and selector is also published with a stronger
        /// one (RFC 7671 §9, digest algorithm agility).
        case weakerDigest(TLSA.MatchingType)

        public var description: String {
            switch self {
            case .pkixUsage(let usage): "usage \(usage.rawValue) (PKIX) is unusable for SMTP (RFC 7672 §3.1.3)"
            case .unknownUsage(let usage): "unknown certificate usage \(usage.rawValue)"
            case .unknownSelector(let selector): "unknown selector \(selector.rawValue)"
            case .unknownMatchingType(let type): "unknown matching type \(type.rawValue)"
            case .wrongDigestLength(let expected, let actual): "digest of \(actual) octets, matching type needs \(expected)"
            case .weakerDigest(let type): "matching type \(type.rawValue) ignored: a stronger digest is published for the same usage and selector (RFC 7671 §9)"
            }
        }
    }

    /// One record on its own: usable for SMTP DANE, or why not (RFC 7672 §3.1.3: only
    /// DANE-TA(2) and DANE-EE(3); selectors 0/1; matching types 0/1/2 with the right length).
    public static func problem(with record: TLSA) -> Problem? {
        switch record.usage {
        case .daneTA, .daneEE: break
        case .pkixTA, .pkixEE: return .pkixUsage(record.usage)
        default: return .unknownUsage(record.usage)
        }
        guard record.selector == .cert || record.selector == .spki else { return .unknownSelector(record.selector) }
        switch record.matchingType {
        case .full: return nil
        case .sha256, .sha512:
            let expected = record.matchingType.digestLength ?? 0
            return record.associationData.count == expected ? nil : .wrongDigestLength(expected: expected, actual: record.associationData.count)
        default: return .unknownMatchingType(record.matchingType)
        }
    }

    /// Splits an RRset into the records to match with and the unusable ones.
    ///
    /// RFC 7671 §9 (digest algorithm agility): for each usage and selector, of the digest
    /// matching types published the client uses only the strongest it supports — SHA2-512(2)
    /// over SHA2-256(1) — so that a zone can retire a weak digest just by publishing a strong
    /// one. Full(0) records are exact values, not digests, and are always kept.
    public static func partition(_ records: [TLSA]) -> (usable: [TLSA], unusable: [(TLSA, Problem)]) {
        var usable: [TLSA] = []
        var unusable: [(TLSA, Problem)] = []
        for record in records {
            if let problem = problem(with: record) { unusable.append((record, problem)) } else { usable.append(record) }
        }
        struct Group: Hashable { var usage: TLSA.CertificateUsage; var selector: TLSA.Selector }
        var strongest: [Group: UInt8] = [:]
        for record in usable where record.matchingType != .full {
            let group = Group(usage: record.usage, selector: record.selector)
            strongest[group] = max(strongest[group] ?? 0, record.matchingType.rawValue)
        }
        var kept: [TLSA] = []
        for record in usable {
            let best = strongest[Group(usage: record.usage, selector: record.selector)]
            if record.matchingType != .full, let best, record.matchingType.rawValue < best {
                unusable.append((record, .weakerDigest(record.matchingType)))
            } else {
                kept.append(record)
            }
        }
        return (kept, unusable)
    }
}
