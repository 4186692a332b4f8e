import DNSCore
import DNSSEC
import Testing

/// A made-up NSEC3 zone: a.example (A), b.example (unsigned delegation), c.example (signed
/// delegation), cn.example (CNAME), d.example (DNAME), *.w.example (TXT), x.w.example (A); the
/// empty non-terminal w.example gets its NSEC3 too (RFC 5155 §7.1). No Opt-Out. The salt is
/// one whose hashes put the three records of each name error proof used below in three
/// different intervals (with App. A's salt the NSEC3 of a.example also covers *.a.example).
private let zone: DomainName = "example."
private let names: [DomainName: TypeBitmap] = [
    "example.": [.soa, .ns, .dnskey, .nsec3param, .rrsig],
    "a.example.": [.a, .rrsig],
    "b.example.": [.ns],
    "c.example.": [.ns, .ds, .rrsig],
    "cn.example.": [.cname, .rrsig],
    "d.example.": [.dname, .rrsig],
    "*.w.example.": [.txt, .rrsig],
    "x.w.example.": [.a, .rrsig],
]
private let chain = NSEC3TestZone(zone: zone, names: names, salt: [0xAB, 0x01])

private func nameError(_ qname: DomainName, _ records: [NSEC3Record], limit: UInt16 = NSEC3Denial.nsec3IterationLimit) -> DenialProof {
    var work = ValidationWork()
    return NSEC3Denial.nameError(qname: qname, zone: zone, records: records, work: &work, iterationLimit: limit)
}

private func noData(_ qname: DomainName, _ qtype: RRType, _ records: [NSEC3Record], zone: DomainName = zone) -> DenialProof {
    var work = ValidationWork()
    return NSEC3Denial.noData(qname: qname, qtype: qtype, zone: zone, records: records, work: &work)
}

private func wildcardNoData(_ qname: DomainName, _ qtype: RRType, _ records: [NSEC3Record]) -> DenialProof {
    var work = ValidationWork()
    return NSEC3Denial.wildcardNoData(qname: qname, qtype: qtype, zone: zone, records: records, work: &work)
}

private func wildcardAnswer(_ qname: DomainName, labels: UInt8, _ records: [NSEC3Record]) -> DenialProof {
    var work = ValidationWork()
    return NSEC3Denial.wildcardAnswer(qname: qname, labels: labels, zone: zone, records: records, work: &work)
}

private func delegation(_ name: DomainName, _ records: [NSEC3Record]) -> DenialProof {
    var work = ValidationWork()
    return NSEC3Denial.delegation(name: name, zone: zone, records: records, work: &work)
}

/// The three records of the name error proof for q.a.example (closest encloser a.example).
private let qaProof = chain.nameErrorProof("q.a.example.", closestEncloser: "a.example.")

@Suite("RFC 5155 §8.1: NSEC3 with an unknown hash algorithm are ignored")
struct RFC5155_8_1_UnknownHashAlgorithmTests {
    @Test("only unknown-algorithm NSEC3: insecure, nothing hashed (DNSSEC-CASES #19)")
    func onlyUnknown() {
        var work = ValidationWork()
        let proof = NSEC3Denial.nameError(qname: "q.a.example.", zone: zone, records: qaProof.map { $0.with(algorithm: NSEC3HashAlgorithm(2)) }, work: &work)
        expectProof(proof, nil, .insecure, code: .unsupportedAlgorithm)
        #expect(work.nsec3Hashes == 0)
    }

    @Test("an unknown-algorithm NSEC3 beside a complete proof changes nothing")
    func besideProof() {
        let proof = nameError("q.a.example.", qaProof + [chain.matching("x.w.example.").with(algorithm: NSEC3HashAlgorithm(200))])
        expectProof(proof, .nameError, .secure, code: .denialProved)
        #expect(proof.reasons.contains { $0.code == .unsupportedAlgorithm })
    }

    @Test("a proof record turned unknown leaves the rest unproved: bogus, not insecure")
    func proofRecordUnknown() {
        var records = qaProof
        records[0] = records[0].with(algorithm: NSEC3HashAlgorithm(2))
        expectProof(nameError("q.a.example.", records), nil, .bogus)
    }
}

