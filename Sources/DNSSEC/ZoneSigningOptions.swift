import DNSCore

/// How `ZoneSigner` signs: the denial of existence, the signature validity window and the
/// TTLs of what it adds.
public struct ZoneSigningOptions: Hashable, Sendable {
    /// NSEC3 parameters (RFC 5155 §4; RFC 9276 §3.1 recommends no salt and no extra
    /// iterations, the defaults here).
    public struct NSEC3Parameters: Hashable, Sendable {
        /// 0 to 255 octets.
        public var salt: [UInt8]
        public var iterations: UInt16
        /// Leave insecure delegations (no DS) out of the chain and set the Opt-Out flag
        /// (RFC 5155 §6, §7.1).
        public var optOut: Bool

        public init(salt: [UInt8] = [], iterations: UInt16 = 0, optOut: Bool = false) {
            self.salt = salt
            self.iterations = iterations
            self.optOut = optOut
        }
    }

    public enum Denial: Hashable, Sendable {
        /// An NSEC chain (RFC 4034 §4, RFC 4035 §2.3).
        case nsec
        /// An NSEC3 chain with SHA-1 (RFC 5155 §7.1).
        case nsec3(NSEC3Parameters)
    }

    public var denial: Denial
    /// Signature inception and expiration, seconds since the epoch as RRSIG fields hold them
    /// (RFC 4034 §3.1.5).
    public var inception: UInt32
    public var expiration: UInt32
    /// Up to this many seconds are taken off each RRset's expiration, so that signatures made
    /// together do not all expire together (BIND's `-j`). The amounts come from `jitterSeed`:
    /// the same seed, zone and keys give the same signatures' times.
    public var jitter: UInt32
    public var jitterSeed: UInt64
    /// TTL of the DNSKEY RRset when the zone has none: default the SOA record's TTL.
    public var dnskeyTTL: UInt32?
    /// TTL of NSEC, NSEC3 and NSEC3PARAM: default min(SOA MINIMUM, SOA TTL), the negative
    /// caching TTL (RFC 4035 §2.3 and RFC 5155 §7.1 name SOA MINIMUM; RFC 9077 §3.1 corrects
    /// that to the lower of the two).
    public var denialTTL: UInt32?
    /// Digests of the DS records for the parent (RFC 4509: SHA-256).
    public var dsDigestTypes: [DigestType]

    public init(denial: Denial = .nsec, inception: UInt32, expiration: UInt32, jitter: UInt32 = 0, jitterSeed: UInt64 = 0,
                dnskeyTTL: UInt32? = nil, denialTTL: UInt32? = nil, dsDigestTypes: [DigestType] = [.sha256]) {
        self.denial = denial
        self.inception = inception
        self.expiration = expiration
        self.jitter = jitter
        self.jitterSeed = jitterSeed
        self.dnskeyTTL = dnskeyTTL
        self.denialTTL = denialTTL
        self.dsDigestTypes = dsDigestTypes
    }
}

/// Why a zone could not be signed.
public struct ZoneSigningError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case noKeys
        case noSOA
        /// A record whose owner is not at or below the apex.
        case outOfZone
        /// Expiration not after inception, or jitter not shorter than the window.
        case badValidity
        /// An NSEC3 salt over 255 octets.
        case badNSEC3Parameters
        /// Two names with one NSEC3 hash (RFC 5155 §7.1 step 6: the zone must be re-salted).
        case hashCollision
        /// Two signing keys with the same algorithm and key tag: validators could not tell
        /// their signatures apart (RFC 4035 §5.3.1 picks keys by tag).
        case keyTagCollision
        /// A key refused to sign.
        case signingFailed
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}

/// A signed zone.
public struct SignedZone: Sendable {
    /// Every record, RRSIGs after the RRset they cover, owners in canonical order (RFC 4034
    /// §6.1) and types ascending at each owner.
    public var records: [ResourceRecord]
    /// The DS records for the parent zone: one per key-signing key and digest type (all
    /// keys when none has the SEP flag).
    public var ds: [ResourceRecord]
    public var signatureCount: Int
    /// NSEC or NSEC3 records made.
    public var denialRecordCount: Int
}

