import DNSCore

/// Judges a chain of trust (RFC 4035 §5, RFC 4033 §5): from the closest trust anchor, through
/// DS and DNSKEY RRsets, down to the keys of the zone that holds the data. Pure: the evidence,
/// the time and the limits are all given.
public struct ChainEvaluator: Sendable {
    public var anchors: TrustAnchorSet
    public var policy: AlgorithmPolicy
    public var verifier: RRSetVerifier

    public init(anchors: TrustAnchorSet = .ianaRoot, now: Int64, policy: AlgorithmPolicy = .default,
                window: ValidityWindowCheck = ValidityWindowCheck()) {
        self.anchors = anchors
        self.policy = policy
        self.verifier = RRSetVerifier(now: now, window: window)
    }

    /// The keys of the deepest zone in `evidence`, with the status of the chain that leads
    /// to them:
    /// - no trust anchor at or above `name` → insecure (RFC 4035 §4.3; RFC 7672 §2.1 reads
    ///   "no anchor" as insecure);
    /// - secure when every link verifies; the keys are then usable for the zone's data;
    /// - insecure, with no keys, at the first delegation proved unsigned (no DS, by a
    ///   signed denial) or whose DS RRset names only algorithms or digests we cannot use
    ///   (RFC 4035 §5.2, RFC 6840 §5.2);
    /// - bogus at the first link that fails, indeterminate when a needed RRset is absent.
    public func evaluate(_ evidence: ChainEvidence, for name: DomainName, work: inout ValidationWork) -> Validated<ZoneKeySet?> {
        guard let (anchorOwner, trusted) = anchors.closestAnchor(for: name) else {
            return Validated(nil, status: .insecure, reasons: [ValidationReason(
                .noTrustAnchor, rule: "RFC 4035 §4.3", "no trust anchor at or above \(name)")])
        }
        var reasons: [ValidationReason] = []
        guard let anchorKeys = evidence.anchorKeys, anchorKeys.rrset.owner == anchorOwner, anchorKeys.rrset.type == .dnskey else {
            return Validated(nil, status: .indeterminate, reasons: Self.keysMissing(
                "the DNSKEY RRset of the anchored zone \(anchorOwner)", rule: "RFC 4035 §5.1", why: evidence.anchorKeysUnavailable))
        }
        let top = keySet(anchorKeys, zone: anchorOwner, trustedBy: trusted.map(TrustPoint.init), what: "trust anchor", work: &work)
        reasons += top.reasons
        guard top.status == .secure, var keys = top.value else { return Validated(nil, status: top.status, reasons: reasons) }

        for delegation in evidence.delegations {
            let step = descend(from: keys, through: delegation, work: &work)
            reasons += step.reasons
            guard step.status == .secure, let nextKeys = step.value else { return Validated(nil, status: step.status, reasons: reasons) }
            keys = nextKeys
        }
        return Validated(keys, status: .secure, reasons: reasons)
    }

    /// A DNSKEY RRset the chain needs and does not have: missing when the servers answered
    /// without it, "could not be had" after the failed exchanges in `why` (a timeout is not
    /// a zone without keys, and the report should say which it was).
    static func keysMissing(_ what: String, rule: String, why: [ValidationReason]) -> [ValidationReason] {
        guard !why.isEmpty else { return [ValidationReason(.keyMissing, rule: rule, "\(what) is missing", ede: .dnskeyMissing)] }
        return why + [ValidationReason(.keyMissing, rule: rule, "\(what) could not be had from any server", ede: .dnskeyMissing)]
    }

