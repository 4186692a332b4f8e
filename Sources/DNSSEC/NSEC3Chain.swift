import DNSCore

/// Thrown inside NSEC3 proofs when `ValidationWork` has no NSEC3 hash left.
struct NSEC3BudgetExhausted: Error {
    var name: DomainName
}

/// The usable NSEC3 records of one response for one zone, and the hashes computed so far
/// (each name is hashed at most once per proof, and each hash is paid for from the budget).
struct NSEC3Chain {
    /// One NSEC3: the interval of hashes from `ownerHash` to `nextHash`, and the types at the
    /// original owner.
    struct Link {
        let owner: DomainName
        let ownerHash: [UInt8]
        let nextHash: [UInt8]
        let flags: UInt8
        let types: TypeBitmap

        var isOptOut: Bool { flags & NSEC3.optOutFlag != 0 }
        /// NS without SOA: the parent's NSEC3 at a zone cut.
        var isDelegation: Bool { types.contains(.ns) && !types.contains(.soa) }

        /// Strict hash order, octet by octet (RFC 5155 §1.3 "covers", §8.3): `owner < hash <
        /// next`; for the last NSEC3 of the chain (`next <= owner`, RFC 5155 §3.1.7: its next
        /// hash is the first one) `hash > owner` or `hash < next`, which for a chain of one
        /// record covers every hash but its own. A hash equal to the owner is matched, never
        /// covered (hickory-dns PR #3349 accepted matching records as covering, PR #2543 got an
        /// edge of the range wrong).
        func covers(_ hash: [UInt8]) -> Bool {
            if ownerHash.lexicographicallyPrecedes(nextHash) {
                return ownerHash.lexicographicallyPrecedes(hash) && hash.lexicographicallyPrecedes(nextHash)
            }
            return ownerHash.lexicographicallyPrecedes(hash) || hash.lexicographicallyPrecedes(nextHash)
        }
    }

    /// What the closest encloser proof found.
    enum EncloserProof {
        /// `closestEncloser` is matched and `nextCloser`, one label longer, is covered by
        /// `nextCloserLink`.
        case proved(closestEncloser: DomainName, nextCloser: DomainName, nextCloserLink: Link)
        /// An NSEC3 matches the name itself: it exists.
        case exists(Link)
        case failed(ValidationReason)
    }

    let zone: DomainName
    let salt: [UInt8]
    let iterations: UInt16
    private(set) var links: [Link]
    private var hashes: [DomainName: [UInt8]] = [:]

    private init(zone: DomainName, salt: [UInt8], iterations: UInt16, links: [Link]) {
        self.zone = zone
        self.salt = salt
        self.iterations = iterations
        self.links = links
    }

    enum Preparation {
        case ready(NSEC3Chain, notes: [ValidationReason])
        case finished(DenialProof)
    }

