import DNSCore

/// Hashed authenticated denial of existence with NSEC3 (RFC 5155 §8, RFC 6840 §4, RFC 9276).
///
/// Every function takes the NSEC3 records of one response that the caller has already verified
/// as signed by `zone` (the RRSIG signer name, i.e. the zone apex), each with the Labels field
/// of its RRSIG, and says what they prove. Records that cannot take part are left out with a
/// note, and the iteration limit is applied before any hashing (see `NSEC3Chain.prepare`).
/// Every hash is paid for from `work` (`ValidationWork.spendNSEC3Hash()`); when the budget runs
/// out the proof is bogus with `budgetExhausted` and EDE 6. Pure: no I/O, no clock.
public enum NSEC3Denial {
    /// The most NSEC3 iterations we hash; above it a denial is insecure with EDE 27 (RFC 9276
    /// §3.2 lets validators answer insecure, or SERVFAIL, for any count above 0, and asks for
    /// EDE 27 either way).
    ///
    /// 150 is Unbound's default (`val-nsec3-keysize-iterations`, since 1.13.2 of 2021). BIND
    /// lowered its limit from 150 to 50 in 9.19.19 and Knot Resolver to about 50 (a cost of
    /// iterations and salt length) in 5.7.1 / 6.0.6, both with the CVE-2023-50868 fixes of
    /// 2023-2024; hickory-dns and NLnet Labs' `domain` answer insecure above 100 and bogus above
    /// 500. We keep 150 so that zones Unbound still validates validate here, and have no
    /// separate bogus limit: above the limit no hash is computed at all, so a high count costs
    /// nothing, and below it the per-answer hash budget (`ValidationBudget.maxNSEC3Hashes`)
    /// caps the work. Pass `iterationLimit: 50` to behave like BIND.
    ///
    /// The insecure verdict is only sound for records whose RRSIGs verified (RFC 9276 §3.2,
    /// RFC 5155 §10.3): otherwise an attacker could raise the count to downgrade a signed
    /// zone. Verifying them first is the caller's part.
    public static let nsec3IterationLimit: UInt16 = 150

    /// The proof for a negative answer: NXDOMAIN needs `nameError`; NOERROR with an empty
    /// answer needs `noData` when an NSEC3 matches QNAME, else `wildcardNoData`, else the
    /// Opt-Out case of `noData` (RFC 5155 §8.5 as corrected by erratum 3441, §8.6). Any other
    /// RCODE is no denial. The hashes are shared between the attempts.
    public static func prove(qname: DomainName, qtype: RRType, rcode: RCode, zone: DomainName, records: [NSEC3Record],
                             work: inout ValidationWork, iterationLimit: UInt16 = nsec3IterationLimit) -> DenialProof {
        run(zone: zone, subject: qname, records: records, iterationLimit: iterationLimit, work: &work) { chain, work throws(NSEC3BudgetExhausted) in
            switch rcode {
            case .nxDomain:
                return try nameError(qname: qname, chain: &chain, work: &work)
            case .noError:
                if try chain.matching(qname, work: &work) != nil {
                    return try noData(qname: qname, qtype: qtype, chain: &chain, work: &work)
                }
                let wildcard = try wildcardNoData(qname: qname, qtype: qtype, chain: &chain, work: &work)
                if wildcard.kind != nil { return wildcard }
                let optOut = try noData(qname: qname, qtype: qtype, chain: &chain, work: &work)
                if optOut.kind != nil { return optOut }
                return optOut.prefixed(by: wildcard.reasons)
            default:
                return .bogus(.denialInvalid("RFC 5155 §8", "RCODE \(rcode) is neither NXDOMAIN nor NOERROR: no denial applies"))
            }
        }
    }

    /// Name error (RFC 5155 §8.4): a closest encloser proof for QNAME (§8.3: a matched closest
    /// encloser, a covered next closer name) and an NSEC3 covering the wildcard `*.` + the
    /// closest encloser. A matching NSEC3 for QNAME or for that wildcard means it exists:
    /// bogus. When the NSEC3 covering the next closer name has Opt-Out set the name may be an
    /// unsigned delegation, so the proof is only insecure (RFC 5155 §9.2).
    public static func nameError(qname: DomainName, zone: DomainName, records: [NSEC3Record],
                                 work: inout ValidationWork, iterationLimit: UInt16 = nsec3IterationLimit) -> DenialProof {
        run(zone: zone, subject: qname, records: records, iterationLimit: iterationLimit, work: &work) { chain, work throws(NSEC3BudgetExhausted) in
            try nameError(qname: qname, chain: &chain, work: &work)
        }
    }

