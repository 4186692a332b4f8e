import DNSCore

/// An RRset with the RRSIGs that came with it.
public struct SignedRRSet: Hashable, Sendable {
    public var rrset: RRSet
    public var signatures: [RRSIG]

    public init(_ rrset: RRSet, signatures: [RRSIG]) {
        self.rrset = rrset
        self.signatures = signatures
    }

    /// Picks the RRset `owner`/`type` and its covering RRSIGs out of `records` (a message
    /// section, or a zone); nil when there are no records of that type.
    public init?(owner: DomainName, type: RRType, from records: [ResourceRecord]) {
        let matching = records.filter { $0.owner == owner && $0.type == type }
        guard let set = RRSet.group(matching).first else { return nil }
        self.rrset = set
        self.signatures = records.compactMap { record in
            guard record.owner == owner, let rrsig = record.rdata.as(RRSIG.self), rrsig.typeCovered == type else { return nil }
            return rrsig
        }
    }
}

/// One zone cut on the way down from a trust anchor: what the parent says about the child
/// (its DS RRset, or signed NSEC/NSEC3 records proving there is none) and the child's
/// DNSKEY RRset.
public struct Delegation: Hashable, Sendable {
    public var child: DomainName
    /// The DS RRset at the child's apex, signed by the parent.
    public var ds: SignedRRSet?
    /// When there is no DS: the parent's NSEC or NSEC3 RRsets (with RRSIGs) that prove it.
    public var denial: [SignedRRSet]
    /// The child's DNSKEY RRset with its RRSIGs (not needed when the delegation is insecure).
    public var dnskeys: SignedRRSet?
    /// When `dnskeys` is nil because no server gave an answer: why (the failed exchanges).
    /// Empty when the servers answered without one, or when it was not asked.
    public var dnskeysUnavailable: [ValidationReason]

    public init(child: DomainName, ds: SignedRRSet?, denial: [SignedRRSet] = [], dnskeys: SignedRRSet?,
                dnskeysUnavailable: [ValidationReason] = []) {
        self.child = child
        self.ds = ds
        self.denial = denial
        self.dnskeys = dnskeys
        self.dnskeysUnavailable = dnskeysUnavailable
    }
}

/// Everything needed to decide whether a name's zone is secure: the DNSKEY RRset of the
/// trust anchor's zone and the delegations from there down to the zone of the name, top
/// down. A resolver gathers it; the evaluator only judges it.
public struct ChainEvidence: Hashable, Sendable {
    public var anchorKeys: SignedRRSet?
    /// When `anchorKeys` is nil because no server gave an answer: why (the failed exchanges).
    public var anchorKeysUnavailable: [ValidationReason]
    public var delegations: [Delegation]

    public init(anchorKeys: SignedRRSet?, anchorKeysUnavailable: [ValidationReason] = [], delegations: [Delegation] = []) {
        self.anchorKeys = anchorKeys
        self.anchorKeysUnavailable = anchorKeysUnavailable
        self.delegations = delegations
    }
}