    /// One link of the chain (RFC 4035 §5.2): from the secure keys of a zone, through what it
    /// says about a child (`delegation`), to the child's keys. The reasons are this link's
    /// only, so a resolver can extend a parent's validated result instead of judging the
    /// whole chain again for every zone below it:
    /// - no DS: the parent's signed proof that there is none makes the child insecure, no
    ///   proof is bogus (`provesNoDS`);
    /// - a DS that does not verify with the parent's keys is bogus; a missing child DNSKEY
    ///   RRset indeterminate; then the DNSKEY RRset must match the DS and be self-signed.
    public func descend(from keys: ZoneKeySet, through delegation: Delegation, work: inout ValidationWork) -> Validated<ZoneKeySet?> {
        guard delegation.child.isSubdomain(of: keys.zone), delegation.child != keys.zone else {
            return Validated(nil, status: .bogus, reasons: [ValidationReason(
                .malformed, rule: "RFC 4035 §5.2", "delegation to \(delegation.child) is not below \(keys.zone)")])
        }
        guard let ds = delegation.ds else {
            let proof = provesNoDS(delegation, parentKeys: keys, work: &work)
            return Validated(nil, status: proof.status, reasons: proof.reasons)
        }
        var reasons: [ValidationReason] = []
        let dsCheck = verifier.verify(ds.rrset, signatures: ds.signatures, keys: keys, work: &work)
        reasons += dsCheck.reasons
        guard dsCheck.status == .secure else { return Validated(nil, status: .bogus, reasons: reasons) }
        guard let childKeys = delegation.dnskeys, childKeys.rrset.owner == delegation.child, childKeys.rrset.type == .dnskey else {
            return Validated(nil, status: .indeterminate, reasons: reasons + Self.keysMissing(
                "the DNSKEY RRset of \(delegation.child)", rule: "RFC 4035 §5.2", why: delegation.dnskeysUnavailable))
        }
        let points = ds.rrset.rdatas.compactMap { $0.as(DS.self) }.map { TrustPoint(owner: delegation.child, ds: $0) }
        let next = keySet(childKeys, zone: delegation.child, trustedBy: points, what: "DS", work: &work)
        reasons += next.reasons
        return Validated(next.status == .secure ? next.value : nil, status: next.status, reasons: reasons)
    }

    /// Validates `name`'s RRset with the keys `evaluate` found.
    public func validate(_ signed: SignedRRSet, chain: Validated<ZoneKeySet?>, work: inout ValidationWork) -> Validated<RRSet> {
        guard chain.status == .secure, let keys = chain.value else {
            return Validated(signed.rrset, status: chain.status, reasons: chain.reasons)
        }
        let result = verifier.verify(signed.rrset, signatures: signed.signatures, keys: keys, work: &work)
        return Validated(signed.rrset, status: result.status, reasons: chain.reasons + result.reasons)
    }

    /// A DS record or anchor that vouches for a key of a zone.
    struct TrustPoint {
        var owner: DomainName
        var ds: DS?
        var dnskey: DNSKEY?

        init(owner: DomainName, ds: DS) {
            self.owner = owner
            self.ds = ds
        }

        init(_ anchor: TrustAnchor) {
            owner = anchor.owner
            switch anchor.kind {
            case .ds(let ds): self.ds = ds
            case .dnskey(let key): dnskey = key
            }
        }

        var algorithm: DNSSECAlgorithm { ds?.algorithm ?? dnskey?.algorithm ?? DNSSECAlgorithm(0) }
        var keyTag: UInt16 { ds?.keyTag ?? dnskey?.keyTag ?? 0 }

        func matches(_ key: DNSKEY) -> Bool {
            if let dnskey { return dnskey == key }
            guard let ds else { return false }
            return DSDigest.matches(ds, key, owner: owner) == true
        }
    }