    static func nameError(qname: DomainName, chain: inout NSEC3Chain, work: inout ValidationWork) throws(NSEC3BudgetExhausted) -> DenialProof {
        let rule = "RFC 5155 §8.4"
        switch try chain.closestEncloserProof(for: qname, work: &work) {
        case .failed(let reason):
            return .bogus(reason)
        case .exists:
            return .bogus(.denialInvalid(rule, "an NSEC3 matches \(qname): the name exists"))
        case let .proved(encloser, nextCloser, nextCloserLink):
            if let wildcard = encloser.wildcardChild {
                if try chain.matching(wildcard, work: &work) != nil {
                    return .bogus(.denialInvalid(rule, "an NSEC3 matches the wildcard \(wildcard): it should have answered for \(qname)"))
                }
                guard try chain.covering(wildcard, work: &work) != nil else {
                    return .bogus(.denialMissing(rule, "no NSEC3 covers the wildcard \(wildcard) at the closest encloser"))
                }
            }
            let proof = DenialProof.proved(.nameError, closestEncloser: encloser, rule: rule,
                                           "\(qname) does not exist (closest encloser \(encloser), next closer \(nextCloser)), nor the wildcard")
            return nextCloserLink.isOptOut ? proof.optedOut(nextCloser: nextCloser) : proof
        }
    }

    /// No data (RFC 5155 §8.5, QTYPE not DS; §8.6, QTYPE DS): the NSEC3 matching QNAME has
    /// neither the QTYPE nor the CNAME bit (RFC 6840 §4.3). An empty non-terminal has an NSEC3
    /// with an empty bitmap, so it needs nothing more (RFC 5155 App. B.2.1).
    /// - QTYPE not DS: a matching zone-cut NSEC3 (NS set, SOA clear) is the parent's and must
    ///   not deny the child's data (RFC 6840 §4.1): bogus. With no matching NSEC3, RFC 5155
    ///   erratum 3441 (verified) allows an empty non-terminal above an unsigned delegation in
    ///   an Opt-Out span: a closest provable encloser proof whose next closer NSEC3 has Opt-Out
    ///   set, which is `noData`, insecure.
    /// - QTYPE DS: a matching NSEC3 with SOA set is the child's apex, and the DS RRset is the
    ///   parent's (RFC 5155 App. B.6): bogus, except at the root; with NS set it is the
    ///   parent's zone cut and proves `noDS`. With no matching NSEC3 (§8.6), a closest provable
    ///   encloser proof whose next closer NSEC3 has Opt-Out set proves `optOutNoDS`, insecure.
    public static func noData(qname: DomainName, qtype: RRType, zone: DomainName, records: [NSEC3Record],
                              work: inout ValidationWork, iterationLimit: UInt16 = nsec3IterationLimit) -> DenialProof {
        run(zone: zone, subject: qname, records: records, iterationLimit: iterationLimit, work: &work) { chain, work throws(NSEC3BudgetExhausted) in
            try noData(qname: qname, qtype: qtype, chain: &chain, work: &work)
        }
    }

    static func noData(qname: DomainName, qtype: RRType, chain: inout NSEC3Chain, work: inout ValidationWork) throws(NSEC3BudgetExhausted) -> DenialProof {
        let rule = qtype == .ds ? "RFC 5155 §8.6" : "RFC 5155 §8.5"
        if let match = try chain.matching(qname, work: &work) {
            if match.types.contains(qtype) {
                return .bogus(.denialInvalid(rule, "the NSEC3 matching \(qname) has the \(qtype) bit: the data exists"))
            }
            if match.types.contains(.cname) {
                return .bogus(.denialInvalid("RFC 6840 §4.3", "the NSEC3 matching \(qname) has the CNAME bit: the answer should have been the CNAME"))
            }
            if qtype == .ds {
                if match.types.contains(.soa) && !qname.isRoot {
                    return .bogus(.denialInvalid(rule, "the NSEC3 matching \(qname) has SOA set: it is the child's apex, and the DS RRset is the parent's"))
                }
                if match.isDelegation {
                    return .proved(.noDS, closestEncloser: qname, rule: rule,
                                   "the NSEC3 at the delegation \(qname) has NS set and DS clear: the child zone is unsigned")
                }
            } else if match.isDelegation {
                return .bogus(.denialInvalid("RFC 6840 §4.1", "the NSEC3 matching \(qname) is the parent's at a zone cut: it denies only DS"))
            }
            return .proved(.noData, closestEncloser: qname, rule: rule, "\(qname) exists without \(qtype) or CNAME")
        }
        switch try chain.closestEncloserProof(for: qname, work: &work) {
        case .failed(let reason):
            return .bogus(reason).prefixed(by: [.denialMissing(rule, "no NSEC3 matches \(qname)")])
        case .exists:
            return .bogus(.denialInvalid(rule, "an NSEC3 matches \(qname), yet was not found"))
        case let .proved(encloser, nextCloser, nextCloserLink):
            guard nextCloserLink.isOptOut else {
                return .bogus(.denialInvalid(rule, "no NSEC3 matches \(qname), and the next closer name \(nextCloser) is covered without Opt-Out: \(qname) does not exist"))
            }
            let kind: DenialProof.Kind = qtype == .ds ? .optOutNoDS : .noData
            return DenialProof(
                kind: kind, status: .insecure,
                reasons: [ValidationReason(.optOutDelegation, rule: qtype == .ds ? "RFC 5155 §8.6" : "RFC 5155 §8.5 (erratum 3441)",
                                           "\(qname) lies in an Opt-Out span after \(encloser): it may be, or be under, an unsigned delegation")],
                closestEncloser: encloser
            )
        }
    }

