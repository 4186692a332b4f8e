import DNSCore
import DNSSEC
import Testing

private let zone: DomainName = "example."

private func response(_ number: String) throws -> DenialVectors.Response {
    try #require(try DenialVectors.responses("rfc5155/appendix-B-responses.txt")[number], "no response \(number)")
}

/// The records of `response` with every Opt-Out flag cleared, as if App. A had been signed
/// without Opt-Out (the denial functions take records whose signatures were already checked,
/// so the change needs no re-signing here).
private func withoutOptOut(_ records: [NSEC3Record]) -> [NSEC3Record] {
    records.map { $0.with(flags: 0) }
}

/// What the denial functions make of a response, as its resolver would use them: the RCODE
/// for a negative answer, the RRSIG Labels of the answer for a wildcard expansion, the NS owner
/// for a referral.
private func evaluate(_ response: DenialVectors.Response, records: [NSEC3Record]) -> DenialProof {
    var work = ValidationWork()
    if response.records.contains(where: { $0.owner == response.qname && $0.type == response.qtype }),
       let labels = response.signatureLabels(owner: response.qname, covering: response.qtype) {
        return NSEC3Denial.wildcardAnswer(qname: response.qname, labels: labels, zone: zone, records: records, work: &work)
    }
    if let referral = response.records.first(where: { $0.type == .ns && $0.owner != zone }) {
        return NSEC3Denial.delegation(name: referral.owner, zone: zone, records: records, work: &work)
    }
    return NSEC3Denial.prove(qname: response.qname, qtype: response.qtype, rcode: response.rcode, zone: zone, records: records, work: &work)
}

/// RFC 5155 Appendix B, each response through the functions that validate it. Every NSEC3 of
/// App. A has Opt-Out set, so by RFC 5155 §9.2 the proofs that rest on a covered next closer
/// name (B.1, B.4, B.5) are insecure, not secure; with Opt-Out cleared they are secure.
@Suite("RFC 5155 App. B: the example responses")
struct RFC5155_AppendixB_Tests {
    @Test("B.1 name error: proved, insecure because of Opt-Out (§9.2); secure without it")
    func b1NameError() throws {
        let b1 = try response("B.1")
        #expect(b1.qname == "a.c.x.w.example." && b1.rcode == .nxDomain && b1.nsec3.count == 3)
        let proof = evaluate(b1, records: b1.nsec3)
        expectProof(proof, .nameError, .insecure, code: .optOutDelegation)
        #expect(proof.closestEncloser == "x.w.example.")
        let plain = evaluate(b1, records: withoutOptOut(b1.nsec3))
        expectProof(plain, .nameError, .secure, code: .denialProved)
        #expect(plain.closestEncloser == "x.w.example.")
    }

    @Test("B.2 no data: secure")
    func b2NoData() throws {
        let b2 = try response("B.2")
        let proof = evaluate(b2, records: b2.nsec3)
        expectProof(proof, .noData, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "ns1.example.")
    }

    @Test("B.2.1 no data at an empty non-terminal: secure")
    func b21EmptyNonTerminal() throws {
        let b21 = try response("B.2.1")
        #expect(b21.qname == "y.w.example.")
        expectProof(evaluate(b21, records: b21.nsec3), .noData, .secure, code: .denialProved)
    }