@Suite("RFC 5155 §8.2: flags, parameters and owners of usable NSEC3")
struct RFC5155_8_2_NSEC3RecordTests {
    @Test("flags other than 0 or 1 are ignored (DNSSEC-CASES #19)", arguments: [UInt8(2), 0x80, 0x81, 0xFF])
    func unknownFlags(_ flags: UInt8) {
        let proof = nameError("q.a.example.", qaProof.map { $0.with(flags: flags) })
        expectProof(proof, nil, .bogus, code: .denialMissing, ede: .nsecMissing)
        #expect(proof.reasons.filter { $0.code == .malformed }.count == 3)
    }

    @Test("flags 0 and 1 are used")
    func knownFlags() {
        expectProof(nameError("q.a.example.", qaProof.map { $0.with(flags: 0) }), .nameError, .secure)
        expectProof(nameError("q.a.example.", qaProof.map { $0.with(flags: 1) }), .nameError, .insecure)
    }

    @Test("records that differ in salt or iterations: bogus")
    func mixedParameters() {
        var salted = qaProof
        salted[2] = salted[2].with(salt: [0x01])
        expectProof(nameError("q.a.example.", salted), nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
        var iterated = qaProof
        iterated[1] = iterated[1].with(iterations: 2)
        expectProof(nameError("q.a.example.", iterated), nil, .bogus, code: .denialInvalid)
    }

    @Test("owners not one hash label below the zone, and wildcard-expanded NSEC3, are ignored")
    func badOwners() {
        let deeper = qaProof[0].with(owner: try! qaProof[0].owner.prepending(label: Array("x".utf8)), signatureLabels: 3)
        let notHash = qaProof[0].with(owner: "notahash.example.")
        let foreign = qaProof[0].with(owner: try! DomainName(labels: [Array(qaProof[0].owner.labels[0]), Array("example".utf8), Array("org".utf8)]),
                                      signatureLabels: 3)
        let expanded = qaProof[0].with(signatureLabels: 1)
        for bad in [deeper, notHash, foreign, expanded] {
            let proof = nameError("q.a.example.", [bad, qaProof[1], qaProof[2]])
            expectProof(proof, nil, .bogus)
            #expect(proof.reasons.contains { $0.code == .malformed || $0.code == .labelsMismatch }, "\(bad.owner)")
        }
    }

    @Test("owner labels in uppercase base32hex are read the same")
    func uppercaseOwner() {
        let upper = qaProof.map { $0.with(owner: try! DomainName(parsing: $0.owner.description.uppercased())) }
        expectProof(nameError("q.a.example.", upper), .nameError, .secure)
    }

    @Test("no NSEC3 at all: bogus, NSEC Missing")
    func none() {
        expectProof(nameError("q.a.example.", []), nil, .bogus, code: .denialMissing, ede: .nsecMissing)
    }
}

@Suite("RFC 9276 §3.2: the NSEC3 iteration limit")
struct RFC9276_3_2_IterationLimitTests {
    @Test("the limit is Unbound's 150")
    func limit() { #expect(NSEC3Denial.nsec3IterationLimit == 150) }

    @Test("at or below the limit: validated (DNSSEC-CASES #18)", arguments: [UInt16(0), 50, 150])
    func belowLimit(_ iterations: UInt16) {
        let zone = NSEC3TestZone(zone: "example.", names: names, iterations: iterations)
        var work = ValidationWork()
        let proof = NSEC3Denial.nameError(qname: "q.a.example.", zone: "example.",
                                          records: zone.nameErrorProof("q.a.example.", closestEncloser: "a.example."), work: &work)
        expectProof(proof, .nameError, .secure)
        #expect(work.nsec3Hashes == 3)
    }

    @Test("above the limit: insecure with EDE 27, and nothing hashed (DNSSEC-CASES #18)", arguments: [UInt16(151), 500, 2500])
    func aboveLimit(_ iterations: UInt16) {
        let zone = NSEC3TestZone(zone: "example.", names: names, iterations: iterations)
        var work = ValidationWork()
        let proof = NSEC3Denial.nameError(qname: "q.a.example.", zone: "example.",
                                          records: zone.nameErrorProof("q.a.example.", closestEncloser: "a.example."), work: &work)
        expectProof(proof, nil, .insecure, code: .nsec3IterationsTooHigh, ede: .unsupportedNSEC3IterationsValue)
        #expect(work.nsec3Hashes == 0)
    }

    @Test("a caller's lower limit (BIND's 50)")
    func lowerLimit() {
        let zone = NSEC3TestZone(zone: "example.", names: names, iterations: 51)
        let records = zone.nameErrorProof("q.a.example.", closestEncloser: "a.example.")
        expectProof(nameError("q.a.example.", records, limit: 50), nil, .insecure, ede: .unsupportedNSEC3IterationsValue)
        expectProof(nameError("q.a.example.", records, limit: 51), .nameError, .secure)
    }
}

@Suite("RFC 5155 §8.3: the closest encloser proof")
struct RFC5155_8_3_ClosestEncloserTests {
    @Test("a matched closest encloser without a covered next closer name: bogus")
    func matchWithoutNextCloser() {
        let encloser = chain.matching("a.example.")
        let wildcardCover = chain.covering("*.a.example.")
        let qname = chain.nameNotCovered(below: "a.example.", by: [encloser, wildcardCover])
        let proof = nameError(qname, [encloser, wildcardCover])
        expectProof(proof, nil, .bogus, code: .denialMissing, ede: .nsecMissing)
        #expect(proof.reasons.last?.rule == "RFC 5155 §8.3")
    }

