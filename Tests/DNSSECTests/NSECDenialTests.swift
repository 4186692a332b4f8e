import DNSCore
import DNSSEC
import Testing

/// A made-up NSEC zone. Canonical order: example < a < b (unsigned delegation) < c (signed
/// delegation) < cn (CNAME) < d (DNAME) < [w, an empty non-terminal] < *.w < x.w < z.
private let zone: DomainName = "example."
private let chain = NSECTestZone(zone: zone, names: [
    "example.": [.soa, .ns, .dnskey],
    "a.example.": [.a],
    "b.example.": [.ns],
    "c.example.": [.ns, .ds],
    "cn.example.": [.cname],
    "d.example.": [.dname],
    "*.w.example.": [.txt],
    "x.w.example.": [.a],
    "z.example.": [.mx],
])

@Suite("RFC 4034 §6.1: NSEC covering is strict canonical order, with wrap-around")
struct RFC4034_6_1_NSECCoveringTests {
    @Test("a name between owner and next is covered")
    func between() {
        expectProof(NSECDenial.nameError(qname: "aa.example.", zone: zone, records: [chain.covering("aa.example."), chain.at(zone)]),
                    .nameError, .secure)
    }

    @Test("the next name itself is not covered (strict bound)")
    func nextNameNotCovered() {
        // a.example → b.example, asked for b.example without its own NSEC.
        expectProof(NSECDenial.nameError(qname: "b.example.", zone: zone, records: [chain.at("a.example."), chain.at(zone)]),
                    nil, .bogus, code: .denialMissing, ede: .nsecMissing)
    }

    @Test("the last NSEC (next name = apex) covers names after it")
    func wrapAround() {
        let last = chain.at("z.example.")
        #expect(last.nsec.nextDomainName == zone)
        expectProof(NSECDenial.nameError(qname: "zz.example.", zone: zone, records: [last, chain.at(zone)]), .nameError, .secure)
        expectProof(NSECDenial.nameError(qname: "a.zz.example.", zone: zone, records: [last, chain.at(zone)]), .nameError, .secure)
    }

    @Test("a single-NSEC zone (apex → apex) covers every other name")
    func singleRecordZone() {
        let only = NSECRecord(owner: zone, nsec: NSEC(nextDomainName: zone, types: [.soa, .ns, .nsec, .rrsig]), signatureLabels: 1)
        let proof = NSECDenial.nameError(qname: "anything.example.", zone: zone, records: [only])
        expectProof(proof, .nameError, .secure)
        #expect(proof.closestEncloser == zone)
    }

    @Test("names compare without case; the next name keeps its case (RFC 6840 §5.1)")
    func caseInsensitive() {
        let mixed = chain.covering("aa.example.").with(next: "B.Example.")
        expectProof(NSECDenial.nameError(qname: "AA.EXAMPLE.", zone: "Example.", records: [mixed, chain.at(zone)]), .nameError, .secure)
    }
}

@Suite("RFC 4034 §4.1.1: the next name must be the next owner in the zone")
struct RFC4034_4_1_1_NextNameTests {
    @Test("an NSEC whose next name is outside the zone is ignored, and the proof fails")
    func nextOutsideZone() {
        let bad = chain.covering("aa.example.").with(next: "zzz.example.org.")
        let proof = NSECDenial.nameError(qname: "aa.example.", zone: zone, records: [bad, chain.at(zone)])
        expectProof(proof, nil, .bogus, code: .denialMissing)
        #expect(proof.reasons.first?.code == .denialInvalid && proof.reasons.first?.rule == "RFC 4034 §4.1.1")
    }

    @Test("an NSEC pointing backwards to anything but the apex is ignored")
    func backwardsNotApex() {
        let bad = chain.at("z.example.").with(next: "a.example.")
        expectProof(NSECDenial.nameError(qname: "zz.example.", zone: zone, records: [bad, chain.at(zone)]), nil, .bogus)
    }

