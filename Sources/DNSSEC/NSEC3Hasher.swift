import Crypto
import DNSCore

/// The NSEC3 hash of an owner name (RFC 5155 §5): with x the name in canonical wire form
/// (RFC 4034 §6.2: lowercased, uncompressed),
///     IH(salt, x, 0) = H(x ‖ salt), IH(salt, x, k) = H(IH(salt, x, k−1) ‖ salt),
/// and the hash is IH(salt, x, iterations), H being SHA-1 (hash algorithm 1, the only one
/// defined). The hashed owner name is its base32hex (RFC 4648 §7) as one label before the
/// zone's name (RFC 5155 §3).
public struct NSEC3Hasher: Hashable, Sendable {
    public var salt: [UInt8]
    public var iterations: UInt16

    public init(salt: [UInt8], iterations: UInt16) {
        self.salt = salt
        self.iterations = iterations
    }

    /// The 20-octet SHA-1 hash of `name`.
    public func hash(_ name: DomainName) -> [UInt8] {
        var digest = Array(Insecure.SHA1.hash(data: name.lowercased.wire + salt))
        for _ in 0..<iterations {
            digest = Array(Insecure.SHA1.hash(data: digest + salt))
        }
        return digest
    }

    /// The hashed owner name `<base32hex(hash)>.<zone>` (lowercase, as ldns writes it).
    public func hashedOwner(_ name: DomainName, zone: DomainName) throws(DomainNameError) -> DomainName {
        try Self.owner(forHash: hash(name), zone: zone)
    }

    /// `<base32hex(hash)>.<zone>`.
    public static func owner(forHash hash: [UInt8], zone: DomainName) throws(DomainNameError) -> DomainName {
        try zone.prepending(label: Array(Base32Hex.encode(hash, uppercase: false).utf8))
    }
}