    @Test("no NSEC3 matches any ancestor: bogus")
    func noMatch() throws {
        let cover = chain.covering("q.a.example.")
        try #require(cover != chain.matching("a.example.") && cover != chain.matching(zone))
        expectProof(nameError("q.a.example.", [cover]), nil, .bogus, code: .denialMissing)
    }

    @Test("the closest encloser at a zone cut (NS without SOA): bogus, the answer should have been a referral")
    func encloserIsDelegation() {
        let proof = nameError("host.b.example.", chain.nameErrorProof("host.b.example.", closestEncloser: "b.example."))
        expectProof(proof, nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
        #expect(proof.reasons.last?.rule == "RFC 5155 §8.3")
    }

    @Test("the closest encloser with a DNAME: bogus")
    func encloserIsDNAME() {
        expectProof(nameError("host.d.example.", chain.nameErrorProof("host.d.example.", closestEncloser: "d.example.")),
                    nil, .bogus, code: .denialInvalid)
    }

    @Test("the apex as closest encloser (NS with SOA) is fine")
    func apexEncloser() {
        let proof = nameError("q.example.", chain.nameErrorProof("q.example.", closestEncloser: zone))
        expectProof(proof, .nameError, .secure)
        #expect(proof.closestEncloser == zone)
    }

    @Test("the longest matched ancestor wins, several labels up")
    func deepQName() {
        let proof = nameError("p.q.r.a.example.", chain.nameErrorProof("p.q.r.a.example.", closestEncloser: "a.example."))
        expectProof(proof, .nameError, .secure)
        #expect(proof.closestEncloser == "a.example.")
    }

    /// hickory-dns PR #3349: a record that matches a name must never count as covering it.
    @Test("a matching NSEC3 is not a covering one")
    func matchingIsNotCovering() {
        // The next closer name x.w.example exists; its own NSEC3 matches it.
        expectProof(wildcardAnswer("q.x.w.example.", labels: 2, [chain.matching("x.w.example.")]), nil, .bogus, code: .denialInvalid)
        // For a name error of an existing name, its NSEC3 proves it exists.
        expectProof(nameError("x.w.example.", [chain.matching("x.w.example."), chain.matching("w.example.")]), nil, .bogus, code: .denialInvalid)
    }

    /// hickory-dns PR #2543: the bounds are strict; the record before a name has that name's
    /// hash as its next hash and does not cover it.
    @Test("the record whose next hash is the name's does not cover it")
    func strictUpperBound() {
        let before = chain.preceding("x.w.example.")
        #expect(before.nsec3.nextHashedOwnerName == chain.hash("x.w.example."))
        expectProof(wildcardAnswer("q.x.w.example.", labels: 2, [before]), nil, .bogus, code: .denialMissing)
    }

    @Test("the last NSEC3 of the chain covers hashes above the last owner and below the first")
    func wrapAround() throws {
        let hashes = chain.entries.map(\.hash)
        let highest = try #require(hashes.last), lowest = try #require(hashes.first)
        var above: DomainName?, below: DomainName?
        for index in 0..<2000 where above == nil || below == nil {
            let name = try DomainName(parsing: "n\(index).example.")
            let value = chain.hash(name)
            if above == nil, highest.lexicographicallyPrecedes(value) { above = name }
            if below == nil, value.lexicographicallyPrecedes(lowest) { below = name }
        }
        for nextCloser in [try #require(above), try #require(below)] {
            let cover = chain.covering(nextCloser)
            #expect(cover.nsec3.nextHashedOwnerName == lowest, "the last record of the chain covers \(nextCloser)")
            let qname = try nextCloser.prepending(label: Array("z".utf8))
            expectProof(wildcardAnswer(qname, labels: 1, [cover]), .wildcardAnswer, .secure)
        }
    }

    @Test("a chain of one NSEC3 (next = owner) covers every other hash")
    func singleRecordChain() {
        let apexOnly = NSEC3TestZone(zone: zone, names: [zone: [.soa, .ns, .nsec3param]])
        let only = apexOnly.allRecords
        #expect(only.count == 1)
        var work = ValidationWork()
        expectProof(NSEC3Denial.nameError(qname: "a.example.", zone: zone, records: only, work: &work), .nameError, .secure)
    }
}

@Suite("RFC 5155 §8.4: NSEC3 name error")
struct RFC5155_8_4_NameErrorTests {
    @Test("closest encloser proof and the wildcard covered: secure")
    func proved() {
        let proof = nameError("q.a.example.", qaProof)
        expectProof(proof, .nameError, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "a.example.")
    }