    @Test("B.3 referral to an Opt-Out unsigned zone: optOutNoDS, insecure; without Opt-Out bogus")
    func b3OptOutReferral() throws {
        let b3 = try response("B.3")
        let proof = evaluate(b3, records: b3.nsec3)
        expectProof(proof, .optOutNoDS, .insecure, code: .optOutDelegation)
        #expect(proof.closestEncloser == "example.")
        expectProof(evaluate(b3, records: withoutOptOut(b3.nsec3)), nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
    }

    @Test("B.4 wildcard expansion: proved, insecure because of Opt-Out; secure without it")
    func b4Wildcard() throws {
        let b4 = try response("B.4")
        #expect(b4.signatureLabels(owner: b4.qname, covering: .mx) == 2)
        let proof = evaluate(b4, records: b4.nsec3)
        expectProof(proof, .wildcardAnswer, .insecure, code: .optOutDelegation)
        #expect(proof.closestEncloser == "w.example.")
        expectProof(evaluate(b4, records: withoutOptOut(b4.nsec3)), .wildcardAnswer, .secure, code: .denialProved)
    }

    @Test("B.5 wildcard no data: proved, insecure because of Opt-Out; secure without it")
    func b5WildcardNoData() throws {
        let b5 = try response("B.5")
        let proof = evaluate(b5, records: b5.nsec3)
        expectProof(proof, .wildcardNoData, .insecure, code: .optOutDelegation)
        #expect(proof.closestEncloser == "w.example.")
        expectProof(evaluate(b5, records: withoutOptOut(b5.nsec3)), .wildcardNoData, .secure, code: .denialProved)
    }

    @Test("B.6 DS query answered by the child: the child's apex NSEC3 proves nothing about DS")
    func b6DSAtChild() throws {
        let b6 = try response("B.6")
        #expect(b6.qtype == .ds && b6.qname == zone)
        expectProof(evaluate(b6, records: b6.nsec3), nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
    }

    /// DNSSEC-CASES #17 (Unbound's `val_nsec3_b1_nameerror_noce`, `_nonc`, `_nowc` and the
    /// like): every response loses each of its NSEC3 RRs in turn, and nothing is proved.
    ///
    /// One exception, with Opt-Out only: B.5 without the wildcard's NSEC3 still holds a closest
    /// provable encloser proof (w.example matched, z.w.example covered by an Opt-Out NSEC3),
    /// which RFC 5155 §8.5 as corrected by erratum 3441 accepts as an insecure NODATA: the
    /// name may lie below an unsigned delegation in the span. That is no downgrade, as the
    /// complete B.5 is insecure too; without Opt-Out the same removal is bogus.
    @Test("each response with one NSEC3 removed proves nothing", arguments: ["B.1", "B.2", "B.2.1", "B.3", "B.4", "B.5", "B.6"])
    func oneRecordRemoved(_ number: String) throws {
        let full = try response(number)
        let wildcardOwner: DomainName = "r53bq7cc2uvmubfu5ocmm6pers9tk9en.example."
        for index in full.nsec3.indices {
            for (optOut, records) in [(true, full.nsec3), (false, withoutOptOut(full.nsec3))] {
                var fewer = records
                let removed = fewer.remove(at: index)
                let proof = evaluate(full, records: fewer)
                if number == "B.5" && removed.owner == wildcardOwner && optOut {
                    expectProof(proof, .noData, .insecure, code: .optOutDelegation)
                    continue
                }
                #expect(proof.kind == nil && proof.status == .bogus, "\(number) without \(removed.owner): \(proof.reasons)")
            }
        }
    }

    @Test("B.1 without the closest encloser, the next closer cover, or the wildcard cover: the step that fails")
    func b1Variants() throws {
        let b1 = try response("B.1")
        let records = withoutOptOut(b1.nsec3)
        func without(_ label: String) -> [NSEC3Record] { records.filter { $0.owner.labels.first.map { String(decoding: $0, as: UTF8.self) } != label } }
        var work = ValidationWork()
        // No closest encloser (x.w.example): the cover of c.x.w.example does not lead to a match.
        expectProof(NSEC3Denial.nameError(qname: b1.qname, zone: zone, records: without("b4um86eghhds6nea196smvmlo4ors995"), work: &work),
                    nil, .bogus, code: .denialMissing, ede: .nsecMissing)
        // No next closer cover (c.x.w.example): a match with the flag clear.
        expectProof(NSEC3Denial.nameError(qname: b1.qname, zone: zone, records: without("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"), work: &work),
                    nil, .bogus, code: .denialMissing, ede: .nsecMissing)
        // No wildcard cover (*.x.w.example).
        expectProof(NSEC3Denial.nameError(qname: b1.qname, zone: zone, records: without("35mthgpgcu1qg68fab165klnsnk3dpvl"), work: &work),
                    nil, .bogus, code: .denialMissing, ede: .nsecMissing)
    }

    @Test("the answers are read the same case-insensitively (0x20 QNAMEs)")
    func mixedCase() throws {
        let b1 = try response("B.1")
        var work = ValidationWork()
        let proof = NSEC3Denial.nameError(qname: "A.c.X.w.EXAMPLE.", zone: "EXAMPLE.", records: withoutOptOut(b1.nsec3), work: &work)
        expectProof(proof, .nameError, .secure)
    }
}
