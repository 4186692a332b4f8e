import DNSCore

/// One zone's NSEC3 parameters (salt, iterations), for hashing many names with them; the hash
/// itself is `NSEC3Hash.hash` (RFC 5155 §5).
public struct NSEC3Hasher: Hashable, Sendable {
    public var salt: [UInt8]
    public var iterations: UInt16

    public init(salt: [UInt8], iterations: UInt16) {
        self.salt = salt
        self.iterations = iterations
    }

    /// The 20-octet SHA-1 hash of `name`.
    public func hash(_ name: DomainName) -> [UInt8] {
        NSEC3Hash.hash(name: name, salt: salt, iterations: iterations)
    }

    /// The hashed owner name `<base32hex(hash)>.<zone>` (lowercase, as ldns writes it).
    public func hashedOwner(_ name: DomainName, zone: DomainName) throws(DomainNameError) -> DomainName {
        try Self.owner(forHash: hash(name), zone: zone)
    }

    /// `<base32hex(hash)>.<zone>`.
    public static func owner(forHash hash: [UInt8], zone: DomainName) throws(DomainNameError) -> DomainName {
        try zone.prepending(label: Array(NSEC3Hash.label(for: hash).utf8))
    }
}