    @Test("Opt-Out on the next closer NSEC3: insecure (RFC 5155 §9.2); on the others it does not matter")
    func optOut() throws {
        var records = qaProof
        records[1] = records[1].with(flags: NSEC3.optOutFlag)
        expectProof(nameError("q.a.example.", records), .nameError, .insecure, code: .optOutDelegation)
        try #require(qaProof[1] != qaProof[0] && qaProof[1] != qaProof[2], "three distinct records")
        var others = qaProof
        others[0] = others[0].with(flags: NSEC3.optOutFlag)
        others[2] = others[2].with(flags: NSEC3.optOutFlag)
        expectProof(nameError("q.a.example.", others), .nameError, .secure)
    }

    @Test("the wildcard at the closest encloser exists: bogus")
    func wildcardExists() {
        let records = [chain.matching("w.example."), chain.covering("q.w.example."), chain.matching("*.w.example.")]
        expectProof(nameError("q.w.example.", records), nil, .bogus, code: .denialInvalid)
    }

    @Test("the wildcard not covered: bogus")
    func wildcardNotCovered() throws {
        let wildcard: DomainName = "*.a.example."
        let encloser = chain.matching("a.example.")
        try #require(!chain.covers(encloser, wildcard))
        // A QNAME whose next closer cover does not happen to cover the wildcard too.
        let qname = try #require((0..<500).lazy.map { try! DomainName(parsing: "q\($0).a.example.") }
            .first { !chain.covers(chain.covering($0), wildcard) })
        expectProof(nameError(qname, [encloser, chain.covering(qname)]), nil, .bogus, code: .denialMissing, ede: .nsecMissing)
    }

    @Test("QNAME exists: bogus")
    func exists() {
        expectProof(nameError("a.example.", [chain.matching("a.example.")]), nil, .bogus, code: .denialInvalid)
        expectProof(nameError("w.example.", [chain.matching("w.example.")]), nil, .bogus, code: .denialInvalid)
    }

    @Test("QNAME outside the zone: bogus")
    func outsideZone() {
        expectProof(nameError("q.a.example.org.", qaProof), nil, .bogus, code: .denialInvalid)
    }
}

@Suite("RFC 5155 §8.5: NSEC3 no data, QTYPE not DS")
struct RFC5155_8_5_NoDataTests {
    @Test("the NSEC3 matching QNAME lacks QTYPE and CNAME: secure")
    func proved() {
        let proof = noData("a.example.", .mx, [chain.matching("a.example.")])
        expectProof(proof, .noData, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "a.example.")
    }

