import DNSCore
import DNSSEC
import DNSTransport

extension Resolver {
    struct Step: Sendable {
        enum Outcome: Sendable {
            case failed
            case alias(Answer.Link)
            case final(Answer, SecurityStatus)
        }

        var outcome: Outcome
        var reasons: [ValidationReason]
    }

    /// One question to the zone that holds `qname`, judged: an alias link, or the final RRset
    /// or denial, each validated with the zone's keys (RFC 4035 §5.3, §5.4), wildcard answers
    /// only with the proof that QNAME itself does not exist (RFC 4035 §5.3.4, RFC 5155 §8.8).
    func resolveStep(_ qname: DomainName, _ qtype: RRType) async -> Step {
        if configuration.aggressiveNSEC, let synthesized = await synthesizedStep(qname, qtype) { return synthesized }
        let (fetched, fetchReasons) = await ask(qname, qtype)
        guard case .answer(let message, let cut) = fetched else { return Step(outcome: .failed, reasons: fetchReasons) }
        let (zone, signed) = await answerZone(message, qname: qname, qtype: qtype, cut: cut)
        let chain = await keys(for: zone, expectSigned: signed)
        var reasons = chain.reasons
        let verifier = RRSetVerifier(now: clock.now())
        var work = ValidationWork()
        defer { tally(work) }
        func check(_ set: SignedRRSet) -> RRSetVerification? {
            guard chain.status == .secure, let keys = chain.value else { return nil }
            return verifier.verify(set.rrset, signatures: set.signatures, keys: keys, work: &work)
        }
        func wildcardChecked(_ checked: RRSetVerification?) -> SecurityStatus {
            guard let verification = checked else { return chain.status }
            guard verification.status == .secure, verification.wildcardOwner != nil, let labels = verification.rrsig?.labels,
                  let keys = chain.value else { return verification.status }
            let proof = denial(in: message, keys: keys, verifier: verifier, work: &work,
                               nsec: { NSECDenial.wildcardAnswer(qname: qname, labels: labels, zone: zone, records: $0) },
                               nsec3: { NSEC3Denial.wildcardAnswer(qname: qname, labels: labels, zone: zone, records: $0, work: &$1) })
            reasons += proof.reasons
            return proof.status
        }

        if qtype != .dname, let record = message.answers.first(where: { $0.type == .dname && qname.isSubdomain(of: $0.owner) && qname != $0.owner }),
           let dname = record.rdata.as(DNAME.self), let set = SignedRRSet(owner: record.owner, type: .dname, from: message.answers) {
            let checked = check(set)
            reasons += checked?.reasons ?? []
            let status = checked?.status ?? chain.status
            // RFC 6672 §2.2 (the synthesised CNAME is unsigned and ignored, §3.4): the owner's labels below the DNAME owner, then the DNAME target.
            let prefix = qname.wire.prefix(qname.wire.count - record.owner.wire.count)
            guard let target = try? DomainName(wire: Array(prefix) + dname.target.wire) else {
                return Step(outcome: .final(Answer(question: Question(name: qname, type: qtype), rcode: .yxDomain, zone: zone), status),
                            reasons: reasons)
            }
            return Step(outcome: .alias(Answer.Link(kind: .dname, owner: qname, target: target, dnameOwner: record.owner,
                                                    status: status, zone: zone)), reasons: reasons)
        }
        if qtype != .cname, let cname = SignedRRSet(owner: qname, type: .cname, from: message.answers),
           let target = cname.rrset.rdatas.first?.as(CNAME.self)?.target {
            let verification = check(cname)
            reasons += verification?.reasons ?? []
            let status = wildcardChecked(verification)
            return Step(outcome: .alias(Answer.Link(kind: .cname, owner: qname, target: target, dnameOwner: nil, status: status, zone: zone)),
                        reasons: reasons)
        }
        let question = Question(name: qname, type: qtype)
        if let set = SignedRRSet(owner: qname, type: qtype, from: message.answers) {
            let verification = check(set)
            reasons += verification?.reasons ?? []
            let status = wildcardChecked(verification)
            return Step(outcome: .final(Answer(question: question, rcode: message.header.rcode, rrsets: [set.rrset], zone: zone), status),
                        reasons: reasons)
        }
        let rcode = message.header.rcode
        let soa = message.authority.first { $0.type == .soa }
        let negativeTTL = soa.map { record in min(record.ttl, record.rdata.as(SOA.self)?.minimum ?? record.ttl) }
        let answer = Answer(question: question, rcode: rcode, denial: rcode == .nxDomain ? .nxDomain : .noData, zone: zone, negativeTTL: negativeTTL)
        guard chain.status == .secure, let keys = chain.value else { return Step(outcome: .final(answer, chain.status), reasons: reasons) }
        let records = verifiedDenialRecords(in: message, keys: keys, verifier: verifier, work: &work)
        let proof = (records.nsec3s.isEmpty
            ? NSECDenial.prove(qname: qname, qtype: qtype, rcode: rcode, zone: zone, records: records.nsecs)
            : NSEC3Denial.prove(qname: qname, qtype: qtype, rcode: rcode, zone: zone, records: records.nsec3s, work: &work)).prefixed(records.notes)
        reasons += proof.reasons
        // RFC 8198 §5.1, §5.4: only NSEC (never NSEC3, so never across Opt-Out) from a secure
        // proof is kept, for min(NSEC TTL, SOA TTL, SOA MINIMUM); without an SOA, not at all.
        if configuration.aggressiveNSEC, proof.status == .secure, qtype != .ds, records.nsec3s.isEmpty, let negativeTTL,
           let kind = proof.kind, kind == .nameError || kind == .noData || kind == .wildcardNoData, let nsecTTL = records.nsecTTL {
            let ttl = min(Int64(nsecTTL), Int64(negativeTTL), configuration.maxTTL)
            await nsecCache.store(records.nsecs, zone: zone, ttl: ttl, now: clock.now())
        }
        return Step(outcome: .final(answer, proof.status), reasons: reasons)
    }

