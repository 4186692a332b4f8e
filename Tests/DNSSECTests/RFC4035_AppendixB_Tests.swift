import DNSCore
import DNSSEC
import Testing

private let zone: DomainName = "example."

private func response(_ number: String) throws -> DenialVectors.Response {
    try #require(try DenialVectors.responses("rfc4035/appendix-B-responses.txt")[number], "no response \(number)")
}

/// What the NSEC denial functions make of a response, as its resolver would use them: the RRSIG
/// Labels of the answer for a wildcard expansion, the NS owner for a referral without DS, the
/// RCODE for a negative answer.
private func evaluate(_ response: DenialVectors.Response, records: [NSECRecord]) -> DenialProof {
    if response.records.contains(where: { $0.owner == response.qname && $0.type == response.qtype }),
       let labels = response.signatureLabels(owner: response.qname, covering: response.qtype) {
        return NSECDenial.wildcardAnswer(qname: response.qname, labels: labels, zone: zone, records: records)
    }
    if let referral = response.records.first(where: { $0.type == .ns && $0.owner != zone }) {
        return NSECDenial.delegation(name: referral.owner, zone: zone, records: records)
    }
    return NSECDenial.prove(qname: response.qname, qtype: response.qtype, rcode: response.rcode, zone: zone, records: records)
}

/// RFC 4035 Appendix B, each response with NSEC records through the functions that validate it.
@Suite("RFC 4035 App. B: the example responses")
struct RFC4035_AppendixB_Tests {
    @Test("B.2 name error: secure, closest encloser example.")
    func b2NameError() throws {
        let b2 = try response("B.2")
        #expect(b2.qname == "ml.example." && b2.rcode == .nxDomain && b2.nsec.count == 2)
        let proof = evaluate(b2, records: b2.nsec)
        expectProof(proof, .nameError, .secure, code: .denialProved)
        #expect(proof.closestEncloser == zone)
    }

    @Test("B.3 no data: secure")
    func b3NoData() throws {
        let b3 = try response("B.3")
        expectProof(evaluate(b3, records: b3.nsec), .noData, .secure, code: .denialProved)
    }

    @Test("B.4 referral to a signed zone carries a DS, so nothing is denied; without NSEC no insecure delegation is proved")
    func b4SignedReferral() throws {
        let b4 = try response("B.4")
        #expect(b4.records.contains { $0.type == .ds && $0.owner == "a.example." })
        #expect(b4.nsec.isEmpty)
        expectProof(NSECDenial.delegation(name: "a.example.", zone: zone, records: b4.nsec), nil, .bogus, code: .denialMissing, ede: .nsecMissing)
    }

    @Test("B.5 referral to an unsigned zone: noDS, secure")
    func b5UnsignedReferral() throws {
        let b5 = try response("B.5")
        let proof = evaluate(b5, records: b5.nsec)
        expectProof(proof, .noDS, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "b.example.")
    }

    @Test("B.6 wildcard expansion: secure, the wildcard at w.example")
    func b6Wildcard() throws {
        let b6 = try response("B.6")
        #expect(b6.signatureLabels(owner: b6.qname, covering: .mx) == 2)
        let proof = evaluate(b6, records: b6.nsec)
        expectProof(proof, .wildcardAnswer, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "w.example.")
    }

    @Test("B.7 wildcard no data: secure")
    func b7WildcardNoData() throws {
        let b7 = try response("B.7")
        let proof = evaluate(b7, records: b7.nsec)
        expectProof(proof, .wildcardNoData, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "w.example.")
    }

    @Test("B.8 DS query answered by the child: its apex NSEC proves nothing about DS")
    func b8DSAtChild() throws {
        let b8 = try response("B.8")
        #expect(b8.qtype == .ds)
        expectProof(evaluate(b8, records: b8.nsec), nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
    }

    /// DNSSEC-CASES #17 and #21 for NSEC: each response loses each NSEC in turn.
    @Test("each response with one NSEC removed proves nothing", arguments: ["B.2", "B.3", "B.5", "B.6", "B.7", "B.8"])
    func oneRecordRemoved(_ number: String) throws {
        let full = try response(number)
        #expect(!full.nsec.isEmpty)
        for index in full.nsec.indices {
            var fewer = full.nsec
            let removed = fewer.remove(at: index)
            let proof = evaluate(full, records: fewer)
            #expect(proof.kind == nil && proof.status == .bogus, "\(number) without \(removed.owner): \(proof.reasons)")
        }
    }

    @Test("B.2 answered for a name the NSEC does not cover (a.example exists) proves nothing")
    func b2WrongName() throws {
        let b2 = try response("B.2")
        expectProof(NSECDenial.nameError(qname: "a.example.", zone: zone, records: b2.nsec), nil, .bogus, code: .denialMissing)
        expectProof(NSECDenial.nameError(qname: "b.example.", zone: zone, records: b2.nsec), nil, .bogus, code: .denialInvalid)
    }

    /// CVE-2017-15105 with the App. B.7 wildcard NSEC: asked for `a.w.example NSEC`, a server
    /// expands `*.w.example NSEC x.w.example` to owner `a.w.example`, signed with Labels 2. An
    /// attacker then offers it as the name error proof for `b.a.w.example`: it covers that
    /// name, and read with its expanded owner it makes `a.w.example` the closest encloser and
    /// covers `*.a.w.example` too. Read with its real owner `*.w.example` it shows the wildcard
    /// that answers for `b.a.w.example` exists.
    @Test("CVE-2017-15105: a wildcard-expanded NSEC is read under its real owner")
    func expandedWildcardNSEC() throws {
        let b7 = try response("B.7")
        let wildcard = try #require(b7.nsec.first { $0.owner == "*.w.example." })
        let expanded = NSECRecord(owner: "a.w.example.", nsec: wildcard.nsec, signatureLabels: 2)
        let forged = NSECDenial.nameError(qname: "b.a.w.example.", zone: zone, records: [expanded])
        expectProof(forged, nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
        #expect(forged.reasons.contains { $0.code == .labelsMismatch })
        // Trusting the expanded owner (as if its RRSIG had Labels 3) would have "proved" it.
        let trusted = NSECDenial.nameError(qname: "b.a.w.example.", zone: zone, records: [expanded.with(signatureLabels: 3)])
        expectProof(trusted, .nameError, .secure)
        // What the expanded NSEC does show, truly: a.w.example is answered by the wildcard,
        // which has no AAAA.
        expectProof(NSECDenial.prove(qname: "a.w.example.", qtype: .aaaa, rcode: .noError, zone: zone, records: [expanded]),
                    .wildcardNoData, .secure)
        expectProof(NSECDenial.noData(qname: "a.w.example.", qtype: .aaaa, zone: zone, records: [expanded]), nil, .bogus)
    }
}
