import Crypto
import DNSCore

/// Computes and compares TLSA association data (RFC 6698 §2.1.2, §2.1.3).
public enum TLSAMatcher {
    /// The association data a record with `selector` and `matchingType` would carry for the
    /// certificate `der`: selector 0 the whole certificate DER, 1 its SubjectPublicKeyInfo as
    /// encoded in it; matching type 0 those octets, 1 their SHA-256, 2 their SHA-512. Nil for
    /// selectors or matching types we do not know.
    public static func associationData(certificate der: [UInt8], selector: TLSA.Selector,
                                       matchingType: TLSA.MatchingType) throws(CertificateFields.Malformed) -> [UInt8]? {
        let selected: ArraySlice<UInt8>
        switch selector {
        case .cert: selected = der[...]
        case .spki: selected = try CertificateFields.subjectPublicKeyInfo(of: der)
        default: return nil
        }
        switch matchingType {
        case .full: return Array(selected)
        case .sha256: return Array(SHA256.hash(data: selected))
        case .sha512: return Array(SHA512.hash(data: selected))
        default: return nil
        }
    }

    /// Whether `record` matches the certificate `der`; false for a certificate we cannot read.
    public static func matches(_ record: TLSA, certificate der: [UInt8]) -> Bool {
        guard let data = try? associationData(certificate: der, selector: record.selector, matchingType: record.matchingType) else {
            return false
        }
        return data == record.associationData
    }

    /// The record for `der` with the given parameters (what `daneprobe tlsa` prints).
    public static func record(for der: [UInt8], usage: TLSA.CertificateUsage, selector: TLSA.Selector,
                              matchingType: TLSA.MatchingType) throws(CertificateFields.Malformed) -> TLSA? {
        try associationData(certificate: der, selector: selector, matchingType: matchingType).map {
            TLSA(usage: usage, selector: selector, matchingType: matchingType, associationData: $0)
        }
    }
}

extension TLSAMatcher {
    /// RFC 7672 §3.1.1: a DANE-EE(3) record authenticates the server by its leaf certificate
    /// (depth 0) alone — no name checks, no validity dates, no chain: the first usable
    /// DANE-EE record matching the leaf, if any.
    public static func daneEEMatch(_ usable: [TLSA], leaf: [UInt8]) -> TLSA? {
        usable.first { $0.usage == .daneEE && matches($0, certificate: leaf) }
    }
}