    @Test("the QTYPE bit is set: bogus")
    func typePresent() {
        expectProof(noData("a.example.", .a, [chain.matching("a.example.")]), nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
    }

    @Test("the CNAME bit is set: bogus (RFC 6840 §4.3, DNSSEC-CASES #24)")
    func cnameBit() {
        let proof = noData("cn.example.", .a, [chain.matching("cn.example.")])
        expectProof(proof, nil, .bogus, code: .denialInvalid)
        #expect(proof.reasons.last?.rule == "RFC 6840 §4.3")
    }

    @Test("an empty non-terminal: its NSEC3 has an empty bitmap")
    func emptyNonTerminal() {
        expectProof(noData("w.example.", .a, [chain.matching("w.example.")]), .noData, .secure)
    }

    @Test("the parent's NSEC3 at a zone cut denies nothing but DS (RFC 6840 §4.1)")
    func zoneCut() {
        let proof = noData("b.example.", .a, [chain.matching("b.example.")])
        expectProof(proof, nil, .bogus, code: .denialInvalid)
        #expect(proof.reasons.last?.rule == "RFC 6840 §4.1")
    }

    @Test("at a DNAME owner itself NODATA is fine")
    func dnameOwner() {
        expectProof(noData("d.example.", .a, [chain.matching("d.example.")]), .noData, .secure)
    }

    @Test("no matching NSEC3: an Opt-Out closest provable encloser proof is insecure (erratum 3441); without Opt-Out bogus")
    func optOutEmptyNonTerminal() {
        // u.example: an empty non-terminal above an unsigned delegation, left out of the chain.
        let records = [chain.matching(zone), chain.covering("u.example.").with(flags: NSEC3.optOutFlag)]
        let proof = noData("u.example.", .a, records)
        expectProof(proof, .noData, .insecure, code: .optOutDelegation)
        #expect(proof.closestEncloser == zone)
        expectProof(noData("u.example.", .a, [chain.matching(zone), chain.covering("u.example.")]), nil, .bogus, code: .denialInvalid)
        expectProof(noData("u.example.", .a, []), nil, .bogus, code: .denialMissing)
    }
}

@Suite("RFC 5155 §8.6: NSEC3 no data, QTYPE DS")
struct RFC5155_8_6_DSNoDataTests {
    @Test("at an unsigned delegation: noDS, secure")
    func delegation() {
        let proof = noData("b.example.", .ds, [chain.matching("b.example.")])
        expectProof(proof, .noDS, .secure, code: .denialProved)
    }

    @Test("at a signed delegation (DS bit): bogus; at the child's apex (SOA bit): bogus")
    func signedOrApex() {
        expectProof(noData("c.example.", .ds, [chain.matching("c.example.")]), nil, .bogus, code: .denialInvalid)
        expectProof(noData(zone, .ds, [chain.matching(zone)]), nil, .bogus, code: .denialInvalid)
    }

    @Test("at a name that is no delegation: plain noData")
    func notDelegation() {
        expectProof(noData("a.example.", .ds, [chain.matching("a.example.")]), .noData, .secure)
    }

    @Test("no match, next closer covered with Opt-Out: optOutNoDS, insecure; without Opt-Out bogus")
    func optOut() {
        let records = [chain.matching(zone), chain.covering("u.example.").with(flags: NSEC3.optOutFlag)]
        expectProof(noData("u.example.", .ds, records), .optOutNoDS, .insecure, code: .optOutDelegation)
        expectProof(noData("u.example.", .ds, [chain.matching(zone), chain.covering("u.example.")]), nil, .bogus, code: .denialInvalid)
    }