    /// Keeps the records that can take part in a proof for `zone`, then checks the parameters:
    /// - RFC 5155 §8.1: NSEC3 RRs with an unknown hash algorithm are ignored. If nothing else
    ///   remains the answer is insecure, not bogus: as with an unknown DNSKEY algorithm (RFC
    ///   4035 §5.2) the zone uses something we cannot check, and the records were signed, so it
    ///   is not an attacker's doing (BIND does the same; RFC 5155 §8.1 itself expects "bogus",
    ///   and Unbound says bogus).
    /// - RFC 5155 §8.2: NSEC3 RRs with flags other than 0 or 1 are ignored.
    /// - RFC 5155 §3: the owner is one base32hex label, of a hash of the algorithm's length,
    ///   directly below the zone apex, and the next hashed owner has that length too; an NSEC3
    ///   owner is never a wildcard, so RRSIG Labels must equal the owner's label count.
    /// - RFC 5155 §8.2: the remaining records must agree on salt and iterations (the RFC says
    ///   a validator MAY call a mix bogus; we do, as a proof needs one hash function).
    /// - RFC 9276 §3.2: above `iterationLimit` iterations the answer is insecure with EDE 27
    ///   (Unsupported NSEC3 Iterations Value) and no hash is computed. RFC 9276 §3.2 requires
    ///   that the NSEC3 signatures verify first, so that the iteration count is the zone's and
    ///   not an attacker's: that is the caller's part, as every record here must be verified.
    static func prepare(zone: DomainName, records: [NSEC3Record], iterationLimit: UInt16) -> Preparation {
        var notes: [ValidationReason] = []
        var links: [Link] = []
        var parameters: (salt: [UInt8], iterations: UInt16)?
        var unknownAlgorithm = false
        var mixed = false
        for record in records {
            let nsec3 = record.nsec3
            guard nsec3.hashAlgorithm == .sha1 else {
                unknownAlgorithm = true
                notes.append(.ignored(.unsupportedAlgorithm, "RFC 5155 §8.1",
                                      "NSEC3 at \(record.owner) ignored: unknown hash algorithm \(nsec3.hashAlgorithm.rawValue)"))
                continue
            }
            guard nsec3.flags & ~NSEC3.optOutFlag == 0 else {
                notes.append(.ignored(.malformed, "RFC 5155 §8.2", "NSEC3 at \(record.owner) ignored: flags \(nsec3.flags) are not 0 or 1"))
                continue
            }
            guard record.owner.parent == zone, let label = record.owner.labels.first,
                  let ownerHash = Base32Hex.decode(label), ownerHash.count == NSEC3Hash.sha1Length,
                  nsec3.nextHashedOwnerName.count == NSEC3Hash.sha1Length else {
                notes.append(.ignored(.malformed, "RFC 5155 §3",
                                      "NSEC3 at \(record.owner) ignored: not a \(NSEC3Hash.sha1Length)-octet hashed owner directly below \(zone)"))
                continue
            }
            guard Int(record.signatureLabels) == record.owner.labelCount else {
                notes.append(.ignored(.labelsMismatch, "RFC 4035 §5.3.1",
                                      "NSEC3 at \(record.owner) ignored: RRSIG Labels \(record.signatureLabels) is not its label count"))
                continue
            }
            if let parameters, parameters.salt != nsec3.salt || parameters.iterations != nsec3.iterations {
                mixed = true
            }
            if parameters == nil { parameters = (nsec3.salt, nsec3.iterations) }
            links.append(Link(owner: record.owner, ownerHash: ownerHash, nextHash: nsec3.nextHashedOwnerName,
                              flags: nsec3.flags, types: nsec3.types))
        }
        guard let parameters else {
            if unknownAlgorithm {
                return .finished(DenialProof(
                    kind: nil, status: .insecure,
                    reasons: notes + [ValidationReason(.unsupportedAlgorithm, rule: "RFC 5155 §8.1",
                                                       "every NSEC3 uses a hash algorithm we do not know: nothing can be checked")],
                    closestEncloser: nil
                ))
            }
            return .finished(DenialProof.bogus(.denialMissing("RFC 5155 §8", "no usable NSEC3 record for zone \(zone)")).prefixed(by: notes))
        }
        if mixed {
            return .finished(DenialProof.bogus(.denialInvalid("RFC 5155 §8.2", "the NSEC3 records of \(zone) differ in salt or iterations"))
                .prefixed(by: notes))
        }
        if parameters.iterations > iterationLimit {
            return .finished(DenialProof(
                kind: nil, status: .insecure,
                reasons: notes + [ValidationReason(
                    .nsec3IterationsTooHigh, rule: "RFC 9276 §3.2",
                    "NSEC3 of \(zone) use \(parameters.iterations) iterations, over our limit of \(iterationLimit)",
                    ede: .unsupportedNSEC3IterationsValue
                )],
                closestEncloser: nil
            ))
        }
        return .ready(NSEC3Chain(zone: zone, salt: parameters.salt, iterations: parameters.iterations, links: links), notes: notes)
    }

    /// The hash of `name` with the chain's parameters, computed once and paid for with one
    /// `ValidationWork.spendNSEC3Hash()`; throws when the budget is spent (CVE-2023-50868).
    mutating func hash(_ name: DomainName, work: inout ValidationWork) throws(NSEC3BudgetExhausted) -> [UInt8] {
        if let known = hashes[name] { return known }
        guard work.spendNSEC3Hash() else { throw NSEC3BudgetExhausted(name: name) }
        let value = NSEC3Hash.hash(name: name, salt: salt, iterations: iterations)
        hashes[name] = value
        return value
    }