    /// A negative answer made from the secure NSEC records held for the deepest zone enclosing
    /// `qname` (RFC 8198 §5.2, §5.3), without any query; nil when they prove nothing, when a
    /// zone cut known below that zone lies above `qname` (the records are the parent's), or
    /// when the zone's chain of trust is no longer secure.
    func synthesizedStep(_ qname: DomainName, _ qtype: RRType) async -> Step? {
        guard qtype != .ds else { return nil }
        let now = clock.now()
        guard let held = await nsecCache.closestZone(enclosing: qname, now: now) else { return nil }
        if let cut = await cuts.closest(to: qname, above: false), cut.name != held.zone, cut.name.isSubdomain(of: held.zone) { return nil }
        guard let proof = AggressiveNSECCache.synthesize(qname: qname, qtype: qtype, zone: held.zone, records: held.records),
              let kind = proof.kind else { return nil }
        let chain = await keys(for: held.zone)
        guard chain.status == .secure else { return nil }
        let nxDomain = kind == .nameError
        let remaining = UInt32(clamping: max(0, held.expires - now))
        let answer = Answer(question: Question(name: qname, type: qtype), rcode: nxDomain ? .nxDomain : .noError,
                            denial: nxDomain ? .nxDomain : .noData, zone: held.zone, negativeTTL: remaining)
        let note = ValidationReason(.denialProved, rule: "RFC 8198 §5.1",
                                    "synthesised from cached NSEC records of \(held.zone) (aggressive use of the DNSSEC-validated cache), no query sent")
        return Step(outcome: .final(answer, .secure), reasons: chain.reasons + [note] + proof.reasons)
    }

    struct VerifiedDenialRecords {
        var nsecs: [NSECRecord] = []
        var nsec3s: [NSEC3Record] = []
        /// The smallest TTL of the NSEC RRsets kept.
        var nsecTTL: UInt32?
        var notes: [ValidationReason] = []
    }

    /// The NSEC and NSEC3 records of the authority section whose signatures verify.
    func verifiedDenialRecords(in message: Message, keys: ZoneKeySet, verifier: RRSetVerifier, work: inout ValidationWork) -> VerifiedDenialRecords {
        var result = VerifiedDenialRecords()
        for set in signedRRSets(message.authority, type: .nsec) + signedRRSets(message.authority, type: .nsec3) {
            let check = verifier.verify(set.rrset, signatures: set.signatures, keys: keys, work: &work)
            guard check.status == .secure, let labels = check.rrsig?.labels else {
                result.notes += check.reasons
                continue
            }
            for rdata in set.rrset.rdatas {
                if let record = rdata.as(NSEC.self) { result.nsecs.append(NSECRecord(owner: set.rrset.owner, nsec: record, signatureLabels: labels)) }
                if let record = rdata.as(NSEC3.self) { result.nsec3s.append(NSEC3Record(owner: set.rrset.owner, nsec3: record, signatureLabels: labels)) }
            }
            if set.rrset.type == .nsec { result.nsecTTL = min(result.nsecTTL ?? set.rrset.ttl, set.rrset.ttl) }
        }
        return result
    }

