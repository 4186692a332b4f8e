import DNSCore

/// Checks every authoritative RRset of a signed zone against the zone's own DNSKEY RRset —
/// what `ldns-verify-zone` and `dnssec-verify` do for signatures.
///
/// Which RRsets must be signed (RFC 4035 §2.2): every authoritative RRset at or below the apex.
/// Not signed: the NS RRset at a delegation point and glue below it; at a delegation point
/// only DS and NSEC are authoritative (RFC 4035 §2.2, §2.4).
public struct ZoneSignatureCheck: Sendable {
    public struct Finding: Hashable, Sendable {
        public var owner: DomainName
        public var type: RRType
        public var verification: RRSetVerification
    }

    public var apex: DomainName
    public var policy: AlgorithmPolicy
    public var verifier: RRSetVerifier
    public var budget: ValidationBudget

    public init(apex: DomainName, now: Int64, policy: AlgorithmPolicy = .default, budget: ValidationBudget = .default) {
        self.apex = apex
        self.policy = policy
        self.verifier = RRSetVerifier(now: now)
        self.budget = budget
    }

    /// One finding per authoritative RRset (RRSIG sets excluded), in zone order.
    public func check(_ records: [ResourceRecord]) -> [Finding] {
        let sets = RRSet.group(records.filter { $0.owner.isSubdomain(of: apex) })
        var signatures: [DomainName: [RRSIG]] = [:]
        var cuts = Set<DomainName>()
        var dnskeys: [DNSKEY] = []
        for set in sets {
            switch set.type {
            case .rrsig: signatures[set.owner, default: []] += set.rdatas.compactMap { $0.as(RRSIG.self) }
            case .ns where set.owner != apex: cuts.insert(set.owner)
            case .dnskey where set.owner == apex: dnskeys = set.rdatas.compactMap { $0.as(DNSKEY.self) }
            default: break
            }
        }
        let keys = ZoneKeySet(zone: apex, keys: dnskeys, policy: policy)
        var findings: [Finding] = []
        for set in sets where set.type != .rrsig {
            if isBelowCut(set.owner, cuts) { continue }
            if cuts.contains(set.owner), set.type != .ds, set.type != .nsec { continue }
            var work = ValidationWork(budget: budget)
            let verification = verifier.verify(set, signatures: signatures[set.owner] ?? [], keys: keys, work: &work)
            findings.append(Finding(owner: set.owner, type: set.type, verification: verification))
        }
        return findings
    }

    private func isBelowCut(_ name: DomainName, _ cuts: Set<DomainName>) -> Bool {
        var current = name.parent
        while let ancestor = current, ancestor.isSubdomain(of: apex), ancestor != apex {
            if cuts.contains(ancestor) { return true }
            current = ancestor.parent
        }
        return false
    }
}