    @Test("an NSEC owned outside the zone is ignored; a QNAME outside the zone is never denied")
    func outsideZone() {
        let foreign = NSECRecord(owner: "a.example.org.", nsec: NSEC(nextDomainName: "c.example.org.", types: [.a]), signatureLabels: 3)
        expectProof(NSECDenial.nameError(qname: "b.example.org.", zone: zone, records: [foreign]), nil, .bogus, code: .denialInvalid)
        expectProof(NSECDenial.nameError(qname: "aa.example.", zone: zone, records: [foreign, chain.at(zone)]), nil, .bogus)
    }

    @Test("RRSIG Labels above the owner's label count, or below the zone's, leave the NSEC out")
    func badLabels() {
        let tooMany = chain.covering("aa.example.").with(signatureLabels: 3)
        expectProof(NSECDenial.nameError(qname: "aa.example.", zone: zone, records: [tooMany, chain.at(zone)]), nil, .bogus, code: .denialMissing)
        let belowZone = chain.covering("aa.example.").with(signatureLabels: 0)
        let proof = NSECDenial.nameError(qname: "aa.example.", zone: zone, records: [belowZone, chain.at(zone)])
        expectProof(proof, nil, .bogus, code: .denialMissing)
        #expect(proof.reasons.contains { $0.code == .labelsMismatch })
    }
}

@Suite("RFC 4035 §5.4: NSEC name error")
struct RFC4035_5_4_NameErrorTests {
    @Test("QNAME covered and the wildcard at the closest encloser covered: secure")
    func proved() {
        let proof = NSECDenial.nameError(qname: "y.example.", zone: zone, records: [chain.covering("y.example."), chain.covering("*.example.")])
        expectProof(proof, .nameError, .secure, code: .denialProved)
        #expect(proof.closestEncloser == zone)
    }

    @Test("the closest encloser comes from the covering NSEC: below an empty non-terminal")
    func encloserBelowEmptyNonTerminal() {
        // q.w.example: covered by *.w.example → x.w.example, closest encloser w.example, where a
        // wildcard exists.
        let proof = NSECDenial.nameError(qname: "q.w.example.", zone: zone, records: [chain.covering("q.w.example."), chain.at(zone)])
        expectProof(proof, nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
    }

    @Test("no NSEC covers the wildcard: bogus, NSEC Missing")
    func wildcardNotCovered() {
        expectProof(NSECDenial.nameError(qname: "y.example.", zone: zone, records: [chain.covering("y.example.")]),
                    nil, .bogus, code: .denialMissing, ede: .nsecMissing)
    }

    @Test("no NSEC covers QNAME: bogus")
    func notCovered() {
        expectProof(NSECDenial.nameError(qname: "y.example.", zone: zone, records: [chain.covering("*.example.")]),
                    nil, .bogus, code: .denialMissing)
    }

    @Test("an NSEC owned by QNAME: the name exists")
    func exists() {
        expectProof(NSECDenial.nameError(qname: "a.example.", zone: zone, records: [chain.at("a.example."), chain.at(zone)]),
                    nil, .bogus, code: .denialInvalid)
        expectProof(NSECDenial.nameError(qname: zone, zone: zone, records: [chain.at(zone)]), nil, .bogus, code: .denialInvalid)
    }

    @Test("QNAME an empty non-terminal (the covering NSEC's next name is below it): bogus")
    func emptyNonTerminal() {
        expectProof(NSECDenial.nameError(qname: "w.example.", zone: zone, records: [chain.covering("w.example."), chain.at(zone)]),
                    nil, .bogus, code: .denialInvalid)
    }
}

@Suite("RFC 6840 §4.1: zone-cut and DNAME NSEC records deny nothing below them")
struct RFC6840_4_1_AncestorDelegationTests {
    @Test("a name below an unsigned delegation is not denied by the parent's NSEC")
    func belowDelegation() {
        let cut = chain.at("b.example.")
        #expect(cut.nsec.nextDomainName == "c.example.")
        expectProof(NSECDenial.nameError(qname: "host.b.example.", zone: zone, records: [cut, chain.at(zone)]), nil, .bogus, code: .denialMissing)
        expectProof(NSECDenial.noData(qname: "host.b.example.", qtype: .a, zone: zone, records: [cut]), nil, .bogus)
    }

