import DNSCore
import Foundation
import Testing
import X509
@testable import DANE

/// DANE-TA(2) (RFC 7672 §3.1.2) and the name checks it needs (§3.2), one test per branch of
/// `DANETrustAnchorValidation.validate` and `DANEIdentity.match`.
@Suite struct RFC7672_3_1_2_DANETATests {
    let root: TestPKI.Issued
    let intermediate: TestPKI.Issued
    let leaf: TestPKI.Issued
    let references: [DomainName] = ["mx.example.net.", "example.org."]

    init() throws {
        root = try TestPKI.ca("Lab Root")
        intermediate = try TestPKI.ca("Lab Issuing CA", signedBy: root)
        leaf = try TestPKI.leaf("mx.example.net", dnsNames: ["mx.example.net"], issuer: intermediate)
    }

    func record(for issued: TestPKI.Issued, selector: TLSA.Selector = .spki, matching: TLSA.MatchingType = .sha256) throws -> TLSA {
        try #require(try TLSAMatcher.record(for: issued.der, usage: .daneTA, selector: selector, matchingType: matching))
    }

    func validate(_ chain: [TestPKI.Issued], _ records: [TLSA], at time: Date = TestPKI.reference) async -> DANETrustAnchorResult {
        await DANETrustAnchorValidation.validate(chain: chain.map(\.der), usable: records, references: references, at: time)
    }

    @Test func taSentByTheServerMatchesAtItsDepth() async throws {
        let result = await validate([leaf, intermediate, root], [try record(for: root)])
        #expect(result.match?.anchorDepth == 2)
        #expect(result.match?.referenceName == "mx.example.net.")
        let issuing = await validate([leaf, intermediate], [try record(for: intermediate, selector: .cert)])
        #expect(issuing.match?.anchorDepth == 1)
    }

    /// The TA must be sent: a `2 1 1` for a root the server leaves out matches nothing.
    @Test func taNotSentDoesNotMatch() async throws {
        let result = await validate([leaf, intermediate], [try record(for: root)])
        #expect(result.match == nil)
        #expect(result.reasons.contains { $0.contains("matches no CA certificate the server sent") })
    }

    /// …except a full `2 0 0` record, which carries the anchor itself.
    @Test func fullCertificateRecordNeedNotBeSent() async throws {
        let result = await validate([leaf, intermediate], [try record(for: root, selector: .cert, matching: .full)])
        #expect(result.match != nil)
        #expect(result.match?.anchorDepth == nil)
    }

    /// DANE-TA never matches at depth 0 and never completes a chain from elsewhere.
    @Test func recordForTheLeafIsNotATrustAnchor() async throws {
        let result = await validate([leaf, intermediate], [try record(for: leaf)])
        #expect(result.match == nil)
    }

    /// Unlike DANE-EE, DANE-TA checks validity dates.
    @Test func expiredLeafFails() async throws {
        let old = try TestPKI.leaf("mx.example.net", dnsNames: ["mx.example.net"], issuer: intermediate,
                                   notBefore: TestPKI.reference - 3 * TestPKI.year, notAfter: TestPKI.reference - TestPKI.year)
        let result = await validate([old, intermediate], [try record(for: intermediate)])
        #expect(result.match == nil)
        #expect(result.reasons.contains { $0.contains("does not validate") })
    }

    @Test func chainFromAnotherCAFails() async throws {
        let stranger = try TestPKI.ca("Other CA")
        let result = await validate([leaf, stranger], [try record(for: stranger)])
        #expect(result.match == nil)
    }

    /// §3.2.2: the next-hop domain is a reference identifier too (when the MX RRset is
    /// secure; the caller decides which names to pass).
    @Test func nextHopDomainIsAReferenceName() async throws {
        let named = try TestPKI.leaf("whatever", dnsNames: ["example.org"], issuer: intermediate)
        let result = await validate([named, intermediate], [try record(for: intermediate)])
        #expect(result.match?.referenceName == "example.org.")
        let neither = try TestPKI.leaf("whatever", dnsNames: ["other.example"], issuer: intermediate)
        let refused = await validate([neither, intermediate], [try record(for: intermediate)])
        #expect(refused.match == nil)
        #expect(refused.reasons.contains { $0.contains("RFC 7672 §3.2") })
    }

    @Test func garbageChainsAreReasonsNotCrashes() async throws {
        let none = await DANETrustAnchorValidation.validate(chain: [], usable: [try record(for: root)], references: references, at: TestPKI.reference)
        #expect(none.match == nil)
        let junk = await DANETrustAnchorValidation.validate(chain: [[0x30, 0x01, 0x00]], usable: [try record(for: root)], references: references, at: TestPKI.reference)
        #expect(junk.match == nil)
        #expect(junk.reasons.first?.contains("cannot be parsed") == true)
    }
}

/// RFC 7672 §3.2.3: wildcards only as the whole leftmost label, one label deep; CN only when
/// there is no DNS subjectAltName.
@Suite struct RFC7672_3_2_3_NameCheckTests {
    let ca: TestPKI.Issued

    init() throws { ca = try TestPKI.ca("Names CA") }

    func matches(_ dnsNames: [String], cn: String = "cn.example", _ reference: DomainName) throws -> Bool {
        let leaf = try TestPKI.leaf(cn, dnsNames: dnsNames, issuer: ca)
        return DANEIdentity.match(leaf.certificate, references: [reference]) != nil
    }

    @Test func exactAndCaseInsensitive() throws {
        #expect(try matches(["MX.Example.NET"], "mx.example.net."))
        #expect(try !matches(["mx.example.net"], "mx2.example.net."))
    }

    @Test func wildcardLeftmostLabelOnly() throws {
        #expect(try matches(["*.example.net"], "mx.example.net."))
        #expect(try !matches(["*.example.net"], "example.net."))
        #expect(try !matches(["*.example.net"], "a.mx.example.net."))
        #expect(try !matches(["m*.example.net"], "mx.example.net."))
        #expect(try !matches(["mx.*.net"], "mx.example.net."))
    }

    @Test func commonNameOnlyWithoutDNSNames() throws {
        #expect(try matches([], cn: "mx.example.net", "mx.example.net."))
        #expect(try !matches(["other.example"], cn: "mx.example.net", "mx.example.net."))
    }
}
