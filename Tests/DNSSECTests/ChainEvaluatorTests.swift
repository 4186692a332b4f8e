import DNSCore
import Testing
@testable import DNSSEC

/// The chain of trust (RFC 4035 §5) over the RFC 4035 App. A zone `example.`, anchored by a
/// DS (or the DNSKEY) of its KSK 9465, at 2004-04-20 (inside the signatures' validity).
@Suite struct RFC4035_5_ChainOfTrustTests {
    let records: [ResourceRecord]
    let now = Vectors.time("20040420000000")
    let ksk: DNSKEY
    let keys: SignedRRSet

    init() throws {
        records = try Vectors.records("rfc4035-appendix-A.zone")
        ksk = try #require(Vectors.dnskeys(records, owner: "example.").first { $0.keyTag == 9465 })
        keys = try #require(SignedRRSet(owner: "example.", type: .dnskey, from: records))
    }

    func anchors(_ list: [TrustAnchor]) -> TrustAnchorSet { TrustAnchorSet(list) }

    func dsAnchor(_ type: DigestType = .sha256) throws -> TrustAnchor {
        TrustAnchor(owner: "example.", .ds(try #require(DSDigest.ds(for: ksk, owner: "example.", type: type))))
    }

    func evaluate(_ anchors: TrustAnchorSet, policy: AlgorithmPolicy = .default, evidence: ChainEvidence? = nil,
                  name: DomainName = "x.w.example.", at time: Int64? = nil) -> Validated<ZoneKeySet?> {
        var work = ValidationWork()
        return ChainEvaluator(anchors: anchors, now: time ?? now, policy: policy)
            .evaluate(evidence ?? ChainEvidence(anchorKeys: keys), for: name, work: &work)
    }

    @Test func dsAnchorMakesTheKeySetSecure() throws {
        let result = evaluate(anchors([try dsAnchor()]))
        #expect(result.status == .secure)
        #expect(result.value?.zone == "example.")
        #expect(result.reasons.map(\.code) == [.trustAnchorMatched, .signatureVerified, .keySetSigned])
    }

    @Test func dnskeyAnchorMakesTheKeySetSecure() {
        #expect(evaluate(anchors([TrustAnchor(owner: "example.", .dnskey(ksk))])).status == .secure)
    }

    @Test func dataValidatesThroughTheChain() throws {
        var work = ValidationWork()
        let evaluator = ChainEvaluator(anchors: anchors([try dsAnchor()]), now: now)
        let chain = evaluator.evaluate(ChainEvidence(anchorKeys: keys), for: "example.", work: &work)
        let mx = try #require(SignedRRSet(owner: "example.", type: .mx, from: records))
        #expect(evaluator.validate(mx, chain: chain, work: &work).status == .secure)
        var forged = mx
        forged.rrset.rdatas = [RData(MX(preference: 1, exchange: "evil.example."))]
        let bad = evaluator.validate(forged, chain: chain, work: &work)
        #expect(bad.status == .bogus)
        #expect(bad.extendedError == .dnssecBogus)
    }

    /// Case 32: no anchor above the name is insecure, not bogus.
    @Test func noTrustAnchorIsInsecure() throws {
        let result = evaluate(anchors([TrustAnchor(owner: "other.", .dnskey(ksk))]))
        #expect(result.status == .insecure)
        #expect(result.reasons.map(\.code) == [.noTrustAnchor])
    }

    /// Case 12: a DS digest that matches no key is bogus (EDE 9).
    @Test func dsDigestMismatchIsBogus() throws {
        var anchor = try dsAnchor()
        guard case .ds(var ds) = anchor.kind else { return }
        ds.digest[0] ^= 0xFF
        anchor.kind = .ds(ds)
        let result = evaluate(anchors([anchor]))
        #expect(result.status == .bogus)
        #expect(result.extendedError == .dnskeyMissing)
    }

    /// Case 12: a DS with a key tag no DNSKEY has is bogus.
    @Test func dsKeyTagMismatchIsBogus() throws {
        let ds = DS(keyTag: 1, algorithm: .rsaSHA1, digestType: .sha256, digest: [UInt8](repeating: 1, count: 32))
        #expect(evaluate(anchors([TrustAnchor(owner: "example.", .ds(ds))])).status == .bogus)
    }

    /// Case 12: DS for an unknown algorithm only, or an unknown digest only: insecure with
    /// EDE 1 / EDE 2 (RFC 6840 §5.2).
    @Test func unsupportedAlgorithmOrDigestOnlyIsInsecure() throws {
        let unknownAlgorithm = DS(keyTag: 9465, algorithm: DNSSECAlgorithm(200), digestType: .sha256, digest: [UInt8](repeating: 1, count: 32))
        let byAlgorithm = evaluate(anchors([TrustAnchor(owner: "example.", .ds(unknownAlgorithm))]))
        #expect(byAlgorithm.status == .insecure)
        #expect(byAlgorithm.extendedError == .unsupportedDNSKEYAlgorithm)

        let unknownDigest = DS(keyTag: 9465, algorithm: .rsaSHA1, digestType: DigestType(99), digest: [1, 2, 3])
        let byDigest = evaluate(anchors([TrustAnchor(owner: "example.", .ds(unknownDigest))]))
        #expect(byDigest.status == .insecure)
        #expect(byDigest.extendedError == .unsupportedDSDigestType)
    }

    /// Case 33: SHA-1 disabled by policy makes an RSASHA1 zone insecure, not bogus.
    @Test func sha1DisabledIsInsecure() throws {
        let noSHA1 = AlgorithmPolicy(minimumRSABits: 1024, maximumRSABits: 4096, allowSHA1: false)
        let result = evaluate(anchors([try dsAnchor()]), policy: noSHA1)
        #expect(result.status == .insecure)
        #expect(result.reasons.first?.code == .unsupportedAlgorithm)
    }

    /// RFC 4509 §3: a usable SHA-256 DS makes SHA-1 DS records irrelevant, so a wrong SHA-1 DS
    /// beside a right SHA-256 one does not matter, and a right SHA-1 beside a wrong SHA-256
    /// does not rescue it.
    @Test func RFC4509_3_sha1IgnoredBesideSHA256() throws {
        let good256 = try dsAnchor(.sha256)
        var bad1 = try dsAnchor(.sha1)
        if case .ds(var ds) = bad1.kind { ds.digest[0] ^= 0xFF; bad1.kind = .ds(ds) }
        #expect(evaluate(anchors([good256, bad1])).status == .secure)

        let good1 = try dsAnchor(.sha1)
        var bad256 = try dsAnchor(.sha256)
        if case .ds(var ds) = bad256.kind { ds.digest[0] ^= 0xFF; bad256.kind = .ds(ds) }
        #expect(evaluate(anchors([good1, bad256])).status == .bogus)
    }

    /// Cases 6 and 7: outside the validity window the key set is bogus with EDE 7 / EDE 8.
    @Test func expiredAndNotYetValidKeySets() throws {
        let late = evaluate(anchors([try dsAnchor()]), at: Vectors.time("20040601000000"))
        #expect(late.status == .bogus)
        #expect(late.reasons.contains { $0.extendedError == .signatureExpired })
        let early = evaluate(anchors([try dsAnchor()]), at: Vectors.time("20040401000000"))
        #expect(early.status == .bogus)
        #expect(early.reasons.contains { $0.extendedError == .signatureNotYetValid })
    }

    /// Case 13: the DNSKEY RRset not signed by the DS-referenced key is bogus.
    @Test func keySetNotSignedByTheAnchoredKeyIsBogus() throws {
        var unsigned = keys
        unsigned.signatures.removeAll { $0.keyTag == 9465 }
        let result = evaluate(anchors([try dsAnchor()]), evidence: ChainEvidence(anchorKeys: unsigned))
        #expect(result.status == .bogus)
    }

    @Test func missingAnchorKeySetIsIndeterminate() throws {
        let result = evaluate(anchors([try dsAnchor()]), evidence: ChainEvidence(anchorKeys: nil))
        #expect(result.status == .indeterminate)
        #expect(result.extendedError == .dnskeyMissing)
    }

    /// The same RRset missing because no server answered: the failed exchanges come first,
    /// and the last reason says it could not be had, not that the zone has no keys.
    @Test func unreachableAnchorKeySetSaysWhy() throws {
        let timeout = ValidationReason(.noReachableAuthority, rule: "RFC 1035 §7.2", "127.0.0.1:53 for .: timed out", ede: .noReachableAuthority)
        let result = evaluate(anchors([try dsAnchor()]), evidence: ChainEvidence(anchorKeys: nil, anchorKeysUnavailable: [timeout]))
        #expect(result.status == .indeterminate)
        #expect(result.reasons.first == timeout)
        #expect(result.reasons.last?.code == .keyMissing)
        #expect(result.reasons.last?.detail.contains("could not be had") == true)
        #expect(result.extendedError == .dnskeyMissing)
        let missing = evaluate(anchors([try dsAnchor()]), evidence: ChainEvidence(anchorKeys: nil))
        #expect(missing.reasons.map(\.code) == [.keyMissing])
        #expect(missing.reasons.last?.detail.hasSuffix("is missing") == true)
    }

    /// A secure DS at a delegation with the child's keys missing: indeterminate (the chain
    /// needs data it does not have); a DS RRset whose signature is broken: bogus.
    @Test func delegationWithSecureDS() throws {
        let ds = try #require(SignedRRSet(owner: "a.example.", type: .ds, from: records))
        let missingKeys = evaluate(anchors([try dsAnchor()]), evidence: ChainEvidence(anchorKeys: keys, delegations: [
            Delegation(child: "a.example.", ds: ds, dnskeys: nil),
        ]), name: "x.a.example.")
        #expect(missingKeys.status == .indeterminate)

        var forged = ds
        forged.rrset.rdatas = [RData(DS(keyTag: 1, algorithm: .rsaSHA1, digestType: .sha1, digest: [UInt8](repeating: 0, count: 20)))]
        let forgedDS = evaluate(anchors([try dsAnchor()]), evidence: ChainEvidence(anchorKeys: keys, delegations: [
            Delegation(child: "a.example.", ds: forged, dnskeys: nil),
        ]), name: "x.a.example.")
        #expect(forgedDS.status == .bogus)
    }

    @Test func delegationNotBelowTheZoneIsBogus() throws {
        let ds = try #require(SignedRRSet(owner: "a.example.", type: .ds, from: records))
        let result = evaluate(anchors([try dsAnchor()]), evidence: ChainEvidence(anchorKeys: keys, delegations: [
            Delegation(child: "a.other.", ds: ds, dnskeys: nil),
        ]))
        #expect(result.status == .bogus)
    }

    /// The built-in IANA anchors are the two root KSKs.
    @Test func builtInRootAnchors() throws {
        let root = try #require(TrustAnchorSet.ianaRoot.closestAnchor(for: "example.com."))
        #expect(root.owner == .root)
        #expect(Set(root.anchors.map(\.keyTag)) == [20326, 38696])
        let published = try Vectors.records("root-anchors.zone")
        for key in Vectors.dnskeys(published, owner: .root) {
            #expect(root.anchors.contains { $0.matches(key) == true })
        }
    }
}

/// Insecure delegations in the chain (RFC 4035 §5.2 with RFC 6840 §4.4 / RFC 5155 §8.9):
/// RFC 4035 App. A delegates `b.example.` without DS (an unsigned child) and `a.example.`
/// with DS; DNSSEC-CASES #23.
@Suite struct RFC4035_5_2_InsecureDelegationTests {
    let records: [ResourceRecord]
    let evaluator: ChainEvaluator
    let keys: SignedRRSet

    init() throws {
        records = try Vectors.records("rfc4035-appendix-A.zone")
        let ksk = try #require(Vectors.dnskeys(records, owner: "example.").first { $0.keyTag == 9465 })
        evaluator = ChainEvaluator(anchors: TrustAnchorSet([TrustAnchor(owner: "example.", .dnskey(ksk))]), now: Vectors.time("20040420000000"))
        keys = try #require(SignedRRSet(owner: "example.", type: .dnskey, from: records))
    }

    func evaluate(_ delegation: Delegation) -> Validated<ZoneKeySet?> {
        var work = ValidationWork()
        return evaluator.evaluate(ChainEvidence(anchorKeys: keys, delegations: [delegation]), for: (try? delegation.child.prepending(label: Array("x".utf8))) ?? delegation.child, work: &work)
    }

    @Test func provedUnsignedDelegationIsInsecure() throws {
        let nsec = try #require(SignedRRSet(owner: "b.example.", type: .nsec, from: records))
        let result = evaluate(Delegation(child: "b.example.", ds: nil, denial: [nsec], dnskeys: nil))
        #expect(result.status == .insecure)
        #expect(result.reasons.last?.code == .insecureDelegation)
    }

    @Test func missingDSWithoutProofIsBogus() {
        let result = evaluate(Delegation(child: "b.example.", ds: nil, denial: [], dnskeys: nil))
        #expect(result.status == .bogus)
        #expect(result.extendedError == .nsecMissing)
    }

    /// The NSEC at `a.example.` has the DS bit: it cannot prove a missing DS.
    @Test func nsecWithDSBitDoesNotProveAnInsecureDelegation() throws {
        let nsec = try #require(SignedRRSet(owner: "a.example.", type: .nsec, from: records))
        #expect(evaluate(Delegation(child: "a.example.", ds: nil, denial: [nsec], dnskeys: nil)).status == .bogus)
    }

    /// An NSEC whose signature does not verify proves nothing.
    @Test func forgedNSECIsBogus() throws {
        var nsec = try #require(SignedRRSet(owner: "b.example.", type: .nsec, from: records))
        nsec.rrset.rdatas = [RData(NSEC(nextDomainName: "ns2.example.", types: [.ns, .rrsig, .nsec]))]
        #expect(evaluate(Delegation(child: "b.example.", ds: nil, denial: [nsec], dnskeys: nil)).status == .bogus)
    }

    /// An NSEC that covers rather than matches the child shows there is no delegation at all.
    @Test func coveringNSECIsNotADelegationProof() throws {
        let nsec = try #require(SignedRRSet(owner: "ai.example.", type: .nsec, from: records))
        #expect(evaluate(Delegation(child: "ak.example.", ds: nil, denial: [nsec], dnskeys: nil)).status == .bogus)
    }
}