    /// Wildcard no data (RFC 5155 §8.7): a closest encloser proof for QNAME, and an NSEC3
    /// matching the wildcard `*.` + the closest encloser with neither the QTYPE nor the CNAME
    /// bit (RFC 6840 §4.3). Insecure when the next closer NSEC3 has Opt-Out set (RFC 5155
    /// §9.2).
    public static func wildcardNoData(qname: DomainName, qtype: RRType, zone: DomainName, records: [NSEC3Record],
                                      work: inout ValidationWork, iterationLimit: UInt16 = nsec3IterationLimit) -> DenialProof {
        run(zone: zone, subject: qname, records: records, iterationLimit: iterationLimit, work: &work) { chain, work throws(NSEC3BudgetExhausted) in
            try wildcardNoData(qname: qname, qtype: qtype, chain: &chain, work: &work)
        }
    }

    static func wildcardNoData(qname: DomainName, qtype: RRType, chain: inout NSEC3Chain, work: inout ValidationWork) throws(NSEC3BudgetExhausted) -> DenialProof {
        let rule = "RFC 5155 §8.7"
        switch try chain.closestEncloserProof(for: qname, work: &work) {
        case .failed(let reason):
            return .bogus(reason)
        case .exists:
            return .bogus(.denialInvalid(rule, "an NSEC3 matches \(qname): the name exists, no wildcard applies"))
        case let .proved(encloser, nextCloser, nextCloserLink):
            guard let wildcard = encloser.wildcardChild, let match = try chain.matching(wildcard, work: &work) else {
                return .bogus(.denialMissing(rule, "no NSEC3 matches the wildcard at the closest encloser \(encloser)"))
            }
            if match.types.contains(qtype) {
                return .bogus(.denialInvalid(rule, "the NSEC3 matching \(wildcard) has the \(qtype) bit: the wildcard should have answered"))
            }
            if match.types.contains(.cname) {
                return .bogus(.denialInvalid("RFC 6840 §4.3", "the NSEC3 matching \(wildcard) has the CNAME bit: the answer should have been the CNAME"))
            }
            if match.isDelegation {
                return .bogus(.denialInvalid("RFC 6840 §4.1", "the NSEC3 matching \(wildcard) is a zone cut"))
            }
            let proof = DenialProof.proved(.wildcardNoData, closestEncloser: encloser, rule: rule,
                                           "\(qname) does not exist and the wildcard \(wildcard) has no \(qtype) or CNAME")
            return nextCloserLink.isOptOut ? proof.optedOut(nextCloser: nextCloser) : proof
        }
    }

    /// Wildcard answer (RFC 5155 §8.8): the RRSIG Labels field `labels` of the expanded answer
    /// gives the closest encloser, QNAME's last `labels` labels (the wildcard's parent); an
    /// NSEC3 must cover the next closer name, one label longer. "This proves that QNAME itself
    /// did not exist and that the correct wildcard was used." A matching NSEC3 for the next
    /// closer name means it exists: bogus. `labels` not below QNAME's label count is not an
    /// expansion, and below the zone's label count claims a wildcard above the zone: bogus.
    /// Insecure when the covering NSEC3 has Opt-Out set (RFC 5155 §9.2).
    public static func wildcardAnswer(qname: DomainName, labels: UInt8, zone: DomainName, records: [NSEC3Record],
                                      work: inout ValidationWork, iterationLimit: UInt16 = nsec3IterationLimit) -> DenialProof {
        run(zone: zone, subject: qname, records: records, iterationLimit: iterationLimit, work: &work) { chain, work throws(NSEC3BudgetExhausted) in
            let rule = "RFC 5155 §8.8"
            guard let encloser = NSECDenial.wildcardEncloser(qname: qname, labels: labels, zone: zone) else {
                return .bogus(ValidationReason(.labelsMismatch, rule: "RFC 4035 §5.3.1",
                                               "RRSIG Labels \(labels) is no wildcard expansion of \(qname) in zone \(zone)", ede: .dnssecBogus))
            }
            let nextCloser = qname.suffix(labelCount: Int(labels) + 1)
            if try chain.matching(nextCloser, work: &work) != nil {
                return .bogus(.denialInvalid(rule, "an NSEC3 matches the next closer name \(nextCloser): a closer match exists"))
            }
            guard let cover = try chain.covering(nextCloser, work: &work) else {
                return .bogus(.denialMissing(rule, "no NSEC3 covers the next closer name \(nextCloser)"))
            }
            let proof = DenialProof.proved(.wildcardAnswer, closestEncloser: encloser, rule: rule,
                                           "the next closer name \(nextCloser) does not exist: the wildcard at \(encloser) applies")
            return cover.isOptOut ? proof.optedOut(nextCloser: nextCloser) : proof
        }
    }