    @Test("a name below a DNAME is not denied")
    func belowDNAME() {
        expectProof(NSECDenial.nameError(qname: "host.d.example.", zone: zone, records: [chain.at("d.example."), chain.at(zone)]),
                    nil, .bogus, code: .denialMissing)
    }

    @Test("the parent's NSEC at a cut denies no type but DS at the cut")
    func typesAtCut() {
        let proof = NSECDenial.noData(qname: "b.example.", qtype: .a, zone: zone, records: [chain.at("b.example.")])
        expectProof(proof, nil, .bogus, code: .denialInvalid)
        #expect(proof.reasons.last?.rule == "RFC 6840 §4.1")
        expectProof(NSECDenial.noData(qname: "b.example.", qtype: .ds, zone: zone, records: [chain.at("b.example.")]), .noDS, .secure)
    }

    @Test("NODATA at a DNAME owner itself is fine")
    func atDNAMEOwner() {
        expectProof(NSECDenial.noData(qname: "d.example.", qtype: .a, zone: zone, records: [chain.at("d.example.")]), .noData, .secure)
    }
}

@Suite("RFC 4035 §5.4: NSEC no data")
struct RFC4035_5_4_NoDataTests {
    @Test("the NSEC at QNAME lacks QTYPE and CNAME: secure")
    func proved() {
        let proof = NSECDenial.noData(qname: "a.example.", qtype: .mx, zone: zone, records: [chain.at("a.example.")])
        expectProof(proof, .noData, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "a.example.")
    }

