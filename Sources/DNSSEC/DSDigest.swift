import Crypto
import DNSCore

/// DS digests (RFC 4034 §5.1.4): digest = hash(canonical owner name ‖ DNSKEY RDATA), with
/// SHA-1 (type 1, RFC 4034), SHA-256 (type 2, RFC 4509) or SHA-384 (type 4, RFC 6605 §2).
public enum DSDigest {
    /// The digest of `dnskey` owned by `owner`, or nil for a digest type we do not compute.
    public static func digest(of dnskey: DNSKEY, owner: DomainName, type: DigestType) -> [UInt8]? {
        var writer = WireWriter(mode: .canonical)
        writer.write(bytes: owner.lowercased.wire)
        RData(dnskey).encode(to: &writer)
        let data = writer.bytes
        switch type {
        case .sha1: return Array(Insecure.SHA1.hash(data: data))
        case .sha256: return Array(SHA256.hash(data: data))
        case .sha384: return Array(SHA384.hash(data: data))
        default: return nil
        }
    }

    /// The DS record for `dnskey` (what a child hands its parent).
    public static func ds(for dnskey: DNSKEY, owner: DomainName, type: DigestType = .sha256) -> DS? {
        digest(of: dnskey, owner: owner, type: type).map {
            DS(keyTag: dnskey.keyTag, algorithm: dnskey.algorithm, digestType: type, digest: $0)
        }
    }

    /// Whether `ds` refers to `dnskey` (key tag, algorithm and digest all match; RFC 4035
    /// §5.2). Nil when the digest type is one we cannot compute.
    public static func matches(_ ds: DS, _ dnskey: DNSKEY, owner: DomainName) -> Bool? {
        guard let computed = digest(of: dnskey, owner: owner, type: ds.digestType) else { return nil }
        return ds.keyTag == dnskey.keyTag && ds.algorithm == dnskey.algorithm && ds.digest == computed
    }
}
