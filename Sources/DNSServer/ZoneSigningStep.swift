import DNSCore

/// A step that signs a zone's records as the catalog loads them ("signed at load"). The
/// catalog stays ignorant of keys and algorithms: the caller (the CLI's `--sign --keys DIR`,
/// or the lab) hands in a step built on `DNSSEC`'s zone signer, and gets pre-signed zones
/// served unchanged when it hands in none.
public protocol ZoneSigningStep: Sendable {
    /// The records of the zone at `origin` with DNSSEC records (DNSKEY, RRSIG, NSEC/NSEC3,
    /// NSEC3PARAM) added; throws when the zone cannot be signed.
    func sign(_ records: [ResourceRecord], origin: DomainName) throws -> [ResourceRecord]
}

/// A signing step given as a closure.
public struct ClosureSigningStep: ZoneSigningStep {
    let body: @Sendable ([ResourceRecord], DomainName) throws -> [ResourceRecord]

    public init(_ body: @escaping @Sendable ([ResourceRecord], DomainName) throws -> [ResourceRecord]) {
        self.body = body
    }

    public func sign(_ records: [ResourceRecord], origin: DomainName) throws -> [ResourceRecord] {
        try body(records, origin)
    }
}