    @Test("the NSEC lists QTYPE: bogus")
    func typePresent() {
        expectProof(NSECDenial.noData(qname: "a.example.", qtype: .a, zone: zone, records: [chain.at("a.example.")]),
                    nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
    }

    @Test("the NSEC and RRSIG bits are ignored: they exist whatever the bitmap says")
    func nsecAndRRSIGBits() {
        let bare = chain.at("a.example.").with(types: [.a])
        expectProof(NSECDenial.noData(qname: "a.example.", qtype: .nsec, zone: zone, records: [bare]), nil, .bogus)
        expectProof(NSECDenial.noData(qname: "a.example.", qtype: .rrsig, zone: zone, records: [bare]), nil, .bogus)
        expectProof(NSECDenial.noData(qname: "a.example.", qtype: .mx, zone: zone, records: [bare]), .noData, .secure)
    }

    @Test("an empty non-terminal: the NSEC before it has a next name below it")
    func emptyNonTerminal() {
        let cover = chain.covering("w.example.")
        #expect(cover.owner == "d.example." && cover.nsec.nextDomainName == "*.w.example.")
        let proof = NSECDenial.noData(qname: "w.example.", qtype: .a, zone: zone, records: [cover])
        expectProof(proof, .noData, .secure)
        #expect(proof.closestEncloser == "w.example.")
    }

    @Test("a covering NSEC whose next name is not below QNAME is no empty non-terminal proof")
    func coverIsNotEmptyNonTerminal() {
        expectProof(NSECDenial.noData(qname: "aa.example.", qtype: .a, zone: zone, records: [chain.covering("aa.example.")]),
                    nil, .bogus, code: .denialMissing, ede: .nsecMissing)
    }

    @Test("no NSEC at all: bogus, NSEC Missing")
    func none() {
        expectProof(NSECDenial.noData(qname: "a.example.", qtype: .mx, zone: zone, records: []), nil, .bogus, code: .denialMissing, ede: .nsecMissing)
    }

    @Test("QTYPE DS: at a non-delegation noData; at a signed delegation bogus; at the child apex bogus; at the root noData")
    func dsQueries() {
        expectProof(NSECDenial.noData(qname: "a.example.", qtype: .ds, zone: zone, records: [chain.at("a.example.")]), .noData, .secure)
        expectProof(NSECDenial.noData(qname: "c.example.", qtype: .ds, zone: zone, records: [chain.at("c.example.")]), nil, .bogus, code: .denialInvalid)
        expectProof(NSECDenial.noData(qname: zone, qtype: .ds, zone: zone, records: [chain.at(zone)]), nil, .bogus, code: .denialInvalid)
        let root = NSECRecord(owner: .root, nsec: NSEC(nextDomainName: "aaa.", types: [.soa, .ns, .nsec, .rrsig, .dnskey]), signatureLabels: 0)
        expectProof(NSECDenial.noData(qname: .root, qtype: .ds, zone: .root, records: [root]), .noData, .secure)
    }
}

@Suite("RFC 6840 §4.3: NODATA must check the CNAME bit")
struct RFC6840_4_3_NSECCNAMEBitTests {
    @Test("NODATA from an NSEC with the CNAME bit: bogus (DNSSEC-CASES #24)")
    func cnameBit() {
        let proof = NSECDenial.noData(qname: "cn.example.", qtype: .a, zone: zone, records: [chain.at("cn.example.")])
        expectProof(proof, nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
        #expect(proof.reasons.last?.rule == "RFC 6840 §4.3")
        expectProof(NSECDenial.noData(qname: "cn.example.", qtype: .cname, zone: zone, records: [chain.at("cn.example.")]), nil, .bogus)
    }

    @Test("wildcard NODATA from a wildcard NSEC with the CNAME bit: bogus")
    func wildcardCNAMEBit() {
        let wildcard = chain.at("*.w.example.").with(types: TypeBitmap([.cname]).withSignatureTypes)
        // The wildcard's own NSEC (*.w.example → x.w.example) also covers q.w.example.
        let proof = NSECDenial.wildcardNoData(qname: "q.w.example.", qtype: .a, zone: zone, records: [wildcard])
        expectProof(proof, nil, .bogus, code: .denialInvalid)
        #expect(proof.reasons.last?.rule == "RFC 6840 §4.3")
    }
}

@Suite("RFC 4035 §3.1.3.4: NSEC wildcard no data")
struct RFC4035_3_1_3_4_WildcardNoDataTests {
    @Test("QNAME covered, the wildcard at the closest encloser lacks QTYPE: secure")
    func proved() {
        let records = [chain.covering("q.w.example."), chain.at("*.w.example.")]
        let proof = NSECDenial.wildcardNoData(qname: "q.w.example.", qtype: .mx, zone: zone, records: records)
        expectProof(proof, .wildcardNoData, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "w.example.")
    }

    @Test("the wildcard has QTYPE: bogus")
    func typePresent() {
        let records = [chain.covering("q.w.example."), chain.at("*.w.example.")]
        expectProof(NSECDenial.wildcardNoData(qname: "q.w.example.", qtype: .txt, zone: zone, records: records), nil, .bogus, code: .denialInvalid)
    }

    @Test("no NSEC for the wildcard, or a wildcard at another level: bogus")
    func missingWildcard() {
        // y.w.example is covered by x.w.example → z.example; the closest encloser is w.example.
        expectProof(NSECDenial.wildcardNoData(qname: "y.w.example.", qtype: .mx, zone: zone, records: [chain.covering("y.w.example.")]),
                    nil, .bogus, code: .denialMissing)
        expectProof(NSECDenial.wildcardNoData(qname: "y.w.example.", qtype: .mx, zone: zone, records: [chain.covering("y.w.example."), chain.at("*.w.example.")]),
                    .wildcardNoData, .secure)
        // y.example's closest encloser is the apex, which has no wildcard; *.w.example is no use.
        expectProof(NSECDenial.wildcardNoData(qname: "y.example.", qtype: .mx, zone: zone, records: [chain.covering("y.example."), chain.at("*.w.example.")]),
                    nil, .bogus, code: .denialMissing)
    }