    @Test("the root may deny its own DS")
    func root() {
        let root = NSEC3TestZone(zone: .root, names: [.root: [.soa, .ns, .dnskey, .nsec3param, .rrsig]])
        expectProof(noData(.root, .ds, root.allRecords, zone: .root), .noData, .secure)
    }
}

@Suite("RFC 5155 §8.7: NSEC3 wildcard no data")
struct RFC5155_8_7_WildcardNoDataTests {
    private let records = [chain.matching("w.example."), chain.covering("q.w.example."), chain.matching("*.w.example.")]

    @Test("closest encloser proof and a matching wildcard without QTYPE: secure")
    func proved() {
        let proof = wildcardNoData("q.w.example.", .mx, records)
        expectProof(proof, .wildcardNoData, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "w.example.")
    }

    @Test("the wildcard has QTYPE, or CNAME: bogus")
    func typeOrCNAME() {
        expectProof(wildcardNoData("q.w.example.", .txt, records), nil, .bogus, code: .denialInvalid)
        var cname = records
        cname[2] = cname[2].with(types: [.cname, .rrsig])
        let proof = wildcardNoData("q.w.example.", .mx, cname)
        expectProof(proof, nil, .bogus, code: .denialInvalid)
        #expect(proof.reasons.last?.rule == "RFC 6840 §4.3")
    }

    @Test("Opt-Out on the next closer NSEC3: insecure")
    func optOut() {
        var optOut = records
        optOut[1] = optOut[1].with(flags: NSEC3.optOutFlag)
        expectProof(wildcardNoData("q.w.example.", .mx, optOut), .wildcardNoData, .insecure, code: .optOutDelegation)
    }

    @Test("no matching wildcard, or QNAME exists: bogus")
    func missing() {
        expectProof(wildcardNoData("q.w.example.", .mx, Array(records.prefix(2))), nil, .bogus, code: .denialMissing)
        expectProof(wildcardNoData("x.w.example.", .mx, [chain.matching("x.w.example.")] + records), nil, .bogus, code: .denialInvalid)
    }
}

@Suite("RFC 5155 §8.8: NSEC3 proof of a wildcard-expanded answer")
struct RFC5155_8_8_WildcardAnswerTests {
    @Test("the next closer name covered: secure")
    func proved() {
        let proof = wildcardAnswer("q.w.example.", labels: 2, [chain.covering("q.w.example.")])
        expectProof(proof, .wildcardAnswer, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "w.example.")
        // Two labels down, the next closer is r.w.example, not QNAME.
        expectProof(wildcardAnswer("q.r.w.example.", labels: 2, [chain.covering("r.w.example.")]), .wildcardAnswer, .secure)
    }

    @Test("Opt-Out on the covering NSEC3: insecure")
    func optOut() {
        expectProof(wildcardAnswer("q.w.example.", labels: 2, [chain.covering("q.w.example.").with(flags: 1)]),
                    .wildcardAnswer, .insecure, code: .optOutDelegation)
    }

    @Test("no cover for the next closer name (DNSSEC-CASES #21): bogus")
    func missing() {
        expectProof(wildcardAnswer("q.w.example.", labels: 2, []), nil, .bogus, code: .denialMissing)
    }

    @Test("bad Labels: bogus")
    func badLabels() {
        let records = [chain.covering("q.w.example.")]
        expectProof(wildcardAnswer("q.w.example.", labels: 3, records), nil, .bogus, code: .labelsMismatch)
        expectProof(wildcardAnswer("q.w.example.", labels: 0, records), nil, .bogus, code: .labelsMismatch)
    }
}

@Suite("RFC 5155 §8.9: NSEC3 referrals to unsigned children")
struct RFC5155_8_9_DelegationTests {
    @Test("a matching NSEC3 with NS set, DS and SOA clear: noDS, secure")
    func proved() {
        let proof = delegation("b.example.", [chain.matching("b.example.")])
        expectProof(proof, .noDS, .secure, code: .denialProved)
        #expect(proof.closestEncloser == "b.example.")
    }

    @Test("forged insecure delegations (DNSSEC-CASES #23): no NS bit, SOA bit, DS bit")
    func forged() {
        let noNS = delegation("a.example.", [chain.matching("a.example.")])
        expectProof(noNS, nil, .bogus, code: .denialInvalid, ede: .dnssecBogus)
        #expect(noNS.reasons.last?.rule == "RFC 6840 §4.4")
        expectProof(delegation("b.example.", [chain.matching("b.example.").with(types: [.ns, .soa])]), nil, .bogus, code: .denialInvalid)
        expectProof(delegation("c.example.", [chain.matching("c.example.")]), nil, .bogus, code: .denialInvalid)
    }

