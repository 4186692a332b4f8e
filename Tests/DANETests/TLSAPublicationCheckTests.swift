import _CryptoExtras
import Crypto
import DANE
import DNSCore
import Foundation
import SwiftASN1
import Testing
import X509

/// `TLSAPublicationCheck` (what `tlsa --check` reports), every branch, on certificates minted
/// at `TestPKI.reference`: an ECDSA and an RSA leaf of one CA (a dual-certificate server).
@Suite struct TLSAPublicationCheckTests {
    let ca: TestPKI.Issued
    let ecdsaLeaf: TestPKI.Issued
    let rsaLeafDER: [UInt8]

    init() throws {
        ca = try TestPKI.ca("publication CA")
        ecdsaLeaf = try TestPKI.leaf("mx.example", dnsNames: ["mx.example"], issuer: ca)
        let rsaKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let rsa = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(rsaKey.publicKey),
            notValidBefore: TestPKI.reference - TestPKI.year, notValidAfter: TestPKI.reference + TestPKI.year,
            issuer: ca.certificate.subject, subject: TestPKI.name("mx.example"), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(), issuerPrivateKey: .init(ca.key))
        var serializer = DER.Serializer()
        try serializer.serialize(rsa)
        rsaLeafDER = serializer.serializedBytes
    }

    func record(_ usage: UInt8, _ selector: UInt8, _ matching: UInt8, for der: [UInt8]) throws -> TLSA {
        try #require(try TLSAMatcher.record(for: der, usage: TLSA.CertificateUsage(rawValue: usage), selector: TLSA.Selector(rawValue: selector),
                                            matchingType: TLSA.MatchingType(rawValue: matching)))
    }

    var ecdsaChain: TLSAPublicationCheck.Presented { .init(keyAlgorithm: .ecdsa, chain: [ecdsaLeaf.der, ca.der]) }
    var rsaChain: TLSAPublicationCheck.Presented { .init(keyAlgorithm: .rsa, chain: [rsaLeafDER, ca.der]) }

    @Test func keyAlgorithmFromTheSPKIOID() throws {
        #expect(try CertificateFields.keyAlgorithm(of: ecdsaLeaf.der) == .ecdsa)
        #expect(try CertificateFields.keyAlgorithm(of: rsaLeafDER) == .rsa)
        #expect(throws: CertificateFields.Malformed.self) { try CertificateFields.keyAlgorithm(of: [0x30, 0x03, 0x02, 0x01]) }
    }

    /// RFC 7671 §8.1: a lone current `3 1 1` breaks at the next key.
    @Test func loneCurrentKeyWarnsToPublishTheNext() throws {
        let (matches, findings) = TLSAPublicationCheck.evaluate(records: [try record(3, 1, 1, for: ecdsaLeaf.der)], presented: [ecdsaChain])
        #expect(matches.first?.matches == [.init(chain: 0, depth: 0)])
        #expect(findings.map(\.rule) == ["RFC 7671 §8.1"])
        #expect(findings.first?.severity == .warning)
    }

    /// A spare record (the next key) or a DANE-TA match for the issuer removes the warning;
    /// DANE-TA matches the CA at depth 1, never the leaf.
    @Test func nextKeyOrIssuerRecordIsSafe() throws {
        let next = TLSA(usage: .daneEE, selector: .spki, matchingType: .sha256, associationData: Array(repeating: 0xAB, count: 32))
        let spare = TLSAPublicationCheck.evaluate(records: [try record(3, 1, 1, for: ecdsaLeaf.der), next], presented: [ecdsaChain])
        #expect(spare.findings.isEmpty)
        let issuer = TLSAPublicationCheck.evaluate(records: [try record(3, 1, 1, for: ecdsaLeaf.der), try record(2, 1, 1, for: ca.der)], presented: [ecdsaChain])
        #expect(issuer.findings.isEmpty)
        #expect(issuer.matches.last?.matches == [.init(chain: 0, depth: 1)])
        let taOnLeaf = TLSAPublicationCheck.evaluate(records: [try record(2, 1, 1, for: ecdsaLeaf.der)], presented: [ecdsaChain])
        #expect(taOnLeaf.matches.first?.matches == [])
        let eeOnCA = TLSAPublicationCheck.evaluate(records: [try record(3, 1, 1, for: ca.der)], presented: [ecdsaChain])
        #expect(eeOnCA.matches.first?.matches == [])
    }

    /// RFC 7672 §3.1.2: a `2 x x` for a CA the server does not send.
    @Test func taRecordForACANotSent() throws {
        let other = try TestPKI.ca("another CA")
        let (_, findings) = TLSAPublicationCheck.evaluate(records: [try record(2, 1, 1, for: other.der), try record(3, 1, 1, for: ecdsaLeaf.der)],
                                                          presented: [ecdsaChain])
        #expect(findings.contains { $0.rule == "RFC 7672 §3.1.2" && $0.severity == .warning && $0.detail.contains("does not send") })
        let full = TLSAPublicationCheck.evaluate(records: [try record(2, 0, 0, for: other.der)], presented: [ecdsaChain])
        #expect(full.findings.contains { $0.detail.contains("full certificate in DNS") })
    }

    /// A dual RSA/ECDSA server with records for the ECDSA key only: the RSA certificate fails.
    @Test func dualCertificatesWithRecordsForOneOnly() throws {
        let (matches, findings) = TLSAPublicationCheck.evaluate(records: [try record(3, 1, 1, for: ecdsaLeaf.der)], presented: [ecdsaChain, rsaChain])
        #expect(matches.first?.matches == [.init(chain: 0, depth: 0)])
        #expect(findings.contains { $0.severity == .error && $0.detail.contains("RSA certificate") })
        let both = TLSAPublicationCheck.evaluate(records: [try record(3, 1, 1, for: ecdsaLeaf.der), try record(3, 1, 1, for: rsaLeafDER)],
                                                 presented: [ecdsaChain, rsaChain])
        #expect(!both.findings.contains { $0.severity == .error })
    }

    /// RFC 7672 §3.1.3: unusable records are reported and never match.
    @Test func unusableRecordsAreWarnedAbout() throws {
        let pkix = try record(1, 1, 1, for: ecdsaLeaf.der)
        let shortDigest = TLSA(usage: .daneEE, selector: .spki, matchingType: .sha256, associationData: [1, 2, 3])
        let (matches, findings) = TLSAPublicationCheck.evaluate(records: [pkix, shortDigest], presented: [ecdsaChain])
        #expect(matches.allSatisfy { $0.problem != nil && $0.matches.isEmpty })
        #expect(findings.filter { $0.rule == "RFC 7672 §3.1.3" }.count == 2)
        #expect(findings.contains { $0.severity == .error })
    }
}
