import DNSCore

/// A trust anchor: a DS or DNSKEY record for a zone apex, trusted without proof (RFC 4033
/// §2, RFC 4035 §4.4). Zone-file form, as Unbound's `trust-anchor-file` and BIND take them.
public struct TrustAnchor: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case ds(DS)
        case dnskey(DNSKEY)
    }

    public var owner: DomainName
    public var kind: Kind

    public init(owner: DomainName, _ kind: Kind) {
        self.owner = owner
        self.kind = kind
    }

    public var keyTag: UInt16 {
        switch kind {
        case .ds(let ds): ds.keyTag
        case .dnskey(let key): key.keyTag
        }
    }

    public var algorithm: DNSSECAlgorithm {
        switch kind {
        case .ds(let ds): ds.algorithm
        case .dnskey(let key): key.algorithm
        }
    }

    /// Whether `dnskey` (owned by `owner`) is the key this anchor names; nil when the anchor
    /// is a DS of a digest type we cannot compute.
    public func matches(_ dnskey: DNSKEY) -> Bool? {
        switch kind {
        case .ds(let ds): DSDigest.matches(ds, dnskey, owner: owner)
        case .dnskey(let key): key == dnskey
        }
    }

    public var description: String {
        switch kind {
        case .ds(let ds): "\(owner) DS \(ds.presentation)"
        case .dnskey(let key): "\(owner) DNSKEY \(key.flags) \(key.protocol) \(key.algorithm.rawValue) (key tag \(key.keyTag))"
        }
    }
}

/// The trust anchors a validator starts from, grouped by owner.
public struct TrustAnchorSet: Hashable, Sendable {
    public private(set) var anchors: [DomainName: [TrustAnchor]]

    public init(_ anchors: [TrustAnchor]) {
        self.anchors = Dictionary(grouping: anchors, by: \.owner)
    }

    /// Anchors from records in zone-file form: every DS and DNSKEY record (other types are
    /// ignored, as Unbound does with a trust-anchor file).
    public init(records: [ResourceRecord]) {
        self.init(records.compactMap { record in
            if let ds = record.rdata.as(DS.self), record.type == .ds { return TrustAnchor(owner: record.owner, .ds(ds)) }
            if let key = record.rdata.as(DNSKEY.self), record.type == .dnskey { return TrustAnchor(owner: record.owner, .dnskey(key)) }
            return nil
        })
    }

    public var isEmpty: Bool { anchors.isEmpty }

    /// The anchors of the closest enclosing anchored zone of `name` (RFC 4035 §4.4: the
    /// validator starts from the closest trust anchor above the data), or nil when no anchor
    /// covers it — which makes the data insecure, not bogus (RFC 4035 §4.3, RFC 7672 §2.1).
    public func closestAnchor(for name: DomainName) -> (owner: DomainName, anchors: [TrustAnchor])? {
        var current: DomainName? = name
        while let candidate = current {
            if let found = anchors[candidate] { return (candidate, found) }
            current = candidate.parent
        }
        return nil
    }

    /// The IANA root zone KSKs: KSK-2017 (key tag 20326) and KSK-2024 (key tag 38696), as
    /// the DS records IANA publishes in root-anchors.xml (copied from Debian's dns-root-data
    /// 2024071801; the vector file `root-anchors.zone` in the tests holds the same records).
    public static let ianaRoot: TrustAnchorSet = {
        let texts = [
            "20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
            "38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
        ]
        return TrustAnchorSet(texts.map { text in
            guard let ds = (try? RData(type: .ds, text: text))?.as(DS.self) else { preconditionFailure("built-in root anchor") }
            return TrustAnchor(owner: .root, .ds(ds))
        })
    }()
}