    @Test("no match: an Opt-Out cover of the next closer name gives optOutNoDS, insecure; without Opt-Out bogus")
    func optOut() {
        let proof = delegation("u.example.", [chain.matching(zone), chain.covering("u.example.").with(flags: NSEC3.optOutFlag)])
        expectProof(proof, .optOutNoDS, .insecure, code: .optOutDelegation)
        #expect(proof.closestEncloser == zone)
        expectProof(delegation("u.example.", [chain.matching(zone), chain.covering("u.example.")]), nil, .bogus, code: .denialInvalid)
    }

    @Test("no records, or the apex: bogus")
    func others() {
        expectProof(delegation("u.example.", []), nil, .bogus, code: .denialMissing)
        expectProof(delegation(zone, [chain.matching(zone)]), nil, .bogus, code: .denialInvalid)
    }
}

@Suite("CVE-2023-50868: NSEC3 hashing stays within the budget")
struct CVE_2023_50868_NSEC3BudgetTests {
    /// 120 labels below example. (249 octets).
    private static let longName = try! DomainName(labels: Array(repeating: Array("a".utf8), count: 120) + [Array("example".utf8)])

    @Test("a long QNAME under a 150-iteration zone: proved in three hashes, the walk going down from the apex")
    func longNameAtLimit() {
        let zone150 = NSEC3TestZone(zone: zone, names: names, iterations: 150)
        var work = ValidationWork()
        // a.example. exists; a.a.example. does not.
        let records = [zone150.matching(zone), zone150.matching("a.example."), zone150.covering("a.a.example."),
                       zone150.covering("*.a.example.")]
        let proof = NSEC3Denial.nameError(qname: Self.longName, zone: zone, records: records, work: &work)
        expectProof(proof, .nameError, .secure)
        #expect(proof.closestEncloser == "a.example.")
        #expect(work.nsec3Hashes == 3, "a.example., a.a.example., *.a.example.")
    }

    @Test("a deep closest encloser: one hash per label from below the apex to the next closer name, and the wildcard")
    func longNameDeepEncloser() {
        // x.w.example. exists (w.example. is an empty non-terminal); QNAME is 100 labels below it.
        let deep = NSEC3TestZone(zone: zone, names: names, iterations: 10)
        let qname = try! DomainName(labels: Array(repeating: Array("q".utf8), count: 100) + ["x", "w", "example"].map { Array($0.utf8) })
        var work = ValidationWork()
        let records = [deep.matching("x.w.example."), deep.covering("q.x.w.example."), deep.covering("*.x.w.example."),
                       deep.matching(zone), deep.matching("w.example.")]
        let proof = NSEC3Denial.nameError(qname: qname, zone: zone, records: records, work: &work)
        expectProof(proof, .nameError, .secure)
        #expect(proof.closestEncloser == "x.w.example.")
        #expect(work.nsec3Hashes == 4, "w., x.w., q.x.w., *.x.w.")
    }

    @Test("records that cover no ancestor of a long QNAME: every label hashed until the budget is spent, bogus")
    func longNameNothingCovered() {
        let zone150 = NSEC3TestZone(zone: zone, names: names, iterations: 150)
        // The apex's NSEC3 with an interval of one hash value: it covers none of the names.
        var next = zone150.hash(zone)
        next[next.count - 1] &+= 1
        let records = [zone150.matching(zone).with(next: next)]
        var work = ValidationWork()
        let proof = NSEC3Denial.nameError(qname: Self.longName, zone: zone, records: records, work: &work)
        expectProof(proof, nil, .bogus, code: .budgetExhausted, ede: .dnssecBogus)
        #expect(work.nsec3Hashes == work.budget.maxNSEC3Hashes)
    }

