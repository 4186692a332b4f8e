import DNSCore
import DNSSEC
import Foundation
import Testing
@testable import DANE

/// RFC 7672 §2.2 before connecting: `DANEPolicy.requirement`, one test per branch.
@Suite struct RFC7672_2_2_RequirementTests {
    static let usable = TLSA(usage: .daneEE, selector: .spki, matchingType: .sha256, associationData: [UInt8](repeating: 1, count: 32))
    static let unusable = TLSA(usage: .pkixEE, selector: .spki, matchingType: .sha256, associationData: [UInt8](repeating: 1, count: 32))

    func requirement(mx: SecurityStatus = .secure, addresses: SecurityStatus = .secure, tlsa: TLSALookup,
                     policy: InsecureMXPolicy = .dane) -> TLSRequirement {
        DANEPolicy.requirement(mx: mx, addresses: addresses, tlsa: tlsa, policy: policy).0
    }

    @Test func RFC7672_2_2_1_mxBogusOrIndeterminateDefers() {
        #expect(requirement(mx: .bogus, tlsa: .secure([Self.usable])) == .skipHost(.dnsFailed))
        #expect(requirement(mx: .indeterminate, tlsa: .secure([Self.usable])) == .skipHost(.dnsFailed))
    }

    @Test func RFC7672_2_2_1_insecureMXUnderEachPolicy() {
        #expect(requirement(mx: .insecure, tlsa: .secure([Self.usable]), policy: .dane) == .dane(usable: [Self.usable]))
        #expect(requirement(mx: .insecure, tlsa: .secure([Self.usable]), policy: .may) == .opportunistic)
        #expect(requirement(mx: .insecure, tlsa: .secure([Self.usable]), policy: .encrypt) == .encrypt)
    }

    @Test func RFC7672_2_2_2_addresses() {
        #expect(requirement(addresses: .bogus, tlsa: .secure([Self.usable])) == .skipHost(.dnsFailed))
        #expect(requirement(addresses: .indeterminate, tlsa: .notLookedUp) == .skipHost(.dnsFailed))
        #expect(requirement(addresses: .insecure, tlsa: .notLookedUp) == .opportunistic)
        #expect(requirement(mx: .insecure, addresses: .insecure, tlsa: .notLookedUp, policy: .encrypt) == .encrypt)
    }

    @Test func RFC7672_2_2_3_tlsa() {
        #expect(requirement(tlsa: .secure([Self.usable, Self.unusable])) == .dane(usable: [Self.usable]))
        #expect(requirement(tlsa: .secure([Self.unusable])) == .encrypt)
        #expect(requirement(tlsa: .secureDenial) == .opportunistic)
        #expect(requirement(tlsa: .insecure) == .opportunistic)
        #expect(requirement(tlsa: .failed("SERVFAIL")) == .skipHost(.dnsFailed))
    }

    @Test func reasonsNameTheRule() {
        let (_, reasons) = DANEPolicy.requirement(mx: .secure, addresses: .secure, tlsa: .secure([Self.unusable]), policy: .dane)
        #expect(reasons.map(\.rule) == ["RFC 7672 §3.1.3", "RFC 7672 §2.2.3"])
    }
}

/// RFC 7672 §2.2.3 and §3 after connecting: `DANEConnectionCheck.verdict`.
@Suite struct RFC7672_3_ConnectionVerdictTests {
    let ca: TestPKI.Issued
    let leaf: TestPKI.Issued
    let eeRecord: TLSA
    let taRecord: TLSA
    let names: [DomainName] = ["mx.example.net."]

    init() throws {
        ca = try TestPKI.ca("Verdict CA")
        leaf = try TestPKI.leaf("mx.example.net", dnsNames: ["mx.example.net"], issuer: ca)
        eeRecord = try #require(try TLSAMatcher.record(for: leaf.der, usage: .daneEE, selector: .spki, matchingType: .sha256))
        taRecord = try #require(try TLSAMatcher.record(for: ca.der, usage: .daneTA, selector: .spki, matchingType: .sha256))
    }

    var tls: ObservedSession { .tls(TLSFacts(version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", chain: [leaf.der, ca.der])) }

    func verdict(_ requirement: TLSRequirement, _ session: ObservedSession, mxSecure: Bool = true) async -> DANEVerdict {
        await DANEConnectionCheck.verdict(requirement: requirement, mxSecure: mxSecure, session: session,
                                          referenceNames: names, at: TestPKI.reference).verdict
    }

    @Test func daneEEMatchIsVerifiedOrTrusted() async throws {
        #expect(await verdict(.dane(usable: [eeRecord]), tls) == .verified)
        #expect(await verdict(.dane(usable: [eeRecord]), tls, mxSecure: false) == .trusted)
        let result = await DANEConnectionCheck.verdict(requirement: .dane(usable: [eeRecord]), mxSecure: true, session: tls,
                                                       referenceNames: names, at: TestPKI.reference)
        #expect(result.matchDepth == 0)
    }

    @Test func daneTAMatch() async {
        let result = await DANEConnectionCheck.verdict(requirement: .dane(usable: [taRecord]), mxSecure: true, session: tls,
                                                       referenceNames: names, at: TestPKI.reference)
        #expect(result.verdict == .verified)
        #expect(result.matchDepth == 1)
    }

    /// A MITM's certificate against a published record: not delivered.
    @Test func mismatchIsDANEFailed() async throws {
        let mitm = try TestPKI.leaf("mx.example.net", dnsNames: ["mx.example.net"], issuer: try TestPKI.ca("MITM"))
        let session = ObservedSession.tls(TLSFacts(version: "TLSv1.3", cipher: "x", chain: [mitm.der]))
        #expect(await verdict(.dane(usable: [eeRecord, taRecord]), session) == .daneFailed)
        #expect(await verdict(.dane(usable: [eeRecord]), .tls(TLSFacts(version: "x", cipher: "x", chain: []))) == .daneFailed)
    }

    @Test func tlsRequiredButMissing() async {
        #expect(await verdict(.dane(usable: [eeRecord]), .noSTARTTLS) == .tlsRequiredFailed)
        #expect(await verdict(.dane(usable: [eeRecord]), .tlsFailed("alert")) == .tlsRequiredFailed)
        #expect(await verdict(.encrypt, .noSTARTTLS) == .tlsRequiredFailed)
        #expect(await verdict(.encrypt, .tlsFailed("alert")) == .tlsRequiredFailed)
    }

    @Test func unauthenticatedTLS() async {
        #expect(await verdict(.encrypt, tls) == .untrusted)
        #expect(await verdict(.opportunistic, tls) == .untrusted)
        #expect(await verdict(.opportunistic, .tls(TLSFacts(version: "x", cipher: "x", chain: []))) == .anonymous)
    }

    @Test func opportunisticFallsBackToPlaintext() async {
        #expect(await verdict(.opportunistic, .noSTARTTLS) == .plaintext)
        #expect(await verdict(.opportunistic, .tlsFailed("alert")) == .plaintext)
    }

    @Test func skippedAndUnreachable() async {
        #expect(await verdict(.skipHost(.dnsFailed), tls) == .dnsFailed)
        #expect(await verdict(.opportunistic, .unreachable("refused")) == .unreachable)
        #expect(await verdict(.dane(usable: [eeRecord]), .unreachable("timeout")) == .unreachable)
    }

    @Test func deliveringVerdicts() {
        #expect(DANEVerdict.allCases.filter(\.delivers) == [.verified, .trusted, .untrusted, .anonymous, .plaintext])
    }
}