    @Test("QNAME exists: no wildcard applies")
    func qnameExists() {
        expectProof(NSECDenial.wildcardNoData(qname: "x.w.example.", qtype: .mx, zone: zone, records: [chain.at("x.w.example."), chain.at("*.w.example.")]),
                    nil, .bogus, code: .denialInvalid)
    }
}

@Suite("RFC 4035 §5.3.4: NSEC proof of a wildcard-expanded answer")
struct RFC4035_5_3_4_WildcardAnswerTests {
    @Test("QNAME covered and the closest encloser the expansion claims: secure (DNSSEC-CASES #21)")
    func proved() {
        let proof = NSECDenial.wildcardAnswer(qname: "q.w.example.", labels: 2, zone: zone, records: [chain.covering("q.w.example.")])
        expectProof(proof, .wildcardAnswer, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "w.example.")
        expectProof(NSECDenial.wildcardAnswer(qname: "q.r.w.example.", labels: 2, zone: zone, records: [chain.covering("q.r.w.example.")]),
                    .wildcardAnswer, .secure)
    }

    @Test("no NSEC: the expansion is not proved (DNSSEC-CASES #21)")
    func missing() {
        expectProof(NSECDenial.wildcardAnswer(qname: "q.w.example.", labels: 2, zone: zone, records: []), nil, .bogus, code: .denialMissing, ede: .nsecMissing)
    }

    /// PowerDNS issue #17136: the NSEC covers QNAME, but it shows a closer encloser than the
    /// expansion claims, so the next closer name exists and `*.w.example` could not answer.
    @Test("a closer encloser exists: the claimed wildcard could not have answered")
    func closerEncloserExists() {
        let cover = chain.covering("q.x.w.example.")
        #expect(cover.owner == "x.w.example.")
        expectProof(NSECDenial.wildcardAnswer(qname: "q.x.w.example.", labels: 2, zone: zone, records: [cover]), nil, .bogus, code: .denialInvalid)
        // The right claim for this NSEC would be a wildcard at x.w.example.
        expectProof(NSECDenial.wildcardAnswer(qname: "q.x.w.example.", labels: 3, zone: zone, records: [cover]), .wildcardAnswer, .secure)
    }

    @Test("Labels not below QNAME's count, or below the zone's (PowerDNS CVE-2026-52688 class): bogus")
    func badLabels() {
        let records = [chain.covering("q.w.example.")]
        expectProof(NSECDenial.wildcardAnswer(qname: "q.w.example.", labels: 3, zone: zone, records: records), nil, .bogus, code: .labelsMismatch)
        expectProof(NSECDenial.wildcardAnswer(qname: "q.w.example.", labels: 4, zone: zone, records: records), nil, .bogus, code: .labelsMismatch)
        expectProof(NSECDenial.wildcardAnswer(qname: "q.w.example.", labels: 0, zone: zone, records: records), nil, .bogus, code: .labelsMismatch)
        // A literal "*" label is not counted (RFC 4034 §3.1.3): the wildcard itself is no expansion.
        expectProof(NSECDenial.wildcardAnswer(qname: "*.w.example.", labels: 2, zone: zone, records: records), nil, .bogus, code: .labelsMismatch)
    }

    @Test("QNAME has an NSEC: it exists, no expansion")
    func exists() {
        expectProof(NSECDenial.wildcardAnswer(qname: "x.w.example.", labels: 2, zone: zone, records: [chain.at("x.w.example.")]), nil, .bogus, code: .denialInvalid)
    }
}

@Suite("RFC 6840 §4.4: NSEC insecure delegation proofs")
struct RFC6840_4_4_NSECInsecureDelegationTests {
    @Test("NS set, DS and SOA clear: noDS, secure")
    func proved() {
        let proof = NSECDenial.delegation(name: "b.example.", zone: zone, records: [chain.at("b.example.")])
        expectProof(proof, .noDS, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "b.example.")
    }