    /// The NSEC3 whose owner is the hash of `name` ("matches", RFC 5155 §1.3).
    mutating func matching(_ name: DomainName, work: inout ValidationWork) throws(NSEC3BudgetExhausted) -> Link? {
        let value = try hash(name, work: &work)
        return links.first { $0.ownerHash == value }
    }

    /// An NSEC3 whose interval covers the hash of `name` (see `Link.covers`).
    mutating func covering(_ name: DomainName, work: inout ValidationWork) throws(NSEC3BudgetExhausted) -> Link? {
        let value = try hash(name, work: &work)
        return links.first { $0.covers(value) }
    }

    /// The closest encloser proof (RFC 5155 §8.3): the longest ancestor X of `name` that an
    /// NSEC3 matches, such that the name one label longer than X (the "next closer" name) is
    /// covered by an NSEC3. The walk is the RFC's: from `name` upward, one hash per label; at
    /// the first (longest) matched name, the proof holds if the name one label longer was
    /// covered, and is bogus if not (a match without the flag set). A match at `name` itself
    /// means the name exists.
    ///
    /// Then, as RFC 5155 §8.3 requires, the NSEC3 matching the closest encloser must be from the
    /// proper zone: the DNAME bit must be clear, and the NS bit may be set only with the SOA
    /// bit (RFC 6840 §4.1: a zone-cut NSEC3 must not deny names below the cut). Otherwise the
    /// answer should have been a DNAME or a referral.
    ///
    /// Each name costs one hash of `iterations + 1` SHA-1 runs, from `work`'s NSEC3 budget
    /// (CVE-2023-50868). Walking up from a 120-label QNAME would hash up to 120 names before
    /// reaching a closest encloser near the apex, so the walk first goes *down* from the apex
    /// to the first ancestor that an NSEC3 covers and none matches: that name does not exist,
    /// and in a zone whose NSEC3 chain is whole (RFC 5155 §7.1: every name, empty
    /// non-terminals too, has its NSEC3) nothing below it exists either, so the RFC's upward
    /// walk starts there and reaches the same closest encloser. (The apex itself exists and
    /// is skipped.) An NXDOMAIN then costs a hash per label from below the apex down to the
    /// next closer name, whatever the QNAME's length: as many as the upward walk when the
    /// closest encloser is near the apex, as most are. A response whose records cover no ancestor (records replayed from
    /// elsewhere in the zone) still hashes every label, and runs out of the budget: bogus.
    mutating func closestEncloserProof(for name: DomainName, work: inout ValidationWork) throws(NSEC3BudgetExhausted) -> EncloserProof {
        let rule = "RFC 5155 §8.3"
        var start = name
        if zone.labelCount + 1 < name.labelCount {
            for count in (zone.labelCount + 1)..<name.labelCount {
                let ancestor = name.suffix(labelCount: count)
                if try matching(ancestor, work: &work) == nil, try covering(ancestor, work: &work) != nil {
                    start = ancestor
                    break
                }
            }
        }
        var candidate = start
        var covered: (name: DomainName, link: Link)?
        while candidate.isSubdomain(of: zone) {
            if let match = try matching(candidate, work: &work) {
                if candidate == name { return .exists(match) }
                guard let covered else {
                    return .failed(.denialMissing(rule, "an NSEC3 matches \(candidate), but none covers the next closer name below it"))
                }
                if match.types.contains(.dname) {
                    return .failed(.denialInvalid(rule, "the closest encloser \(candidate) has a DNAME: the answer should have been the DNAME"))
                }
                if match.isDelegation {
                    return .failed(.denialInvalid(rule, "the closest encloser \(candidate) is a zone cut (NS without SOA): the answer should have been a referral"))
                }
                return .proved(closestEncloser: candidate, nextCloser: covered.name, nextCloserLink: covered.link)
            }
            covered = try covering(candidate, work: &work).map { (candidate, $0) }
            guard let parent = candidate.parent else { break }
            candidate = parent
        }
        return .failed(.denialMissing(rule, "no NSEC3 matches \(name) or any of its ancestors in \(zone)"))
    }
}