    /// The NSEC or NSEC3 records of the authority section whose signatures verify, handed to
    /// the proof that applies (NSEC3 when there are any).
    func denial(in message: Message, keys: ZoneKeySet, verifier: RRSetVerifier, work: inout ValidationWork,
                nsec: ([NSECRecord]) -> DenialProof, nsec3: ([NSEC3Record], inout ValidationWork) -> DenialProof) -> DenialProof {
        let records = verifiedDenialRecords(in: message, keys: keys, verifier: verifier, work: &work)
        let proof = records.nsec3s.isEmpty ? nsec(records.nsecs) : nsec3(records.nsec3s, &work)
        return proof.prefixed(records.notes)
    }

    /// The zone whose keys must sign the answer: the RRSIG signer when it lies between the
    /// cut asked and QNAME (one server may serve parent and child), else the SOA owner of a
    /// negative answer, else the cut; and whether the message carried any signature.
    func answerZone(_ message: Message, qname: DomainName, qtype: RRType, cut: ZoneCut) async -> (zone: DomainName, signed: Bool) {
        let signers = (message.answers + message.authority).compactMap { $0.rdata.as(RRSIG.self)?.signerName }
        let soaOwner = message.authority.first { $0.type == .soa }?.owner
        var zone = cut.name
        if let signer = signers.first(where: { $0.isSubdomain(of: cut.name) }) {
            zone = signer
        } else if let soaOwner, soaOwner.isSubdomain(of: cut.name) {
            zone = soaOwner
        } else if signers.isEmpty, await !isKnownInsecure(cut.name, above: qname) {
            // Unsigned: which zone it came from decides whether that is allowed, so ask for
            // the SOA that owns QNAME (one server may answer for several levels).
            let owner = await stubZone(of: qname)
            if owner.isSubdomain(of: cut.name) { zone = owner }
        }
        if zone != cut.name, await cuts.cut(zone) == nil {
            await cuts.store(ZoneCut(name: zone, parent: nil, nameservers: cut.nameservers, glue: cut.glue, ds: nil, denial: []))
        }
        return (zone, !signers.isEmpty)
    }

    /// Whether `zone` is already proved insecure (its keys' result is cached as such) with no
    /// trust anchor below it above `name`. Then an unsigned answer for `name` is insecure
    /// whichever zone under `zone` it came from — no chain of trust can pass through an
    /// insecure delegation (RFC 4035 §4.3, §5.2) — and the SOA query that would find that
    /// zone is not sent: one query less per unsigned answer after a zone's first.
    func isKnownInsecure(_ zone: DomainName, above name: DomainName) async -> Bool {
        if let (anchor, _) = configuration.trustAnchors.closestAnchor(for: name), anchor.isSubdomain(of: zone), anchor != zone {
            return false
        }
        return await zoneKeys.cached(zone, now: clock.now())?.status == .insecure
    }

    /// The chain of trust down to `zone`, judged by `ChainEvaluator`; computed once per zone
    /// and shared by concurrent lookups. A zone's result extends its parent's (itself cached
    /// and shared), so each link — DS, DNSKEY — is verified once, not again for every zone
    /// below it.
    ///
    /// `expectSigned` false (the answer that named the zone carried no signature at all): the
    /// zone's DNSKEY RRset is not fetched alongside its DS, only once the DS shows the zone
    /// signed (then the unsigned answer is bogus anyway) — an unsigned zone costs its DS query
    /// alone.
    func keys(for zone: DomainName, expectSigned: Bool = true) async -> Validated<ZoneKeySet?> {
        let bogusTTL = configuration.bogusTTL
        return await zoneKeys.value(for: zone, now: clock.now()) {
            let chain = await self.evaluateChain(zone, expectSigned: expectSigned)
            let ttl: Int64 = switch chain.status {
            case .indeterminate: 0
            case .bogus: bogusTTL
            case .secure, .insecure: 3600
            }
            return (chain, ttl)
        }
    }

