import DNSCore

/// One zone of a scenario: where it hangs, how it is signed, how its parent delegates to it,
/// its records (zone-file lines relative to the origin) and its TLSA records (computed from
/// the lab's certificates when the lab is minted).
public struct LabZoneSpec: Sendable, Hashable {
    /// How the zone proves non-existence.
    public enum Denial: Sendable, Hashable {
        case nsec
        /// NSEC3, no salt, with this many extra iterations (RFC 9276 §3.1 recommends 0).
        case nsec3(iterations: UInt16)
    }

    public enum Signing: Sendable, Hashable {
        case unsigned
        case signed(DNSSECAlgorithm, Denial)

        /// ECDSA P-256 with NSEC: the lab's default.
        public static let standard = Signing.signed(.ecdsaP256SHA256, .nsec)
    }

    /// What the parent publishes for the zone besides NS and glue.
    public enum Delegation: Sendable, Hashable {
        /// The DS of the zone's key (none for an unsigned zone: an insecure delegation).
        case secure
        /// A DS for a key the zone does not have: every answer from the zone is bogus
        /// (RFC 4035 §5.2, no DNSKEY matches the DS).
        case dsMatchingNoKey
        /// Only a DS for a key of an algorithm validators do not implement (Ed448, 16, here):
        /// the zone is treated as unsigned (RFC 4035 §5.2, RFC 6840 §5.2).
        case unsupportedAlgorithm
    }

    /// Which lab name server serves the zone: zones whose parent is another scenario zone go
    /// to the second, so parent and child are never answered by one server.
    public enum Server: String, Sendable, Hashable {
        case primary = "127.0.0.12"
        case secondary = "127.0.0.13"
    }

    /// An RRset to sign with an expired window, instead of the zone's (RFC 4035 §5.3.1: an
    /// RRSIG outside its validity period does not verify, the RRset is bogus).
    public struct RRsetRef: Sendable, Hashable {
        public var owner: String
        public var type: RRType

        public init(_ owner: String, _ type: RRType) {
            self.owner = owner
            self.type = type
        }
    }

    public var origin: String
    public var parent: String
    public var server: Server
    public var signing: Signing
    public var delegation: Delegation
    public var records: [String]
    public var tlsa: [LabTLSASpec]
    public var expiredSignatures: [RRsetRef]

    public init(_ origin: String, parent: String = LabCatalogue.tld, server: Server = .primary, signing: Signing = .standard,
                delegation: Delegation = .secure, records: [String], tlsa: [LabTLSASpec] = [], expiredSignatures: [RRsetRef] = []) {
        self.origin = origin
        self.parent = parent
        self.server = server
        self.signing = signing
        self.delegation = delegation
        self.records = records
        self.tlsa = tlsa
        self.expiredSignatures = expiredSignatures
    }
}
