import Crypto
import DNSCore
import Foundation
import Testing
import X509
@testable import DANE

/// DANE-TA(2) validation (RFC 7672 §3.1.2) against chains a hostile server sends: many
/// certificates that share one name and one key (each signs every other, so a path search
/// that tries every candidate issuer explodes), and a chain far longer than any real one.
@Suite struct RFC7672_3_1_2_HostileChainTests {
    let references: [DomainName] = ["mx.example.net."]

    /// `count` CA certificates named `commonName`, all with the same key and all signed by it
    /// (self-issued), told apart by their serial numbers and a subjectAltName each —
    /// swift-certificates' loop detection (RFC 4158 §5.2) takes subject, key *and* SAN as the
    /// identity of a certificate in a path, so to it these are all different.
    static func sameNameSameKey(_ commonName: String, count: Int, key: P256.Signing.PrivateKey) throws -> [TestPKI.Issued] {
        try (0..<count).map { index in
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(bytes: [0x01, UInt8(index & 0x7F), UInt8(index >> 7)]),
                publicKey: .init(key.publicKey),
                notValidBefore: TestPKI.reference - TestPKI.year, notValidAfter: TestPKI.reference + TestPKI.year,
                issuer: TestPKI.name(commonName), subject: TestPKI.name(commonName), signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(keyCertSign: true))
                    SubjectAlternativeNames([.dnsName("ca-\(index).loop.invalid")])
                },
                issuerPrivateKey: .init(key))
            return TestPKI.Issued(certificate: certificate, key: key)
        }
    }

    /// The leaf is issued by "Loop CA"; eight "Loop CA" certificates with one key follow, then
    /// the anchor the TLSA record names, which issued none of them (ten certificates, within
    /// the limit). Every ordering of the eight is a candidate path to nowhere (109,600 partial
    /// paths, each expanded with eight signature checks, without the rule); with the rule the
    /// duplicates are ignored and the answer is a reasoned `no match`, at once.
    @Test(.timeLimit(.minutes(1))) func sameNameSameKeyCertificatesDoNotExplodeThePathSearch() async throws {
        let loopKey = P256.Signing.PrivateKey()
        let loop = try Self.sameNameSameKey("Loop CA", count: 8, key: loopKey)
        let anchor = try TestPKI.ca("Unrelated Anchor")
        let leaf = try TestPKI.leaf("mx.example.net", dnsNames: ["mx.example.net"], issuer: loop[0])
        let record = try #require(try TLSAMatcher.record(for: anchor.der, usage: .daneTA, selector: .spki, matchingType: .sha256))
        let clock = ContinuousClock()
        let started = clock.now
        let result = await DANETrustAnchorValidation.validate(chain: [leaf.der] + loop.map(\.der) + [anchor.der], usable: [record],
                                                              references: references, at: TestPKI.reference)
        let elapsed = clock.now - started
        #expect(result.match == nil)
        #expect(result.reasons.filter { $0.contains("repeats the subject and key of depth 1") }.count == 7, "\(result.reasons)")
        #expect(result.reasons.contains { $0.contains("does not validate") }, "\(result.reasons)")
        #expect(elapsed < .seconds(30), "path search took \(elapsed)")  // minutes without the rule; slack for a loaded machine
    }

    /// The same loop certificates with the real issuer among them: the chain still validates
    /// (ignoring duplicates loses no path, since a duplicate offers the same name and key).
    @Test func duplicatesBesideARealPathStillValidate() async throws {
        let rootKey = P256.Signing.PrivateKey()
        let roots = try Self.sameNameSameKey("Root CA", count: 5, key: rootKey)
        let leaf = try TestPKI.leaf("mx.example.net", dnsNames: ["mx.example.net"], issuer: roots[0])
        let record = try #require(try TLSAMatcher.record(for: roots[3].der, usage: .daneTA, selector: .spki, matchingType: .sha256))
        let result = await DANETrustAnchorValidation.validate(chain: [leaf.der] + roots.map(\.der), usable: [record],
                                                              references: references, at: TestPKI.reference)
        #expect(result.match?.anchorDepth == 1, "\(result.reasons)")
    }

    /// A 200-certificate chain (root → 198 intermediates → leaf) with the TLSA record naming
    /// the root at depth 199: beyond `maxChainLength`, so not considered — a reasoned failure,
    /// not a long path search.
    @Test func twoHundredCertificateChainIsCutAtTheLimit() async throws {
        var issued = [try TestPKI.ca("Deep Root")]
        for level in 1..<199 { issued.append(try TestPKI.ca("Deep CA \(level)", signedBy: issued[level - 1])) }
        let leaf = try TestPKI.leaf("mx.example.net", dnsNames: ["mx.example.net"], issuer: issued[198])
        let chain = [leaf.der] + issued.reversed().map(\.der)
        #expect(chain.count == 200)
        let root = try #require(try TLSAMatcher.record(for: issued[0].der, usage: .daneTA, selector: .spki, matchingType: .sha256))
        let result = await DANETrustAnchorValidation.validate(chain: chain, usable: [root], references: references, at: TestPKI.reference)
        #expect(result.match == nil)
        #expect(result.reasons.first == "the server sent 200 certificates: only the first 10 are considered", "\(result.reasons)")
        #expect(result.reasons.contains { $0.contains("matches no CA certificate the server sent") })

        // An anchor within the limit still works in the same long chain.
        let near = try #require(try TLSAMatcher.record(for: issued[195].der, usage: .daneTA, selector: .spki, matchingType: .sha256))
        let cut = await DANETrustAnchorValidation.validate(chain: chain, usable: [near], references: references, at: TestPKI.reference)
        #expect(cut.match?.anchorDepth == 4, "\(cut.reasons)")
    }
}