    @Test("a long QNAME under a 500-iteration zone: insecure at once, no hash computed")
    func longNameOverLimit() {
        let zone500 = NSEC3TestZone(zone: zone, names: names, iterations: 500)
        var work = ValidationWork()
        let proof = NSEC3Denial.nameError(qname: Self.longName, zone: zone, records: zone500.allRecords, work: &work)
        expectProof(proof, nil, .insecure, ede: .unsupportedNSEC3IterationsValue)
        #expect(work.nsec3Hashes == 0)
    }

    @Test("with the limit raised to 500, the same query stops at the budget")
    func longNameRaisedLimit() {
        let zone500 = NSEC3TestZone(zone: zone, names: names, iterations: 500)
        var work = ValidationWork()
        var next = zone500.hash(zone)
        next[next.count - 1] &+= 1
        let proof = NSEC3Denial.prove(qname: Self.longName, qtype: .a, rcode: .nxDomain, zone: zone,
                                      records: [zone500.matching(zone).with(next: next)], work: &work, iterationLimit: 500)
        expectProof(proof, nil, .bogus, code: .budgetExhausted)
        #expect(work.nsec3Hashes == work.budget.maxNSEC3Hashes)
    }

    @Test("a small budget stops an ordinary proof")
    func smallBudget() {
        var work = ValidationWork(budget: ValidationBudget(maxSignatureVerifications: 8, maxSignatureFailures: 1, maxRRSIGsPerRRset: 8,
                                                           maxKeysPerKeyTag: 2, maxNSEC3Hashes: 2))
        expectProof(NSEC3Denial.nameError(qname: "q.a.example.", zone: zone, records: qaProof, work: &work), nil, .bogus, code: .budgetExhausted)
        #expect(work.nsec3Hashes == 2)
    }

    @Test("each name is hashed once per proof, across the attempts of prove")
    func hashesShared() {
        var work = ValidationWork()
        let records = [chain.matching("w.example."), chain.covering("q.w.example."), chain.matching("*.w.example.")]
        let proof = NSEC3Denial.prove(qname: "q.w.example.", qtype: .mx, rcode: .noError, zone: zone, records: records, work: &work)
        expectProof(proof, .wildcardNoData, .secure)
        #expect(work.nsec3Hashes == 3) // q.w.example, w.example, *.w.example
    }
}

@Suite("NSEC3Denial.prove: the RCODE picks the proof")
struct NSEC3ProveDispatchTests {
    private func prove(_ qname: DomainName, _ qtype: RRType, _ rcode: RCode, _ records: [NSEC3Record]) -> DenialProof {
        var work = ValidationWork()
        return NSEC3Denial.prove(qname: qname, qtype: qtype, rcode: rcode, zone: zone, records: records, work: &work)
    }

    @Test("NXDOMAIN: name error only")
    func nxdomain() {
        expectProof(prove("q.a.example.", .a, .nxDomain, qaProof), .nameError, .secure)
        expectProof(prove("q.a.example.", .a, .noError, qaProof), nil, .bogus)
    }

    @Test("NOERROR: no data, no DS, wildcard no data, the Opt-Out case")
    func noerror() {
        expectProof(prove("a.example.", .mx, .noError, [chain.matching("a.example.")]), .noData, .secure)
        expectProof(prove("b.example.", .ds, .noError, [chain.matching("b.example.")]), .noDS, .secure)
        let wildcard = [chain.matching("w.example."), chain.covering("q.w.example."), chain.matching("*.w.example.")]
        expectProof(prove("q.w.example.", .mx, .noError, wildcard), .wildcardNoData, .secure)
        let optOut = [chain.matching(zone), chain.covering("u.example.").with(flags: NSEC3.optOutFlag)]
        expectProof(prove("u.example.", .ds, .noError, optOut), .optOutNoDS, .insecure)
        expectProof(prove("u.example.", .a, .noError, optOut), .noData, .insecure)
        // A matching NSEC3 that has the type decides.
        expectProof(prove("a.example.", .a, .noError, [chain.matching("a.example.")] + wildcard), nil, .bogus, code: .denialInvalid)
    }

    @Test("another RCODE is no denial")
    func otherRCode() {
        expectProof(prove("a.example.", .mx, .refused, [chain.matching("a.example.")]), nil, .bogus, code: .denialInvalid)
    }
}