    /// Starts, without waiting for it, the part of `name`'s chain of trust that is known before
    /// any answer names its zone: the DNSKEY RRset of the closest trust anchor above `name`,
    /// and the DS and DNSKEY RRsets of the name one label below the anchor on the way to
    /// `name` (the top-level domain, under the root anchor). A lookup's answer can only be
    /// judged once its signer's chain is, and the chain is otherwise found one round trip at
    /// a time after the answer: the signer, then its DS, then the parent's keys. Every chain
    /// below an anchor passes through the anchor's keys, and through that name whenever it
    /// is a zone — which a name directly below a zone apex is unless the apex's own zone holds
    /// it (RFC 1034 §4.2: zones are cut along the name tree); then the guess costs a DS and a
    /// DNSKEY query, judged like any other (a DS denial for a name that is no delegation is
    /// not taken for an unsigned one: RFC 6840 §4.4, `NSECDenial.delegation`).
    ///
    /// For one-off lookups with a cold cache (`check`): it saves the round trips of the two
    /// upper links. Once the chain is cached this costs a cache look-up. Its queries count
    /// against a budget of their own, not a lookup's. The task returned ends when the
    /// evidence is judged; nothing needs to wait for it.
    @discardableResult
    public func prefetchChain(for name: DomainName) -> Task<Void, Never> {
        guard let (anchor, _) = configuration.trustAnchors.closestAnchor(for: name) else { return Task {} }
        let zone = name.labelCount > anchor.labelCount ? name.suffix(labelCount: anchor.labelCount + 1) : anchor
        let budget = ResolutionBudget(limit: configuration.maxQueriesPerLookup, duration: configuration.maxLookupDuration)
        return Task { await ResolutionBudget.$current.withValue(budget) { _ = await self.keys(for: zone) } }
    }

    /// The anchored zone's keys checked against the anchor; below it, the parent zone's
    /// result (`keys(for:)`) extended by one delegation (RFC 4035 §5.2). An insecure, bogus
    /// or indeterminate parent decides the child alike.
    func evaluateChain(_ zone: DomainName, expectSigned: Bool = true) async -> Validated<ZoneKeySet?> {
        let evaluator = ChainEvaluator(anchors: configuration.trustAnchors, now: clock.now())
        var work = ValidationWork()
        defer { tally(work) }
        guard let (anchor, _) = configuration.trustAnchors.closestAnchor(for: zone) else {
            return evaluator.evaluate(ChainEvidence(anchorKeys: nil), for: zone, work: &work)
        }
        if zone == anchor {
            let anchorKeys = await anchorKeySets.value(for: anchor, now: clock.now()) {
                let fetched = await self.dnskeys(anchor)
                return (fetched, fetched.rrset == nil ? 0 : 3600)
            }
            let chain = evaluator.evaluate(ChainEvidence(anchorKeys: anchorKeys.rrset, anchorKeysUnavailable: anchorKeys.unavailable),
                                           for: zone, work: &work)
            // RFC 9520 §3: the retry after the bogus TTL must fetch the evidence afresh.
            if chain.status == .bogus { await anchorKeySets.removeReady(anchor) }
            return chain
        }
        // The parent's chain and this zone's DS and DNSKEY evidence are fetched at once: a
        // new zone costs one round trip after its answer, not three in a row.
        async let parentChain = parentKeys(of: zone, below: anchor)
        let delegation = await delegation(zone, prefetchKeys: expectSigned)
        let above = await parentChain
        guard above.status == .secure, let parentKeys = above.value else { return Validated(nil, status: above.status, reasons: above.reasons) }
        guard let delegation else {
            return Validated(nil, status: .indeterminate, reasons: above.reasons + [ValidationReason(
                .noReachableAuthority, rule: "RFC 4035 §5.2", "the DS evidence for \(zone) could not be had", ede: .dnssecIndeterminate)])
        }
        let step = evaluator.descend(from: parentKeys, through: delegation, work: &work)
        // RFC 9520 §3: the retry after the bogus TTL must fetch this link's evidence afresh.
        if step.status == .bogus {
            await delegations.removeReady(zone)
            await dsAnswers.removeReady(zone)
        }
        return Validated(step.value, status: step.status, reasons: above.reasons + step.reasons)
    }

    func parentKeys(of zone: DomainName, below anchor: DomainName) async -> Validated<ZoneKeySet?> {
        await keys(for: await chainParent(of: zone, below: anchor))
    }

    /// The zone above `zone` in the chain from `anchor`: from the referrals followed, and
    /// where a cut's parent is not known (one server answering for parent and child, or stub
    /// mode), from the signer of the DS RRset the parent serves (RFC 4035 §3.1.4.1: DS is
    /// answered by the parent) or the SOA of its denial; `anchor` when none is found below it.
    ///
    /// A zone whose name is one label below the anchor's needs no discovery: the anchor is a
    /// zone apex, and no other zone can lie between a name and its parent name (RFC 1034
    /// §4.2: zones are cut along the name tree), so the chain continues from the anchor's keys
    /// at once, alongside the zone's own DS and DNSKEY queries, instead of after its DS answer.
    func chainParent(of zone: DomainName, below anchor: DomainName) async -> DomainName {
        if zone.parent == anchor { return anchor }
        let cut = await cuts.cut(zone)
        var parent = cut?.parent
        if parent == nil {
            parent = await parentZone(of: zone)
            if let parent { await cuts.setParent(of: zone, to: parent) }
        }
        // No cut is made up for the parent: its servers are found from the closest known cut
        // above it (a referral, or the one server answering for both), never assumed to be
        // the child's.
        guard let next = parent, zone.isSubdomain(of: next), next != zone, next.isSubdomain(of: anchor) else { return anchor }
        return next
    }