    @Test("forged: no NS bit, SOA bit, DS bit (DNSSEC-CASES #23)")
    func forged() {
        expectProof(NSECDenial.delegation(name: "a.example.", zone: zone, records: [chain.at("a.example.")]), nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
        let withSOA = chain.at("b.example.").with(types: TypeBitmap([.ns, .soa]).withSignatureTypes)
        expectProof(NSECDenial.delegation(name: "b.example.", zone: zone, records: [withSOA]), nil, .bogus, code: .denialInvalid)
        expectProof(NSECDenial.delegation(name: "c.example.", zone: zone, records: [chain.at("c.example.")]), nil, .bogus, code: .denialInvalid)
    }

    @Test("no NSEC at the delegation: missing; a covering NSEC denies the delegation; the apex is no delegation")
    func noMatch() {
        expectProof(NSECDenial.delegation(name: "b.example.", zone: zone, records: []), nil, .bogus, code: .denialMissing)
        expectProof(NSECDenial.delegation(name: "bb.example.", zone: zone, records: [chain.covering("bb.example.")]), nil, .bogus, code: .denialInvalid)
        expectProof(NSECDenial.delegation(name: zone, zone: zone, records: [chain.at(zone)]), nil, .bogus, code: .denialInvalid)
    }
}

@Suite("NSECDenial.prove: the RCODE picks the proof")
struct NSECProveDispatchTests {
    @Test("NXDOMAIN: name error only")
    func nxdomain() {
        let records = [chain.covering("y.example."), chain.covering("*.example.")]
        expectProof(NSECDenial.prove(qname: "y.example.", qtype: .a, rcode: .nxDomain, zone: zone, records: records), .nameError, .secure)
        // The same records do not make a NODATA.
        expectProof(NSECDenial.prove(qname: "y.example.", qtype: .a, rcode: .noError, zone: zone, records: records), nil, .bogus)
    }

    @Test("NOERROR: no data, empty non-terminal, no DS, wildcard no data")
    func noerror() {
        expectProof(NSECDenial.prove(qname: "a.example.", qtype: .mx, rcode: .noError, zone: zone, records: [chain.at("a.example.")]), .noData, .secure)
        expectProof(NSECDenial.prove(qname: "w.example.", qtype: .mx, rcode: .noError, zone: zone, records: [chain.covering("w.example.")]), .noData, .secure)
        expectProof(NSECDenial.prove(qname: "b.example.", qtype: .ds, rcode: .noError, zone: zone, records: [chain.at("b.example.")]), .noDS, .secure)
        let wildcard = [chain.covering("q.w.example."), chain.at("*.w.example.")]
        expectProof(NSECDenial.prove(qname: "q.w.example.", qtype: .mx, rcode: .noError, zone: zone, records: wildcard), .wildcardNoData, .secure)
        // A matching NSEC that lists the type decides: no fallback to the wildcard.
        expectProof(NSECDenial.prove(qname: "a.example.", qtype: .a, rcode: .noError, zone: zone, records: [chain.at("a.example.")] + wildcard),
                    nil, .bogus, code: .denialInvalid)
        // A name error for a name that has an NSEC.
        expectProof(NSECDenial.prove(qname: "a.example.", qtype: .a, rcode: .nxDomain, zone: zone, records: [chain.at("a.example.")]), nil, .bogus)
    }

    @Test("another RCODE is no denial")
    func otherRCode() {
        expectProof(NSECDenial.prove(qname: "a.example.", qtype: .mx, rcode: .servFail, zone: zone, records: [chain.at("a.example.")]),
                    nil, .bogus, code: .denialInvalid)
    }
}