    /// RFC 4035 §5.2: a DNSKEY RRset is trusted when a key in it matches a trusted DS (or
    /// anchor) and that key's RRSIG over the whole DNSKEY RRset verifies.
    /// - Trust points whose algorithm or digest type we cannot use are ignored; when none is
    ///   left the zone is insecure (RFC 4035 §5.2, RFC 6840 §5.2; EDE 1 or 2).
    /// - With a usable SHA-256 or SHA-384 DS present, SHA-1 DS records are ignored (RFC 4509
    ///   §3) so a forged SHA-1 DS cannot stand in for a stronger one.
    /// - Any one matching, verifying key is enough (RFC 6840 §5.11).
    func keySet(_ signed: SignedRRSet, zone: DomainName, trustedBy points: [TrustPoint], what: String,
                work: inout ValidationWork) -> Validated<ZoneKeySet?> {
        var reasons: [ValidationReason] = []
        var usable = points.filter { point in
            guard policy.canVerify(point.algorithm) else {
                reasons.append(ValidationReason(.unsupportedAlgorithm, rule: "RFC 4035 §5.2",
                                                "\(what) \(point.keyTag) for \(zone) uses algorithm \(point.algorithm.rawValue) (\(point.algorithm)), not supported", ede: .unsupportedDNSKEYAlgorithm))
                return false
            }
            if let ds = point.ds, !policy.canDigest(ds.digestType) {
                reasons.append(ValidationReason(.unsupportedDigest, rule: "RFC 4035 §5.2",
                                                "\(what) \(point.keyTag) for \(zone) uses digest type \(ds.digestType.rawValue), not supported", ede: .unsupportedDSDigestType))
                return false
            }
            return true
        }
        if usable.contains(where: { ($0.ds?.digestType ?? .sha1) != .sha1 }) {
            usable.removeAll { $0.ds?.digestType == .sha1 }
        }
        guard !usable.isEmpty else {
            let ede = reasons.last?.extendedError
            reasons.append(ValidationReason(points.isEmpty ? .malformed : .insecureDelegation, rule: "RFC 6840 §5.2",
                                            "no usable \(what) for \(zone): treated as unsigned", ede: ede))
            return Validated(nil, status: points.isEmpty ? .bogus : .insecure, reasons: reasons)
        }
        let keys = signed.rrset.rdatas.compactMap { $0.as(DNSKEY.self) }
        var matched: [DNSKEY] = []
        var capped = false
        // Keys with the SEP flag first: a DS or anchor normally names a key-signing key (RFC
        // 4034 §2.1.1), so the cap below reaches it before any colliding zone-signing keys.
        let ordered = keys.filter(\.isSecureEntryPoint) + keys.filter { !$0.isSecureEntryPoint }
        for point in usable {
            // KeyTrap (CVE-2023-50387) at the DS: hundreds of DS records and DNSKEYs sharing
            // one key tag would cost a digest for every pair; at most `maxKeysPerKeyTag` keys
            // are digested per DS (hickory's MAX_KEY_TAG_COLLISIONS).
            var compared = 0
            for key in ordered where key.keyTag == point.keyTag && key.algorithm == point.algorithm && !matched.contains(key) {
                guard compared < work.budget.maxKeysPerKeyTag else {
                    capped = true
                    break
                }
                compared += 1
                if point.matches(key) { matched.append(key) }
            }
        }
        if capped {
            reasons.append(ValidationReason(.budgetExhausted, rule: "CVE-2023-50387 limit",
                                            "more than \(work.budget.maxKeysPerKeyTag) DNSKEYs of \(zone) share a key tag with a \(what): the rest not compared"))
        }
        guard !matched.isEmpty else {
            reasons.append(ValidationReason(.dsMismatch, rule: "RFC 4035 §5.2",
                                            "no DNSKEY of \(zone) matches the \(what) (key tags \(usable.map { String($0.keyTag) }.joined(separator: ", ")))", ede: .dnskeyMissing))
            return Validated(nil, status: .bogus, reasons: reasons)
        }
        reasons.append(ValidationReason(what == "DS" ? .dsMatchedKey : .trustAnchorMatched, rule: "RFC 4035 §5.2",
                                        "\(what) matches DNSKEY \(matched.map { String($0.keyTag) }.joined(separator: ", ")) of \(zone)"))
        let result = verifier.verify(signed.rrset, signatures: signed.signatures, keys: ZoneKeySet(zone: zone, keys: matched, policy: policy), work: &work)
        reasons += result.reasons
        guard result.status == .secure else { return Validated(nil, status: .bogus, reasons: reasons) }
        reasons.append(ValidationReason(.keySetSigned, rule: "RFC 4035 §5.2", "DNSKEY RRset of \(zone) is secure"))
        return Validated(ZoneKeySet(zone: zone, keys: keys, policy: policy), status: .secure, reasons: reasons)
    }
}
