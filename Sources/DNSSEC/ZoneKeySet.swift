import DNSCore

/// The DNSKEYs of one zone, parsed once and indexed by key tag and algorithm, so every RRset
/// of the zone is checked without re-parsing keys.
public struct ZoneKeySet: Sendable {
    public struct Entry: Sendable {
        public var dnskey: DNSKEY
        public var keyTag: UInt16
        /// The parsed key, or why it cannot verify.
        public var key: Result<DNSSECPublicKey, DNSSECPublicKey.Problem>
    }

    public let zone: DomainName
    public let entries: [Entry]
    public let policy: AlgorithmPolicy

    public init(zone: DomainName, keys: [DNSKEY], policy: AlgorithmPolicy = .default) {
        self.zone = zone
        self.policy = policy
        var seen = Set<DNSKEY>()
        var entries: [Entry] = []
        for dnskey in keys where seen.insert(dnskey).inserted {
            entries.append(Entry(dnskey: dnskey, keyTag: dnskey.keyTag, key: DNSSECPublicKey.make(dnskey, policy: policy)))
        }
        self.entries = entries
    }

    /// Keys an RRSIG may have been made with: same key tag and algorithm (RFC 4035 §5.3.1).
    public func candidates(for rrsig: RRSIG) -> [Entry] {
        entries.filter { $0.keyTag == rrsig.keyTag && $0.dnskey.algorithm == rrsig.algorithm }
    }

    /// Whether some key could verify signatures at all (a supported algorithm and size).
    public var hasUsableKey: Bool {
        entries.contains { entry in
            if case .success = entry.key { entry.dnskey.isZoneKey && !entry.dnskey.isRevoked } else { false }
        }
    }
}