    /// Referral to an unsigned child (RFC 5155 §8.9, RFC 6840 §4.4) for the delegation `name`
    /// (the owner of the referral's NS RRset): the NSEC3 matching `name` must have NS set (there
    /// is a delegation: without this check a forged unsigned delegation could strip the
    /// signatures of an existing signed name), DS clear, and SOA clear (it is the parent's, not
    /// the child apex's): `noDS`, secure. With no matching NSEC3, a closest provable encloser
    /// proof for `name` whose next closer NSEC3 has Opt-Out set shows that the delegation, if it
    /// exists, is unsigned: `optOutNoDS`, insecure (RFC 5155 §6 and App. B.3: "There is no proof
    /// that the unsigned delegation exists"). Without Opt-Out the cover proves the name does not
    /// exist: bogus.
    public static func delegation(name: DomainName, zone: DomainName, records: [NSEC3Record],
                                  work: inout ValidationWork, iterationLimit: UInt16 = nsec3IterationLimit) -> DenialProof {
        run(zone: zone, subject: name, records: records, iterationLimit: iterationLimit, work: &work) { chain, work throws(NSEC3BudgetExhausted) in
            let rule = "RFC 5155 §8.9"
            guard name != zone else {
                return .bogus(.denialInvalid(rule, "\(name) is the zone's own apex, not a delegation from it"))
            }
            if let match = try chain.matching(name, work: &work) {
                if !match.types.contains(.ns) {
                    return .bogus(.denialInvalid("RFC 6840 §4.4", "the NSEC3 matching \(name) has NS clear: there is no delegation"))
                }
                if match.types.contains(.soa) {
                    return .bogus(.denialInvalid(rule, "the NSEC3 matching \(name) has SOA set: it is the child's apex, not the parent's zone cut"))
                }
                if match.types.contains(.ds) {
                    return .bogus(.denialInvalid(rule, "the NSEC3 matching \(name) has DS set: the delegation is signed"))
                }
                return .proved(.noDS, closestEncloser: name, rule: rule, "the delegation \(name) has no DS: the child zone is unsigned")
            }
            switch try chain.closestEncloserProof(for: name, work: &work) {
            case .failed(let reason):
                return .bogus(reason)
            case .exists:
                return .bogus(.denialInvalid(rule, "an NSEC3 matches \(name), yet was not found"))
            case let .proved(encloser, nextCloser, nextCloserLink):
                guard nextCloserLink.isOptOut else {
                    return .bogus(.denialInvalid(rule, "the next closer name \(nextCloser) is covered without Opt-Out: the delegation \(name) does not exist"))
                }
                return DenialProof(
                    kind: .optOutNoDS, status: .insecure,
                    reasons: [ValidationReason(.optOutDelegation, rule: rule,
                                               "\(name) lies in an Opt-Out span after \(encloser): an unsigned delegation there is not proved, nor denied")],
                    closestEncloser: encloser
                )
            }
        }
    }

    /// Common checks and preparation, then `body` over the usable records; budget exhaustion
    /// becomes a bogus proof, and the preparation's notes go first.
    private static func run(
        zone: DomainName, subject: DomainName, records: [NSEC3Record], iterationLimit: UInt16, work: inout ValidationWork,
        _ body: (inout NSEC3Chain, inout ValidationWork) throws(NSEC3BudgetExhausted) -> DenialProof
    ) -> DenialProof {
        guard subject.isSubdomain(of: zone) else {
            return .bogus(.denialInvalid("RFC 5155 §8", "\(subject) is not in zone \(zone): its NSEC3 records cannot deny it"))
        }
        switch NSEC3Chain.prepare(zone: zone, records: records, iterationLimit: iterationLimit) {
        case .finished(let proof):
            return proof
        case .ready(var chain, let notes):
            do {
                return try body(&chain, &work).prefixed(by: notes)
            } catch {
                return DenialProof.bogus(ValidationReason(
                    .budgetExhausted, rule: "CVE-2023-50868",
                    "NSEC3 hash budget of \(work.budget.maxNSEC3Hashes) spent before hashing \(error.name)",
                    ede: .dnssecBogus
                )).prefixed(by: notes)
            }
        }
    }
}