    /// The zone that holds `child`'s DS: the DS RRSIG's signer, else the SOA owner of the
    /// denial, else the zone of the SOA asked for the parent name.
    func parentZone(of child: DomainName) async -> DomainName? {
        guard let above = child.parent else { return nil }
        if let message = await dsAnswer(child) {
            let signer = (message.answers + message.authority).compactMap { $0.rdata.as(RRSIG.self) }
                .first { $0.typeCovered == .ds || $0.typeCovered == .soa || $0.typeCovered == .nsec || $0.typeCovered == .nsec3 }?.signerName
            if let signer, child.isSubdomain(of: signer), signer != child { return signer }
            if let soa = message.authority.first(where: { $0.type == .soa })?.owner, child.isSubdomain(of: soa), soa != child { return soa }
        }
        let zone = await stubZone(of: above)
        return child.isSubdomain(of: zone) && zone != child ? zone : nil
    }

    /// The answer to `child` DS (RFC 4035 §3.1.4.1: from the parent), asked once and shared by
    /// the parent-zone discovery and the delegation evidence.
    func dsAnswer(_ child: DomainName) async -> Message? {
        await dsAnswers.value(for: child, now: clock.now()) {
            let (fetched, _) = await self.ask(child, .ds)
            guard case .answer(let message, _) = fetched else { return (nil, 0) }
            return (message, 3600)
        }
    }

    /// What the parent says about `child`'s DS (from the referral, else asked), and the
    /// child's DNSKEY RRset when there is a DS. With `prefetchKeys` the DNSKEY RRset is asked
    /// for alongside the DS when the DS is not known yet (a zone that turns out unsigned costs
    /// one query more); without, only after the DS is seen.
    func delegation(_ child: DomainName, prefetchKeys: Bool = true) async -> Delegation? {
        await delegations.value(for: child, now: clock.now()) {
            let cut = await self.cuts.cut(child)
            var ds = cut?.ds
            var denial = cut?.denial ?? []
            let known = ds != nil || !denial.isEmpty
            let prefetch = !known && prefetchKeys
            async let prefetched = prefetch ? self.dnskeys(child) : FetchedKeys()
            if !known {
                guard let message = await self.dsAnswer(child) else {
                    _ = await prefetched
                    return (nil, 0)
                }
                ds = SignedRRSet(owner: child, type: .ds, from: message.answers)
                if ds == nil { denial = signedRRSets(message.authority, type: .nsec) + signedRRSets(message.authority, type: .nsec3) }
            }
            var keys = FetchedKeys()
            if ds != nil { keys = prefetch ? await prefetched : await self.dnskeys(child) } else { _ = await prefetched }
            let result = Delegation(child: child, ds: ds, denial: denial, dnskeys: keys.rrset, dnskeysUnavailable: keys.unavailable)
            return (result, keys.rrset == nil && ds != nil ? 0 : 3600)
        }
    }

    /// A zone's DNSKEY RRset as its servers give it; when none answered, why not.
    struct FetchedKeys: Sendable {
        var rrset: SignedRRSet?
        var unavailable: [ValidationReason] = []
    }

    func dnskeys(_ zone: DomainName) async -> FetchedKeys {
        let (fetched, reasons) = await ask(zone, .dnskey)
        guard case .answer(let message, _) = fetched else { return FetchedKeys(unavailable: reasons) }
        return FetchedKeys(rrset: SignedRRSet(owner: zone, type: .dnskey, from: message.answers))
    }

    /// Stub mode: the apex of the zone holding `name`, from the SOA the upstream gives for it.
    func stubZone(of name: DomainName) async -> DomainName {
        let (fetched, _) = await ask(name, .soa)
        guard case .answer(let message, _) = fetched else { return .root }
        if let soa = message.answers.first(where: { $0.type == .soa }) { return soa.owner }
        return message.authority.first { $0.type == .soa }?.owner ?? .root
    }
}

extension DenialProof {
    func prefixed(_ notes: [ValidationReason]) -> DenialProof {
        var copy = self
        copy.reasons = notes + reasons
        return copy
    }
}
